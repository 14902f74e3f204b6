"""The planning job and backtests on data frames: conversion around `forestock::plan::run_plan`
and `forestock::backtest::backtest` (the GIL is released while the core works)."""

from __future__ import annotations

import decimal
import math
import warnings
from typing import Any

import numpy as np

from . import _native
from ._convert import as_levels, as_series, invalid_parameter, level_key
from ._frame import RegularSeries, model_spec, as_pandas, is_polars, regular_series, to_polars
from ._events import future_events, past_labels
from ._warnings import warn_unused_by_series

#: Columns of the recommendations frame taken from each SKU plan (besides the recommendation).
_PLAN_COLUMNS = ("abc_class", "usage_rank", "demand_pattern", "model", "model_reason", "service_level")
#: Columns added when the plan cleans anomalies: the number flagged and their 0-based positions.
_ANOMALY_COLUMNS = ("anomalies", "anomaly_index")


def _anomaly_cells(plan: dict[str, Any]) -> dict[str, Any]:
    flags = plan.get("anomalies", [])
    return {"anomalies": len(flags), "anomaly_index": [a["index"] for a in flags]}


def _cell(value: Any) -> Any:
    """One item-master cell as a JSON value: numbers stay numbers, missing cells (None, NaN, NaT)
    become None so the core's default applies, ±inf becomes the text "inf"/"-inf" (JSON has no
    infinity; the core rejects it for that SKU), decimals (database drivers) become floats; text
    is passed as is (the core reads numbers given as text, with a note, and rejects the rest)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return value if math.isfinite(value) else repr(value)
    try:
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency of the frame API
        pass
    return str(value)


def items_records(items_df: Any, id_col: str) -> tuple[list[dict[str, Any]], str]:
    """Item master rows (pandas or polars frame) as JSON-ready records with the frame's own column
    names, and the name of the SKU column (`id_col`, else 'sku'). Ids are text (None if missing)."""
    if not hasattr(items_df, "columns"):
        raise invalid_parameter("items_df", f"expected a pandas or polars DataFrame, got {type(items_df).__name__}")
    columns = [str(c) for c in items_df.columns]
    key = id_col if id_col in columns else "sku"
    if key not in columns:
        raise invalid_parameter("items_df", f"item frame lacks the SKU column ({id_col!r} or 'sku')")
    rows = items_df.to_dicts() if is_polars(items_df) else items_df.to_dict(orient="records")
    records = []
    for row in rows:
        clean = {str(name): _cell(value) for name, value in row.items()}
        if clean[key] is not None:
            clean[key] = str(clean[key])
        records.append(clean)
    return records, key


def _demand_series(demand_df: Any, id_col: str, time_col: str, target_col: str) -> tuple[Any, list[int], list[tuple[str, str, int, int]]]:
    """The demand frame without the rows that cannot be attached to one period of one series:
    ``(frame, missing_id_rows, duplicate_periods)``, rows 1-based in the caller's frame. Rows
    without an id are dropped; a SKU with two rows for one period is dropped whole and reported
    as ``(sku, period, first_row, row)`` (the core fails that SKU)."""
    work = as_pandas(demand_df, (id_col, time_col, target_col)).reset_index(drop=True)
    missing = work[id_col].isna().to_numpy()
    missing_rows = (np.flatnonzero(missing) + 1).tolist()
    if missing.any():
        work = work[~missing]
    later = work.duplicated([id_col, time_col], keep="first").to_numpy()
    duplicates: list[tuple[str, str, int, int]] = []
    if later.any():
        ids = work[id_col].to_numpy()
        ds = work[time_col].to_numpy()
        positions = work.index.to_numpy()
        seen: set[Any] = set()
        for i in np.flatnonzero(later):
            sku = ids[i]
            if sku in seen:
                continue
            seen.add(sku)
            first = int(np.flatnonzero((ids == sku) & (ds == ds[i]))[0])
            duplicates.append((str(sku), str(ds[i]), int(positions[first]) + 1, int(positions[i]) + 1))
        work = work[~work[id_col].isin(list(seen))]
    return work, missing_rows, duplicates


def _warn_if_alarming(out: dict[str, Any], stacklevel: int) -> None:
    """Warn (RuntimeWarning) when the core calls the run degraded or failed, and about values the
    core accepted after a conversion."""
    stats = out["stats"]
    if stats["status"] != "ok":
        codes = sorted(stats["failures_by_code"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        example = f"; e.g. {out['failures'][0]['message']}" if out["failures"] else ""
        warnings.warn(
            f"fs.plan: run {stats['status']}: {stats['planned']} of {stats['skus']} SKUs planned, "
            f"{stats['failed']} failed (top error codes: "
            + (", ".join(f"{code} x{n}" for code, n in codes) or "none")
            + f"){example}",
            RuntimeWarning,
            stacklevel=stacklevel + 1,
        )
    for note in out["notes"]:
        warnings.warn(f"fs.plan: {note}", RuntimeWarning, stacklevel=stacklevel + 1)


def frames(rows: list[dict[str, Any]], columns: list[str], polars: bool) -> Any:
    """Rows as a pandas or polars frame; `columns` name the columns of an empty result."""
    if polars:
        import polars as pl

        if not rows:
            return pl.DataFrame(schema={c: pl.String for c in columns})
        return pl.DataFrame(rows, infer_schema_length=None)
    import pandas as pd

    return pd.DataFrame(rows, columns=columns if not rows else None)


def _float_or_nan(value: Any) -> float:
    """An optional number of the core as a float (None -> NaN)."""
    return float("nan") if value is None else float(value)


def _forecast_frame(
    plans: list[dict[str, Any]], regular: RegularSeries, horizon: int, id_col: str, time_col: str, like: Any
) -> Any:
    """The planned SKUs' forecasts as `fs.forecast` returns them: unique_id, ds (continuing from the
    catalogue's last period), mean, lo-<level>, hi-<level>; polars when `like` (the demand frame) is."""
    import pandas as pd

    position = {str(i): k for k, i in enumerate(regular.ids)}
    rows = np.array([position[p["sku"]] for p in plans], dtype=np.int64)
    future = regular.future(horizon)
    columns: dict[str, Any] = {
        id_col: np.repeat(np.asarray(regular.ids)[rows], horizon),
        time_col: future[rows].ravel(),
        "mean": np.array([p["forecast"]["mean"] for p in plans], dtype=np.float64).reshape(-1),
    }
    levels = plans[0]["forecast"]["intervals"] if plans else []
    for k, interval in enumerate(levels):
        key = level_key(interval["level"])
        columns[f"lo-{key}"] = np.array([p["forecast"]["intervals"][k]["lower"] for p in plans]).reshape(-1)
        columns[f"hi-{key}"] = np.array([p["forecast"]["intervals"][k]["upper"] for p in plans]).reshape(-1)
    frame = pd.DataFrame(columns)
    return to_polars(frame, like) if is_polars(like) else frame


def plan(
    demand_df: Any,
    items_df: Any,
    horizon: int = 4,
    season_length: int | list[int] = 52,
    level: Any = (80, 95),
    *,
    model: Any = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    return_stats: bool = False,
    return_forecasts: bool = False,
    fill_gaps: bool = True,
    catalogue_end: Any = None,
    progress: Any = None,
    clean_anomalies: str | None = None,
    events: Any = None,
    **config: Any,
) -> Any:
    """Run the planning job: forecast every SKU, classify the catalogue, recommend orders.

    `demand_df` is a long frame (`unique_id`, `ds`, `y`), pandas or polars; the frames returned
    are of the same kind. `items_df` (pandas or polars) has one row per SKU with the
    columns of the core's `ItemMaster`: `unique_id` (or `sku`), `unit_cost` and `lead_time` are
    required; `lead_time_sd`, `review_period`, `on_hand`, `on_order`, `backorders`, `moq`,
    `lot_size`, `max_order`, `ordering_cost`, `holding_cost_rate`, `service_level` are optional,
    and absent columns or empty cells take the core's defaults (`ItemMaster::new`: nothing on hand,
    review every period, lot size 1, holding cost 25% a year spread over `periods_per_year`, the
    ABC class's service level). Other columns are ignored. The model defaults to the core's
    `AutoModel(season_length)`; pass a model object or spec name to override (a spec name such as
    ``"seasonal_naive"`` takes `season_length`). Further `PlanConfig`
    fields (`periods_per_year`, `abc`, `service_levels`, `sizing`) go as keywords.

    One bad row fails its own SKU, never the call: a second item row for a SKU, a cell that is
    not a valid number (NaN/inf where a value is required, negative, text that is not a number),
    a demand row without an id, or two demand rows for one (`unique_id`, `ds`) put that SKU (or
    row) in `failures` with the row and the column named; the SKU is not planned. Numbers given
    as text (``"5.00"``) are read as numbers with a RuntimeWarning. When the core calls the run
    degraded (more than half of the SKUs failed) or failed (none planned), a RuntimeWarning gives
    the counts and the most frequent error codes; ``stats["status"]`` says which.

    Returns ``(recommendations, failures)``: one row per planned SKU (unique_id, abc_class,
    demand_pattern, model, service_level and the core `Recommendation` fields), sorted as the
    core returns them; and a frame unique_id, code, message of the SKUs that could not be planned.
    ``recommendations.attrs["stats"]`` (pandas) holds the run statistics; ``return_stats=True``
    returns ``(recommendations, failures, stats)`` for either kind of frame.
    ``return_forecasts=True`` also returns the forecast each planned SKU's order was sized from, as
    `fs.forecast` lays it out (unique_id, ds, mean, lo-<level>, hi-<level>, `horizon` rows per SKU,
    dates continuing from the catalogue's last period), right after ``failures``:
    ``(recommendations, failures, forecasts)``, or ``(recommendations, failures, forecasts, stats)``
    with both flags.

    Dated rows as users have them: periods without a demand row (a sales export that leaves out
    zero-sales periods) are found at the frame's frequency and filled with zeros, with a
    `FilledGapsWarning` (its ``gaps``, and ``recommendations.attrs["gaps"]`` for pandas, list them); every
    SKU's history runs to the frame's last period. ``fill_gaps=False`` raises `MissingDataError`
    naming the SKU and its first missing period instead. `catalogue_end`: the whole catalogue's last
    `ds` when `demand_df` is one part of it (a partition), so dated histories run to it. Lead times (and review periods) are in
    the demand's periods: a lead time over 26 periods (days given for weeks?) gets a RuntimeWarning.
    ``periods_until_stockout`` counts the demand's periods (``days_until_stockout`` is the same
    number under its old name, kept for compatibility and deprecated).

    `progress(done, total)` (optional) is called on the calling thread about every 50 ms while the
    SKUs are forecast, with the number done, and once more with ``(total, total)`` at the end; an
    exception it raises stops the run and is raised here (as Ctrl-C does).

    `clean_anomalies` (`PlanConfig::clean_anomalies`): ``"replace"``, ``"leave_out"`` or ``"keep"``
    cleans each SKU's history with `fs.detect_anomalies` (the model's season) before the fit:
    flagged points take the detector's replacement, or are left out and refilled by R's
    `na.interp`, or are kept (only reported). The recommendations then carry ``anomalies`` (the
    number flagged) and ``anomaly_index`` (their 0-based positions in the history) columns, and
    ``stats["anomalies_flagged"]`` the total. ``None`` (default) fits the history as given.

    Known events (core `forestock::events`, docs/events.md): an `event` column in `demand_df`
    labels past periods, which are replaced by the baseline before fitting; `events` is a frame of
    future events (`ds`, `event`, optional `unique_id` and `uplift`, as in `fs.forecast`). The
    forecast over the horizon and the protection period (review period + lead time) carries them,
    so an event there raises the order. ``recommendations.attrs["events"]`` (pandas) lists the
    events applied per SKU (unique_id, period, event, uplift, spread, source). An event error fails
    its SKU alone (in `failures`, naming the event).
    """
    result, _ = plan_with_audit(
        demand_df,
        items_df,
        horizon,
        season_length,
        level,
        model=model,
        id_col=id_col,
        time_col=time_col,
        target_col=target_col,
        return_stats=return_stats,
        return_forecasts=return_forecasts,
        fill_gaps=fill_gaps,
        catalogue_end=catalogue_end,
        progress=progress,
        stacklevel=3,
        clean_anomalies=clean_anomalies,
        events=events,
        **config,
    )
    return result


def plan_with_audit(
    demand_df: Any,
    items_df: Any,
    horizon: int = 4,
    season_length: int | list[int] = 52,
    level: Any = (80, 95),
    *,
    model: Any = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    return_stats: bool = False,
    return_forecasts: bool = False,
    fill_gaps: bool = True,
    catalogue_end: Any = None,
    progress: Any = None,
    stacklevel: int = 2,
    clean_anomalies: str | None = None,
    events: Any = None,
    **config: Any,
) -> tuple[Any, list[dict[str, Any]]]:
    """`plan` and the core's audit records of the run (kind and payload, `PlanOutput::audit_entries`),
    which the daily job appends; warnings point `stacklevel` frames up."""
    # A model named by text takes the plan's season_length (a model without a season ignores it);
    # a model object carries its own settings.
    spec = (
        {"model": "auto_model", "season_length": season_length}
        if model is None
        else model_spec(model, {"season_length": season_length} if isinstance(model, str) else {})
    )
    cfg = {"horizon": horizon, "levels": as_levels(level), "model": spec, **config}
    if clean_anomalies is not None:
        cfg["clean_anomalies"] = clean_anomalies

    demand, missing_id_rows, duplicate_periods = _demand_series(demand_df, id_col, time_col, target_col)
    regular = regular_series(demand, id_col, time_col, target_col, fill_gaps, catalogue_end)
    ids, y, offsets = regular.ids, regular.y, regular.offsets
    records, key = items_records(items_df, id_col)
    past = past_labels(demand_df, id_col, time_col, regular, catalogue_end)
    plan_events = None
    if past is not None or events is not None:
        plan_events = (
            {
                "season_length": season_length,
                "past": {str(sku): labels for sku, labels in zip(ids, past)} if past is not None else {},
                "future": future_events(events, regular, horizon, id_col, time_col),
            }
        )
    out = (
        _native.plan(
            [str(i) for i in ids],
            y,
            offsets,
            records,
            cfg,
            key,
            time_col,
            missing_id_rows,
            duplicate_periods,
            progress,
            plan_events,
        )
    )
    regular.warn("fs.plan", stacklevel=stacklevel)
    _warn_if_alarming(out, stacklevel)
    unused = [(p["sku"], u["period"], u["reason"]) for p in out["plans"] for u in p.get("unused_periods", [])]
    warn_unused_by_series(unused, len(out["plans"]), "fs.plan", stacklevel=stacklevel)
    rows = [
        {
            id_col: p["sku"],
            **{k: p[k] for k in _PLAN_COLUMNS},
            **p["recommendation"],
            # A number column whatever the sizing: an EOQ the core could not size (no ordering
            # cost) is NaN, not None, so the column is float64 rather than object.
            "eoq": _float_or_nan(p["recommendation"].get("eoq")),
            # Deprecated name of periods_until_stockout (a count of the demand's periods, not of days).
            "days_until_stockout": p["recommendation"]["periods_until_stockout"],
            **(_anomaly_cells(p) if clean_anomalies is not None else {}),
        }
        for p in out["plans"]
    ]
    polars = is_polars(demand_df)
    leading = [id_col, *_PLAN_COLUMNS, *(_ANOMALY_COLUMNS if clean_anomalies is not None else ())]
    recommendations = frames(rows, leading, polars)
    failures = frames(
        [{id_col: f["sku"] or None, "code": f["code"], "message": f["message"]} for f in out["failures"]],
        [id_col, "code", "message"],
        polars,
    )
    if not polars:
        recommendations.attrs["stats"] = out["stats"]
        recommendations.attrs["gaps"] = [
            {id_col: g["unique_id"], "missing": g["missing"], "first_missing": g["first_missing"]} for g in regular.gaps
        ]
        if plan_events is not None:
            recommendations.attrs["events"] = [{id_col: p["sku"], **e} for p in out["plans"] for e in p.get("events", [])]
        recommendations.attrs["unused_periods"] = [
            {id_col: sku, "period": period, "reason": reason} for sku, period, reason in unused
        ]
        # An Ensemble model's members' forecasts per SKU (member name -> `horizon` values), which
        # `fs.record_actuals` stores with the demand once it is known (docs/feedback.md).
        recommendations.attrs["member_forecasts"] = {
            p["sku"]: p["member_forecasts"] for p in out["plans"] if p.get("member_forecasts")
        }
    result = (recommendations, failures)
    if return_forecasts:
        result += (_forecast_frame(out["plans"], regular, horizon, id_col, time_col, demand_df),)
    if return_stats:
        result += (out["stats"],)
    return result, out["audit"]


#: Columns of the frame `classify_catalogue` returns (besides the id column).
_CLASS_COLUMNS = ("abc_class", "usage_rank", "annual_value", "service_level")


def classify_catalogue(
    demand_df: Any,
    items_df: Any,
    *,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    fill_gaps: bool = True,
    **config: Any,
) -> tuple[Any, Any]:
    """The planner's ABC step alone, over a whole catalogue (core `plan::classify_catalogue`, the
    function Node's `classifyCatalogue` calls): for Dask, Ray or Spark users who plan in partitions
    but must rank every SKU against the whole catalogue.

    `demand_df` is a long frame (`unique_id`, `ds`, `y`; only the last `periods_per_year` periods
    of each series count); `items_df` has `unique_id` (or `sku`), `unit_cost` and optionally
    `service_level` (an empty cell: the class's level). `PlanConfig` fields `periods_per_year`,
    `abc` and `service_levels` go as keywords (core defaults otherwise).

    Returns ``(classes, failures)``: one row per classified SKU (unique_id, abc_class,
    usage_rank, annual_value, service_level: the item's override, else its class's), and a frame
    unique_id, code, message of the SKUs that could not be classified. The classes equal
    `forestock.plan`'s for the same SKUs when every SKU's forecast succeeds there. Periods without
    a row are filled with zeros (or raise with ``fill_gaps=False``) as in `forestock.plan`.
    """
    regular = regular_series(demand_df, id_col, time_col, target_col, fill_gaps)
    regular.warn("fs.classify_catalogue", stacklevel=2)
    ids, y, offsets = regular.ids, regular.y, regular.offsets
    if not hasattr(items_df, "columns"):
        raise invalid_parameter("items_df", f"expected a pandas or polars DataFrame, got {type(items_df).__name__}")
    present = [str(c) for c in items_df.columns]
    key = id_col if id_col in present else "sku"
    for column in (key, "unit_cost"):
        if column not in present:
            raise invalid_parameter("items_df", f"item frame lacks the {column!r} column")
    wanted = (key, "unit_cost", "service_level") if "service_level" in present else (key, "unit_cost")
    items = as_pandas(items_df, wanted)
    levels = items["service_level"] if "service_level" in present else np.full(len(items), np.nan)
    out = (
        _native.classify_catalogue(
            [str(i) for i in ids],
            y,
            offsets,
            [str(i) for i in items[key]],
            np.asarray(items["unit_cost"], dtype=np.float64),
            np.asarray(levels, dtype=np.float64),
            config,
        )
    )
    polars = is_polars(demand_df)
    classes = frames(
        [{id_col: c["sku"], **{k: c[k] for k in _CLASS_COLUMNS}} for c in out["classes"]], [id_col, *_CLASS_COLUMNS], polars
    )
    failures = frames(
        [{id_col: f["sku"] or None, "code": f["code"], "message": f["message"]} for f in out["failures"]],
        [id_col, "code", "message"],
        polars,
    )
    return classes, failures


def backtest(
    y: Any,
    model: Any,
    windows: int,
    step: int,
    horizon: int,
    level: Any = None,
    season_length: int | list[int] = 1,
) -> dict[str, Any]:
    """Rolling-origin backtest of `model` (object or spec name) on the series `y` (core
    `backtest::backtest`): `windows` origins `step` periods apart, each forecasting `horizon`
    periods; `season_length` scales MASE. Returns the core's `BacktestResult` as a dict:
    ``windows`` (origin, forecast, actual, errors, metrics), pooled ``metrics`` (mae, rmse,
    mape, smape, mase, bias) and interval ``coverage``.
    """
    spec = model_spec(model, {})
    config = {
        "windows": windows,
        "step": step,
        "horizon": horizon,
        "levels": as_levels(level),
        "season_length": season_length,
    }
    return _native.backtest(spec, as_series(y), config)
