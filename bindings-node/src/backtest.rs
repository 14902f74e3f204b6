//! `backtest` (rolling-origin evaluation of one series) and `backtestBatch` (many series): run on
//! the libuv pool as `AsyncTask`s and resolve to plain objects with camelCase keys (arrays of
//! numbers). Conversion only: `forestock::backtest::{backtest_with, backtest_batch_with}`.
//!
//! Progress (`options.onProgress`) is per series: the core runs one series' windows as one unit, so
//! `backtest` reports `(0|1, 1)`. An abort (`options.signal`) also reaches the fits inside a series,
//! which stop within one objective evaluation.

use forestock::backtest::{backtest_batch_with, backtest_with, BacktestConfig, BacktestResult as CoreBacktestResult};
use forestock::control::Control;
use forestock::{Error, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Object};
use napi::Env;
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::batch::{owned_series, BatchErrorInfo, SeriesInput};
use crate::control::{controlled, ControlledTask, Job};
use crate::convert::from_js;
use crate::fitted::values;
use crate::plan::{object, JsonObject};
use crate::spec::model_spec;

/// The model and backtest design read from a `backtest` options object.
fn parse_design(options: Value) -> Result<(ModelSpec, BacktestConfig), Error> {
    let mut settings = object("options", Some(options))?;
    let mut config = Map::new();
    for key in ["windows", "step", "levels"] {
        if let Some(value) = settings.remove(key) {
            config.insert(key.to_string(), value);
        }
    }
    if let Some(h) = settings.remove("h") {
        config.insert("horizon".to_string(), h);
    }
    let season_length = settings.get("seasonLength").or_else(|| settings.get("season_length")).cloned();
    if let Some(m) = season_length {
        config.insert("season_length".to_string(), m);
    }
    let model = match settings.remove("model") {
        Some(Value::String(name)) => name,
        other => return Err(Error::invalid_parameter("model", format!("{other:?}"), "must be a model name string")),
    };
    let spec = model_spec(&model, Value::Object(settings))?;
    Ok((spec, from_js("options", Value::Object(config))?))
}

/// A validated `backtest` request (one series).
pub struct BacktestRequest {
    y: Vec<f64>,
    spec: ModelSpec,
    config: BacktestConfig,
}

impl Job for BacktestRequest {
    type Output = CoreBacktestResult;
    type JsValue = JsonObject;

    fn units(&self) -> usize {
        1
    }

    fn run(self, control: &Control<'_>) -> forestock::Result<CoreBacktestResult> {
        control.run(|| backtest_with(&self.y, &self.spec, &self.config, control))
    }

    fn to_js(_env: Env, output: CoreBacktestResult) -> napi::Result<JsonObject> {
        JsonObject::from_core(&output)
    }
}

/// Rolling-origin backtest of one model on `y`: `windows` origins `step` periods apart, each
/// forecasting `h` steps; `seasonLength` sets both the model's season and the MASE scale.
/// `signal` / `onProgress` as in `backtestBatch` (one unit: the series).
#[napi(
    ts_args_type = "y: Float64Array | Array<number>, options: BacktestOptions & JobControlOptions & Record<string, unknown>",
    ts_return_type = "Promise<BacktestResult>"
)]
pub fn backtest(
    env: Env,
    y: Either<Float64Array, Vec<f64>>,
    options: Object<'_>,
) -> napi::Result<AsyncTask<ControlledTask<BacktestRequest>>> {
    controlled(&env, Some(&options), |settings| {
        let (spec, config) = parse_design(settings)?;
        Ok(BacktestRequest { y: values(&y).to_vec(), spec, config })
    })
}

/// A validated `backtestBatch` request.
pub struct BacktestBatchRequest {
    series: Vec<(String, Vec<f64>)>,
    spec: ModelSpec,
    config: BacktestConfig,
}

impl Job for BacktestBatchRequest {
    type Output = Vec<(String, forestock::Result<CoreBacktestResult>)>;
    type JsValue = JsonObject;

    fn units(&self) -> usize {
        self.series.len()
    }

    fn run(self, control: &Control<'_>) -> forestock::Result<Self::Output> {
        let borrowed: Vec<(&str, &[f64])> = self.series.iter().map(|(id, y)| (id.as_str(), y.as_slice())).collect();
        let results = backtest_batch_with(&borrowed, &self.spec, &self.config, control)?;
        Ok(self.series.into_iter().map(|(id, _)| id).zip(results).collect())
    }

    fn to_js(_env: Env, output: Self::Output) -> napi::Result<JsonObject> {
        let entries = output
            .into_iter()
            .map(|(id, result)| {
                let mut entry = match result {
                    Ok(result) => JsonObject::from_core(&result)?.into_value(),
                    Err(e) => {
                        let info = BatchErrorInfo::from(&e);
                        serde_json::json!({ "error": { "code": info.code, "message": info.message } })
                    }
                };
                if let Value::Object(fields) = &mut entry {
                    fields.insert("id".to_string(), Value::String(id));
                }
                Ok(entry)
            })
            .collect::<napi::Result<Vec<Value>>>()?;
        Ok(JsonObject::from_value(Value::Array(entries)))
    }
}

/// Backtest one model on many series in parallel (same options as `backtest`). Resolves to one
/// entry per series, in order: the series' backtest result with its `id`, or `{ id, error: { code,
/// message } }` for a series that failed. `signal` aborts between series (rejects with `code:
/// 'ERR_CANCELLED'`); `onProgress` receives `(seriesDone, seriesTotal)`.
#[napi(
    ts_args_type = "series: Array<SeriesInput>, options: BacktestOptions & JobControlOptions & Record<string, unknown>",
    ts_return_type = "Promise<Array<(BacktestResult & { id: string }) | BatchFailure>>"
)]
pub fn backtest_batch(
    env: Env,
    series: Vec<SeriesInput>,
    options: Object<'_>,
) -> napi::Result<AsyncTask<ControlledTask<BacktestBatchRequest>>> {
    controlled(&env, Some(&options), |settings| {
        let (spec, config) = parse_design(settings)?;
        Ok(BacktestBatchRequest { series: owned_series(series), spec, config })
    })
}

/// Options of `backtest` / `backtestBatch`; the model's own settings (camelCase) sit beside them.
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct BacktestOptions {
    /// Model name, camelCase or snake_case.
    pub model: String,
    /// Forecast horizon of each window.
    pub h: f64,
    /// Number of forecast origins.
    pub windows: f64,
    /// Periods between origins.
    pub step: f64,
    /// Interval levels in percent (their empirical coverage is reported).
    pub levels: Option<Vec<f64>>,
    /// Season length of the model and of the MASE scale.
    pub season_length: Option<f64>,
}

/// One rolling origin of a backtest (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct BacktestWindow {
    /// Training length (the forecast origin).
    pub origin: f64,
    /// The window's forecast.
    #[napi(ts_type = "{ mean: number[], intervals: Array<{ level: number, lower: number[], upper: number[] }> }")]
    pub forecast: Value,
    /// Actuals of the forecast steps.
    pub actual: Vec<f64>,
    /// `actual - forecast` per step.
    pub errors: Vec<f64>,
    /// Accuracy of this window.
    pub metrics: AccuracySummary,
}

/// Result of `backtest` (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct BacktestResult {
    /// One entry per origin, oldest first.
    pub windows: Vec<BacktestWindow>,
    /// Accuracy pooled over every window.
    pub metrics: AccuracySummary,
    /// Empirical coverage of each interval level.
    #[napi(ts_type = "Array<{ level: number, coverage: number }>")]
    pub coverage: Value,
}

/// Accuracy over backtest windows (the core's `AccuracySummary`; declared for the types).
#[napi(object)]
#[allow(dead_code)]
pub struct AccuracySummary {
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// MAPE in percent (absent when every actual is zero).
    pub mape: Option<f64>,
    /// Pairs skipped by MAPE (zero actuals).
    pub mape_skipped: f64,
    /// Symmetric MAPE in [0, 200].
    pub smape: f64,
    /// Mean absolute scaled error (absent when the in-sample scale is zero).
    pub mase: Option<f64>,
    /// Mean error `mean(actual - forecast)`.
    pub bias: f64,
}
