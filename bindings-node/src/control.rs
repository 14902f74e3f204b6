//! `options.signal` and `options.onProgress` of the Promise-returning batch calls (`forecastBatch`,
//! `backtest`, `backtestBatch`, `plan`): a JS `AbortSignal` and a progress callback wired to the
//! core's [`forestock::control::Control`].
//!
//! - **Abort.** An `'abort'` listener on the signal sets an `AtomicBool` shared with the core's
//!   `Control`; the core's workers check it before each unit of work (one series or SKU), so an abort
//!   mid-run stops within one unit per worker thread. The Promise then rejects with an `Error` whose
//!   `name` is `'AbortError'` and `code` is `'ERR_CANCELLED'` (the core's `Error::Cancelled`). A signal
//!   already aborted at call time rejects the same way without doing any work. The listener is
//!   removed when the job settles, so a long-lived signal does not accumulate listeners.
//! - **Progress.** `onProgress(done, total)` is called on the JS thread through a
//!   `ThreadsafeFunction`, at most once per percent of `total` (so about 100 calls per job), with
//!   `done` strictly increasing; on success a final `(total, total)` call is made before the Promise
//!   resolves. No call is made after a job rejected. An exception thrown by the callback does not
//!   stop the job: like one thrown by an `EventTarget` listener it surfaces as an uncaught exception
//!   (`process.on('uncaughtException')`), except when it comes from the final call made while the
//!   Promise settles, which then rejects with it.
//!
//! The rest of the options object is read as JSON (`options_json`) by the calls' own parsers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use forestock::control::Control;
use forestock::Error;
use napi::bindgen_prelude::{
    AsyncTask, FnArgs, Function, FunctionRef, Object, ObjectRef, ToNapiValue, TypeName, Unknown,
};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status, Task, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::convert::{options_json, value_kind};
use crate::errors::{guarded, to_js_rejection};

/// Abort and progress options shared by the Promise-returning batch calls (declared for the
/// TypeScript types; read field by field from the JS object).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct JobControlOptions {
    /// Aborting it rejects the Promise with an `AbortError` (`code: 'ERR_CANCELLED'`) and stops the workers.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Value>,
    /// Called on the JS thread with `(done, total)` units (series or SKUs), at most ~100 times plus a final call.
    #[napi(ts_type = "(done: number, total: number) => void")]
    pub on_progress: Option<Value>,
}

/// `signal.addEventListener` / `removeEventListener` as called from Rust.
type ListenerMethod<'a> = Function<'a, FnArgs<(&'a str, Function<'a, (), ()>)>, Unknown<'a>>;

type ProgressTsfn = ThreadsafeFunction<FnArgs<(f64, f64)>, (), FnArgs<(f64, f64)>, Status, false>;

/// The progress side: worker threads enqueue throttled reports, the JS thread delivers them.
struct Progress {
    tsfn: ProgressTsfn,
    /// Largest `done` enqueued (keeps the queue increasing across worker threads).
    enqueued: Mutex<usize>,
    /// Largest `done` delivered to the callback (JS thread only; shared with the wrapper function).
    delivered: Arc<AtomicUsize>,
    /// The user's callback, for the final report made from `resolve`.
    callback: Arc<FunctionRef<FnArgs<(f64, f64)>, Unknown<'static>>>,
}

impl Progress {
    /// Called by workers with the running count: enqueue when a new percent of `total` is reached.
    fn report(&self, done: usize, total: usize) {
        if !reaches_new_percent(done, total) {
            return;
        }
        let Ok(mut enqueued) = self.enqueued.lock() else { return };
        if done <= *enqueued {
            return;
        }
        *enqueued = done;
        // Best effort: a full or closing queue drops an intermediate report, never the final one
        // (made from `resolve`).
        let _ = self.tsfn.call(FnArgs::from((done as f64, total as f64)), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// Whether `done` of `total` units is the first count of a new whole percent (or the last unit):
/// the reports a job makes, at most 100 of them, always including `done == total`.
fn reaches_new_percent(done: usize, total: usize) -> bool {
    if total == 0 || done == 0 || done > total {
        return false;
    }
    let percent = |d: usize| d.saturating_mul(100) / total;
    done == total || percent(done) != percent(done - 1)
}

/// Deliver `(done, total)` to the user's callback unless a report at least as far was delivered.
fn deliver(
    env: &Env,
    delivered: &AtomicUsize,
    callback: &FunctionRef<FnArgs<(f64, f64)>, Unknown<'static>>,
    done: usize,
    total: usize,
) -> napi::Result<()> {
    if done <= delivered.load(Ordering::Relaxed) {
        return Ok(());
    }
    delivered.store(done, Ordering::Relaxed);
    callback.borrow_back(env)?.call(FnArgs::from((done as f64, total as f64)))?;
    Ok(())
}

/// The `'abort'` listener added to the caller's signal, removed when the job settles.
struct AbortListener {
    signal: ObjectRef<false>,
    listener: FunctionRef<(), ()>,
}

/// Abort flag and progress reporting of one job (module docs).
pub(crate) struct JobControl {
    cancel: Arc<AtomicBool>,
    aborted_at_start: bool,
    progress: Option<Progress>,
    listener: Option<AbortListener>,
}

fn bad_option(name: &str, value: &Unknown<'_>, reason: &str) -> Error {
    Error::invalid_parameter(name, value_kind(value), reason)
}

impl JobControl {
    /// Read `signal` and `onProgress` from `options`. Ok(Err) for a value of the wrong type (the
    /// call rejects with it); Err for a failure of napi itself.
    pub(crate) fn from_options(env: &Env, options: &Object<'_>) -> napi::Result<Result<JobControl, Error>> {
        let cancel = Arc::new(AtomicBool::new(false));
        let mut control =
            JobControl { cancel: cancel.clone(), aborted_at_start: false, progress: None, listener: None };

        if let Some(callback) = options.get::<Unknown<'_>>("onProgress")? {
            match callback.get_type()? {
                ValueType::Null => {}
                ValueType::Function => {
                    // SAFETY: type checked by the match.
                    let callback: Function<'_, FnArgs<(f64, f64)>, Unknown<'static>> = unsafe { callback.cast()? };
                    let callback = Arc::new(callback.create_ref()?);
                    let delivered = Arc::new(AtomicUsize::new(0));
                    let (wrapper_delivered, wrapper_callback) = (delivered.clone(), callback.clone());
                    let wrapper =
                        env.create_function_from_closure::<FnArgs<(f64, f64)>, (), _>("onProgress", move |ctx| {
                            let (done, total) = (ctx.get::<f64>(0)?, ctx.get::<f64>(1)?);
                            deliver(ctx.env, &wrapper_delivered, &wrapper_callback, done as usize, total as usize)
                        })?;
                    let tsfn = wrapper.build_threadsafe_function().callee_handled::<false>().build()?;
                    control.progress = Some(Progress { tsfn, enqueued: Mutex::new(0), delivered, callback });
                }
                _ => return Ok(Err(bad_option("onProgress", &callback, "must be a function (done, total) => void"))),
            }
        }
        // The signal last: its listener is only added once nothing else can fail.
        if let Some(signal) = options.get::<Unknown<'_>>("signal")? {
            if signal.get_type()? != ValueType::Null {
                let reason = "must be an AbortSignal";
                if signal.get_type()? != ValueType::Object {
                    return Ok(Err(bad_option("signal", &signal, reason)));
                }
                // SAFETY: the value was just checked to be an object.
                let signal: Object<'_> = unsafe { signal.cast()? };
                let aborted = signal.get::<Unknown<'_>>("aborted")?;
                let add = signal.get::<Unknown<'_>>("addEventListener")?;
                let (Some(aborted), Some(add)) = (aborted, add) else {
                    return Ok(Err(Error::invalid_parameter("signal", "object", reason)));
                };
                if aborted.get_type()? != ValueType::Boolean || add.get_type()? != ValueType::Function {
                    return Ok(Err(Error::invalid_parameter("signal", "object", reason)));
                }
                // SAFETY: type checked just above.
                if unsafe { aborted.cast::<bool>()? } {
                    control.aborted_at_start = true;
                    cancel.store(true, Ordering::Relaxed);
                } else {
                    let flag = cancel.clone();
                    let listener = env.create_function_from_closure::<(), (), _>("onAbort", move |_| {
                        flag.store(true, Ordering::Relaxed);
                        Ok(())
                    })?;
                    // SAFETY: type checked just above.
                    let add: ListenerMethod<'_> = unsafe { add.cast()? };
                    add.apply(signal, FnArgs::from(("abort", listener)))?;
                    control.listener =
                        Some(AbortListener { signal: signal.create_ref()?, listener: listener.create_ref()? });
                }
            }
        }

        Ok(Ok(control))
    }

    /// Whether the signal was already aborted when the call was made (the job is then not started).
    pub(crate) fn aborted_at_start(&self) -> bool {
        self.aborted_at_start
    }

    /// Run `work` under a core [`Control`] carrying the abort flag and the throttled progress of
    /// `total` units (called on a libuv worker thread).
    pub(crate) fn run<T>(
        &self,
        total: usize,
        work: impl FnOnce(&Control<'_>) -> forestock::Result<T>,
    ) -> forestock::Result<T> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let progress = self.progress.as_ref();
        let report = |done: usize| {
            if let Some(progress) = progress {
                progress.report(done, total);
            }
        };
        let control = Control::new().with_cancel(&self.cancel).with_progress(&report);
        work(&control)
    }

    /// The final `(total, total)` report, made on the JS thread before the Promise resolves.
    pub(crate) fn complete(&self, env: &Env, total: usize) -> napi::Result<()> {
        match &self.progress {
            Some(progress) if total > 0 => deliver(env, &progress.delivered, &progress.callback, total, total),
            _ => Ok(()),
        }
    }

    /// Drop progress reports still queued (the job failed or was cancelled: no report after that).
    pub(crate) fn silence(&self) {
        if let Some(progress) = &self.progress {
            progress.delivered.store(usize::MAX, Ordering::Relaxed);
        }
    }

    /// Remove the abort listener (when the job settles).
    pub(crate) fn release(&mut self, env: &Env) -> napi::Result<()> {
        if let Some(AbortListener { signal, listener }) = self.listener.take() {
            let target = signal.get_value(env)?;
            let remove = target.get::<ListenerMethod<'_>>("removeEventListener")?;
            if let Some(remove) = remove {
                remove.apply(target, FnArgs::from(("abort", listener.borrow_back(env)?)))?;
            }
            signal.unref(env)?;
        }
        Ok(())
    }
}

/// A batch job run under a [`JobControl`] on the libuv pool.
pub trait Job: Send + Sized + 'static {
    /// What the core returns.
    type Output: Send + 'static;
    /// What the Promise resolves to.
    type JsValue: ToNapiValue + TypeName;
    /// Units of work (series, SKUs) the core reports progress in.
    fn units(&self) -> usize;
    /// The core call (on a libuv worker thread).
    fn run(self, control: &Control<'_>) -> forestock::Result<Self::Output>;
    /// The JS value of the output (on the JS thread).
    fn to_js(env: Env, output: Self::Output) -> napi::Result<Self::JsValue>;
}

/// The `AsyncTask` of a [`Job`]: parse errors, aborts and core errors reject with a coded `Error`.
pub struct ControlledTask<J: Job> {
    job: Option<Result<J, Error>>,
    control: Option<JobControl>,
    units: usize,
}

impl<J: Job> Task for ControlledTask<J> {
    type Output = Result<J::Output, Error>;
    type JsValue = J::JsValue;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.job.take().unwrap_or(Err(Error::Cancelled));
        // A panic on a libuv worker thread would abort Node: `guarded` makes it an ERR_INTERNAL rejection.
        Ok(job.and_then(|job| {
            guarded(|| match &self.control {
                Some(control) => control.run(self.units, |c| job.run(c)),
                None => job.run(&Control::new()),
            })
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<J::JsValue> {
        let output = output.map_err(|e| {
            if let Some(control) = &self.control {
                control.silence();
            }
            to_js_rejection(env, &e)
        })?;
        if let Some(control) = &self.control {
            control.complete(&env, self.units)?;
        }
        J::to_js(env, output)
    }

    fn finally(mut self, env: Env) -> napi::Result<()> {
        match &mut self.control {
            Some(control) => control.release(&env),
            None => Ok(()),
        }
    }
}

/// Build the task of a call whose last argument is `options`: `signal` and `onProgress` are read
/// here, the remaining JSON settings go to `parse`. An already aborted signal skips `parse`.
pub(crate) fn controlled<J: Job>(
    env: &Env,
    options: Option<&Object<'_>>,
    parse: impl FnOnce(Value) -> Result<J, Error>,
) -> napi::Result<AsyncTask<ControlledTask<J>>> {
    controlled_job(env, options, || {
        let settings = match options {
            None => Ok(Value::Null),
            Some(options) => options_json(options, &[])?,
        };
        Ok(settings.and_then(parse))
    })
}

/// [`controlled`] for a job that reads its own settings from the options object (`make` is only
/// called when the control options are valid and the signal is not already aborted).
pub(crate) fn controlled_job<J: Job>(
    env: &Env,
    options: Option<&Object<'_>>,
    make: impl FnOnce() -> napi::Result<Result<J, Error>>,
) -> napi::Result<AsyncTask<ControlledTask<J>>> {
    let control = match options {
        None => Ok(None),
        Some(options) => JobControl::from_options(env, options)?.map(Some),
    };
    let (job, control) = match control {
        Err(e) => (Err(e), None),
        Ok(Some(control)) if control.aborted_at_start() => (Err(Error::Cancelled), Some(control)),
        Ok(control) => (make()?, control),
    };
    let units = job.as_ref().map_or(0, Job::units);
    Ok(AsyncTask::new(ControlledTask { job: Some(job), control, units }))
}

#[cfg(test)]
mod tests {
    use super::reaches_new_percent;

    #[test]
    fn at_most_one_report_per_percent_and_always_the_last() {
        for total in 1..=2_000 {
            let reports: Vec<usize> = (0..=total + 1).filter(|&d| reaches_new_percent(d, total)).collect();
            assert!(reports.len() <= 100, "total {total}: {} reports", reports.len());
            assert_eq!(reports.last(), Some(&total), "total {total}");
            assert_eq!(reports.len(), total.min(100), "total {total}: one report per percent reached");
        }
        assert!(!reaches_new_percent(0, 0) && !reaches_new_percent(1, 0));
    }
}
