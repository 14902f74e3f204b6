"""Python half of the cross-language equality test: read tests/fixtures/cross_language/inputs.json,
answer every case through the public `forestock` API, print the answers as JSON (snake_case keys,
null and NaN fields left out). bindings-node/__test__/cross_language.test.js runs this script and
asserts that Node's answers to the same inputs are identical; test_cross_language.py runs the
Node half when the addon is built."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

import forestock as fs

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "cross_language" / "inputs.json"

#: Per-SKU fields of a plan compared across languages (the recommendation besides).
PLAN_FIELDS = ("abc_class", "usage_rank", "demand_pattern", "model", "model_reason", "service_level")
RECOMMENDATION_FIELDS = (
    "inventory_position", "should_reorder", "order_quantity", "reorder_point", "order_up_to", "safety_stock",
    "protection_mean", "protection_sd", "eoq", "priority", "periods_until_stockout", "stockout_period",
    "expected_cost_per_period", "reason",
)


def clean(value: Any) -> Any:
    """Plain JSON values: numpy scalars unwrapped, None and NaN fields dropped."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if not _missing(v)}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def _missing(value: Any) -> bool:
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    return value is None or (isinstance(value, float) and math.isnan(value))


def frames(case: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    demand = pd.DataFrame(
        [(h["sku"], t, float(v)) for h in case["histories"] for t, v in enumerate(h["demand"])],
        columns=["unique_id", "ds", "y"],
    )
    items = pd.DataFrame(case["items"]).rename(columns={"sku": "unique_id"})
    return demand, items


def answers(inputs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["safety_stock"] = [
        {"safety_stock": fs.safety_stock(**req), "reorder_point": fs.reorder_point(**req)} for req in inputs["safety_stock"]
    ]
    out["eoq"] = [fs.eoq(**case) for case in inputs["eoq"]]
    out["abc_classify"] = [fs.abc_classify(**case) for case in inputs["abc_classify"]]
    out["recommend"] = [fs.recommend(**case) for case in inputs["recommend"]]
    out["retrain_decision"] = [
        fs.retrain_decision(
            case["baseline_errors"],
            case["recent_errors"],
            recent_mape=case["recent_mape"],
            recent_mase=case["recent_mase"],
            model_age_days=case["model_age_days"],
        )
        for case in inputs["retrain_decision"]
    ]
    catalogue = inputs["catalogue"]
    demand, items = frames(catalogue)
    classes, failures = fs.classify_catalogue(demand, items, **catalogue["config"])
    out["classify_catalogue"] = {
        "classes": [dict(row, sku=row.pop("unique_id")) for row in classes.to_dict(orient="records")],
        "failures": [dict(row, sku=row.pop("unique_id")) for row in failures.to_dict(orient="records")],
    }
    recs, plan_failures = fs.plan(demand, items, horizon=2, level=[95], model="naive", **catalogue["config"])
    unused = recs.attrs["unused_periods"]
    out["plan"] = {
        "plans": [
            {
                "sku": row["unique_id"],
                **{k: row[k] for k in PLAN_FIELDS},
                "unused_periods": [
                    {"period": u["period"], "reason": u["reason"]} for u in unused if u["unique_id"] == row["unique_id"]
                ],
                "recommendation": {k: row[k] for k in RECOMMENDATION_FIELDS if k in row},
                "events": [
                    {k: v for k, v in e.items() if k != "unique_id"}
                    for e in recs.attrs.get("events", [])
                    if e["unique_id"] == row["unique_id"]
                ],
            }
            for row in recs.to_dict(orient="records")
        ],
        "failures": [dict(row, sku=row.pop("unique_id")) for row in plan_failures.to_dict(orient="records")],
    }
    # The daily job's audit record: the core's payload, identical in every language.
    log = fs.AuditLog()
    job = fs.daily_plan_job(
        lambda: (demand, items), lambda result: None, audit=log, horizon=2, level=[95], model="naive", **catalogue["config"]
    )
    try:
        job()
    except fs.PlanRunError:
        pass  # a degraded run is recorded all the same
    out["daily_plan_audit"] = [{"kind": r["kind"], "payload": r["payload"]} for r in log.records]
    return clean(out)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    json.dump(answers(json.loads(path.read_text())), sys.stdout, allow_nan=False, sort_keys=True)
