"""Anomaly detection and R-compatible outlier functions: argument conversion around
`forestock::anomaly` (the rules and numbers live in the Rust core; see docs/anomalies.md)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _native
from ._convert import as_integer, as_series
from ._frame import as_pandas, is_polars, to_polars

_FRAME_COLUMNS = ("unique_id", "ds", "y")


def _season(season_length: Any) -> int:
    return as_integer(season_length, "season_length")


def _report(y: Any, season_length: int) -> dict[str, Any]:
    return _native.detect_anomalies(as_series(y, "y"), season_length)


def detect_anomalies(data: Any, season_length: int = 1) -> Any:
    """Spikes and dips found by forestock's default detector.

    With a 1-D series `data`: a dict of ``index`` (int64 array, 0-based), ``score`` (signed robust
    SDs), ``reason`` (list of str), ``replacement`` (suggested values), ``kind`` ("spike"/"dip"),
    ``value`` (the observed values) and ``report`` (the core's full report: regime, scale, ...).

    With a long data frame (pandas or polars, columns ``unique_id, ds, y``): a frame of the same
    kind with one row per flag: ``unique_id, ds, y, score, reason, replacement``; each series is
    taken in ``ds`` order.
    """
    m = _season(season_length)
    if hasattr(data, "columns"):
        return _detect_frame(data, m)
    report = _report(data, m)
    flags = report["anomalies"]
    return {
        "index": np.array([a["index"] for a in flags], dtype=np.int64),
        "score": np.array([a["score"] for a in flags], dtype=np.float64),
        "reason": [a["reason"] for a in flags],
        "replacement": np.array([a["replacement"] for a in flags], dtype=np.float64),
        "kind": [a["kind"] for a in flags],
        "value": np.array([a["value"] for a in flags], dtype=np.float64),
        "report": report,
    }


def _detect_frame(df: Any, season_length: int) -> Any:
    import pandas as pd

    frame = as_pandas(df, _FRAME_COLUMNS).sort_values(["unique_id", "ds"], kind="stable")
    rows: dict[str, list[Any]] = {name: [] for name in ("unique_id", "ds", "y", "score", "reason", "replacement")}
    for uid, group in frame.groupby("unique_id", sort=True, observed=True):
        ds = group["ds"].to_numpy()
        try:
            flags = _report(group["y"].to_numpy(), season_length)["anomalies"]
        except _native.ForestockError as exc:
            raise type(exc)(f"series {uid!r}: {exc}") from exc
        for a in flags:
            rows["unique_id"].append(uid)
            rows["ds"].append(ds[a["index"]])
            rows["y"].append(a["value"])
            rows["score"].append(a["score"])
            rows["reason"].append(a["reason"])
            rows["replacement"].append(a["replacement"])
    out = pd.DataFrame(rows)
    if not rows["ds"]:
        out["ds"] = out["ds"].astype(frame["ds"].dtype)
        out["unique_id"] = out["unique_id"].astype(frame["unique_id"].dtype)
    for name in ("y", "score", "replacement"):
        out[name] = out[name].astype(np.float64)
    return to_polars(out, df) if is_polars(df) else out


def tsoutliers(y: Any, season_length: int = 1) -> dict[str, Any]:
    """R forecast 8.20 ``tsoutliers(y)`` (NaN = missing): ``index`` (0-based int64 array) and
    ``replacements``. A seasonal series (``season_length > 1`` and more than two seasons) is
    seasonally adjusted by a robust MSTL first, as R does (see docs/anomalies.md)."""
    result = _native.tsoutliers(as_series(y, "y"), _season(season_length))
    return {
        "index": np.array(result["index"], dtype=np.int64),
        "replacements": np.array(result["replacements"], dtype=np.float64),
    }


def na_interp(y: Any, season_length: int = 1) -> np.ndarray:
    """R forecast 8.20 ``na.interp(y)``: `y` with its NaN filled (linear interpolation for a
    non-seasonal series; for a seasonal one, a Fourier + polynomial regression refined by a robust
    MSTL, as R does)."""
    return _native.na_interp(as_series(y, "y"), _season(season_length))
