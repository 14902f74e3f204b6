"""Messages that speak the user's language: the argument as the caller spelled it, never serde's
"at line 1 column N"; plan's season_length reaches a model named by text; a partial ServiceLevels
mapping keeps the other classes' defaults."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs

pytestmark = pytest.mark.filterwarnings("ignore::forestock.UnusedSeasonWarning")


def _catalogue(n=12):
    rng = np.random.default_rng(9)
    t = np.arange(60)
    rows = []
    for i in range(n):
        y = np.round((5 + 10 * i) * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) * (1 + 0.1 * rng.normal(size=60)))
        rows.append(pd.DataFrame({"unique_id": f"S{i:02d}", "ds": t, "y": np.maximum(y, 0)}))
    items = pd.DataFrame({"unique_id": [f"S{i:02d}" for i in range(n)], "unit_cost": 10.0, "lead_time": 2.0})
    return pd.concat(rows, ignore_index=True), items


def test_eoq_names_ordering_cost():
    with pytest.raises(fs.InvalidParameterError, match=r"`ordering_cost` = 0") as info:
        fs.eoq(ordering_cost=0, holding_cost=1.0, demand_rate=100.0)
    assert info.value.field == "ordering_cost"


def test_a_fill_rate_target_names_service_level():
    with pytest.raises(fs.InvalidParameterError, match=r"`service_level` = 1.2: .*\(a fill rate\)") as info:
        fs.safety_stock(10.0, 3.0, 2.0, service_level=1.2, method="fill_rate", order_quantity=10.0)
    assert info.value.field == "service_level"


def test_plan_gives_its_season_length_to_a_model_named_by_text():
    demand, items = _catalogue()
    recs, failures = fs.plan(demand, items, season_length=12, model="seasonal_naive")
    assert failures.empty and len(recs) == 12
    expected, _ = fs.plan(demand, items, model=fs.SeasonalNaive(12))
    pd.testing.assert_frame_equal(recs, expected)
    # A model without a season ignores it.
    recs, failures = fs.plan(demand, items, season_length=12, model="naive")
    assert failures.empty and len(recs) == 12


def test_service_levels_accept_a_partial_mapping():
    demand, items = _catalogue()
    recs, _ = fs.plan(demand, items, season_length=12, service_levels={"A": 0.98})
    levels = dict(zip(recs["abc_class"], recs["service_level"]))
    assert levels["A"] == 0.98 and levels["C"] == 0.90
    assert set(recs["abc_class"]) == {"A", "B", "C"} and levels["B"] == 0.95


def test_no_message_quotes_serde_positions():
    demand, items = _catalogue(3)
    calls = [
        lambda: fs.plan(demand, items, service_levels={"a": "high"}),
        lambda: fs.plan(demand, items, abc={"a": "x"}),
        lambda: fs.plan(demand, items, sizing="eoqq"),
        lambda: fs.plan(demand, items, horizon=-1),
        lambda: fs.plan(demand, items, periods_per_year="weekly"),
        lambda: fs.forecast(demand, h=2, model="no_such_model"),
        lambda: fs.forecast(demand, h=2, model="ets", spec=5),
        lambda: fs.recommend(sku="x", unit_cost=1, lead_time="soon"),
    ]
    for call in calls:
        with pytest.raises(fs.ForestockError) as info:
            call()
        assert "line 1 column" not in str(info.value), str(info.value)
