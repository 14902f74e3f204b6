//! Cooperative cancellation and progress reporting for long batch jobs.
//!
//! A [`Control`] is handed to the `*_with` batch entry points ([`crate::models::forecast_batch_with`],
//! [`crate::models::backtest::backtest_batch_with`], [`crate::plan::run_plan_with`]). Workers check the
//! cancellation flag before each unit of work (one series or one SKU), so a cancelled job stops within
//! one unit per worker thread and returns [`Error::Cancelled`]; the progress callback is called from
//! worker threads with the number of units finished so far.
//!
//! ```
//! use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
//! use forestock::control::Control;
//! let cancel = AtomicBool::new(false);
//! let seen = AtomicUsize::new(0);
//! let report = |done: usize| { seen.fetch_max(done, Ordering::Relaxed); };
//! let control = Control::new().with_cancel(&cancel).with_progress(&report);
//! control.unit_done();
//! assert_eq!(seen.load(Ordering::Relaxed), 1);
//! assert!(control.check().is_ok());
//! cancel.store(true, Ordering::Relaxed);
//! assert!(control.check().is_err());
//! ```

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// A progress callback: receives the number of units finished so far (from worker threads).
pub type ProgressFn<'a> = &'a (dyn Fn(usize) + Sync);

/// Cancellation flag and progress callback of one batch job (module docs).
#[derive(Default)]
pub struct Control<'a> {
    cancel: Option<&'a AtomicBool>,
    progress: Option<ProgressFn<'a>>,
    done: AtomicUsize,
}

impl<'a> Control<'a> {
    /// No cancellation, no progress reports.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stop the job once `flag` is set (checked before each unit of work).
    pub fn with_cancel(mut self, flag: &'a AtomicBool) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Call `report(done)` after each finished unit of work.
    pub fn with_progress(mut self, report: ProgressFn<'a>) -> Self {
        self.progress = Some(report);
        self
    }

    /// Whether the caller asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// `Err(Error::Cancelled)` once the caller asked to stop.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Record one finished unit of work and report the running count.
    pub fn unit_done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(report) = self.progress {
            report(done);
        }
    }

    /// Number of units finished so far.
    pub fn units_done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Run `work` unless the job is cancelled, then count it as done. The batch entry points map
    /// every unit through this; a cancelled unit yields [`Error::Cancelled`].
    pub fn run<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.check()?;
        let out = work();
        self.unit_done();
        out
    }

    /// Collect per-unit results, or [`Error::Cancelled`] if the job was cancelled while it ran
    /// (a partial batch is never returned as if it were complete).
    pub fn finish<T>(&self, results: Vec<Result<T>>) -> Result<Vec<Result<T>>> {
        self.check()?;
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_skips_work_after_cancel() {
        let flag = AtomicBool::new(true);
        let control = Control::new().with_cancel(&flag);
        let mut ran = false;
        let out = control.run(|| {
            ran = true;
            Ok(1)
        });
        assert!(matches!(out, Err(Error::Cancelled)));
        assert!(!ran);
        assert_eq!(control.units_done(), 0);
    }

    #[test]
    fn default_control_never_cancels() {
        let control = Control::new();
        assert_eq!(control.run(|| Ok(2)).ok(), Some(2));
        assert_eq!(control.units_done(), 1);
        assert!(control.finish(vec![Ok(1)]).is_ok());
    }
}
