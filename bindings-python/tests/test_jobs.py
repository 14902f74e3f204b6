"""Ready-made scheduler jobs: the daily plan and weekly retrain callables, their audit records, and
what happens when the caller's load/store fail."""

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

import forestock as fs
from conftest import FakeClock, job_demand as _demand

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


ITEMS = pd.DataFrame(
    {
        "unique_id": ["smooth", "sparse", "broken"],
        "unit_cost": [5.0, 20.0, 1.0],
        "lead_time": [2.0, 3.0, 1.0],
        "on_hand": [0.0, 50.0, 0.0],
        "holding_cost_rate": [0.004, 0.004, 0.004],
    }
)


def test_daily_plan_job_loads_plans_stores_and_returns():
    stored = []
    job = fs.daily_plan_job(lambda: (_demand(), ITEMS), stored.append, horizon=4, season_length=1)
    result = job()
    recommendations, failures = result
    assert stored == [result]
    expected, expected_failures = fs.plan(_demand(), ITEMS, horizon=4, season_length=1)
    pd.testing.assert_frame_equal(recommendations, expected)
    pd.testing.assert_frame_equal(failures, expected_failures)
    assert list(failures["unique_id"]) == ["broken"]


def test_daily_plan_job_appends_a_hash_chained_run_record(tmp_path):
    log = fs.AuditLog()
    path = tmp_path / "audit.jsonl"
    clock = FakeClock(T0)
    job = fs.daily_plan_job(
        lambda: (_demand(), ITEMS), lambda result: None, audit=log, audit_file=path, clock=clock, season_length=1
    )
    recommendations, _ = job()
    clock.now += timedelta(days=1)
    job()
    records = log.records
    assert [r["kind"] for r in records] == ["run", "run"]
    assert [r["timestamp"] for r in records] == [T0, T0 + timedelta(days=1)]
    payload = records[0]["payload"]
    # The core's record (`PlanOutput::audit_payload`), the one Node's job and the Rust job write.
    assert payload["job"] == "daily_plan" and payload["status"] == "ok"
    assert payload["stats"] == recommendations.attrs["stats"]
    assert payload["config"]["horizon"] == 4 and payload["config"]["model"]["season_length"] == 1
    due = recommendations[recommendations["should_reorder"]]
    assert payload["orders"] == [
        [u, q, p] for u, q, p in zip(due["unique_id"], due["order_quantity"], due["priority"])
    ]
    assert payload["orders"] and payload["failures"] == [["broken", "ERR_INVALID_SERIES"]]
    assert log.verify() and fs.AuditLog.load(path).records == records


def test_weekly_retrain_job_updates_and_stores_the_registry(tmp_path):
    registry_path = tmp_path / "registry.json"
    fs.Registry().save(registry_path)
    log = fs.AuditLog()
    clock = FakeClock(T0)

    def load():
        return _demand(), fs.Registry.load(registry_path)

    def store(report, registry):
        registry.save(registry_path)

    job = fs.weekly_retrain_job(load, store, audit=log, clock=clock, season_length=1)
    first = job()
    assert first["promoted"] == 2 and [f["sku"] for f in first["failures"]] == ["broken"]
    saved = fs.Registry.load(registry_path)
    assert saved.skus() == ["smooth", "sparse"]
    assert saved.champion("smooth").created_at == T0

    clock.now += timedelta(days=7)
    second = job()
    assert second["promoted"] == 0
    assert len(fs.Registry.load(registry_path).history) == 4

    kinds = [r["kind"] for r in log.records]
    assert kinds == ["run", "promotion", "promotion", "run"]
    run = log.records[0]["payload"]
    assert {k: v for k, v in run.items() if k != "config"} == {
        "job": "weekly_retrain",
        "skus": 3,
        "retrained": 2,
        "promoted": ["smooth", "sparse"],
        "failures": [["broken", first["failures"][0]["code"]]],
    }
    assert run["config"]["backtest"]["horizon"] == first["audit"][0]["payload"]["config"]["backtest"]["horizon"]
    promotion = log.records[1]["payload"]
    assert promotion["sku"] == "smooth" and promotion["promoted"] is True
    assert promotion["decided_at"].startswith("2026-03-02T06:00:00")
    assert log.records[3]["timestamp"] == T0 + timedelta(days=7)
    assert log.verify()


def test_jobs_run_from_the_scheduler():
    clock = FakeClock(T0 - timedelta(minutes=1))
    stored = []
    sched = fs.Scheduler(clock=clock)
    sched.add_job("daily-plan", "0 6 * * *", fs.daily_plan_job(lambda: (_demand(), ITEMS), stored.append, season_length=1))
    sched.run_pending()
    assert stored == []
    clock.now = T0
    assert sched.run_pending() == ["daily-plan"]
    assert sched.wait_idle(timeout=30)  # jobs run on worker threads
    assert len(stored) == 1 and len(stored[0][0]) == 2
    assert sched.job("daily-plan").runs == 1 and sched.job("daily-plan").failures == 0


def test_failures_propagate_and_leave_no_audit_record():
    log = fs.AuditLog()
    stored = []

    def broken_load():
        raise RuntimeError("database down")

    def broken_store(result):
        raise OSError("disk full")

    with pytest.raises(RuntimeError, match="database down"):
        fs.daily_plan_job(broken_load, stored.append, audit=log)()
    with pytest.raises(OSError, match="disk full"):
        fs.daily_plan_job(lambda: (_demand(), ITEMS), broken_store, audit=log, season_length=1)()
    with pytest.raises(fs.InvalidParameterError):  # a plan setting the core rejects
        fs.daily_plan_job(lambda: (_demand(), ITEMS), stored.append, audit=log, horizon=0)()
    assert stored == [] and len(log) == 0


@pytest.mark.parametrize(
    "factory, kwargs, field",
    [
        (fs.daily_plan_job, {"load": None}, "load"),
        (fs.daily_plan_job, {"store": "print"}, "store"),
        (fs.daily_plan_job, {"audit": []}, "audit"),
        (fs.weekly_retrain_job, {"load": 3}, "load"),
        (fs.weekly_retrain_job, {"audit": "audit.jsonl"}, "audit"),
        (fs.weekly_retrain_job, {"now": T0}, "now"),
    ],
)
def test_bad_job_arguments_are_rejected_when_the_job_is_made(factory, kwargs, field):
    args = {"load": lambda: None, "store": lambda *a: None, **kwargs}
    with pytest.raises(fs.InvalidParameterError) as info:
        factory(args.pop("load"), args.pop("store"), **args)
    assert info.value.field == field
