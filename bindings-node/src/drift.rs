//! Sequential drift detectors and the retrain decision: `pageHinkley`, `cusum`, `retrainDecision`
//! (`forestock::drift`). Conversion only; formulas and sources are in docs/monitoring.md.

use chrono::{DateTime, Duration, Utc};
use forestock::drift::{
    Cusum, DetectorRun as CoreDetectorRun, ModelHealth, PageHinkley, RetrainPolicy, ShiftDirection,
};
use forestock::Error;
use napi::bindgen_prelude::{Either, Float64Array, Object};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::convert::{json_fields, number_array, to_js_json};
use crate::errors::{guarded, to_js_error};
use crate::fitted::values;
use crate::plan::JsonObject;
use crate::spec::snake_case;

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

/// The first alarm of a detector.
#[napi(object)]
pub struct Alarm {
    /// 0-based index of the error at which a statistic first crossed the threshold.
    pub index: u32,
    /// `'up'`: errors increased (under-forecasting, for `e = actual - forecast`); `'down'`: decreased.
    #[napi(ts_type = "'up' | 'down'")]
    pub direction: String,
}

/// Output of `pageHinkley` / `cusum`: the whole statistic paths and the first alarm.
#[napi(object)]
pub struct DetectorRun {
    /// First alarm, absent when no statistic crossed the threshold.
    pub alarm: Option<Alarm>,
    /// Statistic for an upward shift at each index.
    pub up: Float64Array,
    /// Statistic for a downward shift at each index.
    pub down: Float64Array,
    /// The threshold the statistics were compared with.
    pub threshold: f64,
}

impl From<CoreDetectorRun> for DetectorRun {
    fn from(run: CoreDetectorRun) -> Self {
        DetectorRun {
            alarm: run.alarm.map(|a| Alarm {
                index: a.index as u32,
                direction: match a.direction {
                    ShiftDirection::Up => "up",
                    ShiftDirection::Down => "down",
                }
                .to_string(),
            }),
            up: Float64Array::new(run.up),
            down: Float64Array::new(run.down),
            threshold: run.threshold,
        }
    }
}

/// Settings of `pageHinkley`.
#[napi(object)]
pub struct PageHinkleyOptions {
    /// Magnitude of change tolerated without alarm (δ, error units, >= 0).
    pub delta: f64,
    /// Alarm threshold (λ, error units, > 0).
    pub threshold: f64,
}

/// Two-sided Page-Hinkley test over forecast errors (oldest first).
#[napi]
pub fn page_hinkley(
    errors: Either<Float64Array, Vec<f64>>,
    options: PageHinkleyOptions,
) -> napi::Result<DetectorRun, String> {
    js(guarded(|| PageHinkley::new(options.delta, options.threshold).run(values(&errors)).map(DetectorRun::from)))
}

/// Settings of `cusum`.
#[napi(object)]
pub struct CusumOptions {
    /// In-control mean of the errors (μ0; 0 for an unbiased forecast).
    pub target: f64,
    /// In-control standard deviation of the errors (σ > 0), e.g. from a baseline window.
    pub sigma: f64,
    /// Allowance in units of σ (default 0.5).
    pub k: Option<f64>,
    /// Decision interval in units of σ (default 5).
    pub h: Option<f64>,
}

/// Two-sided tabular CUSUM over forecast errors (oldest first); paths are in units of σ.
#[napi]
pub fn cusum(errors: Either<Float64Array, Vec<f64>>, options: CusumOptions) -> napi::Result<DetectorRun, String> {
    let mut detector = Cusum::new(options.target, options.sigma);
    detector.k = options.k.unwrap_or(detector.k);
    detector.h = options.h.unwrap_or(detector.h);
    js(guarded(|| detector.run(values(&errors)).map(DetectorRun::from)))
}

/// Thresholds of `retrainDecision`; every field is optional (core defaults), `null` disables a rule.
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct RetrainPolicyInput {
    /// Retrain when the recent MAPE (percent) exceeds this (default 30; `null`: off).
    pub max_mape: Option<Option<f64>>,
    /// Retrain when the recent MASE exceeds this (default off).
    pub max_mase: Option<Option<f64>>,
    /// Significance level of the drift test (default 0.05; `null`: off).
    pub drift_alpha: Option<Option<f64>>,
    /// Drift test: Welch one-sided on |errors| (default), KS on signed errors, or both.
    #[napi(ts_type = "'welchRecentWorse' | 'kolmogorovSmirnov' | 'both'")]
    pub drift_test: Option<String>,
    /// Minimum errors per window for the drift test (default 5).
    pub min_drift_window: Option<f64>,
    /// Retrain when the model is older than this many days (default 7; `null`: off).
    pub max_model_age_days: Option<Option<f64>>,
}

/// Input of `retrainDecision` (declared for the types; read as JSON so `null` can disable a rule).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct RetrainDecisionInput {
    /// Forecast errors (`actual - forecast`) of a reference period, e.g. the backtest.
    pub baseline_errors: Either<Float64Array, Vec<f64>>,
    /// Forecast errors of the most recent periods.
    pub recent_errors: Either<Float64Array, Vec<f64>>,
    /// MAPE (percent) of the current model over the recent window, if defined.
    pub recent_mape: Option<f64>,
    /// MASE of the current model over the recent window, if computed.
    pub recent_mase: Option<f64>,
    /// Age of the current model in days (default 0).
    pub model_age_days: Option<f64>,
    /// The thresholds (core defaults when absent).
    pub policy: Option<RetrainPolicyInput>,
}

/// A policy object with camelCase keys and camelCase `driftTest` -> the core's JSON, keeping `null`s
/// (they disable a rule).
fn policy_json(policy: Option<Value>) -> Result<RetrainPolicy, Error> {
    let fields = match policy {
        None | Some(Value::Null) => return Ok(RetrainPolicy::default()),
        Some(Value::Object(fields)) => fields,
        Some(other) => return Err(Error::invalid_parameter("policy", other, "must be an object")),
    };
    let mut core = Map::new();
    for (key, value) in fields {
        let key = snake_case(&key);
        let value = match value {
            Value::String(tag) if key == "drift_test" => Value::String(snake_case(&tag)),
            other => crate::spec::normalize_number(other),
        };
        core.insert(key, value);
    }
    let core = Value::Object(core);
    serde_json::from_value(core.clone()).map_err(|e| Error::invalid_parameter("policy", core, e.to_string()))
}

fn optional_number(name: &str, value: Option<Value>) -> Result<Option<f64>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(Error::invalid_parameter(name, other, "must be a number")),
    }
}

fn decide(baseline: Vec<f64>, recent: Vec<f64>, input: Value) -> Result<Value, Error> {
    let Value::Object(mut input) = input else {
        return Err(Error::invalid_parameter("input", input, "must be an object"));
    };
    let mape = optional_number("recentMape", input.remove("recentMape"))?;
    let mase = optional_number("recentMase", input.remove("recentMase"))?;
    let age_days = optional_number("modelAgeDays", input.remove("modelAgeDays"))?.unwrap_or(0.0);
    if !(age_days.is_finite() && (0.0..=1.0e6).contains(&age_days)) {
        return Err(Error::invalid_parameter("modelAgeDays", age_days, "must be finite, >= 0 and <= 1e6"));
    }
    let policy = policy_json(input.remove("policy"))?;
    if let Some(key) = input.keys().next() {
        return Err(Error::invalid_parameter(key.clone(), "…", "unknown field of retrainDecision input"));
    }
    // The core measures age as `now - trainedAt`; any fixed origin gives the same decision.
    let trained_at = DateTime::<Utc>::UNIX_EPOCH;
    let now = trained_at + Duration::milliseconds((age_days * 86_400_000.0).round() as i64);
    let health = ModelHealth { mape, mase, baseline_errors: &baseline, recent_errors: &recent, trained_at, now };
    let decision = policy.decide(&health)?;
    Ok(to_js_json(serde_json::to_value(decision)?))
}

/// Should a SKU's model be retrained now? Checks recent accuracy (MAPE, MASE), error drift (Welch /
/// KS test of recent vs baseline errors) and model age; reports every rule that fired.
/// Tags (`reason`, `test`, `check`) are the core's snake_case names, e.g. `'error_drift'`.
#[napi(
    ts_args_type = "input: RetrainDecisionInput",
    ts_return_type = "{ retrain: boolean, reasons: Array<{ reason: 'mape_above_threshold', mape: number, threshold: number } | { reason: 'mase_above_threshold', mase: number, threshold: number } | { reason: 'error_drift', test: 'welch_recent_worse' | 'kolmogorov_smirnov', statistic: number, pValue: number, alpha: number } | { reason: 'model_too_old', ageDays: number, maxAgeDays: number }>, skipped: Array<{ check: 'drift_insufficient_data', baseline: number, recent: number, min: number } | { check: 'drift_undefined', detail: string }> }"
)]
pub fn retrain_decision(input: Object<'_>) -> napi::Result<JsonObject, String> {
    let read = || -> Result<Value, Error> {
        let baseline = number_array(&input, "baselineErrors")?;
        let recent = number_array(&input, "recentErrors")?;
        decide(baseline, recent, json_fields(&input, &["baselineErrors", "recentErrors"])?)
    };
    js(guarded(|| read().map(JsonObject::from_value)))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_disable_rules_and_tags_convert() {
        let policy =
            policy_json(Some(json!({"maxMape": null, "driftTest": "kolmogorovSmirnov", "minDriftWindow": 3.0})))
                .expect("policy");
        assert_eq!(policy.max_mape, None);
        assert_eq!(policy.min_drift_window, 3);
        assert!(policy_json(Some(json!({"driftTest": "sometimes"}))).is_err());
    }

    #[test]
    fn missing_and_bad_fields_are_named() {
        let err = decide(vec![1.0, f64::NAN], vec![1.0], json!({})).expect_err("nan");
        assert_eq!(err.code(), "ERR_INVALID_SERIES");
        assert!(err.to_string().contains("baseline_errors"), "{err}");
        let err = decide(vec![], vec![], json!({"modelAgeDays": -1.0})).expect_err("age");
        assert!(err.to_string().contains("modelAgeDays"), "{err}");
        let err = decide(vec![], vec![], json!({"recentMape": "high"})).expect_err("type");
        assert!(err.to_string().contains("recentMape"), "{err}");
        let err = decide(vec![], vec![], json!({"recentMAPE": 3.0})).expect_err("unknown");
        assert!(err.to_string().contains("recentMAPE"), "{err}");
    }
}
