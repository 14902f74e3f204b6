"""Inventory policy functions: argument conversion around the core's `forestock::inventory`.

Every number comes from the core; dicts in and out follow the core's serde structs (field names,
enum tags), documented in docs/inventory.md and docs/python.md.
"""

from __future__ import annotations

from typing import Any


from . import _native
from ._convert import as_number, as_optional_number, as_series, invalid_parameter


def _policy(
    demand_mean: float,
    demand_sd: float,
    lead_time: float,
    lead_time_sd: float,
    service_level: float,
    method: str,
    order_quantity: float | None,
    review_period: float | None,
    distribution: str,
) -> dict[str, Any]:
    for value, name in ((method, "method"), (distribution, "distribution")):
        if not isinstance(value, str):
            raise invalid_parameter(name, f"{name} must be a string, got {value!r}")
    return (
        _native.safety_stock(
            as_number(demand_mean, "demand_mean"),
            as_number(demand_sd, "demand_sd"),
            as_number(lead_time, "lead_time"),
            as_number(lead_time_sd, "lead_time_sd"),
            as_number(service_level, "service_level"),
            method,
            as_optional_number(order_quantity, "order_quantity"),
            as_optional_number(review_period, "review_period"),
            distribution,
        )
    )


def safety_stock(
    demand_mean: float,
    demand_sd: float,
    lead_time: float,
    lead_time_sd: float = 0.0,
    service_level: float = 0.95,
    method: str = "cycle_service",
    order_quantity: float | None = None,
    review_period: float | None = None,
    distribution: str = "normal",
) -> float:
    """Safety stock: the level minus the mean demand over the protection interval (core
    `inventory::safety_stock`, the same function as Node's `safetyStock`).

    Per-period demand has mean `demand_mean` and sd `demand_sd`; the lead time (periods) has mean
    `lead_time` and sd `lead_time_sd`, so lead-time demand has sd ``sqrt(L σ_d² + d² σ_L²)``.
    Without `review_period` the policy is continuous review (r, Q) over the lead time; with it,
    periodic review (R, S) over ``R + L``.
    `method="cycle_service"` (alias ``"cycle"``): `service_level` is the probability of no stockout
    per cycle (z = Φ⁻¹(α)); `method="fill_rate"`: the fraction of demand served from stock, which
    needs `order_quantity` under continuous review. `distribution="discrete"` uses Poisson /
    negative binomial demand (intermittent items) instead of the normal.
    """
    return _policy(
        demand_mean, demand_sd, lead_time, lead_time_sd, service_level, method, order_quantity, review_period, distribution
    )["safety_stock"]


def reorder_point(
    demand_mean: float,
    demand_sd: float,
    lead_time: float,
    lead_time_sd: float = 0.0,
    service_level: float = 0.95,
    method: str = "cycle_service",
    order_quantity: float | None = None,
    review_period: float | None = None,
    distribution: str = "normal",
) -> float:
    """Reorder point r = mean lead-time demand + safety stock, or the order-up-to level S with
    `review_period` (same arguments as `safety_stock`)."""
    return _policy(
        demand_mean, demand_sd, lead_time, lead_time_sd, service_level, method, order_quantity, review_period, distribution
    )["reorder_point"]


def eoq(ordering_cost: float, holding_cost: float, demand_rate: float) -> dict[str, float]:
    """Economic order quantity ``Q* = sqrt(2 K λ / h)`` and its cost per unit time ``sqrt(2 K λ h)``.

    Returns ``{"order_quantity": Q*, "cost": g(Q*)}`` (stockpyl ``economic_order_quantity``).
    """
    return (
        _native.eoq(
            as_number(ordering_cost, "ordering_cost"),
            as_number(holding_cost, "holding_cost"),
            as_number(demand_rate, "demand_rate"),
        )
    )


def abc_classify(values: Any, a: float = 0.8, b: float = 0.95) -> list[dict[str, Any]]:
    """ABC classes by share of total value, in input order.

    Items ranked by value: class A while the cumulative share is within `a`, B within `b`, C
    after. Each entry: ``{"class": "A"|"B"|"C", "rank", "value", "share", "cumulative_share"}``.
    """
    return _native.abc_classify(as_series(values, "values"), as_number(a, "a"), as_number(b, "b"))


def classify_demand(demand: Any) -> dict[str, Any]:
    """Syntetos-Boylan demand pattern of a history (core `inventory::abc::classify_demand`).

    Returns ``{"adi", "cv2", "nonzero_periods", "pattern"}`` with pattern one of ``"smooth"``,
    ``"erratic"``, ``"intermittent"``, ``"lumpy"``, ``"no_demand"`` (ADI cut-off 1.32, CV² 0.49);
    ``adi`` is ``inf`` when there is no demand.
    """
    out = _native.classify_demand(as_series(demand, "demand"))
    if out.get("adi") is None:
        out["adi"] = float("inf")
    return out


def recommend(**item: Any) -> dict[str, Any]:
    """One item's reorder recommendation (core `inventory::recommend`).

    Keyword arguments are the fields of the core's `ItemPolicyInput`, e.g.::

        fs.recommend(on_hand=120, lead_time=2, unit_cost=4.0, holding_cost_rate=0.005,
                     service={"kind": "cycle_service", "value": 0.95},
                     demand={"kind": "stationary", "mean": 50, "sd": 12})

    Returns the core's `Recommendation` as a dict (`should_reorder`, `order_quantity`,
    `reorder_point`, `order_up_to`, `safety_stock`, `priority`, ...).
    """
    return _native.recommend(item)


def simulate_policy(
    policy: dict[str, Any],
    demand: dict[str, Any],
    lead_time: dict[str, Any],
    **config: Any,
) -> dict[str, Any]:
    """Closed-loop simulation of an inventory policy (core `inventory::simulate`), GIL released.

    `policy`: ``{"kind": "reorder_point", "reorder_point": s, "order_quantity": Q}`` or
    ``{"kind": "order_up_to", "review_period": R, "order_up_to": S}``; `demand`:
    ``{"kind": "normal", "mean", "sd"}``, ``{"kind": "poisson", "mean"}`` or
    ``{"kind": "intermittent", "probability", "size_mean"}``; `lead_time`: ``{"kind": "fixed",
    "periods"}``, ``{"kind": "discrete", "periods", "probabilities"}`` or ``{"kind":
    "rounded_normal", "mean", "sd"}``. `config` keywords: `periods`, `warmup`, `trials`, `seed`,
    `allow_crossing`, `stream` (the core's defaults otherwise). Returns the `SimulationReport` dict
    (`cycle_service_level`, `fill_rate`, `average_on_hand`, ...).
    """
    return (
        _native.simulate_policy(
            policy, demand, lead_time, config
        )
    )
