//! `cronNext`: the next fire time of a cron expression in an IANA time zone, for the package's
//! `Scheduler` (scheduler.js). The computation is `forestock::schedule::Schedule` (croner rules,
//! DST handling documented in docs/scheduler.md); this converts epoch milliseconds both ways.

use chrono::{DateTime, Utc};
use forestock::schedule::Schedule;
use forestock::Error;
use napi_derive::napi;

use crate::errors::{guarded, to_js_error};

/// Epoch milliseconds (a JS `Date.getTime()`) as a UTC instant; sub-millisecond parts are dropped.
fn instant(after_ms: f64) -> Result<DateTime<Utc>, Error> {
    let whole = after_ms.floor();
    let parsed =
        if whole.is_finite() && whole.abs() < 9.0e15 { DateTime::from_timestamp_millis(whole as i64) } else { None };
    parsed.ok_or_else(|| Error::invalid_parameter("afterMs", after_ms, "must be a finite epoch time in milliseconds"))
}

/// The first fire time of `expression` (5 or 6 cron fields, or `@daily`...) in `timezone` (IANA
/// name, e.g. `'Europe/Berlin'`) strictly after `afterMs`, as epoch milliseconds.
#[napi]
pub fn cron_next(expression: String, timezone: String, after_ms: f64) -> napi::Result<f64, String> {
    let next = guarded(|| {
        Schedule::parse(&expression, &timezone).and_then(|s| Ok(s.next_after(instant(after_ms)?)?.timestamp_millis()))
    });
    next.map(|ms| ms as f64).map_err(|e| to_js_error(&e))
}

/// An English description of a cron expression, e.g. "At 06:00, Monday through Friday".
#[napi]
pub fn cron_describe(expression: String, timezone: String) -> napi::Result<String, String> {
    guarded(|| Schedule::parse(&expression, &timezone).map(|s| s.describe())).map_err(|e| to_js_error(&e))
}
