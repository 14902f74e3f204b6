//! Cleaning choices for fitting: what to do with the points the detector flags.
//!
//! - [`CleaningChoice::Replace`]: each flagged point takes its suggested replacement (the value its
//!   neighbours and season predict). Every model can fit the result.
//! - [`CleaningChoice::LeaveOut`]: each flagged point becomes a gap (NaN in [`Cleaned::y`], `false` in
//!   [`Cleaned::kept`]). This is for fitting code that handles gaps: a state-space model (ETS) skips
//!   the update at a gap and carries its one-step prediction forward, so the point is replaced by
//!   *the model's own* interpolation rather than the detector's; a regression or a sample statistic
//!   simply drops it. The models of this crate validate that their input is finite, so give them
//!   `Replace` (or fill the gaps with [`super::na_interp`]) until they accept gaps.
//! - [`CleaningChoice::Keep`]: the series is returned unchanged with the report (audit only).

use super::detector::{detect_anomalies, AnomalyReport};
use crate::error::Result;

/// What to do with flagged points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CleaningChoice {
    /// Put the suggested replacement in place of each flagged point.
    #[default]
    Replace,
    /// Turn each flagged point into a gap (NaN) for fitting code that handles gaps.
    LeaveOut,
    /// Leave the series as it is; only report.
    Keep,
}

/// A cleaned series and the report it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cleaned {
    /// The series after the choice was applied (NaN at left-out points).
    pub y: Vec<f64>,
    /// `false` where a point was left out, `true` elsewhere.
    pub kept: Vec<bool>,
    /// The choice applied.
    pub choice: CleaningChoice,
    /// The detector's report (every flag, whatever the choice).
    pub report: AnomalyReport,
}

/// Detect anomalies in `y` with [`detect_anomalies`] and apply `choice`.
pub fn clean(y: &[f64], season_length: usize, choice: CleaningChoice) -> Result<Cleaned> {
    let report = detect_anomalies(y, season_length)?;
    Ok(apply_cleaning(y, report, choice))
}

/// Apply `choice` to `y` using an existing report (positions beyond the series are ignored).
pub fn apply_cleaning(y: &[f64], report: AnomalyReport, choice: CleaningChoice) -> Cleaned {
    let mut out = y.to_vec();
    let mut kept = vec![true; y.len()];
    for a in report.anomalies.iter().filter(|a| a.index < y.len()) {
        match choice {
            CleaningChoice::Replace => out[a.index] = a.replacement,
            CleaningChoice::LeaveOut => {
                out[a.index] = f64::NAN;
                kept[a.index] = false;
            }
            CleaningChoice::Keep => {}
        }
    }
    Cleaned { y: out, kept, choice, report }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spiky() -> Vec<f64> {
        let mut y: Vec<f64> = (0..40).map(|t| 20.0 + ((t * 13) % 5) as f64).collect();
        y[17] = 90.0;
        y
    }

    #[test]
    fn each_choice_does_what_it_says() {
        let y = spiky();
        let r = clean(&y, 1, CleaningChoice::Replace).expect("a value");
        assert_eq!(r.report.indices(), vec![17]);
        assert!(r.y[17] > 19.0 && r.y[17] < 25.0);
        assert!(r.kept.iter().all(|&k| k));
        let l = clean(&y, 1, CleaningChoice::LeaveOut).expect("a value");
        assert!(l.y[17].is_nan());
        assert!(!l.kept[17]);
        assert_eq!(l.kept.iter().filter(|k| !**k).count(), 1);
        let k = clean(&y, 1, CleaningChoice::Keep).expect("a value");
        assert_eq!(k.y, y);
        assert_eq!(k.report.anomalies.len(), 1);
    }
}
