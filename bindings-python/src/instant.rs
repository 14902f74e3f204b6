//! Instants cross the boundary as RFC 3339 text (the Python side formats aware datetimes); the core
//! never reads a clock, so every timestamp is supplied by the caller.

use chrono::{DateTime, Utc};
use pyo3::prelude::*;

use crate::errors::invalid_parameter;

/// Parse the RFC 3339 instant argument `name` (any offset) into UTC.
pub(crate) fn parse_instant(py: Python<'_>, name: &str, text: &str) -> PyResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| invalid_parameter(py, name, text, &format!("must be an RFC 3339 instant: {e}")))
}
