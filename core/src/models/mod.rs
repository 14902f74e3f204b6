//! Forecasting models behind two traits.
//!
//! A [`Forecaster`] holds a model's settings and estimates it on a series; the result is a
//! [`Fitted`] model that produces a [`Forecast`] (point forecasts plus prediction intervals at any
//! levels). [`ModelSpec`] names any model with its settings as a serde enum, so a model choice can be
//! stored as JSON and fitted later through dynamic dispatch ([`ModelSpec::fit`]).

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::control::Control;
use crate::error::{Error, Result};

pub mod auto_model;
pub mod backtest;
pub mod batch;
mod caller_settings;
mod decompose;
pub mod ensemble;
pub mod ets;
mod fit_together;
pub mod holt_winters;
pub mod intermittent;
pub mod mstl;
pub mod naive;
pub mod periods;
pub mod stl;
pub mod theta;

pub use auto_model::{AutoModel, AutoModelFit};
pub use batch::{forecast_batch, forecast_batch_reporting, forecast_batch_with};
pub use ets::{AutoEts, Bounds, Criterion, Ets, EtsFit, EtsParams, EtsSpec, InformationCriterion};
pub use holt_winters::{HoltWinters, HoltWintersCoefficients, HoltWintersFit, Seasonality};
pub use intermittent::{
    Adida, CrostonClassic, CrostonOptimized, CrostonSba, Imapa, IntermittentFit, IntermittentMethod, Tsb,
};
pub use mstl::{DroppedPeriod, Mstl, MstlDecomposition, MstlFit};
pub use naive::{Naive, NaiveFit, SeasonalNaive, SeasonalNaiveFit};
pub use periods::Periods;
pub use stl::{SeasonalWindow, Stl, StlDecomposition, StlParams};
pub use theta::{AutoTheta, AutoThetaFit, Theta, ThetaFit, ThetaVariant};

/// A prediction interval at one level, for every step of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionInterval {
    /// Nominal coverage in percent, e.g. `95.0`.
    pub level: f64,
    /// Lower bound per horizon step.
    pub lower: Vec<f64>,
    /// Upper bound per horizon step.
    pub upper: Vec<f64>,
}

/// Point forecasts and prediction intervals for horizons `1..=h`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Point forecast (the mean of the forecast distribution) per horizon step.
    pub mean: Vec<f64>,
    /// One interval per requested level, in the order requested.
    pub intervals: Vec<PredictionInterval>,
}

impl Forecast {
    /// The interval at `level` (percent), if it was requested.
    pub fn interval(&self, level: f64) -> Option<&PredictionInterval> {
        self.intervals.iter().find(|i| (i.level - level).abs() < 1e-9)
    }
}

/// A model with its settings, ready to be estimated on a series.
pub trait Forecaster {
    /// The estimated model.
    type Model: Fitted + 'static;

    /// Estimate the model on `y` (oldest observation first).
    fn fit(&self, y: &[f64]) -> Result<Self::Model>;

    /// [`Forecaster::fit`] that stops with [`Error::Cancelled`] soon after `control`'s cancellation
    /// flag is set. The models whose estimation can run long (ETS and AutoETS, Holt-Winters,
    /// AutoTheta, MSTL, AutoModel, the ensembles) check the flag at every objective evaluation or
    /// candidate, so a fit on a long series stops within one pass over the data; the others check
    /// it once, before they start. With a flag that is never set the result is exactly `fit`'s.
    ///
    /// ```
    /// use std::sync::atomic::AtomicBool;
    /// use forestock::control::Control;
    /// use forestock::models::{AutoEts, Forecaster};
    /// let stop = AtomicBool::new(true); // already set: e.g. Ctrl-C arrived
    /// let y: Vec<f64> = (0..48).map(|t| 10.0 + (t % 12) as f64).collect();
    /// let out = AutoEts::new(12).fit_with(&y, &Control::new().with_cancel(&stop));
    /// assert!(matches!(out, Err(forestock::Error::Cancelled)));
    /// ```
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<Self::Model> {
        control.check()?;
        self.fit(y)
    }
}

/// An estimated model.
pub trait Fitted: Send + Sync + std::fmt::Debug {
    /// Forecast `h` steps ahead with prediction intervals at `levels` (percent, each in (0, 100)).
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast>;

    /// One-step-ahead in-sample fitted values, aligned with the training series
    /// (NaN where the model gives none, e.g. the first season of a seasonal naive model).
    fn fitted_values(&self) -> &[f64];

    /// In-sample response residuals `y - fitted` (NaN where the fitted value is undefined).
    fn residuals(&self) -> Vec<f64>;

    /// The seasonal periods this model was given but does not use, each with the reason (fewer
    /// than two full cycles in the data, a period above ETS's 24, a method without a season, ...).
    /// Empty when every period given is used, or none was given.
    ///
    /// A model never drops a period silently: the bindings only convert this list (Python emits a
    /// `forestock.UnusedSeasonWarning` per entry, Node returns it as `unusedPeriods`).
    fn unused_periods(&self) -> Vec<DroppedPeriod> {
        Vec::new()
    }

    /// A human-readable description of the estimated model, e.g. `ETS(M,Ad,M)`.
    fn description(&self) -> String;

    /// Each member's point forecast for `h` steps by member name, for a combination of models
    /// ([`crate::ensemble::EnsembleFit::member_forecasts`]); empty for a single model.
    fn member_forecasts(&self, h: usize) -> Result<Vec<(String, Vec<f64>)>> {
        let _ = h;
        Ok(Vec::new())
    }

    /// The same model with its estimated parameters held fixed, run over `y` instead of the
    /// training series: states are re-filtered, nothing is re-estimated. `y` is typically the
    /// training series extended by newer observations (the next backtest window), and the result
    /// forecasts from the end of `y`. This is how a backtest without refits (statsforecast's
    /// `refit=False`) scores a model at one likelihood pass per window.
    ///
    /// `None` when the model has no such form (or refitting it is as cheap); callers then refit.
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        let _ = y;
        None
    }
}

/// Any model of the crate with its settings, as a serializable value.
///
/// Serialized with an internal `"model"` tag, e.g. `{"model":"seasonal_naive","season_length":12}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModelSpec {
    /// See [`Naive`].
    Naive(Naive),
    /// See [`SeasonalNaive`].
    SeasonalNaive(SeasonalNaive),
    /// See [`Ets`].
    Ets(Ets),
    /// See [`AutoModel`].
    AutoModel(AutoModel),
    /// See [`crate::models::ensemble::Ensemble`].
    Ensemble(crate::models::ensemble::Ensemble),
    /// See [`crate::models::ensemble::Conformal`].
    Conformal(crate::models::ensemble::Conformal),
    /// See [`AutoEts`].
    AutoEts(AutoEts),
    /// See [`HoltWinters`].
    HoltWinters(HoltWinters),
    /// See [`CrostonClassic`].
    CrostonClassic(CrostonClassic),
    /// See [`CrostonOptimized`].
    CrostonOptimized(CrostonOptimized),
    /// See [`CrostonSba`].
    CrostonSba(CrostonSba),
    /// See [`Tsb`].
    Tsb(Tsb),
    /// See [`Adida`].
    Adida(Adida),
    /// See [`Imapa`].
    Imapa(Imapa),
    /// See [`Mstl`].
    Mstl(Mstl),
    /// See [`Theta`].
    Theta(Theta),
    /// See [`AutoTheta`].
    AutoTheta(AutoTheta),
}

impl ModelSpec {
    /// Fit the named model on `y`.
    pub fn fit(&self, y: &[f64]) -> Result<Box<dyn Fitted>> {
        self.fit_with(y, &Control::new())
    }

    /// [`ModelSpec::fit`] under a cancellation flag ([`Forecaster::fit_with`]).
    pub fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<Box<dyn Fitted>> {
        fn boxed<F: Forecaster>(f: &F, y: &[f64], control: &Control<'_>) -> Result<Box<dyn Fitted>> {
            Ok(Box::new(f.fit_with(y, control)?))
        }
        match self {
            ModelSpec::Naive(m) => boxed(m, y, control),
            ModelSpec::SeasonalNaive(m) => boxed(m, y, control),
            ModelSpec::Ets(m) => boxed(m, y, control),
            ModelSpec::AutoModel(m) => boxed(m, y, control),
            ModelSpec::Ensemble(m) => boxed(m, y, control),
            ModelSpec::Conformal(m) => boxed(m, y, control),
            ModelSpec::AutoEts(m) => boxed(m, y, control),
            ModelSpec::HoltWinters(m) => boxed(m, y, control),
            ModelSpec::CrostonClassic(m) => boxed(m, y, control),
            ModelSpec::CrostonOptimized(m) => boxed(m, y, control),
            ModelSpec::CrostonSba(m) => boxed(m, y, control),
            ModelSpec::Tsb(m) => boxed(m, y, control),
            ModelSpec::Adida(m) => boxed(m, y, control),
            ModelSpec::Imapa(m) => boxed(m, y, control),
            ModelSpec::Mstl(m) => boxed(m, y, control),
            ModelSpec::Theta(m) => boxed(m, y, control),
            ModelSpec::AutoTheta(m) => boxed(m, y, control),
        }
    }

    /// Fit on `y` and forecast `h` steps with intervals at `levels`.
    pub fn forecast(&self, y: &[f64], h: usize, levels: &[f64]) -> Result<Forecast> {
        self.fit(y)?.predict(h, levels)
    }

    /// Parse a JSON specification such as `{"model":"seasonal_naive","season_length":12}`.
    ///
    /// A malformed or unknown specification is an [`Error::InvalidParameter`] naming the missing
    /// field when serde reports one, `model` otherwise. An ETS code with a `Z` wildcard is the
    /// AutoETS search ([`ModelSpec::from_value`], [`Ets::resolve`]).
    pub fn from_json(json: &str) -> Result<ModelSpec> {
        let value = serde_json::from_str::<serde_json::Value>(json)
            .map_err(|e| Error::invalid_parameter("model", json, e.to_string()))?;
        ModelSpec::from_value(value)
    }

    /// The specification as JSON (the inverse of [`ModelSpec::from_json`]).
    pub fn to_json(&self) -> String {
        // Serializing plain data structs with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Short snake_case name of the model family (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Naive(_) => "naive",
            ModelSpec::SeasonalNaive(_) => "seasonal_naive",
            ModelSpec::Ets(_) => "ets",
            ModelSpec::AutoModel(_) => "auto_model",
            ModelSpec::Ensemble(_) => "ensemble",
            ModelSpec::Conformal(_) => "conformal",
            ModelSpec::AutoEts(_) => "auto_ets",
            ModelSpec::HoltWinters(_) => "holt_winters",
            ModelSpec::CrostonClassic(_) => "croston_classic",
            ModelSpec::CrostonOptimized(_) => "croston_optimized",
            ModelSpec::CrostonSba(_) => "croston_sba",
            ModelSpec::Tsb(_) => "tsb",
            ModelSpec::Adida(_) => "adida",
            ModelSpec::Imapa(_) => "imapa",
            ModelSpec::Mstl(_) => "mstl",
            ModelSpec::Theta(_) => "theta",
            ModelSpec::AutoTheta(_) => "auto_theta",
        }
    }
}

/// Read settings (a JSON object such as a [`ModelSpec`] or an [`Stl`]) into `T`.
///
/// A bad setting is an [`Error::InvalidParameter`] naming the field when it can be told: the
/// missing field, or the field holding the value serde rejected (a negative or too large count, a
/// string where a number belongs, an unknown variant); `settings` otherwise.
pub fn from_settings<T: serde::de::DeserializeOwned>(settings: &serde_json::Value) -> Result<T> {
    T::deserialize(settings).map_err(|e| {
        let message = e.to_string();
        let field = settings_error_field(settings, &message).unwrap_or_else(|| "settings".to_string());
        Error::invalid_parameter(field, settings, message)
    })
}

/// The field a serde error message is about: the missing field, or the first field (depth-first,
/// nested objects included) whose value is the one the message quotes.
pub(crate) fn settings_error_field(settings: &serde_json::Value, message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("missing field `") {
        return rest.split('`').next().map(str::to_string);
    }
    // "invalid value: integer `-1`, expected usize", "invalid type: string \"x\", expected ...",
    // "unknown variant `x`, expected one of ...".
    let quoted = if let Some(start) = message.find('`') {
        message[start + 1..].split('`').next()
    } else if let Some(start) = message.find('"') {
        message[start + 1..].split('"').next()
    } else {
        None
    }?;
    fn find(value: &serde_json::Value, quoted: &str) -> Option<String> {
        let serde_json::Value::Object(fields) = value else { return None };
        for (key, v) in fields {
            let matches = match v {
                serde_json::Value::String(s) => s == quoted,
                serde_json::Value::Number(n) => {
                    n.to_string() == quoted || n.as_f64().zip(quoted.parse::<f64>().ok()).is_some_and(|(a, b)| a == b)
                }
                serde_json::Value::Array(items) => items.iter().any(|i| match i {
                    serde_json::Value::Number(n) => n.to_string() == quoted,
                    serde_json::Value::String(s) => s == quoted,
                    _ => false,
                }),
                _ => false,
            };
            if matches && key != "model" {
                return Some(key.clone());
            }
            if let Some(inner) = find(v, quoted) {
                return Some(inner);
            }
        }
        None
    }
    find(settings, quoted)
}

/// Standard normal quantile `z` such that a central interval at `level` percent is `mean ± z sd`.
pub(crate) fn z_for_level(level: f64) -> f64 {
    let p = 0.5 + level / 200.0;
    // Normal::new(0, 1) cannot fail; fall back to a conservative constant if it ever did.
    Normal::new(0.0, 1.0).map(|n| n.inverse_cdf(p)).unwrap_or(f64::NAN)
}

/// Symmetric normal intervals `mean ± z(level) * sd` for each level (sd per horizon step).
pub(crate) fn normal_intervals(mean: &[f64], sd: &[f64], levels: &[f64]) -> Vec<PredictionInterval> {
    levels
        .iter()
        .map(|&level| {
            let z = z_for_level(level);
            PredictionInterval {
                level,
                lower: mean.iter().zip(sd).map(|(m, s)| m - z * s).collect(),
                upper: mean.iter().zip(sd).map(|(m, s)| m + z * s).collect(),
            }
        })
        .collect()
}

/// Response residuals `y - fitted`.
pub(crate) fn response_residuals(y: &[f64], fitted: &[f64]) -> Vec<f64> {
    y.iter().zip(fitted).map(|(a, f)| a - f).collect()
}

/// Return `forecast` only when every point forecast and interval bound is finite.
///
/// Data near the top of the f64 range (about 1e300) makes residual variances or trend
/// extrapolations overflow to ±inf (or NaN from inf − inf); a forecast holding them is not a result,
/// so it is an [`Error::FitFailed`] naming the model, the step and the quantity.
pub(crate) fn finite_forecast(model: &str, forecast: Forecast) -> Result<Forecast> {
    let overflow = |what: String, step: usize, value: f64| {
        Err(Error::FitFailed {
            model: model.to_string(),
            reason: format!(
                "non-finite {what} {value} at step {} (the data's magnitude overflows the arithmetic; rescale it)",
                step + 1
            ),
        })
    };
    if let Some((step, &v)) = forecast.mean.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return overflow("point forecast".to_string(), step, v);
    }
    for interval in &forecast.intervals {
        for (side, bounds) in [("lower", &interval.lower), ("upper", &interval.upper)] {
            if let Some((step, &v)) = bounds.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return overflow(format!("{side} {}% bound", interval.level), step, v);
            }
        }
    }
    Ok(forecast)
}

/// Reject a fitted-model call with an unusable horizon or levels.
pub(crate) fn validate_request(h: usize, levels: &[f64]) -> Result<()> {
    crate::series::validate_horizon(h)?;
    crate::series::validate_levels(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_json_round_trip_and_errors() {
        let spec = ModelSpec::from_json(r#"{"model":"seasonal_naive","season_length":12}"#).expect("spec");
        assert_eq!(spec, ModelSpec::SeasonalNaive(SeasonalNaive::new(12)));
        assert_eq!(ModelSpec::from_json(&spec.to_json()).expect("round trip"), spec);
        match ModelSpec::from_json(r#"{"model":"seasonal_naive"}"#) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "season_length"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(ModelSpec::from_json(r#"{"model":"nope"}"#), Err(Error::InvalidParameter { .. })));
        for (json, field) in [
            (r#"{"model":"seasonal_naive","season_length":-3}"#, "season_length"),
            (r#"{"model":"seasonal_naive","season_length":1e300}"#, "season_length"),
            (r#"{"model":"seasonal_naive","season_length":36893488147419103232}"#, "season_length"),
            (r#"{"model":"mstl","periods":[7, -1]}"#, "periods"),
            (r#"{"model":"auto_ets","season_length":4,"pattern":7}"#, "pattern"),
        ] {
            match ModelSpec::from_json(json) {
                Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, field, "{json}"),
                other => panic!("unexpected {other:?} for {json}"),
            }
        }
        let stl: Stl = from_settings(&serde_json::json!({"period": 7, "s_window": "periodic", "s_degree": 0,
            "t_degree": 1, "robust": false}))
        .expect("stl");
        assert_eq!(stl.period, 7);
        match from_settings::<Stl>(&serde_json::json!({"period": -7, "s_window": "periodic"})) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "period"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn non_finite_forecasts_are_errors() {
        let ok = Forecast { mean: vec![1.0], intervals: normal_intervals(&[1.0], &[1.0], &[95.0]) };
        assert!(finite_forecast("Naive", ok.clone()).is_ok());
        let wide = Forecast { intervals: normal_intervals(&[1.0], &[f64::INFINITY], &[95.0]), ..ok };
        match finite_forecast("Naive", wide) {
            Err(Error::FitFailed { model, reason }) => {
                assert_eq!(model, "Naive");
                assert!(reason.contains("lower 95% bound"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
