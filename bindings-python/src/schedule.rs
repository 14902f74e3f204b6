//! Cron schedules and the scheduler's decisions: conversion around `forestock::schedule` (the loop,
//! threads and the random source live in `forestock/scheduler.py`). Instants cross as integer epoch
//! milliseconds, durations as seconds (the Python scheduler's unit).

use chrono::{DateTime, SecondsFormat, Utc};
use forestock::schedule::{on_due, plan_next, JobTiming, Planned, Schedule};
use forestock::Error;
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors::{guarded, invalid_parameter};
use crate::json::{core, to_py};

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

/// Epoch milliseconds as a UTC instant, or an error naming `name`.
fn instant(name: &str, ms: i64) -> forestock::Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        Error::invalid_parameter(name, ms, "must be an epoch time in milliseconds within chrono's range")
    })
}

/// A planned run in epoch milliseconds (`forestock::schedule::Planned`).
#[derive(Serialize)]
struct PlannedMs {
    fire_time_ms: i64,
    run_at_ms: i64,
}

/// A decision in epoch milliseconds (`forestock::schedule::Due`).
#[derive(Serialize)]
struct DueMs {
    decision: &'static str,
    fire_time_ms: i64,
    run_at_ms: i64,
    late_ms: i64,
    coalesced: u64,
}

/// `forestock::schedule::plan_next`: the first fire time strictly after `after_ms` and its run time
/// with the jitter delay of `draw` (`jitter`, `misfire_grace` in seconds); a dict
/// `{fire_time_ms, run_at_ms}`.
#[pyfunction]
pub(crate) fn schedule_plan(
    py: Python<'_>,
    expression: &str,
    timezone: &str,
    jitter: f64,
    misfire_grace: f64,
    after_ms: i64,
    draw: f64,
) -> PyResult<Py<PyAny>> {
    let planned = core(
        py,
        guarded(|| {
            let schedule = Schedule::parse(expression, timezone)?;
            let timing = JobTiming::from_secs(jitter, misfire_grace)?;
            plan_next(&schedule, &timing, instant("after_ms", after_ms)?, draw)
        }),
    )?;
    to_py(
        py,
        &PlannedMs { fire_time_ms: planned.fire_time.timestamp_millis(), run_at_ms: planned.run_at.timestamp_millis() },
    )
}

/// `forestock::schedule::on_due`: the decision about the planned run (`fire_time_ms`, `run_at_ms`)
/// at `now_ms`, the job `running` or not; a dict `{decision, fire_time_ms, run_at_ms, late_ms,
/// coalesced}` with `decision` one of `wait`, `run`, `skip_running`, `misfire`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn schedule_on_due(
    py: Python<'_>,
    expression: &str,
    timezone: &str,
    jitter: f64,
    misfire_grace: f64,
    fire_time_ms: i64,
    run_at_ms: i64,
    now_ms: i64,
    running: bool,
) -> PyResult<Py<PyAny>> {
    let due = core(
        py,
        guarded(|| {
            let schedule = Schedule::parse(expression, timezone)?;
            let timing = JobTiming::from_secs(jitter, misfire_grace)?;
            let planned =
                Planned { fire_time: instant("fire_time_ms", fire_time_ms)?, run_at: instant("run_at_ms", run_at_ms)? };
            on_due(&schedule, &timing, &planned, instant("now_ms", now_ms)?, running)
        }),
    )?;
    to_py(
        py,
        &DueMs {
            decision: due.decision.as_str(),
            fire_time_ms: due.fire_time.timestamp_millis(),
            run_at_ms: due.run_at.timestamp_millis(),
            late_ms: due.late.num_milliseconds(),
            coalesced: due.coalesced,
        },
    )
}
