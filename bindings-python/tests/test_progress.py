"""`progress(done, total)` on the long frame calls (fs.forecast, fs.plan, fs.retrain): called on the
calling thread while the core works, ending with (total, total); an exception it raises stops the
work and is raised (as Ctrl-C does)."""

import threading

import numpy as np
import pandas as pd
import pytest

import forestock as fs


def _frame(n_series, length=96):
    t = np.arange(length)
    rng = np.random.default_rng(3)
    y = np.concatenate([100 + 20 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 3, length) for _ in range(n_series)])
    return pd.DataFrame({"unique_id": np.repeat([f"s{i:05d}" for i in range(n_series)], length),
                         "ds": np.tile(t, n_series), "y": y})


def _recorder():
    calls = []

    def progress(done, total):
        calls.append((done, total, threading.current_thread() is threading.main_thread()))

    return calls, progress


def test_forecast_plan_and_retrain_report_progress_on_the_calling_thread():
    df = _frame(1500)
    calls, progress = _recorder()
    out = fs.forecast(df, h=6, model="auto_ets", season_length=12, progress=progress)
    assert out["unique_id"].nunique() == 1500
    assert calls[-1] == (1500, 1500, True)
    dones = [c[0] for c in calls]
    assert dones == sorted(dones) and all(c[1] == 1500 and c[2] for c in calls)
    assert len(calls) >= 2, "at least one report while the batch ran, then the final one"

    items = pd.DataFrame({"unique_id": df["unique_id"].unique()[:300], "unit_cost": 2.0, "lead_time": 2.0})
    calls, progress = _recorder()
    recs, _ = fs.plan(df[df["unique_id"].isin(items["unique_id"])], items, season_length=12, progress=progress)
    assert len(recs) == 300 and calls[-1] == (300, 300, True)

    calls, progress = _recorder()
    report = fs.retrain(_frame(40), fs.Registry(), season_length=12, progress=progress)
    assert len(report["outcomes"]) == 40 and calls[-1] == (40, 40, True)


def test_an_exception_from_the_callback_stops_the_work_and_is_raised():
    class Stop(Exception):
        pass

    def stop_early(done, total):
        if done > 0:
            raise Stop(done)

    registry = fs.Registry()
    with pytest.raises(Stop):
        fs.retrain(_frame(3000), registry, season_length=12, progress=stop_early)
    assert len(registry) == 0, "a stopped retrain leaves the registry unchanged"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.forecast(_frame(2), h=2, model="naive", progress="not callable")
    assert err.value.field == "progress"
    # Without a callback the results are the same.
    df = _frame(20)
    pd.testing.assert_frame_equal(fs.forecast(df, h=3, model="auto_ets", season_length=12),
                                  fs.forecast(df, h=3, model="auto_ets", season_length=12, progress=lambda d, t: None))


def test_the_eoq_column_is_numeric_with_or_without_an_ordering_cost():
    df = _frame(2, 60)
    items = pd.DataFrame({"unique_id": ["s00000", "s00001"], "unit_cost": [2.0, 3.0], "lead_time": [2.0, 1.0]})
    recs, _ = fs.plan(df, items, season_length=12)
    assert recs["eoq"].dtype == np.float64 and recs["eoq"].isna().all()
    priced = items.assign(ordering_cost=[50.0, np.nan])
    recs, _ = fs.plan(df, priced, season_length=12)
    assert recs["eoq"].dtype == np.float64
    assert recs["eoq"].iloc[0] > 0 and np.isnan(recs["eoq"].iloc[1])
