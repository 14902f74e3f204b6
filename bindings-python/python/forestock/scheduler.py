"""Reference scheduler: run the daily planning job, the weekly retraining job (or any callable) on
cron schedules in IANA time zones.

Fire times and every decision come from the core (`forestock::schedule`, via
`_native.schedule_plan` and `_native.schedule_on_due`, the same calls Node's scheduler makes): the
daylight-saving rules and the decision rules are documented once, in docs/scheduler.md. This module
keeps the job table, waits, draws the random numbers and starts runs; it does no calendar
arithmetic and decides nothing itself.

    >>> sched = Scheduler()
    >>> sched.add_job("daily-plan", "0 6 * * MON-FRI", run_daily_plan, timezone="Europe/Berlin")
    >>> sched.start()              # loop on a background daemon thread
    >>> ...
    >>> sched.shutdown(wait=True)  # stop the loop, wait for running jobs

Rules (the core's), applied when the scheduler reaches a job whose run time has come (`run_pending`):

* the run time is the cron fire time plus a jitter delay drawn once per fire time: a whole number
  of milliseconds in ``[0, jitter]``, ``min(floor(u * (J + 1)), J)`` ms for ``u = random()`` and a
  jitter of ``J`` ms;
* fire times missed while the host slept or the job ran are coalesced into one decision, about the
  latest of them whose run time has come, never replayed as a burst;
* if the previous run of the same job is still going, that fire time is skipped (`skipped` + 1),
  however late it is;
* otherwise, if its run time is more than `misfire_grace` seconds in the past, it is a misfire
  (`misfires` + 1, logged) and is not run;
* otherwise the job starts on its own worker thread, so a slow job never delays another job;
* either way the next fire time is the first one strictly after *now*.

A job that raises (any exception, `SystemExit` included) is logged (logger ``forestock.scheduler``)
and counted in `failures`; the scheduler keeps going.

Every finished run yields a metrics record (`fs.run_metrics`: status, duration, and for the ready-made
jobs the plan's or the retrain's counts, read from the ``forestock_run`` of the result or the raised
error). The record is kept as the job's `last_metrics`, passed to `on_metrics` when given, and
`metrics_text()` renders the last record of every job for a Prometheus ``/metrics`` endpoint. `shutdown(timeout=...)` bounds how long
stopping waits for the loop and the running jobs. The clock, the wait function and the random source are injectable for tests.
"""

from __future__ import annotations

import logging
import random as _random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from collections.abc import Callable

from . import _native
from ._convert import invalid_parameter
from ._telemetry import prometheus_text, run_metrics

logger = logging.getLogger("forestock.scheduler")


class JobRunningError(_native.ForestockError):
    """`Scheduler.run_now` on a job whose previous run is still going (code ``ERR_JOB_RUNNING``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = "ERR_JOB_RUNNING"

#: Longest single wait of the background loop (seconds): bounds the effect of a wall-clock jump.
MAX_WAIT = 60.0


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the scheduler's default clock)."""
    return datetime.now(timezone.utc)


def next_fire_time(expression: str, tz: str, after: datetime) -> datetime:
    """First fire time of the cron `expression` in the IANA zone `tz` strictly after `after`
    (an aware datetime; naive datetimes are rejected), as an aware UTC datetime."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise invalid_parameter("after", f"after must be a timezone-aware datetime, got {after!r}")
    text = _native.cron_next(expression, tz, after.isoformat())
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)


def _ms(instant: datetime) -> int:
    """An aware datetime (the clock's) as integer epoch milliseconds, the core's resolution (finer
    parts dropped); a naive one is an `InvalidParameterError` naming ``clock``."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise invalid_parameter("clock", f"the clock must return timezone-aware datetimes, got {instant!r}")
    return (instant - _EPOCH) // _MILLISECOND


def _instant(ms: int) -> datetime:
    """Integer epoch milliseconds as an aware UTC datetime."""
    return _EPOCH + ms * _MILLISECOND


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
        raise invalid_parameter(name, f"{name} must be a finite number of seconds >= 0, got {value!r}")
    return float(value)


@dataclass
class Job:
    """One scheduled callable, its next run and its statistics (read them, do not write them)."""

    name: str
    cron: str
    timezone: str
    func: Callable[[], Any]
    jitter: float
    misfire_grace: float
    #: Next cron fire time (aware UTC).
    next_fire: datetime | None = None
    #: When the next run starts: `next_fire` plus the jitter delay.
    run_at: datetime | None = None
    #: Fire time of the last run started.
    last_fire: datetime | None = None
    running: bool = False
    runs: int = 0
    failures: int = 0
    skipped: int = 0
    misfires: int = 0
    last_result: Any = None
    last_error: BaseException | None = None
    #: Metrics record of the last finished run (`fs.run_metrics`), None before the first.
    last_metrics: dict[str, Any] | None = None

    def stats(self) -> dict[str, Any]:
        """The counters and last outcome as a dict."""
        return {
            "runs": self.runs,
            "failures": self.failures,
            "skipped": self.skipped,
            "misfires": self.misfires,
            "last_result": self.last_result,
            "last_error": self.last_error,
        }


class Scheduler:
    """Runs zero-argument callables on cron schedules; one job failing never stops the others.

    `clock()` returns the current aware datetime (default: UTC now). `sleep(seconds)` is the loop's
    wait (default: a wait that `add_job` and `shutdown` interrupt). `random()` returns a float in
    [0, 1) that scales each job's jitter (default: `random.random`). `on_metrics(record)` is called
    on the job's worker thread after each run with its metrics record (an exception it raises is
    logged and does not count against the job).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Any] | None = None,
        random: Callable[[], float] = _random.random,
        on_metrics: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        if on_metrics is not None and not callable(on_metrics):
            raise invalid_parameter("on_metrics", f"on_metrics must be callable, got {on_metrics!r}")
        self._on_metrics = on_metrics
        self._clock = clock
        self._random = random
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._sleep = sleep if sleep is not None else self._wake.wait
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._workers: set[threading.Thread] = set()
        self._loop_thread: threading.Thread | None = None

    # ---- job table -------------------------------------------------------------------------
    def add_job(
        self,
        name: str,
        cron: str,
        func: Callable[[], Any],
        timezone: str = "UTC",
        jitter: float = 0,
        misfire_grace: float = 300,
    ) -> Job:
        """Schedule `func()` at the fire times of `cron` in the IANA zone `timezone`.

        `jitter` (seconds) delays each run by a random whole number of milliseconds up to `jitter`;
        a run reached more than `misfire_grace` seconds after its run time is skipped as a misfire. The expression and zone
        are validated at once: `InvalidParameterError` naming `expression` or `timezone` (also for
        a duplicate or non-string `name`, a non-string `cron` or `timezone`, a non-callable `func`,
        a negative `jitter` or `misfire_grace`).
        """
        for field, value in (("name", name), ("cron", cron), ("timezone", timezone)):
            if not isinstance(value, str):
                raise invalid_parameter(field, f"{field} must be a string, got {value!r}")
        if not callable(func):
            raise invalid_parameter("func", f"func must be callable, got {func!r}")
        job = Job(name, cron, timezone, func, _seconds("jitter", jitter), _seconds("misfire_grace", misfire_grace))
        with self._lock:
            if name in self._jobs:
                raise invalid_parameter("name", f"a job named {name!r} is already scheduled")
            self._plan_next(job, self._clock())
            self._jobs[name] = job
        self._wake.set()  # the loop may have to wake earlier than it planned
        return job

    def remove_job(self, name: str) -> None:
        """Unschedule the job `name` (a run in progress finishes; no error if it does not exist)."""
        with self._lock:
            self._jobs.pop(name, None)

    def job(self, name: str) -> Job:
        """The job `name` (`InvalidParameterError` if there is none)."""
        with self._lock:
            if name not in self._jobs:
                raise invalid_parameter("name", f"no job named {name!r}")
            return self._jobs[name]

    @property
    def jobs(self) -> list[Job]:
        """The scheduled jobs, in the order they were added."""
        with self._lock:
            return list(self._jobs.values())

    def next_run(self, name: str) -> datetime:
        """When the job `name` runs next (aware UTC datetime: fire time plus its jitter delay)."""
        job = self.job(name)
        if job.run_at is None:  # only while add_job is computing the first fire time
            raise invalid_parameter("name", f"job {name!r} has no run time yet")
        return job.run_at

    def _plan_next(self, job: Job, now: datetime) -> None:
        planned = _native.schedule_plan(job.cron, job.timezone, job.jitter, job.misfire_grace, _ms(now), self._random())
        job.next_fire = _instant(planned["fire_time_ms"])
        job.run_at = _instant(planned["run_at_ms"])

    def _on_due(self, job: Job, now: datetime) -> dict[str, Any] | None:
        """The core's decision about the job's planned run at `now`, None while it is not due."""
        if job.next_fire is None or job.run_at is None:
            return None
        due = _native.schedule_on_due(
            job.cron, job.timezone, job.jitter, job.misfire_grace, _ms(job.next_fire), _ms(job.run_at), _ms(now), job.running
        )
        return None if due["decision"] == "wait" else due

    # ---- running ---------------------------------------------------------------------------
    def run_pending(self) -> list[str]:
        """Decide every job whose run time has come: start it on a worker thread, or skip it
        (still running, or misfired); schedule its next fire time after now. Returns the names
        of the jobs started. Does not wait for them (see `wait_idle`)."""
        now = self._clock()
        started = []
        with self._lock:
            decided = [(job, due) for job in self._jobs.values() if (due := self._on_due(job, now)) is not None]
            decided.sort(key=lambda pair: (pair[0].run_at, pair[0].name))
            for job, due in decided:
                fire = _instant(due["fire_time_ms"])
                late = due["late_ms"] / 1000
                if due["coalesced"]:
                    logger.info("job %r: %d missed fire time(s) coalesced into the one of %s", job.name, due["coalesced"], fire)
                if due["decision"] == "skip_running":
                    job.skipped += 1
                    logger.warning("job %r: fire time %s skipped, the previous run is still going", job.name, fire)
                elif due["decision"] == "misfire":
                    job.misfires += 1
                    logger.warning(
                        "job %r: misfire, run time %s is %.0f s late (grace %.0f s)",
                        job.name,
                        _instant(due["run_at_ms"]),
                        late,
                        job.misfire_grace,
                    )
                else:
                    job.running = True
                    job.last_fire = fire
                    worker = threading.Thread(target=self._execute, args=(job,), name=f"forestock-job-{job.name}", daemon=True)
                    self._workers.add(worker)
                    worker.start()
                    started.append(job.name)
                self._plan_next(job, now)
        return started

    def run_now(self, name: str) -> Any:
        """Run the job `name` now, on the calling thread, outside its schedule (its next fire time
        is unchanged). Returns its result or raises its error; either way the run is counted and
        recorded as a scheduled run is (`runs`, `failures`, `last_result`, `last_metrics`,
        `on_metrics`). `JobRunningError` (code ``ERR_JOB_RUNNING``) if the job is running."""
        with self._lock:
            if name not in self._jobs:
                raise invalid_parameter("name", f"no job named {name!r}")
            job = self._jobs[name]
            if job.running:
                raise JobRunningError(f"job {name!r} is already running")
            job.running = True
            job.last_fire = self._clock()
        ok, outcome = self._execute(job)
        if not ok:
            raise outcome
        return outcome

    def _execute(self, job: Job) -> tuple[bool, Any]:
        """Run `job` once and record the run; returns ``(ok, result or exception)``."""
        started = time.monotonic()
        outcome: Any = None
        ok = False
        try:
            outcome = job.func()
            ok = True
        # BaseException: a job calling sys.exit() (SystemExit) or raising KeyboardInterrupt did not
        # succeed either; on this worker thread it would only end the thread, so it is a failure.
        except BaseException as exc:  # noqa: BLE001 - a failing job must not stop the scheduler
            logger.exception("job %r failed (fire time %s)", job.name, job.last_fire)
            outcome = exc
            with self._lock:
                job.failures += 1
                job.last_error = exc
        else:
            with self._lock:
                job.last_result = outcome
                job.last_error = None
        finally:
            metrics = self._record_metrics(job, outcome, ok, time.monotonic() - started)
            with self._lock:
                job.runs += 1
                job.running = False
                job.last_metrics = metrics
                self._workers.discard(threading.current_thread())
        if metrics is not None and self._on_metrics is not None:
            try:
                self._on_metrics(metrics)
            except Exception:  # noqa: BLE001 - a broken callback must not break the scheduler
                logger.exception("on_metrics failed for job %r", job.name)
        return ok, outcome

    def _record_metrics(self, job: Job, outcome: Any, ok: bool, seconds: float) -> dict[str, Any] | None:
        """The run's metrics record, from the ``forestock_run`` of its result or error if it has one."""
        kind, summary = getattr(outcome, "forestock_run", ("job", None))
        # A job whose planned periods' demand is now known returns the realised accuracy by class
        # (`fs.realised_accuracy`) as `forestock_realised`; the record carries it.
        realised = getattr(outcome, "forestock_realised", None)
        try:
            return run_metrics(
                kind, job.name, seconds, summary=summary, ok=ok, finished_at=self._clock().timestamp(), realised=realised
            )
        except Exception:  # noqa: BLE001 - metrics must never turn a run into a scheduler failure
            logger.exception("job %r: no metrics record for this run", job.name)
            return None

    def metrics(self) -> list[dict[str, Any]]:
        """The last metrics record of every job that has finished a run, in job-name order."""
        with self._lock:
            return [j.last_metrics for _, j in sorted(self._jobs.items()) if j.last_metrics is not None]

    def metrics_text(self) -> str:
        """`metrics()` in the Prometheus text format, for a ``/metrics`` endpoint."""
        return prometheus_text(self.metrics())

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is running (at most `timeout` seconds); True when idle."""
        deadline = None if timeout is None else time.monotonic() + timeout
        me = threading.current_thread()
        while True:
            with self._lock:
                workers = [w for w in self._workers if w is not me]
            if not workers:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            workers[0].join(remaining)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.run_pending()
            with self._lock:
                upcoming = [j.run_at for j in self._jobs.values() if j.run_at is not None]
            if self._stop.is_set():
                break
            wait = MAX_WAIT if not upcoming else (min(upcoming) - self._clock()).total_seconds()
            if wait > 0:
                self._sleep(min(wait, MAX_WAIT))

    def start(self) -> None:
        """Run the loop on a background daemon thread and return at once."""
        if self._loop_thread is not None and self._loop_thread.is_alive():
            raise invalid_parameter("start", "the scheduler is already running")
        self._stop.clear()
        self._loop_thread = threading.Thread(target=self._loop, name="forestock-scheduler", daemon=True)
        self._loop_thread.start()

    @property
    def running(self) -> bool:
        """Whether the background loop is running."""
        return self._loop_thread is not None and self._loop_thread.is_alive()

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Stop the loop; with `wait`, join the loop thread and wait for running jobs to finish
        (callable from a job: the calling job is not waited for).

        `timeout` (seconds, default None = no limit) bounds the whole wait: a job stuck in a call
        that never returns cannot hang the host's shutdown. Python cannot stop a running thread, so
        a job still running at the deadline keeps running (its worker is a daemon thread, which
        does not keep the interpreter alive). Returns True when the loop and every job have
        stopped, False when the timeout expired first (or `wait` is False and jobs are running).
        """
        if timeout is not None:
            timeout = _seconds("timeout", timeout)
        self._stop.set()
        self._wake.set()
        if not wait:
            with self._lock:
                return not self._workers and not self.running
        deadline = None if timeout is None else time.monotonic() + timeout
        loop = self._loop_thread
        if loop is not None and loop is not threading.current_thread():
            loop.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if loop.is_alive():
                return False
        return self.wait_idle(None if deadline is None else max(0.0, deadline - time.monotonic()))
