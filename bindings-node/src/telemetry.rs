//! `runMetrics` and `prometheusText`: run metrics of plans, retrains and jobs (`forestock::telemetry`).
//! Conversion only.

use chrono::Utc;
use std::collections::BTreeMap;

use forestock::telemetry::{to_prometheus, ClassAccuracy, RunKind, RunMetrics};
use forestock::Error;
use napi_derive::napi;
use serde_json::Value;

use crate::convert::{from_js, to_core_json, to_js_json};
use crate::errors::to_js_error;

fn run_metrics_of(kind: String, job: String, duration_seconds: f64, options: Option<Value>) -> Result<Value, Error> {
    let kind: RunKind = from_js("kind", Value::String(kind))?;
    let mut options = match options {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map,
        Some(other) => return Err(Error::invalid_parameter("options", other, "must be an object")),
    };
    let summary = to_core_json(options.remove("summary").unwrap_or(Value::Null));
    let ok = match options.remove("ok") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(ok)) => ok,
        Some(other) => return Err(Error::invalid_parameter("ok", other, "must be a boolean")),
    };
    let finished_at = match options.remove("finishedAt") {
        None | Some(Value::Null) => Utc::now().timestamp_millis() as f64 / 1000.0,
        Some(value) => {
            value.as_f64().ok_or_else(|| Error::invalid_parameter("finishedAt", &value, "must be a number"))?
        }
    };
    let realised: Option<BTreeMap<String, ClassAccuracy>> = match options.remove("realised") {
        None | Some(Value::Null) => None,
        // Class names are data: read as given, not converted from camelCase.
        Some(value) => Some(
            serde_json::from_value(value.clone())
                .map_err(|e| Error::invalid_parameter("realised", value, e.to_string()))?,
        ),
    };
    if let Some(key) = options.keys().next() {
        return Err(Error::invalid_parameter(
            key,
            "given",
            "runMetrics options are `summary`, `ok`, `finishedAt` and `realised`",
        ));
    }
    let mut metrics = RunMetrics::of_summary(kind, &job, ok, &summary, duration_seconds, finished_at)?;
    if let Some(realised) = realised {
        metrics = metrics.with_realised(realised);
    }
    Ok(to_js_json(serde_json::to_value(metrics)?))
}

/// The metrics record of one run: `kind` `'plan'` (`options.summary`: a `plan` result's `stats`),
/// `'retrain'` (`options.summary`: a `retrain` report) or `'job'` (no summary); `options.ok: false`
/// marks a run that threw; `options.finishedAt` is seconds since the epoch (default now);
/// `options.realised` is the realised accuracy by ABC class (`realisedAccuracy`). Render
/// records with `prometheusText`. The scheduler makes one per finished run (`metrics` event).
#[napi(
    ts_args_type = "kind: 'plan' | 'retrain' | 'job', job: string, durationSeconds: number, options?: { summary?: object | null, ok?: boolean, finishedAt?: number, realised?: Record<string, { skus: number, mape?: number, mase?: number }> | null } | null",
    ts_return_type = "RunMetrics"
)]
pub fn run_metrics(
    kind: String,
    job: String,
    duration_seconds: f64,
    options: Option<Value>,
) -> napi::Result<Value, String> {
    run_metrics_of(kind, job, duration_seconds, options).map_err(|e| to_js_error(&e))
}

/// The Prometheus text exposition (format 0.0.4) of metrics records: one gauge family per
/// quantity, e.g. `forestock_plan_duration_seconds{job="dailyPlan"}`, for a `/metrics` endpoint or
/// node_exporter's textfile collector (docs/operations.md).
#[napi(ts_args_type = "records: Array<RunMetrics>")]
pub fn prometheus_text(records: Vec<Value>) -> napi::Result<String, String> {
    let records: Result<Vec<RunMetrics>, Error> =
        records.into_iter().enumerate().map(|(i, r)| from_js(&format!("records[{i}]"), r)).collect();
    records.and_then(|r| to_prometheus(&r)).map_err(|e| to_js_error(&e))
}

/// A run's metrics record, as `runMetrics` returns it (declared for the TypeScript types).
#[napi(object, js_name = "RunMetrics", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct RunMetricsRecord {
    /// `'plan'`, `'retrain'` or `'job'`.
    #[napi(ts_type = "'plan' | 'retrain' | 'job'")]
    pub kind: String,
    /// The job's name (the `job` label).
    pub job: String,
    /// `'ok'`, `'degraded'` (plans) or `'failed'`.
    pub status: String,
    /// When the run finished, seconds since the epoch.
    pub finished_at: f64,
    /// Wall-clock duration in seconds.
    pub duration_seconds: f64,
    /// SKUs seen.
    pub skus: f64,
    /// SKUs planned or retrained.
    pub succeeded: f64,
    /// SKUs that failed.
    pub failed: f64,
    /// Failed SKUs by error code.
    #[napi(ts_type = "Record<string, number>")]
    pub failures_by_code: Value,
    /// SKUs that should reorder now (plans).
    pub orders: f64,
    /// Value of the recommended orders (plans).
    pub order_value: f64,
    /// Orders by priority (plans).
    #[napi(ts_type = "Record<string, number>")]
    pub orders_by_priority: Value,
    /// Orders by ABC class (plans).
    #[napi(ts_type = "Record<string, number>")]
    pub orders_by_class: Value,
    /// Champions replaced (retrains).
    pub promoted: f64,
    /// Realised accuracy by ABC class, once actuals exist.
    #[napi(ts_type = "Record<string, { skus: number, mape?: number, mase?: number }>")]
    pub realised: Value,
}
