"""A model that cannot use a seasonal period says so: `fs.UnusedSeasonWarning` from a fit,
`fs.forecast` and `fs.plan`, and `FittedModel.unused_periods` (the core's `Fitted::unused_periods`)."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import forestock as fs


def weekly(weeks, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    return np.round(100 * (1 + 0.4 * np.sin(2 * math.pi * t / 52)) + 8 * rng.standard_normal(weeks)).clip(1)


def test_the_warning_is_a_user_warning_exported_by_the_package():
    assert issubclass(fs.UnusedSeasonWarning, UserWarning)
    assert "UnusedSeasonWarning" in fs.__all__


def test_autoets_says_it_cannot_use_a_period_above_24():
    with pytest.warns(fs.UnusedSeasonWarning, match=r"AutoETS: season period 52 not used: .*52 > 24") as caught:
        fit = fs.AutoETS(season_length=52).fit(weekly(120))
    (w,) = [w.message for w in caught if isinstance(w.message, fs.UnusedSeasonWarning)]
    assert w.period == 52 and "beyond ETS" in w.reason
    assert fit.unused_periods == [{"period": 52, "reason": w.reason}]


def test_a_usable_period_gives_no_warning():
    y = weekly(120)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fs.UnusedSeasonWarning)
        assert fs.AutoETS(season_length=4).fit(y).unused_periods == []
        assert fs.MSTL(season_length=52).fit(y).unused_periods == []
        assert fs.Naive().fit(y).unused_periods == []


def test_mstl_and_automodel_report_periods_without_two_cycles():
    y = weekly(80)
    with pytest.warns(fs.UnusedSeasonWarning, match="season period 52 not used"):
        fit = fs.MSTL(season_length=[4, 52]).fit(y)
    assert [u["period"] for u in fit.unused_periods] == [52]
    with pytest.warns(fs.UnusedSeasonWarning, match="season period 52 not used: 80 observations are fewer than 2 cycles"):
        fit = fs.AutoModel(season_length=52).fit(y)
    assert [u["period"] for u in fit.unused_periods] == [52]


def test_croston_routes_say_the_method_has_no_season():
    y = np.tile([0, 0, 5, 0, 0, 0, 7, 0, 0, 0, 0, 4], 12).astype(float)
    with pytest.warns(fs.UnusedSeasonWarning, match="no season") as caught:
        fit = fs.AutoModel(season_length=12).fit(y)
    assert fit.unused_periods[0]["period"] == 12
    assert any(isinstance(w.message, fs.UnusedSeasonWarning) for w in caught)


def test_the_default_ensemble_reports_the_periods_it_drops():
    t = np.arange(200)
    y = 100 + 10 * np.sin(2 * np.pi * t / 7) + 0.05 * t + np.random.default_rng(1).normal(0, 1, 200)
    with pytest.warns(fs.UnusedSeasonWarning, match="season period 365 not used"):
        fit = fs.Ensemble(season_length=[7, 365]).fit(y)
    assert [u["period"] for u in fit.unused_periods] == [365]


def test_forecast_frames_warn_once_per_period_and_list_the_series():
    frames = [
        pd.DataFrame({"unique_id": uid, "ds": np.arange(n), "y": weekly(n, seed)})
        for uid, n, seed in [("long", 160, 1), ("short-a", 60, 2), ("short-b", 70, 3)]
    ]
    df = pd.concat(frames, ignore_index=True)
    with pytest.warns(fs.UnusedSeasonWarning, match=r"fs.forecast: season period 52 not used for 2 of 3 series") as caught:
        out = fs.forecast(df, h=4, model="auto_model", season_length=52)
    (w,) = [w.message for w in caught if isinstance(w.message, fs.UnusedSeasonWarning)]
    assert (w.period, w.count, w.series) == (52, 2, "short-a")
    assert sorted(u["unique_id"] for u in out.attrs["unused_periods"]) == ["short-a", "short-b"]
    assert len(out) == 12


def test_plan_warns_for_skus_whose_model_drops_the_yearly_cycle():
    demand = pd.concat(
        [
            pd.DataFrame({"unique_id": "two-years", "ds": np.arange(104), "y": weekly(104, 4)}),
            pd.DataFrame({"unique_id": "one-year", "ds": np.arange(52), "y": weekly(52, 5)}),
        ],
        ignore_index=True,
    )
    items = pd.DataFrame({"unique_id": ["two-years", "one-year"], "unit_cost": [2.0, 3.0], "lead_time": [2, 2]})
    with pytest.warns(fs.UnusedSeasonWarning, match=r"fs.plan: season period 52 not used for 1 of 2 series \(e.g. 'one-year'"):
        recs, failures = fs.plan(demand, items, season_length=52)
    assert failures.empty and len(recs) == 2
    assert recs.attrs["unused_periods"][0]["unique_id"] == "one-year"
    assert "MSTL with period 52" in recs.set_index("unique_id").loc["two-years", "model_reason"]


def test_the_warning_can_be_turned_into_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error", fs.UnusedSeasonWarning)
        with pytest.raises(fs.UnusedSeasonWarning):
            fs.AutoETS(season_length=30).fit(weekly(100))


def test_theta_says_when_its_seasonality_test_cannot_use_the_period():
    with pytest.warns(fs.UnusedSeasonWarning, match=r"Theta: season period 52 not used: the seasonality test needs"):
        fit = fs.Theta(season_length=52).fit(weekly(80))
    assert fit.unused_periods[0]["period"] == 52
    with pytest.warns(fs.UnusedSeasonWarning, match="AutoTheta: season period 52"):
        fs.AutoTheta(season_length=52).fit(weekly(80))


def test_an_ensemble_member_alone_dropping_a_period_is_not_reported():
    # Holt-Winters uses period 12 whatever AutoTheta's seasonality test says.
    t = np.arange(72)
    y = 50 + 0.3 * t + np.random.default_rng(7).normal(0, 3, 72)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fs.UnusedSeasonWarning)
        fit = fs.Ensemble(season_length=12).fit(y)
    assert fit.unused_periods == []
