//! Cron expressions in an IANA time zone → next fire times (pure computation, no threads, no clock).
//! Re-exported as `forestock::schedule::Schedule`.
//!
//! [`Schedule::parse`] accepts the classic 5-field form `minute hour day-of-month month day-of-week`
//! and the 6-field form with a leading `second` field, plus the nicknames `@yearly`, `@monthly`,
//! `@weekly`, `@daily`, `@hourly`. Field syntax (`*`, `,`, `-`, `/`, names `JAN`-`DEC` and `SUN`-`SAT`,
//! `L`, `W`, `#`) is that of the croner crate (Open Cron Pattern Specification); as in Vixie cron, when
//! both day-of-month and day-of-week are restricted a day matching **either** fires. The zone is an
//! IANA name (`Europe/Berlin`, `America/New_York`, `UTC`) resolved with chrono-tz.
//!
//! Fire times are computed in the zone's wall-clock time and returned as UTC instants.
//! [`Schedule::next_after`] returns the first fire time **strictly after** the given instant (an
//! instant with a fractional second is first truncated to the whole second, so the result is always
//! later than the input).
//!
//! # Daylight saving time
//!
//! forestock follows croner's rules (those of Vixie cron), checked in `tests/tests/suite/schedule.rs`:
//!
//! - **Spring forward (gap).** A *fixed-time* job (single values in the second, minute and hour fields,
//!   e.g. `30 2 * * *`) whose time does not exist that day fires once, at the first valid instant after
//!   the gap (03:00 local in Europe/Berlin on the last Sunday of March) — a daily planning job is
//!   never lost. An *interval/wildcard* job (e.g. `*/15 * * * *`) skips the occurrences that fall in
//!   the gap and resumes on its grid after it.
//! - **Fall back (overlap).** A fixed-time job whose wall time occurs twice fires **once**, at the
//!   first occurrence (the daylight-time one). An interval/wildcard job fires at every matching wall
//!   time of both passes, because those are distinct instants of real time (e.g. `0 * * * *` fires at
//!   02:00 CEST and again at 02:00 CET).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use forestock::schedule::Schedule;
//! let s = Schedule::parse("0 6 * * MON-FRI", "Europe/Berlin")?;   // weekdays 06:00 Berlin time
//! let after = Utc.with_ymd_and_hms(2026, 1, 2, 12, 0, 0).unwrap(); // a Friday
//! let next = s.next_after(after)?;
//! assert_eq!(next, Utc.with_ymd_and_hms(2026, 1, 5, 5, 0, 0).unwrap()); // Monday 06:00 CET
//! assert_eq!(s.next_n(after, 3)?.len(), 3);
//! # Ok::<(), forestock::Error>(())
//! ```

use chrono::{DateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::errors::CronError;
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Largest `n` accepted by [`Schedule::next_n`] (call again from the last time for more).
pub const MAX_NEXT_N: usize = 100_000;

/// A cron expression bound to a time zone.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use forestock::schedule::Schedule;
/// // 06:00 on weekdays in Berlin: 05:00 UTC in winter.
/// let daily = Schedule::parse("0 6 * * MON-FRI", "Europe/Berlin")?;
/// let after = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).single().expect("valid"); // a Friday
/// assert_eq!(daily.next_after(after)?, Utc.with_ymd_and_hms(2026, 12, 7, 5, 0, 0).single().expect("valid"));
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "ScheduleSpec", into = "ScheduleSpec")]
pub struct Schedule {
    expression: String,
    timezone: Tz,
    cron: Cron,
}

/// Serialized form of a [`Schedule`]: `{"expression": "0 6 * * *", "timezone": "Europe/Berlin"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSpec {
    /// The cron expression as given.
    pub expression: String,
    /// The IANA zone name.
    pub timezone: String,
}

impl TryFrom<ScheduleSpec> for Schedule {
    type Error = Error;
    fn try_from(spec: ScheduleSpec) -> Result<Self> {
        Schedule::parse(&spec.expression, &spec.timezone)
    }
}

impl From<Schedule> for ScheduleSpec {
    fn from(s: Schedule) -> Self {
        ScheduleSpec { expression: s.expression, timezone: s.timezone.name().to_string() }
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression && self.timezone == other.timezone
    }
}

fn cron_error(expression: &str, e: &CronError) -> Error {
    Error::invalid_parameter("expression", format!("{expression:?}"), e.to_string())
}

impl Schedule {
    /// Parse a 5- or 6-field cron expression (or a nickname) in the IANA zone `timezone`.
    ///
    /// Errors: [`Error::InvalidParameter`] naming `expression` (wrong field count, value out of range,
    /// illegal characters) or `timezone` (unknown zone).
    pub fn parse(expression: &str, timezone: &str) -> Result<Self> {
        let tz: Tz = timezone
            .trim()
            .parse()
            .map_err(|_| Error::invalid_parameter("timezone", format!("{timezone:?}"), "not an IANA time zone name"))?;
        let trimmed = expression.trim();
        let fields = trimmed.split_whitespace().count();
        if !trimmed.starts_with('@') && !(5..=6).contains(&fields) {
            return Err(Error::invalid_parameter(
                "expression",
                format!("{expression:?}"),
                format!("expected 5 fields (minute hour day month weekday) or 6 (with seconds first), got {fields}"),
            ));
        }
        let parser = CronParser::builder().seconds(Seconds::Optional).year(Year::Disallowed).build();
        let cron = parser.parse(trimmed).map_err(|e| cron_error(expression, &e))?;
        Ok(Schedule { expression: trimmed.to_string(), timezone: tz, cron })
    }

    /// The expression as given (trimmed).
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The time zone.
    pub fn timezone(&self) -> Tz {
        self.timezone
    }

    /// An English description, e.g. "At 06:00, Monday through Friday" (from croner).
    pub fn describe(&self) -> String {
        self.cron.describe()
    }

    /// The first fire time strictly after `instant`.
    ///
    /// Errors with [`Error::InvalidParameter`] when the expression never fires again (e.g. `0 0 30 2 *`,
    /// February 30th) within croner's search range (up to the year 5000).
    pub fn next_after(&self, instant: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let whole = instant.with_nanosecond(0).unwrap_or(instant);
        let local = whole.with_timezone(&self.timezone);
        let next = self.cron.find_next_occurrence(&local, false).map_err(|e| match e {
            CronError::TimeSearchLimitExceeded => Error::invalid_parameter(
                "expression",
                format!("{:?}", self.expression),
                format!("never fires after {}", instant.to_rfc3339()),
            ),
            other => cron_error(&self.expression, &other),
        })?;
        let next = next.with_timezone(&Utc);
        if next <= instant {
            // croner guarantees a later instant for a non-inclusive search from a whole second; keep the
            // contract even if that ever changed.
            return self.next_after(instant + chrono::Duration::seconds(1));
        }
        Ok(next)
    }

    /// The latest fire time at or before `instant` by croner's backward search, `None` when there is
    /// none. Used only to place a long coalescing scan ([`crate::schedule::on_due`]); the forward
    /// [`Schedule::next_after`] defines the fire times everywhere else.
    pub(crate) fn previous_at_or_before(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let whole = instant.with_nanosecond(0).unwrap_or(instant);
        let local = self.timezone.from_utc_datetime(&whole.naive_utc());
        self.cron.find_previous_occurrence(&local, true).ok().map(|t| t.with_timezone(&Utc)).filter(|t| *t <= instant)
    }

    /// The next `n` fire times strictly after `instant`, in increasing order
    /// (`n` at most [`MAX_NEXT_N`]; larger requests are an [`Error::InvalidParameter`]).
    pub fn next_n(&self, instant: DateTime<Utc>, n: usize) -> Result<Vec<DateTime<Utc>>> {
        if n > MAX_NEXT_N {
            return Err(Error::invalid_parameter("n", n, format!("at most {MAX_NEXT_N} fire times per call")));
        }
        let mut out = Vec::with_capacity(n.min(1024));
        let mut cursor = instant;
        for _ in 0..n {
            cursor = self.next_after(cursor)?;
            out.push(cursor);
        }
        Ok(out)
    }
}
