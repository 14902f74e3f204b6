"""Every core model is reachable from Python; figures checked against R forecast and by hand."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs

AIR = "datasets.AirPassengers"


def _train(ref, public_series, series_id=AIR):
    return public_series[series_id][: ref[series_id]["train_length"]]


def _assert_matches_r(out, r, rtol):
    np.testing.assert_allclose(out["mean"], r["mean"], rtol=rtol)
    for lvl in ("80", "95"):
        np.testing.assert_allclose(out[f"lo-{lvl}"], r[f"lo{lvl}"], rtol=rtol)
        np.testing.assert_allclose(out[f"hi-{lvl}"], r[f"hi{lvl}"], rtol=rtol)


def test_auto_ets_matches_r_on_air_passengers(r_reference, public_series):
    ref = r_reference[AIR]
    exact = fs.AutoETS(season_length=ref["season_length"], optimizer="nelder_mead_r")
    fit = exact.fit(_train(r_reference, public_series))
    assert fit.description.startswith(ref["auto"]["method"])
    _assert_matches_r(fit.predict(h=ref["horizon"], level=[80, 95]), ref["auto"], rtol=1e-6)


def test_fixed_ets_madm_matches_r(r_reference, public_series):
    ref = r_reference[AIR]
    assert fs.ETS(season_length=12, model="MAdM").spec() == {"model": "ets", "season_length": 12, "spec": "MAdM"}
    model = fs.ETS(season_length=ref["season_length"], model="MAdM", optimizer="nelder_mead_r")
    out = model.forecast(_train(r_reference, public_series), h=ref["horizon"], level=[80, 95])
    _assert_matches_r(out, ref["fixed"]["MAdM"], rtol=1e-6)


def test_ets_with_wildcard_is_auto_ets(r_reference, public_series):
    # The core resolves a wildcard code (`Ets::resolve`): the spec says "ets", the fit is AutoETS's.
    assert fs.ETS(season_length=12).spec() == {"model": "ets", "season_length": 12, "spec": "ZZZ"}
    y = _train(r_reference, public_series)
    ets, auto = fs.ETS(season_length=12).fit(y), fs.AutoETS(season_length=12).fit(y)
    assert ets.description == auto.description
    np.testing.assert_array_equal(ets.predict(6, level=[95])["hi-95"], auto.predict(6, level=[95])["hi-95"])
    assert fs.AutoETS(12, model="ZZN", damped=True).spec() == {
        "model": "auto_ets",
        "season_length": 12,
        "pattern": "ZZN",
        "damped": True,
    }
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.ETS(model="ZZZ", alpha=0.3)
    assert info.value.field == "alpha"


def test_ets_optimizer_is_passed_to_the_core(r_reference, public_series):
    # The option is a core setting: the binding passes the string, the core validates it. The
    # default ("hybrid": R's search for non-seasonal forms, the gradient for seasonal ones) is
    # "hybrid" spelled out; "nelder_mead" (R's search on the shorter-chain arithmetic) gives R's
    # estimates here, as "nelder_mead_r" does.
    y = _train(r_reference, public_series)
    default = fs.AutoETS(12).forecast(y, h=6)["mean"]
    np.testing.assert_array_equal(fs.AutoETS(12, optimizer="hybrid").forecast(y, h=6)["mean"], default)
    exact = fs.AutoETS(12, optimizer="nelder_mead_r").forecast(y, h=6)["mean"]
    np.testing.assert_array_equal(fs.AutoETS(12, optimizer="nelder_mead").forecast(y, h=6)["mean"], exact)
    planner = fs.AutoModel(12, optimizer="nelder_mead_r")
    assert planner.spec()["optimizer"] == "nelder_mead_r"
    np.testing.assert_array_equal(
        planner.forecast(y, h=6)["mean"], fs.AutoModel(12, optimizer="nelder_mead").forecast(y, h=6)["mean"]
    )
    np.testing.assert_array_equal(
        fs.AutoModel(12).forecast(y, h=6)["mean"], fs.AutoModel(12, optimizer="hybrid").forecast(y, h=6)["mean"]
    )
    with pytest.raises(fs.ForestockError):
        fs.AutoModel(12, optimizer="newton").fit(y)
    fast = fs.AutoETS(12, optimizer="lbfgs")
    assert fast.spec()["optimizer"] == "lbfgs"
    assert fs.ETS(12, model="MAM", optimizer="lbfgs").fit(y).description == "ETS(M,A,M)"
    assert np.isfinite(fast.forecast(y, h=6)["mean"]).all()
    with pytest.raises(fs.ForestockError):
        fs.AutoETS(12, optimizer="newton").fit(y)


@pytest.mark.parametrize("seasonality", ["additive", "multiplicative"])
def test_holt_winters_matches_r(seasonality, r_reference, public_series):
    ref = r_reference[AIR]
    out = fs.HoltWinters(ref["season_length"], seasonality=seasonality).forecast(
        _train(r_reference, public_series), h=ref["horizon"]
    )
    np.testing.assert_allclose(out["mean"], ref["holtwinters"][seasonality]["mean"], rtol=1e-4)


# Intermittent series: sizes 3, 5, 2 arrive after intervals 3, 2, 4 (the first counted from the start).
SPARSE = [0, 0, 3, 0, 5, 0, 0, 0, 2]


def _ses(values, alpha):
    """Simple exponential smoothing started at the first value (statsforecast's convention)."""
    level = values[0]
    for v in values[1:]:
        level = alpha * v + (1 - alpha) * level
    return level


def test_croston_classic_and_sba_by_hand():
    size, interval = _ses([3, 5, 2], 0.1), _ses([3, 2, 4], 0.1)
    assert size == pytest.approx(3.08) and interval == pytest.approx(3.01)
    classic = fs.CrostonClassic().forecast(SPARSE, h=3)["mean"]
    np.testing.assert_allclose(classic, [size / interval] * 3, rtol=1e-12)
    sba = fs.CrostonSBA().forecast(SPARSE, h=2)["mean"]
    np.testing.assert_allclose(sba, [0.95 * size / interval] * 2, rtol=1e-12)


def test_tsb_with_fixed_parameters_by_hand():
    # TSB: probability p smoothed every period, size z only on demand periods (statsforecast TSB).
    alpha_d, alpha_p = 0.2, 0.1
    occurrence = [1.0 if v > 0 else 0.0 for v in SPARSE]
    p = _ses(occurrence, alpha_p)
    z = _ses([3, 5, 2], alpha_d)
    out = fs.TSB(alpha_d=alpha_d, alpha_p=alpha_p).forecast(SPARSE, h=2)["mean"]
    np.testing.assert_allclose(out, [p * z] * 2, rtol=1e-12)


@pytest.mark.parametrize(
    "model",
    [fs.CrostonOptimized(), fs.ADIDA(), fs.IMAPA(), fs.AutoModel(season_length=1), fs.TSB()],
    ids=repr,
)
def test_intermittent_models_forecast_a_flat_non_negative_rate(model):
    out = model.forecast(SPARSE, h=4, level=[90])
    assert np.all(out["mean"] == out["mean"][0]) and out["mean"][0] > 0
    assert np.all(out["lo-90"] >= 0) and np.all(out["hi-90"] >= out["mean"])


def test_spec_names_work_in_fs_forecast(r_reference, public_series):
    y = _train(r_reference, public_series)
    df = pd.DataFrame({"unique_id": "air", "ds": np.arange(len(y)), "y": y})
    res = fs.forecast(df, h=3, model="auto_ets", season_length=12, level=[95])
    single = fs.AutoETS(12).forecast(y, h=3, level=[95])
    np.testing.assert_array_equal(res["mean"].to_numpy(), single["mean"])
    sparse = pd.DataFrame({"unique_id": "s", "ds": np.arange(len(SPARSE)), "y": SPARSE})
    for name in ["croston_classic", "croston_optimized", "croston_sba", "tsb", "adida", "imapa"]:
        assert len(fs.forecast(sparse, h=2, model=name)) == 2, name


@pytest.mark.parametrize(
    "model, y, error",
    [
        (fs.ETS(12, model="MAM"), -np.arange(1.0, 40.0), fs.InvalidSeriesError),  # multiplicative needs y > 0
        (fs.ETS(1, model="QQQ"), np.arange(1.0, 40.0), fs.InvalidParameterError),
        (fs.AutoETS(0), np.arange(1.0, 40.0), fs.InvalidParameterError),
        (fs.HoltWinters(12, seasonality="cubic"), np.arange(1.0, 40.0), fs.InvalidParameterError),
        (fs.CrostonClassic(), [1.0, -2.0, 3.0], fs.InvalidSeriesError),
        (fs.TSB(alpha_d=1.5, alpha_p=0.1), [0.0, 1.0, 0.0, 2.0], fs.InvalidParameterError),
        (fs.AutoETS(12), [1.0, np.nan, 3.0], fs.InvalidSeriesError),
    ],
    ids=str,
)
def test_bad_input_raises_the_right_subclass(model, y, error):
    with pytest.raises(error) as info:
        model.fit(y)
    assert isinstance(info.value, fs.ForestockError)
