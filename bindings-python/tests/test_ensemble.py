"""The Ensemble class: the core's combination, reachable from Python."""

import numpy as np
import pytest

import forestock as fs


def test_default_ensemble_on_air_passengers(public_series):
    y = public_series["datasets.AirPassengers"][:-18]
    fit = fs.Ensemble(season_length=12).fit(y)
    out = fit.predict(h=18, level=[80, 95])
    assert set(out) == {"mean", "lo-80", "hi-80", "lo-95", "hi-95"}
    assert np.all(out["lo-95"] <= out["lo-80"]) and np.all(out["hi-80"] <= out["hi-95"])
    assert np.all(out["lo-80"] <= out["mean"]) and np.all(out["mean"] <= out["hi-80"])
    assert fit.description.startswith("Ensemble(")
    # The combination lies between its members' forecasts at every step.
    members = [fs.AutoETS(season_length=12), fs.HoltWinters(season_length=12, seasonality="additive"),
               fs.HoltWinters(season_length=12, seasonality="multiplicative"), fs.AutoTheta(season_length=12)]
    means = np.array([m.forecast(y, h=18)["mean"] for m in members])
    assert np.all(out["mean"] >= means.min(axis=0) - 1e-9) and np.all(out["mean"] <= means.max(axis=0) + 1e-9)


def test_equal_weights_average_the_members(public_series):
    y = public_series["datasets.USAccDeaths"][:-18]
    members = [fs.SeasonalNaive(season_length=12), fs.Naive()]
    out = fs.Ensemble(season_length=12, members=members, scheme={"scheme": "equal"}).forecast(y, h=6)
    expected = np.mean([m.forecast(y, h=6)["mean"] for m in members], axis=0)
    np.testing.assert_allclose(out["mean"], expected, rtol=1e-12)


def test_bad_scheme_is_a_typed_error(public_series):
    y = public_series["datasets.USAccDeaths"][:-18]
    with pytest.raises(fs.ForestockError):
        fs.Ensemble(season_length=12, scheme={"scheme": "optimized", "shrinkage": 2.0}).fit(y)
    with pytest.raises(fs.ForestockError):
        fs.Ensemble(season_length=12, scheme={"scheme": "nope"}).fit(y)


def test_conformal_keeps_the_base_mean(public_series):
    y = public_series["datasets.USAccDeaths"][:-18]
    base = fs.AutoETS(season_length=12)
    out = fs.Conformal(base, season_length=12).forecast(y, h=6, level=[80, 95])
    np.testing.assert_allclose(out["mean"], base.forecast(y, h=6)["mean"], rtol=1e-12)
    assert np.all(out["lo-95"] <= out["lo-80"]) and np.all(out["hi-80"] <= out["hi-95"])


def test_refit_per_window_is_an_option_and_both_designs_forecast(public_series):
    y = public_series["datasets.AirPassengers"][:-18]
    once = fs.Ensemble(season_length=12)
    refit = fs.Ensemble(season_length=12, refit=True, horizon=12, member_interval_floor=False)
    assert "refit" not in once.spec()
    assert refit.spec()["refit"] is True and refit.spec()["horizon"] == 12
    a, b = once.forecast(y, h=18, level=[95]), refit.forecast(y, h=18, level=[95])
    # Same members, different weights: the forecasts differ but stay close.
    assert not np.allclose(a["mean"], b["mean"])
    np.testing.assert_allclose(a["mean"], b["mean"], rtol=0.1)
    assert np.all(b["lo-95"] <= b["mean"]) and np.all(b["mean"] <= b["hi-95"])
