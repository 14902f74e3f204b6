//! Scheduling, computed without threads or a clock: cron fire times ([`cron`]) and the reference
//! scheduler's decisions ([`decide`]).
//!
//! The Python `forestock.Scheduler` (scheduler.py) and the Node `Scheduler` (scheduler.js) keep
//! the timers, threads, the random source, callbacks/events and metrics; every decision they make
//! about a job (its jitter delay, whether a due run starts, is skipped while the previous run is
//! still going, or is a misfire, and how missed fire times coalesce) is a call into this module,
//! so both languages decide alike for the same inputs (a cross-language test checks it).
//!
//! - [`Schedule`]: a cron expression in an IANA zone → fire times, with the daylight-saving rules
//!   documented in [`cron`].
//! - [`JobTiming`], [`plan_next`], [`on_due`]: the decision rules, documented in [`decide`].

pub mod cron;
pub mod decide;

pub use cron::{Schedule, ScheduleSpec, MAX_NEXT_N};
pub use decide::{
    jitter_delay, on_due, plan_next, Decision, Due, JobTiming, Planned, MAX_COALESCE_SCAN, MAX_DURATION_MS,
};
