"""fs.classify_catalogue (core plan::classify_catalogue): the planner's ABC step alone."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs


def _catalogue(n=60):
    rng = np.random.default_rng(7)
    rows = []
    for k in range(n):
        y = rng.poisson(3 + k % 17, 40 + k % 20)
        rows += [(f"s{k:02d}", t, float(v)) for t, v in enumerate(y)]
    demand = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    items = pd.DataFrame(
        {
            "unique_id": [f"s{k:02d}" for k in range(n)],
            "unit_cost": rng.uniform(0.5, 50.0, n).round(2),
            "lead_time": 2.0,
            "service_level": [0.97 if k % 11 == 0 else np.nan for k in range(n)],
        }
    )
    return demand, items


def test_classes_equal_the_plans_classes():
    demand, items = _catalogue()
    recs, failures = fs.plan(demand, items, horizon=2, season_length=1, model="naive")
    assert len(failures) == 0
    classes, cat_failures = fs.classify_catalogue(demand, items)
    assert len(cat_failures) == 0
    got = classes.set_index("unique_id").loc[recs["unique_id"]]
    assert list(got["abc_class"]) == list(recs["abc_class"])
    assert list(got["usage_rank"]) == list(recs["usage_rank"])
    assert list(got["service_level"]) == list(recs["service_level"])
    # the per-SKU override wins over the class level
    assert (classes.set_index("unique_id").loc[["s00", "s11"], "service_level"] == 0.97).all()


def test_bad_skus_fail_alone():
    demand, items = _catalogue(6)
    demand.loc[3, "y"] = -1.0
    items = pd.concat([items, pd.DataFrame({"unique_id": ["orphan"], "unit_cost": [1.0]})], ignore_index=True)
    items.loc[2, "service_level"] = 1.5
    classes, failures = fs.classify_catalogue(demand, items, periods_per_year=12)
    codes = dict(zip(failures["unique_id"], failures["code"]))
    assert codes == {"s00": "ERR_INVALID_SERIES", "orphan": "ERR_MISSING_DATA", "s02": "ERR_INVALID_PARAMETER"}
    assert sorted(classes["unique_id"]) == ["s01", "s03", "s04", "s05"]
    with pytest.raises(fs.InvalidParameterError):
        fs.classify_catalogue(demand, items, periods_per_year=0)
