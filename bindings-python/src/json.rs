//! Core structs go in as Python objects (dicts, lists, numbers, text) and come back as Python
//! objects converted from their serde form ([`to_py`], NaN and ±inf kept); the core's serde
//! definitions (field names, defaults, enum tags) are the single source of truth.
//!
//! Inputs cross in one of two ways:
//! - [`from_py`] / [`with_defaults`]: the object becomes a JSON value ([`value_of`]) that the core
//!   reads (`forestock::models::from_settings`, which names the failing field). JSON has no NaN or
//!   infinity, so a non-finite number there is an invalid-parameter error naming the argument and
//!   the path inside it (`metrics.mase`), as the old strict JSON text was.
//! - [`from_py_keeping_nan`]: the object is deserialised straight into the core struct, so NaN and
//!   ±inf arrive intact and the core's own checks judge them (inventory inputs).
//!
//! Values that are not plain Python data (numpy scalars and arrays, datetimes, decimals) are turned
//! into plain data by one Python hook, `forestock._convert.native_value`, like `json.dumps`'s
//! `default=`.

use forestock::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::errors::to_py_err;

/// The package's conversion hook for values that are not plain Python data.
const HOOK_MODULE: &str = "forestock._convert";
const HOOK: &str = "native_value";

/// How deep a value may nest: deeper input is rejected instead of exhausting the stack.
const MAX_DEPTH: usize = 128;

/// What [`value_of`] does with a value the hook cannot convert.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// An invalid-parameter error naming the argument and the path.
    Reject,
    /// Its `str()` (free-form summaries, where the old JSON text used `default=str`).
    AsText,
}

/// A conversion failure: where inside the argument, and why.
struct Failure {
    path: String,
    value: String,
    reason: String,
}

/// The Python value `obj` (argument `name`) as a JSON value: dicts (text keys; integer keys become
/// text as `json.dumps` writes them), lists and tuples, text, integers, finite floats, booleans
/// and None; anything else goes through the package hook first.
pub(crate) fn value_of(py: Python<'_>, name: &str, obj: &Bound<'_, PyAny>, unknown: Unknown) -> PyResult<Value> {
    // The hook is looked up on first need: plain data (the common case) never imports it.
    let mut hook = None;
    let mut path = name.to_string();
    match walk(obj, &mut hook, &mut path, unknown, 0) {
        Ok(value) => Ok(value),
        Err(Walk::Python(err)) => Err(err),
        Err(Walk::Invalid(f)) => {
            Err(to_py_err(py, &Error::invalid_parameter(name, f.value, format!("`{}`: {}", f.path, f.reason))))
        }
    }
}

enum Walk {
    Invalid(Failure),
    Python(PyErr),
}

fn invalid(path: &str, value: &Bound<'_, PyAny>, reason: impl Into<String>) -> Walk {
    let value = value.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".to_string());
    Walk::Invalid(Failure { path: path.to_string(), value, reason: reason.into() })
}

fn walk<'py>(
    obj: &Bound<'py, PyAny>,
    hook: &mut Option<Bound<'py, PyAny>>,
    path: &mut String,
    unknown: Unknown,
    depth: usize,
) -> Result<Value, Walk> {
    if depth > MAX_DEPTH {
        return Err(invalid(path, obj, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::from(v));
        }
        // Beyond 64 bits: JSON text of such an integer read back as the nearest float.
        let v: f64 = i.extract().map_err(Walk::Python)?;
        return finite(obj, path, v);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return finite(obj, path, f.value());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_str().map(|s| Value::String(s.to_string())).map_err(Walk::Python);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut out = Map::new();
        for (key, value) in d.iter() {
            let key = if let Ok(s) = key.cast::<PyString>() {
                s.to_str().map_err(Walk::Python)?.to_string()
            } else if key.cast::<PyInt>().is_ok() && key.cast::<PyBool>().is_err() {
                key.str().map_err(Walk::Python)?.to_string()
            } else {
                return Err(invalid(path, &key, "keys must be text"));
            };
            let len = path.len();
            path.push('.');
            path.push_str(&key);
            let value = walk(&value, hook, path, unknown, depth + 1)?;
            path.truncate(len);
            out.insert(key, value);
        }
        return Ok(Value::Object(out));
    }
    let items = if let Ok(l) = obj.cast::<PyList>() {
        Some(l.iter().collect::<Vec<_>>())
    } else {
        obj.cast::<PyTuple>().ok().map(|t| t.iter().collect::<Vec<_>>())
    };
    if let Some(items) = items {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            out.push(walk(item, hook, path, unknown, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(out));
    }
    let hook_fn = match hook {
        Some(hook_fn) => hook_fn.clone(),
        None => {
            let found = obj.py().import(HOOK_MODULE).and_then(|m| m.getattr(HOOK)).map_err(Walk::Python)?;
            hook.insert(found).clone()
        }
    };
    match hook_fn.call1((obj,)) {
        Ok(plain) if !plain.is(obj) => walk(&plain, hook, path, unknown, depth + 1),
        _ if unknown == Unknown::AsText => obj.str().map(|s| Value::String(s.to_string())).map_err(Walk::Python),
        Ok(_) => Err(invalid(path, obj, "not a JSON value")),
        Err(err) => {
            let reason = err.value(obj.py()).str().map(|s| s.to_string()).unwrap_or_else(|_| err.to_string());
            Err(invalid(path, obj, reason))
        }
    }
}

fn finite(obj: &Bound<'_, PyAny>, path: &str, v: f64) -> Result<Value, Walk> {
    Number::from_f64(v)
        .map(Value::Number)
        .ok_or_else(|| invalid(path, obj, "must be a finite number (NaN and infinity have no JSON form)"))
}

/// Deserialise a JSON value (argument `name`) into a core struct; an incomplete or ill-typed value
/// is an invalid-parameter error naming the field when serde reports one, `name` otherwise.
///
/// The field is found by the core ([`forestock::models::from_settings`]): a negative or too large
/// count in a setting names that setting, like a missing one.
pub(crate) fn from_value<T: DeserializeOwned>(py: Python<'_>, name: &str, value: &Value) -> PyResult<T> {
    forestock::models::from_settings::<T>(value).map_err(|e| match e {
        Error::InvalidParameter { name: field, reason, .. } => {
            let field = if field == "settings" { name.to_string() } else { field };
            to_py_err(py, &Error::invalid_parameter(field, name, format!("{name}: {reason}")))
        }
        other => to_py_err(py, &other),
    })
}

/// The Python argument `name` as a core struct through its JSON value ([`value_of`], non-finite
/// numbers rejected), errors as [`from_value`].
pub(crate) fn from_py<T: DeserializeOwned>(py: Python<'_>, name: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    from_value(py, name, &value_of(py, name, obj, Unknown::Reject)?)
}

/// The Python argument `name` deserialised straight into a core struct, so NaN and ±inf reach the
/// core's own checks intact. When it does not fit as it is (a numpy integer, a missing field), it
/// goes the [`from_py`] way, whose error names the field.
pub(crate) fn from_py_keeping_nan<T: DeserializeOwned>(
    py: Python<'_>,
    name: &str,
    obj: &Bound<'_, PyAny>,
) -> PyResult<T> {
    match pythonize::depythonize::<T>(obj) {
        Ok(value) => Ok(value),
        Err(_) => from_py(py, name, obj),
    }
}

/// Deserialise `overrides` (a dict) on top of the serialised `defaults`, so the core's `Default`
/// stays the only place defaults are written. A key the defaults do not have (a typo such as
/// `horizn`) is an error with the core's "did you mean" hint (`forestock::options::check_known`).
pub(crate) fn with_defaults<T: Serialize + DeserializeOwned>(
    py: Python<'_>,
    name: &str,
    defaults: &T,
    overrides: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let mut base = serde_json::to_value(defaults).map_err(|e| to_py_err(py, &Error::from(e)))?;
    let extra = value_of(py, name, overrides, Unknown::Reject)?;
    match (&mut base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            let known: Vec<&str> = base.keys().map(String::as_str).collect();
            core(py, forestock::options::check_known(extra.keys().map(String::as_str), &known))?;
            base.extend(extra)
        }
        (_, extra) => {
            return Err(to_py_err(py, &Error::invalid_parameter(name, extra, "must be a dict")));
        }
    }
    from_value(py, name, &base)
}

/// A core result as Python objects (dicts, lists, floats, ints, strings, None), through its serde
/// form: the same field names and enum tags as its JSON, but NaN and ±inf stay floats (JSON text
/// would turn them into `null`).
pub(crate) fn to_py<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    pythonize::pythonize(py, value).map(Bound::unbind).map_err(PyErr::from)
}

/// Map a core result's error to its Python exception.
pub(crate) fn core<T>(py: Python<'_>, result: forestock::Result<T>) -> PyResult<T> {
    result.map_err(|e| to_py_err(py, &e))
}
