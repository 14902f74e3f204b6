//! CSV input for the planning job.
//!
//! Demand file columns: `sku,period,demand` (one row per SKU and period; `period` is an integer index or
//! an ISO date, rows may come in any order). Item file columns: the fields of
//! [`forestock::plan::ItemMaster`] (`sku,unit_cost,lead_time,lead_time_sd,review_period,on_hand,on_order,
//! backorders,moq,lot_size,max_order,ordering_cost,holding_cost_rate,service_level,supplier`); only `sku`,
//! `unit_cost` and `lead_time` are required, empty cells take the defaults.
//!
//! A malformed row never aborts the load: it is reported with its row number, and when the row names
//! a SKU, that SKU is marked failed so the plan reports it while every other SKU is planned.

use std::collections::HashMap;
use std::path::Path;

use forestock::plan::{ItemMaster, SkuHistory};
use forestock::Error;

/// What a load produced: good records plus per-row problems.
#[derive(Debug)]
pub struct Loaded<T> {
    /// Records that parsed.
    pub records: Vec<T>,
    /// SKUs with a corrupt row, with the error (these SKUs are excluded from `records`).
    pub failed_skus: Vec<(String, Error)>,
    /// Rows that could not be attributed to any SKU.
    pub bad_rows: Vec<Error>,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded { records: Vec::new(), failed_skus: Vec::new(), bad_rows: Vec::new() }
    }
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, Error> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize, Error> {
    headers.iter().position(|h| h == name).ok_or_else(|| Error::InvalidRow {
        row: 0,
        reason: format!("{}: missing column `{name}`", path.display()),
    })
}

/// Read a long demand file into per-SKU histories ordered by period.
pub fn read_demand_csv(path: &Path) -> Result<Loaded<SkuHistory>, Error> {
    let mut reader = open(path)?;
    let headers = reader.headers().map_err(|e| Error::Io(e.to_string()))?.clone();
    let (c_sku, c_period, c_demand) =
        (column(&headers, "sku", path)?, column(&headers, "period", path)?, column(&headers, "demand", path)?);
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    let mut failed: HashMap<String, Error> = HashMap::new();
    let mut bad_rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                bad_rows.push(Error::InvalidRow { row, reason: e.to_string() });
                continue;
            }
        };
        let sku = record.get(c_sku).unwrap_or("").to_string();
        if sku.is_empty() {
            bad_rows.push(Error::InvalidRow { row, reason: "empty `sku`".into() });
            continue;
        }
        if !rows.contains_key(&sku) && !failed.contains_key(&sku) {
            order.push(sku.clone());
        }
        let period = record.get(c_period).unwrap_or("").to_string();
        let raw = record.get(c_demand).unwrap_or("");
        let parsed = raw.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
        match (period.is_empty(), parsed) {
            (false, Some(v)) => rows.entry(sku).or_default().push((period, v)),
            (true, _) => {
                failed.entry(sku).or_insert(Error::InvalidRow { row, reason: "empty `period`".into() });
            }
            (false, None) => {
                failed.entry(sku).or_insert(Error::InvalidRow {
                    row,
                    reason: format!("`demand` = {raw:?} is not a finite non-negative number"),
                });
            }
        }
    }
    let mut records = Vec::new();
    let mut failed_skus = Vec::new();
    for sku in order {
        if let Some(e) = failed.remove(&sku) {
            failed_skus.push((sku, e));
            continue;
        }
        let mut points = rows.remove(&sku).unwrap_or_default();
        sort_periods(&mut points);
        records.push(SkuHistory { sku, demand: points.into_iter().map(|(_, v)| v).collect() });
    }
    Ok(Loaded { records, failed_skus, bad_rows })
}

/// Sort by period: numerically when every period is an integer, else as text (ISO dates sort as text).
fn sort_periods(points: &mut [(String, f64)]) {
    let numeric: Option<Vec<i64>> = points.iter().map(|(p, _)| p.parse::<i64>().ok()).collect();
    match numeric {
        Some(_) => points.sort_by_key(|(p, _)| p.parse::<i64>().unwrap_or(i64::MAX)),
        None => points.sort_by(|a, b| a.0.cmp(&b.0)),
    }
}

/// Read the item master file.
pub fn read_items_csv(path: &Path) -> Result<Loaded<ItemMaster>, Error> {
    let mut reader = open(path)?;
    let headers = reader.headers().map_err(|e| Error::Io(e.to_string()))?.clone();
    let c_sku = column(&headers, "sku", path)?;
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
        let (names, values): (csv::StringRecord, csv::StringRecord) = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .unzip();
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
        let path = write(
            "demand.csv",
            "sku,period,demand\nA,2,5\nA,1,4\nB,1,x\nB,2,3\nC,10,1\nC,9,2\n,1,1\n",
        );
        let loaded = read_demand_csv(&path).expect("load");
        assert_eq!(loaded.records.len(), 2);
        assert_eq!(loaded.records[0].demand, vec![4.0, 5.0]);
        assert_eq!(loaded.records[1].demand, vec![2.0, 1.0]);
        assert_eq!(loaded.failed_skus.len(), 1);
        assert_eq!(loaded.failed_skus[0].0, "B");
        assert!(loaded.failed_skus[0].1.to_string().contains("row 3"), "{}", loaded.failed_skus[0].1);
        assert_eq!(loaded.bad_rows.len(), 1);
    }

    #[test]
    fn items_with_defaults_and_a_bad_row() {
        let path = write(
            "items.csv",
            "sku,unit_cost,lead_time,moq,service_level\nA,2.5,3,,\nB,oops,2,,\nC,1,1,10,0.97\n",
        );
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
