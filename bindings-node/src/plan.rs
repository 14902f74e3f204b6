//! `plan` (the planning job over many SKUs) and `backtest` (rolling-origin evaluation): both run
//! on the libuv pool as `AsyncTask`s and resolve to plain objects with camelCase keys (arrays of
//! numbers, not typed arrays). Conversion only: `forestock::plan::run_plan`, `forestock::backtest`.

use forestock::backtest::{backtest as core_backtest, BacktestConfig, BacktestResult};
use forestock::plan::{run_plan, ItemMaster as CoreItemMaster, PlanConfig, PlanOutput, SkuHistory};
use forestock::{Error, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName};
use napi::ValueType;
use napi::{Env, Task};
use napi_derive::napi;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::convert::{from_js, from_options, to_js_json};
use crate::errors::to_js_rejection;
use crate::fitted::values;
use napi::bindgen_prelude::{Either, Float64Array};
use crate::spec::model_spec;

/// The demand history of one SKU, oldest period first.
#[napi(object)]
pub struct SkuHistoryInput {
    /// SKU identifier (joins with the item master).
    pub sku: String,
    /// Demand per period.
    pub demand: Either<Float64Array, Vec<f64>>,
}

/// Item master data of one SKU (the core's `ItemMaster`; times in periods).
#[napi(object)]
#[derive(Serialize)]
pub struct ItemMaster {
    /// SKU identifier.
    pub sku: String,
    /// Cost of one unit.
    pub unit_cost: f64,
    /// Mean lead time (periods).
    pub lead_time: f64,
    /// Standard deviation of the lead time (default 0).
    pub lead_time_sd: Option<f64>,
    /// Review period (default 1).
    pub review_period: Option<f64>,
    /// Units on hand (default 0).
    pub on_hand: Option<f64>,
    /// Units on order (default 0).
    pub on_order: Option<f64>,
    /// Backorders (default 0).
    pub backorders: Option<f64>,
    /// Minimum order quantity (default 0).
    pub moq: Option<f64>,
    /// Lot size (default 1).
    pub lot_size: Option<f64>,
    /// Largest order allowed.
    pub max_order: Option<f64>,
    /// Fixed cost per order (default 0).
    pub ordering_cost: Option<f64>,
    /// Holding cost per period as a fraction of the unit cost (default 0).
    pub holding_cost_rate: Option<f64>,
    /// Cycle service level overriding the ABC class target.
    pub service_level: Option<f64>,
}

/// A model given as a name (`'autoModel'`) or `{ model: 'ets', spec: 'MAdM', seasonLength: 12 }`.
fn parse_model(value: Value) -> Result<ModelSpec, Error> {
    match value {
        Value::String(name) => model_spec(&name, Value::Null),
        Value::Object(mut settings) => match settings.remove("model") {
            Some(Value::String(name)) => model_spec(&name, Value::Object(settings)),
            other => Err(Error::invalid_parameter("model", format!("{other:?}"), "must name a model")),
        },
        other => Err(Error::invalid_parameter("model", other, "must be a model name or { model, ...settings }")),
    }
}

fn object(what: &str, value: Option<Value>) -> Result<Map<String, Value>, Error> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(Error::invalid_parameter(what, other, "must be an object")),
    }
}

struct PlanRequest {
    histories: Vec<SkuHistory>,
    items: Vec<CoreItemMaster>,
    config: PlanConfig,
}

fn parse_plan(histories: Vec<SkuHistoryInput>, items: Vec<ItemMaster>, options: Option<Value>) -> Result<PlanRequest, Error> {
    let mut options = object("options", options)?;
    let model = options.remove("model").map(parse_model).transpose()?;
    let mut config: PlanConfig = from_js("options", Value::Object(options))?;
    if let Some(model) = model {
        config.model = model;
    }
    let items = items.iter().map(|item| from_options(&format!("items[{}]", item.sku), item)).collect::<Result<_, _>>()?;
    let histories = histories.into_iter().map(|h| SkuHistory { demand: values(&h.demand).to_vec(), sku: h.sku }).collect();
    Ok(PlanRequest { histories, items, config })
}

/// The planning job on the libuv pool.
pub struct PlanTask {
    request: Option<Result<PlanRequest, Error>>,
}

/// A core result as a JS object (camelCase keys), the resolved value of an `AsyncTask`.
pub struct JsonObject(Value);

impl TypeName for JsonObject {
    fn type_name() -> &'static str {
        "Object"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for JsonObject {
    /// # Safety
    /// Same contract as [`ToNapiValue::to_napi_value`] for `serde_json::Value`, which it delegates to.
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        // SAFETY: the caller passes a valid env, as for any ToNapiValue.
        unsafe { Value::to_napi_value(env, val.0) }
    }
}

fn settle<T: Serialize>(env: Env, output: Result<T, Error>) -> napi::Result<JsonObject> {
    let output = output.and_then(|o| Ok(serde_json::to_value(o)?)).map_err(|e| to_js_rejection(env, &e))?;
    Ok(JsonObject(to_js_json(output)))
}

impl Task for PlanTask {
    type Output = Result<PlanOutput, Error>;
    type JsValue = JsonObject;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = self.request.take().unwrap_or(Err(Error::Cancelled));
        Ok(request.and_then(|r| run_plan(&r.histories, &r.items, &r.config)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<JsonObject> {
        settle(env, output)
    }
}

/// Plan many SKUs: forecast each history, classify the catalogue (ABC), recommend orders. A SKU that
/// fails is listed in `failures` with its code; the others are planned. Options (all optional):
/// `horizon`, `levels`, `model` (name or `{ model, ...settings }`, default `{ model: 'autoModel',
/// seasonLength: 52 }`), `periodsPerYear`, `abc: { a, b }`, `serviceLevels: { a, b, c }`,
/// `sizing` (`'orderUpTo'` | `'eoq'`).
#[napi(
    ts_args_type = "histories: Array<SkuHistoryInput>, items: Array<ItemMaster>, options?: { horizon?: number, levels?: number[], model?: string | ({ model: string } & Record<string, unknown>), periodsPerYear?: number, abc?: { a: number, b: number }, serviceLevels?: { a: number, b: number, c: number }, sizing?: 'orderUpTo' | 'eoq' }",
    ts_return_type = "Promise<{ plans: Array<{ sku: string, abcClass: 'A' | 'B' | 'C', usageRank: number, demandPattern: string, model: string, modelReason: string, forecast: { mean: number[], intervals: Array<{ level: number, lower: number[], upper: number[] }> }, serviceLevel: number, recommendation: Recommendation }>, failures: Array<{ sku: string, code: string, message: string }>, stats: { skus: number, planned: number, failed: number, orders: number, orderValue: number, byPriority: Record<string, number>, byAbc: Record<string, number>, byModel: Record<string, number> } }>"
)]
pub fn plan(histories: Vec<SkuHistoryInput>, items: Vec<ItemMaster>, options: Option<Value>) -> AsyncTask<PlanTask> {
    AsyncTask::new(PlanTask { request: Some(parse_plan(histories, items, options)) })
}

struct BacktestRequest {
    y: Vec<f64>,
    spec: ModelSpec,
    config: BacktestConfig,
}

fn parse_backtest(y: Either<Float64Array, Vec<f64>>, options: Value) -> Result<BacktestRequest, Error> {
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
    Ok(BacktestRequest { y: values(&y).to_vec(), spec, config: from_js("options", Value::Object(config))? })
}

/// A rolling-origin backtest on the libuv pool.
pub struct BacktestTask {
    request: Option<Result<BacktestRequest, Error>>,
}

impl Task for BacktestTask {
    type Output = Result<BacktestResult, Error>;
    type JsValue = JsonObject;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = self.request.take().unwrap_or(Err(Error::Cancelled));
        Ok(request.and_then(|r| core_backtest(&r.y, &r.spec, &r.config)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<JsonObject> {
        settle(env, output)
    }
}

/// Rolling-origin backtest of one model on `y`: `windows` origins `step` periods apart, each
/// forecasting `h` steps; `seasonLength` sets both the model's season and the MASE scale.
#[napi(
    ts_args_type = "y: Float64Array | Array<number>, options: { model: string, h: number, windows: number, step: number, levels?: number[], seasonLength?: number } & Record<string, unknown>",
    ts_return_type = "Promise<{ windows: Array<{ origin: number, forecast: { mean: number[], intervals: Array<{ level: number, lower: number[], upper: number[] }> }, actual: number[], errors: number[], metrics: AccuracySummary }>, metrics: AccuracySummary, coverage: Array<{ level: number, coverage: number }> }>"
)]
pub fn backtest(y: Either<Float64Array, Vec<f64>>, options: Value) -> AsyncTask<BacktestTask> {
    AsyncTask::new(BacktestTask { request: Some(parse_backtest(y, options)) })
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
