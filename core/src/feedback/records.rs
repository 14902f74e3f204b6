//! The two append-only stores of the feedback loop: planners' decisions and realised actuals.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditKind};
use crate::error::{Error, Result};
use crate::store;

/// What a planner did with a recommended order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// The recommended quantity is ordered as is.
    Approved,
    /// Nothing is ordered.
    Rejected,
    /// Another quantity (≥ 0) is ordered.
    Adjusted,
}

impl DecisionKind {
    /// Every decision, in declaration order.
    pub const ALL: [DecisionKind; 3] = [DecisionKind::Approved, DecisionKind::Rejected, DecisionKind::Adjusted];

    /// The serialized name, e.g. `"adjusted"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approved => "approved",
            DecisionKind::Rejected => "rejected",
            DecisionKind::Adjusted => "adjusted",
        }
    }

    /// Parse a decision name; an unknown one is an [`Error::InvalidParameter`] on `field` (the name
    /// the caller used for the argument) listing the valid names.
    pub fn parse(field: &str, name: &str) -> Result<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|d| d.as_str() == name).ok_or_else(|| {
            Error::invalid_parameter(field, format!("{name:?}"), "must be one of approved, rejected, adjusted")
        })
    }
}

/// A decision as the caller gives it, before validation ([`record_decision`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionInput<'a> {
    /// The SKU.
    pub sku: &'a str,
    /// The recommended order quantity.
    pub recommendation: f64,
    /// `approved`, `rejected` or `adjusted`.
    pub decision: &'a str,
    /// The quantity ordered: required for `adjusted` (≥ 0); for `approved` it may be omitted or must
    /// equal the recommendation; for `rejected` it may be omitted or must be 0.
    pub quantity: Option<f64>,
    /// Who decided.
    pub by: &'a str,
    /// When.
    pub at: DateTime<Utc>,
}

impl<'a> DecisionInput<'a> {
    /// A decision input (see the fields).
    pub fn new(
        sku: &'a str,
        recommendation: f64,
        decision: &'a str,
        quantity: Option<f64>,
        by: &'a str,
        at: DateTime<Utc>,
    ) -> Self {
        DecisionInput { sku, recommendation, decision, quantity, by, at }
    }
}

/// One stored decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The SKU.
    pub sku: String,
    /// The recommended order quantity.
    pub recommendation: f64,
    /// What the planner did.
    pub decision: DecisionKind,
    /// The quantity ordered (the recommendation when approved, 0 when rejected).
    pub quantity: f64,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl DecisionRecord {
    /// Validate an input: a non-empty `sku` and `by`, a finite `recommendation` ≥ 0, a known
    /// `decision`, and a `quantity` consistent with it (see [`DecisionInput::quantity`]).
    pub fn from_input(input: &DecisionInput<'_>) -> Result<DecisionRecord> {
        check_name("sku", input.sku)?;
        check_name("by", input.by)?;
        check_quantity("recommendation", input.recommendation)?;
        let decision = DecisionKind::parse("decision", input.decision)?;
        if let Some(q) = input.quantity {
            check_quantity("quantity", q)?;
        }
        let quantity = match (decision, input.quantity) {
            (DecisionKind::Approved, None) => input.recommendation,
            (DecisionKind::Approved, Some(q)) if q == input.recommendation => q,
            (DecisionKind::Approved, Some(q)) => {
                return Err(Error::invalid_parameter(
                    "quantity",
                    q,
                    format!(
                        "an approved order takes the recommended quantity {}; record a different one as `adjusted`",
                        input.recommendation
                    ),
                ))
            }
            (DecisionKind::Rejected, None) => 0.0,
            (DecisionKind::Rejected, Some(0.0)) => 0.0,
            (DecisionKind::Rejected, Some(q)) => {
                return Err(Error::invalid_parameter("quantity", q, "a rejected order has quantity 0 (or none)"))
            }
            (DecisionKind::Adjusted, Some(q)) => q,
            (DecisionKind::Adjusted, None) => {
                return Err(Error::invalid_parameter("quantity", "none", "an adjusted decision needs a quantity >= 0"))
            }
        };
        Ok(DecisionRecord {
            sku: input.sku.to_string(),
            recommendation: input.recommendation,
            decision,
            quantity,
            by: input.by.to_string(),
            at: input.at,
        })
    }
}

/// The demand realised by one SKU in one period, with the forecasts made for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActualRecord {
    /// The SKU.
    pub sku: String,
    /// The period (its start, or any instant that orders the periods of a SKU).
    pub at: DateTime<Utc>,
    /// Realised demand.
    pub actual: f64,
    /// The plan's forecast for the period (the combined forecast the order was sized from), when
    /// known; the feedback report judges overrides against it.
    #[serde(default)]
    pub forecast: Option<f64>,
    /// Each model's forecast for the period, by model (ensemble member) name.
    pub forecasts: BTreeMap<String, f64>,
    /// Each model's realised error `forecast − actual`, by model name (computed by the core).
    pub errors: BTreeMap<String, f64>,
}

fn check_name(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_parameter(field, format!("{value:?}"), "must not be empty"));
    }
    Ok(())
}

fn check_quantity(field: &str, value: f64) -> Result<()> {
    if !(value.is_finite() && value >= 0.0) {
        return Err(Error::invalid_parameter(field, value, "must be a finite number >= 0"));
    }
    Ok(())
}

fn stamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Append a planner's decision to the decision store at `path` (created if absent) and, with
/// `audit_log`, to that hash-chained audit log as a `decision` record
/// ([`audit::order_decision_payload`]). The input is validated first ([`DecisionRecord::from_input`]);
/// a decision stamped before the SKU's last stored decision is refused (`at`). The audit record is
/// appended while the store is locked and before the store's line, so a failed audit append leaves
/// both unchanged; a crash between the two leaves the decision in the audit log only (the log is
/// the authoritative record). Returns the stored record.
pub fn record_decision(
    path: impl AsRef<Path>,
    audit_log: Option<&Path>,
    input: &DecisionInput<'_>,
) -> Result<DecisionRecord> {
    let record = DecisionRecord::from_input(input)?;
    append_checked(path.as_ref(), &record, |existing: &[DecisionRecord]| {
        if let Some(last) = existing.iter().rev().find(|d| d.sku == record.sku)
            && record.at < last.at
        {
            return Err(Error::invalid_parameter(
                "at",
                stamp(&record.at),
                format!("precedes the last decision recorded for `{}` ({})", record.sku, stamp(&last.at)),
            ));
        }
        if let Some(log) = audit_log {
            let payload = audit::order_decision_payload(
                &record.sku,
                record.recommendation,
                record.decision.as_str(),
                record.quantity,
                &record.by,
            );
            // The log's records are in time order across every SKU; the caller's name is `at`.
            audit::append_to_file(log, record.at, AuditKind::Decision, payload).map_err(|e| match e {
                Error::InvalidParameter { name, value, reason } if name == "timestamp" => {
                    Error::InvalidParameter { name: "at".into(), value, reason: format!("audit log: {reason}") }
                }
                other => other,
            })?;
        }
        Ok(())
    })?;
    Ok(record)
}

/// Append the demand `actual` realised by `sku` in the period `at` to the actuals store at `path`
/// (created if absent), with the plan's `forecast` for it (optional) and each model's forecast
/// `forecasts` (by model name, at least one); the core stores each model's error
/// `forecast − actual`. Every value must be finite and ≥ 0; periods of a SKU must be recorded in
/// increasing order (`at` after the SKU's last period, one actual per period). Returns the record.
pub fn record_actuals(
    path: impl AsRef<Path>,
    sku: &str,
    at: DateTime<Utc>,
    actual: f64,
    forecast: Option<f64>,
    forecasts: &BTreeMap<String, f64>,
) -> Result<ActualRecord> {
    check_name("sku", sku)?;
    check_quantity("actual", actual)?;
    if let Some(f) = forecast {
        check_quantity("forecast", f)?;
    }
    if forecasts.is_empty() {
        return Err(Error::invalid_parameter("forecasts", "{}", "needs at least one model's forecast"));
    }
    for (model, f) in forecasts {
        check_name("forecasts", model)?;
        check_quantity(&format!("forecasts.{model}"), *f)?;
    }
    let errors = forecasts.iter().map(|(m, f)| (m.clone(), f - actual)).collect();
    let record = ActualRecord { sku: sku.to_string(), at, actual, forecast, forecasts: forecasts.clone(), errors };
    append_checked(path.as_ref(), &record, |existing: &[ActualRecord]| {
        match existing.iter().rev().find(|a| a.sku == record.sku) {
            Some(last) if record.at <= last.at => Err(Error::invalid_parameter(
                "at",
                stamp(&record.at),
                format!("must follow the last period recorded for `{}` ({})", record.sku, stamp(&last.at)),
            )),
            _ => Ok(()),
        }
    })?;
    Ok(record)
}

/// Every decision in the store at `path`, oldest first (read under a shared lock; a line that is not
/// a decision is an [`Error::CorruptRecord`] naming the file and line).
pub fn load_decisions(path: impl AsRef<Path>) -> Result<Vec<DecisionRecord>> {
    load(path.as_ref())
}

/// Every actual in the store at `path`, oldest first (as [`load_decisions`]).
pub fn load_actuals(path: impl AsRef<Path>) -> Result<Vec<ActualRecord>> {
    load(path.as_ref())
}

fn load<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut file = std::fs::File::open(path).map_err(|e| store::io_error(path, "cannot open", e))?;
    file.lock_shared().map_err(|e| store::io_error(path, "cannot lock", e))?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(|e| store::io_error(path, "cannot read", e))?;
    parse_lines(path, &text)
}

/// Parse JSON lines (blank lines skipped); a bad line names the file and its 1-based number.
fn parse_lines<T: DeserializeOwned>(path: &Path, text: &str) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(line).map_err(|e| Error::CorruptRecord {
            position: format!("{} line {}", path.display(), index + 1),
            reason: format!("{e}; a torn write? repair the file before appending"),
        })?;
        out.push(record);
    }
    Ok(out)
}

/// Lock the store, read and parse it, let `check` refuse the new record (it may also write elsewhere
/// while the lock is held), then append the record as one line and fsync.
fn append_checked<T: Serialize + DeserializeOwned>(
    path: &Path,
    record: &T,
    check: impl FnOnce(&[T]) -> Result<()>,
) -> Result<()> {
    let mut file = store::lock_exclusive(path)?;
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).map_err(|e| store::io_error(path, "cannot read", e))?;
    file.read_to_string(&mut text).map_err(|e| store::io_error(path, "cannot read", e))?;
    let existing: Vec<T> = parse_lines(path, &text)?;
    check(&existing)?;
    let mut line = Vec::new();
    if !(text.is_empty() || text.ends_with('\n')) {
        line.push(b'\n');
    }
    line.extend_from_slice(serde_json::to_string(record)?.as_bytes());
    line.push(b'\n');
    file.write_all(&line).map_err(|e| store::io_error(path, "cannot append to", e))?;
    file.sync_data().map_err(|e| store::io_error(path, "cannot sync", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 6, 0, 0).single().expect("valid time")
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("forestock-feedback-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn decisions_are_validated_with_the_callers_field_names() {
        let ok =
            |d: &str, q: Option<f64>| DecisionRecord::from_input(&DecisionInput::new("A", 10.0, d, q, "ana", t(1)));
        assert_eq!(ok("approved", None).expect("approved").quantity, 10.0);
        assert_eq!(ok("rejected", None).expect("rejected").quantity, 0.0);
        assert_eq!(ok("adjusted", Some(12.5)).expect("adjusted").quantity, 12.5);
        let field = |d: &str, q: Option<f64>| match ok(d, q).expect_err("invalid") {
            Error::InvalidParameter { name, .. } => name,
            other => panic!("{other}"),
        };
        assert_eq!(field("aproved", None), "decision");
        assert_eq!(field("adjusted", None), "quantity");
        assert_eq!(field("adjusted", Some(-1.0)), "quantity");
        assert_eq!(field("adjusted", Some(f64::NAN)), "quantity");
        assert_eq!(field("approved", Some(11.0)), "quantity");
        assert_eq!(field("rejected", Some(3.0)), "quantity");
        let e = DecisionRecord::from_input(&DecisionInput::new("", 1.0, "approved", None, "ana", t(1)));
        assert!(matches!(e, Err(Error::InvalidParameter { ref name, .. }) if name == "sku"));
        let e = DecisionRecord::from_input(&DecisionInput::new("A", f64::INFINITY, "approved", None, "ana", t(1)));
        assert!(matches!(e, Err(Error::InvalidParameter { ref name, .. }) if name == "recommendation"));
    }

    #[test]
    fn stores_append_check_order_and_name_corrupt_lines() {
        let dir = scratch("stores");
        let (decisions, actuals, log) = (dir.join("d.jsonl"), dir.join("a.jsonl"), dir.join("audit.jsonl"));
        record_decision(&decisions, Some(&log), &DecisionInput::new("A", 10.0, "adjusted", Some(12.0), "ana", t(2)))
            .expect("first");
        let e = record_decision(&decisions, Some(&log), &DecisionInput::new("A", 10.0, "approved", None, "ana", t(1)))
            .expect_err("earlier than the last");
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "at"), "{e}");
        // Another SKU may be earlier in the store, but not in the audit log, which is in time order.
        let e = record_decision(&decisions, Some(&log), &DecisionInput::new("B", 5.0, "approved", None, "bo", t(1)))
            .expect_err("earlier than the audit log's last record");
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "at"), "{e}");
        assert_eq!(load_decisions(&decisions).expect("load").len(), 1);
        record_decision(&decisions, None, &DecisionInput::new("B", 5.0, "approved", None, "bo", t(1)))
            .expect("another SKU may be earlier");
        record_decision(&decisions, Some(&log), &DecisionInput::new("B", 5.0, "rejected", None, "bo", t(2)))
            .expect("same time as the log's last record");
        assert_eq!(load_decisions(&decisions).expect("load").len(), 3);
        let audit = crate::audit::AuditLog::load(&log).expect("audit");
        assert_eq!(audit.len(), 2);
        assert!(audit.verify().is_ok());
        assert_eq!(audit.records()[0].payload["decision"], "adjusted");

        let forecasts: BTreeMap<String, f64> = [("ETS".to_string(), 9.0)].into_iter().collect();
        let r = record_actuals(&actuals, "A", t(3), 11.0, Some(9.5), &forecasts).expect("actual");
        assert_eq!(r.errors["ETS"], -2.0);
        let e = record_actuals(&actuals, "A", t(3), 11.0, None, &forecasts).expect_err("same period");
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "at"), "{e}");
        let e = record_actuals(&actuals, "A", t(4), f64::NAN, None, &forecasts).expect_err("nan");
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "actual"), "{e}");
        let bad: BTreeMap<String, f64> = [("ETS".to_string(), -1.0)].into_iter().collect();
        let e = record_actuals(&actuals, "A", t(4), 1.0, None, &bad).expect_err("negative");
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "forecasts.ETS"), "{e}");

        // A torn last line: reads and appends name it, nothing is appended after it.
        let mut f = std::fs::OpenOptions::new().append(true).open(&actuals).expect("open");
        f.write_all(b"{\"sku\":\"A\",\"at\":").expect("tear");
        drop(f);
        let e = load_actuals(&actuals).expect_err("torn");
        assert!(matches!(e, Error::CorruptRecord { ref position, .. } if position.ends_with("line 2")), "{e}");
        let e = record_actuals(&actuals, "A", t(5), 1.0, None, &forecasts).expect_err("torn");
        assert_eq!(e.code(), "ERR_CORRUPT_RECORD");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
