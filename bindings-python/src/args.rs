//! Whole numbers from Python: every native entry point that takes a count, a horizon, a season
//! length or a seed from the caller converts it here, so an out-of-range Python int (negative,
//! `2**63`, `10**30`) is the library's `InvalidParameterError` naming the parameter as the caller
//! spells it, never pyo3's `OverflowError` or `TypeError`. The limits themselves are the core's
//! (`forestock::limits`), checked after the conversion.

use pyo3::prelude::*;
use pyo3::types::PyBool;

use crate::errors::invalid_parameter;

fn repr(value: &Bound<'_, PyAny>) -> String {
    value.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".to_string())
}

/// `value` as a non-negative whole number (`usize`); the caller's parameter name is `name`.
pub(crate) fn count(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str) -> PyResult<usize> {
    if value.is_instance_of::<PyBool>() {
        return Err(invalid_parameter(py, name, repr(value), "must be a whole number, not a bool"));
    }
    if let Ok(v) = value.extract::<usize>() {
        return Ok(v);
    }
    Err(out_of_range(py, value, name, "must be a whole number >= 0"))
}

/// `value` as a signed whole number (`i64`), e.g. `n_jobs = -1`.
pub(crate) fn signed(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    if value.is_instance_of::<PyBool>() {
        return Err(invalid_parameter(py, name, repr(value), "must be a whole number, not a bool"));
    }
    if let Ok(v) = value.extract::<i64>() {
        return Ok(v);
    }
    Err(out_of_range(py, value, name, "must be a whole number"))
}

/// The error for a value that did not convert: an int out of the native range, or not an int.
fn out_of_range(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str, what: &str) -> PyErr {
    let shown = repr(value);
    let Ok(int) = value.call_method0("__index__") else {
        return invalid_parameter(py, name, shown, &format!("{what}, got a {}", type_name(value)));
    };
    if int.lt(0i64).unwrap_or(false) {
        return invalid_parameter(py, name, shown, &format!("{what}: negative values are not allowed"));
    }
    invalid_parameter(py, name, shown, &format!("{what}: far above the documented limit (docs/reliability.md)"))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_string())
}
