//! A model choice as a caller writes it (a name plus keyword arguments or option keys), read
//! strictly: a setting the model does not read is an error, so a typo such as `horizn=8` or
//! `seasonLenght: 12` fails loudly instead of being ignored while the default applies.
//!
//! The stored form of a model ([`ModelSpec::from_value`], registry records) stays lenient, so a
//! record written by another version still loads; only settings typed by a caller are checked.

use serde_json::Value;

use super::ModelSpec;
use crate::error::{Error, Result};
use crate::options::{closest, Spelling};

impl ModelSpec {
    /// Read a caller's model choice such as `{"model": "naive", "horizn": 8}` like
    /// [`ModelSpec::from_value`], then check that every top-level setting is one the model reads.
    ///
    /// `shared` names settings the caller hands to whatever model is chosen, such as the
    /// `season_length` of a frame's seasonality: a model without that setting ignores it. Any other
    /// setting the model does not read is an [`Error::InvalidParameter`] naming it, with "did you
    /// mean" when one of the model's settings is close; `spelling` is how the caller writes names
    /// (the error's field and its hint use it, the settings are read in snake_case). A setting is
    /// known when the model reads it into its specification (it appears when the specification is
    /// written back).
    ///
    /// ```
    /// use forestock::{options::Spelling, ModelSpec};
    /// use serde_json::json;
    /// let shared = ["season_length"];
    /// assert!(ModelSpec::from_caller(json!({"model": "naive", "season_length": 12}), &shared, Spelling::SnakeCase).is_ok());
    /// let err = ModelSpec::from_caller(json!({"model": "seasonal_naive", "season_length": 12, "seasn_length": 4}), &shared, Spelling::SnakeCase)
    ///     .unwrap_err()
    ///     .to_string();
    /// assert!(err.contains("`seasn_length`") && err.contains("did you mean `season_length`?"), "{err}");
    /// # Ok::<(), forestock::Error>(())
    /// ```
    pub fn from_caller(value: Value, shared: &[&str], spelling: Spelling) -> Result<ModelSpec> {
        let given: Vec<String> = match &value {
            Value::Object(fields) => fields.keys().filter(|k| k.as_str() != "model").cloned().collect(),
            _ => Vec::new(),
        };
        let spec = match ModelSpec::from_value(value.clone()) {
            Ok(spec) => spec,
            Err(e) => return Err(typo_of_missing(&e, &given, spelling).unwrap_or(e)),
        };
        // The settings as given, before an ETS code with `Z` becomes AutoETS (which renames `spec`).
        let as_given = serde_json::from_value::<ModelSpec>(value.clone()).ok();
        let read = read_settings(as_given.as_ref().unwrap_or(&spec));
        let unknown = |n: &&String| !shared.contains(&n.as_str()) && !read.contains(n) && !is_read(&value, n);
        match given.iter().find(unknown) {
            Some(name) => Err(unknown_setting(&spec, name, &read, spelling)),
            None => Ok(spec),
        }
    }
}

/// When a required setting is missing and a given one is a typo of it (`season_lenght` for
/// `season_length`), the error names the typo: "missing `season_length`" alone hides the cause.
fn typo_of_missing(error: &Error, given: &[String], spelling: Spelling) -> Option<Error> {
    let Error::InvalidParameter { name: missing, reason, .. } = error else { return None };
    if !reason.starts_with("missing field") {
        return None;
    }
    let typo = given.iter().find(|g| closest(g, &[missing.as_str()]).is_some())?;
    let (typo, missing) = (spelling.spell(typo), spelling.spell(missing));
    Some(Error::invalid_parameter(
        typo.clone(),
        typo,
        format!("is not a setting of this model; did you mean `{missing}`? (`{missing}` is required)"),
    ))
}

/// Whether the model reads setting `name` of `value` although its written form leaves it out (a
/// setting left out when it has its default value, such as `AutoModel`'s `optimizer`): with a
/// value no setting can take in its place, the model no longer reads. An unknown key is ignored
/// by the reader, so the model still reads.
fn is_read(value: &Value, name: &str) -> bool {
    let mut probe = value.clone();
    if let Value::Object(fields) = &mut probe {
        fields.insert(name.to_string(), Value::Array(vec![Value::Null, Value::Bool(true)]));
    }
    serde_json::from_value::<ModelSpec>(probe).is_err()
}

/// The top-level settings `spec` holds (the keys of its written form, without the `model` tag).
fn read_settings(spec: &ModelSpec) -> Vec<String> {
    match serde_json::to_value(spec) {
        Ok(Value::Object(fields)) => fields.into_iter().map(|(k, _)| k).filter(|k| k != "model").collect(),
        _ => Vec::new(),
    }
}

fn unknown_setting(spec: &ModelSpec, name: &str, read: &[String], spelling: Spelling) -> Error {
    let known: Vec<&str> = read.iter().map(String::as_str).collect();
    let model = spelling.spell(spec.name());
    let reason = match closest(name, &known) {
        Some(candidate) => {
            format!("is not a setting of model `{model}`; did you mean `{}`?", spelling.spell(candidate))
        }
        None if known.is_empty() => format!("is not a setting of model `{model}`, which takes none"),
        None => {
            let spelled: Vec<String> = known.iter().map(|k| spelling.spell(k)).collect();
            format!("is not a setting of model `{model}` (its settings: {})", spelled.join(", "))
        }
    };
    let name = spelling.spell(name);
    Error::invalid_parameter(name.clone(), name, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(value: Value, shared: &[&str]) -> String {
        ModelSpec::from_caller(value, shared, Spelling::SnakeCase).expect_err("an unknown setting").to_string()
    }

    #[test]
    fn unknown_settings_are_named_and_shared_ones_pass() {
        let err = message(json!({"model": "naive", "horizn": 8}), &["season_length"]);
        assert!(err.contains("`horizn`") && err.contains("`naive`, which takes none"), "{err}");
        let err = message(json!({"model": "naive", "season_length": 12}), &[]);
        assert!(err.contains("`season_length`"), "{err}");
        let ok = ModelSpec::from_caller(
            json!({"model": "naive", "season_length": 12}),
            &["season_length"],
            Spelling::SnakeCase,
        );
        assert!(ok.is_ok());
        let err = message(json!({"model": "auto_model", "season_length": 12, "optimiser": "hybrid"}), &[]);
        assert!(err.contains("`optimiser`"), "{err}");
        let err = message(json!({"model": "seasonal_naive", "season_length": 12, "windw": 3}), &[]);
        assert!(err.contains("(its settings: season_length)"), "{err}");
        let camel =
            ModelSpec::from_caller(json!({"model": "seasonal_naive", "season_lenght": 12}), &[], Spelling::CamelCase)
                .expect_err("a typo")
                .to_string();
        assert!(camel.contains("`seasonLenght`") && camel.contains("did you mean `seasonLength`?"), "{camel}");
    }

    #[test]
    fn every_setting_of_the_common_models_is_known() {
        // A wildcard ETS code becomes AutoETS, whose settings must still include what was given.
        for value in [
            json!({"model": "ets", "spec": "ZZZ", "season_length": 12}),
            json!({"model": "ets", "spec": "MAdM", "season_length": 12}),
            json!({"model": "auto_ets", "season_length": 12}),
            json!({"model": "holt_winters", "season_length": 4, "seasonality": "multiplicative", "alpha": 0.3}),
            json!({"model": "auto_model", "season_length": [7, 365]}),
            // A setting written back only when it differs from its default, given at its default.
            json!({"model": "auto_model", "season_length": 12, "optimizer": "hybrid"}),
            json!({"model": "mstl", "periods": [7]}),
            json!({"model": "ensemble", "season_length": 4}),
            json!({"model": "tsb", "alpha_d": 0.1, "alpha_p": 0.1}),
        ] {
            assert!(ModelSpec::from_caller(value.clone(), &[], Spelling::SnakeCase).is_ok(), "{value}");
        }
    }
}
