"""A newcomer's item master plans on the first try; one bad row fails one SKU, never the call; a run
that plans little or nothing is loud (warning, job audit status, scheduler failure)."""

import warnings
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import polars as pl
import pytest

import forestock as fs

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


def _catalogue(n, seed=2026):
    """n weekly SKUs over two years (every third seasonal) and an item master with only the
    required columns plus on_hand (0 to 8 weeks of demand)."""
    rng = np.random.default_rng(seed)
    t = np.arange(104)
    level = rng.uniform(5, 200, n)
    frames = []
    for i in range(n):
        season = 1 + (0.4 if i % 3 == 0 else 0.0) * np.sin(2 * np.pi * t / 52)
        y = np.maximum(0, np.round(level[i] * season * (1 + 0.2 * rng.normal(size=104))))
        frames.append(pd.DataFrame({"unique_id": f"SKU-{i:04d}", "ds": t, "y": y}))
    items = pd.DataFrame(
        {
            "unique_id": [f"SKU-{i:04d}" for i in range(n)],
            "unit_cost": np.round(rng.uniform(1, 100, n)),
            "lead_time": np.floor(rng.uniform(1, 7, n)),
            "on_hand": np.round(level * rng.uniform(0, 8, n)),
        }
    )
    return pd.concat(frames, ignore_index=True), items


def test_a_minimal_item_master_plans_all_500_skus_without_warnings():
    demand, items = _catalogue(500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Seasons a SKU's model does not use are reported (UnusedSeasonWarning, test_unused_periods.py);
        # this test is about the item master.
        warnings.simplefilter("ignore", fs.UnusedSeasonWarning)
        recs, failures, stats = fs.plan(demand, items, return_stats=True)
    assert failures.empty, failures.head()
    assert (stats["planned"], stats["skus"], stats["status"]) == (500, 500, "ok")
    lead = items.set_index("unique_id").loc[recs["unique_id"], "lead_time"].to_numpy()
    weekly = recs["protection_mean"].to_numpy() / (lead + 1.0)  # R + L with the default R = 1
    cover = (recs["inventory_position"] + recs["order_quantity"]).to_numpy() / weekly
    assert cover.max() <= 26.0, cover.max()
    assert stats["orders"] > 100
    # The same catalogue as polars frames.
    recs_pl, failures_pl = fs.plan(pl.from_pandas(demand), pl.from_pandas(items))
    assert recs_pl.height == 500 and failures_pl.height == 0


def test_every_recommendation_has_a_reason_that_explains_priority_against_the_order():
    demand, items = _catalogue(200)
    items.loc[::4, "on_order"] = 5000.0  # position above the order-up-to level; the shelf may still run dry
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.UnusedSeasonWarning)
        recs, failures = fs.plan(demand, items)
    assert failures.empty
    assert recs["reason"].map(type).eq(str).all()
    ordered = recs["order_quantity"] > 0
    assert recs.loc[ordered, "reason"].str.startswith("order ").all()
    assert recs.loc[~ordered, "reason"].str.startswith("no order").all()
    urgent_idle = recs[(recs["priority"] == "urgent") & ~recs["should_reorder"]]
    assert len(urgent_idle) >= 5
    assert urgent_idle["reason"].str.contains("expedite the open orders").all()


def _messages(failures):
    """Failure message by unique_id (None for a row without an id: pandas shows it as NaN)."""
    return {u if isinstance(u, str) else None: m for u, m in zip(failures["unique_id"], failures["message"])}


def _small():
    demand, items = _catalogue(8, seed=5)
    return demand, items


def test_a_duplicate_item_row_fails_that_sku_once_and_is_not_planned():
    demand, items = _small()
    twin = items.iloc[[3]].assign(on_hand=1000.0)
    recs, failures, stats = fs.plan(demand, pd.concat([items, twin], ignore_index=True), return_stats=True)
    assert list(failures["unique_id"]) == ["SKU-0003"]
    assert failures["code"].iloc[0] == "ERR_INVALID_ROW"
    assert "duplicate item master row (first at row 4)" in failures["message"].iloc[0]
    assert "row 9" in failures["message"].iloc[0]
    assert "SKU-0003" not in set(recs["unique_id"])
    assert (stats["skus"], stats["planned"], stats["failed"]) == (8, 7, 1)


def test_bad_item_cells_fail_their_sku_only_naming_the_column_and_row():
    demand, items = _small()
    items = items.astype({"unit_cost": object, "on_hand": object, "unique_id": object})
    items.loc[1, "unit_cost"] = np.inf
    items.loc[2, "on_hand"] = "a dozen"
    items.loc[3, "on_hand"] = "5.00"  # a numeric string (Postgres numeric): read, with a warning
    items.loc[4, "unit_cost"] = Decimal("12.50")  # a decimal: just a number
    items.loc[5, "unique_id"] = None
    items.loc[6, "on_hand"] = -3.0
    with pytest.warns(RuntimeWarning, match=r"`on_hand`: 1 value\(s\) given as text were read as numbers"):
        recs, failures = fs.plan(demand, items)
    by_id = _messages(failures)
    assert by_id["SKU-0001"] == "row 2: `SKU-0001`: `unit_cost` = inf: must be a finite number > 0"
    assert by_id["SKU-0002"] == 'row 3: `SKU-0002`: `on_hand` = "a dozen": not a number'
    assert by_id["SKU-0006"] == "row 7: `SKU-0006`: `on_hand` = -3: must be a finite number >= 0"
    assert by_id[None] == "row 6: missing `unique_id`"
    assert "SKU-0005" in by_id  # its history has no item row left
    assert set(failures["code"]) == {"ERR_INVALID_ROW", "ERR_MISSING_DATA"}
    assert sorted(recs["unique_id"]) == ["SKU-0000", "SKU-0003", "SKU-0004", "SKU-0007"]
    assert recs.set_index("unique_id").loc["SKU-0003", "inventory_position"] == 5.0


def test_bad_demand_rows_fail_their_sku_only():
    demand, items = _small()
    demand = demand.astype({"unique_id": object})
    dup = demand[(demand["unique_id"] == "SKU-0002") & (demand["ds"] == 10)]
    demand = pd.concat([demand, dup], ignore_index=True)  # two rows for (SKU-0002, 10)
    demand.loc[5, "unique_id"] = None  # a demand row without an id
    recs, failures = fs.plan(demand, items)
    by_id = _messages(failures)
    assert by_id["SKU-0002"] == f"row {len(demand)}: `SKU-0002`: two demand rows for `ds` = 10 (rows 219 and {len(demand)})"
    assert by_id[None] == "row 6: missing `unique_id` in demand rows 6"
    assert len(recs) == 7 and "SKU-0002" not in set(recs["unique_id"])


def test_a_run_with_most_skus_failing_warns_with_counts_and_codes():
    demand, items = _small()
    bad = items.assign(lead_time=[-1.0] * 5 + [2.0] * 3)
    with pytest.warns(RuntimeWarning, match=r"run degraded: 3 of 8 SKUs planned, 5 failed \(top error codes: ERR_INVALID_ROW x5\); e\.g\. row 1: `SKU-0000`: `lead_time` = -1"):
        fs.plan(demand, bad)
    with pytest.warns(RuntimeWarning, match=r"run failed: 0 of 8 SKUs planned, 8 failed"):
        _, _, stats = fs.plan(demand, items.assign(lead_time=-1.0), return_stats=True)
    assert stats["status"] == "failed" and stats["failures_by_code"] == {"ERR_INVALID_ROW": 8}


def test_the_daily_job_records_a_failed_run_and_raises():
    demand, items = _small()
    log = fs.AuditLog()
    stored = []
    job = fs.daily_plan_job(lambda: (demand, items.assign(lead_time=-1.0)), stored.append, audit=log, clock=lambda: T0)
    with pytest.warns(RuntimeWarning), pytest.raises(fs.PlanRunError) as info:
        job()
    assert info.value.code == "ERR_PLAN_FAILED" and info.value.status == "failed"
    assert "0 of 8 SKUs planned" in str(info.value) and isinstance(info.value, fs.ForestockError)
    assert len(stored) == 1 and stored[0] is info.value.result  # stored, then raised
    payload = log.records[-1]["payload"]
    assert payload["status"] == "failed" and payload["stats"]["failed"] == 8
    degraded = fs.daily_plan_job(lambda: (demand, items.assign(lead_time=[-1.0] * 5 + [2.0] * 3)), stored.append, audit=log)
    with pytest.warns(RuntimeWarning), pytest.raises(fs.PlanRunError, match="degraded") as info:
        degraded()
    assert info.value.code == "ERR_PLAN_DEGRADED" and log.records[-1]["payload"]["status"] == "degraded"
    ok = fs.daily_plan_job(lambda: (demand, items), stored.append, audit=log)
    ok()
    assert log.records[-1]["payload"]["status"] == "ok" and log.verify()


def test_the_scheduler_counts_a_failed_plan_as_a_failure():
    demand, items = _small()

    class Clock:
        now = T0 - timedelta(minutes=1)

        def __call__(self):
            return self.now

    clock = Clock()
    sched = fs.Scheduler(clock=clock)
    sched.add_job("daily-plan", "0 6 * * *", fs.daily_plan_job(lambda: (demand, items.assign(lead_time=-1.0)), lambda r: None))
    sched.run_pending()
    clock.now = T0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert sched.run_pending() == ["daily-plan"]
        assert sched.wait_idle(timeout=60)
    job = sched.job("daily-plan")
    assert (job.runs, job.failures) == (1, 1)


def test_return_forecasts_gives_the_forecast_each_order_was_sized_from():
    demand, items = _catalogue(30)
    demand["ds"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(demand["ds"] * 7, unit="D")
    items["lead_time"] = 1.0  # protection over R + L = 2 periods: the first two forecast means
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.UnusedSeasonWarning)
        recs, failures, forecasts, stats = fs.plan(demand, items, return_forecasts=True, return_stats=True)
    assert failures.empty and stats["planned"] == 30
    assert list(forecasts.columns) == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert len(forecasts) == 30 * 4
    last = demand["ds"].max()
    assert (forecasts.groupby("unique_id")["ds"].min() == last + pd.Timedelta(days=7)).all()
    assert (forecasts["lo-95"] <= forecasts["mean"]).all() and (forecasts["mean"] <= forecasts["hi-95"]).all()
    first_two = forecasts.groupby("unique_id")["mean"].apply(lambda m: m.iloc[:2].sum())
    np.testing.assert_allclose(recs.set_index("unique_id")["protection_mean"], first_two.loc[recs["unique_id"]], rtol=1e-12)
    # polars in, polars out; without the flag the result is the usual pair.
    _, _, forecasts_pl = fs.plan(pl.from_pandas(demand), pl.from_pandas(items), return_forecasts=True)
    assert forecasts_pl.height == 120 and forecasts_pl.schema["ds"] == pl.from_pandas(demand).schema["ds"]
    assert len(fs.plan(demand, items)) == 2


def test_an_unknown_keyword_raises_with_a_did_you_mean_hint():
    demand, items = _catalogue(3)
    with pytest.raises(fs.InvalidParameterError, match=r"`horizn`.*did you mean `horizon`\?"):
        fs.plan(demand, items, horizn=8)
    with pytest.raises(fs.InvalidParameterError, match=r"did you mean `service_levels`\?"):
        fs.plan(demand, items, service_level={"A": 0.98})
    # A keyword the named model does not read is named too; season_length goes to every model.
    with pytest.raises(fs.InvalidParameterError, match=r"`horizn`.*model `naive`, which takes none"):
        fs.forecast(demand, h=4, model="naive", horizn=8)
    with pytest.raises(fs.InvalidParameterError, match=r"`seasn_length`.*did you mean `season_length`\?"):
        fs.forecast(demand, h=4, model="seasonal_naive", season_length=52, seasn_length=4)
    with pytest.raises(fs.InvalidParameterError, match=r"`season_lenght`.*did you mean `season_length`\?"):
        fs.forecast(demand, h=4, model="seasonal_naive", season_lenght=52)
    assert len(fs.forecast(demand, h=4, model="naive", season_length=52)) == 3 * 4
    with pytest.raises(fs.InvalidParameterError, match=r"did you mean `periods`\?"):
        fs.simulate_policy(
            {"kind": "order_up_to", "review_period": 1, "order_up_to": 30},
            {"kind": "poisson", "mean": 10},
            {"kind": "fixed", "periods": 1},
            period=500,
        )
