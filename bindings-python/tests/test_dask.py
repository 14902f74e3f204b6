"""forestock.dask on a two-process LocalCluster: results equal fs.forecast / fs.plan on pandas."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
fdask = pytest.importorskip("forestock.dask")

N_SERIES = 200


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def catalogue():
    rng = np.random.default_rng(42)
    rows = []
    for k in range(N_SERIES):
        n = 30 + k % 25  # ragged lengths
        if k % 5 == 0:  # intermittent SKUs
            y = np.where(rng.random(n) < 0.3, rng.integers(1, 8, n), 0)
        else:
            y = rng.poisson(5 + k % 40, n)
        rows += [(f"sku-{k:03d}", t, float(v)) for t, v in enumerate(y)]
    demand = pd.DataFrame(rows, columns=["unique_id", "ds", "y"]).sample(frac=1.0, random_state=1)
    demand.loc[demand.index[7], "y"] = np.nan  # one broken SKU
    items = pd.DataFrame(
        {
            "unique_id": [f"sku-{k:03d}" for k in range(N_SERIES)] + ["no-history"],
            "unit_cost": rng.uniform(0.5, 80.0, N_SERIES + 1).round(2),
            "lead_time": rng.integers(1, 4, N_SERIES + 1).astype(float),
            "on_hand": rng.integers(0, 60, N_SERIES + 1).astype(float),
            "holding_cost_rate": 0.004,
            "ordering_cost": 20.0,
        }
    )
    return demand, items


def plain(frame, keys):
    """Sorted rows as plain Python objects (dask turns object columns into its string dtype)."""
    frame = frame.sort_values(keys).reset_index(drop=True)
    return frame.astype(object).where(frame.notna(), None)


def test_forecast_on_the_cluster_equals_pandas(client):
    demand, _ = catalogue()
    ddf = dd.from_pandas(demand, npartitions=6)
    kw = dict(h=6, model="auto_ets", season_length=1, level=[80, 95])
    out = fdask.forecast(ddf, **kw)
    assert list(out.columns) == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    got = out.compute()
    with pytest.warns(RuntimeWarning, match="1 of 200 series failed"):
        expected = fs.forecast(demand, **kw)
    assert len(got) == (N_SERIES - 1) * 6
    pd.testing.assert_frame_equal(plain(got, ["unique_id", "ds"]), plain(expected, ["unique_id", "ds"]))


def test_forecast_with_dates_and_repartitioning(client):
    weekly = pd.DataFrame(
        {
            "unique_id": np.repeat([f"s{k}" for k in range(20)], 12),
            "ds": np.tile(pd.date_range("2025-01-05", periods=12, freq="W-SUN"), 20),
            "y": np.arange(240, dtype=float) % 17,
        }
    )
    out = fdask.forecast(dd.from_pandas(weekly, npartitions=3), h=2, model="naive", npartitions=5)
    assert out.npartitions == 5
    got = out.compute()
    expected = fs.forecast(weekly, h=2, model="naive")
    pd.testing.assert_frame_equal(plain(got, ["unique_id", "ds"]), plain(expected, ["unique_id", "ds"]))


def _stopped_early():
    """Weekly sales where half the SKUs stopped selling 5 weeks before the catalogue's last week,
    with every partition holding SKUs of one kind: a partition alone would end too early."""
    dates = pd.date_range("2025-01-05", periods=30, freq="W-SUN")
    frames = []
    for k in range(12):
        n = 25 if k % 2 else 30
        frames.append(pd.DataFrame({"unique_id": f"s{k:02d}", "ds": dates[:n], "y": 3.0 + (np.arange(n) % 4) + k}))
    return pd.concat(frames, ignore_index=True)


def test_partitions_fill_to_the_whole_catalogues_end(client):
    weekly = _stopped_early()
    early = weekly[weekly["unique_id"].isin([f"s{k:02d}" for k in range(1, 12, 2)])]
    ddf = dd.from_pandas(weekly, npartitions=2)
    # With as many partitions as SKUs, some partition holds only SKUs that stopped early: alone it
    # would end five weeks before the catalogue.
    shuffled = ddf.shuffle(on="unique_id", npartitions=12)  # what forecast(npartitions=12) does
    part_ends = [p["ds"].max() for p in (shuffled.get_partition(i).compute() for i in range(12)) if len(p)]
    assert min(part_ends) < weekly["ds"].max()
    with pytest.warns(fs.FilledGapsWarning):
        expected = fs.forecast(weekly, h=3, model="naive")
    got = fdask.forecast(ddf, h=3, model="naive", npartitions=12).compute()
    pd.testing.assert_frame_equal(plain(got, ["unique_id", "ds"]), plain(expected, ["unique_id", "ds"]))
    assert set(got["ds"]) == set(pd.date_range(weekly["ds"].max(), periods=4, freq="W-SUN")[1:])
    # The same part alone, told where the catalogue ends, equals the whole frame's answer for it.
    with pytest.warns(fs.FilledGapsWarning):
        alone = fs.forecast(early, h=3, model="naive", catalogue_end=weekly["ds"].max())
    pd.testing.assert_frame_equal(
        plain(alone, ["unique_id", "ds"]), plain(expected[expected["unique_id"].isin(early["unique_id"])], ["unique_id", "ds"])
    )
    items = pd.DataFrame({"unique_id": weekly["unique_id"].unique(), "unit_cost": 2.0, "lead_time": 1.0})
    recs, _ = fdask.plan(ddf, items, season_length=1)
    with pytest.warns(fs.FilledGapsWarning):
        whole, _ = fs.plan(weekly, items, season_length=1)
    pd.testing.assert_frame_equal(plain(recs.compute(), ["unique_id"]), plain(whole, ["unique_id"]))
    with pytest.raises(fs.InvalidParameterError, match="catalogue_end"):
        fs.forecast(weekly, h=3, model="naive", catalogue_end=weekly["ds"].min())


def test_plan_on_the_cluster_equals_pandas(client):
    demand, items = catalogue()
    ddf = dd.from_pandas(demand, npartitions=6)
    recs, failures = fdask.plan(ddf, items, horizon=4, season_length=1, level=[80, 95])
    got_recs, got_failures = recs.compute(), failures.compute()
    exp_recs, exp_failures = fs.plan(demand, items, horizon=4, season_length=1, level=[80, 95])
    assert len(exp_recs) == N_SERIES - 1
    # ABC classes are catalogue-wide, not per partition
    assert set(got_recs["abc_class"]) == {"A", "B", "C"}
    pd.testing.assert_frame_equal(plain(got_recs, ["unique_id"]), plain(exp_recs, ["unique_id"]))
    pd.testing.assert_frame_equal(plain(got_failures, ["unique_id"]), plain(exp_failures, ["unique_id"]))
    assert set(got_failures["code"]) == {"ERR_INVALID_SERIES", "ERR_MISSING_DATA"}
    # a sixth of the catalogue planned alone ranks some SKUs differently: why plan() has two passes
    part = demand[demand["unique_id"].isin(exp_recs["unique_id"].iloc[::6])]
    alone, _ = fs.plan(part, items[items["unique_id"].isin(part["unique_id"])], horizon=4, season_length=1)
    whole = exp_recs.set_index("unique_id")["abc_class"]
    assert (alone.set_index("unique_id")["abc_class"] != whole.loc[alone["unique_id"]]).any()


def test_plan_accepts_a_dask_item_master(client):
    demand, items = catalogue()
    demand = demand[demand["unique_id"] < "sku-040"]
    recs, _ = fdask.plan(dd.from_pandas(demand, npartitions=3), dd.from_pandas(items, npartitions=2), season_length=1)
    exp, _ = fs.plan(demand, items, season_length=1)
    pd.testing.assert_frame_equal(plain(recs.compute(), ["unique_id"]), plain(exp, ["unique_id"]))


def test_bad_input():
    demand, _ = catalogue()
    with pytest.raises(fs.InvalidParameterError, match="dask DataFrame"):
        fdask.forecast(demand, h=2, model="naive")
    with pytest.raises(fs.InvalidParameterError, match="lacks column"):
        fdask.forecast(dd.from_pandas(demand.drop(columns="y"), npartitions=2), h=2, model="naive")
