//! Cron schedules: conversion around `forestock::schedule::Schedule` (the scheduler loop itself
//! lives in `forestock/scheduler.py`).

use chrono::{DateTime, SecondsFormat, Utc};
use forestock::schedule::Schedule;
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter};
use crate::json::core;

/// The first fire time of the cron `expression` in the IANA `timezone` strictly after `after`
/// (RFC 3339 text, e.g. `2026-01-02T12:00:00+00:00`); returned as RFC 3339 UTC text.
#[pyfunction]
pub(crate) fn cron_next(py: Python<'_>, expression: &str, timezone: &str, after: &str) -> PyResult<String> {
    let schedule = core(py, guarded(|| Schedule::parse(expression, timezone)))?;
    let after = DateTime::parse_from_rfc3339(after)
        .map_err(|e| invalid_parameter(py, "after", after, &format!("must be an RFC 3339 instant: {e}")))?
        .with_timezone(&Utc);
    let next = core(py, guarded(|| schedule.next_after(after)))?;
    Ok(next.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}
