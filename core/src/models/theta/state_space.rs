//! The recursions of the theta models of Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler
//! (2016), "Models for optimising the theta method and their relationship to state space models",
//! IJF 32(4), in the indexing of statsforecast's `theta.cpp` (0-based observation `i`, the state
//! after `t` observations).
//!
//! ```text
//! μ_{t+1} = ℓ_t + (1 − 1/θ) [ (1−α)^t A_t + (1 − (1−α)^{t+1})/α · B_t ]     one-step forecast
//! ℓ_{t+1} = α y_{t+1} + (1−α) ℓ_t                                          SES level
//! Ȳ_{t+1} = (t Ȳ_t + y_{t+1}) / (t+1)                                      running mean
//! dynamic:  B_{t+1} = ((t−1) B_t + 6 (y_{t+1} − Ȳ_t)/(t+1)) / (t+2),  A_{t+1} = Ȳ_{t+1} − (t+2)/2 · B_{t+1}
//! static:   A_t = A_n, B_t = B_n  (least-squares intercept and slope of y on 1..n)
//! ```
//!
//! The dynamic `A_t, B_t` are the least-squares intercept and slope of `y_1..y_t` on `1..t`, updated
//! recursively. After the first observation `ℓ_1 = α y_1 + (1−α) ℓ_0`, `Ȳ_1 = y_1`, and for the
//! dynamic models `A_1 = y_1, B_1 = 0, μ_1 = y_1`; for the static ones `μ_1 = ℓ_0 + (1−1/θ)(A_n + B_n)`.
//! Forecasts continue the recursion with each forecast standing in for the unknown observation.
//!
//! Every quantity is linear in `ℓ_0` and in `c = 1 − 1/θ` (`A_t, B_t` depend on the data only), which
//! module `auto` uses to estimate them by least squares; and linear in the future innovations,
//! which [`forecast_variances`] uses for exact Gaussian forecast variances.

/// The state after `t` observations.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct ThetaState {
    /// SES level `ℓ_t`.
    pub level: f64,
    /// Running mean `Ȳ_t`.
    pub mean: f64,
    /// Intercept `A_t` of the trend line.
    pub a: f64,
    /// Slope `B_t` of the trend line.
    pub b: f64,
}

/// Fixed quantities of one model: smoothing, theta coefficient and whether the trend line is dynamic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Recursion {
    /// Smoothing parameter α.
    pub alpha: f64,
    /// `c = 1 − 1/θ`.
    pub c: f64,
    /// `true` for DSTM/DOTM (trend line re-estimated at each step).
    pub dynamic: bool,
}

impl Recursion {
    /// The weight of the trend line in `μ_{t+1}`: `(1−α)^t A_t + (1 − (1−α)^{t+1})/α · B_t`.
    pub fn trend_term(&self, s: &ThetaState, t: usize) -> f64 {
        let q = 1.0 - self.alpha;
        self.trend_term_at(s, q.powf(t as f64), q.powf(t as f64 + 1.0))
    }

    /// [`Self::trend_term`] given the powers `(1−α)^t` and `(1−α)^{t+1}` (a caller stepping through
    /// `t` keeps them as running products instead of two powers per step).
    pub fn trend_term_at(&self, s: &ThetaState, q_t: f64, q_t1: f64) -> f64 {
        s.a * q_t + s.b * (1.0 - q_t1) / self.alpha
    }

    /// One-step forecast `μ_{t+1}` from the state after `t ≥ 1` observations.
    pub fn one_step(&self, s: &ThetaState, t: usize) -> f64 {
        s.level + self.c * self.trend_term(s, t)
    }

    /// The SES level `ℓ_{t+1} = α y_{t+1} + (1−α) ℓ_t` after `level` absorbs `y`: the one part of
    /// the state that depends on α.
    pub fn next_level(&self, level: f64, y: f64) -> f64 {
        self.alpha * y + (1.0 - self.alpha) * level
    }

    /// Absorb observation `y` (the `t+1`-th) into the state after `t ≥ 1` observations.
    pub fn update(&self, s: &ThetaState, t: usize, y: f64) -> ThetaState {
        let tf = t as f64;
        let level = self.next_level(s.level, y);
        let mean = (tf * s.mean + y) / (tf + 1.0);
        if self.dynamic {
            let b = ((tf - 1.0) * s.b + 6.0 * (y - s.mean) / (tf + 1.0)) / (tf + 2.0);
            ThetaState { level, mean, a: mean - b * (tf + 2.0) / 2.0, b }
        } else {
            ThetaState { level, mean, a: s.a, b: s.b }
        }
    }

    /// Point forecasts for steps `1..=h` from the state after `n` observations.
    pub fn forecast(&self, s: &ThetaState, n: usize, h: usize) -> Vec<f64> {
        let mut state = *s;
        (0..h)
            .map(|j| {
                let mu = self.one_step(&state, n + j);
                state = self.update(&state, n + j, mu);
                mu
            })
            .collect()
    }
}

/// Least-squares intercept `A` and slope `B` of `y` on `1..=n` (statsforecast's `init_state`).
pub(crate) fn trend_line(y: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let weighted = y.iter().enumerate().map(|(i, v)| (i as f64 + 1.0) * v).sum::<f64>() / n;
    let denom = n * n - 1.0;
    let b = if denom > 0.0 { 6.0 * (2.0 * weighted - (n + 1.0) * mean) / denom } else { 0.0 };
    (mean - (n + 1.0) * b / 2.0, b)
}

/// Forecast variances of steps `1..=h` for innovations of variance `sigma2`.
///
/// The state is linear in the future innovations `ε_1..ε_h` (each forecast step absorbs
/// `y = μ + ε`), so the forecast `ŷ_{n+j}` equals its point forecast plus `Σ_{k<j} w_{j,k} ε_k`; the
/// weights are propagated through the same recursion as sensitivity states (zero start, unit
/// impulse at step `k`), giving `Var = σ² (1 + Σ_k w_{j,k}²)`. Cost `O(h²)`.
pub(crate) fn forecast_variances(rec: &Recursion, n: usize, h: usize, sigma2: f64) -> Vec<f64> {
    // sensitivities[k]: derivative of the state with respect to ε_k.
    let mut sensitivities = vec![ThetaState::default(); h];
    (0..h)
        .map(|j| {
            let t = n + j;
            let mut sum_sq = 0.0;
            for (k, sens) in sensitivities.iter_mut().enumerate().take(j + 1) {
                let w = rec.one_step(sens, t);
                if k < j {
                    sum_sq += w * w;
                }
                let impulse = if k == j { 1.0 } else { 0.0 };
                *sens = rec.update(sens, t, w + impulse);
            }
            sigma2 * (1.0 + sum_sq)
        })
        .collect()
}

/// The state "after 0 observations": `ℓ_0` and the static trend line (zero for dynamic models,
/// whose first forecast is the first observation).
pub(crate) fn start_state(x: &[f64], level: f64, dynamic: bool) -> ThetaState {
    let (a, b) = if dynamic { (0.0, 0.0) } else { trend_line(x) };
    ThetaState { level, mean: 0.0, a, b }
}

/// State after the first observation.
pub(crate) fn first_update(x: &[f64], rec: &Recursion, s0: &ThetaState) -> ThetaState {
    let level = rec.next_level(s0.level, x[0]);
    if rec.dynamic {
        ThetaState { level, mean: x[0], a: x[0], b: 0.0 }
    } else {
        ThetaState { level, mean: x[0], a: s0.a, b: s0.b }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_trend_line_is_the_running_least_squares_fit() {
        let y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let rec = Recursion { alpha: 0.3, c: 0.5, dynamic: true };
        let mut s = ThetaState { level: y[0], mean: y[0], a: y[0], b: 0.0 };
        for t in 1..y.len() {
            s = rec.update(&s, t, y[t]);
            let (a, b) = trend_line(&y[..=t]);
            assert!((s.a - a).abs() < 1e-12 && (s.b - b).abs() < 1e-12, "t={t}: {s:?} vs {a} {b}");
        }
    }

    #[test]
    fn static_variance_is_the_ses_variance() {
        // With A, B fixed only the level responds to an innovation: Var_j = σ² (1 + (j−1) α²).
        let rec = Recursion { alpha: 0.4, c: 0.5, dynamic: false };
        let v = forecast_variances(&rec, 20, 5, 2.0);
        for (j, vj) in v.iter().enumerate() {
            assert!((vj - 2.0 * (1.0 + j as f64 * 0.16)).abs() < 1e-12, "{v:?}");
        }
    }

    #[test]
    fn static_forecast_has_the_closed_form() {
        // ŷ_{n+h} = ℓ_n + c [(1−α)^n A + (h − 1 + (1 − (1−α)^{n+1})/α) B].
        let rec = Recursion { alpha: 0.35, c: 0.6, dynamic: false };
        let s = ThetaState { level: 10.0, mean: 8.0, a: 2.0, b: 0.7 };
        let n = 15;
        let q: f64 = 0.65;
        for (j, f) in rec.forecast(&s, n, 6).iter().enumerate() {
            let closed = 10.0 + 0.6 * (q.powi(n as i32) * 2.0 + (j as f64 + (1.0 - q.powi(n as i32 + 1)) / 0.35) * 0.7);
            assert!((f - closed).abs() < 1e-12);
        }
    }
}
