//! [`AutoTheta`]: the standard (STM), optimised (OTM), dynamic standard (DSTM) and dynamic optimised
//! (DOTM) theta models of Fiorucci et al. (2016), each fitted on the seasonally adjusted series
//! (module `seasonality`) and the one with the smallest in-sample MSE kept, as statsforecast's
//! `AutoTheta` does.
//!
//! **Estimation.** As in statsforecast, the criterion is the sum of squared one-step errors from the
//! fourth observation on, `Σ_{i≥4} (y_i − μ_i)²`, over `ℓ_0`, `α ∈ [0.1, 0.99]` and, for OTM/DOTM,
//! `θ ∈ [1, 10¹⁰]` (STM/DSTM fix `θ = 2`). Where statsforecast runs Nelder-Mead from
//! `(ℓ_0, α, θ) = (y_1/2, 0.5, 2)`, this module uses the structure of the model: for a given `α`
//! every `μ_i` is linear in `ℓ_0` and in `c = 1 − 1/θ` (module `state_space`), so the best `(ℓ_0, c)`
//! is a two-column least-squares problem (with `c ∈ [0, 1 − 10⁻¹⁰]`, i.e. `θ ∈ [1, 10¹⁰]`) solved
//! exactly; `α` is then found by a grid over `[0.1, 0.99]` (step 0.01) refined by golden-section
//! search. The result is the global minimum in `(ℓ_0, θ)` for every `α`, and is deterministic.
//!
//! **Intervals.** Normal, with `σ` the sample standard deviation (`n − 1` divisor) of the errors from
//! the fourth observation on, as statsforecast estimates it, and the exact variance of the
//! recursion's forecast under Gaussian innovations (module `state_space`) where statsforecast
//! simulates 200 paths. Mean and bounds are multiplied by the seasonal indices.

use serde::{Deserialize, Serialize};

use super::seasonality::{seasonal_adjustment, Adjustment, SeasonalTest};
use super::state_space::{forecast_variances, trend_line, Recursion, ThetaState};
use crate::control::Control;
use crate::error::{Error, Result};
use crate::models::{normal_intervals, response_residuals, validate_request, Fitted, Forecast, Forecaster};
use crate::series::{validate_finite, validate_season_length};

/// Fewest observations [`AutoTheta`] accepts (the criterion skips the first three errors and the
/// interval needs at least two more).
pub const AUTO_THETA_MIN_LENGTH: usize = 6;
/// Longest horizon [`AutoThetaFit`] forecasts: the exact forecast variance costs `O(h²)` steps of
/// the recursion.
pub const AUTO_THETA_MAX_HORIZON: usize = 10_000;
/// Bounds of the smoothing parameter α (statsforecast's).
const ALPHA_RANGE: (f64, f64) = (0.1, 0.99);
/// Largest θ (statsforecast's upper bound).
const THETA_MAX: f64 = 1e10;
/// Bound on `|ℓ_0|` (statsforecast's).
const LEVEL_MAX: f64 = 1e10;
/// Errors left out of the criterion at the start of the series (statsforecast's burn-in).
const BURN_IN: usize = 3;

/// One of the four theta models of Fiorucci et al. (2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ThetaVariant {
    /// Standard theta model: `θ = 2`, trend line fitted once on the whole series.
    Stm,
    /// Optimised theta model: `θ` estimated, trend line fitted once.
    Otm,
    /// Dynamic standard theta model: `θ = 2`, trend line re-fitted at every step.
    Dstm,
    /// Dynamic optimised theta model: `θ` estimated, trend line re-fitted at every step.
    Dotm,
}

impl ThetaVariant {
    /// All four, in the order they are tried (ties keep the earlier one).
    pub const ALL: [ThetaVariant; 4] = [ThetaVariant::Stm, ThetaVariant::Otm, ThetaVariant::Dstm, ThetaVariant::Dotm];

    fn dynamic(self) -> bool {
        matches!(self, ThetaVariant::Dstm | ThetaVariant::Dotm)
    }
    fn optimises_theta(self) -> bool {
        matches!(self, ThetaVariant::Otm | ThetaVariant::Dotm)
    }
    /// The paper's abbreviation, e.g. `DOTM`.
    pub fn code(self) -> &'static str {
        match self {
            ThetaVariant::Stm => "STM",
            ThetaVariant::Otm => "OTM",
            ThetaVariant::Dstm => "DSTM",
            ThetaVariant::Dotm => "DOTM",
        }
    }
}

/// Automatic theta model (statsforecast `AutoTheta`): STM, OTM, DSTM and DOTM on the seasonally
/// adjusted series, the smallest in-sample MSE wins.
///
/// ```
/// use forestock::models::{AutoTheta, Fitted, Forecaster};
/// let y: Vec<f64> = (0..60).map(|t| 50.0 + 1.5 * t as f64 + 8.0 * ((t % 4) as f64 - 1.5)).collect();
/// let fit = AutoTheta::new(4).fit(&y)?;
/// let fc = fit.predict(8, &[95.0])?;
/// assert!(fc.mean[7] > y[59] - 20.0);
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AutoTheta {
    /// Season length `m` (1 for non-seasonal data); tested as in R `thetaf` before adjusting.
    pub season_length: usize,
    /// Fit only this variant (all four when `None`).
    #[serde(default)]
    pub variant: Option<ThetaVariant>,
    /// Fixed smoothing parameter α in `(0, 1]` (estimated in `[0.1, 0.99]` when `None`).
    #[serde(default)]
    pub alpha: Option<f64>,
    /// Fixed θ ≥ 1 for OTM/DOTM (estimated when `None`; STM/DSTM always use 2).
    #[serde(default)]
    pub theta: Option<f64>,
    /// Fixed initial level `ℓ_0` (estimated when `None`).
    #[serde(default)]
    pub initial_level: Option<f64>,
}

impl AutoTheta {
    /// Select among the four variants for data with season length `season_length`.
    pub fn new(season_length: usize) -> Self {
        AutoTheta { season_length, variant: None, alpha: None, theta: None, initial_level: None }
    }
    /// Fit only `variant`.
    pub fn with_variant(mut self, variant: ThetaVariant) -> Self {
        self.variant = Some(variant);
        self
    }
    /// Fix α instead of estimating it.
    pub fn with_alpha(mut self, alpha: f64) -> Self {
        self.alpha = Some(alpha);
        self
    }
    /// Fix θ (for OTM/DOTM) instead of estimating it.
    pub fn with_theta(mut self, theta: f64) -> Self {
        self.theta = Some(theta);
        self
    }
    /// Fix the initial level `ℓ_0` instead of estimating it.
    pub fn with_initial_level(mut self, level: f64) -> Self {
        self.initial_level = Some(level);
        self
    }
}

/// The estimates of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VariantEstimate {
    /// Which model.
    pub variant: ThetaVariant,
    /// Smoothing parameter α.
    pub alpha: f64,
    /// Theta coefficient θ.
    pub theta: f64,
    /// Initial level `ℓ_0`.
    pub initial_level: f64,
    /// Selection criterion: mean squared one-step error from the fourth observation on.
    pub mse: f64,
}

/// A fitted [`AutoTheta`] model.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoThetaFit {
    season_length: usize,
    adjustment: Adjustment,
    chosen: VariantEstimate,
    candidates: Vec<VariantEstimate>,
    final_state: ThetaState,
    sigma2: f64,
    fitted: Vec<f64>,
    y: Vec<f64>,
}

impl Forecaster for AutoTheta {
    type Model = AutoThetaFit;

    fn fit(&self, y: &[f64]) -> Result<AutoThetaFit> {
        self.fit_with(y, &Control::new())
    }

    /// `control` is checked before each of the (at most four) variants is estimated.
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<AutoThetaFit> {
        control.check()?;
        let m = self.season_length;
        validate_season_length(m)?;
        if let Some(a) = self.alpha
            && !(a.is_finite() && a > 0.0 && a <= 1.0)
        {
            return Err(Error::invalid_parameter("alpha", a, "must be within (0, 1]"));
        }
        if let Some(t) = self.theta
            && !(t.is_finite() && (1.0..=THETA_MAX).contains(&t))
        {
            return Err(Error::invalid_parameter("theta", t, "must be within [1, 1e10]"));
        }
        if let Some(l) = self.initial_level
            && !(l.is_finite() && l.abs() <= LEVEL_MAX)
        {
            return Err(Error::invalid_parameter("initial_level", l, "must be finite, |l| <= 1e10"));
        }
        validate_finite(y, AUTO_THETA_MIN_LENGTH, "AutoTheta")?;
        let adjustment = seasonal_adjustment(y, m);
        let x = &adjustment.adjusted;
        let variants: Vec<ThetaVariant> = match self.variant {
            Some(v) => vec![v],
            None => ThetaVariant::ALL.to_vec(),
        };
        let mut candidates: Vec<VariantEstimate> = Vec::with_capacity(variants.len());
        for &variant in &variants {
            control.check()?;
            candidates.push(estimate(x, variant, self));
        }
        let chosen = candidates
            .iter()
            .filter(|c| c.mse.is_finite())
            .fold(None::<&VariantEstimate>, |best, c| match best {
                Some(b) if b.mse <= c.mse => Some(b),
                _ => Some(c),
            })
            .copied()
            .ok_or_else(|| Error::FitFailed {
                model: "AutoTheta".to_string(),
                reason: "no theta model has a finite in-sample error".to_string(),
            })?;
        let run = run_recursion(x, &chosen);
        let errors: Vec<f64> = x.iter().zip(&run.fitted).map(|(v, f)| v - f).collect();
        let tail = &errors[BURN_IN..];
        let mean_e = tail.iter().sum::<f64>() / tail.len() as f64;
        let sigma2 = tail.iter().map(|e| (e - mean_e).powi(2)).sum::<f64>() / (tail.len() - 1) as f64;
        let fitted = run.fitted.iter().zip(&adjustment.indices).map(|(f, s)| f * s).collect();
        Ok(AutoThetaFit {
            season_length: m,
            adjustment,
            chosen,
            candidates,
            final_state: run.final_state,
            sigma2,
            fitted,
            y: y.to_vec(),
        })
    }
}

/// In-sample one-step forecasts and the final state of a variant at given estimates.
struct Run {
    fitted: Vec<f64>,
    final_state: ThetaState,
}

fn recursion(alpha: f64, theta: f64, dynamic: bool) -> Recursion {
    Recursion { alpha, c: 1.0 - 1.0 / theta, dynamic }
}

/// The state "after 0 observations": `ℓ_0` and the static trend line (zero for dynamic models,
/// whose first forecast is the first observation).
fn start_state(x: &[f64], level: f64, dynamic: bool) -> ThetaState {
    let (a, b) = if dynamic { (0.0, 0.0) } else { trend_line(x) };
    ThetaState { level, mean: 0.0, a, b }
}

/// State after the first observation.
fn first_update(x: &[f64], rec: &Recursion, s0: &ThetaState) -> ThetaState {
    let level = rec.next_level(s0.level, x[0]);
    if rec.dynamic {
        ThetaState { level, mean: x[0], a: x[0], b: 0.0 }
    } else {
        ThetaState { level, mean: x[0], a: s0.a, b: s0.b }
    }
}

fn run_recursion(x: &[f64], est: &VariantEstimate) -> Run {
    let rec = recursion(est.alpha, est.theta, est.variant.dynamic());
    let s0 = start_state(x, est.initial_level, rec.dynamic);
    let mut fitted = Vec::with_capacity(x.len());
    fitted.push(if rec.dynamic { x[0] } else { rec.one_step(&s0, 0) });
    let mut state = first_update(x, &rec, &s0);
    for (t, &v) in x.iter().enumerate().skip(1) {
        fitted.push(rec.one_step(&state, t));
        state = rec.update(&state, t, v);
    }
    Run { fitted, final_state: state }
}

/// The criterion's regression at a given α: for `i ≥ 3`, `x_i − μ_i = r_i − ℓ_0 u_i − c d_i` with
/// `u_i = (1−α)^i` (the weight of `ℓ_0` in `ℓ_i`), `d_i` the trend term and `r_i = x_i − ℓ_i|_{ℓ_0=0}`.
struct Design {
    r: Vec<f64>,
    u: Vec<f64>,
    d: Vec<f64>,
}

/// The trend line `(A_t, B_t)` of the state after each observation `t = 1..n-1` that [`design`]
/// reads. It depends on the data only, not on α, so one path serves every α the search tries (its
/// running mean and slope, with three divisions per step in a dependent chain, were most of the
/// criterion's cost).
fn trend_path(x: &[f64], dynamic: bool) -> Vec<(f64, f64)> {
    // Any α: only the level depends on it, and the level is not kept.
    let rec = Recursion { alpha: 0.5, c: 0.0, dynamic };
    let mut state = first_update(x, &rec, &start_state(x, 0.0, dynamic));
    let mut path = Vec::with_capacity(x.len());
    for (t, &v) in x.iter().enumerate().skip(1) {
        path.push((state.a, state.b));
        state = rec.update(&state, t, v);
    }
    path
}

/// The design at `alpha` into `out`, from the series `x` and its [`trend_path`].
fn design(x: &[f64], alpha: f64, path: &[(f64, f64)], out: &mut Design) {
    // c = 0 and ℓ_0 = 0 isolate the data part of the level; the trend term does not depend on either.
    let rec = Recursion { alpha, c: 0.0, dynamic: false };
    let mut level = rec.next_level(0.0, x[0]);
    let q = 1.0 - alpha;
    out.r.clear();
    out.u.clear();
    out.d.clear();
    // q^t as a running product: three powers per step were over half of the criterion's cost, and
    // the product's rounding (about t/2 ulps) is far below what the regression can resolve.
    let mut qt = 1.0;
    for ((t, &v), &(a, b)) in x.iter().enumerate().skip(1).zip(path) {
        qt *= q;
        if t >= BURN_IN {
            out.r.push(v - level);
            out.u.push(qt);
            out.d.push(rec.trend_term_at(&ThetaState { level, mean: 0.0, a, b }, qt, qt * q));
        }
        level = rec.next_level(level, v);
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Best `(ℓ_0, c)` for the design (each fixed when given) and the sum of squares.
fn least_squares(des: &Design, fixed_level: Option<f64>, fixed_c: Option<f64>) -> (f64, f64, f64) {
    let uu = dot(&des.u, &des.u);
    let ur = dot(&des.u, &des.r);
    let ud = dot(&des.u, &des.d);
    let c = fixed_c.unwrap_or_else(|| {
        // With ℓ_0 free, profile it out: regress r⊥ on d⊥, the parts orthogonal to u; with ℓ_0
        // fixed, regress r − ℓ_0 u on d.
        let (mut num, mut den) = (0.0, 0.0);
        for ((r, u), d) in des.r.iter().zip(&des.u).zip(&des.d) {
            let (rp, dp) = match fixed_level {
                Some(l) => (r - l * u, *d),
                None if uu > 0.0 => (r - u * ur / uu, d - u * ud / uu),
                None => (*r, *d),
            };
            num += rp * dp;
            den += dp * dp;
        }
        let c_max = 1.0 - 1.0 / THETA_MAX;
        if den > 0.0 && (num / den).is_finite() {
            (num / den).clamp(0.0, c_max)
        } else {
            0.5
        }
    });
    let level = fixed_level.unwrap_or(if uu > 0.0 { ((ur - c * ud) / uu).clamp(-LEVEL_MAX, LEVEL_MAX) } else { 0.0 });
    let sse = des.r.iter().zip(&des.u).zip(&des.d).map(|((r, u), d)| (r - level * u - c * d).powi(2)).sum();
    (level, c, sse)
}

/// Estimate one variant on the adjusted series `x`.
fn estimate(x: &[f64], variant: ThetaVariant, settings: &AutoTheta) -> VariantEstimate {
    let dynamic = variant.dynamic();
    let fixed_c = if variant.optimises_theta() { settings.theta.map(|t| 1.0 - 1.0 / t) } else { Some(0.5) };
    let path = trend_path(x, dynamic);
    let len = x.len().saturating_sub(BURN_IN);
    let mut buffers = Design { r: Vec::with_capacity(len), u: Vec::with_capacity(len), d: Vec::with_capacity(len) };
    let mut at = |a: f64| {
        design(x, a, &path, &mut buffers);
        least_squares(&buffers, settings.initial_level, fixed_c)
    };
    let alpha = settings.alpha.unwrap_or_else(|| minimise_alpha(|a| at(a).2));
    let (level, c, sse) = at(alpha);
    let theta = 1.0 / (1.0 - c);
    let count = x.len().saturating_sub(BURN_IN).max(1);
    let mse = sse / count as f64;
    VariantEstimate {
        variant,
        alpha,
        theta,
        initial_level: level,
        mse: if mse.is_finite() { mse } else { f64::INFINITY },
    }
}

/// Minimise `f` over `ALPHA_RANGE`: a grid of step 0.01, then golden-section search around the best
/// grid point.
fn minimise_alpha(mut f: impl FnMut(f64) -> f64) -> f64 {
    let (lo, hi) = ALPHA_RANGE;
    let steps = ((hi - lo) / 0.01).round() as usize;
    let mut value = |a: f64| {
        let v = f(a);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut best = (lo, value(lo));
    for k in 1..=steps {
        let a = lo + 0.01 * k as f64;
        let v = value(a);
        if v < best.1 {
            best = (a, v);
        }
    }
    let (mut a, mut b) = ((best.0 - 0.01).max(lo), (best.0 + 0.01).min(hi));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = b - g * (b - a);
    let mut x2 = a + g * (b - a);
    let (mut f1, mut f2) = (value(x1), value(x2));
    for _ in 0..60 {
        if f1 <= f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = value(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = value(x2);
        }
    }
    let refined = if f1 <= f2 { (x1, f1) } else { (x2, f2) };
    if refined.1 <= best.1 {
        refined.0
    } else {
        best.0
    }
}

impl AutoThetaFit {
    /// The selected model and its estimates.
    pub fn chosen(&self) -> &VariantEstimate {
        &self.chosen
    }
    /// Every variant tried, in the order tried.
    pub fn candidates(&self) -> &[VariantEstimate] {
        &self.candidates
    }
    /// Variance of the innovations used by the intervals.
    pub fn sigma2(&self) -> f64 {
        self.sigma2
    }
    /// The seasonality test's decision.
    pub fn seasonal_test(&self) -> &SeasonalTest {
        &self.adjustment.test
    }
    /// `true` when the series was divided by multiplicative seasonal indices.
    pub fn seasonally_adjusted(&self) -> bool {
        matches!(self.adjustment.test, SeasonalTest::Adjusted { .. })
    }
}

impl Fitted for AutoThetaFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        if h > AUTO_THETA_MAX_HORIZON {
            return Err(Error::invalid_parameter("h", h, "AutoTheta forecasts at most 10000 steps"));
        }
        let n = self.y.len();
        let est = &self.chosen;
        let rec = recursion(est.alpha, est.theta, est.variant.dynamic());
        let base = rec.forecast(&self.final_state, n, h);
        let sd: Vec<f64> = forecast_variances(&rec, n, h, self.sigma2).iter().map(|v| v.max(0.0).sqrt()).collect();
        let mut intervals = normal_intervals(&base, &sd, levels);
        let index = |j: usize| self.adjustment.future_index(j, self.season_length);
        for iv in &mut intervals {
            for j in 0..h {
                let (a, b) = (iv.lower[j] * index(j), iv.upper[j] * index(j));
                iv.lower[j] = a.min(b);
                iv.upper[j] = a.max(b);
            }
        }
        let mean = base.iter().enumerate().map(|(j, v)| v * index(j)).collect();
        Ok(Forecast { mean, intervals })
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        response_residuals(&self.y, &self.fitted)
    }

    /// The season length when the seasonality test leaves it unused, with the reason.
    fn unused_periods(&self) -> Vec<crate::models::DroppedPeriod> {
        self.adjustment.test.unused(self.season_length)
    }

    fn description(&self) -> String {
        let c = &self.chosen;
        format!(
            "AutoTheta {}(alpha={:.4}, theta={:.4}; {})",
            c.variant.code(),
            c.alpha,
            c.theta,
            self.adjustment.test.phrase(self.season_length)
        )
    }

    /// The chosen variant with its α, θ and `ℓ_0` fixed, over `y`: the seasonality test, the
    /// decomposition and (static variants) the trend line are recomputed in closed form, nothing is
    /// searched.
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        let c = &self.chosen;
        let spec = AutoTheta {
            season_length: self.season_length,
            variant: Some(c.variant),
            alpha: Some(c.alpha),
            theta: c.variant.optimises_theta().then_some(c.theta),
            initial_level: Some(c.initial_level),
        };
        Some(spec.fit(y).map(|fit| Box::new(fit) as Box<dyn Fitted>))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_series_give_results_or_typed_errors() {
        let constant = vec![5.0; 30];
        let with_zeros: Vec<f64> = (0..40).map(|t| if t % 4 == 0 { 0.0 } else { 10.0 + t as f64 }).collect();
        let signed: Vec<f64> = (0..40).map(|t| if t % 4 == 0 { -30.0 } else { 10.0 + (t % 4) as f64 }).collect();
        let huge: Vec<f64> = (0..30).map(|t| 1e150 * (1.0 + t as f64)).collect();
        for y in [&constant, &with_zeros, &signed, &huge] {
            for m in [1, 4] {
                if let Ok(fit) = AutoTheta::new(m).fit(y) {
                    let fc = fit.predict(6, &[80.0, 95.0]).expect("predict");
                    assert_eq!(fc.mean.len(), 6);
                    assert!(!fit.description().is_empty());
                }
                if let Ok(fit) = super::super::Theta::new(m).fit(y) {
                    assert!(fit.predict(6, &[95.0]).is_ok());
                }
            }
        }
        let fit = AutoTheta::new(1).fit(&constant).expect("constant series");
        assert!(fit.predict(AUTO_THETA_MAX_HORIZON + 1, &[]).is_err());
        let fc = fit.predict(3, &[95.0]).expect("predict");
        assert!(fc.mean.iter().all(|v| (v - 5.0).abs() < 1e-9), "{:?}", fc.mean);
    }

    #[test]
    fn selection_keeps_the_smallest_criterion() {
        let y: Vec<f64> = (0..50).map(|t| 10.0 + 0.5 * t as f64 + ((t * 13 % 7) as f64 - 3.0)).collect();
        let fit = AutoTheta::new(1).fit(&y).expect("fit");
        let best = fit.candidates().iter().map(|c| c.mse).fold(f64::INFINITY, f64::min);
        assert_eq!(fit.chosen().mse, best);
        assert_eq!(fit.candidates().len(), 4);
        // Every estimate respects the bounds.
        for c in fit.candidates() {
            assert!((0.1..=0.99).contains(&c.alpha) && c.theta >= 1.0, "{c:?}");
        }
    }

    /// The design at `alpha` computed by running the whole recursion, trend line included, as it
    /// was before [`trend_path`].
    fn design_by_full_recursion(x: &[f64], alpha: f64, dynamic: bool) -> Design {
        let rec = Recursion { alpha, c: 0.0, dynamic };
        let s0 = start_state(x, 0.0, dynamic);
        let mut state = first_update(x, &rec, &s0);
        let q = 1.0 - alpha;
        let mut out = Design { r: Vec::new(), u: Vec::new(), d: Vec::new() };
        let mut qt = 1.0;
        for (t, &v) in x.iter().enumerate().skip(1) {
            qt *= q;
            if t >= BURN_IN {
                out.r.push(v - state.level);
                out.u.push(qt);
                out.d.push(rec.trend_term_at(&state, qt, qt * q));
            }
            state = rec.update(&state, t, v);
        }
        out
    }

    #[test]
    fn the_design_from_the_trend_path_is_the_full_recursions_bit_for_bit() {
        let y: Vec<f64> = (0..90).map(|t| 40.0 + 0.3 * t as f64 + 7.0 * ((t * 7 % 12) as f64 - 5.5)).collect();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for dynamic in [false, true] {
            let path = trend_path(&y, dynamic);
            let mut des = Design { r: Vec::new(), u: Vec::new(), d: Vec::new() };
            for alpha in [0.1, 0.37, 0.5, 0.83, 0.99] {
                design(&y, alpha, &path, &mut des);
                let full = design_by_full_recursion(&y, alpha, dynamic);
                assert_eq!(bits(&des.r), bits(&full.r), "r at α {alpha}, dynamic {dynamic}");
                assert_eq!(bits(&des.u), bits(&full.u), "u at α {alpha}, dynamic {dynamic}");
                assert_eq!(bits(&des.d), bits(&full.d), "d at α {alpha}, dynamic {dynamic}");
            }
        }
    }
}
