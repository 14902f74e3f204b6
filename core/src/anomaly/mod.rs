//! Outlier detection and cleaning of demand history.
//!
//! - [`tsoutliers`] and [`na_interp`]: R forecast 8.20's functions, with R's numbers (parity tests
//!   against R in `tests/`).
//! - [`detect_anomalies`]: forestock's default detector, robust to seasonality, trend and intermittent
//!   demand; each flag carries its score, its reason and a suggested replacement.
//! - [`clean`]: apply a [`CleaningChoice`] (replace, leave out, keep) and get the cleaned series with
//!   the report.
//!
//! `docs/anomalies.md` gives the formulas, sources and measured figures.
//!
//! ```
//! use forestock::anomaly::{clean, detect_anomalies, CleaningChoice};
//! let mut y: Vec<f64> = (0..48).map(|t| 100.0 + 10.0 * ((t % 12) as f64) + (t % 5) as f64).collect();
//! y[20] += 80.0;
//! let report = detect_anomalies(&y, 12)?;
//! assert_eq!(report.indices(), vec![20]);
//! assert!(report.anomalies[0].reason.starts_with("spike"));
//! let cleaned = clean(&y, 12, CleaningChoice::Replace)?;
//! assert!((cleaned.y[20] - 180.0).abs() < 10.0); // 100 + 10 * (20 % 12), the seasonal value
//! # Ok::<(), forestock::Error>(())
//! ```

mod r_compat;
mod rstats;
mod seasonal_fill;
mod supsmu;

pub use r_compat::{na_interp, tsoutliers, TsOutliers};
mod detector;
pub(crate) mod robust;

pub use detector::{
    detect_anomalies, detect_anomalies_with, Anomaly, AnomalyKind, AnomalyReport, DemandRegime, DetectorConfig,
    DEFAULT_SIDE_THRESHOLD, DEFAULT_THRESHOLD, INTERMITTENT_ZERO_SHARE, MAX_ANOMALY_SEASON_LENGTH, MIN_ANOMALY_POINTS,
};
mod clean;

pub use clean::{apply_cleaning, clean, Cleaned, CleaningChoice};
