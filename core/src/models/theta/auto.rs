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

use super::criterion::{Criterion, BURN_IN, LEVEL_MAX, THETA_MAX};
use super::seasonality::{seasonal_adjustment, Adjustment, SeasonalTest};
use super::state_space::{first_update, forecast_variances, start_state, Recursion, ThetaState};
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
        // One criterion per trend path (static, dynamic), shared by the variants on it.
        let mut criteria: [Option<Criterion<'_>>; 2] = [None, None];
        for &variant in &variants {
            control.check()?;
            let criterion =
                criteria[usize::from(variant.dynamic())].get_or_insert_with(|| Criterion::new(x, variant.dynamic()));
            candidates.push(estimate(criterion, variant, self));
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

/// Estimate one variant on its trend path's criterion.
fn estimate(criterion: &mut Criterion<'_>, variant: ThetaVariant, settings: &AutoTheta) -> VariantEstimate {
    let fixed_c = if variant.optimises_theta() { settings.theta.map(|t| 1.0 - 1.0 / t) } else { Some(0.5) };
    let level = settings.initial_level;
    let alpha = settings.alpha.unwrap_or_else(|| criterion.best_alpha(level, fixed_c));
    let (level, c, sse) = criterion.solve(alpha, level, fixed_c);
    let theta = 1.0 / (1.0 - c);
    let mse = sse / criterion.errors() as f64;
    VariantEstimate {
        variant,
        alpha,
        theta,
        initial_level: level,
        mse: if mse.is_finite() { mse } else { f64::INFINITY },
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
}
