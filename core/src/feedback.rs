//! Learning from what happens after a plan: planners' decisions on orders, the demand that followed,
//! per-SKU ensemble weights adapted from the realised errors, and a report on the planners' overrides.
//!
//! - [`record_decision`] appends a planner's decision on a recommended order (approved, rejected or
//!   adjusted) to an append-only JSON-lines store and to the hash-chained audit log
//!   ([`crate::audit`]).
//! - [`record_actuals`] appends the demand realised in a period with the forecast each model (each
//!   ensemble member, [`crate::plan::SkuPlan::member_forecasts`]) made for it; the core stores the
//!   realised error of every model.
//! - [`adapted_weights`] turns a SKU's realised errors into ensemble weights ([`AdaptRule`]); the plan
//!   uses them through [`crate::plan::PlanConfig::ensemble_weights`].
//! - [`feedback_report`] summarises the decisions per SKU and per ABC class: approval rate, mean
//!   adjustment, override bias, and whether the overrides came closer to the demand than the
//!   recommendations.
//!
//! Both stores are JSON lines, one record per line, written like the audit log: each append takes an
//! exclusive advisory lock on the file ([`crate::store::lock_exclusive`]), re-reads and checks the
//! file under the lock (a corrupt line is an [`crate::Error::CorruptRecord`] naming the file and line,
//! and nothing is appended after it), writes the whole line in one write and fsyncs before unlocking.
//! A crash leaves at worst a torn last line, which the next read names.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use forestock::feedback::{self, AdaptRule, DecisionInput};
//! let dir = std::env::temp_dir().join(format!("forestock-feedback-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let (decisions, actuals) = (dir.join("decisions.jsonl"), dir.join("actuals.jsonl"));
//! # let _ = std::fs::remove_file(&decisions); let _ = std::fs::remove_file(&actuals);
//! let at = Utc.with_ymd_and_hms(2026, 1, 5, 6, 0, 0).unwrap();
//! let input = DecisionInput::new("A-1", 100.0, "adjusted", Some(120.0), "ana", at);
//! feedback::record_decision(&decisions, None, &input)?;
//! let forecasts = [("ets".to_string(), 30.0), ("theta".to_string(), 36.0)].into_iter().collect();
//! feedback::record_actuals(&actuals, "A-1", at, 35.0, Some(33.0), &forecasts)?;
//! let w = feedback::adapted_weights(&actuals, "A-1", None, AdaptRule::default())?;
//! assert!(w.weights[1] > w.weights[0]); // theta was closer
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), forestock::Error>(())
//! ```

mod records;
mod report;
mod weights;

pub use records::{
    load_actuals, load_decisions, record_actuals, record_decision, ActualRecord, DecisionInput, DecisionKind,
    DecisionRecord,
};
pub use report::{
    feedback_report, report_from, FeedbackReport, FeedbackSummary, OverrideVerdict, BIAS_SIGNIFICANCE, UNCLASSIFIED,
};
pub use weights::{adapt_weights, adapted_weights, AdaptRule, AdaptedWeights};
