"""Lead times from receipts and purchase orders per supplier: frames and records in, the core's
figures out (shrinkage weights, outlier flags, per-line rejections, pack-multiple top-ups)."""

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest

import forestock as fs


def _receipts():
    rows = []
    for i in range(30):  # steady: 4, 5, 6 days in turn
        rows.append({"sku": "steady", "supplier": "acme", "ordered_at": i, "received_at": i + 4 + i % 3, "quantity": 10})
    rows.append({"sku": "new", "supplier": "acme", "ordered_at": 40, "received_at": 49, "quantity": 5})
    rows.append({"sku": "steady", "supplier": "acme", "ordered_at": 50, "received_at": 75, "quantity": 10})  # 5x
    rows.append({"sku": "steady", "supplier": "acme", "ordered_at": 60, "received_at": 58, "quantity": 10})
    rows.append({"sku": "steady", "supplier": "acme", "ordered_at": 61, "received_at": 65, "quantity": np.nan})
    return rows


def test_lead_times_from_records():
    out = fs.lead_times_from_receipts(_receipts())
    est = {(e["sku"], e["supplier"]): e for e in out["estimates"]}
    supplier = out["suppliers"][0]
    assert supplier["receipts"] == 31
    new, steady = est[("new", "acme")], est[("steady", "acme")]
    # k = 3: one receipt moves 3/4 of the way to the supplier's mean, thirty move 3/33.
    assert (new["raw_mean"] - new["mean"]) / (new["raw_mean"] - supplier["mean"]) == pytest.approx(0.75, abs=1e-12)
    assert (steady["raw_mean"] - steady["mean"]) / (steady["raw_mean"] - supplier["mean"]) == pytest.approx(
        3 / 33, abs=1e-12
    )
    assert steady["raw_mean"] == pytest.approx(5.0)
    assert [(o["row"], o["lead_time"]) for o in out["outliers"]] == [(32, 25.0)]
    assert "upper fence" in out["outliers"][0]["reason"]
    assert [(r["row"], r["field"]) for r in out["rejected"]] == [(33, "received_at"), (34, "quantity")]


def test_lead_times_from_a_frame_with_dates_and_items():
    base = dt.date(2026, 1, 5)
    frame = pd.DataFrame(
        {
            "sku": ["a", "a", "b"],
            "supplier": ["s", "s", "s"],
            "ordered_at": pd.to_datetime([base, base + dt.timedelta(days=7), base]),
            "received_at": pd.to_datetime([base + dt.timedelta(days=14), base + dt.timedelta(days=28), pd.NaT]),
            "quantity": [5.0, 5.0, 1.0],
        }
    )
    items = pd.DataFrame({"unique_id": ["a", "z"], "unit_cost": [2.0, 3.0], "lead_time": [9.0, 9.0]})
    out = fs.lead_times_from_receipts(frame, items=items, days_per_period=7)
    assert isinstance(out["estimates"], pd.DataFrame)
    a = out["estimates"].set_index("sku").loc["a"]
    assert a["raw_mean"] == pytest.approx(2.5)  # 2 and 3 weeks
    assert list(out["rejected"]["field"]) == ["received_at"]
    assert out["fill"]["filled"] == ["a"]
    assert out["fill"]["without_estimate"][0]["sku"] == "z"
    filled = out["items"].set_index("sku")
    assert filled.loc["a", "lead_time"] == pytest.approx(a["mean"])
    assert filled.loc["z", "lead_time"] == 9.0
    polars_out = fs.lead_times_from_receipts(pl.from_pandas(frame), days_per_period=7)
    assert isinstance(polars_out["estimates"], pl.DataFrame)


def test_bad_config_raises_a_named_error():
    with pytest.raises(fs.InvalidParameterError, match="credibility_k"):
        fs.lead_times_from_receipts(_receipts(), credibility_k=0)


ITEMS = pd.DataFrame(
    {
        "unique_id": ["due", "soon", "later", "capped", "loose"],
        "unit_cost": [10.0, 10.0, 10.0, 10.0, 1.0],
        "lead_time": [2.0] * 5,
        "lot_size": [1.0, 4.0, 4.0, 5.0, 1.0],
        "max_order": [np.nan, np.nan, np.nan, 10.0, np.nan],
        "supplier": ["s", "s", "s", "t", None],
    }
)


def _plan_rows():
    return [
        {"sku": "due", "order_quantity": 5.0, "days_until_stockout": 2.0, "inventory_position": 1, "reorder_point": 9},
        {"sku": "soon", "order_quantity": 0.0, "days_until_stockout": 4.0, "inventory_position": 9, "reorder_point": 9},
        {"sku": "later", "order_quantity": 0.0, "days_until_stockout": 9.0, "inventory_position": 9, "reorder_point": 9},
        {"sku": "capped", "order_quantity": 5.0, "days_until_stockout": 1.0, "inventory_position": 0, "reorder_point": 9},
        {"sku": "loose", "order_quantity": 3.0, "days_until_stockout": np.nan, "inventory_position": 0, "reorder_point": 3},
    ]


def test_purchase_orders_top_up_and_report():
    suppliers = [{"id": "s", "min_order_value": 120}, {"id": "t", "min_order_value": 500, "free_freight_threshold": 800}]
    out = fs.purchase_orders(_plan_rows(), suppliers, ITEMS)
    orders = {o["supplier"]: o for o in out["orders"]}
    s = orders["s"]
    assert [(line["sku"], line["quantity"], line["reason"]) for line in s["lines"]] == [
        ("due", 6.0, "topped_up"),
        ("soon", 4.0, "brought_forward"),
        ("later", 4.0, "brought_forward"),
    ]
    assert (s["total_value"], s["recommended_value"], s["meets_min_order_value"]) == (140.0, 50.0, True)
    t = orders["t"]
    assert t["lines"][0]["quantity"] == 10.0  # capped at its maximum
    assert (t["meets_min_order_value"], t["shortfall"]) == (False, 700.0)
    assert "cannot reach" in t["note"]
    assert orders[None]["lines"][0]["sku"] == "loose"
    assert list(out["lines"]["sku"]) == ["due", "soon", "later", "capped", "loose"]
    assert out["failures"] == []


def test_purchase_orders_from_the_plan_frames():
    rng = np.random.default_rng(3)
    demand = pd.concat(
        [pd.DataFrame({"unique_id": sku, "ds": np.arange(60), "y": 40 + rng.normal(0, 4, 60).round()}) for sku in ["x", "y"]]
    )
    items = pd.DataFrame(
        {
            "unique_id": ["x", "y"],
            "unit_cost": [3.0, 2.0],
            "lead_time": [2.0, 3.0],
            "lot_size": [12.0, 6.0],
            "holding_cost_rate": [0.004, 0.004],
            "supplier": ["s", "s"],
        }
    )
    result = fs.plan(demand, items, horizon=4, season_length=1)
    out = fs.purchase_orders(result, pd.DataFrame({"id": ["s"], "min_order_value": [2000.0]}), items)
    order = out["orders"][0]
    assert order["total_value"] >= 2000.0
    for line in order["lines"]:
        assert line["quantity"] % line["pack_size"] == 0
    with pytest.raises(fs.InvalidParameterError, match="suppliers"):
        fs.purchase_orders(result, [{"id": "s"}, {"id": "s"}], items)
