"""Inventory functions: figures from stockpyl 1.0.2 (tests/fixtures/reference) and scipy.stats."""

import json

import numpy as np
import pytest
from scipy import optimize, stats

import forestock as fs
from conftest import FIXTURES


def _cases(function):
    cases = []
    for name in ("stockpyl_inventory.json", "stockpyl_inventory_extra.json"):
        with open(FIXTURES / "reference" / name) as f:
            cases += [c for c in json.load(f)["cases"] if c["function"] == function]
    assert cases, function
    return cases


@pytest.mark.parametrize("case", _cases("economic_order_quantity"), ids=str)
def test_eoq_matches_stockpyl(case):
    a = case["args"]
    out = fs.eoq(ordering_cost=a["K"], holding_cost=a["h"], demand_rate=a["demand_rate"])
    assert out["order_quantity"] == pytest.approx(case["expected"]["Q"], rel=1e-12)
    assert out["cost"] == pytest.approx(case["expected"]["cost"], rel=1e-12)


@pytest.mark.parametrize("case", _cases("r_q_eoqss_approximation"), ids=str)
def test_reorder_point_matches_stockpyl_eoqss(case):
    # stockpyl's EOQ+SS reorder point is the cycle-service reorder point at α = p / (p + h).
    a = case["args"]
    alpha = a["stockout_cost"] / (a["stockout_cost"] + a["holding_cost"])
    r = fs.reorder_point(a["demand_mean"], a["demand_sd"], a["lead_time"], service_level=alpha)
    assert r == pytest.approx(case["expected"]["r"], rel=1e-10)


@pytest.mark.parametrize("service_level", [0.5, 0.9, 0.95, 0.99, 0.999])
def test_cycle_safety_stock_uses_scipy_z(service_level):
    d, sd, lt, lt_sd = 100.0, 20.0, 4.0, 1.0
    ss = fs.safety_stock(d, sd, lt, lead_time_sd=lt_sd, service_level=service_level)
    sigma = np.sqrt(lt * sd**2 + d**2 * lt_sd**2)
    assert ss == pytest.approx(stats.norm.ppf(service_level) * sigma, rel=1e-9, abs=1e-9)
    assert fs.reorder_point(d, sd, lt, lt_sd, service_level) == pytest.approx(d * lt + ss, rel=1e-12)


def test_fill_rate_safety_stock_solves_the_loss_equation():
    d, sd, lt, q, beta = 50.0, 10.0, 2.0, 200.0, 0.98
    sigma = sd * np.sqrt(lt)
    # Standard normal loss L(k) = φ(k) - k (1 - Φ(k)); the fill-rate k solves σ L(k) = (1 - β) Q.
    loss = lambda k: stats.norm.pdf(k) - k * stats.norm.sf(k)  # noqa: E731
    k = optimize.brentq(lambda k: sigma * loss(k) - (1 - beta) * q, -10, 10, xtol=1e-14)
    ss = fs.safety_stock(d, sd, lt, service_level=beta, method="fill_rate", order_quantity=q)
    assert ss == pytest.approx(k * sigma, rel=1e-7)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"service_level": 1.0}, "service_level"),
        ({"service_level": float("nan")}, "service_level"),
        ({"method": "cycles"}, "method"),
        ({"method": "fill_rate"}, "order_quantity"),
        ({"method": "fill_rate", "order_quantity": -3.0}, "order_quantity"),
        ({"lead_time_sd": -1.0}, None),
        ({"demand_mean": float("nan")}, "demand_mean"),
        ({"demand_sd": float("inf")}, "demand_sd"),
        ({"demand_mean": 1e308, "demand_sd": 1e308}, None),
    ],
    ids=str,
)
def test_bad_policy_arguments(kwargs, field):
    args = {"demand_mean": 100.0, "demand_sd": 20.0, "lead_time": 4.0, **kwargs}
    for function in (fs.safety_stock, fs.reorder_point):
        with pytest.raises(fs.InvalidParameterError) as info:
            function(**args)
        if field:
            assert info.value.field == field


def test_safety_stock_method_aliases_review_period_and_distribution():
    base = dict(demand_mean=100.0, demand_sd=20.0, lead_time=4.0, lead_time_sd=1.0, service_level=0.95)
    ss = fs.safety_stock(**base)
    for method in ("cycle_service", "cycle", "cycleService"):
        assert fs.safety_stock(**base, method=method) == ss
    assert fs.reorder_point(**base, method="fillRate", order_quantity=500) == fs.reorder_point(
        **base, method="fill_rate", order_quantity=500
    )
    # Periodic review (R, S), fixed lead time: protection over R + L = 5 periods, S = 500 + z σ_d sqrt(5).
    fixed = {**base, "lead_time_sd": 0.0}
    ss5 = stats.norm.ppf(0.95) * 20.0 * np.sqrt(5.0)
    assert fs.safety_stock(**fixed, review_period=1) == pytest.approx(ss5, rel=1e-9)
    assert fs.reorder_point(**fixed, review_period=1) == pytest.approx(500.0 + ss5, rel=1e-9)
    discrete = fs.reorder_point(0.3, 0.6, 2.0, service_level=0.9, distribution="discrete")
    assert discrete == int(discrete)
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.safety_stock(**base, distribution="cauchy")
    assert info.value.field == "distribution"


def test_eoq_rejects_non_positive_cost():
    with pytest.raises(fs.InvalidParameterError):
        fs.eoq(0.0, 1.0, 100.0)


def test_abc_classify_by_value_share():
    values = [6.0, 70.0, 1.0, 20.0, 3.0]  # cumulative shares in rank order: 0.70, 0.90, 0.96, 0.99, 1.00
    out = fs.abc_classify(values, a=0.8, b=0.95)
    assert [item["class"] for item in out] == ["C", "A", "C", "B", "C"]
    assert [item["rank"] for item in out] == [3, 1, 5, 2, 4]
    assert [item["share"] for item in out] == pytest.approx([0.06, 0.70, 0.01, 0.20, 0.03])
    assert [item["cumulative_share"] for item in out] == pytest.approx([0.96, 0.70, 1.0, 0.90, 0.99])
    with pytest.raises(fs.InvalidParameterError):
        fs.abc_classify(values, a=0.9, b=0.5)


ITEM = dict(
    on_hand=120.0,
    lead_time=2.0,
    unit_cost=4.0,
    holding_cost_rate=0.005,
    service={"kind": "cycle_service", "value": 0.95},
    demand={"kind": "stationary", "mean": 50.0, "sd": 12.0},
)


def test_recommend_order_up_to_covers_review_plus_lead_time():
    rec = fs.recommend(**ITEM)
    # Default review period R = 1: protection over R + L = 3 periods, S = 3·50 + z·12·sqrt(3).
    assert rec["protection_mean"] == pytest.approx(150.0)
    assert rec["protection_sd"] == pytest.approx(12.0 * np.sqrt(3.0))
    assert rec["order_up_to"] == pytest.approx(150.0 + stats.norm.ppf(0.95) * 12.0 * np.sqrt(3.0), rel=1e-9)
    assert rec["inventory_position"] == 120.0
    assert rec["should_reorder"] and rec["order_quantity"] == pytest.approx(rec["order_up_to"] - 120.0, rel=1e-9)


def test_recommend_bad_input():
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.recommend(**{k: v for k, v in ITEM.items() if k != "unit_cost"})
    assert info.value.field == "unit_cost"
    with pytest.raises(fs.InvalidParameterError):
        fs.recommend(**{**ITEM, "on_hand": -5.0})


def test_simulate_policy_reaches_the_cycle_service_target():
    z = stats.norm.ppf(0.95)
    # Base stock (R, S) with R = 1, fixed L = 4: S protects R + L = 5 periods of N(100, 20²) demand.
    s = 100.0 * 5 + z * 20.0 * np.sqrt(5)
    report = fs.simulate_policy(
        {"kind": "order_up_to", "review_period": 1, "order_up_to": s},
        {"kind": "normal", "mean": 100.0, "sd": 20.0},
        {"kind": "fixed", "periods": 4},
        periods=4000,
        trials=4,
        seed=7,
    )
    assert abs(report["cycle_service_level"] - 0.95) < 0.02
    again = fs.simulate_policy(
        {"kind": "order_up_to", "review_period": 1, "order_up_to": s},
        {"kind": "normal", "mean": 100.0, "sd": 20.0},
        {"kind": "fixed", "periods": 4},
        periods=4000,
        trials=4,
        seed=7,
    )
    assert report == again
    with pytest.raises(fs.InvalidParameterError):
        fs.simulate_policy({"kind": "reorder_point"}, {"kind": "poisson", "mean": 1.0}, {"kind": "fixed", "periods": 1})


def test_classify_demand_follows_syntetos_boylan():
    c = fs.classify_demand([0, 3, 0, 0, 3, 0, 4, 0])
    assert c["pattern"] == "intermittent"
    assert c["adi"] == pytest.approx(8 / 3)
    assert fs.classify_demand([5, 6, 5, 7, 6])["pattern"] == "smooth"
    none = fs.classify_demand([0, 0, 0])
    assert none["pattern"] == "no_demand" and none["adi"] == float("inf")
    with pytest.raises(fs.ForestockError):
        fs.classify_demand([1.0, -2.0])


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: fs.safety_stock(demand_mean="x", demand_sd=1, lead_time=1), "demand_mean"),
        (lambda: fs.reorder_point(demand_mean=10, demand_sd=None, lead_time=1), "demand_sd"),
        (lambda: fs.safety_stock(demand_mean=10, demand_sd=1, lead_time=True), "lead_time"),
        (lambda: fs.eoq(ordering_cost="50", holding_cost=[1], demand_rate=100), "holding_cost"),
        (lambda: fs.abc_classify([1.0, 2.0], a="0.8x"), "a"),
    ],
)
def test_non_numeric_arguments_are_invalid_parameters(call, field):
    with pytest.raises(fs.InvalidParameterError) as err:
        call()
    assert err.value.field == field and err.value.code == "ERR_INVALID_PARAMETER"
