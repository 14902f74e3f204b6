"""The weekly retraining job from Python: scores equal the core's backtests, the registry promotes and
then keeps, bad SKUs are isolated, bad settings are typed errors."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import forestock as fs

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
SEASON = 12


def _series():
    rng = np.random.default_rng(21)
    t = np.arange(60)
    return {
        "seasonal": 100 + 20 * np.sin(2 * np.pi * t / SEASON) + rng.normal(0, 3, 60),
        "smooth": 40 + rng.normal(0, 4, 60),
        "sparse": np.where(rng.random(60) < 0.3, rng.integers(1, 8, 60), 0).astype(float),
    }


def _frame(series):
    return pd.concat(
        [pd.DataFrame({"unique_id": sku, "ds": np.arange(len(y)), "y": y}) for sku, y in series.items()],
        ignore_index=True,
    )


def test_retrain_promotes_first_then_keeps_an_equal_challenger():
    series = _series()
    reg = fs.Registry()
    report = fs.retrain(_frame(series), reg, season_length=SEASON, now=T0)
    assert report["failures"] == []
    assert report["promoted"] == 3
    assert [o["sku"] for o in report["outcomes"]] == sorted(series)  # frame order (sorted by id)
    for outcome in report["outcomes"]:
        assert [s["model"] for s in outcome["scores"]] == ["auto_model", "auto_ets", "croston_sba", "tsb", "naive"]
        assert outcome["decision"]["reason"] == {"outcome": "no_champion"}
        assert outcome["decision"]["decided_at"] == T0
    assert reg.skus() == sorted(series)
    assert all(reg.champion(s).created_at == T0 for s in series)

    later = T0 + timedelta(days=7)
    again = fs.retrain(_frame(series), reg, season_length=SEASON, now=later)
    assert again["promoted"] == 0
    for outcome in again["outcomes"]:
        reason = outcome["decision"]["reason"]
        assert reason == {"outcome": "insufficient_improvement", "relative_improvement": 0.0, "required": 0.02}
        assert reg.champion(outcome["sku"]).version == 1
        assert [r.version for r in reg.models(outcome["sku"])["challengers"]] == [2]
    assert len(reg.history) == 6


def test_scores_and_champion_metrics_equal_the_cores_backtests():
    series = _series()
    reg = fs.Registry()
    report = fs.retrain(_frame(series), reg, season_length=SEASON, now=T0)
    specs = fs._native.weekly_retrain_config(SEASON)["candidates"]  # the core's weekly set
    for outcome in report["outcomes"]:
        y = series[outcome["sku"]]
        results = [fs.backtest(y, fs.model_from_spec(spec), windows=4, step=1, horizon=4, season_length=SEASON) for spec in specs]
        assert [s["mase"] for s in outcome["scores"]] == [r["metrics"]["mase"] for r in results]
        best = int(np.argmin([r["metrics"]["mase"] for r in results]))
        champion = reg.champion(outcome["sku"])
        assert champion.spec == specs[best]
        pooled = results[best]["metrics"]
        assert champion.metrics["mase"] == pooled["mase"] and champion.metrics["mae"] == pooled["mae"]
        assert champion.training_window["observations"] == len(y)


def test_bad_skus_land_in_failures_and_the_others_are_retrained():
    series = _series()
    series["broken"] = np.r_[np.ones(30), np.nan, np.ones(29)]
    series["short"] = np.ones(5)
    reg = fs.Registry()
    report = fs.retrain(_frame(series), reg, season_length=SEASON, now=T0)
    failures = {f["sku"]: f for f in report["failures"]}
    assert set(failures) == {"broken", "short"}
    assert all(f["code"] and f["message"] for f in failures.values())
    assert "index 30" in failures["broken"]["message"]
    assert sorted(o["sku"] for o in report["outcomes"]) == ["seasonal", "smooth", "sparse"]
    assert reg.skus() == ["seasonal", "smooth", "sparse"]


def test_custom_candidates_and_design():
    series = {"seasonal": _series()["seasonal"]}
    reg = fs.Registry()
    report = fs.retrain(
        _frame(series),
        reg,
        season_length=SEASON,
        candidates=[fs.Naive(), {"model": "seasonal_naive", "season_length": SEASON}, "croston_sba"],
        windows=3,
        step=2,
        h=6,
        now=T0,
    )
    scores = report["outcomes"][0]["scores"]
    assert [s["model"] for s in scores] == ["naive", "seasonal_naive", "croston_sba"]
    expected = fs.backtest(series["seasonal"], fs.SeasonalNaive(SEASON), windows=3, step=2, horizon=6, season_length=SEASON)
    assert scores[1]["mase"] == expected["metrics"]["mase"]


def test_retrain_is_deterministic():
    frame = _frame(_series())
    a, b = fs.Registry(), fs.Registry()
    assert fs.retrain(frame, a, season_length=SEASON, now=T0) == fs.retrain(frame, b, season_length=SEASON, now=T0)
    assert a.to_json() == b.to_json()


@pytest.mark.parametrize(
    "kwargs, error, field",
    [
        ({"windows": 0}, fs.InvalidParameterError, "windows"),
        ({"h": 0}, fs.InvalidParameterError, "h"),
        ({"season_length": 0}, fs.InvalidParameterError, None),
        ({"windows": -1}, fs.InvalidParameterError, "windows"),
        ({"candidates": []}, fs.InvalidParameterError, "candidates"),
        ({"candidates": [{"model": "prophet"}]}, fs.InvalidParameterError, "candidates[0]"),
        ({"candidates": [3.5]}, fs.InvalidParameterError, "candidates[0]"),
        ({"now": datetime(2026, 3, 1)}, fs.InvalidParameterError, "now"),
        ({"registry": {}}, fs.InvalidParameterError, "registry"),
    ],
)
def test_bad_settings_are_typed_errors(kwargs, error, field):
    reg = fs.Registry()
    args = {"registry": reg, "season_length": SEASON, "now": T0, **kwargs}
    with pytest.raises(error) as info:
        fs.retrain(_frame(_series()), args.pop("registry"), **args)
    if field is not None:
        assert info.value.field == field
    assert len(reg) == 0


def test_bad_frames_are_typed_errors():
    reg = fs.Registry()
    with pytest.raises(fs.InvalidParameterError):
        fs.retrain(pd.DataFrame({"unique_id": ["a"], "y": [1.0]}), reg, season_length=1, now=T0)
    with pytest.raises(fs.InvalidSeriesError):
        fs.retrain(pd.DataFrame({"unique_id": ["a"] * 3, "ds": [0, 1, 2], "y": ["x", "y", "z"]}), reg, season_length=1, now=T0)
    with pytest.raises(fs.InvalidRowError):
        fs.retrain(pd.DataFrame({"unique_id": ["a", "a"], "ds": [0, 0], "y": [1.0, 2.0]}), reg, season_length=1, now=T0)
    assert len(reg) == 0
