"""Scale-out on a Dask cluster: `forecast` and `plan` on dask DataFrames.

Both shuffle the long frame by `unique_id` so that every series lies whole in one partition, then
run `forestock.forecast` / `forestock.plan` on each partition (`map_partitions`): every number still
comes from the core, each worker process runs its partitions with the GIL released.

    >>> import dask.dataframe as dd, forestock.dask
    >>> ddf = dd.read_parquet("demand/")                       # unique_id, ds, y
    >>> out = forestock.dask.forecast(ddf, h=4, model="auto_ets", season_length=52, level=[95])
    >>> out.to_parquet("forecasts/")

`plan` needs one catalogue-wide step: the ABC classes rank every SKU's annual consumption value
against the whole catalogue, so a partition alone cannot classify its SKUs. `plan` therefore runs
in two passes: (1) on the workers, the core checks each SKU's history (with the cheap `naive` model)
and the last year of each valid history is sent back; the core's catalogue classification
(`forestock.classify_catalogue`, core `plan::classify_catalogue`: ABC step and per-SKU service-level
overrides) ranks the whole catalogue on these short tails on the client (the annual value only reads
the last `periods_per_year` periods and the unit cost); (2) each partition is planned with the real
model, each SKU targeting the service level the core gave it, and the classes are reported. Ray and
Spark users call `forestock.classify_catalogue` the same way (docs/python.md).
The recommendations equal `forestock.plan` on the whole frame. Exception: a SKU whose history is
valid but whose model fit fails is ranked in pass 1 but not by `forestock.plan`.

Dask is imported when a function is called; without it, an ImportError says what to install.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._convert import as_levels, invalid_parameter, level_key
from ._frame import check_columns, forecast as _forecast_frame, is_polars
from ._plan import classify_catalogue as _classify_catalogue, plan as _plan_frame

#: `forestock::plan::PlanConfig::default().periods_per_year` (weekly buckets).
_DEFAULT_PERIODS_PER_YEAR = 52


def _classify_fields(config: dict[str, Any]) -> dict[str, Any]:
    """The `PlanConfig` fields the catalogue classification reads."""
    return {k: v for k, v in config.items() if k in ("periods_per_year", "abc", "service_levels")}


#: Decision inputs given to pass 1, whose decisions are discarded: any valid values do (they
#: cannot change a SKU's annual consumption value, hence its class).
_PASS1_DECISION_FIELDS = {"lead_time": 1.0, "holding_cost_rate": 1.0}


def _dask_dataframe() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError(
            "forestock.dask needs Dask with its DataFrame support: pip install 'dask[dataframe,distributed]'"
        ) from exc
    return dd


def _by_series(ddf: Any, columns: tuple[str, str, str], npartitions: int | None) -> Any:
    """The long frame's three columns, shuffled so that each series is whole in one partition."""
    dd = _dask_dataframe()
    if not isinstance(ddf, dd.DataFrame):
        raise invalid_parameter("ddf", f"expected a dask DataFrame, got {type(ddf).__name__}")
    check_columns(ddf, columns)
    return ddf[list(columns)].shuffle(on=columns[0], npartitions=npartitions)


def _forecast_partition(part: Any, catalogue_end: Any, **kwargs: Any) -> Any:
    if len(part) == 0:
        return _forecast_meta(part, kwargs["id_col"], kwargs["time_col"], as_levels(kwargs["level"]))
    out = _forecast_frame(part, catalogue_end=catalogue_end, **kwargs)
    out.attrs.clear()
    return out


def forecast(
    ddf: Any,
    h: int,
    *,
    model: Any,
    season_length: int | list[int] | None = None,
    level: Any = None,
    n_jobs: int = 1,
    freq: Any = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    npartitions: int | None = None,
    **settings: Any,
) -> Any:
    """`forestock.forecast` on a dask DataFrame (lazy): a dask DataFrame unique_id, ds, mean,
    lo-<level>, hi-<level>, one partition per shuffled input partition.

    Arguments are those of `forestock.forecast`; `npartitions` sets the number of partitions after
    the shuffle by `id_col` (default: keep the input's). `n_jobs=1` by default: Dask runs the
    partitions in parallel; raise it when a worker owns several cores. Series that fail are left
    out (each worker logs a RuntimeWarning); `freq` is worth passing for datetime `ds`, since a
    partition infers the frequency from its own series only.
    """
    columns = (id_col, time_col, target_col)
    parts = _by_series(ddf, columns, npartitions)
    meta = _forecast_meta(parts._meta, id_col, time_col, as_levels(level))
    kwargs = dict(
        h=h, model=model, season_length=season_length, level=level, n_jobs=n_jobs, freq=freq,
        id_col=id_col, time_col=time_col, target_col=target_col, **settings,
    )
    # Every partition fills its series to the whole catalogue's last period (a lazy scalar, computed
    # with the partitions), as `forestock.forecast` on the whole frame would.
    end = parts[time_col].max()
    return parts.map_partitions(_forecast_partition, end, meta=meta, **kwargs, align_dataframes=False)


def _forecast_meta(input_meta: Any, id_col: str, time_col: str, levels: list[float]) -> Any:
    import pandas as pd

    columns = {id_col: input_meta[id_col], time_col: input_meta[time_col], "mean": pd.Series(dtype=np.float64)}
    for lvl in levels:
        columns[f"lo-{level_key(lvl)}"] = pd.Series(dtype=np.float64)
        columns[f"hi-{level_key(lvl)}"] = pd.Series(dtype=np.float64)
    return pd.DataFrame({k: v.iloc[:0].reset_index(drop=True) for k, v in columns.items()})


# ---- plan -------------------------------------------------------------------------------------


def _items_pandas(items: Any, id_col: str) -> Any:
    """The item master as a pandas frame with a string `sku` column (dask frames are computed)."""
    import pandas as pd

    if hasattr(items, "compute") and hasattr(items, "npartitions"):
        items = items.compute()
    elif is_polars(items):
        items = pd.DataFrame({c: items.get_column(c).to_numpy() for c in items.columns})
    if not isinstance(items, pd.DataFrame):
        raise invalid_parameter("items_df", f"expected a pandas, polars or dask DataFrame, got {type(items).__name__}")
    key = id_col if id_col in items.columns else "sku"
    if key not in items.columns:
        raise invalid_parameter("items_df", f"item frame lacks the SKU column ({id_col!r} or 'sku')")
    items = items.rename(columns={key: "sku"})
    return items.assign(sku=items["sku"].astype(str))


def _skus(part: Any, id_col: str) -> Any:
    return part[id_col].astype(str)


def _valid_tails(part: Any, catalogue: Any, tail: int, id_col: str, time_col: str, target_col: str, config: dict[str, Any]) -> Any:
    """Pass 1 on one partition: the last `tail` rows of every series the core accepts."""
    if len(part) == 0:
        return part
    skus = _skus(part, id_col)
    recs, _ = _plan_frame(
        part, catalogue[catalogue["sku"].isin(skus)], horizon=1, level=None, model="naive",
        id_col=id_col, time_col=time_col, target_col=target_col, **config,
    )
    valid = part[skus.isin(recs[id_col])]
    return valid.sort_values([id_col, time_col], kind="stable").groupby(id_col, sort=False, observed=True).tail(tail)


def _plan_partition(part: Any, items: Any, classes: Any, id_col: str, kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """Pass 2 on one partition: ``(recommendations, failures)`` with catalogue-wide classes."""
    recs, failures = _plan_frame(part, items[items["sku"].isin(_skus(part, id_col))], id_col=id_col, **kwargs)
    if len(recs):
        recs["abc_class"] = recs[id_col].map(classes["abc_class"])
        recs["usage_rank"] = recs[id_col].map(classes["usage_rank"]).fillna(recs["usage_rank"]).astype(np.int64)
    recs.attrs.clear()
    return recs, failures


def plan(
    demand_ddf: Any,
    items_df: Any,
    horizon: int = 4,
    season_length: int | list[int] = 52,
    level: Any = (80, 95),
    *,
    model: Any = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    npartitions: int | None = None,
    **config: Any,
) -> tuple[Any, Any]:
    """`forestock.plan` on a dask DataFrame of demand: ``(recommendations, failures)`` as dask
    DataFrames with the columns of `forestock.plan`'s frames.

    `items_df` is a pandas, polars or dask frame (a dask one is computed: the item master is
    shipped to every partition). Pass 1 (validation and catalogue-wide ABC, see the module docs)
    runs at once; pass 2 is persisted on the cluster, so both results are ready to compute or
    write. Keyword arguments are those of `forestock.plan`; run statistics are not aggregated.
    """
    import pandas as pd

    dd = _dask_dataframe()
    import dask

    items = _items_pandas(items_df, id_col)
    demand = _by_series(demand_ddf, (id_col, time_col, target_col), npartitions).persist()
    columns = dict(id_col=id_col, time_col=time_col, target_col=target_col)
    # Each partition's histories run to the whole catalogue's last period, as in `forestock.plan`.
    config = {**config, "catalogue_end": demand[time_col].max().compute()}

    # Pass 1: which histories the core accepts, their last year, and the catalogue-wide classes.
    catalogue = items[["sku", "unit_cost"]].assign(**_PASS1_DECISION_FIELDS)
    tail = int(config.get("periods_per_year", _DEFAULT_PERIODS_PER_YEAR))
    tails = demand.map_partitions(
        _valid_tails, dask.delayed(catalogue, pure=True), tail, config=config, meta=demand._meta,
        align_dataframes=False, **columns,
    ).compute()
    demand_skus = set(demand[id_col].astype(str).unique().compute())
    ranking = items[["sku", "unit_cost", "service_level"] if "service_level" in items.columns else ["sku", "unit_cost"]]
    classified, missing = _classify_catalogue(tails, ranking, **columns, **_classify_fields(config))
    classes = classified.set_index(id_col)[["abc_class", "usage_rank", "service_level"]]
    orphans = missing[(missing["code"] == "ERR_MISSING_DATA") & ~missing[id_col].isin(demand_skus)]
    # The frame layout of a plan (for the lazy frames' meta), from one SKU's tail.
    first = tails[id_col].iloc[:1]
    ranked, _ = _plan_frame(
        tails[tails[id_col].isin(first)], catalogue, horizon=1, level=None, model="naive", **columns, **config
    )

    # Pass 2: each SKU targets the service level the core gave it (its override, else its
    # catalogue-wide class's); a SKU the core could not classify keeps its own cell.
    own_level = items["service_level"] if "service_level" in items.columns else pd.Series(np.nan, index=items.index)
    items = items.assign(service_level=items["sku"].map(classes["service_level"]).fillna(own_level))
    kwargs = dict(horizon=horizon, season_length=season_length, level=level, model=model, **columns, **config)
    kwargs.pop("id_col")
    shared = dask.delayed(items, pure=True), dask.delayed(classes, pure=True)  # shipped once per worker
    pairs = [dask.delayed(_plan_partition)(part, *shared, id_col, kwargs) for part in demand.to_delayed()]
    recs = dd.from_delayed([pair[0] for pair in pairs], meta=ranked.iloc[:0], verify_meta=False)
    failures = dd.from_delayed([pair[1] for pair in pairs], meta=missing.iloc[:0], verify_meta=False)
    failures = dd.concat([failures, dd.from_pandas(orphans.reset_index(drop=True), npartitions=1)])
    recs, failures = dask.persist(recs, failures)  # one run of pass 2 serves both frames
    return recs, failures
