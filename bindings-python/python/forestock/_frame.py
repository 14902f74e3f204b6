"""`forecast(df, ...)`: many series in a long data frame, forecast in one native batch.

The frame (pandas or polars) is sorted by (unique_id, ds) unless it already is, its `y` column
handed to the core as one float64 array with series offsets, and the batch runs in Rust with the GIL
released. Every series is first put on the catalogue's grid by the core's gap rule
(`forestock::periods`, see `regular_series`): periods without a row are filled with zeros (with a
`FilledGapsWarning`) or raise (``fill_gaps=False``). Future `ds` values continue from the
catalogue's last period at its frequency. A series that fails is left out of the result and
reported in ``result.attrs["errors"]`` (pandas) or by ``return_errors=True`` (both kinds).

A polars frame is read column by column through numpy (zero-copy for numeric and datetime columns
without nulls) and the result is built back as a polars frame with the input's column dtypes.
polars is imported only when a polars frame is passed.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _native
from ._convert import as_horizon, as_levels, invalid_parameter, level_key
from ._models import Model
from ._warnings import FilledGapsWarning, warn_unused_by_series

if TYPE_CHECKING:
    import pandas as pd



def model_spec(model: Any, settings: dict[str, Any]) -> dict[str, Any]:
    settings = {k: v for k, v in settings.items() if v is not None}
    if isinstance(model, Model):
        if settings:
            raise invalid_parameter("model", f"pass settings to the model object, not to forecast(): {sorted(settings)}")
        return model.spec()
    if isinstance(model, str):
        return {"model": model, **settings}
    raise invalid_parameter("model", f"model must be a spec name such as 'seasonal_naive' or a forestock model, got {model!r}")


def is_polars(df: Any) -> bool:
    """Whether `df` is a polars DataFrame (checked without importing polars)."""
    return type(df).__module__.split(".")[0] == "polars" and hasattr(df, "get_column")


def check_columns(df: Any, columns: tuple[str, ...]) -> None:
    if not hasattr(df, "columns"):
        raise invalid_parameter("df", f"expected a pandas or polars DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in list(df.columns)]
    if missing:
        raise invalid_parameter("df", f"data frame lacks column(s) {missing}; expected {', '.join(columns)}")


def as_pandas(df: Any, columns: tuple[str, ...]) -> pd.DataFrame:
    """`df[columns]` as a pandas frame: a pandas frame as is, a polars frame through numpy
    (zero-copy for numeric and datetime columns without nulls; nulls become NaN / NaT / None)."""
    import pandas as pd

    check_columns(df, columns)
    if not is_polars(df):
        return df[list(columns)]
    data = {}
    for name in columns:
        column = df.get_column(name)
        zone = getattr(column.dtype, "time_zone", None)
        if zone is not None:  # numpy holds the UTC instants: give pandas back the zone
            utc = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None).to_numpy()
            data[name] = pd.Series(utc).dt.tz_localize("UTC").dt.tz_convert(zone)
        else:
            data[name] = column.to_numpy()
    return pd.DataFrame(data, copy=False)


def to_polars(frame: pd.DataFrame, like: Any) -> Any:
    """A pandas result frame as a polars frame; columns also in `like` (the polars input) take
    their dtypes from it (dates, integer widths, categorical ids, time zones)."""
    import polars as pl

    schema = dict(like.schema)
    columns = []
    for name in frame.columns:
        column = frame[name]
        if getattr(column.dtype, "tz", None) is not None:  # instants as naive UTC for numpy
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        values = column.to_numpy()
        if values.dtype.kind == "M" and np.datetime_data(values.dtype)[0] not in ("ms", "us", "ns"):
            values = values.astype("datetime64[us]")  # polars reads ms, us and ns from numpy
        dtype = schema.get(name)
        if dtype is not None and isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            naive = pl.Datetime(dtype.time_unit)
            series = pl.Series(name, values).cast(naive).dt.replace_time_zone("UTC").dt.convert_time_zone(dtype.time_zone)
        elif dtype is not None:
            series = pl.Series(name, values).cast(dtype)
        else:
            series = pl.Series(name, values)
        columns.append(series)
    return pl.DataFrame(columns)


def _polars_errors(errors: list[dict[str, Any]], id_dtype: Any) -> Any:
    import polars as pl

    rows = [{k: v.item() if isinstance(v, np.generic) else v for k, v in e.items()} for e in errors]
    schema = {"unique_id": id_dtype, "code": pl.String, "message": pl.String, "field": pl.String, "index": pl.Int64}
    return pl.DataFrame(rows, schema=schema)


def _is_sorted(codes: np.ndarray, uniques: Any, ds: np.ndarray) -> bool:
    """Whether rows are grouped by series in increasing id order and in time order within each.

    Decided on the factorized ids (``codes`` in order of appearance), so string ids are never
    compared row by row: rows are grouped iff the codes never decrease, the groups are in id order
    iff the (few) unique ids are, and time increases wherever the code stays the same."""
    if codes.size < 2:
        return True
    same = codes[1:] == codes[:-1]
    if not np.all(same | (codes[1:] > codes[:-1])):
        return False
    try:
        if not uniques.is_monotonic_increasing:
            return False
        return bool(np.all(~same | (ds[1:] > ds[:-1])))
    except TypeError:  # mixed id types or incomparable ds: let the sort report it
        return False


def _sorted_columns(
    df: pd.DataFrame, id_col: str, time_col: str, target_col: str
) -> tuple[pd.DataFrame, np.ndarray, Any, np.ndarray]:
    """The id, time and target columns sorted by (id, time), with the factorized ids and the
    time column as numpy: ``(frame, codes, uniques, ds)``. An already sorted frame is not copied."""
    import pandas as pd

    work = as_pandas(df, (id_col, time_col, target_col))
    if work[id_col].isna().any():
        row = int(np.flatnonzero(work[id_col].isna().to_numpy())[0])
        raise _native.InvalidRowError(f"row {row + 1}: missing {id_col}")
    if work[time_col].isna().any():
        row = int(np.flatnonzero(work[time_col].isna().to_numpy())[0])
        raise _native.InvalidRowError(f"row {row + 1}: missing {time_col}")
    codes, uniques = pd.factorize(work[id_col], sort=False)
    ds = work[time_col].to_numpy()
    if not _is_sorted(codes, uniques, ds):
        work = work.sort_values([id_col, time_col], kind="stable")
        codes, uniques = pd.factorize(work[id_col], sort=False)
        ds = work[time_col].to_numpy()
    return work, codes, uniques, ds


def _check_unique_timestamps(codes: np.ndarray, ds: np.ndarray, ids: np.ndarray) -> None:
    dup = np.flatnonzero((codes[1:] == codes[:-1]) & (ds[1:] == ds[:-1]))
    if dup.size:
        i = int(dup[0]) + 1
        raise _native.InvalidRowError(f"series {ids[codes[i]]!r} has two rows for ds = {ds[i]!r}")


def concatenated_series(
    df: pd.DataFrame, id_col: str, time_col: str, target_col: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A long frame as the native batch layout: ``(sorted frame, ids, ds, y, offsets)`` where
    series ``i`` is ``y[offsets[i]:offsets[i + 1]]`` (float64, contiguous)."""
    work, codes, uniques, ds = _sorted_columns(df, id_col, time_col, target_col)
    ids = np.asarray(uniques, dtype=object)
    _check_unique_timestamps(codes, ds, ids)
    try:
        y = work[target_col].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise _native.InvalidSeriesError(f"column {target_col!r} must be numeric: {exc}") from exc
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=len(ids)), out=offsets[1:])
    return work, ids, ds, np.ascontiguousarray(y), offsets


class RegularSeries:
    """A long frame on the catalogue's grid: ``ids``, the filled ``y`` with its ``offsets``, the
    ``gaps`` (dicts unique_id, missing, first_missing), and what `future` needs to continue the
    calendar (the core's frequency, where each series ends, the column's kind)."""

    def __init__(self, work: Any, ids: np.ndarray, raw: tuple[Any, ...], time_col: str, kind: tuple[str, Any]) -> None:
        y, offsets, gaps, frequency, ends, summary = raw
        self.work, self.ids, self.y, self.offsets = work, ids, y, offsets
        self.frequency, self.ends, self.summary = frequency, np.asarray(ends), summary
        self.axis, self._dtype = kind
        self.gaps = [
            {"unique_id": ids[pos], "missing": missing, "first_missing": self._to_ds(np.array([first]))[0]}
            for pos, missing, first in gaps
        ]

    def _to_ds(self, ticks: np.ndarray) -> Any:
        """Core `ds` values (periods or wall-clock seconds) back in the frame's own dtype."""
        import pandas as pd

        if self.axis == "periods":
            return ticks.astype(self._dtype)
        stamps = pd.to_datetime(ticks.astype("datetime64[s]")).as_unit("ns")
        tz = getattr(self._dtype, "tz", None)
        if tz is not None:
            return stamps.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        return stamps.to_numpy().astype(self._dtype)

    def ends_ds(self) -> Any:
        """Where each series ends (dates: the catalogue's last period), as the frame's `ds` dtype."""
        return self._to_ds(np.ascontiguousarray(self.ends, dtype=np.int64))

    def future(self, h: int) -> np.ndarray:
        """The `h` periods after each series' end, shape ``(series, h)``, as the frame's `ds` dtype."""
        flat = np.asarray(_native.future_periods(self.frequency, np.ascontiguousarray(self.ends, dtype=np.int64), h))
        return np.asarray(self._to_ds(flat)).reshape(len(self.ends), h)

    def warn(self, where: str, stacklevel: int) -> None:
        """One `FilledGapsWarning` when periods were filled."""
        if self.summary is not None:
            message = f"{where}: {self.summary}; pass fill_gaps=False to raise instead"
            warnings.warn(FilledGapsWarning(message, self.gaps), stacklevel=stacklevel + 1)


def ds_ticks(column: Any, time_col: str) -> tuple[np.ndarray, tuple[str, Any]]:
    """A sorted `ds` column as the core's int64 ticks with ``(axis, dtype)``: integers as periods,
    datetimes as wall-clock seconds (a zoned column by its local time, so days stay midnights)."""
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        wall = column.dt.tz_localize(None).to_numpy()
        return wall.astype("datetime64[s]").astype(np.int64), ("seconds", dtype)
    values = column.to_numpy()
    if np.issubdtype(values.dtype, np.integer):
        return values.astype(np.int64), ("periods", values.dtype)
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[s]").astype(np.int64), ("seconds", values.dtype)
    raise invalid_parameter(time_col, f"{time_col} must hold integers or datetimes, got dtype {values.dtype}")


def _catalogue_last(value: Any, column: Any, time_col: str) -> int | None:
    """`catalogue_end` as the core's ticks on the axis of the `ds` column (None: not given)."""
    import pandas as pd

    if value is None:
        return None
    try:
        one = pd.Series([value]).astype(column.dtype)
    except (TypeError, ValueError) as exc:
        raise invalid_parameter(
            "catalogue_end", f"catalogue_end must be a value of the {time_col} column's type, got {value!r}"
        ) from exc
    return int(ds_ticks(one, time_col)[0][0])


def regular_series(
    df: Any, id_col: str, time_col: str, target_col: str, fill_gaps: bool, catalogue_end: Any = None
) -> RegularSeries:
    """`concatenated_series`, then every series on the catalogue's grid (core
    `forestock::periods::regularize`): the frequency is the whole frame's, each series runs from its
    first row to the frame's last period, periods without a row become zeros (``fill_gaps=True``,
    reported by `RegularSeries.warn`) or raise `MissingDataError` naming the series and its first
    missing period (``fill_gaps=False``). `catalogue_end`: the whole catalogue's last `ds` when `df`
    is a part of it (every dated series then runs to it)."""
    if not isinstance(fill_gaps, (bool, np.bool_)):
        raise invalid_parameter("fill_gaps", f"fill_gaps must be True or False, got {fill_gaps!r}")
    work, ids, _, y, offsets = concatenated_series(df, id_col, time_col, target_col)
    ticks, kind = ds_ticks(work[time_col], time_col)
    raw = _native.regularize(
        [str(i) for i in ids],
        np.ascontiguousarray(ticks),
        y,
        offsets,
        kind[0],
        bool(fill_gaps),
        time_col,
        _catalogue_last(catalogue_end, work[time_col], time_col),
    )
    return RegularSeries(work, ids, raw, time_col, kind)


def forecast(
    df: Any,
    h: int,
    *,
    model: Any,
    season_length: int | list[int] | None = None,
    level: Any = None,
    n_jobs: int = -1,
    freq: Any = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    return_errors: bool = False,
    fill_gaps: bool = True,
    catalogue_end: Any = None,
    progress: Any = None,
    events: Any = None,
    **settings: Any,
) -> Any:
    """Forecast every series of a long frame (`unique_id`, `ds`, `y`) `h` steps ahead.

    `df` is a pandas or a polars DataFrame; the result is the same kind of frame.

    `model` is a core spec name (``"seasonal_naive"``, ...) with its settings as keyword arguments
    (`season_length`, ...), or a model object such as ``SeasonalNaive(12)``. Returns a frame with
    columns unique_id, ds, mean, lo-<level>, hi-<level> for each level, sorted by unique_id. Series
    that fail (NaN, too short, ...) are left out and listed in ``result.attrs["errors"]`` (dicts with
    unique_id, code, message, field, index) with a RuntimeWarning; with ``return_errors=True`` the
    call returns ``(result, errors_frame)`` instead. `n_jobs=-1` uses every core.

    Periods without a row (a sales export that leaves out zero-sales periods) are found at the
    frame's frequency (the core's rule: integer `ds` by their common step, dates by whole days,
    weeks or calendar months) and filled with zeros with a `FilledGapsWarning` (listed in
    ``result.attrs["gaps"]``); ``fill_gaps=False`` raises `MissingDataError` naming the series and
    its first missing period instead. A series ends at the frame's last period, so every forecast
    starts after it: future dates continue from the catalogue's last period, not from each series'
    last row (`freq`, a pandas offset, overrides the step of the future dates). Integer `ds` count
    each series' own periods: an integer series ends, and its forecast starts, at its own last row.
    When `df` is one part of a larger catalogue (a partition of a Dask, Ray or Spark frame), pass
    the whole catalogue's last `ds` as `catalogue_end`: dated series then run to it, as they would
    in the whole frame (`forestock.dask` does this).

    `progress(done, total)` (optional) is called on the calling thread about every 50 ms while the
    native work runs, with the number of series finished, and once more with ``(total, total)`` at
    the end; an exception it raises stops the work and is raised here (as Ctrl-C does).

    Known events (core `forestock::events`, see docs/events.md): an `event` column in `df` labels
    past periods (an event name; None, NaN or "" for none). Those periods are replaced by the
    baseline (a seasonal interpolation that ignores them) before fitting. `events` is a frame of
    future events: `ds`, `event`, optional `unique_id` (absent or null: every series) and optional
    `uplift` (a factor; absent or NaN: learned as the median actual / baseline of the event's past
    periods in that series). Each scales the forecast's mean and bounds at its period and widens
    the intervals by the spread of a learned uplift. ``result.attrs["events"]`` (pandas) lists the
    events applied (unique_id, ds, period, event, uplift, spread, source). A future event never
    seen in a series' past and without an uplift fails that series (`MissingDataError` naming it
    and the event); an uplift that is negative or not finite fails it too.
    """
    import pandas as pd

    spec = model_spec(model, {"season_length": season_length, **settings})
    h = as_horizon(h)
    levels = as_levels(level)
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)):
        raise invalid_parameter("n_jobs", f"n_jobs must be an integer, got {n_jobs!r}")

    regular = regular_series(df, id_col, time_col, target_col, fill_gaps, catalogue_end)
    work, ids, y, offsets = regular.work, regular.ids, regular.y, regular.offsets

    from ._events import past_labels

    past = past_labels(df, id_col, time_col, regular, catalogue_end)
    applied: list[Any] = []
    if past is None and events is None:
        mean, lower, upper, failures, unused = _native.forecast_batch(
            spec, [str(i) for i in ids], np.ascontiguousarray(y), offsets, h, levels, int(n_jobs), progress
        )
    else:
        from ._events import future_events, series_events

        payload = {
            "season_length": season_length if season_length is not None else spec.get("season_length", 1),
            "series": series_events(past, future_events(events, regular, h, id_col, time_col), ids),
        }
        mean, lower, upper, failures, unused, applied = _native.forecast_batch_with_events(
            spec, [str(i) for i in ids], np.ascontiguousarray(y), offsets, h, levels, int(n_jobs),
            payload, progress,
        )
    regular.warn("fs.forecast", stacklevel=2)
    if freq is not None and regular.axis == "seconds":
        step = pd.tseries.frequencies.to_offset(freq)
        ends = pd.DatetimeIndex(regular.ends_ds())
        future = np.stack([np.asarray(ends + k * step) for k in range(1, h + 1)], axis=1)
    else:
        future = regular.future(h)

    ok = np.ones(len(ids), dtype=bool)
    ok[[pos for pos, _ in failures]] = False
    columns: dict[str, Any] = {
        id_col: np.repeat(ids[ok], h),
        time_col: future[ok].ravel(),
        "mean": mean[ok].ravel(),
    }
    for k, lvl in enumerate(levels):
        columns[f"lo-{level_key(lvl)}"] = lower[k][ok].ravel()
        columns[f"hi-{level_key(lvl)}"] = upper[k][ok].ravel()
    result = pd.DataFrame(columns)
    if isinstance(work[time_col].dtype, pd.DatetimeTZDtype):
        result[time_col] = pd.to_datetime(result[time_col], utc=True).dt.tz_convert(work[time_col].dtype.tz)
    result[id_col] = result[id_col].astype(work[id_col].dtype)

    errors = [
        {"unique_id": ids[pos], "code": exc.code, "message": str(exc), "field": exc.field, "index": exc.index}
        for pos, exc in failures
    ]
    result.attrs["errors"] = errors
    result.attrs["gaps"] = regular.gaps
    if past is not None or events is not None:
        from ._events import applied_rows

        result.attrs["events"] = [
            row for pos, records in applied for row in applied_rows(records, ids[pos], future[pos], id_col, time_col)
        ]
    result.attrs["unused_periods"] = [
        {"unique_id": ids[pos], "period": period, "reason": reason} for pos, period, reason in unused
    ]
    warn_unused_by_series(((ids[pos], p, r) for pos, p, r in unused), len(ids), "fs.forecast", stacklevel=2)
    error_frame = pd.DataFrame(errors, columns=["unique_id", "code", "message", "field", "index"])
    if is_polars(df):
        result = to_polars(result, df)
        error_frame = _polars_errors(errors, df.schema[id_col])
    if return_errors:
        return result, error_frame
    if errors:
        warnings.warn(
            f"{len(errors)} of {len(ids)} series failed and are not in the result; see "
            + ("return_errors=True" if is_polars(df) else "result.attrs['errors']"),
            RuntimeWarning,
            stacklevel=2,
        )
    return result
