//! Simulated prediction intervals for the ETS forms without analytic variances (multiplicative
//! trend), as R `forecast.ets` does through `pegelsfcast.C` / `simulate.ets`.
//!
//! Each sample path starts from the final state, draws `ε_t ~ N(0, σ²)` and applies the model:
//! `y_t = μ_t + ε_t` (additive error) or `y_t = μ_t (1 + ε_t)` (multiplicative), then updates the
//! states with `y_t`. The interval at level `L` is given by the `(1 ∓ L/100)/2` sample quantiles of
//! the paths at each horizon, with Hyndman & Fan (1996) type 8 quantiles (R's choice here).
//! Paths use [`crate::random::Rng`] streams derived from a fixed seed, so the output is
//! deterministic.

use super::spec::ErrorType;
use super::state_space::{Smoothing, State};
use crate::models::PredictionInterval;
use crate::random::Rng;

/// Simulate `paths` sample paths of length `h` from `state` (row-major, `paths × h`).
pub(crate) fn simulate_paths(
    state: &State,
    sm: &Smoothing,
    sigma2: f64,
    h: usize,
    paths: usize,
    seed: u64,
) -> Vec<f64> {
    let sd = sigma2.max(0.0).sqrt();
    let mult = state_error(state) == ErrorType::Multiplicative;
    let mut out = vec![f64::NAN; paths * h];
    let mut work = state.clone();
    let start = state.to_vec();
    let mut one = [0.0];
    for p in 0..paths {
        let mut rng = Rng::stream(seed, p as u64);
        work.reset(&start);
        for i in 0..h {
            if !work.forecast(sm.phi, &mut one) || !one[0].is_finite() {
                break;
            }
            let eps = sd * rng.normal();
            let y = if mult { one[0] * (1.0 + eps) } else { one[0] + eps };
            out[p * h + i] = y;
            work.step(sm, y);
        }
    }
    out
}

fn state_error(state: &State) -> ErrorType {
    state.error_type()
}

/// Hyndman & Fan type 8 sample quantile of sorted data (`p` in [0, 1]).
pub(crate) fn quantile_type8(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let nf = n as f64;
    let mpp = (p + 1.0) / 3.0;
    let pos = nf * p + mpp; // 1-based position
    let j = pos.floor();
    let g = pos - j;
    let idx = |k: f64| -> f64 {
        let k = k.clamp(1.0, nf) as usize;
        sorted[k - 1]
    };
    (1.0 - g) * idx(j) + g * idx(j + 1.0)
}

/// Simulated intervals at each level from the final `state`.
pub(crate) fn simulated_intervals(
    state: &State,
    sm: &Smoothing,
    sigma2: f64,
    h: usize,
    levels: &[f64],
    paths: usize,
    seed: u64,
) -> Vec<PredictionInterval> {
    let sims = simulate_paths(state, sm, sigma2, h, paths, seed);
    let mut columns: Vec<Vec<f64>> = (0..h)
        .map(|i| {
            let mut col: Vec<f64> = (0..paths).map(|p| sims[p * h + i]).filter(|v| v.is_finite()).collect();
            col.sort_by(f64::total_cmp);
            col
        })
        .collect();
    columns.shrink_to_fit();
    levels
        .iter()
        .map(|&level| PredictionInterval {
            level,
            lower: columns.iter().map(|c| quantile_type8(c, 0.5 - level / 200.0)).collect(),
            upper: columns.iter().map(|c| quantile_type8(c, 0.5 + level / 200.0)).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_intervals_agree_with_analytic_variances() {
        // ETS(A,Ad,N) forecasts are exactly normal with the class 1 variance: the simulated 95%
        // interval of the same state must agree with the analytic one up to Monte Carlo error.
        use super::super::intervals::{analytic_moments, AnalyticClass};
        use super::super::spec::EtsSpec;
        let spec = EtsSpec::parse("AAdN").expect("spec");
        let sm = Smoothing { alpha: 0.4, beta: 0.1, gamma: 0.0, phi: 0.9 };
        let x = [200.0, 3.0];
        let sigma2 = 25.0;
        let h = 6;
        let state = State::new(spec, 1, &x);
        let sim = simulated_intervals(&state, &sm, sigma2, h, &[95.0], 20_000, 11);
        let (mu, var) = analytic_moments(AnalyticClass::Class1, &spec, 1, &sm, &x, sigma2, h, true);
        for i in 0..h {
            let half = 1.959_963_985 * var[i].sqrt();
            let width = sim[0].upper[i] - sim[0].lower[i];
            assert!((width / (2.0 * half) - 1.0).abs() < 0.03, "h={i}: {width} vs {}", 2.0 * half);
            let centre = 0.5 * (sim[0].upper[i] + sim[0].lower[i]);
            assert!((centre - mu[i]).abs() < 0.05 * half, "h={i}: centre {centre} vs {}", mu[i]);
        }
    }

    #[test]
    fn type8_quantiles_match_r() {
        // R: quantile(1:10, c(0.1, 0.5, 0.975), type = 8) = 1.366667 5.5 10
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile_type8(&x, 0.1) - 1.366_666_666_666_667).abs() < 1e-12);
        assert!((quantile_type8(&x, 0.5) - 5.5).abs() < 1e-12);
        assert!((quantile_type8(&x, 0.975) - 10.0).abs() < 1e-12);
    }
}
