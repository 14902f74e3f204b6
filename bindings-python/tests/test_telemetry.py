"""Run metrics: the record of a plan, retrain or job run (`fs.run_metrics`), its Prometheus text
(`fs.prometheus_text`), and the scheduler keeping and emitting one record per finished run."""

import threading
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

import forestock as fs
from conftest import FakeClock, job_demand as _demand

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


ITEMS = pd.DataFrame({"unique_id": ["smooth", "sparse", "broken"], "unit_cost": [5.0, 20.0, 1.0],
                      "lead_time": [2.0, 3.0, 1.0], "on_hand": [0.0, 50.0, 0.0]})


def test_a_plan_record_carries_the_run_counts_and_renders_as_prometheus_text():
    recs, failures, stats = fs.plan(_demand(), ITEMS, horizon=4, season_length=1, return_stats=True)
    record = fs.run_metrics("plan", "daily_plan", 2.5, summary=stats, finished_at=1_764_633_600.0)
    assert (record["kind"], record["status"], record["job"]) == ("plan", "ok", "daily_plan")
    assert (record["succeeded"], record["failed"]) == (2, 1)
    assert record["failures_by_code"] == {failures["code"][0]: 1}
    assert record["orders"] == int(recs["should_reorder"].sum())
    assert sum(record["orders_by_priority"].values()) == record["orders"]
    assert sum(record["orders_by_class"].values()) == record["orders"]
    text = fs.prometheus_text([record])
    assert "# TYPE forestock_plan_duration_seconds gauge\n" in text
    assert 'forestock_plan_duration_seconds{job="daily_plan"} 2.5\n' in text
    assert 'forestock_plan_skus{job="daily_plan",state="failed"} 1\n' in text
    assert f'forestock_plan_failures{{job="daily_plan",code="{failures["code"][0]}"}} 1\n' in text
    assert 'forestock_plan_last_run_timestamp_seconds{job="daily_plan"} 1764633600\n' in text


def test_bad_records_are_typed_errors_naming_the_field():
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.run_metrics("plan", "p", 1.0, summary={"skus": "many"})
    assert err.value.field == "summary"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.run_metrics("weekly", "p", 1.0)
    assert err.value.field == "kind"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.run_metrics("job", "", 1.0)
    assert err.value.field == "job"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.run_metrics("job", "j", float("nan"))
    assert err.value.field == "duration_seconds"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.prometheus_text([{"kind": "job"}])
    assert err.value.field in ("job", "records")


def test_the_scheduler_records_and_emits_metrics_of_every_run():
    clock = FakeClock(T0 - timedelta(seconds=1))
    seen = []
    sched = fs.Scheduler(clock=clock, on_metrics=seen.append)
    sched.add_job("plan", "0 6 * * *", fs.daily_plan_job(lambda: (_demand(), ITEMS), lambda r: None, horizon=4,
                                                         season_length=1))

    def crash():
        raise RuntimeError("database down")

    sched.add_job("export", "0 6 * * *", crash)
    clock.now = T0
    assert sorted(sched.run_pending()) == ["export", "plan"]
    assert sched.wait_idle(60)
    by_job = {r["job"]: r for r in seen}
    assert set(by_job) == {"plan", "export"}
    assert by_job["plan"]["kind"] == "plan" and by_job["plan"]["succeeded"] == 2 and by_job["plan"]["failed"] == 1
    assert by_job["export"] == {**by_job["export"], "kind": "job", "status": "failed"}
    assert by_job["plan"]["finished_at"] == T0.timestamp()
    assert sched.job("plan").last_metrics == by_job["plan"]
    assert sched.metrics() == [by_job["export"], by_job["plan"]]
    text = sched.metrics_text()
    assert 'forestock_job_status{job="export",status="failed"} 1\n' in text
    assert 'forestock_plan_skus{job="plan",state="succeeded"} 2\n' in text


def test_a_degraded_plan_is_recorded_with_its_counts_and_a_broken_callback_is_harmless():
    clock = FakeClock(T0 - timedelta(seconds=1))

    def broken_callback(record):
        raise ValueError("exporter down")

    sched = fs.Scheduler(clock=clock, on_metrics=broken_callback)
    bad_items = ITEMS.assign(lead_time=[2.0, -1.0, -1.0])  # two of three SKUs fail: degraded
    sched.add_job("plan", "0 6 * * *", fs.daily_plan_job(lambda: (_demand(), bad_items), lambda r: None,
                                                         horizon=4, season_length=1))
    clock.now = T0
    sched.run_pending()
    assert sched.wait_idle(60)
    job = sched.job("plan")
    assert job.failures == 1 and isinstance(job.last_error, fs.PlanRunError)
    assert job.last_metrics["status"] == "failed"  # the job raised, whatever the plan's own verdict
    assert job.last_metrics["failed"] == 2
    with pytest.raises(fs.InvalidParameterError):
        fs.Scheduler(on_metrics="not callable")


def test_job_results_stay_what_they_were():
    result = fs.daily_plan_job(lambda: (_demand(), ITEMS), lambda r: None, horizon=4, season_length=1)()
    recs, failures = result
    assert isinstance(result, tuple) and result.stats["planned"] == 2
    assert result.forestock_run == ("plan", result.stats)


def test_run_now_runs_outside_the_schedule_and_records_the_run():
    clock = FakeClock(T0 - timedelta(hours=3))
    seen = []
    sched = fs.Scheduler(clock=clock, on_metrics=seen.append)
    sched.add_job("plan", "0 6 * * *", fs.daily_plan_job(lambda: (_demand(), ITEMS), lambda r: None, horizon=4,
                                                         season_length=1))
    next_run = sched.next_run("plan")
    recs, failures = sched.run_now("plan")
    assert len(recs) == 2 and list(failures["unique_id"]) == ["broken"]
    job = sched.job("plan")
    assert (job.runs, job.failures) == (1, 0)
    assert sched.next_run("plan") == next_run, "the schedule is unchanged"
    assert seen[-1]["job"] == "plan" and seen[-1]["succeeded"] == 2

    def crash():
        raise RuntimeError("database down")

    sched.add_job("export", "0 7 * * *", crash)
    with pytest.raises(RuntimeError, match="database down"):
        sched.run_now("export")
    assert sched.job("export").failures == 1 and seen[-1]["status"] == "failed"
    with pytest.raises(fs.InvalidParameterError):
        sched.run_now("missing")

    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(10)

    sched.add_job("slow", "0 8 * * *", slow)
    worker = threading.Thread(target=sched.run_now, args=("slow",))
    worker.start()
    assert started.wait(10)
    with pytest.raises(fs.JobRunningError) as err:
        sched.run_now("slow")
    assert err.value.code == "ERR_JOB_RUNNING"
    release.set()
    worker.join(10)
    assert sched.job("slow").runs == 1
