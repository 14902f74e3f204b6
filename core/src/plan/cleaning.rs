//! Cleaning a SKU's demand history before the model is fitted ([`super::PlanConfig::clean_anomalies`]).
//!
//! The default detector ([`crate::anomaly::detect_anomalies`]) runs on the history with the season
//! length of the plan's model (the shortest seasonal period it is given; 1 for a non-seasonal
//! model), and the configured [`CleaningChoice`] is applied:
//!
//! - `Replace`: each flagged point takes the detector's replacement (what its neighbours and season
//!   predict).
//! - `LeaveOut`: each flagged point becomes a gap, and since the models need a finite series the gaps
//!   are filled by R's `na.interp` ([`crate::anomaly::na_interp`]: linear, or the Fourier + robust MSTL
//!   fill for a seasonal series), so the flagged values have no say in what replaces them.
//! - `Keep`: the history is fitted as it is; the flags are only reported.
//!
//! A SKU whose demand is lumpy (Syntetos-Boylan: infrequent and of irregular size) even after
//! cleaning is fitted as it is, whatever the choice, and its flags are only reported: its large
//! lumps are its demand. Measured in the closed-loop replay (`tests/tests/suite/plan_cleaning.rs`,
//! no anomaly injected): cleaning every lumpy SKU cut their achieved cycle service by 1.6 to 4.1
//! points; with this rule by 1.4 to 2.5 (docs/anomalies.md); every other pattern was unchanged.
//!
//! The cleaned history is what the plan believes demand was: it is fitted, classified (demand
//! pattern) and valued (ABC), and the flags are reported in [`super::SkuPlan::anomalies`].

use crate::anomaly::{apply_cleaning, detect_anomalies, na_interp, Anomaly, CleaningChoice};
use crate::demand::{classify_demand, DemandPattern};
use crate::error::Result;
use crate::models::ModelSpec;

/// A SKU's history after cleaning, with the flags the detector raised.
pub(crate) struct CleanedHistory {
    /// The history to fit (finite everywhere).
    pub(crate) demand: Vec<f64>,
    /// Every flagged point (whatever the choice).
    pub(crate) anomalies: Vec<Anomaly>,
}

/// Detect anomalies in `demand` with the season of `model` and apply `choice`.
pub(crate) fn clean_history(demand: &[f64], choice: CleaningChoice, model: &ModelSpec) -> Result<CleanedHistory> {
    let season = detector_season(model);
    let report = detect_anomalies(demand, season)?;
    let anomalies = report.anomalies.clone();
    let cleaned = apply_cleaning(demand, report, choice);
    let cleaned = match choice {
        CleaningChoice::LeaveOut if !anomalies.is_empty() => na_interp(&cleaned.y, &[season])?,
        _ => cleaned.y,
    };
    let lumpy = !anomalies.is_empty() && classify_demand(&cleaned)?.pattern == DemandPattern::Lumpy;
    let demand = if lumpy { demand.to_vec() } else { cleaned };
    Ok(CleanedHistory { demand, anomalies })
}

/// The detector's season length for a model: the shortest seasonal period the model is given (the
/// pattern with the most cycles in the history), 1 when it has none.
pub(crate) fn detector_season(model: &ModelSpec) -> usize {
    let shortest = |periods: &[usize]| periods.iter().copied().filter(|&p| p > 1).min().unwrap_or(1);
    match model {
        ModelSpec::AutoModel(m) => shortest(m.season_length.as_given()),
        ModelSpec::Ensemble(m) => shortest(m.season_length.as_given()),
        ModelSpec::Mstl(m) => shortest(&m.periods),
        ModelSpec::Conformal(m) => shortest(&[m.season_length]),
        ModelSpec::SeasonalNaive(m) => shortest(&[m.season_length]),
        ModelSpec::Ets(m) => shortest(&[m.season_length]),
        ModelSpec::AutoEts(m) => shortest(&[m.season_length]),
        ModelSpec::HoltWinters(m) => shortest(&[m.season_length]),
        ModelSpec::Theta(m) => shortest(&[m.season_length]),
        ModelSpec::AutoTheta(m) => shortest(&[m.season_length]),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{AutoModel, Mstl, Naive};

    fn spiky() -> Vec<f64> {
        let mut y: Vec<f64> = (0..60).map(|t| 20.0 + ((t * 13) % 5) as f64).collect();
        y[30] = 120.0;
        y
    }

    #[test]
    fn lumpy_demand_is_reported_not_cleaned() {
        let mut y = vec![0.0; 60];
        for (i, size) in [(3, 4.0), (11, 30.0), (19, 2.0), (26, 12.0), (37, 3.0), (45, 25.0), (52, 6.0)] {
            y[i] = size;
        }
        y[58] = 400.0;
        let out = clean_history(&y, CleaningChoice::Replace, &ModelSpec::Naive(Naive::new())).expect("cleans");
        assert!(out.anomalies.iter().any(|a| a.index == 58));
        assert_eq!(out.demand, y);
    }

    #[test]
    fn the_season_comes_from_the_model() {
        assert_eq!(detector_season(&ModelSpec::AutoModel(AutoModel::new(vec![365, 7]))), 7);
        assert_eq!(detector_season(&ModelSpec::Mstl(Mstl::new(&[24, 168]))), 24);
        assert_eq!(detector_season(&ModelSpec::Naive(Naive::new())), 1);
    }

    #[test]
    fn each_choice_gives_a_finite_history_and_the_flags() {
        let y = spiky();
        let model = ModelSpec::Naive(Naive::new());
        for choice in [CleaningChoice::Replace, CleaningChoice::LeaveOut, CleaningChoice::Keep] {
            let out = clean_history(&y, choice, &model).expect("cleans");
            assert_eq!(out.anomalies.iter().map(|a| a.index).collect::<Vec<_>>(), vec![30], "{choice:?}");
            assert!(out.demand.iter().all(|v| v.is_finite()), "{choice:?}");
            let expected = if choice == CleaningChoice::Keep { 120.0 } else { 22.0 };
            assert!((out.demand[30] - expected).abs() < 3.0, "{choice:?}: {}", out.demand[30]);
        }
    }
}
