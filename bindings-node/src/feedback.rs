//! The feedback loop (`forestock::feedback`): `recordDecision`, `recordActuals`, `adaptedWeights`,
//! `feedbackReport`, and `realisedAccuracy` (`forestock::telemetry`). Conversion only: every check
//! and number is the core's. Keys of data maps (SKUs, model names, ABC classes) are kept as given.

use std::collections::{BTreeMap, HashMap};

use forestock::feedback::{self, AdaptRule, DecisionInput};
use forestock::plan::SkuHistory;
use forestock::telemetry::PlannedForecast;
use forestock::Error;
use napi::bindgen_prelude::Unknown;
use napi::ValueType;
use napi_derive::napi;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::convert::{instant, to_core_json, to_js_json};
use crate::errors::{guarded, to_js_error};
use crate::plan::JsonObject;
use crate::spec::{camel_case, snake_case};

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

/// `value` for JS with camelCase field names, except the maps under `data` (SKUs, model names,
/// classes as keys), whose keys are kept and whose values are converted.
fn with_data_maps(value: impl Serialize, data: &[&str]) -> Result<Value, Error> {
    let Value::Object(fields) = serde_json::to_value(value)? else {
        return Err(Error::Serialization("a feedback record serializes to an object".into()));
    };
    let mut out = Map::new();
    for (key, value) in fields {
        let value = match value {
            Value::Object(map) if data.contains(&key.as_str()) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, to_js_json(v))).collect())
            }
            other => to_js_json(other),
        };
        if !value.is_null() {
            out.insert(camel_case(&key), value);
        }
    }
    Ok(Value::Object(out))
}

fn when(at: Option<Unknown<'_>>, name: &str) -> Result<chrono::DateTime<chrono::Utc>, Error> {
    match at.filter(|t| !matches!(t.get_type(), Ok(ValueType::Undefined | ValueType::Null))) {
        Some(t) => instant(&t, name),
        None => Ok(chrono::Utc::now()),
    }
}

/// Record a planner's decision on the order of `recommendation` units for `sku`: `'approved'`
/// (`quantity` may be null), `'rejected'` (orders 0) or `'adjusted'` (orders `quantity` >= 0). `at`
/// is a Date, epoch ms or RFC 3339 string (default now), not before the SKU's last decision. The
/// decision is appended to the JSON-lines store at `path` (locked append) and, with `auditLog`, to
/// that hash-chained audit log as a `decision` record. Returns the stored record; bad input throws
/// `ERR_INVALID_PARAMETER` naming the argument (`decision`, `quantity`, `at`, ...).
#[napi(
    ts_args_type = "path: string, sku: string, recommendation: number, decision: 'approved' | 'rejected' | 'adjusted', quantity: number | null | undefined, by: string, at?: Date | number | string | null, auditLog?: string | null",
    ts_return_type = "DecisionRecord"
)]
#[allow(clippy::too_many_arguments)]
pub fn record_decision(
    path: String,
    sku: String,
    recommendation: f64,
    decision: String,
    quantity: Option<f64>,
    by: String,
    at: Option<Unknown<'_>>,
    audit_log: Option<String>,
) -> napi::Result<JsonObject, String> {
    js(guarded(|| {
        let at = when(at, "at")?;
        let input = DecisionInput::new(&sku, recommendation, &decision, quantity, &by, at);
        let record = feedback::record_decision(&path, audit_log.as_deref().map(std::path::Path::new), &input)?;
        Ok(JsonObject::from_value(with_data_maps(&record, &[])?))
    }))
}

/// Record the demand `actual` that `sku` realised in the period starting `at`, with each model's
/// forecast for it (`forecasts`: model name -> forecast; for an ensemble plan, one period of each
/// member's `memberForecasts`) and the plan's own `forecast` (optional; the feedback report judges
/// overrides against it). The core stores each model's error `forecast - actual`; periods of a SKU
/// must come in increasing order. Returns the record.
#[napi(
    ts_args_type = "path: string, sku: string, at: Date | number | string, actual: number, forecasts: Record<string, number>, forecast?: number | null",
    ts_return_type = "ActualRecord"
)]
pub fn record_actuals(
    path: String,
    sku: String,
    at: Unknown<'_>,
    actual: f64,
    forecasts: HashMap<String, f64>,
    forecast: Option<f64>,
) -> napi::Result<JsonObject, String> {
    js(guarded(|| {
        let at = instant(&at, "at")?;
        let forecasts: BTreeMap<String, f64> = forecasts.into_iter().collect();
        let record = feedback::record_actuals(&path, &sku, at, actual, forecast, &forecasts)?;
        Ok(JsonObject::from_value(with_data_maps(&record, &["forecasts", "errors"])?))
    }))
}

/// The ensemble weights of `sku` adapted from the realised errors in the actuals store at `path`.
/// `options`: `members` (order; default the models of the SKU's latest record), `rule` (`'hedge'`
/// default, with `learningRate` 1 and `discount` 0.9; `'discountedInverseMse'` with `discount`,
/// `shrinkage`; `'inverseError'`, the seed rule 1/(err+1), with `floor`). Pass
/// `{ [sku]: Object.fromEntries(members.map((m, i) => [m, weights[i]])) }` as the plan's
/// `ensembleWeights` with an `Ensemble` model.
#[napi(
    ts_args_type = "path: string, sku: string, options?: { members?: string[], rule?: 'hedge' | 'discountedInverseMse' | 'inverseError', discount?: number, shrinkage?: number, learningRate?: number, floor?: number } | null",
    ts_return_type = "AdaptedWeights"
)]
pub fn adapted_weights(path: String, sku: String, options: Option<Value>) -> napi::Result<JsonObject, String> {
    js(guarded(|| {
        let mut options = match options {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map,
            Some(other) => return Err(Error::invalid_parameter("options", other, "must be an object")),
        };
        let members: Option<Vec<String>> = match options.remove("members") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                serde_json::from_value(value.clone())
                    .map_err(|_| Error::invalid_parameter("members", value, "must be an array of model names"))?,
            ),
        };
        let rule = match options.remove("rule") {
            None | Some(Value::Null) => "hedge".to_string(),
            Some(Value::String(name)) => snake_case(&name),
            Some(other) => return Err(Error::invalid_parameter("rule", other, "must be a string")),
        };
        let rule = AdaptRule::from_settings(&rule, &to_core_json(Value::Object(options))).map_err(|e| match e {
            Error::InvalidParameter { name, value, reason } => {
                Error::InvalidParameter { name: camel_case(&name), value, reason }
            }
            other => other,
        })?;
        let weights = feedback::adapted_weights(&path, &sku, members.as_deref(), rule)?;
        let mut out = with_data_maps(&weights, &[])?;
        if let Some(Value::Object(rule)) = out.get_mut("rule") {
            if let Some(Value::String(tag)) = rule.get_mut("rule") {
                *tag = camel_case(tag);
            }
        }
        Ok(JsonObject::from_value(out))
    }))
}

/// The feedback report of the decision store `decisions`, judged against the actuals store `actuals`
/// when given: `{ bySku, byClass, overall }`, each summary with `approvalRate`, `meanAdjustment`,
/// override `bias` (mean relative adjustment), `biased` (sign test, p < 0.05) and `verdict`
/// (`'right'`, `'wrong'`, `'even'`, `'not_judged'`). `classes` maps SKU -> ABC class.
#[napi(
    ts_args_type = "decisions: string, actuals?: string | null, classes?: Record<string, string> | null",
    ts_return_type = "FeedbackReport"
)]
pub fn feedback_report(
    decisions: String,
    actuals: Option<String>,
    classes: Option<HashMap<String, String>>,
) -> napi::Result<JsonObject, String> {
    js(guarded(|| {
        let classes: BTreeMap<String, String> = classes.unwrap_or_default().into_iter().collect();
        let report = feedback::feedback_report(&decisions, actuals.as_deref().map(std::path::Path::new), &classes)?;
        Ok(JsonObject::from_value(with_data_maps(&report, &["by_sku", "by_class"])?))
    }))
}

/// Realised MAPE and MASE by ABC class once the demand of the planned periods is known:
/// `forecasts` are `{ sku, abcClass, mean }` (a plan's recommendations' class and its forecasts'
/// mean), `history` maps SKU -> the demand the plan was made from (the MASE scale), `actuals`
/// SKU -> the demand that followed. Pass the result as `runMetrics(..., { realised })`, or return it
/// from a scheduled job as `forestockRealised` so the scheduler's metrics carry it.
#[napi(
    ts_args_type = "forecasts: Array<{ sku: string, abcClass: 'A' | 'B' | 'C', mean: ArrayLike<number> }>, history: Record<string, ArrayLike<number>>, actuals: Record<string, ArrayLike<number>>, seasonLength: number",
    ts_return_type = "Record<string, { skus: number, mape?: number, mase?: number }>"
)]
pub fn realised_accuracy(
    forecasts: Vec<Value>,
    history: HashMap<String, Vec<f64>>,
    actuals: HashMap<String, Vec<f64>>,
    season_length: u32,
) -> napi::Result<JsonObject, String> {
    js(guarded(|| {
        let planned: Vec<PlannedForecast> = forecasts
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                serde_json::from_value(to_core_json(f))
                    .map_err(|e| Error::invalid_parameter(format!("forecasts[{i}]"), "given", e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let series = |map: HashMap<String, Vec<f64>>| -> Vec<SkuHistory> {
            let sorted: BTreeMap<String, Vec<f64>> = map.into_iter().collect();
            sorted.into_iter().map(|(sku, demand)| SkuHistory { sku, demand }).collect()
        };
        let accuracy = forestock::telemetry::realised_accuracy_of(
            &planned,
            &series(history),
            &series(actuals),
            season_length as usize,
        )?;
        Ok(JsonObject::from_value(serde_json::to_value(accuracy)?))
    }))
}

/// A stored decision, as `recordDecision` returns it (declared for the TypeScript types).
#[napi(object, js_name = "DecisionRecord", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct DecisionRecordType {
    /// The SKU.
    pub sku: String,
    /// The recommended order quantity.
    pub recommendation: f64,
    /// What the planner did.
    #[napi(ts_type = "'approved' | 'rejected' | 'adjusted'")]
    pub decision: String,
    /// The quantity ordered.
    pub quantity: f64,
    /// Who decided.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A stored actual, as `recordActuals` returns it.
#[napi(object, js_name = "ActualRecord", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct ActualRecordType {
    /// The SKU.
    pub sku: String,
    /// The period (RFC 3339).
    pub at: String,
    /// Realised demand.
    pub actual: f64,
    /// The plan's forecast for the period, when given.
    pub forecast: Option<f64>,
    /// Each model's forecast.
    #[napi(ts_type = "Record<string, number>")]
    pub forecasts: Value,
    /// Each model's error `forecast - actual`.
    #[napi(ts_type = "Record<string, number>")]
    pub errors: Value,
}

/// Adapted weights of one SKU, as `adaptedWeights` returns them.
#[napi(object, js_name = "AdaptedWeights", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct AdaptedWeightsType {
    /// The SKU.
    pub sku: String,
    /// Model names, in the order of `weights`.
    pub members: Vec<String>,
    /// Weights, summing to 1.
    pub weights: Vec<f64>,
    /// Periods whose errors were used.
    pub periods: f64,
    /// The rule applied, e.g. `{ rule: 'hedge', learningRate: 1, discount: 0.9 }`.
    #[napi(
        ts_type = "{ rule: 'discountedInverseMse' | 'hedge' | 'inverseError', [setting: string]: number | string }"
    )]
    pub rule: Value,
}

/// The feedback report, as `feedbackReport` returns it.
#[napi(object, js_name = "FeedbackReport", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct FeedbackReportType {
    /// Per SKU.
    #[napi(ts_type = "Record<string, FeedbackSummary>")]
    pub by_sku: Value,
    /// Per ABC class (`unclassified` for SKUs without a class).
    #[napi(ts_type = "Record<string, FeedbackSummary>")]
    pub by_class: Value,
    /// Every decision.
    #[napi(ts_type = "FeedbackSummary")]
    pub overall: Value,
}

/// One summary of the feedback report (see docs/feedback.md for every figure).
#[napi(object, js_name = "FeedbackSummary", object_to_js = false, object_from_js = false)]
#[allow(dead_code)]
pub struct FeedbackSummaryType {
    /// Decisions.
    pub decisions: f64,
    /// Approved as recommended.
    pub approved: f64,
    /// Rejected.
    pub rejected: f64,
    /// Adjusted.
    pub adjusted: f64,
    /// `approved / decisions`.
    pub approval_rate: f64,
    /// Mean adjustment in units (adjusted decisions).
    pub mean_adjustment: Option<f64>,
    /// Override bias: mean relative adjustment.
    pub bias: Option<f64>,
    /// Adjustments that increased the quantity.
    pub adds: f64,
    /// Adjustments that decreased it.
    pub cuts: f64,
    /// Two-sided sign-test p-value of adds against cuts.
    pub bias_p_value: f64,
    /// The planners consistently add or cut (p < 0.05).
    pub biased: bool,
    /// Adjusted decisions judged against actuals.
    pub judged: f64,
    /// Judged overrides closer to the demand than the recommendation.
    pub overrides_closer: f64,
    /// Mean absolute error of the overrides' implied forecasts.
    pub override_mae: Option<f64>,
    /// Mean absolute error of the plan's forecasts for the same decisions.
    pub recommendation_mae: Option<f64>,
    /// Were the overrides right?
    #[napi(ts_type = "'right' | 'wrong' | 'even' | 'not_judged'")]
    pub verdict: String,
}
