//! Model specifications arrive as JSON text and are deserialised into [`forestock::ModelSpec`].

use forestock::options::Spelling;
use forestock::{Error, ModelSpec};
use pyo3::prelude::*;

use crate::errors::to_py_err;

/// Parse a JSON model specification such as `{"model":"seasonal_naive","season_length":12}`, built
/// from a model object or from a spec name plus keyword arguments.
///
/// The core reads it strictly ([`ModelSpec::from_caller`]): a keyword the model does not read
/// (`horizn=8`) is an [`Error::InvalidParameter`] naming it, except `season_length`, which
/// `fs.forecast` and `fs.plan` hand to whatever model is named. A malformed or unknown
/// specification names the missing field when serde reports one, `model` otherwise.
pub(crate) fn parse_spec(json: &str) -> Result<ModelSpec, Error> {
    let value = serde_json::from_str(json).map_err(|e| Error::invalid_parameter("model", json, e.to_string()))?;
    ModelSpec::from_caller(value, &["season_length"], Spelling::SnakeCase)
}

/// Validate a JSON model specification and return it in the core's canonical JSON form.
#[pyfunction]
pub(crate) fn normalize_spec(py: Python<'_>, spec: &str) -> PyResult<String> {
    let parsed = parse_spec(spec).map_err(|e| to_py_err(py, &e))?;
    serde_json::to_string(&parsed).map_err(|e| to_py_err(py, &Error::from(e)))
}
