//! `forecastBatch`: many series on the libuv pool (an `AsyncTask`), parallel inside the core.
//!
//! Resolves to one entry per input series, in order: `{ id, mean, intervals }` or
//! `{ id, error: { code, message } }` for a series that failed. Invalid options (unknown model,
//! bad `h` or `levels`) reject the Promise with an `Error` carrying the core's `code`.

use forestock::control::Control;
use forestock::events::{forecast_batch_events, AppliedEvent, PlanEvents, SeriesEvents};
use forestock::models::{forecast_batch_reporting, DroppedPeriod};
use forestock::series::{validate_horizon, validate_levels};
use forestock::{Error, Forecast, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Object};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

use crate::control::{controlled, ControlledTask, Job};
use crate::fitted::{values, Interval};
use crate::spec::{horizon, model_spec};

/// One input series.
#[napi(object)]
pub struct SeriesInput {
    /// Identifier echoed in the result (e.g. a SKU).
    pub id: String,
    /// Observations, oldest first.
    pub y: Either<Float64Array, Vec<f64>>,
    /// Past event labels aligned with `y` (an event name, or `null` / `''` for none): those periods
    /// are replaced by the baseline before fitting (core `events`; see the `events` option).
    pub events: Option<Vec<Option<String>>>,
}

/// The series as owned `(id, values)` pairs for a job off the JS thread.
pub(crate) fn owned_series(series: Vec<SeriesInput>) -> Vec<(String, Vec<f64>)> {
    series.into_iter().map(|s| (s.id, values(&s.y).to_vec())).collect()
}

/// Past event labels of each series (an empty list when not given).
type Labels = Vec<Vec<Option<String>>>;

/// One series' forecast, the seasonal periods its model did not use and the events applied.
type SeriesForecast = (Forecast, Vec<DroppedPeriod>, Vec<AppliedEvent>);

/// The series as owned pairs with their past event labels (empty when not given).
fn owned_with_labels(series: Vec<SeriesInput>) -> (Vec<(String, Vec<f64>)>, Labels) {
    series.into_iter().map(|s| ((s.id, values(&s.y).to_vec()), s.events.unwrap_or_default())).unzip()
}

/// Common options of `forecastBatch`; the model's own settings (camelCase, e.g. `seasonLength`)
/// sit beside them in the same object. Declared for the TypeScript types: the options arrive as
/// one JSON object so that any model's settings pass through unchanged.
#[napi(object)]
#[allow(dead_code)]
pub struct BatchOptions {
    /// Model name, camelCase or snake_case (`'seasonalNaive'`, `'seasonal_naive'`).
    pub model: String,
    /// Forecast horizon (steps).
    pub h: f64,
    /// Interval levels in percent, e.g. `[80, 95]`.
    pub levels: Option<Vec<f64>>,
    /// Future events by forecast period (core `events`): each scales the mean and bounds at its
    /// period by its `uplift` (given, or learned from the series' past `events` labels) and widens
    /// the intervals by the spread of a learned uplift.
    pub events: Option<Vec<crate::events::EventOption>>,
}

/// Why one series failed.
#[napi(object)]
pub struct BatchErrorInfo {
    /// Stable error code, e.g. `ERR_INVALID_SERIES`.
    pub code: String,
    /// Human-readable message naming the series and the problem.
    pub message: String,
}

/// The forecast of one series of a batch.
#[napi(object, object_from_js = false)]
pub struct BatchForecast {
    /// The series id.
    pub id: String,
    /// Point forecast per horizon step.
    #[napi(ts_type = "Float64Array")]
    pub mean: crate::values::Values,
    /// One interval per requested level.
    pub intervals: Vec<Interval>,
    /// Seasonal periods given that this series' model does not use, with the reason.
    pub unused_periods: Vec<crate::fitted::UnusedPeriod>,
    /// Future events applied to this forecast, with the uplift used (empty without events).
    pub events: Vec<crate::events::AppliedEventOutput>,
    /// Always absent on a forecast (declared so that `if (entry.error)` tells a failure apart
    /// under `tsc --strict`).
    #[napi(ts_type = "undefined")]
    pub error: Option<bool>,
}

/// A series of a batch that failed.
#[napi(object)]
pub struct BatchFailure {
    /// The series id.
    pub id: String,
    /// The error.
    pub error: BatchErrorInfo,
}

/// A validated `forecastBatch` request, owned so it can move to a libuv worker thread.
pub struct Request {
    spec: ModelSpec,
    h: usize,
    levels: Vec<f64>,
    series: Vec<(String, Vec<f64>)>,
    /// Known events per series (`None`: no labels and no `events` option).
    events: Option<(forestock::models::Periods, Vec<SeriesEvents>)>,
}

fn parse_request(series: Vec<SeriesInput>, options: Value) -> Result<Request, Error> {
    let Value::Object(mut options) = options else {
        return Err(Error::invalid_parameter("options", options, "must be an object"));
    };
    let model = match options.remove("model") {
        Some(Value::String(model)) => model,
        other => return Err(Error::invalid_parameter("model", format!("{other:?}"), "must be a model name string")),
    };
    let h = match options.remove("h") {
        Some(Value::Number(h)) => horizon(h.as_f64().unwrap_or(f64::NAN))?,
        other => return Err(Error::invalid_parameter("h", format!("{other:?}"), "must be an integer >= 1")),
    };
    let levels = match options.remove("levels") {
        None | Some(Value::Null) => Vec::new(),
        Some(levels) => serde_json::from_value::<Vec<f64>>(levels.clone())
            .map_err(|_| Error::invalid_parameter("levels", levels, "must be an array of numbers"))?,
    };
    validate_horizon(h)?;
    validate_levels(&levels)?;
    let future = crate::events::future_events(options.remove("events"))?;
    let periods = crate::events::season_length(options.get("seasonLength"))?;
    let spec = model_spec(&model, Value::Object(options))?;
    let (series, labels) = owned_with_labels(series);
    let events = if future.is_empty() && labels.iter().all(Vec::is_empty) {
        None
    } else {
        let plan = PlanEvents { future, ..PlanEvents::default() };
        let mut per_series = Vec::with_capacity(series.len());
        for ((id, y), past) in series.iter().zip(labels) {
            crate::events::check_labels(id, &past, y.len())?;
            per_series.push(SeriesEvents { past, future: plan.for_sku(id).future });
        }
        Some((periods, per_series))
    };
    Ok(Request { spec, h, levels, series, events })
}

impl Job for Request {
    type Output = Vec<(String, forestock::Result<SeriesForecast>)>;
    type JsValue = Vec<Either<BatchForecast, BatchFailure>>;

    fn units(&self) -> usize {
        self.series.len()
    }

    fn run(self, control: &Control<'_>) -> forestock::Result<Self::Output> {
        let borrowed: Vec<(&str, &[f64])> = self.series.iter().map(|(id, y)| (id.as_str(), y.as_slice())).collect();
        let results: Vec<forestock::Result<SeriesForecast>> = match &self.events {
            None => forecast_batch_reporting(&borrowed, &self.spec, self.h, &self.levels, control)?
                .into_iter()
                .map(|r| r.map(|(forecast, unused)| (forecast, unused, Vec::new())))
                .collect(),
            Some((periods, events)) => {
                forecast_batch_events(&borrowed, events, periods.as_given(), &self.spec, self.h, &self.levels, control)?
                    .into_iter()
                    .map(|r| r.map(|(out, unused)| (out.forecast, unused, out.applied)))
                    .collect()
            }
        };
        Ok(self.series.into_iter().map(|(id, _)| id).zip(results).collect())
    }

    fn to_js(_env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output
            .into_iter()
            .map(|(id, result)| match result {
                Ok((forecast, unused, applied)) => {
                    let forecast = crate::fitted::ForecastResult::from(forecast);
                    let unused_periods = crate::fitted::unused_periods(unused);
                    Either::A(BatchForecast {
                        id,
                        mean: forecast.mean,
                        intervals: forecast.intervals,
                        unused_periods,
                        events: applied.into_iter().map(Into::into).collect(),
                        error: None,
                    })
                }
                Err(e) => Either::B(BatchFailure { id, error: BatchErrorInfo::from(&e) }),
            })
            .collect())
    }
}

impl From<&Error> for BatchErrorInfo {
    fn from(e: &Error) -> Self {
        BatchErrorInfo { code: e.code().to_string(), message: e.to_string() }
    }
}

/// Forecast many series on the libuv thread pool; see the module docs for the result shape.
/// `options.signal` aborts the batch (rejects with `code: 'ERR_CANCELLED'`), `options.onProgress`
/// receives `(seriesDone, seriesTotal)`.
#[napi(
    ts_args_type = "series: Array<SeriesInput>, options: BatchOptions & JobControlOptions & Record<string, unknown>",
    ts_return_type = "Promise<Array<BatchForecast | BatchFailure>>"
)]
pub fn forecast_batch(
    env: Env,
    series: Vec<SeriesInput>,
    options: Object<'_>,
) -> napi::Result<AsyncTask<ControlledTask<Request>>> {
    controlled(&env, Some(&options), |settings| parse_request(series, settings))
}
