//! JSON conversion between JS objects (camelCase keys) and the core's serde types (snake_case).
//!
//! Nested core inputs (a demand model, a service target, a simulation policy) arrive as plain JS
//! objects; their keys and `kind` tags are turned into the core's snake_case and the core's own
//! `Deserialize` reads them, so the binding never restates a core type's fields or rules.

use chrono::{DateTime, Utc};
use forestock::{Error, ModelSpec};
use napi::bindgen_prelude::{Either, Float64Array, Function, JsObjectValue, Object, Unknown};
use napi::{JsValue, ValueType};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::spec::{camel_case, normalize_number, snake_case};

/// Keys whose string values name a core enum variant (`'cycleService'` -> `cycle_service`).
const TAG_KEYS: [&str; 7] = ["kind", "sizing", "distribution", "method", "metric", "scheme", "clean_anomalies"];

/// camelCase keys (and enum tags) -> snake_case, `null`s dropped so the core defaults apply,
/// integral doubles made JSON integers (counts). The values of [`DATA_KEYS`] are kept as they are,
/// the inverse of [`to_js_json`].
pub(crate) fn to_core_json(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut out = Map::new();
            for (key, value) in fields {
                if value.is_null() {
                    continue;
                }
                let key = snake_case(&key);
                let value = match value {
                    Value::String(tag) if TAG_KEYS.contains(&key.as_str()) => Value::String(snake_case(&tag)),
                    // Data keys (error codes, classes) came back from the core unconverted.
                    data if DATA_KEYS.contains(&key.as_str()) => data,
                    other => to_core_json(other),
                };
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(to_core_json).collect()),
        other => normalize_number(other),
    }
}

/// Objects whose keys are data (priority names, ABC classes, model names, metric names, a model's
/// free-form fitted state), not field names.
const DATA_KEYS: [&str; 11] = [
    "by_priority",
    "by_abc",
    "by_model",
    "failures_by_code",
    "orders_by_priority",
    "orders_by_abc",
    "other",
    "fitted_state",
    "ensemble_weights",
    "member_forecasts",
    "realised",
];

/// snake_case field names -> camelCase, for values handed back to JS (string values unchanged);
/// `null` fields (a core `None`) are left out, as napi does for optional fields.
pub(crate) fn to_js_json(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| {
                    let value = if DATA_KEYS.contains(&key.as_str()) { value } else { to_js_json(value) };
                    (camel_case(&key), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(to_js_json).collect()),
        other => other,
    }
}

/// Why napi could not read a JS value as JSON, in the caller's terms.
pub(crate) fn json_reason(napi_reason: &str) -> String {
    if napi_reason.contains("serde_json::Number") {
        "contains a non-finite number (NaN or ±Infinity), which JSON cannot hold".to_string()
    } else {
        napi_reason.to_string()
    }
}

/// A required numeric array field of a JS object (`Float64Array` or array of numbers); a missing
/// field or another type is [`Error::InvalidParameter`] named `name`.
pub(crate) fn number_array(object: &Object<'_>, name: &str) -> Result<Vec<f64>, Error> {
    let reason = "must be a Float64Array or an array of numbers";
    let value = object.get::<Unknown<'_>>(name).map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    let Some(value) = value else {
        return Err(Error::invalid_parameter(name, "undefined", format!("is required; {reason}")));
    };
    // SAFETY: `Either`'s conversion validates the value's type before reading it.
    match unsafe { value.cast::<Either<Float64Array, Vec<f64>>>() } {
        Ok(Either::A(typed)) => Ok(typed.to_vec()),
        Ok(Either::B(plain)) => Ok(plain),
        Err(_) => {
            Err(Error::invalid_parameter(name, value.get_type().map_or("?".into(), |t| format!("{t:?}")), reason))
        }
    }
}

/// Every field of a JS object but `skip` as JSON, `undefined` ones skipped (see
/// [`options_json`]); a function or symbol is [`Error::InvalidParameter`].
pub(crate) fn json_fields(object: &Object<'_>, skip: &[&str]) -> Result<Value, Error> {
    options_json(object, skip).map_err(|e| Error::invalid_parameter("options", "?", e.reason))?
}

/// A point in time given as a `Date`, epoch milliseconds or an RFC 3339 string; anything else is
/// [`Error::InvalidParameter`] named `name`.
pub(crate) fn instant(value: &Unknown<'_>, name: &str) -> Result<DateTime<Utc>, Error> {
    let reason = "must be a Date, epoch milliseconds or an RFC 3339 string";
    let kind = value.get_type().map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    // SAFETY (casts below): each cast matches the type just read.
    let millis = match kind {
        ValueType::Number => unsafe { value.cast::<f64>() }.ok(),
        ValueType::String => {
            let text = unsafe { value.cast::<String>() }.map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
            return DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| Error::invalid_parameter(name, text, format!("{reason} ({e})")));
        }
        ValueType::Object => {
            let object = unsafe { value.cast::<Object<'_>>() }.ok();
            let get_time = object.as_ref().and_then(|o| o.get::<Unknown<'_>>("getTime").ok().flatten());
            match (object, get_time) {
                (Some(object), Some(f)) if f.get_type().ok() == Some(ValueType::Function) => {
                    let f = unsafe { f.cast::<Function<'_, (), f64>>() }.ok();
                    f.and_then(|f| f.apply(object, ()).ok())
                }
                _ => None,
            }
        }
        _ => None,
    };
    let parsed = millis
        .filter(|ms| ms.is_finite() && ms.abs() < 8.64e15)
        .and_then(|ms| DateTime::from_timestamp_millis(ms as i64));
    parsed.ok_or_else(|| Error::invalid_parameter(name, format!("{kind:?}").to_lowercase(), reason))
}

/// A model given as a name (`'autoEts'`), as `{ model: 'ets', spec: 'MAdM', ... }`, or as an
/// instance of one of the model classes (anything with a `spec` string holding a core spec JSON).
pub(crate) fn model_like(value: &Unknown<'_>, name: &str) -> Result<ModelSpec, Error> {
    let kind = value.get_type().map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    if kind == ValueType::Object {
        // SAFETY: checked to be an object.
        let object =
            unsafe { value.cast::<Object<'_>>() }.map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
        let spec = object.get::<Unknown<'_>>("spec").ok().flatten();
        if let Some(spec) = spec.filter(|s| s.get_type().ok() == Some(ValueType::String)) {
            if !object.has_named_property("model").unwrap_or(false) {
                // SAFETY: checked to be a string.
                let text =
                    unsafe { spec.cast::<String>() }.map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
                return serde_json::from_str(&text).map_err(|e| Error::invalid_parameter(name, text, e.to_string()));
            }
        }
    }
    // SAFETY: serde_json's conversion checks the value's type.
    let json = unsafe { value.cast::<Value>() }
        .map_err(|e| Error::invalid_parameter(name, format!("{kind:?}").to_lowercase(), e.reason))?;
    crate::spec::parse_model(json).map_err(|e| match e {
        Error::InvalidParameter { name: field, value, reason } if field == "model" => {
            Error::InvalidParameter { name: name.to_string(), value, reason }
        }
        other => other,
    })
}

/// An optional array field of models (each as [`model_like`], named `name[i]`).
pub(crate) fn model_list(object: &Object<'_>, name: &str) -> Result<Option<Vec<ModelSpec>>, Error> {
    let value = object.get::<Unknown<'_>>(name).map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    let Some(list) = value.filter(|v| v.get_type().ok() != Some(ValueType::Null)) else {
        return Ok(None);
    };
    if !list.is_array().unwrap_or(false) {
        return Err(Error::invalid_parameter(name, "?", "must be an array of models"));
    }
    // SAFETY: checked to be an array.
    let list = unsafe { list.cast::<Vec<Unknown<'_>>>() }.map_err(|e| Error::invalid_parameter(name, "?", e.reason))?;
    list.iter()
        .enumerate()
        .map(|(i, item)| model_like(item, &format!("{name}[{i}]")))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Read a core type from a JS value; a shape error is [`Error::InvalidParameter`] named `what`.
pub(crate) fn from_js<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, Error> {
    let value = to_core_json(value);
    serde_json::from_value(value.clone()).map_err(|e| Error::invalid_parameter(what, value, e.to_string()))
}

/// Serialise a JS-side options struct (already snake_case field names) and read the core type.
pub(crate) fn from_options<T: DeserializeOwned>(what: &str, options: &impl Serialize) -> Result<T, Error> {
    from_js(what, serde_json::to_value(options)?)
}

/// Re-read a core value as its JS mirror struct (same field names; counts as doubles).
pub(crate) fn mirror<T: DeserializeOwned>(value: &impl Serialize) -> Result<T, Error> {
    Ok(serde_json::from_value(serde_json::to_value(value)?)?)
}

/// The keys of an options object that are not JSON settings.
const CONTROL_KEYS: [&str; 2] = ["signal", "onProgress"];

/// The JSON settings of `options` (every key but `signal`, `onProgress` and `skip`; `undefined`
/// values are skipped). A value JSON cannot hold (a function, a symbol) is an
/// [`Error::InvalidParameter`].
pub(crate) fn options_json(options: &Object<'_>, skip: &[&str]) -> napi::Result<Result<Value, Error>> {
    let mut out = Map::new();
    for key in Object::keys(options)? {
        if CONTROL_KEYS.contains(&key.as_str()) || skip.contains(&key.as_str()) {
            continue;
        }
        let Some(value) = options.get::<Unknown<'_>>(&key)? else { continue };
        // SAFETY: any JS value may be offered to serde_json's conversion, which checks its type.
        match unsafe { value.cast::<Value>() } {
            Ok(json) => {
                out.insert(key, json);
            }
            Err(e) => return Ok(Err(Error::invalid_parameter(key, value_kind(&value), json_reason(&e.reason)))),
        }
    }
    Ok(Ok(Value::Object(out)))
}

pub(crate) fn value_kind(value: &Unknown<'_>) -> String {
    value.get_type().map_or_else(|_| "unknown".to_string(), |t| format!("{t:?}").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_tags_convert_both_ways() {
        let js = json!({"onHand": 3.0, "leadTimeSd": null, "service": {"kind": "cycleService", "value": 0.9},
                        "demand": {"kind": "forecast", "means": [1.0], "errorSd": [0.5]}});
        let core = to_core_json(js);
        assert_eq!(
            core,
            json!({"on_hand": 3, "service": {"kind": "cycle_service", "value": 0.9},
                                "demand": {"kind": "forecast", "means": [1], "error_sd": [0.5]}})
        );
        let back = to_js_json(
            json!({"cycle_service_level": 0.9, "by_priority": {"very_urgent": 1}, "priority": "low_ish", "mase": null}),
        );
        assert_eq!(back, json!({"cycleServiceLevel": 0.9, "byPriority": {"very_urgent": 1}, "priority": "low_ish"}));
    }

    #[test]
    fn shape_errors_name_the_argument() {
        let err = from_js::<forestock::inventory::ServiceTarget>("service", json!({"kind": "sometimes"})).err();
        assert!(matches!(err, Some(Error::InvalidParameter { ref name, .. }) if name == "service"));
    }
}
