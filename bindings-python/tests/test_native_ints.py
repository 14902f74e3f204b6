"""Every integer a caller passes to a native entry point, at any size or sign, is either accepted
or a `forestock.InvalidParameterError` naming the parameter as the caller spelled it (it used to
be pyo3's OverflowError for `predict(2**63)`)."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs

BAD = [2**63, 2**64, 10**30, -1, -(2**63), -(2**70)]
Y = np.arange(1.0, 41.0)


def _field(call, field):
    with pytest.raises(fs.InvalidParameterError) as info:
        call()
    assert info.value.field == field, (info.value.field, str(info.value))
    assert not isinstance(info.value, (OverflowError, TypeError))


@pytest.mark.parametrize("h", BAD + [0])
def test_predict_horizon(h):
    fit = fs.Naive().fit(Y)
    _field(lambda: fit.predict(h), "h")
    _field(lambda: fs.Naive().forecast(Y, h=h), "h")


@pytest.mark.parametrize("h", BAD)
def test_forecast_frame_horizon_and_n_jobs(h):
    df = pd.DataFrame({"unique_id": "a", "ds": np.arange(40), "y": Y})
    _field(lambda: fs.forecast(df, h=h, model="naive"), "h")
    _field(lambda: fs.forecast(df, h=2, model="naive", n_jobs=h if h > 0 else -(2**70)), "n_jobs")


@pytest.mark.parametrize("m", BAD)
def test_season_lengths_in_model_settings(m):
    _field(lambda: fs.SeasonalNaive(season_length=m).fit(Y), "season_length")
    _field(lambda: fs.AutoETS(season_length=m).fit(Y), "season_length")
    _field(lambda: fs.HoltWinters(season_length=m).fit(Y), "season_length")
    _field(lambda: fs.AutoModel(season_length=[7, m]).fit(Y), "season_length")
    _field(lambda: fs.MSTL(season_length=[7, m]).fit(Y), "season_length")
    _field(lambda: fs.STL(season_length=m).decompose(Y), "season_length")


@pytest.mark.parametrize("n", BAD)
def test_other_counts(n):
    if n != 2**63:  # a window count that fits usize is capped by the series length, not an error
        _field(lambda: fs.Ensemble(season_length=1, windows=n).fit(Y), "windows")
    _field(lambda: fs.STL(4, inner=n).decompose(Y), "inner")
    _field(lambda: fs.detect_anomalies(Y, season_length=n), "season_length")
    _field(lambda: fs.mase(Y[:4], Y[:4], Y, season_length=n), "season_length")


def test_plan_horizon():
    demand = pd.DataFrame({"unique_id": "a", "ds": np.arange(40), "y": Y})
    items = pd.DataFrame({"unique_id": ["a"], "unit_cost": [1.0], "lead_time": [1.0]})
    for h in BAD:
        _field(lambda h=h: fs.plan(demand, items, horizon=h), "horizon")


@pytest.mark.parametrize("n", BAD)
def test_retrain_design_integers(n):
    demand = pd.DataFrame({"unique_id": ["a"] * 40, "ds": range(40), "y": Y})
    registry = fs.Registry()
    _field(lambda: fs.retrain(demand, registry, season_length=1, windows=n), "windows")
    _field(lambda: fs.retrain(demand, registry, season_length=1, step=n), "step")
    _field(lambda: fs.retrain(demand, registry, season_length=1, h=n), "h")
    _field(lambda: fs.retrain(demand, registry, season_length=[1, n]), "season_length")
