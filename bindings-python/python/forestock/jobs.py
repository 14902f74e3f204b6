"""Ready-made scheduler jobs: the daily planning job and the weekly retraining job.

Each factory takes the caller's `load` and `store` callables (the data lives wherever the service
keeps it) and returns a zero-argument callable for `Scheduler.add_job(name, cron, func)`:

    >>> sched = fs.Scheduler()
    >>> sched.add_job("daily-plan", "0 6 * * MON-FRI", fs.daily_plan_job(load_demand_and_items, save_orders,
    ...               season_length=52, audit=log, audit_file="audit.jsonl"), timezone="Europe/Berlin")
    >>> sched.add_job("weekly-retrain", "0 2 * * SUN", fs.weekly_retrain_job(load_demand_and_registry,
    ...               save_registry, season_length=52, audit=log))

With an `AuditLog`, every completed run appends hash-chained records (after `store` returned, so
the log only lists results that were delivered): a ``run`` record per job run and, for the
retraining job, a ``promotion`` record per champion change. Each job returns its result, which the
scheduler keeps as the job's last result.

Each result (and `PlanRunError`) carries ``forestock_run``, the ``(kind, summary)`` pair from
which the scheduler makes the run's metrics record (`fs.run_metrics`): ``("plan", stats)`` or
``("retrain", report)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ._audit import AuditLog
from ._native import ForestockError
from ._convert import invalid_parameter
from ._plan import plan_with_audit
from ._records import utc_now
from ._registry import Registry
from ._retrain import retrain


def _check_callable(value: Any, name: str) -> None:
    if not callable(value):
        raise invalid_parameter(name, f"{name} must be callable, got {value!r}")


def _check_audit(audit: Any) -> None:
    if audit is not None and not isinstance(audit, AuditLog):
        raise invalid_parameter("audit", f"audit must be a forestock.AuditLog, got {audit!r}")


class PlanResult(tuple):
    """``(recommendations, failures)`` of a daily planning run, with the run statistics in `stats`
    (a tuple, so ``recs, failures = job()`` works as before)."""

    stats: dict[str, Any]

    def __new__(cls, recommendations: Any, failures: Any, stats: dict[str, Any]) -> PlanResult:
        result = super().__new__(cls, (recommendations, failures))
        result.stats = stats
        return result

    @property
    def forestock_run(self) -> tuple[str, dict[str, Any]]:
        """``("plan", stats)``: what the scheduler's metrics record is made from."""
        return ("plan", self.stats)


class RetrainResult(dict):
    """The report of a retraining run (the dict ``fs.retrain`` returns)."""

    @property
    def forestock_run(self) -> tuple[str, dict[str, Any]]:
        """``("retrain", report)``: what the scheduler's metrics record is made from."""
        return ("retrain", dict(self))


class PlanRunError(ForestockError):
    """A daily planning run the core called degraded (more than half of the SKUs failed) or failed
    (none planned). Raised by the job *after* `store` and the audit record, so the result is kept
    and the run is on record; the scheduler counts the run as a failure.

    Attributes: `code` (``"ERR_PLAN_DEGRADED"`` or ``"ERR_PLAN_FAILED"``), `status`, `stats`
    (the run statistics) and `result` (``(recommendations, failures)``).
    """

    def __init__(self, stats: dict[str, Any], result: tuple[Any, Any]) -> None:
        codes = ", ".join(f"{code} x{n}" for code, n in sorted(stats["failures_by_code"].items(), key=lambda kv: -kv[1])[:3])
        super().__init__(
            f"daily plan {stats['status']}: {stats['planned']} of {stats['skus']} SKUs planned, "
            f"{stats['failed']} failed ({codes or 'no failures recorded'})"
        )
        self.code = f"ERR_PLAN_{stats['status'].upper()}"
        self.status = stats["status"]
        self.stats = stats
        self.result = result

    @property
    def forestock_run(self) -> tuple[str, dict[str, Any]]:
        """``("plan", stats)``: the scheduler records the counts of a degraded or failed run too."""
        return ("plan", self.stats)


def daily_plan_job(
    load: Callable[[], tuple[Any, Any]],
    store: Callable[[tuple[Any, Any]], Any],
    *,
    audit: AuditLog | None = None,
    audit_file: str | os.PathLike[str] | None = None,
    clock: Callable[[], datetime] = utc_now,
    **plan_kwargs: Any,
) -> Callable[[], PlanResult]:
    """The daily planning job as a zero-argument callable.

    Each run calls ``load()``, which returns ``(demand_df, items_df)``: the long demand frame
    (`unique_id`, `ds`, `y`) and the item master frame, as `fs.plan` takes them; runs
    ``fs.plan(demand_df, items_df, **plan_kwargs)``; calls ``store(result)`` with
    ``result = (recommendations, failures)``; and returns `result`.

    With `audit`, the core's ``run`` record (`PlanOutput::audit_payload`: ``{"job": "daily_plan",
    "status", "config", "stats", "orders": [[sku, quantity, priority]], "failures": [[sku,
    code]]}``, the same record Node's and the Rust job write) is appended at ``clock()`` once `store`
    returned (also to `audit_file` when given). `status` is the core's verdict on the run: ``"ok"``, ``"degraded"`` (more than half of the SKUs failed) or ``"failed"`` (none
    planned); a degraded or failed run then raises `PlanRunError`, so a `Scheduler` records a
    failure instead of a success.
    """
    _check_callable(load, "load")
    _check_callable(store, "store")
    _check_audit(audit)

    def run_daily_plan() -> PlanResult:
        demand, items = load()
        (recommendations, failures, stats), records = plan_with_audit(
            demand, items, **{**plan_kwargs, "return_stats": True, "return_forecasts": False}, stacklevel=3
        )
        result = PlanResult(recommendations, failures, stats)
        store(result)
        if audit is not None:
            for record in records:
                audit.append(record["kind"], record["payload"], timestamp=clock(), file=audit_file)
        if stats["status"] != "ok":
            raise PlanRunError(stats, result)
        return result

    return run_daily_plan


def weekly_retrain_job(
    load: Callable[[], tuple[Any, Registry]],
    store: Callable[[dict[str, Any], Registry], Any],
    *,
    audit: AuditLog | None = None,
    audit_file: str | os.PathLike[str] | None = None,
    clock: Callable[[], datetime] = utc_now,
    **retrain_kwargs: Any,
) -> Callable[[], RetrainResult]:
    """The weekly retraining job as a zero-argument callable.

    Each run calls ``load()``, which returns ``(demand_df, registry)``: the long demand frame and
    the `Registry` to update (e.g. ``fs.Registry.load(path)``); runs
    ``fs.retrain(demand_df, registry, now=clock(), **retrain_kwargs)`` (`season_length` is
    required there); calls ``store(report, registry)`` (e.g. ``registry.save(path)``); and returns
    the report.

    With `audit`, the core's records of the run (`RetrainReport::audit_entries`, the same as Node's)
    are appended once `store` returned (also to `audit_file` when given): a ``run`` record
    ``{"job": "weekly_retrain", "config", "skus", "retrained", "promoted": [sku, ...], "failures":
    [[sku, code]]}`` and one ``promotion`` record per champion change (the registry's decision).
    """
    _check_callable(load, "load")
    _check_callable(store, "store")
    _check_audit(audit)
    if "now" in retrain_kwargs:
        raise invalid_parameter("now", "a scheduled job takes its time from `clock`, not a fixed `now`")

    def run_weekly_retrain() -> RetrainResult:
        demand, registry = load()
        now = clock()
        report = RetrainResult(retrain(demand, registry, now=now, **retrain_kwargs))
        store(report, registry)
        if audit is not None:
            for record in report["audit"]:
                audit.append(record["kind"], record["payload"], timestamp=now, file=audit_file)
        return report

    return run_weekly_retrain
