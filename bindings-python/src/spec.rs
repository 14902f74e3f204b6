//! Model specifications arrive as a dict (or JSON text a user wrote or stored) and are
//! deserialised into [`forestock::ModelSpec`].

use forestock::options::Spelling;
use forestock::{Error, ModelSpec};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::{guarded, to_py_err};
use crate::json::{core, to_py, value_of, Unknown};

/// Parse a model specification such as `{"model": "seasonal_naive", "season_length": 12}`, built
/// from a model object or from a spec name plus keyword arguments; text is read as its JSON.
///
/// The core reads it strictly ([`ModelSpec::from_caller`]): a keyword the model does not read
/// (`horizn=8`) is an [`Error::InvalidParameter`] naming it, except `season_length`, which
/// `fs.forecast` and `fs.plan` hand to whatever model is named. A malformed or unknown
/// specification names the missing field when serde reports one, `model` otherwise.
pub(crate) fn parse_spec(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<ModelSpec> {
    let value = match spec.cast::<PyString>() {
        Ok(text) => {
            let text = text.to_str()?;
            serde_json::from_str(text)
                .map_err(|e| to_py_err(py, &Error::invalid_parameter("model", text, e.to_string())))?
        }
        Err(_) => value_of(py, "model", spec, Unknown::Reject)?,
    };
    core(py, guarded(|| ModelSpec::from_caller(value, &["season_length"], Spelling::SnakeCase)))
}

/// Validate a model specification (dict or JSON text) and return it in the core's canonical form,
/// as a dict.
#[pyfunction]
pub(crate) fn normalize_spec(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let parsed = parse_spec(py, spec)?;
    to_py(py, &parsed)
}
