"""No input can abort the interpreter (issue 15): sizes above the core's limits, data near 1e300,
huge inventory inputs, corrupt registry counters and misbehaving scheduler jobs give typed
`ForestockError`s (or correct results), never an abort, a `PanicException` or a silent default."""

import json
import threading
import time
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

import forestock as fs

Y = np.arange(20.0)


@pytest.mark.parametrize("h", [10**9, 2**40, 2**62])
def test_a_huge_horizon_is_a_typed_error(h):
    fit = fs.Naive().fit(Y)
    with pytest.raises(fs.InvalidParameterError) as info:
        fit.predict(h)
    assert info.value.field == "h"
    # The limit itself still works.
    assert len(fit.predict(100_000)["mean"]) == 100_000


def test_too_many_levels_and_a_huge_season_are_typed_errors():
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.Naive().fit(Y).predict(4, level=list(range(1, 30)))
    assert info.value.field == "level"
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.HoltWinters(2**63).fit(Y)
    assert info.value.field == "season_length"


def test_a_series_above_the_length_limit_fails_at_once():
    start = time.monotonic()
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.AutoETS(season_length=1).fit(np.ones(1_000_001))
    assert info.value.field == "y"
    assert time.monotonic() - start < 5.0


def test_plan_and_forecast_with_a_huge_horizon_are_typed_errors():
    frame = pd.DataFrame({"unique_id": "a", "ds": np.arange(20), "y": Y + 1})
    items = pd.DataFrame({"unique_id": ["a"], "unit_cost": [1.0], "lead_time": [1.0]})
    with pytest.raises(fs.InvalidParameterError):
        fs.plan(frame, items, horizon=10**9, model="naive")
    with pytest.raises(fs.InvalidParameterError):
        fs.forecast(frame, h=10**9, model="naive")


@pytest.mark.parametrize("model", [fs.Naive(), fs.SeasonalNaive(season_length=4), fs.Conformal(fs.Naive())])
def test_data_near_1e300_is_an_error_not_infinite_bounds(model):
    y = 1e300 * (1.0 + 0.5 * np.sin(np.arange(40)))
    try:
        out = model.forecast(y, h=4, level=[95])
    except fs.ForestockError as e:
        assert e.code == "ERR_FIT_FAILED"
    else:
        assert all(np.isfinite(v).all() for v in out.values())


def test_internal_errors_are_forestock_errors():
    assert issubclass(fs.InternalError, fs.ForestockError)
    assert fs.InternalError.code == "ERR_INTERNAL"


def test_scheduler_rejects_a_non_string_cron_with_a_typed_error():
    sched = fs.Scheduler()
    with pytest.raises(fs.InvalidParameterError) as info:
        sched.add_job("j", None, lambda: None)
    assert info.value.field == "cron"
    with pytest.raises(fs.InvalidParameterError):
        sched.add_job("j", "* * * * *", lambda: None, timezone=None)


def _run_once(func):
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    sched = fs.Scheduler(clock=lambda: now)
    job = sched.add_job("j", "* * * * *", func)
    now = job.run_at
    sched.run_pending()
    assert sched.wait_idle(timeout=5)
    return sched.job("j")


def test_a_job_raising_system_exit_is_a_failure():
    def leave():
        raise SystemExit(3)

    job = _run_once(leave)
    assert (job.runs, job.failures) == (1, 1)
    assert isinstance(job.last_error, SystemExit)


def test_shutdown_returns_after_its_timeout_when_a_job_hangs():
    release = threading.Event()
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    sched = fs.Scheduler(clock=lambda: now)
    job = sched.add_job("stuck", "* * * * *", lambda: release.wait(30))
    now = job.run_at
    sched.run_pending()
    start = time.monotonic()
    assert sched.shutdown(timeout=0.2) is False
    assert time.monotonic() - start < 2.0
    release.set()
    assert sched.shutdown(timeout=5) is True
    with pytest.raises(fs.InvalidParameterError):
        sched.shutdown(timeout=-1)


def test_safety_stock_errors_name_the_right_input_and_huge_lead_times_are_not_zero():
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.safety_stock(demand_mean=10, demand_sd=1e300, lead_time=4)
    assert info.value.field == "demand_sd"
    ss = fs.safety_stock(demand_mean=10, demand_sd=1, lead_time=1e300)
    assert ss == pytest.approx(1.6448536269514722e150, rel=1e-9)


def test_simulation_never_reports_perfect_cycle_service_with_unmet_demand():
    report = fs.simulate_policy(
        {"kind": "order_up_to", "review_period": 1, "order_up_to": 50},
        {"kind": "poisson", "mean": 5},
        {"kind": "fixed", "periods": 1000},
        periods=100,
        warmup=10,
        trials=2,
    )
    # Only the starting stock is ever served: one review cycle per measured period, and only the
    # first few, served from the starting stock, end without a stockout.
    assert report["fill_rate"] < 0.05
    assert report["cycles"] == 200
    assert report["cycle_service_level"] < 0.05
    with pytest.raises(fs.InvalidParameterError):
        fs.simulate_policy(
            {"kind": "order_up_to", "review_period": 1, "order_up_to": 50},
            {"kind": "poisson", "mean": 5},
            {"kind": "fixed", "periods": 1},
            periods=10**12,
        )


def test_registry_load_rejects_a_next_version_that_reuses_versions(tmp_path):
    registry = fs.Registry()
    for mase in (0.9, 0.5):
        registry.promote_if_better("SKU-1", fs.Naive(), {"mase": mase}, window=20)
    path = tmp_path / "registry.json"
    registry.save(path)
    data = json.loads(path.read_text())
    data["skus"]["SKU-1"]["next_version"] = 0
    path.write_text(json.dumps(data))
    with pytest.raises(fs.CorruptRecordError):
        fs.Registry.load(path)
