"""The feedback loop (core `forestock::feedback`): planners' decisions on orders, the demand that
followed, per-SKU ensemble weights adapted from the realised errors, and the feedback report; plus
the realised accuracy of a plan (core `telemetry::realised_accuracy`).

Argument conversion only: the core validates every value and owns every rule (docs/feedback.md).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import numpy as np

from . import _native
from ._convert import invalid_parameter
from ._records import instant_text, parse_instant


def _path(value: Any, name: str) -> str:
    if not isinstance(value, (str, os.PathLike)):
        raise invalid_parameter(name, f"{name} must be a path, got {type(value).__name__}")
    return os.fspath(value)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise invalid_parameter(name, f"{name} must be a number, got {value!r}")
    return float(value)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise invalid_parameter(name, f"{name} must be a string, got {value!r}")
    return value


def _with_at(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "at": parse_instant(record["at"])}


def record_decision(
    path: str | os.PathLike[str],
    sku: str,
    recommendation: float,
    decision: str,
    quantity: float | None = None,
    *,
    by: str,
    at: datetime | str | None = None,
    audit_log: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Record a planner's `decision` on the order of `recommendation` units for `sku`: ``"approved"``
    (orders the recommendation; `quantity` may be omitted), ``"rejected"`` (orders 0) or
    ``"adjusted"`` (orders `quantity` >= 0, required). `by` names the planner, `at` (aware datetime,
    default now) the time; it must not precede the SKU's last decision. The decision is appended to
    the JSON-lines store at `path` (locked append) and, with `audit_log`, to that hash-chained audit
    log as a ``decision`` record. Returns the stored record; a bad value raises
    `InvalidParameterError` naming the argument (``decision``, ``quantity``, ...)."""
    return _with_at(
        _native.record_decision(
            _path(path, "path"),
            _text(sku, "sku"),
            _number(recommendation, "recommendation"),
            _text(decision, "decision"),
            None if quantity is None else _number(quantity, "quantity"),
            _text(by, "by"),
            instant_text(at, "at"),
            None if audit_log is None else _path(audit_log, "audit_log"),
        )
    )


def record_actuals(
    path: str | os.PathLike[str],
    sku: str,
    actual: float,
    forecasts: dict[str, float],
    *,
    at: datetime | str,
    forecast: float | None = None,
) -> dict[str, Any]:
    """Record the demand `actual` that `sku` realised in the period starting `at`, with the forecast
    each model made for it (`forecasts`: model name -> forecast; for an ensemble plan, one period of
    each member's forecast, ``plan["member_forecasts"]``) and the plan's own `forecast` (which the
    feedback report judges overrides against). The core stores each model's error
    ``forecast - actual``. Periods of a SKU must come in increasing order. Returns the record."""
    if not isinstance(forecasts, dict):
        raise invalid_parameter("forecasts", f"forecasts must be a dict of model name -> forecast, got {forecasts!r}")
    values = {_text(k, "forecasts"): _number(v, f"forecasts.{k}") for k, v in forecasts.items()}
    return _with_at(
        _native.record_actuals(
            _path(path, "path"),
            _text(sku, "sku"),
            instant_text(at, "at"),
            _number(actual, "actual"),
            values,
            None if forecast is None else _number(forecast, "forecast"),
        )
    )


def adapted_weights(
    path: str | os.PathLike[str],
    sku: str,
    *,
    members: list[str] | None = None,
    rule: str = "hedge",
    **settings: Any,
) -> dict[str, Any]:
    """The ensemble weights of `sku` adapted from the realised errors in the actuals store at `path`:
    ``{"sku", "members", "weights", "periods", "rule"}``. `members` fixes the order (default: the
    models of the SKU's latest record). `rule` is ``"hedge"`` (default: exponential weights on
    discounted scale-free losses, settings `learning_rate`=1, `discount`=0.9),
    ``"discounted_inverse_mse"`` (`discount`=0.8, `shrinkage`=0.1) or ``"inverse_error"`` (the seed
    rule 1/(err+1), `floor`=0.1); the core owns the defaults and checks the setting names. Formulas
    and measurements in docs/feedback.md. Pass the result to `fs.plan(..., ensemble_weights={sku:
    dict(zip(w["members"], w["weights"]))})` with an `fs.Ensemble` model."""
    if not isinstance(rule, str):
        raise invalid_parameter("rule", f"rule must be a string, got {rule!r}")
    if members is not None:
        members = [_text(m, "members") for m in members]
    values = {name: _number(value, name) for name, value in settings.items()}
    return _native.adapted_weights(_path(path, "path"), _text(sku, "sku"), members, rule, values)


def feedback_report(
    decisions: str | os.PathLike[str],
    actuals: str | os.PathLike[str] | None = None,
    *,
    classes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The feedback report of the decision store `decisions`, judged against the actuals store
    `actuals` when given: ``{"by_sku", "by_class", "overall"}``, each summary with the approval
    rate, mean adjustment, override ``bias`` (mean relative adjustment), ``biased`` (sign test,
    p < 0.05), and ``verdict`` (``right``/``wrong``/``even``/``not_judged``: did the overrides come
    closer to the demand than the recommendations). `classes` maps SKU -> ABC class (e.g. from
    `fs.plan`'s ``abc_class``); other SKUs are ``unclassified``."""
    mapping = {} if classes is None else {str(k): str(v) for k, v in dict(classes).items()}
    return _native.feedback_report(
        _path(decisions, "decisions"), None if actuals is None else _path(actuals, "actuals"), mapping
    )


def realised_accuracy(
    forecasts: list[dict[str, Any]],
    history: dict[str, Any],
    actuals: dict[str, Any],
    season_length: int,
) -> dict[str, Any]:
    """Realised MAPE and MASE of planned forecasts by ABC class, once the demand of the planned
    periods is known (core `telemetry::realised_accuracy_of`): `forecasts` is a list of dicts
    ``{"sku", "abc_class", "mean"}`` (from `fs.plan`: the recommendations' ``abc_class`` and the
    ``mean`` column of ``return_forecasts=True``), `history` maps SKU -> the demand the plan was made
    from (the MASE scale), `actuals` SKU -> the demand that followed. Returns ``{class: {"skus",
    "mape", "mase"}}``; pass it as `fs.run_metrics(..., realised=...)`, or return it from a scheduled
    job as the result's ``forestock_realised`` attribute so the scheduler's metrics carry it."""

    def series(mapping: dict[str, Any], name: str) -> list[dict[str, Any]]:
        if not isinstance(mapping, dict):
            raise invalid_parameter(name, f"{name} must be a dict of SKU -> demand, got {type(mapping).__name__}")
        return [{"sku": str(k), "demand": np.asarray(v, dtype=float).tolist()} for k, v in mapping.items()]

    rows = []
    for i, f in enumerate(forecasts):
        if not isinstance(f, dict) or not {"sku", "abc_class", "mean"} <= f.keys():
            raise invalid_parameter("forecasts", f"forecasts[{i}] must be a dict with sku, abc_class and mean")
        rows.append({"sku": str(f["sku"]), "abc_class": str(f["abc_class"]),
                     "mean": np.asarray(f["mean"], dtype=float).tolist()})

    return _native.realised_accuracy(rows, series(history, "history"), series(actuals, "actuals"), int(season_length))
