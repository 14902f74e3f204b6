//! Drift detection on forecast errors and the retrain decision.
//!
//! - [`welch_t_test`]: Welch's unequal-variance t-test (two-sided and one-sided p-values).
//! - [`ks_two_sample`]: two-sample Kolmogorov-Smirnov test, exact p-value for samples up to
//!   [`KS_EXACT_MAX_N`], asymptotic beyond (the same rule as `scipy.stats.ks_2samp`).
//! - [`tracking_signal`], [`PageHinkley`], [`Cusum`]: sequential monitors of forecast errors.
//! - [`RetrainPolicy`]: combines accuracy thresholds, a drift test and a maximum model age into a
//!   serializable [`RetrainDecision`].
//!
//! Each submodule states its formulas and sources; `docs/monitoring.md` gives the overview. The test
//! p-values agree with scipy 1.17 to 1e-8 (`tests/tests/suite/drift_scipy.rs`).
//!
//! ```
//! use forestock::drift::{welch_t_test, ks_two_sample, Cusum};
//! let baseline = [0.3, -0.2, 0.1, -0.4, 0.2, 0.0, -0.1, 0.3];
//! let recent = [1.2, 0.9, 1.4, 1.1, 0.8, 1.3, 1.0, 1.5];
//! assert!(welch_t_test(&recent, &baseline)?.p_greater < 0.01);
//! assert!(ks_two_sample(&recent, &baseline)?.p_value < 0.01);
//! let run = Cusum::new(0.0, 0.25).run(&[&baseline[..], &recent[..]].concat())?;
//! assert_eq!(run.alarm.map(|a| a.index), Some(9)); // S⁺ reaches exactly 5.0 at index 8, 8.1 at 9
//! # Ok::<(), forestock::Error>(())
//! ```

mod detectors;
mod kolmogorov;
mod ks;
mod policy;
mod welch;

pub use detectors::{tracking_signal, Alarm, Cusum, DetectorRun, PageHinkley, ShiftDirection};
pub use ks::{ks_two_sample, KsMethod, KsTest, KS_EXACT_MAX_N};
pub use policy::{DriftTest, DriftTestKind, ModelHealth, Reason, RetrainDecision, RetrainPolicy, SkippedCheck};
pub use welch::{welch_t_test, WelchTest};
