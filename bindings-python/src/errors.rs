//! Python exception classes, one per stable [`forestock::Error::code`], all deriving from
//! `forestock.ForestockError(ValueError)`.
//!
//! Each raised exception carries `code` (e.g. `"ERR_INVALID_SERIES"`), `series` (the failing
//! series id in a batch, else `None`), `field` (the parameter name for invalid parameters, else
//! `None`) and `index` (the offending observation for invalid series values, else `None`).

use forestock::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    forestock,
    ForestockError,
    PyValueError,
    "Base class of every forestock error; `code` holds the stable error code."
);

/// Declares one exception class per error code, the code -> class lookup and the registration.
macro_rules! error_classes {
    ($($class:ident => $code:literal: $doc:literal,)+) => {
        $(create_exception!(forestock, $class, ForestockError, $doc);)+

        fn class_for<'py>(py: Python<'py>, code: &str) -> Bound<'py, PyType> {
            match code {
                $($code => py.get_type::<$class>(),)+
                _ => py.get_type::<ForestockError>(),
            }
        }

        /// Add the exception classes to the module.
        /// Each class also carries its `code` and `None` context attributes as class attributes, so
        /// an instance raised from Python code has them too.
        pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            add_class(m, py.get_type::<ForestockError>(), "ForestockError", "ERR_FORESTOCK")?;
            $(add_class(m, py.get_type::<$class>(), stringify!($class), $code)?;)+
            Ok(())
        }
    };
}

error_classes! {
    InvalidSeriesError => "ERR_INVALID_SERIES": "The series is empty, too short, or holds NaN/inf or values the model cannot take.",
    InvalidParameterError => "ERR_INVALID_PARAMETER": "A parameter (horizon, level, model setting) is outside its domain.",
    FitFailedError => "ERR_FIT_FAILED": "Numerical estimation of the model failed.",
    InvalidRowError => "ERR_INVALID_ROW": "A row of tabular input is malformed.",
    MissingDataError => "ERR_MISSING_DATA": "Required data is missing (e.g. an item without history).",
    CorruptRecordError => "ERR_CORRUPT_RECORD": "A stored record cannot be read or breaks its invariants.",
    SerializationError => "ERR_SERIALIZATION": "Serialization or deserialization failed.",
    StorageError => "ERR_IO": "An input/output operation failed.",
    CancelledError => "ERR_CANCELLED": "The operation was cancelled.",
    ConflictError => "ERR_CONFLICT": "A store changed on disk since it was loaded (another writer saved first); reload and retry.",
    InternalError => "ERR_INTERNAL": "A defect inside forestock (a Rust panic), caught instead of aborting the interpreter.",
}

fn add_class(m: &Bound<'_, PyModule>, class: Bound<'_, PyType>, name: &str, code: &str) -> PyResult<()> {
    class.setattr("code", code)?;
    for context in ["series", "field", "index"] {
        class.setattr(context, m.py().None())?;
    }
    m.add(name, class)
}

/// Convert a core error into the Python exception of its code, with context attributes set.
pub(crate) fn to_py_err(py: Python<'_>, error: &Error) -> PyErr {
    let (series, cause) = match error {
        Error::InSeries { id, source } => (Some(id.clone()), source.as_ref()),
        other => (None, other),
    };
    let (field, index) = match cause {
        Error::InvalidParameter { name, .. } => (Some(name.clone()), None),
        Error::NonFinite { index, .. } | Error::Negative { index, .. } | Error::NonPositive { index, .. } => {
            (None, Some(*index))
        }
        _ => (None, None),
    };
    let err = PyErr::from_type(class_for(py, error.code()), error.to_string());
    let value = err.value(py);
    let attributes = value
        .setattr("code", error.code())
        .and_then(|()| value.setattr("series", series))
        .and_then(|()| value.setattr("field", field))
        .and_then(|()| value.setattr("index", index));
    match attributes {
        Ok(()) => err,
        Err(setattr_failed) => setattr_failed,
    }
}

/// Run a core call, turning a panic into the core's [`Error::Internal`] (`InternalError` in Python).
///
/// A last resort: the core returns typed errors for bad input, but a defect must not surface as
/// pyo3's `PanicException` (a `BaseException` that `except Exception` misses) or abort the process.
/// Every core call of this crate goes through here ([`crate::json::core`] callers, `fit`,
/// `predict` and the interruptible batch calls).
pub(crate) fn guarded<T>(work: impl FnOnce() -> forestock::Result<T>) -> forestock::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload.as_ref())))
}

/// An invalid-parameter error raised by the binding itself (argument conversion).
pub(crate) fn invalid_parameter(py: Python<'_>, name: &str, value: impl std::fmt::Display, reason: &str) -> PyErr {
    to_py_err(py, &Error::invalid_parameter(name, value, reason))
}
