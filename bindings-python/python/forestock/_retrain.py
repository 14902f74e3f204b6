"""The weekly retraining job on a data frame: conversion around `forestock::plan::run_retrain`.

For each SKU the core backtests every candidate model (rolling origin), submits the one with the
lowest MASE to the registry, which promotes it only if it beats the champion. The work runs in
Rust on all cores with the GIL released; the registry is updated in place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import _native
from ._convert import as_periods, invalid_parameter
from ._frame import regular_series
from ._models import Model
from ._records import decision_from_json, instant_text
from ._registry import Registry

#: The core's weekly backtest design (`RetrainConfig::weekly`): windows, step, horizon.
_WEEKLY_BACKTEST: dict[str, Any] = _native.weekly_retrain_config([1])["backtest"]


def _candidate_spec(candidate: Any, i: int) -> dict[str, Any]:
    if isinstance(candidate, Model):
        return candidate.spec()
    if isinstance(candidate, dict):
        return candidate
    if isinstance(candidate, str):
        return {"model": candidate}
    raise invalid_parameter(f"candidates[{i}]", f"a candidate must be a model object, spec dict or name, got {candidate!r}")


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < 0:
        raise invalid_parameter(name, f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def retrain(
    demand: Any,
    registry: Registry,
    *,
    season_length: int | list[int],
    candidates: list[Any] | None = None,
    windows: int = _WEEKLY_BACKTEST["windows"],
    step: int = _WEEKLY_BACKTEST["step"],
    h: int = _WEEKLY_BACKTEST["horizon"],
    now: datetime | str | None = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    fill_gaps: bool = True,
    progress: Any = None,
) -> dict[str, Any]:
    """Retrain every SKU of a long demand frame (`unique_id`, `ds`, `y`) and update `registry`.

    `candidates` are model objects, spec dicts or spec names (default: the core's weekly set,
    AutoModel, AutoETS, Croston-SBA, TSB and naive, all with `season_length`); each is scored by
    a rolling-origin backtest of `windows` origins `step` periods apart forecasting `h` periods,
    MASE scaled by the seasonal naive of `season_length`. `now` (aware datetime, default the current
    time) stamps the new records and decisions.

    Returns the core's report as a dict: ``outcomes`` (per retrained SKU, in frame order:
    ``sku``, ``scores`` [{model, mase, error?}], ``decision`` as `Registry.promote_if_better`
    returns it), ``failures`` ([{sku, code, message}] for SKUs no candidate could score, e.g. NaN
    or too short history; the other SKUs are still retrained) and ``promoted`` (how many champions
    changed) and ``gaps`` (the series with periods without a row, filled with zeros at the frame's
    frequency with a `FilledGapsWarning`; ``fill_gaps=False`` raises `MissingDataError` naming the
    SKU and its first missing period instead), and ``audit``: the core's audit records of the run
    (``[{kind, payload}]``, `RetrainReport::audit_entries`), which `weekly_retrain_job` appends.

    `progress(done, total)` (optional) is called on the calling thread about every 50 ms while the
    native work runs, with the number of SKUs scored finished, and once more with ``(total, total)`` at
    the end; an exception it raises stops the work and is raised here (as Ctrl-C does).
    """
    if not isinstance(registry, Registry):
        raise invalid_parameter("registry", f"registry must be a forestock.Registry, got {registry!r}")
    specs = None
    if candidates is not None:
        specs = [_candidate_spec(c, i) for i, c in enumerate(candidates)]
    regular = regular_series(demand, id_col, time_col, target_col, fill_gaps)
    regular.warn("fs.retrain", stacklevel=2)
    ids, y, offsets = regular.ids, regular.y, regular.offsets
    raw = _native.retrain(
        registry._native,
        [str(i) for i in ids],
        y,
        offsets,
        as_periods(season_length),
        specs,
        _count(windows, "windows"),
        _count(step, "step"),
        _count(h, "h"),
        instant_text(now, "now"),
        progress,
    )
    report = raw
    report["gaps"] = regular.gaps
    for outcome in report["outcomes"]:
        outcome["decision"] = decision_from_json(outcome["decision"])
    return report
