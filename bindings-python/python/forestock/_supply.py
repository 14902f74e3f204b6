"""Supply functions: conversion around the core's `forestock::inventory::receipts` (lead times learned
from receipts) and `forestock::inventory::purchase_orders` (one order per supplier).

Types only: the core owns every rule and number (outlier fences, shrinkage, pack rounding, top-up).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import numpy as np

from . import _native
from ._convert import invalid_parameter
from ._frame import is_polars
from ._plan import frames, items_records

#: Columns of each part of the lead-time report (for empty frames).
_REPORT_COLUMNS = {
    "estimates": ["sku", "supplier", "receipts", "raw_mean", "raw_sd", "credibility", "mean", "sd"],
    "suppliers": ["supplier", "receipts", "mean", "sd", "median", "mad", "lower_fence", "upper_fence"],
    "outliers": ["row", "sku", "supplier", "lead_time", "reason"],
    "rejected": ["row", "field", "code", "message"],
}

#: Columns of the purchase-order lines frame.
_LINE_COLUMNS = [
    "supplier", "sku", "quantity", "recommended_quantity", "top_up_quantity", "pack_size", "unit_cost",
    "value", "periods_until_stockout", "reason",
]


def _cell(value: Any) -> Any:
    """One cell as a JSON value: numpy scalars unwrapped, missing values as None, dates as
    ``YYYY-MM-DD`` (the core reads a stamp as a period number or a calendar date)."""
    if isinstance(value, np.datetime64):
        value = None if np.isnat(value) else value.astype("datetime64[D]").item()
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ == "NaTType":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(data: Any, name: str) -> list[dict[str, Any]]:
    """A pandas/polars frame or a list of dicts as a list of plain dicts."""
    if hasattr(data, "columns"):
        rows = data.to_dicts() if is_polars(data) else data.to_dict(orient="records")
    elif isinstance(data, (list, tuple)):
        rows = list(data)
    else:
        raise invalid_parameter(name, f"{name} must be a pandas/polars DataFrame or a list of dicts")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise invalid_parameter(name, f"{name}[{i}] must be a dict, got {type(row).__name__}")
        out.append({str(k): _cell(v) for k, v in row.items()})
    return out


def _item_records(items: Any) -> list[dict[str, Any]]:
    """Item master rows (frame or dicts) with missing cells dropped, so the core's defaults apply."""
    if hasattr(items, "columns"):
        records, key = items_records(items, "unique_id")
        return [{("sku" if k == key else k): v for k, v in row.items() if v is not None} for row in records]
    return [{k: v for k, v in row.items() if v is not None} for row in _rows(items, "items")]


def lead_times_from_receipts(
    receipts: Any,
    *,
    items: Any = None,
    days_per_period: float = 1.0,
    credibility_k: float = 3.0,
    outlier_mads: float = 3.5,
    min_relative_spread: float = 0.1,
    min_receipts_for_outliers: int = 5,
) -> dict[str, Any]:
    """Lead-time mean and sd per (SKU, supplier) learned from purchase-order receipts (core
    `inventory::receipts`; rules and formulas in docs/inventory.md).

    `receipts` is a pandas/polars frame or a list of dicts with `sku`, `supplier`, `ordered_at`,
    `received_at` (period numbers, or dates: datetime columns, `date` objects or ``"YYYY-MM-DD"``
    text; date differences are divided by `days_per_period`) and `quantity`. A bad line never raises:
    it is listed under ``"rejected"`` with its 1-based row and field.

    Returns a dict with ``"estimates"``, ``"suppliers"``, ``"outliers"`` and ``"rejected"``: frames of
    the same kind as `receipts`, or lists of dicts for a list input. With `items` (item master frame
    or records), also ``"items"`` (the items with `lead_time` and `lead_time_sd` filled from the
    estimates, same kind as `items`) and ``"fill"`` (``filled`` SKUs, ``without_estimate`` with reasons).
    """
    config = {
        "days_per_period": days_per_period,
        "credibility_k": credibility_k,
        "outlier_mads": outlier_mads,
        "min_relative_spread": min_relative_spread,
        "min_receipts_for_outliers": min_receipts_for_outliers,
    }
    item_records = None
    if items is not None:
        item_records = _item_records(items)
    out = (
        _native.lead_times_from_receipts(
            _rows(receipts, "receipts"),
            config,
            item_records,
        )
    )
    report = out["report"]
    if hasattr(receipts, "columns"):
        polars = is_polars(receipts)
        report = {k: frames(report[k], cols, polars) for k, cols in _REPORT_COLUMNS.items()}
    if items is not None:
        filled = out["items"]
        if hasattr(items, "columns"):
            filled = frames(filled, ["sku"], is_polars(items))
        report["items"] = filled
        report["fill"] = out["fill"]
    return report


def _needs(plan_result: Any) -> tuple[list[dict[str, Any]], Any]:
    """The planned SKUs' recommendations (the frame of `fs.plan`, its return tuple, or records)."""
    if isinstance(plan_result, tuple) and plan_result and hasattr(plan_result[0], "columns"):
        plan_result = plan_result[0]
    rows = _rows(plan_result, "plan_result")
    needs = []
    for row in rows:
        if "sku" not in row and "unique_id" in row:
            row["sku"] = row.pop("unique_id")
        if "periods_until_stockout" in row:  # fs.plan's frame also has the deprecated old name
            row.pop("days_until_stockout", None)
        if row.get("sku") is not None:
            row["sku"] = str(row["sku"])
        needs.append(row)
    return needs, plan_result


def purchase_orders(plan_result: Any, suppliers: Any, items: Any) -> dict[str, Any]:
    """Group the day's recommendations into one purchase order per supplier (core
    `inventory::purchase_orders`): pack sizes, MOQ, each item's maximum, and a top-up to the
    supplier's minimum order value / free-freight threshold by bringing forward the items due soonest.

    `plan_result` is what `fs.plan` returned (the tuple or its recommendations frame) or a list of
    dicts with `sku`, `order_quantity`, `periods_until_stockout`, `inventory_position`, `reorder_point`.
    `suppliers` is a frame or list of dicts with `id`, `min_order_value` and optionally
    `free_freight_threshold`. `items` is the item master (frame or records) with a `supplier` column;
    it gives each SKU its supplier, unit cost, `lot_size` (pack), `moq` and `max_order`.

    Returns the core's report as a dict: ``"orders"`` (per supplier: lines with quantity, reason and
    value, totals, ``meets_min_order_value``, ``shortfall``, ``note``; items without a supplier in the
    order whose ``supplier`` is None), ``"failures"`` (SKUs that could not be ordered, with reasons)
    and ``"lines"``: every line with its supplier as one frame (pandas, or polars for polars input).
    """
    needs, frame = _needs(plan_result)
    item_records = _item_records(items)
    supplier_records = _rows(suppliers, "suppliers")
    report = (
        _native.purchase_orders(
            needs, item_records, supplier_records
        )
    )
    lines = [{"supplier": o["supplier"], **line} for o in report["orders"] for line in o["lines"]]
    report["lines"] = frames(lines, _LINE_COLUMNS, is_polars(frame))
    return report
