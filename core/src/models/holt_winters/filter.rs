//! The Holt-Winters recursions (R's `C_HoltWinters` filter, with optional trend damping).
//!
//! For `t = m, …, n-1` (0-based; R's `start.time = m + 1`), with `s` the seasonal index of one
//! season earlier and `φ` the damping factor (`φ = 1`: R's undamped filter):
//!
//! ```text
//! additive:        ŷ_t = ℓ + φb + s        ℓ' = α(y_t - s) + (1-α)(ℓ + φb)      s' = γ(y_t - ℓ') + (1-γ)s
//! multiplicative:  ŷ_t = (ℓ + φb)·s        ℓ' = α(y_t / s) + (1-α)(ℓ + φb)      s' = γ(y_t / ℓ') + (1-γ)s
//! trend:           b' = β(ℓ' - ℓ) + (1-β)φb
//! ```
//!
//! `SSE = Σ (y_t - ŷ_t)²`. Sources: R `src/library/stats/src/HoltWinters.c`; damping as in Gardner &
//! McKenzie (1985), *Forecasting trends in time series*, Management Science 31(10).

use super::start::StartValues;
use super::Seasonality;

/// Smoothing parameters of one filter run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Smoothing {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// Everything the filter produces on one pass.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterOutput {
    /// Sum of squared one-step errors over `t >= m`.
    pub sse: f64,
    /// One-step fitted values aligned with `x` (NaN for `t < m`).
    pub fitted: Vec<f64>,
    /// Final level `a`.
    pub level: f64,
    /// Final trend `b`.
    pub trend: f64,
    /// Final seasonal indices `s_1, …, s_m` (for periods `n+1, …, n+m`).
    pub season: Vec<f64>,
}

/// Run the filter, calling `on_step(t, ŷ_t)` for every filtered period; returns the final state.
fn run(
    x: &[f64],
    m: usize,
    seasonality: Seasonality,
    p: Smoothing,
    start: &StartValues,
    mut on_step: impl FnMut(usize, f64),
) -> (f64, f64, Vec<f64>) {
    let (mut level, mut trend) = (start.level, start.trend);
    // Ring buffer of the last m seasonal indices: season[t % m] is the index of period t - m.
    let mut season = start.season.clone();
    for (t, &y) in x.iter().enumerate().skip(m) {
        let slot = t % m;
        let s = season[slot];
        let damped = level + p.phi * trend;
        let (xhat, new_level) = match seasonality {
            Seasonality::Additive => (damped + s, p.alpha * (y - s) + (1.0 - p.alpha) * damped),
            Seasonality::Multiplicative => (damped * s, p.alpha * (y / s) + (1.0 - p.alpha) * damped),
        };
        on_step(t, xhat);
        let new_trend = p.beta * (new_level - level) + (1.0 - p.beta) * p.phi * trend;
        season[slot] = match seasonality {
            Seasonality::Additive => p.gamma * (y - new_level) + (1.0 - p.gamma) * s,
            Seasonality::Multiplicative => p.gamma * (y / new_level) + (1.0 - p.gamma) * s,
        };
        level = new_level;
        trend = new_trend;
    }
    // Reorder so that element j is the index for period n + 1 + j.
    let n = x.len();
    let ordered = (0..m).map(|j| season[(n + j) % m]).collect();
    (level, trend, ordered)
}

/// Sum of squared one-step errors only (the optimiser's objective).
pub(crate) fn sse(x: &[f64], m: usize, seasonality: Seasonality, p: Smoothing, start: &StartValues) -> f64 {
    let mut sse = 0.0;
    run(x, m, seasonality, p, start, |t, xhat| {
        let e = x[t] - xhat;
        sse += e * e;
    });
    sse
}

/// Full pass: SSE, fitted values and final state.
pub(crate) fn filter(x: &[f64], m: usize, seasonality: Seasonality, p: Smoothing, start: &StartValues) -> FilterOutput {
    let mut fitted = vec![f64::NAN; x.len()];
    let mut sse = 0.0;
    let (level, trend, season) = run(x, m, seasonality, p, start, |t, xhat| {
        fitted[t] = xhat;
        let e = x[t] - xhat;
        sse += e * e;
    });
    FilterOutput { sse, fitted, level, trend, season }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_additive_pattern_has_zero_error() {
        // Exact linear trend plus fixed season: with exact start values every error is zero.
        let x: Vec<f64> = (0..12).map(|t| 5.0 + 0.5 * t as f64 + [2.0, -1.0, -1.0][t % 3]).collect();
        let start = StartValues { level: 5.0 + 0.5 * 2.0, trend: 0.5, season: vec![2.0, -1.0, -1.0] };
        let p = Smoothing { alpha: 0.4, beta: 0.2, gamma: 0.3, phi: 1.0 };
        let out = filter(&x, 3, Seasonality::Additive, p, &start);
        assert!(out.sse < 1e-20, "{}", out.sse);
        assert!(out.fitted[..3].iter().all(|v| v.is_nan()));
        assert!((out.level - (5.0 + 0.5 * 11.0)).abs() < 1e-12);
        assert!((out.season[0] - 2.0).abs() < 1e-12);
    }
}
