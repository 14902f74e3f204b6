//! Ctrl-C for long native calls.
//!
//! A single fit on a long series, a backtest, a batch forecast, a plan or a retraining run can take
//! minutes. [`interruptible`] runs the core call on a scoped worker thread with the GIL released,
//! while the calling thread wakes every [`POLL`] to run Python's signal handlers
//! (`PyErr_CheckSignals`, which acts on the main thread). When a handler raises (`KeyboardInterrupt`
//! for Ctrl-C), the core's [`Control`] cancellation flag is set, the work stops (a batch within one
//! series per thread, a fit within one objective evaluation), and the exception is raised in Python
//! instead of the core's `Error::Cancelled`. Without a signal, the result is exactly the core's.
//!
//! Starting the worker thread costs about 50 µs, more than a whole fit of a short series (a Croston
//! fit of 104 weeks takes about 1 µs). So a single fit of a series of at most [`INLINE_POINTS`]
//! values runs on the calling thread instead ([`interruptible_unless_short`]), still without the
//! GIL: it takes milliseconds, and Python acts on a Ctrl-C as soon as it returns.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use forestock::control::Control;
use pyo3::prelude::*;

use crate::errors::guarded;

/// How often the waiting thread runs Python's signal handlers.
const POLL: Duration = Duration::from_millis(50);

/// Longest series fitted on the calling thread, without the watcher (module docs). At this length
/// the slowest single fit, the default `Ensemble` with a season of 12, takes about 0.05 s.
pub(crate) const INLINE_POINTS: usize = 500;

/// [`interruptible`], except that work on a series of at most [`INLINE_POINTS`] values (`points`)
/// runs on the calling thread, GIL released, with no watcher (module docs).
pub(crate) fn interruptible_unless_short<T, F>(py: Python<'_>, points: usize, work: F) -> PyResult<forestock::Result<T>>
where
    T: Send,
    F: FnOnce(&Control<'_>) -> forestock::Result<T> + Send,
{
    if points <= INLINE_POINTS {
        return Ok(py.detach(|| guarded(|| work(&Control::new()))));
    }
    interruptible(py, work)
}

/// Run `work` without the GIL, interruptible by Python signal handlers (module docs).
///
/// The outer `PyResult` carries the exception a signal handler raised; the inner result is the
/// core's.
pub(crate) fn interruptible<T, F>(py: Python<'_>, work: F) -> PyResult<forestock::Result<T>>
where
    T: Send,
    F: FnOnce(&Control<'_>) -> forestock::Result<T> + Send,
{
    interruptible_reporting(py, 0, None, work)
}

/// [`interruptible`] that also reports progress: `progress(done, total)` is called on the calling
/// thread, with the GIL, at most once per [`POLL`] when the core's count of finished units moved,
/// and once more with `(total, total)` when the work succeeded. An exception the callback raises
/// stops the work like Ctrl-C and is raised in its place (a way to abort from Python).
pub(crate) fn interruptible_reporting<T, F>(
    py: Python<'_>,
    total: usize,
    progress: Option<Py<PyAny>>,
    work: F,
) -> PyResult<forestock::Result<T>>
where
    T: Send,
    F: FnOnce(&Control<'_>) -> forestock::Result<T> + Send,
{
    let cancel = AtomicBool::new(false);
    let done = AtomicUsize::new(0);
    let (outcome, interrupted) = py.detach(|| {
        std::thread::scope(|scope| {
            let (finished_tx, finished) = mpsc::channel::<()>();
            let (cancel, done) = (&cancel, &done);
            let worker = scope.spawn(move || {
                let report = |units: usize| {
                    done.fetch_max(units, Ordering::Relaxed);
                };
                let out = guarded(|| work(&Control::new().with_cancel(cancel).with_progress(&report)));
                let _ = finished_tx.send(());
                out
            });
            let mut interrupted = None;
            let mut reported = 0usize;
            while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(POLL) {
                if interrupted.is_some() {
                    continue;
                }
                let units = done.load(Ordering::Relaxed);
                let polled = Python::attach(|py| {
                    py.check_signals()?;
                    match &progress {
                        Some(callback) if units != reported => callback.bind(py).call1((units, total)).map(|_| ()),
                        _ => Ok(()),
                    }
                });
                reported = units;
                if let Err(e) = polled {
                    cancel.store(true, Ordering::Relaxed);
                    interrupted = Some(e);
                }
            }
            (worker.join(), interrupted)
        })
    });
    if let Some(exception) = interrupted {
        return Err(exception);
    }
    // `guarded` already turned a panic of the core into `Error::Internal`; a join error is left
    // only for a panic of this function's own glue.
    let outcome = outcome.unwrap_or_else(|payload| Err(forestock::Error::from_panic(payload.as_ref())));
    if let (Some(callback), Ok(_)) = (&progress, &outcome) {
        callback.bind(py).call1((total, total))?;
    }
    Ok(outcome)
}

/// A `progress` argument as the callback [`interruptible_reporting`] calls: `None` stays `None`,
/// anything else must be callable.
pub(crate) fn progress_callback(py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<Option<Py<PyAny>>> {
    match progress {
        None => Ok(None),
        Some(p) if p.is_none() => Ok(None),
        Some(p) if p.is_callable() => Ok(Some(p.unbind())),
        Some(p) => Err(crate::errors::invalid_parameter(
            py,
            "progress",
            p.to_string(),
            "must be callable as progress(done, total)",
        )),
    }
}
