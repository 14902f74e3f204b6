//! Analytic gradient of the ETS likelihood criterion by reverse-mode differentiation through the
//! state-space recursions (module `state_space`), for the gradient-based optimiser (module `bfgs`).
//!
//! The objective is the one module `likelihood` minimises (R `etsTargetFunction.cpp`, "lik"):
//!
//! ```text
//! f(θ) = n log S + 2 Σ log|μ_t|  (second term for multiplicative error only),   S = Σ e_t²
//! ∂f/∂μ_t = (2n / S) e_t ∂e_t/∂μ_t + 2 / μ_t
//! ```
//!
//! with `θ` the estimated smoothing parameters `(α, β, γ, φ)` followed by the free initial states
//! `(l_0, b_0, s_0..s_{m-2})`, the implied `s_{m-1} = (0 or m) - Σ s_j` giving `∂s_{m-1}/∂s_j = -1`.
//! One step of the recursion (Hyndman et al. 2008, *Forecasting with Exponential Smoothing*, ch. 5,
//! error-correction form of R `etscalc.c`), with its local derivatives:
//!
//! ```text
//! q   = l (N) | l + φb (A) | l b^φ (M)          ∂(b^φ) = φ b^{φ-1} ∂b + b^φ log(b) ∂φ
//! μ   = q (+|×) s_{t-m}
//! e   = y - μ (A) | (y - μ)/μ (M)                ∂e/∂μ = -1 | -y / μ²
//! p   = y | y - s | y / s                        ∂p/∂s = 0 | -1 | -y / s²
//! l'  = q + α (p - q)
//! r   = l' / l (M)
//! b'  = φb + β(p - q) (A) | b^φ + (β/α)(r - b^φ) (M)
//! u   = y - q (A) | y / q (M)                    ∂u/∂q = -1 | -y / q²
//! s'  = s + γ (u - s)
//! ```
//!
//! The forward sweep runs the recursion and keeps each step's inputs and local derivatives; the
//! backward sweep, from the last observation to the first, carries the adjoints `∂f/∂l_t`,
//! `∂f/∂b_t` and those of the seasonal values (a ring of `m`: the value a step writes is read only
//! `m` steps later), and accumulates `∂f/∂α, β, γ, φ` (Griewank & Walther 2008, *Evaluating
//! Derivatives*, ch. 3). An additive trend's slope update `φb + β(p - q)` equals R's
//! `φb + (β/α)(l' - l - φb)` and does not wait for the new level (R's form ties the two into one
//! longer chain of dependent operations per step). The whole gradient costs about two likelihood passes, whatever the number
//! of coordinates: forward mode, which carries `∂x_t/∂θ` beside every state, costs about `#θ`
//! passes, i.e. 6 to 17 for a seasonal form. Where the recursion substitutes a constant for a
//! ratio with a near-zero denominator (R's `HUGEN`), the derivative of that constant is zero.

// Index loops mirror the formulas above coordinate by coordinate.
#![allow(clippy::needless_range_loop)]

use super::likelihood::{Objective, ParamLayout};
use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};
use super::state_space::{LogAbsProduct, HUGEN, TOL};

/// Reusable buffers of [`value_and_gradient`].
#[derive(Debug, Clone, Default)]
pub(crate) struct GradientWork {
    x0: Vec<f64>,
    /// Seasonal values in time order (`s_{t-m}` at index `t`).
    sv: Vec<f64>,
    /// Each step's inputs and local derivatives, for the backward sweep.
    steps: Vec<Step>,
    /// Adjoints of the seasonal values not yet read back (index `t mod m`).
    ring: Vec<f64>,
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

/// What the backward sweep needs of one step of the recursion: its inputs and local partial
/// derivatives (names as in the module's table).
#[derive(Debug, Clone, Copy, Default)]
struct Step {
    level: f64,
    season: f64,
    phib: f64,
    bphi: f64,
    mu_base: f64,
    /// `∂f/∂μ` of this step's loss terms, before the factor `2n / S` of the first term.
    err_de_dmu: f64,
    inv_mu: f64,
    p_minus_q: f64,
    dp_ds: f64,
    /// `∂r/∂l'`, `∂r/∂l` and `r - b^φ`: multiplicative trend only.
    dr_dnew: f64,
    dr_dold: f64,
    gap: f64,
    du_dq: f64,
    u_minus_s: f64,
    dphi_term: f64,
    dpow_db: f64,
}

/// [`value_and_gradient`] specialised at compile time on the form (error `E`, trend `T`, season
/// `S`: 0 none, 1 additive, 2 multiplicative).
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
    let mut level = work.x0[0];
    let mut slope = if T > 0 { work.x0[1] } else { 0.0 };
    let GradientWork { x0, sv, steps, ring } = work;
    sv.clear();
    sv.resize(n + ms, 0.0);
    for i in 0..ms {
        // Time order: index 0 holds R's s_{m-1} (oldest), index m-1 holds s_0.
        sv[i] = x0[offset + ms - 1 - i];
    }
    steps.clear();
    steps.reserve(n);
    let beta_over_alpha = beta / alpha;
    let phi_is_one = (phi - 1.0).abs() < TOL;
    let mut sse = 0.0;
    let mut log_abs = LogAbsProduct::default();
    for (t, &yi) in y.iter().enumerate() {
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
        // One division per ratio: its reciprocal serves the value and the derivative.
        let inv_mu = if E == 2 { 1.0 / mu } else { 0.0 };
        let err = if E == 2 { (yi - mu) * inv_mu } else { yi - mu };
        sse += err * err;
        let de_dmu = if E == 2 { -yi * inv_mu * inv_mu } else { -1.0 };
        if E == 2 {
            log_abs.push(mu.abs());
        }
        let (p, dp_ds) = match S {
            0 => (yi, 0.0),
            1 => (yi - s_old, -1.0),
            _ => {
                if s_old.abs() < TOL {
                    (HUGEN, 0.0)
                } else {
                    let inv = 1.0 / s_old;
                    (yi * inv, -yi * inv * inv)
                }
            }
        };
        let old_level = level;
        level = q + alpha * (p - q);
        // A multiplicative trend's slope follows r = l'/l. An additive trend's takes the form
        // (β/α)(l' - l - φb) = β(p - q), which need not wait for the level (a shorter chain of
        // dependent operations per step; equal up to rounding).
        let (gap, dr_dnew, dr_dold) = match T {
            1 => {
                slope = phib + beta * (p - q);
                (0.0, 0.0, 0.0)
            }
            2 => {
                let (r, dr_dnew, dr_dold) = if old_level.abs() < TOL {
                    (HUGEN, 0.0, 0.0)
                } else {
                    let inv = 1.0 / old_level;
                    (level * inv, inv, -level * inv * inv)
                };
                let gap = r - phib;
                slope = phib + beta_over_alpha * gap;
                (gap, dr_dnew, dr_dold)
            }
            _ => (0.0, 0.0, 0.0),
        };
        let (u, du_dq) = match S {
            0 => (0.0, 0.0),
            1 => (yi - q, -1.0),
            _ => {
                if q.abs() < TOL {
                    (HUGEN, 0.0)
                } else {
                    let inv = 1.0 / q;
                    (yi * inv, -yi * inv * inv)
                }
            }
        };
        if S > 0 {
            sv[t + ms] = s_old + gamma * (u - s_old);
        }
        steps.push(Step {
            level: old_level,
            season: s_old,
            phib,
            bphi,
            mu_base,
            err_de_dmu: err * de_dmu,
            inv_mu,
            p_minus_q: p - q,
            dp_ds,
            dr_dnew,
            dr_dold,
            gap,
            du_dq,
            u_minus_s: u - s_old,
            dphi_term,
            dpow_db,
        });
    }
    let nf = n as f64;
    let lik = nf * sse.ln() + if E == 2 { 2.0 * log_abs.ln() } else { 0.0 };
    if !lik.is_finite() && !(lik == f64::NEG_INFINITY) {
        return f64::INFINITY;
    }
    grad.iter_mut().for_each(|g| *g = 0.0);
    if lik < -1e10 {
        // The objective is clamped there: flat.
        return -1e10;
    }
    // Backward sweep.
    let sse_factor = 2.0 * nf / sse;
    let (mut g_alpha, mut g_gamma, mut g_phi, mut slope_gap, mut slope_pq) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut a_level, mut a_slope) = (0.0, 0.0);
    ring.clear();
    ring.resize(ms, 0.0);
    // `t mod m`, stepped down with `t` (no division per step).
    let mut slot = if S > 0 { (n.max(1) - 1) % ms } else { 0 };
    for t in (0..n).rev() {
        let st = &steps[t];
        let a_mu = sse_factor * st.err_de_dmu + if E == 2 { 2.0 * st.inv_mu } else { 0.0 };
        let mut a_q = 0.0;
        let mut a_season = 0.0;
        if S > 0 {
            // s' = s + γ(u - s), its adjoint left in the ring by step t + m (zero past the end).
            let a_new = ring[slot];
            a_season += a_new * (1.0 - gamma);
            g_gamma += a_new * st.u_minus_s;
            a_q += a_new * gamma * st.du_dq;
        }
        let mut a_phib = 0.0;
        let mut a_new_level = a_level;
        let mut a_old_level = 0.0;
        // Adjoint of p beyond the level's.
        let mut a_p = 0.0;
        if T == 1 {
            // b' = φb + β(p - q) (the forward sweep's form).
            a_phib += a_slope;
            a_q -= a_slope * beta;
            a_p += a_slope * beta;
            slope_pq += a_slope * st.p_minus_q;
        } else if T == 2 {
            // b' = φb + (β/α)(r - φb), r from l' and l.
            a_phib += a_slope * (1.0 - beta_over_alpha);
            let a_r = a_slope * beta_over_alpha;
            // ∂f/∂β = Σ λ_b gap / α and ∂f/∂α gets -Σ λ_b gap β / α²: the sum is taken once.
            slope_gap += a_slope * st.gap;
            a_new_level += a_r * st.dr_dnew;
            a_old_level += a_r * st.dr_dold;
        }
        // l' = q + α(p - q).
        a_q += a_new_level * (1.0 - alpha);
        g_alpha += a_new_level * st.p_minus_q;
        a_season += (a_new_level * alpha + a_p) * st.dp_ds;
        let a_mu_base = match S {
            0 => a_mu,
            1 => {
                a_season += a_mu;
                a_mu
            }
            _ => {
                a_season += a_mu * st.mu_base;
                a_mu * st.season
            }
        };
        let mut a_old_slope = 0.0;
        match T {
            0 => a_old_level += a_q + a_mu_base,
            1 => {
                let a = a_q + a_mu_base;
                a_old_level += a;
                a_phib += a;
                a_old_slope += a_phib * phi;
                g_phi += a_phib * st.dphi_term;
            }
            _ => {
                a_old_level += a_q * st.phib + a_mu_base * st.bphi;
                a_phib += a_q * st.level;
                let mut a_bphi = a_mu_base * st.level;
                if phi_is_one {
                    a_old_slope += a_phib;
                } else {
                    a_bphi += a_phib;
                }
                a_old_slope += a_bphi * st.dpow_db;
                g_phi += a_bphi * st.dphi_term;
            }
        }
        a_level = a_old_level;
        a_slope = a_old_slope;
        if S > 0 {
            ring[slot] = a_season;
            slot = if slot == 0 { ms - 1 } else { slot - 1 };
        }
    }
    let g_beta = slope_gap / alpha + slope_pq;
    g_alpha -= slope_gap * beta / (alpha * alpha);
    let [ia, ib, ig, ip] = positions(layout);
    for (pos, g) in [(ia, g_alpha), (ib, g_beta), (ig, g_gamma), (ip, g_phi)] {
        if let Some(i) = pos {
            grad[i] = g;
        }
    }
    grad[k] = a_level;
    if T > 0 {
        grad[k + 1] = a_slope;
    }
    for i in 0..ms {
        // sv[i] is R's s_r with r = m - 1 - i; the last, s_{m-1}, is minus the sum of the others.
        let r = ms - 1 - i;
        let a = ring[i];
        if r < ms - 1 {
            grad[k + offset + r] += a;
        } else {
            for j in 0..ms - 1 {
                grad[k + offset + j] -= a;
            }
        }
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
                    for fixed_alpha in [None, Some(0.35)] {
                        let layout = ParamLayout::new(&spec, [fixed_alpha, None, None, None]);
                        // An interior point: smoothing parameters, then free states near the data.
                        let mut par: Vec<f64> = Vec::new();
                        if fixed_alpha.is_none() {
                            par.push(0.35);
                        }
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
        }
        // 2 error types × (20 non-seasonal + 2 × 40 seasonal) coordinates, then again with α fixed
        // (one coordinate fewer in each of the 30 forms).
        assert_eq!(checked, 200 + 170);
    }
}
