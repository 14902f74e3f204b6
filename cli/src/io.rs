//! CSV input for the planning job.
//!
//! Demand file columns: `sku,period,demand` (one row per SKU and period, rows in any order). The demand
//! loader is strict, because a history it cannot trust must not be planned:
//!
//! - `period` is an integer index (`-?[0-9]+`) or an ISO date (`YYYY-MM-DD`), one kind per SKU; the
//!   history is ordered by it (numerically, or by date). Anything else (`59.5`, `1e3`, `2026-13-01`)
//!   fails that SKU: sorting such periods as text would put them out of order.
//! - a `(sku, period)` pair that appears twice fails that SKU, naming both rows;
//! - a row whose field count differs from the header's fails its SKU (or, if the row names no SKU,
//!   the whole file), so a shifted row never shortens a history silently;
//! - a row without a SKU fails the whole file (it cannot be attributed).
//! - periods without a row (sales exports leave out zero-sales periods) are found at the file's
//!   frequency by the core's gap rule ([`forestock::periods::regularize`]) and filled with zeros; the
//!   summary is in [`Loaded::notes`]. A dated history runs to the file's last period. This needs one
//!   kind of period and one frequency in the whole file; a file that mixes them is read as given, with
//!   a note.
//!
//! Every failure is an [`Error::InvalidRow`] with the 1-based row number (header excluded).
//!
//! Item file columns: the fields of [`forestock::plan::ItemMaster`], listed with their types and
//! defaults in [`crate::layout::ITEMS`] (the table `--help` prints); only `sku`, `unit_cost` and
//! `lead_time` are required, absent columns and empty cells take the defaults.
//!
//! A malformed item row is reported with its row number; when it names a SKU, that SKU is marked
//! failed so the plan reports it while every other SKU is planned.

use std::collections::HashMap;
use std::path::Path;

use forestock::periods::{regularize, DatedRows, GapPolicy, TimeAxis};
use forestock::plan::{ItemMaster, SkuHistory};
use forestock::Error;

use crate::calendar::Calendar;
use crate::layout;

/// What a load produced: good records plus per-row problems.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Records that parsed.
    pub records: Vec<T>,
    /// SKUs with a corrupt row, with the error (these SKUs are excluded from `records`).
    pub failed_skus: Vec<(String, Error)>,
    /// Rows that could not be attributed to any SKU.
    pub bad_rows: Vec<Error>,
    /// What the load changed that the user should know (e.g. periods without a row filled with zeros).
    pub notes: Vec<String>,
    /// The dates of each history's periods (demand files on one grid; `None` otherwise).
    pub calendar: Option<Calendar>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded { records: Vec::new(), failed_skus: Vec::new(), bad_rows: Vec::new(), notes: Vec::new(), calendar: None }
    }
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, Error> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize, Error> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| Error::InvalidRow { row: 0, reason: format!("{}: missing column `{name}`", path.display()) })
}

/// A period of the demand file: an integer index or an ISO date (never mixed within one SKU).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Period {
    Index(i64),
    Date(chrono::NaiveDate),
}

impl Period {
    fn parse(text: &str) -> Option<Period> {
        let integer = !text.is_empty()
            && text.strip_prefix('-').unwrap_or(text).bytes().all(|b| b.is_ascii_digit())
            && text != "-";
        if integer {
            return text.parse().ok().map(Period::Index);
        }
        // Only the strict `YYYY-MM-DD` form: chrono alone would accept e.g. `2026-1-5`.
        let date_shaped = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        if date_shaped {
            return chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Period::Date);
        }
        None
    }

    /// The core's `ds` tick: the index, or the date's midnight in seconds since 1970-01-01.
    fn tick(self) -> i64 {
        match self {
            Period::Index(i) => i,
            Period::Date(d) => forestock::periods::midnight(d),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Period::Index(_) => "an integer index",
            Period::Date(_) => "an ISO date",
        }
    }
}

/// One demand observation with the row it came from.
struct Point {
    row: usize,
    period: Period,
    period_text: String,
    demand: f64,
}

/// Read a long demand file into per-SKU histories ordered by period (strict: see the module docs).
/// Problems confined to one SKU fail that SKU (`failed_skus`); a row that names no SKU fails the file
/// (`Err`). `bad_rows` is always empty for demand files.
pub fn read_demand_csv(path: &Path) -> Result<Loaded<SkuHistory>, Error> {
    // `flexible` so a row with the wrong field count reaches us and can be attributed to its SKU.
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let headers = reader.headers().map_err(|e| Error::Io(e.to_string()))?.clone();
    let [sku_column, period_column, demand_column] = layout::DEMAND.map(|c| c.name);
    let (c_sku, c_period, c_demand) = (
        column(&headers, sku_column, path)?,
        column(&headers, period_column, path)?,
        column(&headers, demand_column, path)?,
    );
    let file = path.display();
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<Point>> = HashMap::new();
    let mut failed: HashMap<String, Error> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| Error::InvalidRow { row, reason: format!("{file}: {e}") })?;
        let sku = record.get(c_sku).unwrap_or("").to_string();
        if sku.is_empty() {
            return Err(Error::InvalidRow {
                row,
                reason: format!("{file}: empty `sku` (the row cannot be attributed)"),
            });
        }
        if !rows.contains_key(&sku) && !failed.contains_key(&sku) {
            order.push(sku.clone());
        }
        let fail = |reason: String| Error::InvalidRow { row, reason };
        let point = if record.len() != headers.len() {
            Err(fail(format!("{file}: {} fields, the header has {}", record.len(), headers.len())))
        } else {
            let period_text = record.get(c_period).unwrap_or("");
            let raw = record.get(c_demand).unwrap_or("");
            match (Period::parse(period_text), raw.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)) {
                (None, _) => {
                    Err(fail(format!("`period` = {period_text:?} is not an integer index or an ISO date (YYYY-MM-DD)")))
                }
                (Some(_), None) => Err(fail(format!("`demand` = {raw:?} is not a finite non-negative number"))),
                (Some(period), Some(demand)) => Ok(Point { row, period, period_text: period_text.to_string(), demand }),
            }
        };
        match point {
            Ok(p) => rows.entry(sku).or_default().push(p),
            Err(e) => {
                failed.entry(sku).or_insert(e);
            }
        }
    }
    let mut ordered = Vec::new();
    let mut failed_skus = Vec::new();
    for sku in order {
        let points = rows.remove(&sku).unwrap_or_default();
        match failed.remove(&sku).map_or_else(|| ordered_history(points), Err) {
            Ok(points) => ordered.push((sku, points)),
            Err(e) => failed_skus.push((sku, e)),
        }
    }
    let (records, notes, calendar) = on_the_grid(ordered)?;
    Ok(Loaded { records, failed_skus, bad_rows: Vec::new(), notes, calendar })
}

/// The histories on the file's grid (core [`forestock::periods::regularize`]): periods without a row
/// filled with zeros, with a note, and the grid's calendar. A file mixing integer and date periods
/// is taken as given (no calendar).
type OnTheGrid = (Vec<SkuHistory>, Vec<String>, Option<Calendar>);
fn on_the_grid(ordered: Vec<(String, Vec<Point>)>) -> Result<OnTheGrid, Error> {
    let as_given = |ordered: Vec<(String, Vec<Point>)>| -> Vec<SkuHistory> {
        ordered
            .into_iter()
            .map(|(sku, points)| SkuHistory { sku, demand: points.iter().map(|p| p.demand).collect() })
            .collect()
    };
    let kinds: std::collections::BTreeSet<&str> =
        ordered.iter().flat_map(|(_, points)| points.first()).map(|p| p.period.kind()).collect();
    if kinds.len() > 1 {
        let note = "the demand file mixes integer and date periods across SKUs: periods without a row are not filled";
        return Ok((as_given(ordered), vec![note.to_string()], None));
    }
    let axis = if kinds.contains(Period::Index(0).kind()) { TimeAxis::Periods } else { TimeAxis::Seconds };
    let ids: Vec<String> = ordered.iter().map(|(sku, _)| sku.clone()).collect();
    let mut ds = Vec::new();
    let mut y = Vec::new();
    let mut offsets = vec![0];
    for (_, points) in &ordered {
        for p in points {
            ds.push(p.period.tick());
            y.push(p.demand);
        }
        offsets.push(y.len());
    }
    let rows = DatedRows { ids: &ids, ds: &ds, y: &y, offsets: &offsets, axis };
    let regular = match regularize(&rows, None, GapPolicy::Fill, "period") {
        Ok(regular) => regular,
        // No frequency to infer (one date in the whole file) or mixed frequencies: read as given.
        Err(e) => return Ok((as_given(ordered), vec![format!("periods without a row are not filled: {e}")], None)),
    };
    let notes = regular.gaps_summary(axis).into_iter().collect();
    let calendar = Calendar::new(axis, regular.frequency, ids.iter().cloned().zip(regular.ends.iter().copied()));
    let records = ids
        .into_iter()
        .zip(regular.offsets.windows(2))
        .map(|(sku, w)| SkuHistory { sku, demand: regular.y[w[0]..w[1]].to_vec() })
        .collect();
    Ok((records, notes, Some(calendar)))
}

/// The points ordered by period; the periods of one SKU must be of one kind and distinct.
fn ordered_history(mut points: Vec<Point>) -> Result<Vec<Point>, Error> {
    if let Some(first) = points.first() {
        let kind = first.period.kind();
        if let Some(other) = points.iter().find(|p| p.period.kind() != kind) {
            return Err(Error::InvalidRow {
                row: other.row,
                reason: format!(
                    "`period` = {:?} is {}, but row {} of the same SKU uses {kind}",
                    other.period_text,
                    other.period.kind(),
                    first.row
                ),
            });
        }
    }
    // Stable sort, then duplicates are neighbours.
    points.sort_by_key(|p| p.period);
    if let Some(pair) = points.windows(2).find(|w| w[0].period == w[1].period) {
        let (a, b) = (&pair[0], &pair[1]);
        let (first, second) = (a.row.min(b.row), a.row.max(b.row));
        return Err(Error::InvalidRow {
            row: second,
            reason: format!("duplicate period {:?} (also on row {first})", b.period_text),
        });
    }
    Ok(points)
}

/// Read the item master file.
pub fn read_items_csv(path: &Path) -> Result<Loaded<ItemMaster>, Error> {
    let mut reader = open(path)?;
    let headers = reader.headers().map_err(|e| Error::Io(e.to_string()))?.clone();
    if let Some(name) = layout::missing_required(&layout::ITEMS, headers.iter()) {
        column(&headers, name, path)?;
    }
    let c_sku = column(&headers, layout::ITEMS[0].name, path)?;
    let mut loaded = Loaded::default();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                loaded.bad_rows.push(Error::InvalidRow { row, reason: e.to_string() });
                continue;
            }
        };
        let sku = record.get(c_sku).unwrap_or("").to_string();
        // Empty cells mean "use the default": drop them so serde's defaults apply.
        let (names, values): (csv::StringRecord, csv::StringRecord) =
            headers.iter().zip(record.iter()).filter(|(_, v)| !v.is_empty()).unzip();
        match values.deserialize::<ItemMaster>(Some(&names)) {
            Ok(item) => loaded.records.push(item),
            Err(e) if !sku.is_empty() => {
                loaded.failed_skus.push((sku, Error::InvalidRow { row, reason: e.to_string() }))
            }
            Err(e) => loaded.bad_rows.push(Error::InvalidRow { row, reason: e.to_string() }),
        }
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("forestock-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn demand_rows_sorted_and_bad_rows_isolated() {
        let path = write("demand.csv", "sku,period,demand\nA,2,5\nA,1,4\nB,1,x\nB,2,3\nC,10,1\nC,9,2\n");
        let loaded = read_demand_csv(&path).expect("load");
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(loaded.records[0].demand, vec![4.0, 5.0]);
        assert_eq!(loaded.records[1].demand, vec![2.0, 1.0]);
        assert_eq!(loaded.failed_skus.len(), 1);
        assert_eq!(loaded.failed_skus[0].0, "B");
        assert!(loaded.failed_skus[0].1.to_string().contains("row 3"), "{}", loaded.failed_skus[0].1);
        assert!(loaded.bad_rows.is_empty());
    }

    /// The failure of `sku` in a load of `text`, as text.
    fn failure_of(name: &str, text: &str, sku: &str) -> (Vec<String>, String) {
        let loaded = read_demand_csv(&write(name, text)).expect("load");
        let planned = loaded.records.iter().map(|r| r.sku.clone()).collect();
        let (_, e) = loaded.failed_skus.iter().find(|(s, _)| s == sku).expect("the SKU failed");
        assert_eq!(e.code(), "ERR_INVALID_ROW");
        (planned, e.to_string())
    }

    #[test]
    fn fractional_period_fails_its_sku_only() {
        let (planned, e) = failure_of("frac.csv", "sku,period,demand\nA,58,1\nA,59.5,2\nA,60,3\nB,1,1\n", "A");
        assert_eq!(planned, vec!["B"]);
        assert_eq!(e, "row 2: `period` = \"59.5\" is not an integer index or an ISO date (YYYY-MM-DD)");
    }

    #[test]
    fn duplicate_period_fails_its_sku_naming_both_rows() {
        let (planned, e) = failure_of("dup.csv", "sku,period,demand\nA,1,1\nB,1,1\nA,2,2\nA,01,3\n", "A");
        assert_eq!(planned, vec!["B"]);
        assert_eq!(e, "row 4: duplicate period \"01\" (also on row 1)");
    }

    #[test]
    fn row_with_too_many_fields_fails_its_sku() {
        let (planned, e) = failure_of("wide.csv", "sku,period,demand\nA,1,1\nA,2,2,7\nA,3,3\nB,1,1\n", "A");
        assert_eq!(planned, vec!["B"]);
        assert!(e.starts_with("row 2: ") && e.ends_with("4 fields, the header has 3"), "{e}");
    }

    #[test]
    fn dates_sort_as_dates_and_kinds_do_not_mix() {
        let path = write("dates.csv", "sku,period,demand\nA,2026-01-12,2\nA,2026-01-05,1\n");
        assert_eq!(read_demand_csv(&path).expect("load").records[0].demand, vec![1.0, 2.0]);
        let (_, e) = failure_of("mixed.csv", "sku,period,demand\nA,2026-01-05,1\nA,3,2\n", "A");
        assert!(e.starts_with("row 2: `period` = \"3\" is an integer index"), "{e}");
        let (_, e) = failure_of("baddate.csv", "sku,period,demand\nA,2026-13-01,1\n", "A");
        assert!(e.starts_with("row 1: `period` = \"2026-13-01\""), "{e}");
    }

    #[test]
    fn weeks_left_out_of_the_export_are_filled_with_zeros_and_noted() {
        // B sold nothing in the weeks of 2026-01-12 and 2026-01-26 (left out: its last week too).
        let text = "sku,period,demand\nA,2026-01-05,1\nA,2026-01-12,2\nA,2026-01-19,3\nA,2026-01-26,4\n\
                    B,2026-01-19,7\nB,2026-01-05,5\n";
        let loaded = read_demand_csv(&write("gaps.csv", text)).expect("load");
        assert_eq!(loaded.records[0].demand, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(loaded.records[1].demand, vec![5.0, 0.0, 7.0, 0.0]);
        assert_eq!(loaded.notes.len(), 1, "{:?}", loaded.notes);
        assert!(loaded.notes[0].starts_with("1 of 2 series had 2 period(s)"), "{}", loaded.notes[0]);
        assert!(
            loaded.notes[0].contains("weekly") && loaded.notes[0].contains("`B` from 2026-01-12"),
            "{}",
            loaded.notes[0]
        );
        // Mixed kinds across SKUs, or one date in the whole file: read as given, with a note.
        let mixed =
            read_demand_csv(&write("kinds.csv", "sku,period,demand\nA,1,1\nA,3,2\nB,2026-01-05,1\n")).expect("load");
        assert_eq!(mixed.records[0].demand, vec![1.0, 2.0]);
        assert!(mixed.notes[0].contains("mixes integer and date periods"), "{:?}", mixed.notes);
        let one = read_demand_csv(&write("one.csv", "sku,period,demand\nA,2026-01-05,1\n")).expect("load");
        assert_eq!(one.records[0].demand, vec![1.0]);
        assert!(one.notes[0].contains("not filled"), "{:?}", one.notes);
    }

    #[test]
    fn row_without_sku_fails_the_file() {
        let path = write("nosku.csv", "sku,period,demand\nA,1,1\n,2,2\n");
        let e = read_demand_csv(&path).expect_err("should fail");
        assert_eq!(e.code(), "ERR_INVALID_ROW");
        assert!(e.to_string().starts_with("row 2: ") && e.to_string().contains("empty `sku`"), "{e}");
    }

    #[test]
    fn items_with_defaults_and_a_bad_row() {
        let path =
            write("items.csv", "sku,unit_cost,lead_time,moq,service_level\nA,2.5,3,,\nB,oops,2,,\nC,1,1,10,0.97\n");
        let loaded = read_items_csv(&path).expect("load");
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(loaded.records[0].lot_size, 1.0);
        assert_eq!(loaded.records[1].service_level, Some(0.97));
        assert_eq!(loaded.failed_skus[0].0, "B");
        assert!(loaded.failed_skus[0].1.to_string().starts_with("row 2"));
    }

    #[test]
    fn missing_column_is_an_error() {
        let path = write("nocol.csv", "sku,demand\nA,1\n");
        assert!(read_demand_csv(&path).is_err());
    }
}
