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

mod r_compat;
mod rstats;
mod supsmu;

pub use r_compat::{na_interp, tsoutliers, TsOutliers};
mod detector;
mod robust;

pub use detector::{
    detect_anomalies, detect_anomalies_with, Anomaly, AnomalyKind, AnomalyReport, DemandRegime, DetectorConfig,
    DEFAULT_THRESHOLD, INTERMITTENT_ZERO_SHARE, MAX_ANOMALY_SEASON_LENGTH, MIN_ANOMALY_POINTS,
};
mod clean;

pub use clean::{apply_cleaning, clean, Cleaned, CleaningChoice};
