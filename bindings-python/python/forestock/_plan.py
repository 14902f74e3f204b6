"""The planning job and backtests on data frames: conversion around `forestock::plan::run_plan`
and `forestock::backtest::backtest` (the GIL is released while the core works)."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from . import _native
from ._convert import as_levels, as_series, invalid_parameter, spec_json
from ._frame import _model_spec, concatenated_series, is_polars
from ._inventory import _json

#: Columns of the recommendations frame taken from each SKU plan (besides the recommendation).
_PLAN_COLUMNS = ("abc_class", "usage_rank", "demand_pattern", "model", "model_reason", "service_level")


def _items_records(items_df: Any, id_col: str) -> list[dict[str, Any]]:
    """Item master rows (pandas or polars frame) as dicts with the core's field names; missing
    (NaN/None/null) cells are dropped so the core's defaults apply."""
    if not hasattr(items_df, "columns"):
        raise invalid_parameter("items_df", f"expected a pandas or polars DataFrame, got {type(items_df).__name__}")
    columns = list(items_df.columns)
    key = id_col if id_col in columns else "sku"
    if key not in columns:
        raise invalid_parameter("items_df", f"item frame lacks the SKU column ({id_col!r} or 'sku')")
    rows = items_df.to_dicts() if is_polars(items_df) else items_df.to_dict(orient="records")
    records = []
    for row in rows:
        clean = {}
        for name, value in row.items():
            if isinstance(value, np.generic):
                value = value.item()
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            clean["sku" if name == key else str(name)] = str(value) if name == key else value
        records.append(clean)
    return records


def _frames(rows: list[dict[str, Any]], columns: list[str], polars: bool) -> Any:
    """Rows as a pandas or polars frame; `columns` name the columns of an empty result."""
    if polars:
        import polars as pl

        if not rows:
            return pl.DataFrame(schema={c: pl.String for c in columns})
        return pl.DataFrame(rows, infer_schema_length=None)
    import pandas as pd

    return pd.DataFrame(rows, columns=columns if not rows else None)


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
    **config: Any,
) -> Any:
    """Run the planning job: forecast every SKU, classify the catalogue, recommend orders.

    `demand_df` is a long frame (`unique_id`, `ds`, `y`), pandas or polars; the frames returned
    are of the same kind. `items_df` (pandas or polars) has one row per SKU with the
    columns of the core's `ItemMaster` (`unique_id` or `sku`, `unit_cost`, `lead_time`, and
    optionally `lead_time_sd`, `review_period`, `on_hand`, `on_order`, `backorders`, `moq`,
    `lot_size`, `max_order`, `ordering_cost`, `holding_cost_rate`, `service_level`; empty cells take
    the core's defaults). The model defaults to the core's `AutoModel(season_length)`; pass a model
    object or spec name to override. Further `PlanConfig` fields (`periods_per_year`, `abc`,
    `service_levels`, `sizing`) go as keywords.

    Returns ``(recommendations, failures)``: one row per planned SKU (unique_id, abc_class,
    demand_pattern, model, service_level and the core `Recommendation` fields), sorted as the
    core returns them; and a frame unique_id, code, message of the SKUs that could not be planned.
    ``recommendations.attrs["stats"]`` (pandas) holds the run statistics; ``return_stats=True``
    returns ``(recommendations, failures, stats)`` for either kind of frame.
    """
    spec = (
        {"model": "auto_model", "season_length": season_length}
        if model is None
        else _model_spec(model, {})
    )
    cfg = {"horizon": horizon, "levels": as_levels(level), "model": spec, **config}

    _, ids, _, y, offsets = concatenated_series(demand_df, id_col, time_col, target_col)
    out = json.loads(
        _native.plan(
            [str(i) for i in ids],
            y,
            offsets,
            _json(_items_records(items_df, id_col), "items"),
            spec_json(cfg),
        )
    )
    rows = [
        {id_col: p["sku"], **{k: p[k] for k in _PLAN_COLUMNS}, **p["recommendation"]} for p in out["plans"]
    ]
    polars = is_polars(demand_df)
    recommendations = _frames(rows, [id_col, *_PLAN_COLUMNS], polars)
    failures = _frames(
        [{id_col: f["sku"], "code": f["code"], "message": f["message"]} for f in out["failures"]],
        [id_col, "code", "message"],
        polars,
    )
    if not polars:
        recommendations.attrs["stats"] = out["stats"]
    if return_stats:
        return recommendations, failures, out["stats"]
    return recommendations, failures


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
    spec = _model_spec(model, {})
    config = {
        "windows": windows,
        "step": step,
        "horizon": horizon,
        "levels": as_levels(level),
        "season_length": season_length,
    }
    return json.loads(_native.backtest(spec_json(spec), as_series(y), spec_json(config)))
