//! `Registry` (champion/challenger model records per SKU, `forestock::registry`) and `retrain`
//! (the weekly retraining job, `forestock::plan::run_retrain`, on the libuv pool).
//!
//! The JS object owns the core registry behind an `Arc<Mutex<_>>`. `retrain` works on a snapshot
//! taken when it is called, so the event loop never waits for the lock while backtests run; when the
//! job finishes (on the JS thread) the updated registry replaces the shared one. If the registry was
//! changed in the meantime (another `promoteIfBetter`, `prune` or `retrain` settled first) the job
//! rejects with `ERR_INVALID_PARAMETER` naming `registry` instead of silently dropping that change.
//! Records and decisions are returned as plain objects with camelCase keys; dates are RFC 3339
//! strings.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use forestock::control::Control;
use forestock::models::Periods;
use forestock::plan::{
    run_retrain_with, RetrainConfig, RetrainReport as CoreRetrainReport, RetrainSettings, SkuHistory,
};
use forestock::registry::{
    Metrics, ModelRecord as CoreModelRecord, PromotionPolicy, Registry as CoreRegistry, TrainingWindow,
};
use forestock::{Error, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, Object, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::control::{controlled_job, ControlledTask, Job};
use crate::convert::{from_js, instant, json_fields, json_reason, model_like, model_list};
use crate::errors::{guarded, to_js_error, to_js_rejection};
use crate::plan::{sku_histories, JsonObject, SkuHistoryInput};
use crate::spec::normalize_number;

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

/// The registry and a counter of its changes (to detect a change while `retrain` ran).
pub struct Shared {
    registry: CoreRegistry,
    generation: u64,
}

/// Per-SKU champion/challenger model records with the history of promotion decisions.
#[napi]
pub struct Registry {
    shared: Arc<Mutex<Shared>>,
}

impl Registry {
    fn wrap(registry: CoreRegistry) -> Registry {
        Registry { shared: Arc::new(Mutex::new(Shared { registry, generation: 0 })) }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // No code path panics while holding the lock; a poisoned lock still holds a valid registry.
        self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn field<'a>(object: &Object<'a>, name: &str) -> Result<Option<Unknown<'a>>, Error> {
    let value = object.get::<Unknown<'_>>(name).map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    Ok(value.filter(|v| v.get_type().ok() != Some(ValueType::Null)))
}

fn required<'a>(object: &Object<'a>, name: &str, what: &str) -> Result<Unknown<'a>, Error> {
    field(object, name)?.ok_or_else(|| Error::invalid_parameter(name, "undefined", format!("is required: {what}")))
}

fn as_object<'a>(value: &Unknown<'a>, name: &str) -> Result<Object<'a>, Error> {
    if value.get_type().ok() != Some(ValueType::Object) {
        return Err(Error::invalid_parameter(
            name,
            value.get_type().map_or("?".into(), |t| format!("{t:?}")),
            "must be an object",
        ));
    }
    // SAFETY: checked to be an object.
    unsafe { value.cast::<Object<'_>>() }.map_err(|e| Error::invalid_parameter(name, "?", e.reason))
}

fn json(value: &Unknown<'_>, name: &str) -> Result<Value, Error> {
    // SAFETY: serde_json's conversion checks the value's type.
    unsafe { value.cast::<Value>() }.map_err(|e| Error::invalid_parameter(name, "?", json_reason(&e.reason)))
}

/// A challenger record and its decision time from `promoteIfBetter`'s second argument.
fn challenger(input: &Object<'_>) -> Result<(CoreModelRecord, DateTime<Utc>), Error> {
    let spec: ModelSpec =
        model_like(&required(input, "model", "a model instance, name or { model, ...settings }")?, "model")?;
    let metrics: Metrics = from_js(
        "metrics",
        json(&required(input, "metrics", "{ mase?, mape?, smape?, rmse?, mae?, bias? }")?, "metrics")?,
    )?;
    let trained_at = instant(&required(input, "trainedAt", "a Date")?, "trainedAt")?;
    let decided_at = field(input, "decidedAt")?.map(|t| instant(&t, "decidedAt")).transpose()?.unwrap_or(trained_at);
    let window = as_object(&required(input, "window", "{ observations, start?, end? }")?, "window")?;
    let observations =
        match json(&required(&window, "observations", "the number of observations used")?, "window.observations")? {
            Value::Number(n) if n.as_f64().is_some_and(|v| v >= 0.0 && v.fract() == 0.0 && v < 9.0e15) => {
                n.as_f64().unwrap_or(0.0) as usize
            }
            other => return Err(Error::invalid_parameter("window.observations", other, "must be an integer >= 0")),
        };
    let start = field(&window, "start")?.map(|t| instant(&t, "window.start")).transpose()?;
    let end = field(&window, "end")?.map(|t| instant(&t, "window.end")).transpose()?;
    let fitted_state =
        field(input, "fittedState")?.map(|v| json(&v, "fittedState")).transpose()?.unwrap_or(Value::Null);
    let record =
        CoreModelRecord::new(spec, fitted_state, metrics, TrainingWindow { start, end, observations }, trained_at);
    Ok((record, decided_at))
}

fn policy(value: Option<Value>) -> Result<PromotionPolicy, Error> {
    match value {
        None | Some(Value::Null) => Ok(PromotionPolicy::default()),
        Some(value) => from_js("policy", value),
    }
}

#[napi]
impl Registry {
    /// An empty registry; `policy` defaults to `{ metric: 'mase', minRelativeImprovement: 0.02 }`.
    #[napi(constructor, ts_args_type = "policy?: PromotionPolicyInput")]
    pub fn new(policy_input: Option<Value>) -> napi::Result<Self, String> {
        js(guarded(|| policy(policy_input).map(|p| Registry::wrap(CoreRegistry::new(p)))))
    }

    /// Submit a challenger for `sku`; it becomes champion when there is none or when it improves on
    /// the champion's metric by at least the policy's minimum relative improvement. Returns the
    /// decision (also appended to `history()`).
    #[napi(ts_args_type = "sku: string, challenger: ChallengerInput", ts_return_type = "PromotionDecision")]
    pub fn promote_if_better(&self, sku: String, challenger_input: Object<'_>) -> napi::Result<JsonObject, String> {
        let decide = || -> Result<JsonObject, Error> {
            let (record, decided_at) = challenger(&challenger_input)?;
            let mut shared = self.lock();
            let decision = shared.registry.promote_if_better(&sku, record, decided_at)?;
            shared.generation += 1;
            to_object(&decision)
        };
        js(guarded(decide))
    }

    /// The champion record of `sku`, or `null`.
    #[napi(ts_return_type = "ModelRecord | null")]
    pub fn champion(&self, sku: String) -> napi::Result<JsonObject, String> {
        let shared = self.lock();
        js(guarded(|| shared.registry.champion(&sku).map_or(Ok(JsonObject::from_value(Value::Null)), to_object)))
    }

    /// SKU identifiers, sorted.
    #[napi]
    pub fn skus(&self) -> Vec<String> {
        self.lock().registry.skus().map(str::to_string).collect()
    }

    /// Every promotion decision, oldest first.
    #[napi(ts_return_type = "Array<PromotionDecision>")]
    pub fn history(&self) -> napi::Result<JsonObject, String> {
        js(guarded(|| to_object(&self.lock().registry.history())))
    }

    /// The promotion policy.
    #[napi(
        getter,
        ts_return_type = "{ metric: 'mase' | 'mape' | 'smape' | 'rmse' | 'mae', minRelativeImprovement: number }"
    )]
    pub fn policy(&self) -> napi::Result<JsonObject, String> {
        js(guarded(|| to_object(self.lock().registry.policy())))
    }

    /// Keep only the `keep` most recent challengers and retired champions per SKU; returns how many
    /// records were dropped (champions and the history are kept).
    #[napi]
    pub fn prune(&self, keep: f64) -> napi::Result<u32, String> {
        if !(keep.is_finite() && keep >= 0.0 && keep.fract() == 0.0) {
            return js(guarded(|| Err(Error::invalid_parameter("keep", keep, "must be an integer >= 0"))));
        }
        let mut shared = self.lock();
        shared.generation += 1;
        Ok(shared.registry.prune(keep.min(u32::MAX as f64) as usize) as u32)
    }

    /// The registry as JSON (schema version 2).
    #[napi]
    pub fn to_json(&self) -> napi::Result<String, String> {
        js(guarded(|| self.lock().registry.to_json()))
    }

    /// Read a registry written by `toJson` (schema 1 or 2; older schemas are migrated).
    #[napi(factory)]
    pub fn from_json(text: String) -> napi::Result<Registry, String> {
        js(guarded(|| CoreRegistry::from_json(&text).map(Registry::wrap)))
    }

    /// Write the registry to a file as JSON, atomically (temp file, fsync, rename). Throws
    /// `ERR_CONFLICT` when the file moved on since this registry was loaded (another writer saved
    /// first): reload, re-apply and save again.
    #[napi]
    pub fn save(&self, path: String) -> napi::Result<(), String> {
        let mut shared = self.lock();
        js(guarded(|| shared.registry.save(path)))?;
        // The revision changed: a retrain started before this save must not swap in its older copy.
        shared.generation += 1;
        Ok(())
    }

    /// The file revision this registry was loaded at or last saved as (0 if never saved).
    #[napi(getter)]
    pub fn revision(&self) -> f64 {
        self.lock().registry.revision() as f64
    }

    /// Read a registry file written by `save`.
    #[napi(factory)]
    pub fn load(path: String) -> napi::Result<Registry, String> {
        js(guarded(|| CoreRegistry::load(path).map(Registry::wrap)))
    }
}

/// A core value as a plain JS object (camelCase keys).
fn to_object(value: &impl serde::Serialize) -> Result<JsonObject, Error> {
    JsonObject::from_core(value).map_err(|e| Error::Serialization(e.reason))
}

/// A validated `retrain` request with its registry snapshot (a [`Job`] on the libuv pool).
pub struct RetrainJob {
    histories: Vec<SkuHistory>,
    config: RetrainConfig,
    now: DateTime<Utc>,
    snapshot: CoreRegistry,
    generation: u64,
    shared: Arc<Mutex<Shared>>,
}

/// Read `retrain`'s options into the core's [`RetrainSettings`] (JS names: `seasonLength`, `h`);
/// the core fills the defaults and validates the design ([`RetrainSettings::config`]).
fn parse_retrain(options: Option<&Object<'_>>) -> Result<RetrainConfigAndNow, Error> {
    let Some(options) = options else {
        return Ok((RetrainSettings::default().config()?, Utc::now()));
    };
    let now = field(options, "now")?.map(|t| instant(&t, "now")).transpose()?.unwrap_or_else(Utc::now);
    let candidates = model_list(options, "candidates")?;
    let Value::Object(mut settings) = json_fields(options, &["now", "candidates"])? else {
        return Err(Error::invalid_parameter("options", "?", "must be an object"));
    };
    let season_length = match settings.remove("seasonLength") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            serde_json::from_value::<Periods>(normalize_number(value.clone()))
                .map_err(|e| Error::invalid_parameter("seasonLength", value, e.to_string()))?,
        ),
    };
    let mut take = |key: &str| settings.remove(key).filter(|v| !v.is_null());
    let retrain = RetrainSettings {
        season_length,
        candidates,
        windows: take("windows").map(|v| from_js("windows", v)).transpose()?,
        step: take("step").map(|v| from_js("step", v)).transpose()?,
        horizon: take("h").map(|v| from_js("h", v)).transpose()?,
        levels: take("levels").map(|v| from_js("levels", v)).transpose()?,
    };
    if let Some(key) = settings.keys().next() {
        return Err(Error::invalid_parameter(key.clone(), "…", "unknown retrain option"));
    }
    let config = retrain.config().map_err(|e| match e {
        Error::InvalidParameter { name, value, reason } if name == "season_length" => {
            Error::InvalidParameter { name: "seasonLength".into(), value, reason }
        }
        other => other,
    })?;
    Ok((config, now))
}

type RetrainConfigAndNow = (RetrainConfig, DateTime<Utc>);

impl Job for RetrainJob {
    /// The report, the updated registry and its generation, and the core's audit records of the run.
    type Output = (CoreRetrainReport, CoreRegistry, u64, Arc<Mutex<Shared>>, Value);
    type JsValue = JsonObject;

    fn units(&self) -> usize {
        self.histories.len()
    }

    fn run(mut self, control: &Control<'_>) -> forestock::Result<Self::Output> {
        let report = run_retrain_with(&self.histories, &mut self.snapshot, &self.config, self.now, control)?;
        let audit = serde_json::to_value(report.audit_entries(&self.config)?)?;
        Ok((report, self.snapshot, self.generation, self.shared, audit))
    }

    /// Swap the updated snapshot in, unless the registry changed while the job ran.
    fn to_js(env: Env, (report, updated, generation, shared, audit): Self::Output) -> napi::Result<JsonObject> {
        let settle = || -> Result<JsonObject, Error> {
            let mut shared = shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if shared.generation != generation {
                return Err(Error::invalid_parameter(
                    "registry",
                    "modified",
                    "was changed while retrain ran (another promoteIfBetter, prune or retrain); the run's result was discarded, run it again",
                ));
            }
            shared.registry = updated;
            shared.generation += 1;
            let mut value = to_object(&report)?.into_value();
            if let Value::Object(fields) = &mut value {
                fields.insert("audit".into(), audit);
            }
            Ok(JsonObject::from_value(value))
        };
        settle().map_err(|e| to_js_rejection(env, &e))
    }
}

/// The weekly retraining job on the libuv pool: for each SKU, backtest every candidate model, submit
/// the best (lowest MASE) to `registry`, which promotes it only if it beats the champion. Options:
/// `seasonLength` (default 1), `candidates` (models; default AutoModel, AutoETS, Croston-SBA, TSB,
/// naive), backtest design `h` (4), `windows` (4), `step` (1), `levels`, and `now` (the decision
/// time, default the current time). A SKU that cannot be scored is listed in `failures`.
#[napi(
    ts_args_type = "histories: Array<SkuHistoryInput>, registry: Registry, options?: RetrainOptions & JobControlOptions",
    ts_return_type = "Promise<RetrainReport>"
)]
pub fn retrain(
    env: Env,
    histories: Vec<SkuHistoryInput>,
    registry: &Registry,
    options: Option<Object<'_>>,
) -> napi::Result<AsyncTask<ControlledTask<RetrainJob>>> {
    let (snapshot, generation) = {
        let shared = registry.lock();
        (shared.registry.clone(), shared.generation)
    };
    let shared = registry.shared.clone();
    controlled_job(&env, options.as_ref(), || {
        Ok(parse_retrain(options.as_ref()).map(|(config, now)| RetrainJob {
            histories: sku_histories(histories).0,
            config,
            now,
            snapshot,
            generation,
            shared,
        }))
    })
}

/// Options of `retrain` (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct RetrainOptions {
    /// Seasonal period(s) of the data, e.g. `52` or `[7, 365]` (default 1).
    #[napi(ts_type = "number | number[]")]
    pub season_length: Option<Value>,
    /// Candidate models (default AutoModel, AutoETS, Croston-SBA, TSB, naive).
    #[napi(ts_type = "Array<ModelInstance | string | ({ model: string } & Record<string, unknown>)>")]
    pub candidates: Option<Value>,
    /// Backtest horizon (default 4).
    pub h: Option<f64>,
    /// Backtest windows (default 4).
    pub windows: Option<f64>,
    /// Periods between backtest origins (default 1).
    pub step: Option<f64>,
    /// Interval levels of the backtest (percent).
    pub levels: Option<Vec<f64>>,
    /// Decision time recorded in the registry (default: now).
    #[napi(ts_type = "Date | number | string")]
    pub now: Option<Value>,
}

/// `new Registry(policy)` (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct PromotionPolicyInput {
    /// Backtest metric compared, lower is better (default `'mase'`).
    #[napi(ts_type = "'mase' | 'mape' | 'smape' | 'rmse' | 'mae'")]
    pub metric: Option<String>,
    /// Minimum relative improvement `(champion - challenger) / champion` to promote, in [0, 1) (default 0.02).
    pub min_relative_improvement: Option<f64>,
}

/// Backtest accuracy figures of a model (each optional; declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct RegistryMetrics {
    /// Mean absolute scaled error.
    pub mase: Option<f64>,
    /// MAPE (percent).
    pub mape: Option<f64>,
    /// Symmetric MAPE (percent).
    pub smape: Option<f64>,
    /// Root mean squared error.
    pub rmse: Option<f64>,
    /// Mean absolute error.
    pub mae: Option<f64>,
    /// Mean error (actual - forecast).
    pub bias: Option<f64>,
    /// Any other figure, by name.
    #[napi(ts_type = "Record<string, number>")]
    pub other: Option<Value>,
}

/// The second argument of `promoteIfBetter` (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct ChallengerInput {
    /// The model: an instance of a model class, a name, or `{ model, ...settings }`.
    #[napi(ts_type = "ModelInstance | string | ({ model: string } & Record<string, unknown>)")]
    pub model: Value,
    /// Its backtest accuracy.
    pub metrics: RegistryMetrics,
    /// When it was estimated.
    #[napi(ts_type = "Date | number | string")]
    pub trained_at: Value,
    /// The data it was estimated on.
    #[napi(ts_type = "{ observations: number, start?: Date | number | string, end?: Date | number | string }")]
    pub window: Value,
    /// Summary of the fitted state (free JSON).
    #[napi(ts_type = "unknown")]
    pub fitted_state: Option<Value>,
    /// Decision time (default `trainedAt`).
    #[napi(ts_type = "Date | number | string")]
    pub decided_at: Option<Value>,
}

/// A stored model (declared for the types; dates are RFC 3339 strings).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct ModelRecord {
    /// Per-SKU version (1, 2, ... in submission order).
    pub version: f64,
    /// The core model spec, e.g. `{ model: 'seasonal_naive', seasonLength: 12 }`.
    #[napi(ts_type = "{ model: string } & Record<string, unknown>")]
    pub spec: Value,
    /// Summary of the fitted state.
    #[napi(ts_type = "unknown")]
    pub fitted_state: Value,
    /// Backtest accuracy.
    pub metrics: RegistryMetrics,
    /// Data the model was estimated on.
    #[napi(ts_type = "{ observations: number, start?: string, end?: string }")]
    pub training_window: Value,
    /// When it was estimated.
    pub created_at: String,
}

/// A champion/challenger decision (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct PromotionDecision {
    /// The SKU.
    pub sku: String,
    /// When it was decided.
    pub decided_at: String,
    /// Version given to the challenger.
    pub challenger_version: f64,
    /// Version of the champion at decision time (absent without champion).
    pub champion_version: Option<f64>,
    /// Metric compared.
    #[napi(ts_type = "'mase' | 'mape' | 'smape' | 'rmse' | 'mae'")]
    pub metric: String,
    /// Challenger's score.
    pub challenger_score: Option<f64>,
    /// Champion's score.
    pub champion_score: Option<f64>,
    /// Whether the challenger became champion.
    pub promoted: bool,
    /// Why.
    #[napi(
        ts_type = "{ outcome: 'no_champion' | 'champion_missing_metric' | 'challenger_missing_metric' } | { outcome: 'improved', relativeImprovement: number } | { outcome: 'insufficient_improvement', relativeImprovement: number, required: number }"
    )]
    pub reason: Value,
}

/// Result of `retrain` (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct RetrainReport {
    /// One outcome per retrained SKU, in input order.
    #[napi(
        ts_type = "Array<{ sku: string, scores: Array<{ model: string, mase?: number, error?: string }>, decision: PromotionDecision }>"
    )]
    pub outcomes: Value,
    /// SKUs that could not be retrained.
    #[napi(ts_type = "Array<{ sku: string, code: string, message: string }>")]
    pub failures: Value,
    /// The records the weekly job appends to the audit log (the core's `RetrainReport::audit_entries`:
    /// a `run` record, then a `promotion` record per champion change), keys as the core writes them.
    #[napi(ts_type = "Array<AuditEntry>")]
    pub audit: Value,
}
