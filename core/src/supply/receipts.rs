//! Lead times learned from purchase-order receipts.
//!
//! [`lead_times_from_receipts`] turns purchase-order lines (`sku, supplier, ordered_at, received_at,
//! quantity`) into a lead-time mean and standard deviation per (SKU, supplier), in *periods* (the unit
//! of [`crate::plan::ItemMaster::lead_time`]); [`fill_item_lead_times`] writes them into the item master.
//!
//! **Dates.** Each stamp is either a period index (a number, like `ds` in demand histories; fractions
//! are allowed) or a calendar date (`"2026-03-14"`, [`chrono::NaiveDate`]). A line's lead time is
//! `received_at - ordered_at`: in periods directly, or in days divided by
//! [`LeadTimeConfig::days_per_period`] (7 for weekly buckets). Both stamps of a line must be of the
//! same kind; different lines may differ.
//!
//! **Rejected lines.** A line received before it was ordered, with a non-finite or non-positive
//! quantity, an empty SKU or supplier, a non-finite period stamp, or identical to an earlier line (a
//! duplicate) is left out and listed in [`LeadTimeReport::rejected`] with its 1-based row, the field and
//! the reason. One bad line never fails the others.
//!
//! **Outliers** (Hampel identifier: Hampel 1974, JASA 69, "The influence curve and its role in robust
//! estimation"; Leys et al. 2013, JESP 49, "Detecting outliers: do not use standard deviation around
//! the mean, use absolute deviation around the median"). On each supplier's lead times, pooled over
//! its SKUs, with median `m` and `MAD = 1.4826 · median|x - m|` (consistent for the normal sd), a
//! receipt is an outlier when `|x - m| > a · max(MAD, r · m)`, `a` = [`LeadTimeConfig::outlier_mads`]
//! (default 3.5) and `r` = [`LeadTimeConfig::min_relative_spread`] (default 0.1). The floor `r · m` stops
//! a supplier who nearly always delivers in exactly 5 days (MAD = 0) from having every 6-day receipt
//! flagged. Suppliers with fewer than [`LeadTimeConfig::min_receipts_for_outliers`] receipts are not
//! screened (too little to judge). Outliers are listed with their reason and left out of every estimate.
//!
//! **Estimates** (credibility / empirical Bayes). For SKU `i` of supplier `s` with `n_i` clean receipts,
//! mean `x̄_i` and sample variance `s_i²`; the supplier's mean `μ_s` over all its clean receipts and its
//! pooled within-SKU variance `σ_s² = Σ_i Σ_j (x_ij - x̄_i)² / (N_s - g_s)` (`N_s` receipts, `g_s` SKUs;
//! 0 when `N_s = g_s`):
//!
//! - mean: `Z_i x̄_i + (1 - Z_i) μ_s` with the Bühlmann credibility weight `Z_i = n_i / (n_i + k)`
//!   (Bühlmann & Gisler 2005, *A Course in Credibility Theory*, ch. 4), `k` =
//!   [`LeadTimeConfig::credibility_k`] (default 3: one receipt moves an item 3/4 of the way to its
//!   supplier's mean, thirty receipts 9%);
//! - variance: `(d_i s_i² + k σ_s²) / (d_i + k)` with `d_i = n_i - 1` degrees of freedom, the
//!   moderated variance of Smyth 2004 (SAGMB 3(1), "Linear models and empirical Bayes methods for
//!   assessing differential expression", eq. 7) with `k` prior degrees of freedom; `sd` is its root.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inventory::{non_negative, positive};
use crate::plan::ItemMaster;

/// A point in time on a purchase-order line: a period index or a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stamp {
    /// Period index of the planning bucket (may be fractional).
    Period(f64),
    /// Calendar date, `YYYY-MM-DD` in JSON.
    Date(NaiveDate),
}

/// One purchase-order line with its receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptLine {
    /// SKU identifier.
    pub sku: String,
    /// Supplier identifier.
    pub supplier: String,
    /// When the order was placed.
    pub ordered_at: Stamp,
    /// When the goods arrived.
    pub received_at: Stamp,
    /// Units received (> 0).
    pub quantity: f64,
}

/// Settings of [`lead_times_from_receipts`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadTimeConfig {
    /// Days in one planning period, to turn date differences into periods (1 = daily, 7 = weekly).
    pub days_per_period: f64,
    /// Credibility constant `k`: the number of receipts that counts as much as the supplier's mean.
    pub credibility_k: f64,
    /// Hampel threshold `a`: an outlier lies more than `a` robust spreads from the supplier's median.
    pub outlier_mads: f64,
    /// Floor of the robust spread as a fraction of the supplier's median lead time.
    pub min_relative_spread: f64,
    /// Suppliers with fewer receipts than this are not screened for outliers.
    pub min_receipts_for_outliers: usize,
}

impl Default for LeadTimeConfig {
    /// Daily periods, `k = 3`, `a = 3.5`, spread floor 10% of the median, screening from 5 receipts.
    fn default() -> Self {
        LeadTimeConfig {
            days_per_period: 1.0,
            credibility_k: 3.0,
            outlier_mads: 3.5,
            min_relative_spread: 0.1,
            min_receipts_for_outliers: 5,
        }
    }
}

/// Lead-time estimate of one (SKU, supplier) pair, in periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeEstimate {
    /// SKU identifier.
    pub sku: String,
    /// Supplier identifier.
    pub supplier: String,
    /// Clean receipts used (outliers and rejected lines excluded).
    pub receipts: usize,
    /// Mean of this SKU's own receipts.
    pub raw_mean: f64,
    /// Sample standard deviation of this SKU's own receipts (0 with one receipt).
    pub raw_sd: f64,
    /// Credibility weight `n / (n + k)` given to the SKU's own mean.
    pub credibility: f64,
    /// Shrunk mean lead time: `Z x̄ + (1 - Z) μ_supplier`.
    pub mean: f64,
    /// Shrunk standard deviation: `sqrt((d s² + k σ²_supplier) / (d + k))`, `d = n - 1`.
    pub sd: f64,
}

/// Lead-time summary of one supplier over all its SKUs, in periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierLeadTime {
    /// Supplier identifier.
    pub supplier: String,
    /// Clean receipts.
    pub receipts: usize,
    /// Mean of the clean receipts (the target of shrinkage).
    pub mean: f64,
    /// Pooled within-SKU standard deviation.
    pub sd: f64,
    /// Median of all valid receipts (outlier screening).
    pub median: f64,
    /// Scaled MAD of all valid receipts.
    pub mad: f64,
    /// Receipts below this are outliers (`None`: not screened).
    pub lower_fence: Option<f64>,
    /// Receipts above this are outliers (`None`: not screened).
    pub upper_fence: Option<f64>,
}

/// A receipt left out of the estimates as an outlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptOutlier {
    /// 1-based row of the line in the input.
    pub row: usize,
    /// SKU identifier.
    pub sku: String,
    /// Supplier identifier.
    pub supplier: String,
    /// Its lead time, in periods.
    pub lead_time: f64,
    /// Why it was flagged (which fence, the supplier's median and spread).
    pub reason: String,
}

/// A line that could not be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedReceipt {
    /// 1-based row of the line in the input.
    pub row: usize,
    /// The offending field (`sku`, `supplier`, `ordered_at`, `received_at`, `quantity`, or `line` for a
    /// duplicate).
    pub field: String,
    /// Stable error code (see [`Error::code`]).
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// Everything [`lead_times_from_receipts`] learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeReport {
    /// One estimate per (SKU, supplier) with at least one clean receipt, sorted by SKU then supplier.
    pub estimates: Vec<LeadTimeEstimate>,
    /// One summary per supplier, sorted by supplier.
    pub suppliers: Vec<SupplierLeadTime>,
    /// Receipts flagged as outliers, in input order.
    pub outliers: Vec<ReceiptOutlier>,
    /// Lines rejected as invalid, in input order.
    pub rejected: Vec<RejectedReceipt>,
}

impl LeadTimeReport {
    /// The estimate of `sku` from `supplier`, if any.
    pub fn estimate(&self, sku: &str, supplier: &str) -> Option<&LeadTimeEstimate> {
        self.estimates
            .binary_search_by(|e| (e.sku.as_str(), e.supplier.as_str()).cmp(&(sku, supplier)))
            .ok()
            .and_then(|i| self.estimates.get(i))
    }
}

/// Largest number of lines one call accepts (memory is linear in it).
pub const MAX_RECEIPT_LINES: usize = 10_000_000;

/// Check a configuration.
fn validate_config(config: &LeadTimeConfig) -> Result<()> {
    positive("days_per_period", config.days_per_period)?;
    positive("credibility_k", config.credibility_k)?;
    positive("outlier_mads", config.outlier_mads)?;
    non_negative("min_relative_spread", config.min_relative_spread)?;
    if config.min_receipts_for_outliers < 3 {
        return Err(Error::invalid_parameter(
            "min_receipts_for_outliers",
            config.min_receipts_for_outliers,
            "must be >= 3 (a median and a spread need a few receipts)",
        ));
    }
    Ok(())
}

/// A rejected line's error, naming the field.
fn row_error(row: usize, field: &str, reason: String) -> (String, Error) {
    (field.to_string(), Error::InvalidRow { row, reason: format!("`{field}`: {reason}") })
}

/// The lead time of one line in periods, or the field at fault.
fn line_lead_time(line: &ReceiptLine, row: usize, days_per_period: f64) -> std::result::Result<f64, (String, Error)> {
    if line.sku.trim().is_empty() {
        return Err(row_error(row, "sku", "must not be empty".into()));
    }
    if line.supplier.trim().is_empty() {
        return Err(row_error(row, "supplier", "must not be empty".into()));
    }
    if !(line.quantity.is_finite() && line.quantity > 0.0) {
        return Err(row_error(row, "quantity", format!("{} must be a finite number > 0", line.quantity)));
    }
    let lead_time = match (line.ordered_at, line.received_at) {
        (Stamp::Period(o), Stamp::Period(r)) => {
            if !o.is_finite() {
                return Err(row_error(row, "ordered_at", format!("{o} is not a finite period")));
            }
            if !r.is_finite() {
                return Err(row_error(row, "received_at", format!("{r} is not a finite period")));
            }
            r - o
        }
        (Stamp::Date(o), Stamp::Date(r)) => (r - o).num_days() as f64 / days_per_period,
        _ => {
            return Err(row_error(
                row,
                "received_at",
                "must be of the same kind (period or date) as `ordered_at`".into(),
            ))
        }
    };
    if lead_time < 0.0 {
        return Err(row_error(row, "received_at", format!("received {} periods before it was ordered", -lead_time)));
    }
    Ok(lead_time)
}

/// Bit-exact key of a line, for duplicate detection.
fn line_key(line: &ReceiptLine) -> (String, String, String, String, u64) {
    let stamp = |s: Stamp| match s {
        Stamp::Period(p) => format!("p{}", p.to_bits()),
        Stamp::Date(d) => format!("d{d}"),
    };
    (line.sku.clone(), line.supplier.clone(), stamp(line.ordered_at), stamp(line.received_at), line.quantity.to_bits())
}

/// Median of a non-empty slice (sorted copy).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Consistency constant of the MAD for the normal standard deviation, `1 / Φ⁻¹(3/4)`.
const MAD_SCALE: f64 = 1.482_602_218_505_602;

/// Learn lead times per (SKU, supplier) from purchase-order receipts (see the module docs for the
/// rules, formulas and sources).
///
/// Fails only on a bad `config` or more than [`MAX_RECEIPT_LINES`] lines; bad lines are reported in
/// [`LeadTimeReport::rejected`]. Deterministic.
///
/// ```
/// use forestock::supply::receipts::{lead_times_from_receipts, LeadTimeConfig, ReceiptLine, Stamp};
/// let line = |sku: &str, o: f64, r: f64| ReceiptLine {
///     sku: sku.into(), supplier: "acme".into(),
///     ordered_at: Stamp::Period(o), received_at: Stamp::Period(r), quantity: 10.0,
/// };
/// let mut lines: Vec<ReceiptLine> = (0..9).map(|i| line("a", i as f64, i as f64 + 4.0 + (i % 3) as f64)).collect();
/// lines.push(line("b", 0.0, 9.0));    // one receipt: shrunk towards acme's mean
/// lines.push(line("a", 10.0, 40.0));  // 30 periods: flagged, left out
/// lines.push(line("a", 5.0, 3.0));    // received before ordered: rejected
/// let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
/// assert_eq!(report.outliers.len(), 1);
/// assert_eq!((report.rejected[0].row, report.rejected[0].field.as_str()), (12, "received_at"));
/// let b = report.estimate("b", "acme").expect("b has a receipt");
/// assert!(b.mean < 9.0 && b.mean > 5.0);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn lead_times_from_receipts(lines: &[ReceiptLine], config: &LeadTimeConfig) -> Result<LeadTimeReport> {
    let parsed: Vec<ParsedLine<'_>> = lines.iter().map(Ok).collect();
    learn(&parsed, config)
}

/// [`lead_times_from_receipts`] on loosely typed records (JSON objects with the fields of
/// [`ReceiptLine`], as the Python and Node bindings receive them): a record with a missing or
/// mistyped field is rejected like any other bad line, naming its row and field.
pub fn lead_times_from_records(records: &[serde_json::Value], config: &LeadTimeConfig) -> Result<LeadTimeReport> {
    let lines: Vec<std::result::Result<ReceiptLine, (String, Error)>> =
        records.iter().enumerate().map(|(i, r)| line_from_record(r, i + 1)).collect();
    let parsed: Vec<ParsedLine<'_>> = lines.iter().map(|r| r.as_ref().map_err(Clone::clone)).collect();
    learn(&parsed, config)
}

/// A line as typed input, or the field at fault.
type ParsedLine<'a> = std::result::Result<&'a ReceiptLine, (String, Error)>;

/// One record as a [`ReceiptLine`], field by field so that the error names the field.
fn line_from_record(record: &serde_json::Value, row: usize) -> std::result::Result<ReceiptLine, (String, Error)> {
    let Some(object) = record.as_object() else {
        return Err(row_error(row, "line", format!("expected an object with the fields of a receipt, got {record}")));
    };
    fn field<T: serde::de::DeserializeOwned>(
        object: &serde_json::Map<String, serde_json::Value>,
        name: &str,
        row: usize,
    ) -> std::result::Result<T, (String, Error)> {
        let value = object.get(name).cloned().unwrap_or(serde_json::Value::Null);
        let shown = value.to_string();
        serde_json::from_value(value).map_err(|e| row_error(row, name, format!("{shown} is not valid: {e}")))
    }
    Ok(ReceiptLine {
        sku: field(object, "sku", row)?,
        supplier: field(object, "supplier", row)?,
        ordered_at: field(object, "ordered_at", row)?,
        received_at: field(object, "received_at", row)?,
        quantity: field(object, "quantity", row)?,
    })
}

fn learn(lines: &[ParsedLine<'_>], config: &LeadTimeConfig) -> Result<LeadTimeReport> {
    validate_config(config)?;
    if lines.len() > MAX_RECEIPT_LINES {
        return Err(Error::invalid_parameter("lines", lines.len(), format!("at most {MAX_RECEIPT_LINES} lines")));
    }
    let mut rejected = Vec::new();
    let mut seen: HashMap<(String, String, String, String, u64), usize> = HashMap::with_capacity(lines.len());
    // Valid lines per supplier: (line, 1-based row, lead time).
    let mut by_supplier: BTreeMap<&str, Vec<(&ReceiptLine, usize, f64)>> = BTreeMap::new();
    for (i, parsed) in lines.iter().enumerate() {
        let row = i + 1;
        let checked = parsed.clone().and_then(|line| {
            let lt = line_lead_time(line, row, config.days_per_period)?;
            match seen.entry(line_key(line)) {
                Entry::Occupied(first) => Err(row_error(row, "line", format!("duplicate of row {}", first.get()))),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                    Ok((line, lt))
                }
            }
        });
        match checked {
            Ok((line, lt)) => by_supplier.entry(line.supplier.as_str()).or_default().push((line, row, lt)),
            Err((field, e)) => {
                rejected.push(RejectedReceipt { row, field, code: e.code().to_string(), message: e.to_string() })
            }
        }
    }

    let mut outliers = Vec::new();
    let mut suppliers = Vec::with_capacity(by_supplier.len());
    let mut estimates = Vec::new();
    for (supplier, receipts) in by_supplier {
        let all: Vec<f64> = receipts.iter().map(|&(_, _, lt)| lt).collect();
        let m = median(&all);
        let deviations: Vec<f64> = all.iter().map(|x| (x - m).abs()).collect();
        let mad = MAD_SCALE * median(&deviations);
        let fences = (receipts.len() >= config.min_receipts_for_outliers).then(|| {
            let spread = mad.max(config.min_relative_spread * m);
            (m - config.outlier_mads * spread, m + config.outlier_mads * spread)
        });
        // Clean lead times per SKU, in input order (BTreeMap: SKUs sorted).
        let mut per_sku: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for &(line, row, lt) in &receipts {
            if let Some((lo, hi)) = fences
                && (lt < lo || lt > hi)
            {
                let side = if lt > hi {
                    format!("above the upper fence {hi:.3}")
                } else {
                    format!("below the lower fence {lo:.3}")
                };
                outliers.push(ReceiptOutlier {
                    row,
                    sku: line.sku.clone(),
                    supplier: supplier.to_string(),
                    lead_time: lt,
                    reason: format!(
                        "lead time {lt:.3} {side} (supplier median {m:.3} ± {} × spread {:.3})",
                        config.outlier_mads,
                        (hi - m) / config.outlier_mads
                    ),
                });
                continue;
            }
            per_sku.entry(line.sku.as_str()).or_default().push(lt);
        }
        let clean: usize = per_sku.values().map(Vec::len).sum();
        let total: f64 = per_sku.values().flatten().sum();
        let supplier_mean = if clean > 0 { total / clean as f64 } else { f64::NAN };
        let mut within = 0.0;
        let mut sku_stats = Vec::with_capacity(per_sku.len());
        for (sku, lts) in &per_sku {
            let n = lts.len() as f64;
            let mean = lts.iter().sum::<f64>() / n;
            let ss: f64 = lts.iter().map(|x| (x - mean).powi(2)).sum();
            within += ss;
            sku_stats.push((*sku, lts.len(), mean, ss));
        }
        let df = clean.saturating_sub(per_sku.len());
        let supplier_var = if df > 0 { within / df as f64 } else { 0.0 };
        let k = config.credibility_k;
        for (sku, n, mean, ss) in sku_stats {
            let d = (n - 1) as f64;
            let z = n as f64 / (n as f64 + k);
            let raw_var = if n > 1 { ss / d } else { 0.0 };
            estimates.push(LeadTimeEstimate {
                sku: sku.to_string(),
                supplier: supplier.to_string(),
                receipts: n,
                raw_mean: mean,
                raw_sd: raw_var.sqrt(),
                credibility: z,
                mean: z * mean + (1.0 - z) * supplier_mean,
                sd: ((d * raw_var + k * supplier_var) / (d + k)).sqrt(),
            });
        }
        suppliers.push(SupplierLeadTime {
            supplier: supplier.to_string(),
            receipts: clean,
            mean: supplier_mean,
            sd: supplier_var.sqrt(),
            median: m,
            mad,
            lower_fence: fences.map(|f| f.0),
            upper_fence: fences.map(|f| f.1),
        });
    }
    outliers.sort_by_key(|o| o.row);
    estimates.sort_by(|a, b| (a.sku.as_str(), a.supplier.as_str()).cmp(&(b.sku.as_str(), b.supplier.as_str())));
    Ok(LeadTimeReport { estimates, suppliers, outliers, rejected })
}

/// An item whose lead time [`fill_item_lead_times`] left unchanged, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemWithoutEstimate {
    /// SKU identifier.
    pub sku: String,
    /// Why no estimate applied.
    pub reason: String,
}

/// What [`fill_item_lead_times`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadTimeFill {
    /// SKUs whose `lead_time` and `lead_time_sd` were replaced by estimates, in item order.
    pub filled: Vec<String>,
    /// Items left as they were, in item order.
    pub without_estimate: Vec<ItemWithoutEstimate>,
}

/// Write the estimates into the item master: `lead_time = mean`, `lead_time_sd = sd`.
///
/// An item with a `supplier` takes the estimate of (SKU, that supplier). An item without one takes
/// the estimate of its SKU when exactly one supplier has delivered it; with several, it is left as
/// it was (the supplier is ambiguous). Items without an estimate keep their typed-in lead time and are
/// listed in [`LeadTimeFill::without_estimate`].
pub fn fill_item_lead_times(items: &mut [ItemMaster], report: &LeadTimeReport) -> LeadTimeFill {
    let mut fill = LeadTimeFill::default();
    for item in items.iter_mut() {
        let found = match &item.supplier {
            Some(s) => report
                .estimate(&item.sku, s)
                .ok_or_else(|| format!("no clean receipts of this SKU from supplier `{s}`")),
            None => {
                let mut of_sku = report.estimates.iter().filter(|e| e.sku == item.sku);
                match (of_sku.next(), of_sku.next()) {
                    (Some(e), None) => Ok(e),
                    (None, _) => Err("no clean receipts of this SKU".to_string()),
                    (Some(_), Some(_)) => {
                        Err("receipts from several suppliers and no `supplier` on the item".to_string())
                    }
                }
            }
        };
        match found {
            Ok(e) => {
                item.lead_time = e.mean;
                item.lead_time_sd = e.sd;
                fill.filled.push(item.sku.clone());
            }
            Err(reason) => fill.without_estimate.push(ItemWithoutEstimate { sku: item.sku.clone(), reason }),
        }
    }
    fill
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, supplier: &str, ordered: f64, received: f64) -> ReceiptLine {
        ReceiptLine {
            sku: sku.into(),
            supplier: supplier.into(),
            ordered_at: Stamp::Period(ordered),
            received_at: Stamp::Period(received),
            quantity: 10.0,
        }
    }

    /// `n` receipts of `sku` with lead times cycling through `lts`.
    fn receipts(sku: &str, supplier: &str, n: usize, lts: &[f64], start: usize) -> Vec<ReceiptLine> {
        (0..n).map(|i| line(sku, supplier, (start + i) as f64, (start + i) as f64 + lts[i % lts.len()])).collect()
    }

    fn item(sku: &str, supplier: Option<&str>) -> ItemMaster {
        let mut it: ItemMaster =
            serde_json::from_value(serde_json::json!({"sku": sku, "unit_cost": 1.0, "lead_time": 9.0})).expect("item");
        it.supplier = supplier.map(str::to_string);
        it
    }

    #[test]
    fn credibility_moves_few_receipts_most_of_the_way() -> Result<()> {
        let mut lines = receipts("busy", "acme", 30, &[9.0, 10.0, 11.0], 0);
        lines.extend(receipts("other", "acme", 20, &[3.0, 4.0, 5.0], 100));
        lines.push(line("rare", "acme", 500.0, 510.0));
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        let supplier = &report.suppliers[0];
        assert_eq!(supplier.receipts, 51);
        let other: Vec<f64> = (0..20).map(|i| [3.0, 4.0, 5.0][i % 3]).collect();
        let other_mean = other.iter().sum::<f64>() / 20.0;
        assert!((supplier.mean - (300.0 + 20.0 * other_mean + 10.0) / 51.0).abs() < 1e-12);
        let moved = |e: &LeadTimeEstimate| (e.raw_mean - e.mean) / (e.raw_mean - supplier.mean);
        let rare = report.estimate("rare", "acme").expect("rare");
        assert_eq!(rare.receipts, 1);
        assert!((rare.credibility - 0.25).abs() < 1e-12);
        assert!((moved(rare) - 0.75).abs() < 1e-12, "1 receipt moves 3/4 of the way: {}", moved(rare));
        let busy = report.estimate("busy", "acme").expect("busy");
        assert!((moved(busy) - 3.0 / 33.0).abs() < 1e-12, "30 receipts move 9%: {}", moved(busy));
        // Pooled within-SKU variance: busy's squares sum to 20 around its mean 10; rare adds none.
        let other_ss: f64 = other.iter().map(|x| (x - other_mean).powi(2)).sum();
        let within = (20.0 + other_ss) / (51.0 - 3.0);
        assert!((supplier.sd - within.sqrt()).abs() < 1e-9, "{} vs {}", supplier.sd, within.sqrt());
        // One receipt: no own variance, the sd is the supplier's.
        assert!((rare.sd - supplier.sd).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn injected_five_fold_lead_time_is_flagged_and_left_out() -> Result<()> {
        let mut lines = receipts("a", "acme", 12, &[4.0, 5.0, 6.0], 0);
        lines.extend(receipts("b", "acme", 8, &[5.0, 6.0], 50));
        lines.push(line("a", "acme", 80.0, 105.0)); // 25 = 5 x the median 5
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        assert_eq!(report.outliers.len(), 1);
        let o = &report.outliers[0];
        assert_eq!((o.row, o.sku.as_str(), o.lead_time), (21, "a", 25.0));
        assert!(o.reason.contains("above the upper fence"), "{}", o.reason);
        let a = report.estimate("a", "acme").expect("a");
        assert_eq!(a.receipts, 12);
        assert!((a.raw_mean - 5.0).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn near_constant_supplier_is_not_over_flagged() -> Result<()> {
        // MAD is 0 (most receipts take exactly 5): the spread floor keeps 6 in, flags 10.
        let mut lines = receipts("a", "acme", 10, &[5.0], 0);
        lines.push(line("a", "acme", 40.0, 46.0));
        lines.push(line("a", "acme", 50.0, 60.0));
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        assert_eq!(report.suppliers[0].mad, 0.0);
        assert_eq!(report.outliers.iter().map(|o| o.row).collect::<Vec<_>>(), vec![12]);
        Ok(())
    }

    #[test]
    fn few_receipts_are_not_screened() -> Result<()> {
        let lines = vec![line("a", "s", 0.0, 2.0), line("a", "s", 1.0, 3.0), line("a", "s", 2.0, 40.0)];
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        assert!(report.outliers.is_empty());
        assert_eq!(report.suppliers[0].upper_fence, None);
        Ok(())
    }

    #[test]
    fn bad_lines_are_rejected_one_by_one() -> Result<()> {
        let mut bad_quantity = line("a", "s", 0.0, 1.0);
        bad_quantity.quantity = f64::NAN;
        let mut zero_quantity = line("a", "s", 0.0, 1.5);
        zero_quantity.quantity = 0.0;
        let mut mixed = line("a", "s", 0.0, 1.0);
        mixed.received_at = Stamp::Date(NaiveDate::from_ymd_opt(2026, 1, 2).expect("date"));
        let lines = vec![
            line("a", "s", 0.0, 3.0),
            line("a", "s", 5.0, 4.0), // received before ordered
            bad_quantity,
            zero_quantity,
            line("", "s", 0.0, 1.0),
            line("a", " ", 0.0, 1.0),
            line("a", "s", 0.0, 3.0), // duplicate of row 1
            line("a", "s", f64::INFINITY, 3.0),
            mixed,
            line("a", "s", 1.0, 4.0),
        ];
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        let got: Vec<(usize, &str)> = report.rejected.iter().map(|r| (r.row, r.field.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "received_at"),
                (3, "quantity"),
                (4, "quantity"),
                (5, "sku"),
                (6, "supplier"),
                (7, "line"),
                (8, "ordered_at"),
                (9, "received_at")
            ]
        );
        assert!(report.rejected[5].message.contains("duplicate of row 1"), "{}", report.rejected[5].message);
        assert!(report.rejected.iter().all(|r| r.code == "ERR_INVALID_ROW"));
        let a = report.estimate("a", "s").expect("the good lines still count");
        assert_eq!((a.receipts, a.raw_mean), (2, 3.0));
        Ok(())
    }

    #[test]
    fn dates_are_converted_to_periods() -> Result<()> {
        let d = |m: u32, day: u32| Stamp::Date(NaiveDate::from_ymd_opt(2026, m, day).expect("date"));
        let lines = vec![
            ReceiptLine {
                sku: "a".into(),
                supplier: "s".into(),
                ordered_at: d(3, 1),
                received_at: d(3, 15),
                quantity: 5.0,
            },
            ReceiptLine {
                sku: "a".into(),
                supplier: "s".into(),
                ordered_at: d(3, 2),
                received_at: d(3, 23),
                quantity: 5.0,
            },
        ];
        let config = LeadTimeConfig { days_per_period: 7.0, ..LeadTimeConfig::default() };
        let report = lead_times_from_receipts(&lines, &config)?;
        let a = report.estimate("a", "s").expect("a");
        assert!((a.raw_mean - 2.5).abs() < 1e-12); // 14 and 21 days = 2 and 3 weeks
        let json = serde_json::to_string(&lines[0])?;
        assert!(json.contains("\"2026-03-01\""));
        let back: ReceiptLine = serde_json::from_str(&json)?;
        assert_eq!(back, lines[0]);
        let numeric: ReceiptLine =
            serde_json::from_str(r#"{"sku":"a","supplier":"s","ordered_at":3,"received_at":5.5,"quantity":1}"#)?;
        assert_eq!(numeric.received_at, Stamp::Period(5.5));
        Ok(())
    }

    #[test]
    fn items_take_the_estimates() -> Result<()> {
        let mut lines = receipts("a", "s1", 4, &[2.0, 4.0], 0);
        lines.extend(receipts("b", "s1", 2, &[6.0], 10));
        lines.extend(receipts("b", "s2", 2, &[8.0], 20));
        let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
        let mut items =
            vec![item("a", None), item("b", Some("s2")), item("b2", None), item("b", None), item("a", Some("s9"))];
        let fill = fill_item_lead_times(&mut items, &report);
        assert_eq!(fill.filled, vec!["a", "b"]);
        let a = report.estimate("a", "s1").expect("a");
        assert_eq!((items[0].lead_time, items[0].lead_time_sd), (a.mean, a.sd));
        assert_eq!(items[1].lead_time, report.estimate("b", "s2").expect("b").mean);
        let reasons: Vec<(&str, &str)> =
            fill.without_estimate.iter().map(|w| (w.sku.as_str(), w.reason.as_str())).collect();
        assert_eq!(reasons.len(), 3);
        assert_eq!(reasons[0], ("b2", "no clean receipts of this SKU"));
        assert!(reasons[1].1.contains("several suppliers"));
        assert!(reasons[2].1.contains("s9"));
        assert_eq!(items[2].lead_time, 9.0); // unchanged
        Ok(())
    }

    #[test]
    fn loose_records_name_the_bad_field() -> Result<()> {
        let records: Vec<serde_json::Value> = serde_json::from_str(
            r#"[{"sku": "a", "supplier": "s", "ordered_at": 0, "received_at": 3, "quantity": 2},
                {"sku": "a", "supplier": "s", "ordered_at": 1, "received_at": 4, "quantity": null},
                {"supplier": "s", "ordered_at": 1, "received_at": 4, "quantity": 1},
                {"sku": "a", "supplier": "s", "ordered_at": "2026-13-01", "received_at": 4, "quantity": 1},
                [1, 2],
                {"sku": "a", "supplier": "s", "ordered_at": "2026-01-01", "received_at": "2026-01-05", "quantity": 1}]"#,
        )?;
        let report = lead_times_from_records(&records, &LeadTimeConfig::default())?;
        let got: Vec<(usize, &str)> = report.rejected.iter().map(|r| (r.row, r.field.as_str())).collect();
        assert_eq!(got, vec![(2, "quantity"), (3, "sku"), (4, "ordered_at"), (5, "line")]);
        let a = report.estimate("a", "s").expect("a");
        assert_eq!((a.receipts, a.raw_mean), (2, 3.5));
        Ok(())
    }

    #[test]
    fn bad_config_is_named() {
        let bad = |config: LeadTimeConfig| match lead_times_from_receipts(&[], &config) {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        let base = LeadTimeConfig::default();
        assert_eq!(bad(LeadTimeConfig { days_per_period: 0.0, ..base.clone() }), "days_per_period");
        assert_eq!(bad(LeadTimeConfig { credibility_k: f64::NAN, ..base.clone() }), "credibility_k");
        assert_eq!(bad(LeadTimeConfig { outlier_mads: -1.0, ..base.clone() }), "outlier_mads");
        assert_eq!(bad(LeadTimeConfig { min_receipts_for_outliers: 2, ..base }), "min_receipts_for_outliers");
    }
}
