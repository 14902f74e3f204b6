//! `FittedModel` (an estimated core model, `Box<dyn Fitted>`) and the forecast objects.

use forestock::control::Control;
use forestock::{Error, Fitted, Forecast, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Object};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

use crate::control::{controlled, ControlledTask, Job};
use crate::errors::{guarded, to_js_error};
use crate::spec::horizon;
use crate::values::Values;

/// A series as JS passes it: a `Float64Array` or a plain array of numbers.
pub(crate) type SeriesValues = Either<Float64Array, Vec<f64>>;

/// Borrow the observations of a JS series.
pub(crate) fn values(y: &SeriesValues) -> &[f64] {
    match y {
        Either::A(typed) => typed,
        Either::B(plain) => plain,
    }
}

/// A prediction interval at one level.
#[napi(object, object_from_js = false)]
pub struct Interval {
    /// Nominal coverage in percent, e.g. 95.
    pub level: f64,
    /// Lower bound per horizon step.
    #[napi(ts_type = "Float64Array")]
    pub lower: Values,
    /// Upper bound per horizon step.
    #[napi(ts_type = "Float64Array")]
    pub upper: Values,
}

/// A seasonal period that a model was given but does not use, and why (the core's
/// `Fitted::unused_periods`): e.g. fewer than two full cycles in the data, or above ETS's 24.
#[napi(object, object_from_js = false)]
pub struct UnusedPeriod {
    /// The period as given.
    pub period: f64,
    /// Why the model does not use it.
    pub reason: String,
}

/// The unused periods of a fit, as JS objects.
pub(crate) fn unused_periods(periods: Vec<forestock::models::DroppedPeriod>) -> Vec<UnusedPeriod> {
    periods.into_iter().map(|d| UnusedPeriod { period: d.period as f64, reason: d.reason }).collect()
}

/// Point forecasts and prediction intervals for steps 1..=h.
#[napi(object, object_from_js = false)]
pub struct ForecastResult {
    /// Point forecast per horizon step.
    #[napi(ts_type = "Float64Array")]
    pub mean: Values,
    /// One interval per requested level, in the order requested.
    pub intervals: Vec<Interval>,
    /// Seasonal periods given that the model does not use, with the reason (empty when all are used).
    pub unused_periods: Vec<UnusedPeriod>,
}

impl From<Forecast> for ForecastResult {
    fn from(forecast: Forecast) -> Self {
        ForecastResult {
            unused_periods: Vec::new(),
            mean: Values(forecast.mean),
            intervals: forecast
                .intervals
                .into_iter()
                .map(|iv| Interval { level: iv.level, lower: Values(iv.lower), upper: Values(iv.upper) })
                .collect(),
        }
    }
}

/// A model estimated on one series (returned by a model's `fit`).
#[napi]
pub struct FittedModel {
    inner: Box<dyn Fitted>,
}

impl FittedModel {
    /// Fit `spec` on `y`.
    pub(crate) fn fit(spec: &ModelSpec, y: &SeriesValues) -> napi::Result<FittedModel, String> {
        guarded(|| spec.fit(values(y))).map(|inner| FittedModel { inner }).map_err(|e| to_js_error(&e))
    }

    /// The task of a model's `fitAsync`: `spec` fitted on a copy of `y` on the libuv pool, under
    /// the `signal` of `options` (the only other key it takes is `onProgress`).
    pub(crate) fn fit_async(
        env: &Env,
        spec: &ModelSpec,
        y: &SeriesValues,
        options: Option<&Object<'_>>,
    ) -> napi::Result<AsyncTask<ControlledTask<FitJob>>> {
        let job = FitJob { spec: spec.clone(), y: values(y).to_vec() };
        controlled(env, options, move |settings| match settings {
            Value::Object(keys) if !keys.is_empty() => {
                let key = keys.keys().next().cloned().unwrap_or_default();
                Err(Error::invalid_parameter(
                    &key,
                    "given",
                    "fitAsync takes only the options `signal` and `onProgress`",
                ))
            }
            _ => Ok(job),
        })
    }
}

/// One fit on the libuv pool (a model's `fitAsync`).
pub struct FitJob {
    spec: ModelSpec,
    y: Vec<f64>,
}

impl Job for FitJob {
    type Output = Box<dyn Fitted>;
    type JsValue = FittedModel;

    fn units(&self) -> usize {
        1
    }

    fn run(self, control: &Control<'_>) -> forestock::Result<Box<dyn Fitted>> {
        self.spec.fit_with(&self.y, control)
    }

    fn to_js(_env: Env, inner: Box<dyn Fitted>) -> napi::Result<FittedModel> {
        Ok(FittedModel { inner })
    }
}

#[napi]
impl FittedModel {
    /// Forecast `h` steps ahead with intervals at `levels` (percent, each in (0, 100)).
    #[napi]
    pub fn predict(&self, h: f64, levels: Option<Vec<f64>>) -> napi::Result<ForecastResult, String> {
        let h = horizon(h).map_err(|e| to_js_error(&e))?;
        let mut result = guarded(|| self.inner.predict(h, &levels.unwrap_or_default()))
            .map(ForecastResult::from)
            .map_err(|e| to_js_error(&e))?;
        result.unused_periods = unused_periods(self.inner.unused_periods());
        Ok(result)
    }

    /// Seasonal periods given to the model that it does not use, each `{ period, reason }`
    /// (empty when every period is used): a model never drops a period silently.
    #[napi(getter)]
    pub fn unused_periods(&self) -> Vec<UnusedPeriod> {
        unused_periods(self.inner.unused_periods())
    }

    /// One-step-ahead in-sample fitted values (NaN where the model gives none).
    #[napi(getter)]
    pub fn fitted_values(&self) -> Float64Array {
        Float64Array::new(self.inner.fitted_values().to_vec())
    }

    /// In-sample residuals `y - fittedValues`.
    #[napi(getter)]
    pub fn residuals(&self) -> Float64Array {
        Float64Array::new(self.inner.residuals())
    }

    /// Description of the estimated model, e.g. `SeasonalNaive(m=12)`.
    #[napi(getter)]
    pub fn description(&self) -> String {
        self.inner.description()
    }
}
