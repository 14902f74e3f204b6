"""Run metrics and their Prometheus text (`forestock::telemetry`): argument conversion only."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from . import _native
from ._convert import invalid_parameter


def run_metrics(
    kind: str,
    job: str,
    duration_seconds: float,
    *,
    summary: Any = None,
    ok: bool = True,
    finished_at: float | None = None,
    realised: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The metrics record of one run, as a dict.

    `kind` is ``"plan"`` (`summary`: the ``stats`` dict of ``fs.plan(..., return_stats=True)``),
    ``"retrain"`` (`summary`: the report of ``fs.retrain``) or ``"job"`` (no summary). `ok=False`
    marks a run that raised. `finished_at` is seconds since the epoch (default: now). The record
    holds the status, duration, SKUs by outcome and error code, orders by priority and ABC class and
    champions promoted; `prometheus_text` renders records. `realised` is the realised accuracy by
    ABC class once the actual demand is known (`fs.realised_accuracy`), rendered as
    ``forestock_plan_realised_mape`` / ``_mase`` labelled by class.

    >>> import forestock as fs
    >>> r = fs.run_metrics("job", "backup", 0.5, ok=False, finished_at=0.0)
    >>> r["status"], r["kind"]
    ('failed', 'job')
    """
    if not isinstance(job, str) or not job:
        raise invalid_parameter("job", f"job must be a non-empty string, got {job!r}")
    when = time.time() if finished_at is None else float(finished_at)
    return _native.run_metrics(str(kind), job, bool(ok), summary, float(duration_seconds), when, realised)


def prometheus_text(records: Iterable[dict[str, Any]]) -> str:
    """The Prometheus text exposition (format 0.0.4) of metrics records (`run_metrics`, or a
    scheduler's `metrics()`): one gauge family per quantity, such as
    ``forestock_plan_duration_seconds{job="daily_plan"}``, labelled by job. Serve it at
    ``/metrics`` or write it for node_exporter's textfile collector (docs/operations.md)."""
    return _native.prometheus_text(list(records))
