//! JS options (camelCase) -> core [`ModelSpec`] (serde tag `model`, snake_case fields).

use forestock::options::Spelling;
use forestock::{Error, ModelSpec};
use serde_json::{Map, Value};

/// `seasonLength` -> `season_length`, `autoEts`/`AutoETS` -> `auto_ets`, `CrostonSBA` ->
/// `croston_sba`; snake_case input is returned unchanged. A run of capitals is one word.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars.get(i - 1).copied().unwrap_or('_');
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev != '_' && (prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_is_lower)) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `season_length` -> `seasonLength`: how a JS caller spells a core field in error messages.
pub(crate) fn camel_case(name: &str) -> String {
    Spelling::CamelCase.spell(name)
}

/// JS numbers are doubles: make integral ones JSON integers so serde can read counts from them.
pub(crate) fn normalize_number(value: Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(normalize_number).collect()),
        other => other,
    }
}

/// Build a [`ModelSpec`] from the spec name `tag` (any case) and the model's settings.
///
/// `settings` is a JSON object with camelCase or snake_case keys; `null` values are dropped so the
/// core defaults apply. An unknown model or a bad setting is [`Error::InvalidParameter`] naming the
/// field as the JS caller spells it.
pub(crate) fn model_spec(tag: &str, settings: Value) -> Result<ModelSpec, Error> {
    let mut spec = Map::new();
    spec.insert("model".to_string(), Value::String(snake_case(tag)));
    match settings {
        Value::Object(fields) => {
            for (key, value) in fields {
                if !value.is_null() {
                    spec.insert(snake_case(&key), normalize_number(value));
                }
            }
        }
        Value::Null => {}
        other => return Err(Error::invalid_parameter("options", other, "must be an object")),
    }
    // The core reads the spec strictly (a setting the model does not read is an error) and
    // resolves an ETS code with `Z` to AutoETS; only the field name of an error is turned into the
    // JS spelling.
    ModelSpec::from_caller(Value::Object(spec), &[], Spelling::CamelCase).map_err(|e| match e {
        Error::InvalidParameter { name, value, reason } => {
            Error::InvalidParameter { name: camel_case(&name), value, reason }
        }
        other => other,
    })
}

/// A model given as a name (`'autoModel'`) or `{ model: 'ets', spec: 'MAdM', seasonLength: 12 }`.
pub(crate) fn parse_model(value: Value) -> Result<ModelSpec, Error> {
    match value {
        Value::String(name) => model_spec(&name, Value::Null),
        Value::Object(mut settings) => match settings.remove("model") {
            Some(Value::String(name)) => model_spec(&name, Value::Object(settings)),
            other => Err(Error::invalid_parameter("model", format!("{other:?}"), "must name a model")),
        },
        other => Err(Error::invalid_parameter("model", other, "must be a model name or { model, ...settings }")),
    }
}

/// A JS horizon (a double) as a step count: a non-negative integer (the core checks `h >= 1`).
pub(crate) fn horizon(h: f64) -> Result<usize, Error> {
    if h.is_finite() && h >= 0.0 && h.fract() == 0.0 && h <= u32::MAX as f64 {
        Ok(h as usize)
    } else {
        Err(Error::invalid_parameter("h", h, "the forecast horizon must be an integer >= 1"))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_between_js_and_core() {
        assert_eq!(snake_case("seasonLength"), "season_length");
        assert_eq!(snake_case("seasonalNaive"), "seasonal_naive");
        assert_eq!(snake_case("SeasonalNaive"), "seasonal_naive");
        assert_eq!(snake_case("autoEts"), "auto_ets");
        assert_eq!(snake_case("AutoETS"), "auto_ets");
        assert_eq!(snake_case("CrostonSBA"), "croston_sba");
        assert_eq!(snake_case("TSB"), "tsb");
        assert_eq!(snake_case("season_length"), "season_length");
        assert_eq!(camel_case("season_length"), "seasonLength");
    }

    #[test]
    fn specs_parse_and_reject() {
        let spec = model_spec("seasonalNaive", serde_json::json!({"seasonLength": 12.0})).expect("spec");
        assert_eq!(spec.name(), "seasonal_naive");
        let missing = model_spec("seasonalNaive", Value::Null).expect_err("missing");
        assert!(matches!(missing, Error::InvalidParameter { ref name, .. } if name == "seasonLength"));
        assert!(model_spec("noSuchModel", Value::Null).is_err());
        assert!(model_spec("seasonalNaive", serde_json::json!({"seasonLength": 2.5})).is_err());
        assert!(horizon(-1.0).is_err() && horizon(1.5).is_err() && horizon(3.0) == Ok(3));
    }
}
