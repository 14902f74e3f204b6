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
    /// 0/1 indicators of α, β, γ, φ among the coordinates of θ.
    ind_a: Vec<f64>,
    ind_b: Vec<f64>,
    ind_g: Vec<f64>,
    ind_p: Vec<f64>,
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
    macro_rules! dispatch {
        ($($e:literal $t:literal $s:literal),*) => {
            match spec.form_codes() {
                $(($e, $t, $s) => pass::<$e, $t, $s>(spec.damped, m, layout, par, y, grad, work),)*
                _ => f64::INFINITY,
            }
        };
    }
    dispatch!(1 0 0, 1 0 1, 1 0 2, 1 1 0, 1 1 1, 1 1 2, 1 2 0, 1 2 1, 1 2 2,
              2 0 0, 2 0 1, 2 0 2, 2 1 0, 2 1 1, 2 1 2, 2 2 0, 2 2 1, 2 2 2)
}

/// [`value_and_gradient`] specialised at compile time on the form (error `E`, trend `T`, season
/// `S`: 0 none, 1 additive, 2 multiplicative). Each step first computes the values of the
/// recursion, then every tangent coordinate in one fused loop (the direct terms of α, β, γ, φ
/// enter through 0/1 indicator vectors, so the loop has no branch).
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
    let (alpha, beta, gamma, phi) = (sm.alpha, sm.beta, sm.gamma, sm.phi);
    let ms = if S > 0 { m.max(1) } else { 0 };
    let n = y.len();
    let offset = 1 + usize::from(T > 0);

    // Indicators of α, β, γ, φ among the coordinates, then the initial tangents: the free states
    // are coordinates of θ; s_{m-1} is minus the sum of the others.
    for v in
        [&mut work.dl, &mut work.db, &mut work.dlog, &mut work.ind_a, &mut work.ind_b, &mut work.ind_g, &mut work.ind_p]
    {
        v.clear();
        v.resize(np, 0.0);
    }
    let [ia, ib, ig, ip] = positions(layout);
    for (pos, ind) in [(ia, &mut work.ind_a), (ib, &mut work.ind_b), (ig, &mut work.ind_g), (ip, &mut work.ind_p)] {
        if let Some(i) = pos {
            ind[i] = 1.0;
        }
    }
    work.dl[k] = 1.0;
    if T > 0 {
        work.db[k + 1] = 1.0;
    }
    let mut level = work.x0[0];
    let mut slope = if T > 0 { work.x0[1] } else { 0.0 };
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
    let GradientWork { dl, db, sv, sd, dlog, ind_a, ind_b, ind_g, ind_p, .. } = work;
    let empty: &mut [f64] = &mut [];
    for (t, &yi) in y.iter().enumerate() {
        // Values of this step.
        let s_old = if S > 0 { sv[t] } else { 0.0 };
        let (q, phib, mu_base, bphi, dphi_term, dpow_db) = match T {
            0 => (level, 0.0, level, 0.0, 0.0, 0.0),
            1 => {
                let phib = phi * slope;
                (level + phib, phib, level + phib, 0.0, slope, 0.0)
            }
            _ => {
                if slope < 0.0 {
                    return f64::INFINITY;
                }
                let bphi = slope.powf(phi);
                let phib = if phi_is_one { slope } else { bphi };
                let dpow_db = if slope > 0.0 { phi * slope.powf(phi - 1.0) } else { 0.0 };
                (level * phib, phib, level * bphi, bphi, bphi * slope.ln(), dpow_db)
            }
        };
        let mu = match S {
            0 => mu_base,
            1 => mu_base + s_old,
            _ => mu_base * s_old,
        };
        if !mu.is_finite() {
            return f64::INFINITY;
        }
        let err = if E == 2 { (yi - mu) / mu } else { yi - mu };
        sse += err * err;
        let de_dmu = if E == 2 { -yi / (mu * mu) } else { -1.0 };
        let grad_coef = err * de_dmu;
        let inv_mu = 1.0 / mu;
        if E == 2 {
            log_abs += mu.abs().ln();
        }
        let (p, dp_ds) = match S {
            0 => (yi, 0.0),
            1 => (yi - s_old, -1.0),
            _ => {
                if s_old.abs() < TOL {
                    (HUGEN, 0.0)
                } else {
                    (yi / s_old, -yi / (s_old * s_old))
                }
            }
        };
        let old_level = level;
        level = q + alpha * (p - q);
        let (r, dr_dnew, dr_dold) = match T {
            0 => (0.0, 0.0, 0.0),
            1 => (level - old_level, 1.0, -1.0),
            _ => {
                if old_level.abs() < TOL {
                    (HUGEN, 0.0, 0.0)
                } else {
                    (level / old_level, 1.0 / old_level, -level / (old_level * old_level))
                }
            }
        };
        let gap = r - phib;
        if T > 0 {
            slope = phib + beta_over_alpha * gap;
        }
        let (u, du_dq) = match S {
            0 => (0.0, 0.0),
            1 => (yi - q, -1.0),
            _ => {
                if q.abs() < TOL {
                    (HUGEN, 0.0)
                } else {
                    (yi / q, -yi / (q * q))
                }
            }
        };
        if S > 0 {
            sv[t + ms] = s_old + gamma * (u - s_old);
        }
        let (p_minus_q, u_minus_s) = (p - q, u - s_old);
        let (gap_over_alpha, gap_beta_over_alpha2) = (gap / alpha, gap * beta / (alpha * alpha));
        // Tangents of this step, one coordinate at a time.
        let (ds, ds_new): (&[f64], &mut [f64]) = if S > 0 {
            let (head, rest) = sd.split_at_mut((t + ms) * np);
            (&head[t * np..(t + 1) * np], &mut rest[..np])
        } else {
            (&[], &mut *empty)
        };
        for j in 0..np {
            let dlj = dl[j];
            let dbj = if T > 0 { db[j] } else { 0.0 };
            let dso = if S > 0 { ds[j] } else { 0.0 };
            let (dphib, dq, dmu_base) = match T {
                0 => (0.0, dlj, dlj),
                1 => {
                    let dphib = phi * dbj + ind_p[j] * dphi_term;
                    (dphib, dlj + dphib, dlj + dphib)
                }
                _ => {
                    let dbphi = dpow_db * dbj + ind_p[j] * dphi_term;
                    let dphib = if phi_is_one { dbj } else { dbphi };
                    // μ's base uses b^φ even when φ is one (as the recursion does).
                    (dphib, dlj * phib + old_level * dphib, dlj * bphi + old_level * dbphi)
                }
            };
            let dmu = match S {
                0 => dmu_base,
                1 => dmu_base + dso,
                _ => dmu_base * s_old + mu_base * dso,
            };
            grad[j] += grad_coef * dmu;
            if E == 2 {
                dlog[j] += dmu * inv_mu;
            }
            let dp = dp_ds * dso;
            let dl_new = dq + alpha * (dp - dq) + ind_a[j] * p_minus_q;
            if T > 0 {
                let dr = dr_dnew * dl_new + dr_dold * dlj;
                db[j] = dphib + beta_over_alpha * (dr - dphib) + gap_over_alpha * ind_b[j]
                    - gap_beta_over_alpha2 * ind_a[j];
            }
            dl[j] = dl_new;
            if S > 0 {
                ds_new[j] = dso + gamma * (du_dq * dq - dso) + ind_g[j] * u_minus_s;
            }
        }
    }
    let nf = n as f64;
    let mut lik = nf * sse.ln() + if E == 2 { 2.0 * log_abs } else { 0.0 };
    if !lik.is_finite() && !(lik == f64::NEG_INFINITY) {
        return f64::INFINITY;
    }
    for j in 0..np {
        grad[j] *= 2.0 * nf / sse;
        if E == 2 {
            grad[j] += 2.0 * dlog[j];
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
