//! Intermittent demand methods: Croston (classic, optimised, SBA), TSB, ADIDA and IMAPA, with the
//! definitions of statsforecast 2.x (`python/statsforecast/models.py`, `src/ses.cpp`).
//!
//! All six produce a flat point forecast: a demand *rate* per period. The formulas and sources are
//! in the private submodules: `ses` (smoothing, golden-section search), `components` (sizes,
//! intervals, occurrence), `croston`, `tsb` and `aggregation` (ADIDA, IMAPA); see also
//! `docs/intermittent.md`.
//!
//! | model | rate | smoothing |
//! |---|---|---|
//! | [`CrostonClassic`] | `ẑ / p̂` | `α = 0.1` for sizes and intervals |
//! | [`CrostonOptimized`] | `ẑ / p̂` | each `α` by golden section on `[0.1, 0.3]` |
//! | [`CrostonSba`] | `0.95 ẑ / p̂` | `α = 0.1` |
//! | [`Tsb`] | `p̂ · ẑ` | `α_d`, `α_p` given, or each by golden section on `[0.1, 0.3]` |
//! | [`Adida`] | SES forecast of bucket sums / `k`, `k = round(mean interval)` | optimised |
//! | [`Imapa`] | mean over `k = 1..round(mean interval)` of the ADIDA-style forecasts | optimised |
//!
//! Input: finite, non-negative values (a negative value is [`crate::Error::Negative`] naming its index), at
//! least one observation. Fallbacks, never a panic: an all-zero series forecasts 0 (every method);
//! a single non-zero value `v` at 0-based position `i` gives Croston `v / (i + 1)` — the one observed
//! size over the one observed interval — and the other methods their ordinary formulas.
//!
//! Prediction intervals (forestock's choice; statsforecast offers only conformal intervals for these
//! models): normal approximation around the rate with `σ̂² = mean of the squared in-sample one-step
//! errors y_t - ŷ_t` (over periods with a fitted value), constant over the horizon (the forecast is a
//! per-period rate with no dynamics), censored at 0: `[max(0, ŷ - z σ̂), ŷ + z σ̂]`. With no fitted
//! value available (one observation) `σ̂ = 0`.
//!
//! ```
//! use forestock::models::{CrostonClassic, Fitted, Forecaster};
//! // Sizes [4, 2] and intervals [2, 3] (the first counted from the start), SES with α = 0.1:
//! // ẑ = 0.1·2 + 0.9·4 = 3.8, p̂ = 0.1·3 + 0.9·2 = 2.1.
//! let fit = CrostonClassic::new().fit(&[0.0, 4.0, 0.0, 0.0, 2.0])?;
//! assert!((fit.rate() - 3.8 / 2.1).abs() < 1e-12);
//! let fc = fit.predict(3, &[90.0])?;
//! assert!(fc.intervals[0].lower.iter().all(|v| *v >= 0.0));
//! # Ok::<(), forestock::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{validate_request, Fitted, Forecast, Forecaster, PredictionInterval};
use crate::error::Result;
use crate::series::{validate_in_range, validate_non_negative};

mod aggregation;
mod components;
mod croston;
mod ses;
mod tsb;

/// What one estimation produced (shared by every method).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Estimate {
    rate: f64,
    fitted: Vec<f64>,
    alpha_demand: Option<f64>,
    alpha_interval: Option<f64>,
    alpha_probability: Option<f64>,
    aggregation_level: Option<usize>,
}

/// Which intermittent method produced a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntermittentMethod {
    /// Croston's method, `α = 0.1`.
    CrostonClassic,
    /// Croston's method with optimised smoothing constants.
    CrostonOptimized,
    /// Syntetos-Boylan approximation (debiased Croston).
    CrostonSba,
    /// Teunter-Syntetos-Babai.
    Tsb,
    /// Aggregate-disaggregate intermittent demand approach.
    Adida,
    /// Intermittent multiple aggregation prediction algorithm.
    Imapa,
}

/// Croston's method with `α = 0.1` (Croston 1972).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CrostonClassic {}

/// Croston's method with each smoothing constant chosen on `[0.1, 0.3]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CrostonOptimized {}

/// Croston's method debiased by `0.95` (Syntetos & Boylan 2005), `α = 0.1`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CrostonSba {}

/// TSB (Teunter, Syntetos & Babai 2011). Constants left `None` are optimised (module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Tsb {
    /// Smoothing constant of the demand sizes, in `(0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha_d: Option<f64>,
    /// Smoothing constant of the demand probability, in `(0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha_p: Option<f64>,
}

/// ADIDA (Nikolopoulos et al. 2011).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Adida {}

/// IMAPA (Petropoulos & Kourentzes 2015).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Imapa {}

impl CrostonClassic {
    /// Classic Croston.
    pub fn new() -> Self {
        CrostonClassic {}
    }
}
impl CrostonOptimized {
    /// Optimised Croston.
    pub fn new() -> Self {
        CrostonOptimized {}
    }
}
impl CrostonSba {
    /// Croston SBA.
    pub fn new() -> Self {
        CrostonSba {}
    }
}
impl Tsb {
    /// TSB with fixed smoothing constants.
    pub fn new(alpha_d: f64, alpha_p: f64) -> Self {
        Tsb { alpha_d: Some(alpha_d), alpha_p: Some(alpha_p) }
    }
    /// TSB with both smoothing constants optimised.
    pub fn optimized() -> Self {
        Tsb { alpha_d: None, alpha_p: None }
    }
}
impl Adida {
    /// ADIDA.
    pub fn new() -> Self {
        Adida {}
    }
}
impl Imapa {
    /// IMAPA.
    pub fn new() -> Self {
        Imapa {}
    }
}

/// A fitted intermittent-demand model: a flat rate with in-sample fitted values.
#[derive(Debug, Clone, PartialEq)]
pub struct IntermittentFit {
    method: IntermittentMethod,
    estimate: Estimate,
    residuals: Vec<f64>,
    sigma: f64,
}

impl IntermittentFit {
    fn new(method: IntermittentMethod, y: &[f64], estimate: Estimate) -> Self {
        let residuals: Vec<f64> = y.iter().zip(&estimate.fitted).map(|(a, f)| a - f).collect();
        let defined: Vec<f64> = residuals.iter().copied().filter(|r| r.is_finite()).collect();
        // Root mean square, scaled by the largest error so that huge values do not overflow.
        let scale = defined.iter().fold(0.0f64, |m, r| m.max(r.abs()));
        let sigma = if defined.is_empty() || scale == 0.0 {
            0.0
        } else {
            scale * (defined.iter().map(|r| (r / scale).powi(2)).sum::<f64>() / defined.len() as f64).sqrt()
        };
        IntermittentFit { method, estimate, residuals, sigma }
    }

    /// The method that produced this fit.
    pub fn method(&self) -> IntermittentMethod {
        self.method
    }
    /// The forecast demand rate per period (every horizon step).
    pub fn rate(&self) -> f64 {
        self.estimate.rate
    }
    /// Root mean squared in-sample one-step error `σ̂` used by the intervals.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
    /// Smoothing constant of the demand sizes (Croston variants, TSB).
    pub fn alpha_demand(&self) -> Option<f64> {
        self.estimate.alpha_demand
    }
    /// Smoothing constant of the inter-demand intervals (Croston variants).
    pub fn alpha_interval(&self) -> Option<f64> {
        self.estimate.alpha_interval
    }
    /// Smoothing constant of the demand probability (TSB).
    pub fn alpha_probability(&self) -> Option<f64> {
        self.estimate.alpha_probability
    }
    /// Aggregation level (ADIDA) or the largest level averaged (IMAPA); `None` for an all-zero series.
    pub fn aggregation_level(&self) -> Option<usize> {
        self.estimate.aggregation_level
    }
}

fn fit_with(
    method: IntermittentMethod,
    y: &[f64],
    context: &str,
    run: impl Fn(&[f64]) -> Estimate,
) -> Result<IntermittentFit> {
    validate_non_negative(y, 1, context)?;
    Ok(IntermittentFit::new(method, y, run(y)))
}

impl Forecaster for CrostonClassic {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        fit_with(IntermittentMethod::CrostonClassic, y, "CrostonClassic", |y| croston::croston(y, 1.0))
    }
}

impl Forecaster for CrostonSba {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        fit_with(IntermittentMethod::CrostonSba, y, "CrostonSba", |y| croston::croston(y, croston::SBA_FACTOR))
    }
}

impl Forecaster for CrostonOptimized {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        fit_with(IntermittentMethod::CrostonOptimized, y, "CrostonOptimized", croston::croston_optimized)
    }
}

impl Forecaster for Tsb {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        for (name, value) in [("alpha_d", self.alpha_d), ("alpha_p", self.alpha_p)] {
            if let Some(a) = value {
                validate_in_range(name, a, 0.0, 1.0)?;
                if a == 0.0 {
                    return Err(crate::Error::invalid_parameter(name, a, "must be > 0"));
                }
            }
        }
        fit_with(IntermittentMethod::Tsb, y, "Tsb", |y| tsb::tsb(y, self.alpha_d, self.alpha_p))
    }
}

impl Forecaster for Adida {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        fit_with(IntermittentMethod::Adida, y, "Adida", aggregation::adida)
    }
}

impl Forecaster for Imapa {
    type Model = IntermittentFit;
    fn fit(&self, y: &[f64]) -> Result<IntermittentFit> {
        fit_with(IntermittentMethod::Imapa, y, "Imapa", aggregation::imapa)
    }
}

impl Fitted for IntermittentFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let rate = self.estimate.rate;
        let mean = vec![rate; h];
        let intervals = levels
            .iter()
            .map(|&level| {
                let half = super::z_for_level(level) * self.sigma;
                PredictionInterval { level, lower: vec![(rate - half).max(0.0); h], upper: vec![rate + half; h] }
            })
            .collect();
        super::finite_forecast(&self.description(), Forecast { mean, intervals })
    }

    fn fitted_values(&self) -> &[f64] {
        &self.estimate.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        self.residuals.clone()
    }

    fn description(&self) -> String {
        let e = &self.estimate;
        match self.method {
            IntermittentMethod::CrostonClassic => "CrostonClassic".into(),
            IntermittentMethod::CrostonSba => "CrostonSBA".into(),
            IntermittentMethod::CrostonOptimized => format!(
                "CrostonOptimized(alpha_d={:.4}, alpha_i={:.4})",
                e.alpha_demand.unwrap_or(f64::NAN),
                e.alpha_interval.unwrap_or(f64::NAN)
            ),
            IntermittentMethod::Tsb => format!(
                "TSB(alpha_d={:.4}, alpha_p={:.4})",
                e.alpha_demand.unwrap_or(f64::NAN),
                e.alpha_probability.unwrap_or(f64::NAN)
            ),
            IntermittentMethod::Adida => format!("ADIDA(k={})", e.aggregation_level.unwrap_or(0)),
            IntermittentMethod::Imapa => format!("IMAPA(k=1..{})", e.aggregation_level.unwrap_or(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ModelSpec;
    use crate::Error;
    use proptest::prelude::*;

    fn all_specs() -> Vec<ModelSpec> {
        vec![
            ModelSpec::CrostonClassic(CrostonClassic::new()),
            ModelSpec::CrostonOptimized(CrostonOptimized::new()),
            ModelSpec::CrostonSba(CrostonSba::new()),
            ModelSpec::Tsb(Tsb::new(0.2, 0.1)),
            ModelSpec::Tsb(Tsb::optimized()),
            ModelSpec::Adida(Adida::new()),
            ModelSpec::Imapa(Imapa::new()),
        ]
    }

    #[test]
    fn fallbacks_and_bad_input() {
        for spec in all_specs() {
            let fc = spec.forecast(&[0.0; 12], 3, &[95.0]).expect("all zero");
            assert_eq!(fc.mean, vec![0.0; 3], "{spec:?}");
            assert!(fc.intervals[0].lower.iter().all(|v| *v == 0.0));
            let one = spec.forecast(&[4.0], 2, &[80.0]).expect("one value");
            assert!(one.mean.iter().all(|v| v.is_finite() && *v >= 0.0));
            assert!(matches!(spec.fit(&[1.0, -2.0]), Err(Error::Negative { index: 1, .. })), "{spec:?}");
            assert!(matches!(spec.fit(&[]), Err(Error::EmptySeries)));
            assert!(matches!(spec.fit(&[1.0, f64::INFINITY]), Err(Error::NonFinite { index: 1, .. })));
            let huge = spec.forecast(&[0.0, 1e300, 0.0, 1e300], 1, &[95.0]).expect("huge");
            assert!(huge.mean[0].is_finite() && huge.intervals[0].upper[0].is_finite(), "{spec:?}");
        }
        // A constant series (no zeros): every method forecasts the constant.
        for spec in all_specs() {
            let fc = spec.forecast(&[5.0; 12], 2, &[]).expect("constant");
            assert!((fc.mean[0] - 5.0).abs() < 1e-12 * 5.0 || spec.name() == "croston_sba", "{spec:?}: {}", fc.mean[0]);
        }
        assert!((CrostonSba::new().fit(&[5.0; 12]).expect("fit").rate() - 4.75).abs() < 1e-12);
        // A single non-zero value: Croston rate = size / position.
        let fit = CrostonClassic::new().fit(&[0.0, 0.0, 0.0, 8.0, 0.0]).expect("fit");
        assert!((fit.rate() - 2.0).abs() < 1e-15);
        assert!(matches!(Tsb::new(0.0, 0.1).fit(&[1.0]), Err(Error::InvalidParameter { .. })));
        assert!(matches!(Tsb::new(0.2, 1.5).fit(&[1.0]), Err(Error::InvalidParameter { .. })));
    }

    #[test]
    fn spec_round_trips_through_json() {
        for spec in all_specs() {
            let json = serde_json::to_string(&spec).expect("serialize");
            let back: ModelSpec = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, spec, "{json}");
        }
        let tsb: ModelSpec = serde_json::from_str(r#"{"model":"tsb","alpha_d":0.2,"alpha_p":0.1}"#).expect("tsb");
        assert_eq!(tsb, ModelSpec::Tsb(Tsb::new(0.2, 0.1)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn forecasts_are_finite_and_non_negative(
            y in proptest::collection::vec(prop_oneof![3 => Just(0.0), 2 => 0.0f64..1000.0], 1..80)
        ) {
            for spec in all_specs() {
                let fc = spec.forecast(&y, 4, &[50.0, 95.0]).expect("valid input");
                for v in fc.mean.iter().chain(fc.intervals.iter().flat_map(|i| i.lower.iter().chain(&i.upper))) {
                    prop_assert!(v.is_finite() && *v >= 0.0, "{:?} gave {}", spec, v);
                }
                prop_assert!(fc.intervals[1].lower[0] <= fc.intervals[0].lower[0]);
                prop_assert!(fc.intervals[1].upper[0] >= fc.intervals[0].upper[0]);
            }
        }
    }
}
