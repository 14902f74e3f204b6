//! Classic Holt-Winters seasonal exponential smoothing, as R's `stats::HoltWinters`, with optional
//! trend damping.
//!
//! - Start values: R's decomposition of the first two seasons (`start` submodule docs).
//! - Filter (from period `m + 1` on) and SSE: `filter` submodule docs; `φ = 1` is R's filter exactly.
//! - Estimation: `α, β, γ ∈ [0, 1]` not fixed by the caller minimise the SSE. R uses L-BFGS-B from
//!   `(0.3, 0.1, 0.1)`; forestock uses its own box-constrained Nelder-Mead with restarts
//!   (`optimizer` submodule docs) from that start plus the three best points of a `6^d` grid, and keeps
//!   the lowest SSE. The damping factor `φ ∈ (0, 1]` is a fixed setting (default 1: undamped).
//! - Forecasts: `ŷ_{n+h} = (a + φ_h b) + s_{1+(h-1) mod m}` (additive) or `(a + φ_h b) · s_{…}`
//!   (multiplicative), with `φ_h = φ + … + φ^h` (`= h` undamped).
//! - Intervals (R's `predict.HoltWinters`): `ŷ ± z σ̂ √v_h`, `σ̂²` the sample variance of the
//!   in-sample one-step residuals, `ψ_j = α(1 + β φ_j) + γ(1-α)·[j mod m = 0]`.
//!   Additive: `v_h = 1 + Σ_{j=1}^{h-1} ψ_j²` (R's formula; Hyndman et al. 2008, Table 6.1).
//!   Multiplicative: `v_h = Σ_{j=0}^{h-1} (ψ_j s_r / s_{r-j})²` with `r = 1+(h-1) mod m`, indices mod
//!   `m` in `1..=m`, and `ψ_0 = 1`. R's code uses `ψ_0 = α + γ(1-α)` and reads the trend coefficient
//!   `b` in place of `s_m` when `r - j ≡ 0`; forestock uses the intended `ψ_0 = 1` and `s_m` (a
//!   documented deviation; the approximation itself is R's).
//!
//! Sources: R 4.x `src/library/stats/R/HoltWinters.R` and `src/library/stats/src/HoltWinters.c`;
//! Holt (1957), Winters (1960); Gardner & McKenzie (1985) for damping. See `docs/holt_winters.md`.
//!
//! ```
//! use forestock::models::{Fitted, Forecaster, HoltWinters};
//! let y: Vec<f64> = (0..48).map(|t| 100.0 + t as f64 + [8.0, -3.0, 5.0, -10.0][t % 4]).collect();
//! let fit = HoltWinters::additive(4).fit(&y)?;
//! // R's start level sits a few periods off the filter start, so the fit converges rather than
//! // starting exact; the forecast of this noiseless trend + season is still very close.
//! let fc = fit.predict(4, &[95.0])?;
//! assert!((fc.mean[0] - (148.0 + 8.0)).abs() < 0.5, "{}", fc.mean[0]);
//! assert!(fc.intervals[0].lower[0] <= fc.mean[0]);
//! # Ok::<(), forestock::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{validate_request, Fitted, Forecast, Forecaster, PredictionInterval};
use crate::control::Control;
use crate::error::{Error, Result};
use crate::series::{validate_finite, validate_in_range, validate_positive, validate_season_length};

mod filter;
mod optimizer;
mod start;

use filter::Smoothing;
use optimizer::BoxProblem;

/// How the seasonal component combines with level and trend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seasonality {
    /// `y = level + trend + season + error`.
    #[default]
    Additive,
    /// `y = (level + trend) · season + error` (strictly positive data).
    Multiplicative,
}

/// Holt-Winters forecaster settings. Smoothing parameters left `None` are estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoltWinters {
    /// Number of periods in a season (at least 2).
    pub season_length: usize,
    /// Additive or multiplicative seasonality.
    #[serde(default)]
    pub seasonality: Seasonality,
    /// Level smoothing `α ∈ (0, 1]`; estimated when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// Trend smoothing `β ∈ [0, 1]`; estimated when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<f64>,
    /// Seasonal smoothing `γ ∈ [0, 1]`; estimated when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamma: Option<f64>,
    /// Trend damping `φ ∈ (0, 1]`; `None` means undamped (`φ = 1`, R's model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phi: Option<f64>,
}

impl HoltWinters {
    /// Holt-Winters with the given season length and seasonality, all smoothing parameters estimated.
    pub fn new(season_length: usize, seasonality: Seasonality) -> Self {
        HoltWinters { season_length, seasonality, alpha: None, beta: None, gamma: None, phi: None }
    }

    /// Additive Holt-Winters.
    pub fn additive(season_length: usize) -> Self {
        Self::new(season_length, Seasonality::Additive)
    }

    /// Multiplicative Holt-Winters.
    pub fn multiplicative(season_length: usize) -> Self {
        Self::new(season_length, Seasonality::Multiplicative)
    }

    /// Fix the level smoothing parameter `α`.
    pub fn with_alpha(mut self, alpha: f64) -> Self {
        self.alpha = Some(alpha);
        self
    }

    /// Fix the trend smoothing parameter `β`.
    pub fn with_beta(mut self, beta: f64) -> Self {
        self.beta = Some(beta);
        self
    }

    /// Fix the seasonal smoothing parameter `γ`.
    pub fn with_gamma(mut self, gamma: f64) -> Self {
        self.gamma = Some(gamma);
        self
    }

    /// Damp the trend with factor `φ ∈ (0, 1]`.
    pub fn with_damping(mut self, phi: f64) -> Self {
        self.phi = Some(phi);
        self
    }

    /// Minimum number of observations: two seasons for the start values plus two filtered periods.
    pub fn min_length(&self) -> usize {
        self.season_length.saturating_mul(2).saturating_add(2)
    }

    fn validate(&self, y: &[f64]) -> Result<()> {
        let m = self.season_length;
        validate_season_length(m)?;
        if m < 2 {
            return Err(Error::invalid_parameter(
                "season_length",
                m,
                "Holt-Winters needs a season of at least 2 periods (use ETS or SES for m = 1)",
            ));
        }
        if let Some(a) = self.alpha {
            validate_in_range("alpha", a, 0.0, 1.0)?;
            if a == 0.0 {
                return Err(Error::invalid_parameter("alpha", a, "must be > 0 (a model needs a level)"));
            }
        }
        if let Some(b) = self.beta {
            validate_in_range("beta", b, 0.0, 1.0)?;
        }
        if let Some(g) = self.gamma {
            validate_in_range("gamma", g, 0.0, 1.0)?;
        }
        if let Some(phi) = self.phi {
            validate_in_range("phi", phi, 0.0, 1.0)?;
            if phi == 0.0 {
                return Err(Error::invalid_parameter("phi", phi, "must be > 0"));
            }
        }
        validate_finite(y, self.min_length(), "HoltWinters")?;
        if self.seasonality == Seasonality::Multiplicative {
            validate_positive(y, "multiplicative HoltWinters")?;
        }
        Ok(())
    }
}

/// Final state of a fitted Holt-Winters model (R's `coefficients`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoltWintersCoefficients {
    /// Level `a` at the end of the series.
    pub a: f64,
    /// Trend `b` at the end of the series.
    pub b: f64,
    /// Seasonal indices `s_1, …, s_m` for periods `n+1, …, n+m`.
    pub s: Vec<f64>,
}

/// A fitted Holt-Winters model.
#[derive(Debug, Clone, PartialEq)]
pub struct HoltWintersFit {
    seasonality: Seasonality,
    season_length: usize,
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
    coefficients: HoltWintersCoefficients,
    sse: f64,
    fitted: Vec<f64>,
    residuals: Vec<f64>,
    /// The power of two the data were divided by during estimation.
    scale: f64,
    /// Residual variance of the scaled data (`σ̂² / scale²`).
    scaled_variance: f64,
}

impl Forecaster for HoltWinters {
    type Model = HoltWintersFit;

    fn fit(&self, y: &[f64]) -> Result<HoltWintersFit> {
        self.fit_with(y, &Control::new())
    }

    /// Once `control` is cancelled every objective evaluation returns NaN at once (the optimiser's
    /// worst value, so it runs out its bounded evaluations in microseconds) and the fit returns
    /// [`Error::Cancelled`].
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<HoltWintersFit> {
        control.check()?;
        self.validate(y)?;
        // Work on y / 2^k with 2^k <= max|y|: exact in binary floating point, so results equal the
        // unscaled computation bit for bit, while sums of squares of huge data cannot overflow.
        let scale = power_of_two_scale(y);
        let scaled: Vec<f64> = y.iter().map(|v| v / scale).collect();
        let y = scaled.as_slice();
        let m = self.season_length;
        let start = start::start_values(y, m, self.seasonality);
        let phi = self.phi.unwrap_or(1.0);
        let fixed = [self.alpha, self.beta, self.gamma];
        // Complete the free coordinates of p with the fixed values.
        let complete = |p: &[f64]| -> Smoothing {
            let mut it = p.iter();
            let mut pick = |v: Option<f64>| v.unwrap_or_else(|| it.next().copied().unwrap_or(0.0));
            Smoothing { alpha: pick(fixed[0]), beta: pick(fixed[1]), gamma: pick(fixed[2]), phi }
        };
        let r_start = [0.3, 0.1, 0.1];
        let free_start: Vec<f64> = fixed.iter().zip(r_start).filter(|(f, _)| f.is_none()).map(|(_, s)| s).collect();
        let params = if free_start.is_empty() {
            complete(&[])
        } else {
            let problem = BoxProblem {
                lo: 0.0,
                hi: 1.0,
                starts: vec![free_start],
                grid: vec![0.05, 0.2, 0.4, 0.6, 0.8, 0.95],
                grid_starts: 3,
            };
            let objective = |points: &[&[f64]], values: &mut [f64]| {
                if control.is_cancelled() {
                    values.fill(f64::NAN);
                    return;
                }
                let settings: [Smoothing; optimizer::LANES] =
                    std::array::from_fn(|k| complete(points.get(k).copied().unwrap_or(points[0])));
                filter::sse_lanes(y, m, self.seasonality, &settings[..points.len()], &start, values);
            };
            let (best, _) = optimizer::minimise(objective, &problem);
            control.check()?;
            complete(&best)
        };
        let out = filter::filter(y, m, self.seasonality, params, &start);
        if !(out.sse.is_finite() && out.level.is_finite() && out.trend.is_finite())
            || out.season.iter().any(|s| !s.is_finite())
        {
            return Err(Error::FitFailed {
                model: "HoltWinters".into(),
                reason: "the filter diverged (non-finite state or SSE)".into(),
            });
        }
        let residuals: Vec<f64> = y.iter().zip(&out.fitted).map(|(a, f)| (a - f) * scale).collect();
        let scaled_variance = sample_variance(&scaled_residuals(&residuals[m..], scale));
        let season_scale = match self.seasonality {
            Seasonality::Additive => scale,
            Seasonality::Multiplicative => 1.0,
        };
        Ok(HoltWintersFit {
            seasonality: self.seasonality,
            season_length: m,
            alpha: params.alpha,
            beta: params.beta,
            gamma: params.gamma,
            phi,
            coefficients: HoltWintersCoefficients {
                a: out.level * scale,
                b: out.trend * scale,
                s: out.season.iter().map(|v| v * season_scale).collect(),
            },
            sse: out.sse * scale * scale,
            fitted: out.fitted.iter().map(|v| v * scale).collect(),
            residuals,
            scale,
            scaled_variance,
        })
    }
}

/// The largest power of two not above `max |y|` (1 for an all-zero series).
fn power_of_two_scale(y: &[f64]) -> f64 {
    let max = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 && max.is_finite() {
        2f64.powi(max.log2().floor() as i32)
    } else {
        1.0
    }
}

fn scaled_residuals(residuals: &[f64], scale: f64) -> Vec<f64> {
    residuals.iter().map(|r| r / scale).collect()
}

/// Sample variance with denominator `n - 1` (R's `var`).
fn sample_variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

impl HoltWintersFit {
    /// Level smoothing parameter `α` used.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Trend smoothing parameter `β` used.
    pub fn beta(&self) -> f64 {
        self.beta
    }
    /// Seasonal smoothing parameter `γ` used.
    pub fn gamma(&self) -> f64 {
        self.gamma
    }
    /// Damping factor `φ` (1 when undamped).
    pub fn phi(&self) -> f64 {
        self.phi
    }
    /// Final level, trend and seasonal indices (R's `coefficients`: `a`, `b`, `s1..sm`).
    pub fn coefficients(&self) -> &HoltWintersCoefficients {
        &self.coefficients
    }
    /// Sum of squared one-step errors over periods `m+1..n` (R's `SSE`).
    pub fn sse(&self) -> f64 {
        self.sse
    }
    /// Sample variance of the in-sample one-step residuals (`σ̂²` of the intervals).
    pub fn residual_variance(&self) -> f64 {
        self.scaled_variance * self.scale * self.scale
    }
    /// Additive or multiplicative.
    pub fn seasonality(&self) -> Seasonality {
        self.seasonality
    }
    /// Season length `m`.
    pub fn season_length(&self) -> usize {
        self.season_length
    }

    /// `φ_j = φ + φ² + … + φ^j` (`j` when undamped).
    fn damped_sum(&self, j: usize) -> f64 {
        if self.phi == 1.0 {
            return j as f64;
        }
        (1..=j).map(|i| self.phi.powi(i as i32)).sum()
    }

    /// `ψ_j = α(1 + β φ_j) + γ(1-α)[j mod m = 0]`.
    fn psi(&self, j: usize) -> f64 {
        let seasonal = if j.is_multiple_of(self.season_length) { self.gamma * (1.0 - self.alpha) } else { 0.0 };
        self.alpha * (1.0 + self.beta * self.damped_sum(j)) + seasonal
    }

    /// Forecast variance multiplier `v_h` (module docs).
    fn variance_factor(&self, h: usize) -> f64 {
        let m = self.season_length;
        match self.seasonality {
            Seasonality::Additive => 1.0 + (1..h).map(|j| self.psi(j).powi(2)).sum::<f64>(),
            Seasonality::Multiplicative => {
                let s = &self.coefficients.s;
                let r = (h - 1) % m;
                (0..h)
                    .map(|j| {
                        let c = if j == 0 { 1.0 } else { self.psi(j) };
                        let back = (r + m - j % m) % m;
                        (c * s[r] / s[back]).powi(2)
                    })
                    .sum()
            }
        }
    }
}

impl Fitted for HoltWintersFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let c = &self.coefficients;
        let m = self.season_length;
        let mean: Vec<f64> = (1..=h)
            .map(|step| {
                let base = c.a + self.damped_sum(step) * c.b;
                let s = c.s[(step - 1) % m];
                match self.seasonality {
                    Seasonality::Additive => base + s,
                    Seasonality::Multiplicative => base * s,
                }
            })
            .collect();
        let sd: Vec<f64> =
            (1..=h).map(|step| (self.scaled_variance * self.variance_factor(step)).sqrt() * self.scale).collect();
        let intervals: Vec<PredictionInterval> = super::normal_intervals(&mean, &sd, levels);
        super::finite_forecast("HoltWinters", Forecast { mean, intervals })
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        self.residuals.clone()
    }

    fn description(&self) -> String {
        let kind = match self.seasonality {
            Seasonality::Additive => "additive",
            Seasonality::Multiplicative => "multiplicative",
        };
        let damping = if self.phi < 1.0 { format!(", phi={}", self.phi) } else { String::new() };
        format!("HoltWinters({kind}, m={}{damping})", self.season_length)
    }

    /// The same α, β, γ and φ over `y`: R's start values from `y`'s first seasons (unchanged when
    /// `y` extends the training series), then the filter; nothing is optimised.
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        if self.alpha <= 0.0 {
            return None; // a boundary estimate that a fixed-parameter spec refuses: refit instead
        }
        let spec = HoltWinters {
            season_length: self.season_length,
            seasonality: self.seasonality,
            alpha: Some(self.alpha),
            beta: Some(self.beta),
            gamma: Some(self.gamma),
            phi: (self.phi < 1.0).then_some(self.phi),
        };
        Some(spec.fit(y).map(|fit| Box::new(fit) as Box<dyn Fitted>))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_positive_series_fits_with_finite_ordered_forecasts(
            y in proptest::collection::vec(1.0f64..1000.0, 10..60),
            multiplicative in any::<bool>(),
        ) {
            let model = if multiplicative { HoltWinters::multiplicative(4) } else { HoltWinters::additive(4) };
            let fit = model.fit(&y).expect("valid input");
            prop_assert!(fit.sse().is_finite() && fit.sse() >= 0.0);
            for p in [fit.alpha(), fit.beta(), fit.gamma()] {
                prop_assert!((0.0..=1.0).contains(&p));
            }
            let fc = fit.predict(8, &[80.0, 95.0]).expect("predict");
            for k in 0..8 {
                prop_assert!(fc.mean[k].is_finite());
                prop_assert!(fc.intervals[1].lower[k] <= fc.intervals[0].lower[k]);
                prop_assert!(fc.intervals[0].upper[k] <= fc.intervals[1].upper[k]);
            }
            // Same input, same output, bit for bit (Debug prints f64 exactly; NaN != NaN under ==).
            prop_assert_eq!(format!("{:?}", model.fit(&y).expect("refit")), format!("{fit:?}"));
        }
    }

    fn seasonal_series(n: usize) -> Vec<f64> {
        (0..n).map(|t| 50.0 + 0.8 * t as f64 + [6.0, -2.0, 3.0, -7.0][t % 4] + ((t * 7) % 5) as f64).collect()
    }

    #[test]
    fn fixed_parameters_are_kept_and_forecasts_are_finite() {
        let y = seasonal_series(40);
        let fit = HoltWinters::additive(4).with_alpha(0.3).with_beta(0.1).with_gamma(0.2).fit(&y).expect("fit");
        assert_eq!((fit.alpha(), fit.beta(), fit.gamma()), (0.3, 0.1, 0.2));
        let fc = fit.predict(8, &[80.0, 95.0]).expect("predict");
        assert!(fc.mean.iter().all(|v| v.is_finite()));
        let (i80, i95) = (&fc.intervals[0], &fc.intervals[1]);
        for k in 0..8 {
            assert!(i95.lower[k] < i80.lower[k] && i80.upper[k] < i95.upper[k]);
        }
        assert!(fit.fitted_values()[..4].iter().all(|v| v.is_nan()));
    }

    #[test]
    fn optimised_sse_is_no_worse_than_r_start() {
        let y = seasonal_series(48);
        let fit = HoltWinters::multiplicative(4).fit(&y).expect("fit");
        let start_only =
            HoltWinters::multiplicative(4).with_alpha(0.3).with_beta(0.1).with_gamma(0.1).fit(&y).expect("fit");
        assert!(fit.sse() <= start_only.sse());
    }

    #[test]
    fn damping_flattens_the_trend() {
        let y = seasonal_series(40);
        let undamped = HoltWinters::additive(4).fit(&y).expect("fit").predict(40, &[]).expect("p");
        let damped = HoltWinters::additive(4).with_damping(0.8).fit(&y).expect("fit").predict(40, &[]).expect("p");
        let slope = |v: &[f64]| v[39] - v[35];
        assert!(slope(&damped.mean).abs() < slope(&undamped.mean).abs());
    }

    #[test]
    fn additive_interval_factor_matches_hand_formula() {
        let y = seasonal_series(40);
        let fit = HoltWinters::additive(4).with_alpha(0.5).with_beta(0.2).with_gamma(0.3).fit(&y).expect("fit");
        // h = 5: 1 + Σ_{j=1}^{4} (α(1+βj) + γ(1-α)[j=4])².
        let psi = |j: f64, seas: bool| 0.5 * (1.0 + 0.2 * j) + if seas { 0.3 * 0.5 } else { 0.0 };
        let expected =
            1.0 + psi(1.0, false).powi(2) + psi(2.0, false).powi(2) + psi(3.0, false).powi(2) + psi(4.0, true).powi(2);
        assert!((fit.variance_factor(5) - expected).abs() < 1e-12);
    }

    #[test]
    fn spec_round_trips_and_huge_values_do_not_panic() {
        use crate::models::ModelSpec;
        let spec = ModelSpec::HoltWinters(HoltWinters::multiplicative(12).with_damping(0.9).with_gamma(0.2));
        let json = serde_json::to_string(&spec).expect("serialize");
        assert_eq!(serde_json::from_str::<ModelSpec>(&json).expect("deserialize"), spec, "{json}");
        let minimal: ModelSpec =
            serde_json::from_str(r#"{"model":"holt_winters","season_length":4}"#).expect("minimal");
        assert_eq!(minimal, ModelSpec::HoltWinters(HoltWinters::additive(4)));
        let huge: Vec<f64> = seasonal_series(40).iter().map(|v| v * 1e300).collect();
        // Estimation runs on data divided by a power of two: huge values fit, and (being an exact
        // rescaling) give 1e300 times the forecasts of the original data, up to the optimiser tolerance.
        let base = HoltWinters::additive(4).fit(&seasonal_series(40)).expect("fit").predict(2, &[95.0]).expect("p");
        let fc = HoltWinters::additive(4).fit(&huge).expect("fit huge").predict(2, &[95.0]).expect("predict");
        for (a, b) in fc.mean.iter().zip(&base.mean) {
            assert!(a.is_finite() && (a / 1e300 - b).abs() <= 1e-6 * b.abs(), "{a} vs {b}");
        }
        assert!(fc.intervals[0].upper.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let y = seasonal_series(40);
        assert!(matches!(HoltWinters::additive(1).fit(&y), Err(Error::InvalidParameter { .. })));
        assert!(matches!(HoltWinters::additive(4).fit(&y[..9]), Err(Error::TooShort { .. })));
        assert!(matches!(HoltWinters::additive(4).with_alpha(0.0).fit(&y), Err(Error::InvalidParameter { .. })));
        assert!(matches!(HoltWinters::additive(4).with_damping(1.5).fit(&y), Err(Error::InvalidParameter { .. })));
        let mut neg = y.clone();
        neg[3] = -1.0;
        assert!(matches!(HoltWinters::multiplicative(4).fit(&neg), Err(Error::NonPositive { index: 3, .. })));
        let mut nan = y;
        nan[5] = f64::NAN;
        assert!(matches!(HoltWinters::additive(4).fit(&nan), Err(Error::NonFinite { index: 5, .. })));
        let constant = vec![3.0; 20];
        let fc = HoltWinters::additive(4).fit(&constant).expect("fit").predict(3, &[95.0]).expect("p");
        assert!(fc.mean.iter().all(|v| (v - 3.0).abs() < 1e-9));
    }
}
