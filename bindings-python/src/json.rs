//! Core structs go in as JSON text the Python side builds from plain dicts, and come back as Python
//! objects converted from their serde form ([`to_py`], NaN and ±inf kept); the core's serde
//! definitions (field names, defaults, enum tags) are the single source of truth.

use forestock::Error;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::errors::to_py_err;

/// Deserialise the JSON argument `name` into a core struct; a malformed or incomplete value is an
/// invalid-parameter error naming the missing field when serde reports one, `name` otherwise.
///
/// The field is found by the core ([`forestock::models::from_settings`]): a negative or too large
/// count in a JSON setting names that setting, like a missing one.
pub(crate) fn from_json<T: DeserializeOwned>(py: Python<'_>, name: &str, json: &str) -> PyResult<T> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| to_py_err(py, &Error::invalid_parameter(name, name, format!("{name}: {e}"))))?;
    forestock::models::from_settings::<T>(&value).map_err(|e| match e {
        Error::InvalidParameter { name: field, reason, .. } => {
            let field = if field == "settings" { name.to_string() } else { field };
            to_py_err(py, &Error::invalid_parameter(field, name, format!("{name}: {reason}")))
        }
        other => to_py_err(py, &other),
    })
}

/// Deserialise `overrides` (a JSON object) on top of the serialised `defaults`, so the core's
/// `Default` stays the only place defaults are written. A key the defaults do not have (a typo such
/// as `horizn`) is an error with the core's "did you mean" hint (`forestock::options::check_known`).
pub(crate) fn with_defaults<T: Serialize + DeserializeOwned>(
    py: Python<'_>,
    name: &str,
    defaults: &T,
    overrides: &str,
) -> PyResult<T> {
    let mut base = serde_json::to_value(defaults).map_err(|e| to_py_err(py, &Error::from(e)))?;
    let extra: serde_json::Value = from_json(py, name, overrides)?;
    match (&mut base, extra) {
        (serde_json::Value::Object(base), serde_json::Value::Object(extra)) => {
            let known: Vec<&str> = base.keys().map(String::as_str).collect();
            core(py, forestock::options::check_known(extra.keys().map(String::as_str), &known))?;
            base.extend(extra)
        }
        _ => {
            return Err(to_py_err(py, &Error::invalid_parameter(name, overrides, "must be a JSON object")));
        }
    }
    from_json(py, name, &base.to_string())
}

/// A core result as Python objects (dicts, lists, floats, ints, strings, None), through its serde
/// form: the same field names and enum tags as its JSON, but NaN and ±inf stay floats (JSON text
/// would turn them into `null`).
pub(crate) fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    pythonize::pythonize(py, value).map(Bound::unbind).map_err(PyErr::from)
}

/// Serialise a core result to JSON text (non-finite numbers become `null`): for values that go
/// back into the core as text, or that the caller stores.
pub(crate) fn to_json<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| to_py_err(py, &Error::from(e)))
}

/// Map a core result's error to its Python exception.
pub(crate) fn core<T>(py: Python<'_>, result: forestock::Result<T>) -> PyResult<T> {
    result.map_err(|e| to_py_err(py, &e))
}
