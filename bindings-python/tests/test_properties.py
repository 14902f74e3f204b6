"""Property test (hypothesis): arbitrary input never crashes the interpreter.

Every model class, the decompositions, `fs.forecast` and `fs.plan` get arbitrary float arrays (NaN,
±inf, ±1e300, subnormals, negatives, empty, constant), horizons, levels and season lengths
(negative, zero, huge: 2**63, 10**30) and either return finite results of the requested shape or
raise a `forestock.ForestockError` -- never pyo3's OverflowError/TypeError, a bare ValueError from
the binding, a SystemError, or `forestock.InternalError` (a caught Rust panic, always a defect).
The example counts keep the whole file under about 30 s (docs/reliability.md).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forestock as fs

HUGE_INTS = [2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63), -(2**64)]
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 5.0, 1e300, -1e300, 5e-324, 1e-300, -3.0, 100.0]),
    st.floats(min_value=0, max_value=500, allow_nan=False),
)
series = st.one_of(
    st.lists(values, max_size=40),
    st.builds(lambda v, n: [v] * n, values, st.integers(0, 30)),  # constant
    st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=20, max_size=60),  # plausible
)
horizons = st.one_of(st.integers(-3, 24), st.sampled_from(HUGE_INTS + [0]))
levels = st.one_of(
    st.none(),
    st.sampled_from([80, 95, [80, 95], [], [0], [100], [-5], [float("nan")], [10**400], [50.5, 99.9]]),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=3),
)
one_period = st.one_of(st.integers(-2, 60), st.sampled_from(HUGE_INTS))
periods = st.one_of(one_period, st.lists(one_period, max_size=3))

# Constructors that take a season (one period, or several where the model accepts a list).
MODELS = {
    "Naive": lambda m: fs.Naive(),
    "SeasonalNaive": lambda m: fs.SeasonalNaive(season_length=_one(m)),
    "ETS": lambda m: fs.ETS(season_length=_one(m), model="AAA"),
    "AutoETS": lambda m: fs.AutoETS(season_length=_one(m)),
    "HoltWinters": lambda m: fs.HoltWinters(season_length=_one(m)),
    "CrostonClassic": lambda m: fs.CrostonClassic(),
    "CrostonOptimized": lambda m: fs.CrostonOptimized(),
    "CrostonSBA": lambda m: fs.CrostonSBA(),
    "TSB": lambda m: fs.TSB(),
    "ADIDA": lambda m: fs.ADIDA(),
    "IMAPA": lambda m: fs.IMAPA(),
    "Theta": lambda m: fs.Theta(season_length=_one(m)),
    "AutoTheta": lambda m: fs.AutoTheta(season_length=_one(m)),
    "AutoModel": lambda m: fs.AutoModel(season_length=m),
    "MSTL": lambda m: fs.MSTL(season_length=m),
    "Ensemble": lambda m: fs.Ensemble(season_length=m, windows=2),
    "Conformal": lambda m: fs.Conformal(fs.Naive(), season_length=_one(m), windows=2),
}


def _one(m):
    return m[0] if isinstance(m, list) and m else (1 if isinstance(m, list) else m)


def _allowed(exc: BaseException) -> None:
    """Fail unless `exc` is a forestock error other than InternalError."""
    assert isinstance(exc, fs.ForestockError), f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    assert not isinstance(exc, fs.InternalError), f"a Rust panic reached Python: {exc}"


def _check_forecast(out, h, lvls):
    assert out["mean"].shape == (h,)
    for key, arr in out.items():
        assert arr.shape == (h,), key
        assert np.all(np.isfinite(arr)), (key, arr)


def _quiet():
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    return ctx


PROPS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.mark.parametrize("name", sorted(MODELS))
@PROPS
@given(y=series, h=horizons, level=levels, m=periods)
def test_every_model_returns_finite_forecasts_or_a_forestock_error(name, y, h, level, m):
    ctx = _quiet()
    try:
        out = MODELS[name](m).forecast(np.array(y, dtype=float), h=h, level=level)
    except BaseException as exc:  # noqa: BLE001 - the property is about which exceptions escape
        _allowed(exc)
    else:
        _check_forecast(out, h, level)
    finally:
        ctx.__exit__(None, None, None)


@PROPS
@given(y=series, h=horizons)
def test_predict_takes_any_python_int_as_h(y, h):
    ctx = _quiet()
    try:
        fit = fs.Naive().fit(np.array(y, dtype=float))
        out = fit.predict(h)
    except BaseException as exc:  # noqa: BLE001
        _allowed(exc)
    else:
        _check_forecast(out, h, None)
    finally:
        ctx.__exit__(None, None, None)


@PROPS
@given(
    y=series,
    m=one_period,
    window=st.one_of(st.just("periodic"), st.integers(-3, 30), st.sampled_from(HUGE_INTS)),
    robust=st.booleans(),
    extra=st.dictionaries(
        st.sampled_from(["trend_window", "low_pass_window", "inner", "outer", "seasonal_jump", "trend_degree"]),
        st.one_of(st.integers(-2, 40), st.sampled_from(HUGE_INTS)),
        max_size=2,
    ),
)
def test_stl_and_mstl_decompose_or_raise_a_forestock_error(y, m, window, robust, extra):
    ctx = _quiet()
    try:
        try:
            d = fs.STL(season_length=m, seasonal_window=window, robust=robust, **extra).decompose(y)
        except BaseException as exc:  # noqa: BLE001
            _allowed(exc)
        else:
            assert np.all(np.isfinite(d.trend + d.seasonal + d.remainder))
        try:
            d = fs.MSTL(season_length=[m, 2 * m] if m > 0 else m).decompose(y)
        except BaseException as exc:  # noqa: BLE001
            _allowed(exc)
        else:
            assert len(d.trend) == len(y)
    finally:
        ctx.__exit__(None, None, None)


frames = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), series), min_size=1, max_size=3)


def _frame(parts):
    rows = [
        pd.DataFrame({"unique_id": uid, "ds": np.arange(len(y)), "y": np.array(y, dtype=float)})
        for uid, y in {uid: y for uid, y in parts}.items()
    ]
    return pd.concat(rows, ignore_index=True)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    parts=frames,
    h=horizons,
    level=levels,
    m=periods,
    model=st.sampled_from(["naive", "seasonal_naive", "auto_ets", "auto_model", "croston_sba", "theta", "mstl"]),
)
def test_forecast_frames_never_crash(parts, h, level, m, model):
    df = _frame(parts)
    settings_ = {"periods": m if isinstance(m, list) else [m]} if model == "mstl" else {"season_length": m}
    if model in ("naive", "croston_sba"):
        settings_ = {}
    ctx = _quiet()
    try:
        out = fs.forecast(df, h=h, model=model, level=level, n_jobs=1, **settings_)
    except BaseException as exc:  # noqa: BLE001
        _allowed(exc)
    else:
        numeric = out.drop(columns=["unique_id", "ds"]).to_numpy(dtype=float)
        assert np.all(np.isfinite(numeric))
    finally:
        ctx.__exit__(None, None, None)


item_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1.0, 2.0, -1.0, 1e300]), st.integers(-5, 10)
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    parts=frames,
    horizon=horizons,
    level=levels,
    m=periods,
    cost=item_values,
    lead=item_values,
    on_hand=item_values,
)
def test_plan_never_crashes(parts, horizon, level, m, cost, lead, on_hand):
    df = _frame(parts)
    ids = sorted(df["unique_id"].unique())
    items = pd.DataFrame({"unique_id": ids, "unit_cost": cost, "lead_time": lead, "on_hand": on_hand})
    ctx = _quiet()
    try:
        recs, failures = fs.plan(df, items, horizon=horizon, season_length=m, level=level)
    except BaseException as exc:  # noqa: BLE001
        _allowed(exc)
    else:
        assert len(recs) + len(failures) >= 1
        if len(recs):
            for column in ("order_quantity", "reorder_point"):
                if column in recs:
                    assert np.all(np.isfinite(recs[column].to_numpy(dtype=float))), column
    finally:
        ctx.__exit__(None, None, None)
