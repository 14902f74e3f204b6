//! `plan` (the planning job over many SKUs): runs on the libuv pool as an `AsyncTask` and resolves
//! to a plain object with camelCase keys (arrays of numbers, not typed arrays); and
//! `classifyCatalogue` (the ABC step alone). Conversion only: `forestock::plan::run_plan_checked`,
//! `forestock::plan::classify_catalogue`.

use forestock::control::Control;
use forestock::periods::{parse_instant, regularize, DatedRows, GapPolicy, TimeAxis};
use forestock::plan::{
    classify_catalogue as core_classify_catalogue, run_plan_events, CatalogueItem, FieldNames,
    ItemMaster as CoreItemMaster, PlanConfig, PlanOutput, SkuFailure, SkuHistory,
};
use forestock::Error;
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Object, ToNapiValue, TypeName};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::control::{controlled, ControlledTask, Job};
use crate::convert::{from_js, to_js_json};
use crate::errors::{guarded, to_js_error};
use crate::spec::parse_model;

/// The demand history of one SKU, oldest period first.
#[napi(object)]
pub struct SkuHistoryInput {
    /// SKU identifier (joins with the item master).
    pub sku: String,
    /// Demand per period; a `null` value fails this series alone (the others are planned).
    pub demand: Either<Float64Array, Vec<Option<f64>>>,
    /// The period of each demand value, for rows as a sales export has them (`plan` only): integer
    /// period numbers, or `'YYYY-MM-DD'` dates (`'YYYY-MM-DDTHH:MM:SS'` wall-clock times), increasing.
    /// Periods without a row are found at the catalogue's frequency and filled with zeros (reported
    /// in the result's `gaps`), or rejected with `fillGaps: false`. Give it for every SKU or none.
    pub ds: Option<Either<Vec<f64>, Vec<String>>>,
    /// Past event labels aligned with `demand` (an event name, or `null` / `''` for none): those
    /// periods are replaced by the baseline before fitting (`plan` only; see the `events` option).
    pub events: Option<Vec<Option<String>>>,
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
    /// Holding cost per period as a fraction of the unit cost (default: 25% a year spread over
    /// `periodsPerYear`, the core's `DEFAULT_ANNUAL_HOLDING_RATE`).
    pub holding_cost_rate: Option<f64>,
    /// Cycle service level overriding the ABC class target.
    pub service_level: Option<f64>,
    /// Supplier the item is bought from (purchase orders, lead-time estimates).
    pub supplier: Option<String>,
}

pub(crate) fn object(what: &str, value: Option<Value>) -> Result<Map<String, Value>, Error> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(Error::invalid_parameter(what, other, "must be an object")),
    }
}

/// A validated `plan` request.
pub struct PlanRequest {
    histories: Vec<SkuHistory>,
    /// SKUs whose dated rows had periods without a row, filled with zeros.
    gaps: Vec<Value>,
    items: Vec<CoreItemMaster>,
    /// Series with a `null` demand value, and SKUs whose item data cannot cross to the core
    /// (non-finite numbers): failed alone by the core.
    rejected: Vec<SkuFailure>,
    config: PlanConfig,
    /// Known events: past labels per SKU, future events (core `events::PlanEvents`).
    events: forestock::events::PlanEvents,
}

/// The core item of a JS one, field by field (no JSON on the way, so NaN and ±Infinity reach the
/// core's check, [`CoreItemMaster::check_finite`]); unset fields keep the core's defaults.
fn core_item(item: ItemMaster) -> CoreItemMaster {
    let mut core = CoreItemMaster::new(item.sku, item.unit_cost, item.lead_time);
    let defaults = core.clone();
    core.lead_time_sd = item.lead_time_sd.unwrap_or(defaults.lead_time_sd);
    core.review_period = item.review_period.unwrap_or(defaults.review_period);
    core.on_hand = item.on_hand.unwrap_or(defaults.on_hand);
    core.on_order = item.on_order.unwrap_or(defaults.on_order);
    core.backorders = item.backorders.unwrap_or(defaults.backorders);
    core.moq = item.moq.unwrap_or(defaults.moq);
    core.lot_size = item.lot_size.unwrap_or(defaults.lot_size);
    core.max_order = item.max_order;
    core.ordering_cost = item.ordering_cost.unwrap_or(defaults.ordering_cost);
    core.holding_cost_rate = item.holding_cost_rate;
    core.service_level = item.service_level;
    core.supplier = item.supplier;
    core
}

fn parse_plan(
    mut histories: Vec<SkuHistoryInput>,
    items: Vec<ItemMaster>,
    options: Value,
) -> Result<PlanRequest, Error> {
    let mut options = object("options", Some(options))?;
    let future = crate::events::future_events(options.remove("events"))?;
    let labels: Vec<Vec<Option<String>>> = histories.iter_mut().map(|h| h.events.take().unwrap_or_default()).collect();
    let model = options.remove("model").map(parse_model).transpose()?;
    let fill_gaps = match options.remove("fillGaps") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(fill)) => fill,
        Some(other) => return Err(Error::invalid_parameter("fillGaps", other, "must be true or false")),
    };
    // A key `PlanConfig` does not have (a typo such as `horizn`) fails with the core's "did you mean".
    let known: Vec<String> = match serde_json::to_value(PlanConfig::default())? {
        Value::Object(fields) => fields.keys().map(|k| crate::spec::camel_case(k)).collect(),
        _ => Vec::new(),
    };
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    forestock::options::check_known(options.keys().map(String::as_str), &known)?;
    let mut config: PlanConfig = from_js("options", Value::Object(options))?;
    if let Some(model) = model {
        config.model = model;
    }
    let dated = dated_rows(&histories)?;
    let (mut histories, mut rejected) = sku_histories(histories);
    let rows: Vec<usize> = histories.iter().map(|h| h.demand.len()).collect();
    for ((h, past), &len) in histories.iter().zip(&labels).zip(&rows) {
        crate::events::check_labels(&h.sku, past, len)?;
    }
    let any_labels = labels.iter().any(|l| !l.is_empty());
    let (gaps, labels) = match dated {
        Some((ds, axis)) => {
            let gaps = on_the_grid(&mut histories, &ds, axis, fill_gaps)?;
            let labels = if any_labels {
                let ids: Vec<String> = histories.iter().map(|h| h.sku.clone()).collect();
                crate::events::labels_on_grid(&ids, &ds, &labels, &rows, axis)?
            } else {
                labels
            };
            (gaps, labels)
        }
        None => (Vec::new(), labels),
    };
    // The baseline's seasonal period is the model's own `season_length` (none when it has none).
    let model_json = serde_json::to_value(&config.model)?;
    let season_length = crate::events::season_length(model_json.get("season_length"))?;
    let past = histories.iter().zip(labels).filter(|(_, l)| !l.is_empty()).map(|(h, l)| (h.sku.clone(), l)).collect();
    let events = forestock::events::PlanEvents { season_length, past, future };
    let mut core_items = Vec::with_capacity(items.len());
    for item in items.into_iter().map(core_item) {
        // The core's rule (also applied by the plan itself), named as the JS caller spells the field.
        match item.check_finite(FieldNames::Camel) {
            Err(error) => rejected.push(SkuFailure::new(&item.sku, &error)),
            Ok(()) => core_items.push(item),
        }
    }
    Ok(PlanRequest { histories, gaps, items: core_items, rejected, config, events })
}

/// The histories' `ds` as the core's ticks (concatenated, one per demand value) and their axis, or
/// `None` when no history has `ds`. Mixed presence, kinds or lengths are errors naming the SKU.
fn dated_rows(histories: &[SkuHistoryInput]) -> Result<Option<(Vec<i64>, TimeAxis)>, Error> {
    let Some(first) = histories.first().filter(|h| h.ds.is_some()) else {
        if let Some(h) = histories.iter().find(|h| h.ds.is_some()) {
            let reason = "is given for this SKU but not for the first one: give ds for every SKU or none";
            return Err(Error::invalid_parameter("ds", "[...]", reason).in_series(h.sku.as_str()));
        }
        return Ok(None);
    };
    let axis = match first.ds {
        Some(Either::B(_)) => TimeAxis::Seconds,
        _ => TimeAxis::Periods,
    };
    let mut ticks = Vec::new();
    for h in histories {
        let fail = |name: String, value: String, reason: &str| {
            Error::invalid_parameter(name, value, reason).in_series(h.sku.as_str())
        };
        let len = match &h.demand {
            Either::A(typed) => typed.len(),
            Either::B(plain) => plain.len(),
        };
        let count = match (&h.ds, axis) {
            (Some(Either::A(periods)), TimeAxis::Periods) => {
                for (i, &p) in periods.iter().enumerate() {
                    if !(p.fract() == 0.0 && p.abs() < 9.0e15) {
                        return Err(fail(format!("ds[{i}]"), p.to_string(), "must be an integer period"));
                    }
                    ticks.push(p as i64);
                }
                periods.len()
            }
            (Some(Either::B(dates)), TimeAxis::Seconds) => {
                for (i, text) in dates.iter().enumerate() {
                    let t = parse_instant(text)
                        .ok_or_else(|| fail(format!("ds[{i}]"), format!("{text:?}"), "must be a 'YYYY-MM-DD' date"))?;
                    ticks.push(t);
                }
                dates.len()
            }
            (None, _) => return Err(fail("ds".into(), "undefined".into(), "missing: give ds for every SKU or none")),
            _ => return Err(fail("ds".into(), "[...]".into(), "mixes numbers and dates across SKUs")),
        };
        if count != len {
            return Err(fail("ds".into(), count.to_string(), "must have one entry per demand value"));
        }
    }
    Ok(Some((ticks, axis)))
}

/// Put the histories on the catalogue's grid (core `periods::regularize`): the filled demand
/// replaces each history's, and the SKUs with filled periods come back as `{ sku, missing,
/// firstMissing }` (`firstMissing` a number or a date string, as `ds` was given).
fn on_the_grid(histories: &mut [SkuHistory], ds: &[i64], axis: TimeAxis, fill: bool) -> Result<Vec<Value>, Error> {
    let ids: Vec<String> = histories.iter().map(|h| h.sku.clone()).collect();
    let y: Vec<f64> = histories.iter().flat_map(|h| h.demand.iter().copied()).collect();
    let mut offsets = vec![0];
    for h in histories.iter() {
        offsets.push(offsets[offsets.len() - 1] + h.demand.len());
    }
    let rows = DatedRows { ids: &ids, ds, y: &y, offsets: &offsets, axis };
    let policy = if fill { GapPolicy::Fill } else { GapPolicy::Fail };
    let regular = regularize(&rows, None, policy, "ds")?;
    for (h, w) in histories.iter_mut().zip(regular.offsets.windows(2)) {
        h.demand = regular.y[w[0]..w[1]].to_vec();
    }
    Ok(regular
        .gaps
        .iter()
        .map(|g| {
            let first = match axis {
                TimeAxis::Periods => Value::from(g.first_missing),
                TimeAxis::Seconds => Value::from(g.first_missing_text.clone()),
            };
            serde_json::json!({ "sku": g.id, "missing": g.missing, "firstMissing": first })
        })
        .collect())
}

/// Owned core histories of the JS ones. A `null`/`undefined` demand value becomes NaN (which the
/// core rejects for that series) and is also returned as a failure of that SKU naming the index,
/// so that callers which can report it (the plan) say `null` rather than NaN.
pub(crate) fn sku_histories(histories: Vec<SkuHistoryInput>) -> (Vec<SkuHistory>, Vec<SkuFailure>) {
    let mut rejected = Vec::new();
    let histories = histories
        .into_iter()
        .map(|h| {
            let demand = match &h.demand {
                Either::A(typed) => typed.to_vec(),
                Either::B(plain) => {
                    if let Some(index) = plain.iter().position(Option::is_none) {
                        let e = Error::invalid_parameter(format!("demand[{index}]"), "null", "must be a number");
                        rejected.push(SkuFailure::new(&h.sku, &e));
                    }
                    plain.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
                }
            };
            SkuHistory { demand, sku: h.sku }
        })
        .collect();
    (histories, rejected)
}

impl Job for PlanRequest {
    /// The output, the gaps filled, and the core's audit records of the run (snake_case keys, as
    /// every language writes them).
    type Output = (PlanOutput, Vec<Value>, Value);
    type JsValue = JsonObject;

    fn units(&self) -> usize {
        self.histories.len()
    }

    fn run(self, control: &Control<'_>) -> forestock::Result<Self::Output> {
        let output =
            run_plan_events(&self.histories, &self.items, &self.rejected, &self.events, &self.config, control)?;
        let audit = serde_json::to_value(output.audit_entries(&self.config))?;
        Ok((output, self.gaps, audit))
    }

    fn to_js(_env: Env, (output, gaps, audit): Self::Output) -> napi::Result<JsonObject> {
        let mut value = JsonObject::from_core(&output)?.into_value();
        if let Value::Object(fields) = &mut value {
            fields.insert("gaps".into(), Value::Array(gaps));
            fields.insert("audit".into(), audit);
        }
        Ok(JsonObject::from_value(value))
    }
}

/// A core result as a JS object (camelCase keys), the resolved value of an `AsyncTask`.
pub struct JsonObject(Value);

impl JsonObject {
    /// A JSON value handed to JS unchanged.
    pub(crate) fn from_value(value: Value) -> JsonObject {
        JsonObject(value)
    }

    /// The JSON value.
    pub(crate) fn into_value(self) -> Value {
        self.0
    }

    /// A core value with its field names in camelCase.
    pub(crate) fn from_core(value: &impl Serialize) -> napi::Result<JsonObject> {
        let value = serde_json::to_value(value).map_err(|e| napi::Error::from_reason(e.to_string()))?;
        Ok(JsonObject(to_js_json(value)))
    }
}

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
    /// Same contract as any [`ToNapiValue::to_napi_value`]: a valid `env`. Converted without napi's
    /// one-million-value cap (see `js_json`), so a plan of any size crosses the boundary.
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        // SAFETY: the caller passes a valid env, as for any ToNapiValue.
        unsafe { crate::js_json::json_to_js(env, &val.0) }
    }
}

/// Plan many SKUs: forecast each history, classify the catalogue (ABC), recommend orders. A SKU that
/// fails is listed in `failures` with its code (once; it is never also planned); the others are
/// planned. A duplicate item row or a `null` demand value fails that SKU only. `stats.status` is the
/// core's verdict: `'ok'`, `'degraded'` (more than half failed) or `'failed'` (none planned).
/// Options (all optional):
/// `horizon`, `levels`, `model` (name or `{ model, ...settings }`, default `{ model: 'autoModel',
/// seasonLength: 52 }`), `periodsPerYear`, `abc: { a, b }`, `serviceLevels: { a, b, c }`,
/// `sizing` (`'orderUpTo'` | `'eoq'`), `fillGaps` (default `true`: histories given with `ds` have the
/// periods without a row filled with zeros and listed in `gaps`; `false` rejects with
/// `ERR_MISSING_DATA` naming the SKU and its first missing period), `signal` (abort: rejects with
/// `code: 'ERR_CANCELLED'`), `onProgress(skusDone, skusTotal)`, `cleanAnomalies` (`'replace'` |
/// `'leaveOut'` | `'keep'`, default off: the core's `PlanConfig::clean_anomalies`; each plan then has
/// `anomalies` when any was flagged and `stats.anomaliesFlagged` counts them). Lead times over 26
/// periods (days given for weeks?) are reported in `notes`. `events`: future events
/// `[{ id?, period, event, uplift? }]` (core `events`; a history's `events` labels its past
/// periods): the forecast over the horizon and the protection period carries them, so an event
/// there raises the order; each plan lists the `events` applied with the uplift used.
#[napi(
    ts_args_type = "histories: Array<SkuHistoryInput>, items: Array<ItemMaster>, options?: { horizon?: number, levels?: number[], model?: string | ({ model: string } & Record<string, unknown>), periodsPerYear?: number, abc?: { a: number, b: number }, serviceLevels?: { a: number, b: number, c: number }, sizing?: 'orderUpTo' | 'eoq', cleanAnomalies?: 'replace' | 'leaveOut' | 'keep' | null, fillGaps?: boolean, events?: Array<EventOption>, ensembleWeights?: Record<string, Record<string, number>> } & JobControlOptions",
    ts_return_type = "Promise<{ plans: Array<{ sku: string, abcClass: 'A' | 'B' | 'C', usageRank: number, demandPattern: string, model: string, modelReason: string, unusedPeriods: Array<{ period: number, reason: string }>, forecast: { mean: number[], intervals: Array<{ level: number, lower: number[], upper: number[] }> }, serviceLevel: number, recommendation: Recommendation, memberForecasts?: Record<string, number[]>, anomalies?: Array<{ index: number, value: number, score: number, kind: 'spike' | 'dip', replacement: number, reason: string }>, events: Array<AppliedEventOutput> }>, failures: Array<{ sku: string, code: string, message: string }>, stats: { skus: number, planned: number, failed: number, orders: number, orderValue: number, byPriority: Record<string, number>, byAbc: Record<string, number>, byModel: Record<string, number>, failuresByCode: Record<string, number>, ordersByPriority: Record<string, number>, ordersByAbc: Record<string, number>, status: 'ok' | 'degraded' | 'failed', anomaliesFlagged?: number, skusWithAnomalies?: number }, notes: string[], gaps: Array<{ sku: string, missing: number, firstMissing: number | string }>, audit: Array<AuditEntry> }>"
)]
pub fn plan(
    env: Env,
    histories: Vec<SkuHistoryInput>,
    items: Vec<ItemMaster>,
    options: Option<Object<'_>>,
) -> napi::Result<AsyncTask<ControlledTask<PlanRequest>>> {
    controlled(&env, options.as_ref(), |settings| parse_plan(histories, items, settings))
}

/// One item of `classifyCatalogue` (the core's `CatalogueItem`).
#[napi(object)]
pub struct CatalogueItemInput {
    /// SKU identifier (joins with the histories).
    pub sku: String,
    /// Cost of one unit.
    pub unit_cost: f64,
    /// The item's own cycle service level, overriding its ABC class's.
    pub service_level: Option<f64>,
}

/// The planner's ABC step alone over a whole catalogue (core `plan::classify_catalogue`, the function
/// Python's `classify_catalogue` calls): ABC class, usage rank, annual value and service level (the
/// item's override, else its class's) of every SKU, for callers that plan the catalogue in parts.
/// Options: `periodsPerYear`, `abc: { a, b }`, `serviceLevels: { a, b, c }` (the plan's). A bad SKU
/// is listed in `failures`; the others are classified.
#[napi(
    ts_args_type = "histories: Array<SkuHistoryInput>, items: Array<CatalogueItemInput>, options?: { periodsPerYear?: number, abc?: { a: number, b: number }, serviceLevels?: { a: number, b: number, c: number } }",
    ts_return_type = "{ classes: Array<{ sku: string, abcClass: 'A' | 'B' | 'C', usageRank: number, annualValue: number, serviceLevel: number }>, failures: Array<{ sku: string, code: string, message: string }> }"
)]
pub fn classify_catalogue(
    histories: Vec<SkuHistoryInput>,
    items: Vec<CatalogueItemInput>,
    options: Option<Value>,
) -> napi::Result<JsonObject, String> {
    let classify = || -> Result<JsonObject, Error> {
        let config: PlanConfig = from_js("options", Value::Object(object("options", options)?))?;
        let (histories, _) = sku_histories(histories);
        let items: Vec<CatalogueItem> = items
            .into_iter()
            .map(|i| CatalogueItem { sku: i.sku, unit_cost: i.unit_cost, service_level: i.service_level })
            .collect();
        let out = core_classify_catalogue(&histories, &items, &config)?;
        JsonObject::from_core(&out).map_err(|e| Error::Serialization(e.reason))
    };
    guarded(classify).map_err(|e| to_js_error(&e))
}
