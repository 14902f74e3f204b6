//! Analytic gradient of the ETS likelihood criterion by forward-mode differentiation through the
//! state-space recursions (module `state_space`), for the gradient-based optimiser (module `bfgs`).
//!
//! The objective is the one module `likelihood` minimises (R `etsTargetFunction.cpp`, "lik"):
//!
//! ```text
//! f(θ) = n log S + 2 Σ log|μ_t|  (second term for multiplicative error only),   S = Σ e_t²
//! ∂f/∂θ_j = (2n / S) Σ e_t ∂e_t/∂θ_j + 2 Σ (∂μ_t/∂θ_j) / μ_t
//! ```
//!
//! with `θ` the estimated smoothing parameters `(α, β, γ, φ)` followed by the free initial states
//! `(l_0, b_0, s_0..s_{m-2})`, the implied `s_{m-1} = (0 or m) - Σ s_j` giving `∂s_{m-1}/∂s_j = -1`.
//! Alongside every state `x_t` the pass carries the tangent vector `∂x_t/∂θ` and applies the chain
//! rule to each line of the recursion (Hyndman et al. 2008, *Forecasting with Exponential
//! Smoothing*, ch. 5, error-correction form of R `etscalc.c`):
//!
//! ```text
//! q   = l (N) | l + φb (A) | l b^φ (M)          ∂q  = ∂l | ∂l + φ∂b + b∂φ | ∂l b^φ + l ∂(b^φ)
//! ∂(b^φ) = φ b^{φ-1} ∂b + b^φ log(b) ∂φ
//! μ   = q (+|×) s_{t-m}                          ∂μ  = ∂q + ∂s | ∂q s + q ∂s
//! e   = y - μ (A) | (y - μ)/μ (M)                ∂e  = -∂μ | -y ∂μ / μ²
//! p   = y | y - s | y / s                        ∂p  = 0 | -∂s | -y ∂s / s²
//! l'  = q + α (p - q)                            ∂l' = ∂q + α(∂p - ∂q) + (p - q) ∂α
//! r   = l' - l (A) | l' / l (M)                  ∂r  = ∂l' - ∂l | (∂l' l - l' ∂l) / l²
//! b'  = φb + (β/α)(r - φb)                       ∂b' = ∂φb + (β/α)(∂r - ∂φb) + (r - φb)(∂β/α - β∂α/α²)
//! u   = y - q (A) | y / q (M)                    ∂u  = -∂q | -y ∂q / q²
//! s'  = s + γ (u - s)                            ∂s' = ∂s + γ(∂u - ∂s) + (u - s) ∂γ
//! ```
//!
//! Where the recursion substitutes a constant for a ratio with a near-zero denominator (R's
//! `HUGEN`), the derivative of that constant is zero. The cost is one pass with `(1 + #θ)` numbers
//! per state, i.e. about `#θ` likelihood passes for the whole gradient.

// Index loops mirror the formulas above coordinate by coordinate.
#![allow(clippy::needless_range_loop)]

use super::likelihood::{Objective, ParamLayout};
use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};
use super::state_space::{HUGEN, TOL};

/// Reusable buffers of [`value_and_gradient`].
#[derive(Debug, Clone, Default)]
pub(crate) struct GradientWork {
    x0: Vec<f64>,
    /// Tangents of the level and the slope (`#θ` each).
    dl: Vec<f64>,
    db: Vec<f64>,
    /// Seasonal values in time order (`s_{t-m}` at index `t`) and their tangents (`#θ` per value).
    sv: Vec<f64>,
    sd: Vec<f64>,
    /// Scratch tangents of one step.
    dq: Vec<f64>,
    dphib: Vec<f64>,
    dmu: Vec<f64>,
    dl_new: Vec<f64>,
    /// `Σ ∂μ_t/∂θ / μ_t` (multiplicative error).
    dlog: Vec<f64>,
}

/// Positions in `θ` of the estimated α, β, γ, φ.
fn positions(layout: &ParamLayout) -> [Option<usize>; 4] {
    let mut out = [None; 4];
    let mut next = 0;
    for (k, est) in layout.estimated().into_iter().enumerate() {
        if est {
            out[k] = Some(next);
            next += 1;
        }
    }
    out
}

/// The likelihood criterion at `par` and its gradient written into `grad` (same length as `par`).
///
/// `par` must have passed the bounds checks of the objective (the caller evaluates them). Returns
/// `+∞` (gradient unspecified) where the objective would reject the point: a negative
/// multiplicative seasonal state, a negative multiplicative slope, or a non-finite result.
pub(crate) fn value_and_gradient(
    spec: &EtsSpec,
    m: usize,
    layout: &ParamLayout,
    par: &[f64],
    y: &[f64],
    grad: &mut [f64],
    work: &mut GradientWork,
) -> f64 {
    let t = match spec.trend {
        TrendType::None => 0u8,
        TrendType::Additive => 1,
        TrendType::Multiplicative => 2,
    };
    let s = match spec.season {
        SeasonType::None => 0u8,
        SeasonType::Additive => 1,
        SeasonType::Multiplicative => 2,
    };
    let e = u8::from(spec.error == ErrorType::Multiplicative) + 1;
    macro_rules! dispatch {
        ($($e:literal $t:literal $s:literal),*) => {
            match (e, t, s) {
                $(($e, $t, $s) => pass::<$e, $t, $s>(spec.damped, m, layout, par, y, grad, work),)*
                _ => f64::INFINITY,
            }
        };
    }
    dispatch!(1 0 0, 1 0 1, 1 0 2, 1 1 0, 1 1 1, 1 1 2, 1 2 0, 1 2 1, 1 2 2,
              2 0 0, 2 0 1, 2 0 2, 2 1 0, 2 1 1, 2 1 2, 2 2 0, 2 2 1, 2 2 2)
}

/// [`value_and_gradient`] specialised at compile time on the form (error `E`, trend `T`, season
/// `S`: 0 none, 1 additive, 2 multiplicative), so that the component `match`es fold away.
fn pass<const E: u8, const T: u8, const S: u8>(
    damped: bool,
    m: usize,
    layout: &ParamLayout,
    par: &[f64],
    y: &[f64],
    grad: &mut [f64],
    work: &mut GradientWork,
) -> f64 {
    let component = |c: u8| match c {
        0 => (TrendType::None, SeasonType::None),
        1 => (TrendType::Additive, SeasonType::Additive),
        _ => (TrendType::Multiplicative, SeasonType::Multiplicative),
    };
    let error = if E == 2 { ErrorType::Multiplicative } else { ErrorType::Additive };
    let spec = &EtsSpec { error, trend: component(T).0, season: component(S).1, damped };
    let np = par.len();
    let k = layout.n_estimated();
    let nstate = spec.n_states(m);
    let sm = layout.smoothing(par);
    work.x0.resize(nstate, 0.0);
    if k > np || !Objective::fill_states(spec, m, &par[k..], &mut work.x0) {
        return f64::INFINITY;
    }
    let [ia, ib, ig, ip] = positions(layout);
    let (alpha, beta, gamma, phi) = (sm.alpha, sm.beta, sm.gamma, sm.phi);
    let has_trend = spec.trend != TrendType::None;
    let has_season = spec.season != SeasonType::None;
    let mult_error = spec.error == ErrorType::Multiplicative;
    let ms = if has_season { m.max(1) } else { 0 };
    let n = y.len();
    let offset = 1 + usize::from(has_trend);

    // Initial tangents: the free states are coordinates of θ; s_{m-1} is minus their sum.
    for v in
        [&mut work.dl, &mut work.db, &mut work.dq, &mut work.dphib, &mut work.dmu, &mut work.dl_new, &mut work.dlog]
    {
        v.clear();
        v.resize(np, 0.0);
    }
    work.dl[k] = 1.0;
    if has_trend {
        work.db[k + 1] = 1.0;
    }
    let mut level = work.x0[0];
    let mut slope = if has_trend { work.x0[1] } else { 0.0 };
    work.sv.clear();
    work.sv.resize(n + ms, 0.0);
    work.sd.clear();
    work.sd.resize((n + ms) * np, 0.0);
    for i in 0..ms {
        // Time order: index 0 holds R's s_{m-1} (oldest), index m-1 holds s_0.
        let r = ms - 1 - i;
        work.sv[i] = work.x0[offset + r];
        let d = &mut work.sd[i * np..(i + 1) * np];
        if r < ms - 1 {
            d[k + offset + r] = 1.0;
        } else {
            for j in 0..ms - 1 {
                d[k + offset + j] = -1.0;
            }
        }
    }

    let beta_over_alpha = beta / alpha;
    let phi_is_one = (phi - 1.0).abs() < TOL;
    let mut sse = 0.0;
    let mut log_abs = 0.0;
    grad.iter_mut().for_each(|g| *g = 0.0);
    // Σ e ∂e accumulates into `grad`, Σ ∂μ/μ into `work.dlog`.
    for (t, &yi) in y.iter().enumerate() {
        let (s_old, sd_rest) = if has_season {
            let (head, rest) = work.sd.split_at_mut((t + ms) * np);
            (work.sv[t], Some((&head[t * np..(t + 1) * np], &mut rest[..np])))
        } else {
            (0.0, None)
        };
        // q, φb and the one-step forecast base with their tangents.
        let (q, phib, mu_base) = match spec.trend {
            TrendType::None => {
                work.dq.copy_from_slice(&work.dl);
                (level, 0.0, level)
            }
            TrendType::Additive => {
                for j in 0..np {
                    work.dphib[j] = phi * work.db[j];
                    work.dq[j] = work.dl[j] + work.dphib[j];
                }
                if let Some(i) = ip {
                    work.dphib[i] += slope;
                    work.dq[i] += slope;
                }
                let phib = phi * slope;
                (level + phib, phib, level + phib)
            }
            TrendType::Multiplicative => {
                if slope < 0.0 {
                    return f64::INFINITY;
                }
                let bphi = slope.powf(phi);
                let ln_b = slope.ln();
                let phib = if phi_is_one { slope } else { bphi };
                let dpow_db = if slope > 0.0 { phi * slope.powf(phi - 1.0) } else { 0.0 };
                for j in 0..np {
                    let dbphi = dpow_db * work.db[j];
                    work.dphib[j] = if phi_is_one { work.db[j] } else { dbphi };
                    work.dq[j] = work.dl[j] * phib + level * work.dphib[j];
                    // μ's base uses b^φ even when φ is one (as the recursion does).
                    work.dmu[j] = work.dl[j] * bphi + level * dbphi;
                }
                if let Some(i) = ip {
                    let extra = bphi * ln_b;
                    if !phi_is_one {
                        work.dphib[i] += extra;
                        work.dq[i] += level * extra;
                    }
                    work.dmu[i] += level * extra;
                }
                (level * phib, phib, level * bphi)
            }
        };
        if spec.trend != TrendType::Multiplicative {
            work.dmu.copy_from_slice(&work.dq);
        }
        let mu = match spec.season {
            SeasonType::None => mu_base,
            SeasonType::Additive => mu_base + s_old,
            SeasonType::Multiplicative => mu_base * s_old,
        };
        if let Some((ds, _)) = &sd_rest {
            for j in 0..np {
                work.dmu[j] = match spec.season {
                    SeasonType::Additive => work.dmu[j] + ds[j],
                    _ => work.dmu[j] * s_old + mu_base * ds[j],
                };
            }
        }
        if !mu.is_finite() {
            return f64::INFINITY;
        }
        let err = if mult_error { (yi - mu) / mu } else { yi - mu };
        sse += err * err;
        let de_dmu = if mult_error { -yi / (mu * mu) } else { -1.0 };
        for j in 0..np {
            grad[j] += err * de_dmu * work.dmu[j];
        }
        if mult_error {
            log_abs += mu.abs().ln();
            for j in 0..np {
                work.dlog[j] += work.dmu[j] / mu;
            }
        }
        // Level update.
        let (p, dp_ds) = match spec.season {
            SeasonType::None => (yi, 0.0),
            SeasonType::Additive => (yi - s_old, -1.0),
            SeasonType::Multiplicative => {
                if s_old.abs() < TOL {
                    (HUGEN, 0.0)
                } else {
                    (yi / s_old, -yi / (s_old * s_old))
                }
            }
        };
        let old_level = level;
        level = q + alpha * (p - q);
        for j in 0..np {
            let dp = match &sd_rest {
                Some((ds, _)) => dp_ds * ds[j],
                None => 0.0,
            };
            work.dl_new[j] = work.dq[j] + alpha * (dp - work.dq[j]);
        }
        if let Some(i) = ia {
            work.dl_new[i] += p - q;
        }
        // Slope update.
        if has_trend {
            let (r, dr_dnew, dr_dold) = match spec.trend {
                TrendType::Multiplicative => {
                    if old_level.abs() < TOL {
                        (HUGEN, 0.0, 0.0)
                    } else {
                        (level / old_level, 1.0 / old_level, -level / (old_level * old_level))
                    }
                }
                _ => (level - old_level, 1.0, -1.0),
            };
            let gap = r - phib;
            for j in 0..np {
                let dr = dr_dnew * work.dl_new[j] + dr_dold * work.dl[j];
                work.db[j] = work.dphib[j] + beta_over_alpha * (dr - work.dphib[j]);
            }
            if let Some(i) = ib {
                work.db[i] += gap / alpha;
            }
            if let Some(i) = ia {
                work.db[i] -= gap * beta / (alpha * alpha);
            }
            slope = phib + beta_over_alpha * gap;
        }
        std::mem::swap(&mut work.dl, &mut work.dl_new);
        // Seasonal update, written at time index t + m.
        if let Some((ds, ds_new)) = sd_rest {
            let (u, du_dq) = match spec.season {
                SeasonType::Multiplicative => {
                    if q.abs() < TOL {
                        (HUGEN, 0.0)
                    } else {
                        (yi / q, -yi / (q * q))
                    }
                }
                _ => (yi - q, -1.0),
            };
            for j in 0..np {
                let du = du_dq * work.dq[j];
                ds_new[j] = ds[j] + gamma * (du - ds[j]);
            }
            if let Some(i) = ig {
                ds_new[i] += u - s_old;
            }
            work.sv[t + ms] = s_old + gamma * (u - s_old);
        }
    }
    let nf = n as f64;
    let mut lik = nf * sse.ln() + if mult_error { 2.0 * log_abs } else { 0.0 };
    if !lik.is_finite() && !(lik == f64::NEG_INFINITY) {
        return f64::INFINITY;
    }
    for j in 0..np {
        grad[j] *= 2.0 * nf / sse;
        if mult_error {
            grad[j] += 2.0 * work.dlog[j];
        }
    }
    if lik < -1e10 {
        // The objective is clamped there: flat.
        lik = -1e10;
        grad.iter_mut().for_each(|g| *g = 0.0);
    }
    lik
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ets::spec::Bounds;

    /// A positive series with level, trend, a period-4 pattern and some noise.
    fn series() -> Vec<f64> {
        (0..40)
            .map(|t| {
                let tf = t as f64;
                let season = [1.0, 8.0, -4.0, -5.0][t % 4];
                let noise = ((tf * 12.9898).sin() * 43758.5453).fract() * 6.0;
                100.0 + 1.5 * tf + season + noise
            })
            .collect()
    }

    /// Central finite differences of the objective's own value function against the analytic
    /// gradient, for every error × trend × season combination.
    #[test]
    fn gradient_matches_central_finite_differences() {
        let y = series();
        let m = 4;
        let mut checked = 0;
        for error in ["A", "M"] {
            for trend in ["N", "A", "Ad", "M", "Md"] {
                for season in ["N", "A", "M"] {
                    let code = format!("{error}{trend}{season}");
                    let spec = EtsSpec::parse(&code).expect("valid code");
                    let m_eff = if spec.season == SeasonType::None { 1 } else { m };
                    let layout = ParamLayout::new(&spec, [None; 4]);
                    // An interior point: smoothing parameters, then free states near the data.
                    let mut par: Vec<f64> = Vec::new();
                    par.push(0.35);
                    if layout.has_trend {
                        par.push(0.08);
                    }
                    if layout.has_season {
                        par.push(0.12);
                    }
                    if layout.damped {
                        par.push(0.9);
                    }
                    par.push(98.0);
                    match spec.trend {
                        TrendType::Additive => par.push(1.4),
                        TrendType::Multiplicative => par.push(1.012),
                        TrendType::None => {}
                    }
                    if spec.season == SeasonType::Additive {
                        par.extend([-5.0, -4.0, 8.0]);
                    } else if spec.season == SeasonType::Multiplicative {
                        par.extend([0.95, 0.96, 1.08]);
                    }
                    let mut objective = Objective::new(
                        &y,
                        spec,
                        m_eff,
                        layout,
                        [1e-4, 1e-4, 1e-4, 0.8],
                        [0.9999, 0.9999, 0.9999, 0.98],
                        Bounds::Usual,
                        crate::models::ets::spec::Criterion::Likelihood,
                    );
                    let mut grad = vec![0.0; par.len()];
                    let mut work = GradientWork::default();
                    let f = value_and_gradient(&spec, m_eff, &layout, &par, &y, &mut grad, &mut work);
                    let f_ref = objective.value(&par);
                    assert!((f - f_ref).abs() <= 1e-9 * f_ref.abs().max(1.0), "{code}: value {f} vs {f_ref}");
                    for j in 0..par.len() {
                        let h = 1e-6 * par[j].abs().max(1.0);
                        let mut up = par.clone();
                        up[j] += h;
                        let mut down = par.clone();
                        down[j] -= h;
                        let fd = (objective.value(&up) - objective.value(&down)) / (2.0 * h);
                        let tol = 1e-5 * fd.abs().max(1.0);
                        assert!((grad[j] - fd).abs() <= tol, "{code} θ[{j}]: analytic {} vs fd {fd}", grad[j]);
                        checked += 1;
                    }
                }
            }
        }
        // 2 error types × (20 non-seasonal + 2 × 40 seasonal) coordinates.
        assert_eq!(checked, 200);
    }
}
