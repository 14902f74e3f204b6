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

/// One period of the recursion from level `level`, trend `trend` and the seasonal index `s` of one
/// season earlier: `(ŷ_t, ℓ', b', s')` (the formulas of the module docs, in this order of operations).
#[inline(always)]
fn step(p: &Smoothing, mult: bool, level: f64, trend: f64, s: f64, y: f64) -> (f64, f64, f64, f64) {
    let damped = level + p.phi * trend;
    let (xhat, new_level) = if mult {
        (damped * s, p.alpha * (y / s) + (1.0 - p.alpha) * damped)
    } else {
        (damped + s, p.alpha * (y - s) + (1.0 - p.alpha) * damped)
    };
    let new_trend = p.beta * (new_level - level) + (1.0 - p.beta) * p.phi * trend;
    let new_season = if mult {
        p.gamma * (y / new_level) + (1.0 - p.gamma) * s
    } else {
        p.gamma * (y - new_level) + (1.0 - p.gamma) * s
    };
    (xhat, new_level, new_trend, new_season)
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
    let mult = seasonality == Seasonality::Multiplicative;
    for (t, &y) in x.iter().enumerate().skip(m) {
        let slot = t % m;
        let (xhat, new_level, new_trend, new_season) = step(&p, mult, level, trend, season[slot], y);
        on_step(t, xhat);
        season[slot] = new_season;
        level = new_level;
        trend = new_trend;
    }
    // Reorder so that element j is the index for period n + 1 + j.
    let n = x.len();
    let ordered = (0..m).map(|j| season[(n + j) % m]).collect();
    (level, trend, ordered)
}

/// Sums of squared one-step errors of several smoothing settings (the optimiser's objective), one
/// per element of `out`, in one pass for up to four: a pass is bound by the latency of its
/// recursion, so independent lanes come almost free. Each lane's arithmetic is [`filter`]'s, in the
/// same order, so its SSE is the same bit for bit.
pub(crate) fn sse_lanes(
    x: &[f64],
    m: usize,
    seasonality: Seasonality,
    ps: &[Smoothing],
    start: &StartValues,
    out: &mut [f64],
) {
    debug_assert!(ps.len() == out.len() && ps.len() <= 4);
    let mult = seasonality == Seasonality::Multiplicative;
    match (ps, mult) {
        ([p], false) => out[0] = sse_of::<1, false>(x, m, [*p], start)[0],
        ([p], true) => out[0] = sse_of::<1, true>(x, m, [*p], start)[0],
        ([p, q], false) => out.copy_from_slice(&sse_of::<2, false>(x, m, [*p, *q], start)),
        ([p, q], true) => out.copy_from_slice(&sse_of::<2, true>(x, m, [*p, *q], start)),
        _ => {
            // Three or four settings: spare lanes repeat the first setting.
            let lanes: [Smoothing; 4] = std::array::from_fn(|l| ps.get(l).copied().unwrap_or(ps[0]));
            let sse = if mult { sse_of::<4, true>(x, m, lanes, start) } else { sse_of::<4, false>(x, m, lanes, start) };
            out.copy_from_slice(&sse[..ps.len()]);
        }
    }
}

/// The lanes of [`sse_lanes`]: `run`'s recursion ([`step`]), lane by lane.
fn sse_of<const L: usize, const MULT: bool>(x: &[f64], m: usize, p: [Smoothing; L], start: &StartValues) -> [f64; L] {
    let mut level = [start.level; L];
    let mut trend = [start.trend; L];
    let mut season: Vec<[f64; L]> = start.season.iter().map(|&s| [s; L]).collect();
    let mut sse = [0.0; L];
    // The slot of period t is t % m, counted rather than divided.
    let mut slot = 0;
    for &y in x.iter().skip(m) {
        let s = season[slot];
        for l in 0..L {
            let (xhat, new_level, new_trend, new_season) = step(&p[l], MULT, level[l], trend[l], s[l], y);
            let e = y - xhat;
            sse[l] += e * e;
            season[slot][l] = new_season;
            level[l] = new_level;
            trend[l] = new_trend;
        }
        slot = if slot + 1 == m { 0 } else { slot + 1 };
    }
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
    fn every_lane_is_the_full_filter_bit_for_bit() {
        let x: Vec<f64> = (0..40)
            .map(|t| 50.0 + 0.7 * t as f64 + [6.0, -2.0, 1.5, -5.5][t % 4] * (1.0 + 0.1 * (t % 3) as f64))
            .collect();
        let start = StartValues { level: 52.0, trend: 0.6, season: vec![1.1, 0.96, 1.03, 0.9] };
        let settings = [
            Smoothing { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 1.0 },
            Smoothing { alpha: 0.95, beta: 0.0, gamma: 0.6, phi: 1.0 },
            Smoothing { alpha: 0.05, beta: 0.8, gamma: 0.0, phi: 0.9 },
            Smoothing { alpha: 0.5, beta: 0.5, gamma: 1.0, phi: 0.98 },
        ];
        for seasonality in [Seasonality::Additive, Seasonality::Multiplicative] {
            for k in 1..=4 {
                let mut out = vec![0.0; k];
                sse_lanes(&x, 4, seasonality, &settings[..k], &start, &mut out);
                for (p, v) in settings.iter().zip(&out) {
                    let alone = filter(&x, 4, seasonality, *p, &start).sse;
                    assert_eq!(v.to_bits(), alone.to_bits(), "{seasonality:?} {k} lanes {p:?}");
                }
            }
        }
    }

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
