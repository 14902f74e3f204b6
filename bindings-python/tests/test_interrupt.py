"""Ctrl-C stops a long native call (a batch, a plan, a retrain, one fit, one backtest): the core's
cancellation flag is set from Python's signal handlers, the work stops (a batch within one series
per worker, a fit within one objective evaluation), and KeyboardInterrupt is raised."""

import _thread
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

import forestock as fs

pytestmark = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signals are handled on the main thread"
)


@pytest.fixture(autouse=True)
def _python_handles_sigint():
    """Python's own Ctrl-C handler for the duration of each test. A process started in the
    background by a non-interactive shell inherits SIGINT as ignored, and Python then keeps it
    ignored, so `interrupt_main` would do nothing (a CI runner may start the suite that way)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _frame(n_series, length=96):
    t = np.arange(length)
    rng = np.random.default_rng(3)
    y = np.concatenate([100 + 20 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 3, length) for _ in range(n_series)])
    return pd.DataFrame({"unique_id": np.repeat([f"s{i:05d}" for i in range(n_series)], length), "ds": np.tile(t, n_series), "y": y})


def _interrupted_after(seconds, call):
    timer = threading.Timer(seconds, _thread.interrupt_main)
    started = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        timer.cancel()
    return time.perf_counter() - started


def test_ctrl_c_stops_a_long_forecast_batch():
    df = _frame(200)
    started = time.perf_counter()
    fs.forecast(df, h=6, model="auto_ets", season_length=12)
    per_series = (time.perf_counter() - started) / 200
    big = _frame(20_000)  # about 100x the batch above: tens of seconds uninterrupted
    elapsed = _interrupted_after(0.3, lambda: fs.forecast(big, h=6, model="auto_ets", season_length=12))
    assert elapsed < 0.3 + 2.0 + 50 * per_series, f"took {elapsed:.2f} s after the interrupt"
    # The next call runs normally (no stale cancellation).
    out = fs.forecast(df.head(96 * 3), h=6, model="auto_ets", season_length=12)
    assert out["unique_id"].nunique() == 3


def test_ctrl_c_stops_a_plan_and_leaves_the_registry_of_a_retrain_unchanged():
    big = _frame(20_000)
    items = pd.DataFrame({"sku": big["unique_id"].unique(), "unit_cost": 2.0, "lead_time": 2.0})
    elapsed = _interrupted_after(0.3, lambda: fs.plan(big, items, season_length=12))
    assert elapsed < 5.0
    registry = fs.Registry()
    _interrupted_after(0.3, lambda: fs.retrain(big, registry, season_length=12))
    assert len(registry) == 0 and registry.history == []


def test_without_a_signal_results_are_unchanged():
    df = _frame(30)
    a = fs.forecast(df, h=6, model="auto_ets", season_length=12, level=[95])
    b = fs.forecast(df, h=6, model="auto_ets", season_length=12, level=[95], n_jobs=1)
    pd.testing.assert_frame_equal(a, b)


def _long_seasonal(n):
    t = np.arange(n)
    return 200 + 20 * np.abs(t % 12 - 6) + np.random.default_rng(5).normal(0, 3, n)


@pytest.mark.parametrize(
    "model",
    [fs.AutoETS(season_length=12), fs.HoltWinters(season_length=12), fs.Ensemble(season_length=12)],
    ids=["AutoETS", "HoltWinters", "Ensemble"],
)
def test_ctrl_c_stops_a_single_long_fit(model):
    # Uninterrupted, each of these fits takes several seconds (AutoETS about 15 s on a quiet
    # machine); the core checks the flag at every objective evaluation, a pass over the data.
    y = _long_seasonal(300_000)
    elapsed = _interrupted_after(0.3, lambda: model.fit(y))
    assert elapsed < 0.3 + 2.0, f"took {elapsed:.2f} s after the interrupt"
    # The next fit runs normally.
    assert model.fit(y[:120]).predict(3)["mean"].shape == (3,)


def test_ctrl_c_stops_a_single_series_backtest():
    y = _long_seasonal(200_000)
    elapsed = _interrupted_after(
        0.3, lambda: fs.backtest(y, fs.AutoETS(season_length=12), windows=3, step=12, horizon=12)
    )
    assert elapsed < 0.3 + 2.0, f"took {elapsed:.2f} s after the interrupt"
