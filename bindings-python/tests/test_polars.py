"""fs.forecast and fs.plan on polars frames: same numbers as pandas, polars out, same errors."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import forestock as fs

pl = pytest.importorskip("polars")


def ragged_frames():
    """Series of different lengths and start points, rows shuffled (pandas, polars)."""
    rng = np.random.default_rng(3)
    rows = []
    for k in range(12):
        start, n = int(rng.integers(0, 20)), int(rng.integers(10, 40))
        rows += [(f"sku-{k:02d}", start + t, float(v)) for t, v in enumerate(rng.gamma(2.0, 5.0, n).round())]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"]).sample(frac=1.0, random_state=2)
    return frame, pl.from_dict({c: frame[c].to_numpy() for c in frame.columns})


def assert_same(polars_out, pandas_out):
    assert isinstance(polars_out, pl.DataFrame)
    assert polars_out.columns == list(pandas_out.columns)
    for name in pandas_out.columns:
        np.testing.assert_array_equal(polars_out.get_column(name).to_numpy(), pandas_out[name].to_numpy())


@pytest.mark.parametrize("model, kw", [("seasonal_naive", {"season_length": 7}), ("auto_ets", {}), ("tsb", {})])
def test_forecast_polars_equals_pandas(model, kw):
    pdf, pldf = ragged_frames()
    a = fs.forecast(pdf, h=6, model=model, level=[80, 95], **kw)
    b = fs.forecast(pldf, h=6, model=model, level=[80, 95], **kw)
    assert_same(b, a)
    assert b.schema["ds"] == pl.Int64 and b.schema["unique_id"] == pl.String


def test_polars_column_dtypes_are_kept():
    df = pl.DataFrame(
        {"unique_id": [7, 7, 7, 9, 9, 9], "ds": [1, 2, 3, 1, 2, 3], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]},
        schema={"unique_id": pl.Int16, "ds": pl.Int32, "y": pl.Float32},
    )
    out = fs.forecast(df, h=2, model="naive")
    assert out.schema["unique_id"] == pl.Int16 and out.schema["ds"] == pl.Int32
    assert out.get_column("ds").to_list() == [4, 5, 4, 5]
    assert out.get_column("mean").to_list() == [3.0, 3.0, 6.0, 6.0]
    cat = df.with_columns(pl.col("unique_id").cast(pl.String).cast(pl.Categorical))
    assert fs.forecast(cat, h=1, model="naive").schema["unique_id"] == pl.Categorical


def test_polars_dates_continue_the_frame_frequency():
    daily = pl.DataFrame({"unique_id": "d", "ds": pl.date_range(pl.date(2024, 2, 20), pl.date(2024, 3, 1), eager=True)})
    monthly = pl.DataFrame(
        {"unique_id": "m", "ds": pl.date_range(pl.date(2022, 1, 1), pl.date(2023, 12, 1), interval="1mo", eager=True)}
    )
    for df, expected in (
        (daily, ["2024-03-02", "2024-03-03", "2024-03-04"]),
        (monthly, ["2024-01-01", "2024-02-01", "2024-03-01"]),
    ):
        df = df.with_columns(y=pl.int_range(pl.len()).cast(pl.Float64))
        out = fs.forecast(df, h=3, model="naive")
        assert out.schema["ds"] == pl.Date
        assert out.get_column("ds").cast(pl.String).to_list() == expected
        pandas_out = fs.forecast(pd.DataFrame({c: df[c].to_numpy() for c in df.columns}), h=3, model="naive")
        np.testing.assert_array_equal(out.get_column("mean").to_numpy(), pandas_out["mean"].to_numpy())


def test_polars_time_zone_is_kept_across_dst():
    ds = pl.datetime_range(pl.datetime(2026, 3, 25), pl.datetime(2026, 3, 28), interval="1d", eager=True)
    df = pl.DataFrame({"unique_id": "a", "ds": ds.dt.replace_time_zone("Europe/Berlin"), "y": [1.0, 2.0, 3.0, 4.0]})
    out = fs.forecast(df, h=2, model="naive")
    assert out.schema["ds"] == pl.Datetime("us", "Europe/Berlin")
    # local midnight continues after the 2026-03-29 change to summer time
    assert out.get_column("ds").dt.strftime("%Y-%m-%d %H:%M %Z").to_list() == ["2026-03-29 00:00 CET", "2026-03-30 00:00 CEST"]


def test_polars_bad_series_are_reported_per_series():
    df = pl.DataFrame(
        {"unique_id": ["a"] * 4 + ["nan"] * 4 + ["null"] * 4, "ds": list(range(4)) * 3,
         "y": [1.0, 2, 3, 4, 1, float("nan"), 3, 4, 1, None, 3, 4]}
    )
    with pytest.warns(RuntimeWarning, match="2 of 3 series failed"):
        out = fs.forecast(df, h=2, model="naive")
    assert out.get_column("unique_id").unique().to_list() == ["a"]
    out, errors = fs.forecast(df, h=2, model="naive", return_errors=True)
    assert isinstance(errors, pl.DataFrame)
    assert errors.get_column("unique_id").to_list() == ["nan", "null"]
    assert errors.get_column("code").to_list() == ["ERR_INVALID_SERIES"] * 2
    assert errors.get_column("index").to_list() == [1, 1]


def frames(**columns):
    return [pd.DataFrame(columns), pl.DataFrame(columns)]


@pytest.mark.parametrize("kind", [0, 1], ids=["pandas", "polars"])
def test_frame_errors_in_both_kinds(kind):
    ok = {"unique_id": ["a", "a", "a"], "ds": [0, 1, 2], "y": [1.0, 2.0, 3.0]}
    with pytest.raises(fs.InvalidParameterError, match="lacks column"):
        fs.forecast(frames(unique_id=ok["unique_id"], ds=ok["ds"])[kind], h=2, model="naive")
    with pytest.raises(fs.InvalidSeriesError, match="must be numeric"):
        fs.forecast(frames(unique_id=ok["unique_id"], ds=ok["ds"], y=["1", "2", "x"])[kind], h=2, model="naive")
    with pytest.raises(fs.InvalidParameterError, match="integers or datetimes"):
        fs.forecast(frames(unique_id=ok["unique_id"], ds=["a", "b", "c"], y=ok["y"])[kind], h=2, model="naive")
    with pytest.raises(fs.InvalidRowError, match="two rows"):
        fs.forecast(frames(unique_id=ok["unique_id"], ds=[0, 1, 1], y=ok["y"])[kind], h=2, model="naive")
    with pytest.raises(fs.InvalidRowError, match="row 2: missing unique_id"):
        fs.forecast(frames(unique_id=["a", None, "a"], ds=ok["ds"], y=ok["y"])[kind], h=2, model="naive")
    with pytest.raises(fs.InvalidParameterError):
        fs.forecast(ok, h=2, model="naive")  # a dict is not a frame
    nan = frames(unique_id=["a", "a", "b", "b"], ds=[0, 1, 0, 1], y=[1.0, 2.0, float("nan"), 1.0])[kind]
    out, errors = fs.forecast(nan, h=1, model="naive", return_errors=True)
    assert list(out["unique_id"]) == ["a"] and list(errors["unique_id"]) == ["b"]
    assert list(errors["code"]) == ["ERR_INVALID_SERIES"] and list(errors["index"]) == [0]


def test_sorted_polars_input_is_read_without_copying_y():
    from forestock._frame import concatenated_series

    df = pl.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3, "ds": [0, 1, 2] * 2, "y": np.arange(6.0)})
    _, _, _, y, offsets = concatenated_series(df, "unique_id", "ds", "y")
    assert np.shares_memory(y, df.get_column("y").to_numpy())
    assert offsets.tolist() == [0, 3, 6]


def test_plan_polars_equals_pandas():
    rng = np.random.default_rng(5)
    demand = pd.DataFrame(
        [(f"s{k}", t, float(v)) for k in range(6) for t, v in enumerate(rng.poisson(3 + 4 * k, 30))],
        columns=["unique_id", "ds", "y"],
    )
    items = pd.DataFrame(
        {"unique_id": [f"s{k}" for k in range(6)] + ["ghost"], "unit_cost": [1.0, 2, 3, 4, 5, 6, 7],
         "lead_time": [2.0] * 7, "on_hand": [5.0, 50, 0, 10, np.nan, 3, 1], "holding_cost_rate": [0.004] * 7}
    )
    recs, failures, stats = fs.plan(demand, items, horizon=3, season_length=1, return_stats=True)
    pl_items = pl.from_dict({c: items[c].to_numpy() for c in items.columns}).with_columns(
        pl.col("on_hand").fill_nan(None)
    )
    pl_recs, pl_failures, pl_stats = fs.plan(
        pl.from_dict({c: demand[c].to_numpy() for c in demand.columns}), pl_items, horizon=3, season_length=1,
        return_stats=True,
    )
    assert isinstance(pl_recs, pl.DataFrame) and isinstance(pl_failures, pl.DataFrame)
    assert pl_stats == stats and recs.attrs["stats"] == stats
    assert len(recs) == 6 and pl_recs.columns == list(recs.columns)
    for name in ["unique_id", "abc_class", "order_quantity", "reorder_point", "safety_stock", "should_reorder"]:
        assert pl_recs.get_column(name).to_list() == recs[name].tolist()
    assert pl_failures.get_column("unique_id").to_list() == failures["unique_id"].tolist() == ["ghost"]


def test_polars_is_not_imported_for_pandas_frames():
    code = (
        "import sys, pandas as pd, forestock as fs\n"
        "fs.forecast(pd.DataFrame({'unique_id': ['a'] * 3, 'ds': [0, 1, 2], 'y': [1.0, 2.0, 3.0]}), h=1, model='naive')\n"
        "assert 'polars' not in sys.modules, 'polars was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
