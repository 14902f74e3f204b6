"""Reference scheduler: fire times from the core's cron schedule, driven by a fake clock (DST,
overlap, misfire, failures, jitter) and once by the real clock on its background thread."""

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

import forestock as fs

UTC = timezone.utc


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def scheduler_at(start, **kw):
    clock = FakeClock(start)
    return fs.Scheduler(clock=clock, **kw), clock


def drive(sched, clock, runs):
    """Jump the clock to each next run time, run what is due, wait for it; return the run times."""
    seen = []
    for _ in range(runs):
        clock.now = min(j.run_at for j in sched.jobs)
        sched.run_pending()
        assert sched.wait_idle(timeout=5)
        seen.append(clock.now)
    return seen


def test_next_fire_time_follows_the_zone_and_dst():
    after = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)  # a Friday
    assert fs.next_fire_time("0 6 * * MON-FRI", "Europe/Berlin", after) == datetime(2026, 1, 5, 5, 0, tzinfo=UTC)
    # 02:30 does not exist in Berlin on 2026-03-29: a fixed-time job fires at 03:00 CEST (01:00 UTC).
    before_gap = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert fs.next_fire_time("30 2 * * *", "Europe/Berlin", before_gap) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_berlin_spring_forward_runs_the_0230_job_once_at_the_end_of_the_gap():
    sched, clock = scheduler_at(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    calls = []
    sched.add_job("plan", "30 2 * * *", lambda: calls.append(clock()), timezone="Europe/Berlin")
    expected = [
        datetime(2026, 3, 28, 1, 30, tzinfo=UTC),  # 02:30 CET
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:30 does not exist: 03:00 CEST
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # 02:30 CEST
    ]
    assert drive(sched, clock, 3) == expected
    assert calls == expected and sched.job("plan").runs == 3


def test_berlin_fall_back_runs_the_0230_job_once():
    sched, clock = scheduler_at(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    sched.add_job("plan", "30 2 * * *", lambda: None, timezone="Europe/Berlin")
    assert drive(sched, clock, 3) == [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # first 02:30 (CEST); the CET repeat is not run
        datetime(2026, 10, 26, 1, 30, tzinfo=UTC),  # 02:30 CET
        datetime(2026, 10, 27, 1, 30, tzinfo=UTC),
    ]


def test_new_york_daily_and_hourly_jobs_across_dst():
    sched, clock = scheduler_at(datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    sched.add_job("plan", "0 6 * * *", lambda: None, timezone="America/New_York")
    # 06:00 EST = 11:00 UTC; from 2026-03-08 on EDT, 06:00 = 10:00 UTC.
    assert drive(sched, clock, 2) == [datetime(2026, 3, 8, 10, 0, tzinfo=UTC), datetime(2026, 3, 9, 10, 0, tzinfo=UTC)]

    sched, clock = scheduler_at(datetime(2026, 11, 1, 4, 30, tzinfo=UTC))  # 00:30 EDT
    sched.add_job("hourly", "0 * * * *", lambda: None, timezone="America/New_York")
    # 01:00 happens twice on 2026-11-01 (EDT, then EST): an hourly job fires in both real hours.
    assert drive(sched, clock, 3) == [
        datetime(2026, 11, 1, 5, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
    ]


def test_a_running_job_is_not_started_again():
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, 30, tzinfo=UTC))
    release = threading.Event()
    active, peak = [0], [0]
    lock = threading.Lock()

    def slow():
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        release.wait(5)
        with lock:
            active[0] -= 1

    sched.add_job("slow", "* * * * *", slow)
    clock.now = sched.next_run("slow")  # 00:01
    assert sched.run_pending() == ["slow"]
    clock.now = sched.next_run("slow")  # 00:02 while the 00:01 run still blocks
    assert sched.run_pending() == []
    job = sched.job("slow")
    assert job.skipped == 1 and job.running and job.runs == 0
    assert sched.next_run("slow") == datetime(2026, 6, 1, 0, 3, tzinfo=UTC)
    assert not sched.wait_idle(timeout=0.05)  # still blocked
    release.set()
    assert sched.wait_idle(timeout=5)
    clock.now = sched.next_run("slow")
    assert sched.run_pending() == ["slow"]
    assert sched.wait_idle(timeout=5)
    assert job.runs == 2 and job.skipped == 1 and peak[0] == 1


def test_a_slow_job_does_not_delay_another_job():
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, 30, tzinfo=UTC))
    release = threading.Event()
    sched.add_job("slow", "* * * * *", lambda: release.wait(5))
    sched.add_job("fast", "* * * * *", lambda: "done")
    clock.now = datetime(2026, 6, 1, 0, 1, tzinfo=UTC)
    assert sched.run_pending() == ["fast", "slow"]
    deadline = time.monotonic() + 5
    while sched.job("fast").runs == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sched.job("fast").last_result == "done" and sched.job("slow").running
    release.set()
    assert sched.wait_idle(timeout=5)


def test_misfire_past_grace_is_skipped_counted_and_logged(caplog):
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    ran = []
    sched.add_job("tick", "*/15 * * * *", lambda: ran.append(1), misfire_grace=300)
    clock.now = datetime(2026, 6, 1, 0, 22, tzinfo=UTC)  # the 00:15 run is 7 minutes late
    with caplog.at_level(logging.WARNING, logger="forestock.scheduler"):
        assert sched.run_pending() == []
    job = sched.job("tick")
    assert job.misfires == 1 and job.runs == 0 and ran == []
    assert "misfire" in caplog.text and "'tick'" in caplog.text
    assert sched.next_run("tick") == datetime(2026, 6, 1, 0, 30, tzinfo=UTC)  # resumes after now


def test_missed_fire_times_within_grace_are_coalesced_into_one_run():
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, 30, tzinfo=UTC))
    ran = []
    sched.add_job("tick", "* * * * *", lambda: ran.append(clock()), misfire_grace=300)
    clock.now = datetime(2026, 6, 1, 0, 3, 10, tzinfo=UTC)  # 00:01, 00:02 and 00:03 all passed
    assert sched.run_pending() == ["tick"]
    assert sched.wait_idle(timeout=5)
    assert len(ran) == 1 and sched.job("tick").misfires == 0
    assert sched.next_run("tick") == datetime(2026, 6, 1, 0, 4, tzinfo=UTC)
    assert sched.run_pending() == []  # nothing left to catch up


def test_failing_job_is_logged_and_counted_while_others_run(caplog):
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 30, tzinfo=UTC))
    ran = []

    def boom():
        raise RuntimeError("database down")

    sched.add_job("retrain", "0 * * * *", boom)
    sched.add_job("plan", "0 * * * *", lambda: ran.append(clock()))
    with caplog.at_level(logging.ERROR, logger="forestock.scheduler"):
        drive(sched, clock, 2)
    retrain = sched.job("retrain")
    assert retrain.failures == 2 and retrain.runs == 2 and isinstance(retrain.last_error, RuntimeError)
    assert len(ran) == 2 and sched.job("plan").failures == 0
    failed = [r for r in caplog.records if r.name == "forestock.scheduler" and r.levelno == logging.ERROR]
    assert len(failed) == 2 and "'retrain'" in failed[0].getMessage()
    assert "database down" in caplog.text  # the traceback is logged
    assert retrain.stats()["failures"] == 2


def test_jitter_delay_is_the_injected_random_times_jitter():
    draws = iter([0.25, 0.999, 0.0])
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, tzinfo=UTC), random=lambda: next(draws))
    sched.add_job("plan", "0 * * * *", lambda: None, jitter=60)
    fire = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    assert sched.next_run("plan") == fire + timedelta(seconds=15)
    clock.now = fire + timedelta(seconds=14)
    assert sched.run_pending() == []
    clock.now = fire + timedelta(seconds=15)
    assert sched.run_pending() == ["plan"]
    assert sched.wait_idle(timeout=5)
    job = sched.job("plan")
    assert job.next_fire == fire + timedelta(hours=1)
    assert timedelta(0) <= job.run_at - job.next_fire < timedelta(seconds=60)
    assert job.run_at - job.next_fire == timedelta(seconds=59.94)


def test_next_run_is_aware_and_unknown_job_raises():
    sched = fs.Scheduler()
    sched.add_job("plan", "0 6 * * *", lambda: None, timezone="Europe/Berlin")
    nxt = sched.next_run("plan")
    assert nxt.tzinfo is not None and nxt.utcoffset() == timedelta(0)
    assert nxt > datetime.now(UTC)
    with pytest.raises(fs.InvalidParameterError):
        sched.next_run("nope")


def test_start_and_shutdown_with_the_real_clock():
    sched = fs.Scheduler()
    fired = threading.Event()

    def job():
        fired.set()
        time.sleep(0.2)  # still running when shutdown() is called
        return "ok"

    sched.add_job("every-second", "* * * * * *", job)  # 6 fields: seconds first
    t0 = time.monotonic()
    sched.start()
    assert sched.running
    assert fired.wait(timeout=5), "the loop did not run the job"
    sched.shutdown(wait=True)
    assert time.monotonic() - t0 < 5
    job_state = sched.job("every-second")
    assert not sched.running and not job_state.running
    assert job_state.runs >= 1 and job_state.last_result == "ok"


def test_background_loop_with_an_injected_clock_and_sleep():
    clock = FakeClock(datetime(2026, 3, 29, 0, 10, tzinfo=UTC))  # Berlin switches to CEST at 01:00 UTC
    end = datetime(2026, 3, 29, 3, 30, tzinfo=UTC)
    ran, sleeps = [], []

    def sleep(seconds):
        assert sched.wait_idle(timeout=5)  # let the run finish before time moves on
        sleeps.append(seconds)
        clock.now += timedelta(seconds=seconds)
        if clock.now > end:
            sched.shutdown(wait=False)

    sched = fs.Scheduler(clock=clock, sleep=sleep)
    sched.add_job("hourly", "15 * * * *", lambda: ran.append(clock()), timezone="Europe/Berlin")
    sched.start()
    deadline = time.monotonic() + 10
    while sched.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not sched.running
    assert ran == [datetime(2026, 3, 29, h, 15, tzinfo=UTC) for h in range(4)]
    assert max(sleeps) <= 60  # the loop never waits longer than MAX_WAIT


def test_shutdown_from_inside_a_job_does_not_deadlock():
    sched = fs.Scheduler()
    done = threading.Event()

    def stop():
        sched.shutdown(wait=True)
        done.set()

    sched.add_job("stop", "* * * * * *", stop)
    sched.start()
    assert done.wait(timeout=5)
    sched.shutdown(wait=True)
    assert not sched.running


@pytest.mark.parametrize(
    "cron, tz, field",
    [("61 * * * *", "UTC", "expression"), ("0 6 * *", "UTC", "expression"), ("0 6 * * *", "Mars/Olympus", "timezone")],
)
def test_bad_schedule_raises(cron, tz, field):
    sched = fs.Scheduler()
    with pytest.raises(fs.InvalidParameterError) as info:
        sched.add_job("job", cron, lambda: None, timezone=tz)
    assert info.value.field == field
    assert sched.jobs == []


def test_bad_job_arguments_raise():
    sched = fs.Scheduler()
    sched.add_job("job", "0 6 * * *", lambda: None)
    for kwargs, field in [
        ({"name": "job"}, "name"),
        ({"func": "not callable"}, "func"),
        ({"jitter": -1}, "jitter"),
        ({"misfire_grace": float("nan")}, "misfire_grace"),
    ]:
        args = {"name": "other", "cron": "0 6 * * *", "func": lambda: None, **kwargs}
        with pytest.raises(fs.InvalidParameterError) as info:
            sched.add_job(**args)
        assert info.value.field == field
    with pytest.raises(fs.InvalidParameterError):
        fs.next_fire_time("0 6 * * *", "UTC", datetime(2026, 1, 1))  # naive datetime


def test_a_long_sleep_runs_the_latest_fire_time_within_the_grace():
    # The core's coalescing rule (docs/scheduler.md): one decision about the latest due fire time,
    # not about the planned (two-day-old) one, so the run within the grace still happens.
    sched, clock = scheduler_at(datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    sched.add_job("every10", "*/10 * * * *", lambda: None, misfire_grace=25 * 60)
    clock.now = datetime(2026, 1, 3, 0, 15, tzinfo=UTC)
    assert sched.run_pending() == ["every10"]
    assert sched.wait_idle(timeout=5)
    job = sched.job("every10")
    assert job.last_fire == datetime(2026, 1, 3, 0, 10, tzinfo=UTC) and job.misfires == 0 and job.runs == 1
    assert sched.next_run("every10") == datetime(2026, 1, 3, 0, 20, tzinfo=UTC)


def test_a_running_job_is_skipped_rather_than_misfired_when_late():
    sched, clock = scheduler_at(datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    release = threading.Event()
    sched.add_job("slow", "*/15 * * * *", lambda: release.wait(5), misfire_grace=60)
    clock.now = datetime(2026, 6, 1, 0, 15, tzinfo=UTC)
    assert sched.run_pending() == ["slow"]
    clock.now = datetime(2026, 6, 1, 0, 40, tzinfo=UTC)  # the 00:30 fire time is 10 minutes late
    assert sched.run_pending() == []
    job = sched.job("slow")
    assert (job.skipped, job.misfires) == (1, 0)
    release.set()
    assert sched.wait_idle(timeout=5)
