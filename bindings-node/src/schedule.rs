//! `cronNext`, `cronDescribe`, `schedulePlan`, `scheduleOnDue`: fire times of a cron expression in
//! an IANA time zone and the scheduler's decisions, for the package's `Scheduler` (scheduler.js,
//! which keeps only timers, events and the random source). The computation is
//! `forestock::schedule` (croner rules, DST handling and decision rules documented in
//! docs/scheduler.md); this converts epoch milliseconds both ways.

use chrono::{DateTime, Utc};
use forestock::schedule::{on_due, plan_next, JobTiming, Planned, Schedule};
use forestock::Error;
use napi_derive::napi;

use crate::errors::{guarded, to_js_error};

/// Epoch milliseconds (a JS `Date.getTime()`) as a UTC instant; sub-millisecond parts are dropped.
fn instant(name: &str, ms: f64) -> Result<DateTime<Utc>, Error> {
    let whole = ms.floor();
    let parsed =
        if whole.is_finite() && whole.abs() < 9.0e15 { DateTime::from_timestamp_millis(whole as i64) } else { None };
    parsed.ok_or_else(|| Error::invalid_parameter(name, ms, "must be a finite epoch time in milliseconds"))
}

/// The first fire time of `expression` (5 or 6 cron fields, or `@daily`...) in `timezone` (IANA
/// name, e.g. `'Europe/Berlin'`) strictly after `afterMs`, as epoch milliseconds.
#[napi]
pub fn cron_next(expression: String, timezone: String, after_ms: f64) -> napi::Result<f64, String> {
    let next = guarded(|| {
        Schedule::parse(&expression, &timezone)
            .and_then(|s| Ok(s.next_after(instant("afterMs", after_ms)?)?.timestamp_millis()))
    });
    next.map(|ms| ms as f64).map_err(|e| to_js_error(&e))
}

/// An English description of a cron expression, e.g. "At 06:00, Monday through Friday".
#[napi]
pub fn cron_describe(expression: String, timezone: String) -> napi::Result<String, String> {
    guarded(|| Schedule::parse(&expression, &timezone).map(|s| s.describe())).map_err(|e| to_js_error(&e))
}

/// A job's timing in milliseconds (`forestock::schedule::JobTiming`).
#[napi(object)]
pub struct JobTimingMs {
    /// Largest jitter delay of a run (ms, whole milliseconds after rounding).
    pub jitter_ms: f64,
    /// How late past its run time a run may still start (ms).
    pub misfire_grace_ms: f64,
}

/// A planned run in epoch milliseconds (`forestock::schedule::Planned`).
#[napi(object)]
pub struct PlannedRun {
    /// The cron fire time.
    pub fire_time_ms: f64,
    /// When the run is due: the fire time plus its jitter delay.
    pub run_at_ms: f64,
}

/// A decision about a planned run (`forestock::schedule::Due`), instants in epoch milliseconds.
#[napi(object, object_from_js = false)]
pub struct DueDecision {
    /// What to do.
    #[napi(ts_type = "'wait' | 'run' | 'skip_running' | 'misfire'")]
    pub decision: String,
    /// The fire time decided: the latest reached fire time whose run time has come.
    pub fire_time_ms: f64,
    /// Its run time (fire time plus the planned jitter delay).
    pub run_at_ms: f64,
    /// `nowMs - runAtMs` (negative while waiting).
    pub late_ms: f64,
    /// Reached fire times dropped in favour of this one.
    pub coalesced: f64,
}

fn timing(t: &JobTimingMs) -> Result<JobTiming, Error> {
    JobTiming::from_millis(t.jitter_ms, t.misfire_grace_ms)
}

/// The next run after `afterMs`: the first fire time strictly after it and its run time delayed by
/// the jitter of `draw` (a number in [0, 1); outside it is clamped, NaN counts as 0).
#[napi]
pub fn schedule_plan(
    expression: String,
    timezone: String,
    timing_ms: JobTimingMs,
    after_ms: f64,
    draw: f64,
) -> napi::Result<PlannedRun, String> {
    guarded(|| {
        let schedule = Schedule::parse(&expression, &timezone)?;
        let planned = plan_next(&schedule, &timing(&timing_ms)?, instant("afterMs", after_ms)?, draw)?;
        Ok(PlannedRun {
            fire_time_ms: planned.fire_time.timestamp_millis() as f64,
            run_at_ms: planned.run_at.timestamp_millis() as f64,
        })
    })
    .map_err(|e| to_js_error(&e))
}

/// The decision about `planned` at `nowMs`: wait, run, skip (the job is `running`) or misfire,
/// with the fire times it coalesces (forestock::schedule::on_due).
#[napi]
pub fn schedule_on_due(
    expression: String,
    timezone: String,
    timing_ms: JobTimingMs,
    planned: PlannedRun,
    now_ms: f64,
    running: bool,
) -> napi::Result<DueDecision, String> {
    guarded(|| {
        let schedule = Schedule::parse(&expression, &timezone)?;
        let planned = Planned {
            fire_time: instant("fireTimeMs", planned.fire_time_ms)?,
            run_at: instant("runAtMs", planned.run_at_ms)?,
        };
        let due = on_due(&schedule, &timing(&timing_ms)?, &planned, instant("nowMs", now_ms)?, running)?;
        Ok(DueDecision {
            decision: due.decision.as_str().to_string(),
            fire_time_ms: due.fire_time.timestamp_millis() as f64,
            run_at_ms: due.run_at.timestamp_millis() as f64,
            late_ms: due.late.num_milliseconds() as f64,
            coalesced: due.coalesced as f64,
        })
    })
    .map_err(|e| to_js_error(&e))
}
