//! The meaning of `Z` in an ETS code, in one place for Rust, Python and Node.
//!
//! `Z` is R's "choose this component automatically" (`forecast::ets(model = "ZZZ")`). An [`Ets`]
//! whose code holds a `Z` (either case) is therefore not one fixed form but the AutoETS search over
//! the wildcard components: [`Ets::resolve`] turns it into [`ModelSpec::AutoEts`] with the code as
//! the pattern and the settings both models share (season length, damping, multiplicative trend,
//! `restrict`, bounds, estimation criterion and parameter bounds). Fixed smoothing parameters only
//! make sense for one form, so α, β, γ or φ with a wildcard code is an error naming the first of
//! them. [`ModelSpec::from_value`] and [`ModelSpec::from_json`] apply the rule to every ETS spec
//! in a specification, nested ones included (ensemble members, a conformal base, an MSTL trend
//! forecaster), so `ETS("ZZZ")` means AutoETS in every language and in stored JSON.

use serde_json::Value;

use super::auto::AutoEts;
use super::fit::Ets;
use crate::error::{Error, Result};
use crate::models::ModelSpec;

impl Ets {
    /// Whether the code holds a `Z` wildcard (any case), e.g. `"ZZZ"` or `"MZN"`.
    pub fn has_wildcard(&self) -> bool {
        self.spec.chars().any(|c| c.eq_ignore_ascii_case(&'Z'))
    }

    /// This ETS as a model specification: [`ModelSpec::Ets`] for a complete code, the AutoETS
    /// search over the wildcard components ([`ModelSpec::AutoEts`]) for a code with `Z` (see the
    /// module docs).
    ///
    /// ```
    /// use forestock::models::{Ets, ModelSpec};
    /// let auto = Ets { spec: "ZZN".into(), season_length: 12, ..Ets::default() }.resolve()?;
    /// assert!(matches!(auto, ModelSpec::AutoEts(ref a) if a.pattern == "ZZN" && a.season_length == 12));
    /// let fixed = Ets { spec: "MAdM".into(), ..Ets::default() }.resolve()?;
    /// assert_eq!(fixed.name(), "ets");
    /// assert!(Ets { spec: "ZZZ".into(), alpha: Some(0.3), ..Ets::default() }.resolve().is_err());
    /// # Ok::<(), forestock::Error>(())
    /// ```
    pub fn resolve(self) -> Result<ModelSpec> {
        if !self.has_wildcard() {
            return Ok(ModelSpec::Ets(self));
        }
        let fixed = [("alpha", self.alpha), ("beta", self.beta), ("gamma", self.gamma), ("phi", self.phi)];
        if let Some((name, value)) = fixed.iter().find_map(|(n, v)| v.map(|v| (*n, v))) {
            return Err(Error::invalid_parameter(
                name,
                value,
                format!("can only be fixed for a complete ETS code, not the wildcard code {:?} (AutoETS)", self.spec),
            ));
        }
        Ok(ModelSpec::AutoEts(AutoEts {
            season_length: self.season_length,
            pattern: self.spec,
            damped: self.damped,
            allow_multiplicative_trend: self.allow_multiplicative_trend,
            restrict: self.restrict,
            bounds: self.bounds,
            criterion: self.criterion,
            lower: self.lower,
            upper: self.upper,
            optimizer: self.optimizer,
            ..AutoEts::default()
        }))
    }
}

/// Replace every ETS spec with a wildcard code in `value` (at any depth) by its AutoETS spec.
fn resolve_wildcards(value: &mut Value) -> Result<()> {
    match value {
        Value::Object(fields) => {
            let wildcard = |s: &str| s.chars().any(|c| c.eq_ignore_ascii_case(&'Z'));
            let is_wildcard_ets = fields.get("model").and_then(Value::as_str) == Some("ets")
                && fields.get("spec").and_then(Value::as_str).is_some_and(wildcard);
            if is_wildcard_ets {
                let mut settings = fields.clone();
                settings.remove("model");
                let ets: Ets = serde_json::from_value(Value::Object(settings)).map_err(|e| spec_error(value, &e))?;
                *value = serde_json::to_value(ets.resolve()?)?;
                return Ok(());
            }
            fields.values_mut().try_for_each(resolve_wildcards)
        }
        Value::Array(items) => items.iter_mut().try_for_each(resolve_wildcards),
        _ => Ok(()),
    }
}

/// A serde error reading a specification as [`Error::InvalidParameter`] naming the field when it can
/// be told (the missing field, or the one holding the rejected value), `model` otherwise.
fn spec_error(spec: &Value, error: &serde_json::Error) -> Error {
    let message = error.to_string();
    let field = crate::models::settings_error_field(spec, &message).unwrap_or_else(|| "model".to_string());
    Error::invalid_parameter(field, spec, message)
}

impl ModelSpec {
    /// Read a specification from a JSON value such as `{"model": "ets", "spec": "ZZN"}`, applying
    /// the `Z` rule of the module docs to every ETS spec in it (the one place a binding turns a
    /// model choice into a [`ModelSpec`]; [`ModelSpec::from_json`] is this on JSON text).
    ///
    /// A malformed or unknown specification is an [`Error::InvalidParameter`] naming the field when
    /// it can be told (the missing field, or the one holding a rejected value), `model` otherwise.
    ///
    /// ```
    /// use forestock::ModelSpec;
    /// let spec = ModelSpec::from_value(serde_json::json!({"model": "ets", "spec": "ZZZ", "season_length": 12}))?;
    /// assert_eq!(spec.name(), "auto_ets");
    /// # Ok::<(), forestock::Error>(())
    /// ```
    pub fn from_value(mut value: Value) -> Result<ModelSpec> {
        resolve_wildcards(&mut value)?;
        serde_json::from_value::<ModelSpec>(value.clone()).map_err(|e| spec_error(&value, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_wildcards_resolve_and_complete_codes_stay() {
        let spec = ModelSpec::from_value(json!({
            "model": "ensemble",
            "members": [{"model": "ets", "spec": "zzn"}, {"model": "ets", "spec": "MAdM", "season_length": 12}],
        }));
        // Whatever the ensemble accepts, the members were resolved before it was read.
        if let Ok(ModelSpec::Ensemble(e)) = &spec {
            let names: Vec<_> = e.members.iter().map(|m| m.name()).collect();
            assert_eq!(names, ["auto_ets", "ets"]);
        }
        let err = ModelSpec::from_value(json!({"model": "ets", "spec": "ZZZ", "phi": 0.9})).expect_err("an error");
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "phi"));
        let err = ModelSpec::from_value(json!({"model": "seasonal_naive"})).expect_err("an error");
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "season_length"));
    }
}
