//! The one error type of the crate.
//!
//! Every fallible public function returns [`Result<T>`]. Variants carry the context a caller needs to
//! act on the problem (which index, which parameter, which series), and [`Error::code`] gives the
//! stable machine-readable code that the Python and Node bindings expose.

/// Convenience alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in forestock.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The series has no observations.
    #[error("series is empty")]
    EmptySeries,

    /// A value is NaN or infinite.
    #[error("non-finite value {value} at index {index}")]
    NonFinite {
        /// Position of the offending value.
        index: usize,
        /// The value itself (NaN or ±inf).
        value: f64,
    },

    /// A negative value where the method needs non-negative data (e.g. demand counts).
    #[error("negative value {value} at index {index}: {context} needs non-negative data")]
    Negative {
        /// Position of the offending value.
        index: usize,
        /// The value itself.
        value: f64,
        /// Which method or field required non-negative data.
        context: String,
    },

    /// A zero or negative value where the method needs strictly positive data (multiplicative models).
    #[error("non-positive value {value} at index {index}: {context} needs strictly positive data")]
    NonPositive {
        /// Position of the offending value.
        index: usize,
        /// The value itself.
        value: f64,
        /// Which method required strictly positive data.
        context: String,
    },

    /// The series is shorter than the method's minimum.
    #[error("series too short: {len} observations, {context} needs at least {min}")]
    TooShort {
        /// Observations supplied.
        len: usize,
        /// Observations required.
        min: usize,
        /// Which method imposed the minimum.
        context: String,
    },

    /// A parameter or input field is outside its valid domain.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// Parameter or field name, as the caller spelled it in the API.
        name: String,
        /// The rejected value, rendered as text.
        value: String,
        /// What the valid domain is.
        reason: String,
    },

    /// Numerical estimation failed (e.g. no admissible parameters could be found).
    #[error("model fitting failed for {model}: {reason}")]
    FitFailed {
        /// Model being fitted.
        model: String,
        /// What went wrong.
        reason: String,
    },

    /// An error attached to one series of a batch.
    #[error("series `{id}`: {source}")]
    InSeries {
        /// Identifier of the failing series.
        id: String,
        /// The underlying error.
        source: Box<Error>,
    },

    /// A malformed row of tabular input (CSV, frames).
    #[error("row {row}: {reason}")]
    InvalidRow {
        /// 1-based row number in the input (header excluded).
        row: usize,
        /// What is wrong with the row.
        reason: String,
    },

    /// Required data is missing (e.g. an item with no master data, a SKU with no history).
    #[error("missing data for `{id}`: {what}")]
    MissingData {
        /// The item or series concerned.
        id: String,
        /// What is missing.
        what: String,
    },

    /// A stored record could not be read or does not satisfy its invariants (registry, audit log).
    #[error("corrupt record at {position}: {reason}")]
    CorruptRecord {
        /// Position (index or key) of the record.
        position: String,
        /// What is wrong.
        reason: String,
    },

    /// Serialization or deserialization failed.
    #[error("serialization: {0}")]
    Serialization(String),

    /// An I/O operation failed.
    #[error("i/o: {0}")]
    Io(String),

    /// The operation was cancelled by the caller.
    #[error("operation cancelled")]
    Cancelled,

    /// A store changed on disk since it was loaded (another writer saved first): saving would lose
    /// that writer's update. Reload, re-apply the change and save again.
    #[error("conflict on {path}: loaded at revision {expected}, the file is now at revision {found}")]
    Conflict {
        /// The file concerned.
        path: String,
        /// Revision the caller's copy was loaded at (or last saved as).
        expected: u64,
        /// Revision found on disk.
        found: u64,
    },
    /// A defect inside forestock (a panic) caught at a binding boundary and reported instead of
    /// aborting the host process. Never returned by a correct core; please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Stable machine-readable code, shared by the Python and Node bindings.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptySeries
            | Error::NonFinite { .. }
            | Error::Negative { .. }
            | Error::NonPositive { .. }
            | Error::TooShort { .. } => "ERR_INVALID_SERIES",
            Error::InvalidParameter { .. } => "ERR_INVALID_PARAMETER",
            Error::FitFailed { .. } => "ERR_FIT_FAILED",
            Error::InSeries { source, .. } => source.code(),
            Error::InvalidRow { .. } => "ERR_INVALID_ROW",
            Error::MissingData { .. } => "ERR_MISSING_DATA",
            Error::CorruptRecord { .. } => "ERR_CORRUPT_RECORD",
            Error::Serialization(_) => "ERR_SERIALIZATION",
            Error::Io(_) => "ERR_IO",
            Error::Cancelled => "ERR_CANCELLED",
            Error::Conflict { .. } => "ERR_CONFLICT",
            Error::Internal(_) => "ERR_INTERNAL",
        }
    }

    /// Build an [`Error::InvalidParameter`].
    pub fn invalid_parameter(
        name: impl Into<String>,
        value: impl std::fmt::Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter { name: name.into(), value: value.to_string(), reason: reason.into() }
    }

    /// Attach a series identifier to this error (idempotent for the same id).
    pub fn in_series(self, id: impl Into<String>) -> Self {
        let id = id.into();
        match self {
            Error::InSeries { id: existing, source } if existing == id => Error::InSeries { id, source },
            other => Error::InSeries { id, source: Box::new(other) },
        }
    }
}

impl Error {
    /// An [`Error::Internal`] from the payload of a caught panic (`std::panic::catch_unwind`).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Error::Internal(format!("a forestock defect stopped this call (panic: {message})"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Serialization(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_follow_the_source() {
        assert_eq!(Error::EmptySeries.code(), "ERR_INVALID_SERIES");
        let e = Error::invalid_parameter("h", 0, "must be >= 1").in_series("sku-1");
        assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
        assert_eq!(e.to_string(), "series `sku-1`: invalid parameter `h` = 0: must be >= 1");
        let caught = std::panic::catch_unwind(|| panic!("boom")).expect_err("panics");
        let internal = Error::from_panic(caught.as_ref());
        assert_eq!(internal.code(), "ERR_INTERNAL");
        assert!(internal.to_string().contains("boom"));
    }
}
