"""Plan a small catalogue: forecasts, ABC classes and reorder recommendations in one call.

    python examples/python/plan_catalogue.py [N_SKUS]

Builds N_SKUS (default 30) SKUs with weekly demand histories (smooth, seasonal and intermittent)
and an item master (cost, lead time, stock on hand), runs `fs.plan` and prints the orders to place.
"""

import sys

import numpy as np
import pandas as pd

import forestock as fs


def catalogue(n_skus: int, weeks: int = 104) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    demand, items = [], []
    for k in range(n_skus):
        sku = f"sku-{k:03d}"
        if k % 4 == 3:  # intermittent spare part
            y = np.where(rng.random(weeks) < 0.2, rng.integers(1, 6, weeks), 0).astype(float)
        else:
            season = 1.0 + 0.25 * np.sin(2 * np.pi * np.arange(weeks) / 52 + k)
            y = rng.poisson(rng.uniform(5, 120) * season).astype(float)
        demand.append(pd.DataFrame({"unique_id": sku, "ds": np.arange(weeks), "y": y}))
        items.append(
            {
                "unique_id": sku,
                "unit_cost": round(float(rng.uniform(1, 60)), 2),
                "lead_time": float(rng.integers(1, 5)),
                "on_hand": float(rng.integers(0, 3) * y[-8:].sum() / 4),
                "ordering_cost": 25.0,
                "holding_cost_rate": 0.005,  # per week, as a fraction of the unit cost
            }
        )
    return pd.concat(demand, ignore_index=True), pd.DataFrame(items)


def main() -> None:
    n_skus = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    demand, items = catalogue(n_skus)
    recs, failures = fs.plan(demand, items, horizon=4, season_length=52)
    orders = recs[recs["should_reorder"]].sort_values("order_quantity", ascending=False)
    stats = recs.attrs["stats"]
    print(f"planned {stats['planned']} SKUs, {stats['failed']} failed, {stats['orders']} orders")
    columns = ["unique_id", "abc_class", "demand_pattern", "model", "inventory_position", "reorder_point", "order_quantity", "priority"]
    print(orders[columns].to_string(index=False))
    if len(failures):
        print(failures.to_string(index=False))


if __name__ == "__main__":
    main()
