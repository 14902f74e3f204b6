//! Ctrl-C for long native calls.
//!
//! A single fit on a long series, a backtest, a batch forecast, a plan or a retraining run can take
//! minutes. [`interruptible`] runs the core call on a scoped worker thread with the GIL released,
//! while the calling thread wakes every [`POLL`] to run Python's signal handlers
//! (`PyErr_CheckSignals`, which acts on the main thread). When a handler raises (`KeyboardInterrupt`
//! for Ctrl-C), the core's [`Control`] cancellation flag is set, the work stops (a batch within one
//! series per thread, a fit within one objective evaluation), and the exception is raised in Python
//! instead of the core's `Error::Cancelled`. Without a signal, the result is exactly the core's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use forestock::control::Control;
use pyo3::prelude::*;

use crate::errors::guarded;

/// How often the waiting thread runs Python's signal handlers.
const POLL: Duration = Duration::from_millis(50);

/// Run `work` without the GIL, interruptible by Python signal handlers (module docs).
///
/// The outer `PyResult` carries the exception a signal handler raised; the inner result is the
/// core's.
pub(crate) fn interruptible<T, F>(py: Python<'_>, work: F) -> PyResult<forestock::Result<T>>
where
    T: Send,
    F: FnOnce(&Control<'_>) -> forestock::Result<T> + Send,
{
    let cancel = AtomicBool::new(false);
    let (outcome, interrupted) = py.detach(|| {
        std::thread::scope(|scope| {
            let (done, finished) = mpsc::channel::<()>();
            let cancel = &cancel;
            let worker = scope.spawn(move || {
                let out = guarded(|| work(&Control::new().with_cancel(cancel)));
                let _ = done.send(());
                out
            });
            let mut interrupted = None;
            while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(POLL) {
                if interrupted.is_none() {
                    if let Err(e) = Python::attach(|py| py.check_signals()) {
                        cancel.store(true, Ordering::Relaxed);
                        interrupted = Some(e);
                    }
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
    Ok(outcome.unwrap_or_else(|payload| Err(forestock::Error::from_panic(payload.as_ref()))))
}
