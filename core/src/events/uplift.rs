//! Event uplifts: learned from an event's past periods, applied to a forecast's mean and intervals.
//!
//! **Learning.** An occurrence's uplift is `r_i = y_i / b_i`, the actual over the baseline
//! ([`super::event_baseline`]) at a past period labelled with the event whose baseline is positive:
//! the multiplicative "lift" of promotion analysis (actual sales over baseline sales; Blattberg &
//! Neslin, *Sales Promotion*, 1990, ch. 11; Cooper et al., "PromoCast", Marketing Science 1999).
//! The event's uplift is the median of the `r_i` (robust to one occurrence that coincided with a
//! stock-out or a second promotion, where a mean would follow it). Its spread is the robust SD of
//! `ln r_i` (MAD × 1.4826), the relative variability of one occurrence's lift; with a single
//! occurrence it is `|ln r_1|` (one SD spans from no lift to the lift seen, since one occurrence
//! cannot separate noise from effect).
//!
//! **Applying.** At a future period with events `e` (uplifts `u_e`, spreads `s_e`):
//! - `u = Π u_e` (events at one period combine multiplicatively) and the relative spread of a new
//!   occurrence `s² = Σ s_e² (1 + π / (2 n_e))`: the occurrence's own variability plus that of the
//!   estimated median (asymptotic variance `π σ² / (2 n)`); `s_e = 0` for an uplift given by the user.
//! - mean `μ' = u μ`;
//! - for each interval level with normal quantile `z`, each side's distance `d` from the mean
//!   becomes `d' = sqrt((u d)² + (z μ' s)²)` (delta method for the product of the baseline demand
//!   and an independent uplift: `Var(UX) ≈ u² Var(X) + μ² Var(U)`, `SD(U) ≈ u s`); bounds are
//!   `μ' - d'_lower`, `μ' + d'_upper`, a lower bound that was non-negative stays non-negative.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::anomaly::robust::{median, robust_sd};
use crate::models::Forecast;

/// What the past says about one event of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedUplift {
    /// Event name.
    pub event: String,
    /// Median of actual / baseline over the occurrences (NaN when none had a positive baseline).
    pub uplift: f64,
    /// Robust SD of the log ratios (see the module docs).
    pub spread: f64,
    /// Past periods with the event and a positive baseline.
    pub occurrences: usize,
}

/// Where an applied uplift came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpliftSource {
    /// Given by the caller with the future event.
    Given,
    /// Learned from the event's past periods ([`LearnedUplift`]).
    Learned,
}

/// One future event applied to a forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedEvent {
    /// Forecast period (1 = the first period after the history).
    pub period: usize,
    /// Event name.
    pub event: String,
    /// Factor applied to the mean.
    pub uplift: f64,
    /// Relative spread of the uplift that widened the intervals (0 for a given uplift).
    pub spread: f64,
    /// Given or learned.
    pub source: UpliftSource,
}

/// The uplift of every event labelled in `past` (ascending by name), from actuals `y` and the
/// `baseline`. Labels are `None` or empty for periods without an event.
pub fn learn_uplifts(y: &[f64], baseline: &[f64], past: &[Option<String>]) -> Vec<LearnedUplift> {
    let mut ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for ((label, &actual), &base) in past.iter().zip(y).zip(baseline) {
        let Some(name) = label.as_deref().filter(|s| !s.is_empty()) else { continue };
        let entry = ratios.entry(name).or_default();
        if base > 0.0 && actual.is_finite() {
            entry.push(actual / base);
        }
    }
    ratios
        .into_iter()
        .map(|(event, r)| {
            let uplift = if r.is_empty() { f64::NAN } else { median(&r) };
            let logs: Vec<f64> = r.iter().filter(|&&v| v > 0.0).map(|v| v.ln()).collect();
            let spread = match r.len() {
                0 => 0.0,
                1 => uplift.ln().abs(),
                _ => robust_sd(&logs),
            };
            let spread = if spread.is_finite() { spread } else { 0.0 };
            LearnedUplift { event: event.to_string(), uplift, spread, occurrences: r.len() }
        })
        .collect()
}

/// One event's factor as it applies at a period.
pub(crate) struct Factor {
    pub(crate) period: usize,
    pub(crate) event: String,
    pub(crate) uplift: f64,
    /// Predictive relative spread `s_e sqrt(1 + π / (2 n_e))` (0 when given).
    pub(crate) spread: f64,
    pub(crate) source: UpliftSource,
}

/// Scale `forecast` at each factor's period (periods beyond the forecast are skipped) and return the
/// events applied, by period then input order. See the module docs for the formula.
pub(crate) fn apply_factors(forecast: &mut Forecast, factors: &[Factor]) -> Vec<AppliedEvent> {
    let steps = forecast.mean.len();
    let mut by_period: BTreeMap<usize, Vec<&Factor>> = BTreeMap::new();
    for f in factors.iter().filter(|f| f.period >= 1 && f.period <= steps) {
        by_period.entry(f.period).or_default().push(f);
    }
    let mut applied = Vec::new();
    for (period, list) in by_period {
        let t = period - 1;
        let u: f64 = list.iter().map(|f| f.uplift).product();
        let s = list.iter().map(|f| f.spread * f.spread).sum::<f64>().sqrt();
        let mu = forecast.mean[t];
        let scaled = u * mu;
        for interval in forecast.intervals.iter_mut() {
            let z = crate::models::z_for_level(interval.level);
            let extra = z * scaled * s;
            let (lo, hi) = (interval.lower[t], interval.upper[t]);
            let down = (u * (mu - lo)).hypot(extra);
            let up = (u * (hi - mu)).hypot(extra);
            interval.lower[t] = if lo >= 0.0 { (scaled - down).max(0.0) } else { scaled - down };
            interval.upper[t] = scaled + up;
        }
        forecast.mean[t] = scaled;
        applied.extend(list.into_iter().map(|f| AppliedEvent {
            period,
            event: f.event.clone(),
            uplift: f.uplift,
            spread: f.spread,
            source: f.source,
        }));
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::PredictionInterval;

    #[test]
    fn learned_uplift_is_the_median_ratio() {
        let y = [10.0, 20.0, 10.0, 31.0, 10.0, 100.0, 10.0];
        let b = [10.0; 7];
        let past: Vec<Option<String>> =
            [None, Some("promo"), Some(""), Some("promo"), None, Some("promo"), Some("launch")]
                .iter()
                .map(|s| s.map(str::to_string))
                .collect();
        let learned = learn_uplifts(&y, &b, &past);
        assert_eq!(learned.len(), 2);
        assert_eq!((learned[0].event.as_str(), learned[0].occurrences), ("launch", 1));
        assert_eq!(learned[0].uplift, 1.0);
        assert_eq!(learned[1].event, "promo");
        assert!((learned[1].uplift - 3.1).abs() < 1e-12); // the 10x outlier does not pull it
        assert!(learned[1].spread > 0.0);
    }

    #[test]
    fn the_mean_and_bounds_scale_and_widen() {
        let mut fc = Forecast {
            mean: vec![10.0, 10.0],
            intervals: vec![PredictionInterval { level: 95.0, lower: vec![6.0, 6.0], upper: vec![14.0, 14.0] }],
        };
        let factors = [
            Factor { period: 2, event: "p".into(), uplift: 2.0, spread: 0.0, source: UpliftSource::Given },
            Factor { period: 9, event: "p".into(), uplift: 2.0, spread: 0.0, source: UpliftSource::Given },
        ];
        let applied = apply_factors(&mut fc, &factors);
        assert_eq!(applied.len(), 1);
        assert_eq!(fc.mean, vec![10.0, 20.0]);
        assert_eq!((fc.intervals[0].lower[1], fc.intervals[0].upper[1]), (12.0, 28.0));
        let mut wide = Forecast {
            mean: vec![10.0],
            intervals: vec![PredictionInterval { level: 95.0, lower: vec![6.0], upper: vec![14.0] }],
        };
        let spread = [Factor { period: 1, event: "p".into(), uplift: 2.0, spread: 0.1, source: UpliftSource::Learned }];
        apply_factors(&mut wide, &spread);
        let z = crate::models::z_for_level(95.0);
        let d = (8.0f64).hypot(z * 20.0 * 0.1);
        assert!((wide.intervals[0].upper[0] - (20.0 + d)).abs() < 1e-12);
        assert!((wide.intervals[0].lower[0] - (20.0 - d)).abs() < 1e-12);
    }
}
