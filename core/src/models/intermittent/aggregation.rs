//! Temporal aggregation methods: ADIDA (Nikolopoulos et al. 2011) and IMAPA (Petropoulos & Kourentzes
//! 2015), as statsforecast's `_adida` and `_imapa` (`src/ses.cpp` `chunk_forecast`).
//!
//! Aggregation at level `k`: drop the first `n mod k` values, sum the rest in consecutive buckets of
//! `k`, forecast the bucket sums with optimised SES (`ses` module) and divide by `k`. ADIDA uses
//! `k = round(mean interval)` (Python's round-half-to-even); IMAPA averages the disaggregated
//! forecasts over `k = 1, …, round(mean interval)`. An all-zero series forecasts 0.
//!
//! Fitted values (forestock's definition, O(n)): at level `k`, each period of bucket `b` gets the SES
//! fitted value of bucket `b` divided by `k` (NaN in the first bucket and the dropped head); IMAPA
//! averages the levels where all are defined. statsforecast instead refits on every prefix (O(n²)).

use super::components::demand_intervals;
use super::ses::optimized_ses_forecast;
use super::Estimate;

/// Disaggregated forecast and per-period fitted values at aggregation level `k >= 1`.
fn aggregated(y: &[f64], k: usize) -> (f64, Vec<f64>) {
    let n = y.len();
    let lost = n % k;
    let sums: Vec<f64> = y[lost..].chunks(k).map(|c| c.iter().sum()).collect();
    if sums.is_empty() {
        // Cannot happen for k <= n; statsforecast returns the last value in this case.
        return (y.last().copied().unwrap_or(0.0), vec![f64::NAN; n]);
    }
    let (forecast, bucket_fitted, _) = optimized_ses_forecast(&sums);
    let mut fitted = vec![f64::NAN; n];
    for (t, value) in fitted.iter_mut().enumerate().skip(lost) {
        *value = bucket_fitted[(t - lost) / k] / k as f64;
    }
    (forecast / k as f64, fitted)
}

/// `round(mean interval)` with ties to even, at least 1; `None` for an all-zero series.
fn mean_interval_level(y: &[f64]) -> Option<usize> {
    let intervals = demand_intervals(y);
    if intervals.is_empty() {
        return None;
    }
    let mean = intervals.iter().sum::<f64>() / intervals.len() as f64;
    Some((mean.round_ties_even() as usize).clamp(1, y.len()))
}

fn all_zero(y: &[f64]) -> Estimate {
    let mut fitted = vec![0.0; y.len()];
    if let Some(first) = fitted.first_mut() {
        *first = f64::NAN;
    }
    Estimate { rate: 0.0, fitted, ..Estimate::default() }
}

/// ADIDA: one aggregation level, the rounded mean inter-demand interval.
pub(crate) fn adida(y: &[f64]) -> Estimate {
    let Some(k) = mean_interval_level(y) else { return all_zero(y) };
    let (rate, fitted) = aggregated(y, k);
    Estimate { rate, fitted, aggregation_level: Some(k), ..Estimate::default() }
}

/// IMAPA: the mean of the disaggregated forecasts at levels `1..=round(mean interval)`.
pub(crate) fn imapa(y: &[f64]) -> Estimate {
    let Some(max_level) = mean_interval_level(y) else { return all_zero(y) };
    let per_level: Vec<(f64, Vec<f64>)> = (1..=max_level).map(|k| aggregated(y, k)).collect();
    let levels = per_level.len() as f64;
    let rate = per_level.iter().map(|(f, _)| f).sum::<f64>() / levels;
    let fitted = (0..y.len()).map(|t| per_level.iter().map(|(_, fitted)| fitted[t]).sum::<f64>() / levels).collect();
    Estimate { rate, fitted, aggregation_level: Some(max_level), ..Estimate::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregation_drops_the_head_and_rounds_half_to_even() {
        // intervals [2, 3, 2, 3] mean 2.5 -> level 2 (ties to even).
        let y = [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
        assert_eq!(mean_interval_level(&y), Some(2));
        // Two equal bucket sums [6, 0] (k = 18 of 40): flat SSE, alpha 0.2 -> 0.8*6/18.
        let mut single = vec![0.0; 40];
        single[17] = 6.0;
        assert!((adida(&single).rate - 0.8 * 6.0 / 18.0).abs() < 1e-15);
        assert_eq!(imapa(&[0.0; 7]).rate, 0.0);
    }
}
