"""Long and multiple seasonal periods from Python: MSTL, Theta/AutoTheta, and season lists in
AutoModel, Ensemble, forecast frames, plan and retrain."""

import math

import numpy as np
import pandas as pd
import pytest

import forestock as fs


def weekly(weeks: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    return np.round(100 * (1 + 0.4 * np.sin(2 * math.pi * t / 52)) + 8 * rng.standard_normal(weeks)).clip(0)


def daily(days: int) -> np.ndarray:
    t = np.arange(days)
    return 100 + 10 * np.sin(2 * math.pi * t / 7) + 20 * np.sin(2 * math.pi * t / 365) + 0.01 * t


def test_mstl_matches_the_core_and_uses_both_periods():
    y = daily(800)
    fit = fs.MSTL(season_length=[7, 365]).fit(y)
    assert fit.description.startswith("MSTL(7,365)"), fit.description
    out = fit.predict(14, level=[80, 95])
    assert set(out) == {"mean", "lo-80", "hi-80", "lo-95", "hi-95"}
    assert np.all(out["lo-95"] <= out["mean"]) and np.all(out["mean"] <= out["hi-95"])
    # The weekly shape is forecast.
    assert np.ptp(out["mean"][:7]) > 10
    damped = fs.MSTL(season_length=[7, 365], trend_forecaster=fs.AutoETS(model="ZZN", damped=True)).fit(y)
    assert "MSTL(7,365)" in damped.description


def test_mstl_drops_a_period_without_two_cycles_and_says_so():
    fit = fs.MSTL(season_length=[7, 365]).fit(daily(400))
    assert fit.description.startswith("MSTL(7)"), fit.description


def test_theta_and_auto_theta():
    y = weekly(104)
    for model in (fs.Theta(season_length=4), fs.AutoTheta(season_length=4), fs.AutoTheta(model="DOTM")):
        out = model.forecast(y, h=8, level=[95])
        assert out["mean"].shape == (8,)
        assert np.all(np.isfinite(out["lo-95"]))
    with pytest.raises(fs.InvalidParameterError):
        fs.AutoTheta(model="XYZ").fit(y)


def test_auto_model_and_ensemble_take_a_list():
    y = weekly(117, seed=3)
    train, test = y[:104], y[104:]
    fit = fs.AutoModel(season_length=52).fit(train)
    assert fit.description.startswith("MSTL(52)"), fit.description
    mean = fit.predict(13)["mean"]
    assert np.mean(np.abs(test - mean)) < 0.5 * np.mean(np.abs(test - train[-1]))
    ens = fs.Ensemble(season_length=np.array([7, 365])).fit(daily(800))
    assert ens.predict(7, level=[95])["mean"].shape == (7,)


def test_a_bad_season_list_is_a_typed_error():
    with pytest.raises(fs.InvalidParameterError):
        fs.AutoModel(season_length=[7, 0]).fit(weekly(60))
    with pytest.raises(fs.InvalidParameterError):
        fs.AutoModel(season_length="weekly").fit(weekly(60))


def test_plan_keeps_the_yearly_cycle_of_weekly_skus_and_says_so():
    demand = pd.DataFrame(
        [{"unique_id": f"S{k}", "ds": t, "y": v} for k in range(4) for t, v in enumerate(weekly(104, seed=k))]
    )
    items = pd.DataFrame({"unique_id": [f"S{k}" for k in range(4)], "unit_cost": 5.0, "lead_time": 2.0, "on_hand": 50.0})
    recs, failures = fs.plan(demand, items, season_length=52)
    assert len(failures) == 0
    assert all("MSTL with period 52" in r for r in recs["model_reason"])


def test_forecast_frame_and_retrain_accept_lists():
    demand = pd.DataFrame([{"unique_id": "A", "ds": t, "y": v} for t, v in enumerate(daily(800))])
    out = fs.forecast(demand, h=7, model="auto_model", season_length=[7, 365], level=[95])
    assert len(out) == 7
    registry = fs.Registry()
    report = fs.retrain(demand, registry, season_length=[7, 365], candidates=["naive", fs.AutoModel([7, 365])], now="2026-01-01T00:00:00Z")
    assert report["failures"] == []
    assert report["outcomes"][0]["scores"][1]["mase"] is not None
