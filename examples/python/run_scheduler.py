"""Run the daily planning job on forestock's reference scheduler.

    python examples/python/run_scheduler.py SECONDS [CRON]

Schedules the ready-made planning job (`fs.daily_plan_job`: load -> `fs.plan` -> store, with a
hash-chained audit record per run) on a small generated catalogue at the fire times of CRON
(default: every minute, "* * * * *"; a 6-field expression counts seconds, e.g. "*/2 * * * * *"),
runs the scheduler on its background thread for SECONDS seconds, then shuts it down and prints the
job's statistics. In a service, `load` would read the demand and the item master from your database
and `store` would write the recommendations back.
"""

import logging
import sys
import time

import numpy as np
import pandas as pd

import forestock as fs


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(1)
    skus = [f"sku-{k:02d}" for k in range(12)]
    demand = pd.DataFrame(
        {"unique_id": np.repeat(skus, 60), "ds": np.tile(np.arange(60), len(skus)), "y": rng.poisson(20, 60 * len(skus)).astype(float)}
    )
    items = pd.DataFrame({"unique_id": skus, "unit_cost": 10.0, "lead_time": 2.0, "on_hand": 30.0, "holding_cost_rate": 0.005})
    return demand, items


def store(result: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    recs, _failures = result
    orders = int(recs["should_reorder"].sum())
    print(f"plan run at {time.strftime('%H:%M:%S')}: {len(recs)} SKUs planned, {orders} orders", flush=True)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 65.0
    cron = sys.argv[2] if len(sys.argv) > 2 else "* * * * *"
    logging.basicConfig(level=logging.INFO)
    audit = fs.AuditLog()
    daily_plan = fs.daily_plan_job(load, store, audit=audit, horizon=4, season_length=1)
    sched = fs.Scheduler()
    sched.add_job("daily-plan", cron, daily_plan, timezone="UTC", misfire_grace=30)
    print(f"next run of daily-plan: {sched.next_run('daily-plan').isoformat()}", flush=True)
    sched.start()
    time.sleep(seconds)
    sched.shutdown(wait=True)
    job = sched.job("daily-plan")
    print(f"audit log: {len(audit)} records, verified={audit.verify()}")
    print(f"shut down: runs={job.runs} failures={job.failures} skipped={job.skipped} misfires={job.misfires}")


if __name__ == "__main__":
    main()
