//! The reference scheduler's decisions, one definition for Python and Node (pure: the caller passes
//! the current instant, whether the job is running, and a random draw).
//!
//! A job is a [`Schedule`] plus a [`JobTiming`] (`jitter`, `misfire_grace`). Its life is a cycle
//! of two calls: [`plan_next`] fixes the next fire time and the instant its run is due; when that
//! instant has come, [`on_due`] decides what happens, and the caller plans again from *now*.
//!
//! # Rules
//!
//! - **Resolution.** Durations are whole milliseconds: a jitter or grace given with a finer part is
//!   rounded to the nearest millisecond. Each must be finite, `>= 0` and at most [`MAX_DURATION_MS`]
//!   (ten years), else [`Error::InvalidParameter`] names it.
//! - **Jitter.** Each fire time `F` gets one delay, drawn once when it is planned: with a draw
//!   `u` in `[0, 1)` and a jitter of `J` ms, `delay = min(floor(u · (J + 1)), J)` ms, so a uniform
//!   `u` gives every whole millisecond in `0..=J` the same chance ([`jitter_delay`]; a draw outside
//!   `[0, 1]` is clamped into it, NaN counts as 0). The run is due at `run_at = F + delay`.
//! - **Waiting.** Before `run_at`, [`on_due`] answers [`Decision::Wait`] (a timer woke early, or a
//!   long wait was split): nothing changes.
//! - **Coalescing.** Fire times *reached* since the planned one are the planned `F₀` and every later
//!   fire time `≤ now`. They make **one** decision, about the latest of them whose run time
//!   `Fₖ + delay` has come (`Fₖ ≤ now − delay`; at least `F₀`): that is the reported `fire_time`.
//!   The others are dropped, never replayed as a burst, and counted in `coalesced`. Because the
//!   caller then plans from `now`, a fire time reached but not yet due (in `(now − delay, now]`) is
//!   dropped too.
//! - **Lateness.** `late = now − (fire_time + delay)`, never negative for a due decision.
//! - **Order of the checks.** A run of the job still going makes the decision
//!   [`Decision::SkipRunning`] (however late); otherwise `late > misfire_grace` is a
//!   [`Decision::Misfire`] (late by exactly the grace still runs); otherwise [`Decision::Run`].
//! - **Next.** After every decision but `Wait`, the next run is `plan_next(schedule, timing, now, draw)`
//!   with a fresh draw: the first fire time strictly after `now`.
//!
//! A host asleep for a long time can leave millions of fire times behind an every-second job; the
//! scan walks at most [`MAX_COALESCE_SCAN`] of them one by one, then jumps to the grace window
//! (`fire times before now − delay − misfire_grace` can only be misfires). After such a jump
//! `coalesced` is a lower bound, and when no fire time lies in the window the decision (a misfire)
//! reports the one croner's backward search finds.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use forestock::schedule::{on_due, plan_next, Decision, JobTiming, Schedule};
//! let hourly = Schedule::parse("0 * * * *", "UTC")?;
//! let timing = JobTiming::from_millis(60_000.0, 300_000.0)?;    // up to 1 min of jitter, 5 min grace
//! let start = Utc.with_ymd_and_hms(2026, 6, 1, 0, 30, 0).unwrap();
//! let planned = plan_next(&hourly, &timing, start, 0.25)?;     // fires 01:00, due 01:00:15
//! assert_eq!(planned.run_at, Utc.with_ymd_and_hms(2026, 6, 1, 1, 0, 15).unwrap());
//! // The host slept until 03:01:00: 01:00, 02:00 and 03:00 coalesce into one decision about 03:00.
//! let now = Utc.with_ymd_and_hms(2026, 6, 1, 3, 1, 0).unwrap();
//! let due = on_due(&hourly, &timing, &planned, now, false)?;
//! assert_eq!((due.decision, due.coalesced), (Decision::Run, 2));
//! assert_eq!(due.fire_time, Utc.with_ymd_and_hms(2026, 6, 1, 3, 0, 0).unwrap());
//! assert_eq!(due.late.num_seconds(), 45);
//! # Ok::<(), forestock::Error>(())
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::cron::Schedule;
use crate::error::{Error, Result};

/// Largest jitter or misfire grace (ten years of 365 days, in milliseconds).
pub const MAX_DURATION_MS: f64 = 315_360_000_000.0;

/// Most fire times [`on_due`] walks one by one before it jumps to the grace window.
pub const MAX_COALESCE_SCAN: u64 = 100_000;

/// How a job's runs are spread and how late one may start (whole milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTiming {
    jitter_ms: i64,
    misfire_grace_ms: i64,
}

/// A finite duration in `0..=MAX_DURATION_MS` ms, rounded to whole milliseconds, or an error naming `name`.
fn whole_millis(name: &str, ms: f64, given: f64) -> Result<i64> {
    if !(0.0..=MAX_DURATION_MS).contains(&ms) {
        return Err(Error::invalid_parameter(
            name,
            given,
            format!("must be a finite duration >= 0 and at most {MAX_DURATION_MS} ms (ten years)"),
        ));
    }
    // In range (checked above), so the cast is exact after rounding.
    Ok(ms.round() as i64)
}

impl JobTiming {
    /// A timing from milliseconds (Node's `jitterMs`, `misfireGraceMs`); errors name `jitter_ms` or
    /// `misfire_grace_ms` (NaN, ±inf, negative, above [`MAX_DURATION_MS`]).
    pub fn from_millis(jitter_ms: f64, misfire_grace_ms: f64) -> Result<Self> {
        Ok(JobTiming {
            jitter_ms: whole_millis("jitter_ms", jitter_ms, jitter_ms)?,
            misfire_grace_ms: whole_millis("misfire_grace_ms", misfire_grace_ms, misfire_grace_ms)?,
        })
    }

    /// A timing from seconds (Python's `jitter`, `misfire_grace`); errors name `jitter` or
    /// `misfire_grace`. Rounded to whole milliseconds like [`JobTiming::from_millis`].
    pub fn from_secs(jitter: f64, misfire_grace: f64) -> Result<Self> {
        Ok(JobTiming {
            jitter_ms: whole_millis("jitter", jitter * 1000.0, jitter)?,
            misfire_grace_ms: whole_millis("misfire_grace", misfire_grace * 1000.0, misfire_grace)?,
        })
    }

    /// The largest jitter delay.
    pub fn jitter(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.jitter_ms)
    }

    /// How late past its run time a run may still start.
    pub fn misfire_grace(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.misfire_grace_ms)
    }
}

/// The jitter delay of one fire time: `min(floor(u · (J + 1)), J)` ms for the draw `u` and the
/// jitter `J` ms (module rules). `u` is clamped into `[0, 1]`; NaN counts as 0.
pub fn jitter_delay(timing: &JobTiming, draw: f64) -> TimeDelta {
    let u = if draw.is_nan() { 0.0 } else { draw.clamp(0.0, 1.0) };
    let ms = ((u * (timing.jitter_ms as f64 + 1.0)).floor() as i64).min(timing.jitter_ms);
    TimeDelta::milliseconds(ms)
}

/// A planned run: the cron fire time and when its run is due (fire time plus its jitter delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    /// The cron fire time.
    pub fire_time: DateTime<Utc>,
    /// When the run is due: `fire_time` plus the jitter delay drawn for it.
    pub run_at: DateTime<Utc>,
}

/// The next run after `after`: the first fire time strictly after it ([`Schedule::next_after`])
/// and its run time with the jitter delay of `draw` ([`jitter_delay`]).
///
/// Errors: those of [`Schedule::next_after`] (an expression that never fires again).
pub fn plan_next(schedule: &Schedule, timing: &JobTiming, after: DateTime<Utc>, draw: f64) -> Result<Planned> {
    let fire_time = schedule.next_after(after)?;
    Ok(Planned { fire_time, run_at: fire_time + jitter_delay(timing, draw) })
}

/// What the scheduler does with a planned run at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The run time has not come: keep waiting, nothing changes.
    Wait,
    /// Start the run.
    Run,
    /// The previous run of the job is still going: this fire time is skipped.
    SkipRunning,
    /// The run is more than the misfire grace late: not run.
    Misfire,
}

impl Decision {
    /// The decision's name, as both bindings report it: `wait`, `run`, `skip_running`, `misfire`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Wait => "wait",
            Decision::Run => "run",
            Decision::SkipRunning => "skip_running",
            Decision::Misfire => "misfire",
        }
    }
}

/// The outcome of [`on_due`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// What to do.
    pub decision: Decision,
    /// The fire time decided: the latest reached fire time whose run time has come (the planned
    /// one for [`Decision::Wait`]).
    pub fire_time: DateTime<Utc>,
    /// Its run time: `fire_time` plus the planned jitter delay.
    pub run_at: DateTime<Utc>,
    /// `now − run_at`: `>= 0` for a due decision, negative (time left) for [`Decision::Wait`].
    pub late: TimeDelta,
    /// Reached fire times dropped in favour of `fire_time` (a lower bound past [`MAX_COALESCE_SCAN`]).
    pub coalesced: u64,
}

/// Decide the planned run at `now` (module rules): wait, run, skip because the job is `running`,
/// or misfire; with the fire times it coalesces.
///
/// Errors: [`Error::InvalidParameter`] naming `run_at` when the plan's run time is before its fire time.
pub fn on_due(
    schedule: &Schedule,
    timing: &JobTiming,
    planned: &Planned,
    now: DateTime<Utc>,
    running: bool,
) -> Result<Due> {
    let delay = planned.run_at - planned.fire_time;
    if delay < TimeDelta::zero() {
        return Err(Error::invalid_parameter(
            "run_at",
            planned.run_at.to_rfc3339(),
            format!("is before the fire time {}", planned.fire_time.to_rfc3339()),
        ));
    }
    if now < planned.run_at {
        let late = now - planned.run_at;
        return Ok(Due {
            decision: Decision::Wait,
            fire_time: planned.fire_time,
            run_at: planned.run_at,
            late,
            coalesced: 0,
        });
    }
    let (fire_time, coalesced) = latest_due_fire_time(schedule, timing, planned.fire_time, now, now - delay);
    let run_at = fire_time + delay;
    let late = now - run_at;
    let decision = if running {
        Decision::SkipRunning
    } else if late > timing.misfire_grace() {
        Decision::Misfire
    } else {
        Decision::Run
    };
    Ok(Due { decision, fire_time, run_at, late, coalesced })
}

/// The latest fire time `<= bound` from `first` on (`first` itself when none is later), and how many
/// fire times after `first` are `<= now` (the reached ones the decision drops besides `first`).
fn latest_due_fire_time(
    schedule: &Schedule,
    timing: &JobTiming,
    first: DateTime<Utc>,
    now: DateTime<Utc>,
    bound: DateTime<Utc>,
) -> (DateTime<Utc>, u64) {
    let mut decided = first;
    let mut cursor = first;
    let mut reached: u64 = 0;
    let mut jumped = false;
    loop {
        if reached >= MAX_COALESCE_SCAN && !jumped {
            jumped = true;
            // Fire times before the grace window can only be misfires: skip to one second before it
            // (`next_after` works on whole seconds) and keep the latest fire time before it as the
            // decision in case the window holds none.
            let window = bound - timing.misfire_grace() - TimeDelta::seconds(1);
            if window > cursor {
                cursor = window;
                if let Some(before) = schedule.previous_at_or_before(window).filter(|t| *t > decided) {
                    decided = before;
                }
            }
        }
        // A schedule that never fires again ends the scan.
        let Ok(next) = schedule.next_after(cursor) else { break };
        if next > now {
            break;
        }
        reached += 1;
        if next <= bound {
            decided = next;
        }
        cursor = next;
    }
    // Every reached fire time but the decided one is dropped: `first` and the `reached` after it,
    // less the decided one when it is among them.
    (decided, reached)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn ms(n: i64) -> TimeDelta {
        TimeDelta::milliseconds(n)
    }

    #[test]
    fn timing_is_validated_and_rounded_to_milliseconds() {
        let t = JobTiming::from_secs(60.0, 300.0).unwrap();
        assert_eq!((t.jitter(), t.misfire_grace()), (ms(60_000), ms(300_000)));
        assert_eq!(JobTiming::from_millis(1.4, 2.6).unwrap().jitter(), ms(1));
        assert_eq!(JobTiming::from_millis(1.4, 2.6).unwrap().misfire_grace(), ms(3));
        for (jitter, grace, name) in [
            (-1.0, 0.0, "jitter_ms"),
            (f64::NAN, 0.0, "jitter_ms"),
            (0.0, f64::INFINITY, "misfire_grace_ms"),
            (0.0, MAX_DURATION_MS + 1.0, "misfire_grace_ms"),
        ] {
            let e = JobTiming::from_millis(jitter, grace).unwrap_err();
            assert!(matches!(e, Error::InvalidParameter { name: ref n, .. } if n == name), "{e}");
        }
        let e = JobTiming::from_secs(0.0, -0.5).unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "misfire_grace"), "{e}");
        assert!(JobTiming::from_millis(MAX_DURATION_MS, 0.0).is_ok());
    }

    #[test]
    fn jitter_delay_is_uniform_over_whole_milliseconds_and_clamped() {
        let t = JobTiming::from_millis(60_000.0, 0.0).unwrap();
        let delays: Vec<i64> = [0.0, 0.25, 0.5, 0.999, 0.999_999, 1.0, 2.0, -1.0, f64::NAN, f64::INFINITY]
            .iter()
            .map(|&u| jitter_delay(&t, u).num_milliseconds())
            .collect();
        assert_eq!(delays, vec![0, 15_000, 30_000, 59_940, 60_000, 60_000, 60_000, 0, 0, 60_000]);
        // J = 3 ms: a grid of 1000 draws over [0, 1) puts exactly 250 on each of 0, 1, 2, 3.
        let small = JobTiming::from_millis(3.0, 0.0).unwrap();
        let mut counts = [0; 4];
        for i in 0..1000 {
            counts[jitter_delay(&small, f64::from(i) / 1000.0).num_milliseconds() as usize] += 1;
        }
        assert_eq!(counts, [250; 4]);
        let none = JobTiming::from_millis(0.0, 0.0).unwrap();
        assert_eq!(jitter_delay(&none, 0.99), TimeDelta::zero());
    }

    #[test]
    fn waits_before_the_run_time_and_misfires_only_beyond_the_grace() {
        let s = Schedule::parse("0 * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 60_000.0).unwrap();
        let planned = plan_next(&s, &t, utc(2026, 1, 1, 0, 0, 0), 0.5).unwrap();
        assert_eq!(planned, Planned { fire_time: utc(2026, 1, 1, 1, 0, 0), run_at: utc(2026, 1, 1, 1, 0, 0) });
        let early = on_due(&s, &t, &planned, utc(2026, 1, 1, 0, 59, 30), false).unwrap();
        assert_eq!((early.decision, early.late, early.coalesced), (Decision::Wait, TimeDelta::seconds(-30), 0));
        let at_grace = on_due(&s, &t, &planned, utc(2026, 1, 1, 1, 1, 0), false).unwrap();
        assert_eq!((at_grace.decision, at_grace.late), (Decision::Run, ms(60_000)));
        let past = on_due(&s, &t, &planned, utc(2026, 1, 1, 1, 1, 0) + ms(1), false).unwrap();
        assert_eq!((past.decision, past.late), (Decision::Misfire, ms(60_001)));
        assert_eq!(past.fire_time, utc(2026, 1, 1, 1, 0, 0));
    }

    #[test]
    fn a_running_job_is_skipped_even_when_late_beyond_the_grace() {
        let s = Schedule::parse("*/15 * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 300_000.0).unwrap();
        let planned = plan_next(&s, &t, utc(2026, 6, 1, 0, 0, 0), 0.0).unwrap();
        let on_time = on_due(&s, &t, &planned, utc(2026, 6, 1, 0, 15, 0), true).unwrap();
        assert_eq!(on_time.decision, Decision::SkipRunning);
        let late = on_due(&s, &t, &planned, utc(2026, 6, 1, 0, 22, 0), true).unwrap();
        assert_eq!((late.decision, late.late), (Decision::SkipRunning, TimeDelta::minutes(7)));
        let free = on_due(&s, &t, &planned, utc(2026, 6, 1, 0, 22, 0), false).unwrap();
        assert_eq!(free.decision, Decision::Misfire);
    }

    #[test]
    fn a_long_sleep_coalesces_into_one_decision_about_the_latest_fire_time() {
        let every10 = Schedule::parse("*/10 * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 25.0 * 60_000.0).unwrap();
        let planned = plan_next(&every10, &t, utc(2026, 1, 1, 0, 0, 0), 0.0).unwrap();
        // Asleep two days: 2 · 144 + 1 fire times reached, the last (Jan 3 00:10) is 5 min late.
        let due = on_due(&every10, &t, &planned, utc(2026, 1, 3, 0, 15, 0), false).unwrap();
        assert_eq!(
            (due.decision, due.fire_time, due.late, due.coalesced),
            (Decision::Run, utc(2026, 1, 3, 0, 10, 0), TimeDelta::minutes(5), 288)
        );
        // Hourly with 10 min grace, woken at 01:20 two days later: the 01:00 run is a misfire.
        let hourly = Schedule::parse("0 * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 600_000.0).unwrap();
        let planned = plan_next(&hourly, &t, utc(2026, 1, 1, 0, 30, 0), 0.0).unwrap();
        let due = on_due(&hourly, &t, &planned, utc(2026, 1, 3, 1, 20, 0), false).unwrap();
        assert_eq!((due.decision, due.fire_time, due.coalesced), (Decision::Misfire, utc(2026, 1, 3, 1, 0, 0), 48));
        // The next plan starts after now: nothing is replayed.
        let next = plan_next(&hourly, &t, utc(2026, 1, 3, 1, 20, 0), 0.0).unwrap();
        assert_eq!(next.fire_time, utc(2026, 1, 3, 2, 0, 0));
    }

    #[test]
    fn coalescing_keeps_the_planned_jitter_delay() {
        let s = Schedule::parse("* * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(59_000.0, 300_000.0).unwrap();
        let planned = plan_next(&s, &t, utc(2026, 6, 1, 0, 0, 30), 50.0 / 59.001).unwrap();
        assert_eq!(planned.run_at, utc(2026, 6, 1, 0, 1, 50));
        // At 00:02:10 the 00:02 fire time is reached but its run (00:02:50) is not due: the decision
        // is about 00:01, 20 s late, and 00:02 is dropped with it.
        let due = on_due(&s, &t, &planned, utc(2026, 6, 1, 0, 2, 10), false).unwrap();
        assert_eq!(
            (due.decision, due.fire_time, due.late, due.coalesced),
            (Decision::Run, utc(2026, 6, 1, 0, 1, 0), TimeDelta::seconds(20), 1)
        );
        // At 00:03:55 both 00:02 and 00:03 are due: the decision is about 00:03, 5 s late.
        let due = on_due(&s, &t, &planned, utc(2026, 6, 1, 0, 3, 55), false).unwrap();
        assert_eq!(
            (due.fire_time, due.run_at, due.late, due.coalesced),
            (utc(2026, 6, 1, 0, 3, 0), utc(2026, 6, 1, 0, 3, 50), TimeDelta::seconds(5), 2)
        );
    }

    #[test]
    fn more_fire_times_than_the_scan_limit_jump_to_the_grace_window() {
        let every_second = Schedule::parse("* * * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 60_000.0).unwrap();
        let planned = plan_next(&every_second, &t, utc(2026, 1, 1, 0, 0, 0), 0.0).unwrap();
        let now = utc(2026, 1, 3, 0, 0, 0) + ms(400); // 172 800 fire times later
        let due = on_due(&every_second, &t, &planned, now, false).unwrap();
        assert_eq!((due.decision, due.fire_time, due.late), (Decision::Run, utc(2026, 1, 3, 0, 0, 0), ms(400)));
        // Exact up to the limit, then the 61 fire times of the window: a lower bound of 172 800.
        assert_eq!(due.coalesced, MAX_COALESCE_SCAN + 61);
        // A window with no fire time (every second of 06:xx, woken at 12:00 a month later): the
        // latest fire time before the window is reported, a misfire.
        let six_oclock = Schedule::parse("* * 6 * * *", "UTC").unwrap();
        let planned = plan_next(&six_oclock, &t, utc(2026, 1, 1, 0, 0, 0), 0.0).unwrap();
        let due = on_due(&six_oclock, &t, &planned, utc(2026, 1, 30, 12, 0, 0), false).unwrap();
        assert_eq!(
            (due.decision, due.fire_time, due.coalesced),
            (Decision::Misfire, utc(2026, 1, 30, 6, 59, 59), MAX_COALESCE_SCAN)
        );
    }

    #[test]
    fn dst_with_jitter_follows_the_fire_times_of_the_zone() {
        let s = Schedule::parse("30 2 * * *", "Europe/Berlin").unwrap();
        let t = JobTiming::from_millis(600_000.0, 300_000.0).unwrap();
        // Spring forward: 02:30 does not exist on 2026-03-29; the fire time is 03:00 CEST (01:00 UTC),
        // and the jitter delay (300 000 ms for u = 0.5) is added to that instant.
        let planned = plan_next(&s, &t, utc(2026, 3, 28, 12, 0, 0), 0.5).unwrap();
        assert_eq!((planned.fire_time, planned.run_at), (utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 29, 1, 5, 0)));
        let due = on_due(&s, &t, &planned, utc(2026, 3, 29, 1, 5, 0), false).unwrap();
        assert_eq!((due.decision, due.fire_time, due.coalesced), (Decision::Run, utc(2026, 3, 29, 1, 0, 0), 0));
        // Fall back: 02:30 occurs twice on 2026-10-25, the job fires at the first (00:30 UTC) only;
        // woken after the repeat (01:30 UTC), there is no second fire time to coalesce.
        let planned = plan_next(&s, &t, utc(2026, 10, 24, 12, 0, 0), 0.1).unwrap();
        assert_eq!(planned.fire_time, utc(2026, 10, 25, 0, 30, 0));
        let due = on_due(&s, &t, &planned, utc(2026, 10, 25, 1, 40, 0), false).unwrap();
        assert_eq!((due.decision, due.fire_time, due.coalesced), (Decision::Misfire, utc(2026, 10, 25, 0, 30, 0), 0));
        assert_eq!(due.late, TimeDelta::minutes(70) - (planned.run_at - planned.fire_time));
    }

    #[test]
    fn a_plan_whose_run_time_precedes_its_fire_time_is_rejected() {
        let s = Schedule::parse("0 * * * *", "UTC").unwrap();
        let t = JobTiming::from_millis(0.0, 0.0).unwrap();
        let bad = Planned { fire_time: utc(2026, 1, 1, 1, 0, 0), run_at: utc(2026, 1, 1, 0, 59, 0) };
        let e = on_due(&s, &t, &bad, utc(2026, 1, 1, 2, 0, 0), false).unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "run_at"), "{e}");
    }
}
