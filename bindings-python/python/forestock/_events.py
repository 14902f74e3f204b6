"""Known events on data frames: conversion of a demand frame's `event` column and of a frame of
future events into the core's `forestock::events` inputs (labels per period, events by forecast
period). The rules (baseline, uplift, intervals) are the core's; nothing here computes them."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _native
from ._convert import invalid_parameter
from ._frame import RegularSeries, ds_ticks, as_pandas, regular_series

#: Name of the optional column of past event labels in a demand frame.
EVENT_COL = "event"


def _normalized_labels(column: Any, id_values: Any) -> Any:
    """The `event` column with every "no event" cell (None, NaN, "") as None; any other non-text
    cell raises `InvalidParameterError` naming the column and the series of the first bad row."""
    import pandas as pd

    values = column.astype(object).where(column.notna(), None).to_numpy()
    for row, value in enumerate(values):
        if value is None or isinstance(value, str):
            continue
        raise invalid_parameter(
            EVENT_COL,
            f"series {id_values[row]!r}: column {EVENT_COL!r} must hold event names (str) or None/NaN/'' "
            f"for no event, got {value!r} at row {row + 1}",
        )
    values = np.array([None if v == "" else v for v in values], dtype=object)
    return pd.Series(values, index=column.index, dtype=object)


def past_labels(
    df: Any, id_col: str, time_col: str, regular: RegularSeries, catalogue_end: Any
) -> list[list[str | None]] | None:
    """One label per period of each regularized series (the order of `regular.ids`), or None when
    `df` has no `event` column. The labels ride through the core's `regularize` as codes (0 = no
    event), so they land on the same grid as `y` and a filled gap has no event."""
    import pandas as pd

    if EVENT_COL not in [str(c) for c in df.columns]:
        return None
    work = as_pandas(df, (id_col, time_col, EVENT_COL)).reset_index(drop=True)
    work = work[work[id_col].notna()]
    labels = _normalized_labels(work[EVENT_COL], work[id_col].to_numpy())
    codes, names = pd.factorize(labels, use_na_sentinel=True)
    coded = pd.DataFrame(
        {id_col: work[id_col].reset_index(drop=True), time_col: work[time_col].reset_index(drop=True), "code": codes + 1.0}
    )
    coded = coded.drop_duplicates([id_col, time_col], keep="first")
    grid = regular_series(coded, id_col, time_col, "code", True, catalogue_end)
    position = {str(i): k for k, i in enumerate(grid.ids)}
    names = list(names)
    out: list[list[str | None]] = []
    for sku in regular.ids:
        k = position.get(str(sku))
        if k is None:
            out.append([])
            continue
        series = grid.y[grid.offsets[k] : grid.offsets[k + 1]]
        out.append([None if c <= 0 else names[int(c) - 1] for c in series])
    return out


def _future_ticks(regular: RegularSeries, h: int) -> np.ndarray:
    """The core ticks of the `h` periods after each series' end, shape (series, h)."""
    ends = np.ascontiguousarray(regular.ends, dtype=np.int64)
    flat = np.asarray(_native.future_periods(regular.frequency, ends, h))
    return flat.reshape(len(ends), h)


#: Longest run of future periods searched for event dates (the core's horizon limit is higher; an
#: event further out than this is not applied).
_MAX_EVENT_PERIODS = 10_000


def future_events(
    events: Any, regular: RegularSeries, h: int, id_col: str, time_col: str
) -> list[dict[str, Any]]:
    """The rows of the future-events frame (`ds`, `event`, optional `unique_id`, optional `uplift`)
    as core records `{sku, period, event, uplift}` (sku None = every series; period 1 = the first
    forecast period of that series). Rows whose `ds` is not among a series' next periods (searched
    up to at least `h` periods ahead, and as far as the latest event date) are left out for it."""
    if events is None:
        return []
    if not hasattr(events, "columns"):
        raise invalid_parameter("events", f"events must be a data frame (ds, event[, unique_id, uplift]), got {type(events).__name__}")
    columns = [str(c) for c in events.columns]
    for needed in (time_col, EVENT_COL):
        if needed not in columns:
            raise invalid_parameter("events", f"the events frame lacks the column {needed!r}")
    wanted = tuple(c for c in (id_col, time_col, EVENT_COL, "uplift") if c in columns)
    frame = as_pandas(events, wanted).reset_index(drop=True)
    if len(frame) == 0:
        return []
    unknown = [c for c in columns if c not in (id_col, time_col, EVENT_COL, "uplift")]
    if unknown:
        raise invalid_parameter("events", f"the events frame has unknown column(s) {unknown}; expected {time_col}, {EVENT_COL}, {id_col}, uplift")
    ticks, _ = ds_ticks(frame[time_col], time_col)
    names = frame[EVENT_COL].to_numpy(dtype=object)
    ids = frame[id_col].to_numpy(dtype=object) if id_col in frame.columns else np.full(len(frame), None, dtype=object)
    uplifts = frame["uplift"].to_numpy(dtype=object) if "uplift" in frame.columns else np.full(len(frame), None, dtype=object)
    horizon = max(h, 1)
    grid = _future_ticks(regular, horizon)
    while horizon < _MAX_EVENT_PERIODS and grid.size and grid[:, -1].min() < ticks.max():
        horizon = min(horizon * 2, _MAX_EVENT_PERIODS)
        grid = _future_ticks(regular, horizon)
    lookup = [{int(t): k + 1 for k, t in enumerate(row)} for row in grid]
    position = {str(i): k for k, i in enumerate(regular.ids)}
    records: list[dict[str, Any]] = []
    for row in range(len(frame)):
        name = names[row]
        if not isinstance(name, str) or name == "":
            raise invalid_parameter(EVENT_COL, f"events row {row + 1}: {EVENT_COL!r} must be an event name, got {name!r}")
        uplift = uplifts[row]
        if uplift is not None and not isinstance(uplift, (int, float, np.integer, np.floating)) or isinstance(uplift, bool):
            raise invalid_parameter("uplift", f"events row {row + 1} ({name!r}): uplift must be a number, got {uplift!r}")
        uplift = None if uplift is None or np.isnan(uplift) else float(uplift)
        if uplift is not None and not np.isfinite(uplift):
            # JSON cannot carry infinity to the core, which rejects it anyway (finite factors only).
            who = f"series {ids[row]!r}" if ids[row] is not None else f"events row {row + 1}"
            raise invalid_parameter("uplift", f"{who}, event {name!r}: uplift must be a finite factor >= 0, got {uplift!r}")
        targets = range(len(regular.ids)) if ids[row] is None or ids[row] != ids[row] else [position.get(str(ids[row]))]
        for k in targets:
            if k is None:
                continue
            period = lookup[k].get(int(ticks[row]))
            if period is not None:
                records.append({"sku": str(regular.ids[k]), "period": period, "event": name, "uplift": uplift})
    return records


def series_events(past: list[list[str | None]] | None, future: list[dict[str, Any]], ids: Any) -> list[dict[str, Any]]:
    """Per-series `SeriesEvents` records (past labels, future events) in the order of `ids`."""
    by_sku: dict[str, list[dict[str, Any]]] = {}
    for record in future:
        by_sku.setdefault(record["sku"], []).append(
            {"period": record["period"], "event": record["event"], "uplift": record["uplift"]}
        )
    return [
        {"past": past[k] if past is not None else [], "future": by_sku.get(str(sku), [])} for k, sku in enumerate(ids)
    ]


def applied_rows(applied: list[dict[str, Any]], sku: Any, future_ds: Any, id_col: str, time_col: str) -> list[dict[str, Any]]:
    """The core's applied events of one series as rows: unique_id, ds (the period's date when it is
    within `future_ds`), period, event, uplift, spread, source."""
    rows = []
    for a in applied:
        k = a["period"] - 1
        ds = future_ds[k] if 0 <= k < len(future_ds) else None
        rows.append({id_col: sku, time_col: ds, **a})
    return rows


__all__ = ["EVENT_COL", "past_labels", "future_events", "series_events", "applied_rows"]
