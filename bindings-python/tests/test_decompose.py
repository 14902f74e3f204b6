"""STL and MSTL decompositions from Python against R's figures (stats::stl, forecast::mstl), and
their typed errors."""

import csv
import json
import warnings

import numpy as np
import pandas as pd
import pytest

import forestock as fs

from conftest import FIXTURES


def _reference():
    with open(FIXTURES / "reference" / "r_decomposition_theta_public.json") as f:
        return json.load(f)


def _series(folder):
    """{unique_id: training part} of a fixture folder (all but the last `horizon` points)."""
    rows: dict[str, list[tuple[int, float]]] = {}
    with open(FIXTURES / folder / "series.csv") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["unique_id"], []).append((int(row["ds"]), float(row["y"])))
    with open(FIXTURES / folder / "meta.csv") as f:
        meta = {row["unique_id"]: row for row in csv.DictReader(f)}
    out = {}
    for uid, values in rows.items():
        y = np.array([v for _, v in sorted(values)])
        out[uid] = (y[: len(y) - int(meta[uid]["horizon"])], meta[uid])
    return out


def max_error(ours, r):
    """Largest error: absolute below 1, relative above (as the Rust parity tests)."""
    r = np.asarray(r, dtype=float)
    ours = np.asarray(ours, dtype=float)
    assert ours.shape == r.shape
    return float(np.max(np.abs(ours - r) / np.maximum(np.abs(r), 1.0)))


def test_stl_matches_r_on_every_public_entry():
    reference = _reference()["stl"]
    assert len(reference) == 84
    series = _series("public")
    worst = 0.0
    for e in reference:
        y, _ = series[e["unique_id"]]
        stl = fs.STL(season_length=e["period"], seasonal_window=e["s_window"], robust=e["robust"])
        d = stl.decompose(y)
        p = e["params"]
        assert (d.params["s_window"], d.params["t_window"], d.params["l_window"]) == (
            p["s.window"], p["t.window"], p["l.window"]
        )
        assert (d.params["inner"], d.params["outer"]) == (p["inner"], p["outer"])
        err = max(max_error(d.trend, e["trend"]), max_error(d.seasonal, e["seasonal"]),
                  max_error(d.remainder, e["remainder"]), max_error(d.weights, e["weights"]))
        assert err < 1e-8, (e["unique_id"], e["period"], e["s_window"], e["robust"], err)
        worst = max(worst, err)
    print(f"STL parity from Python: worst error {worst:.2e}")


def test_stl_result_shapes_and_inputs():
    y = pd.Series(10 + np.sin(np.arange(48) * 2 * np.pi / 12) + 0.1 * np.arange(48), index=pd.RangeIndex(100, 148))
    d = fs.STL(season_length=12).fit(y)  # fit is an alias of decompose
    np.testing.assert_allclose(d.trend + d.seasonal + d.remainder, y.to_numpy(), atol=1e-9)
    assert set(d.to_dict()) == {"trend", "seasonal", "remainder"}
    frame = d.to_frame()
    assert list(frame.columns) == ["trend", "seasonal", "remainder"] and frame.index[0] == 100
    same = fs.STL(12).decompose(list(y))
    np.testing.assert_array_equal(same.trend, d.trend)
    robust = fs.STL(season_length=12, seasonal_window=7, robust=True).decompose(y.to_numpy())
    assert robust.params["outer"] == 15 and not robust.params["periodic"]
    assert "season_length=12" in repr(fs.STL(12))


def test_mstl_decompose_matches_r_components():
    reference = _reference()["mstl"]
    series = _series("public_long")
    for uid, (y, meta) in series.items():
        periods = [int(p) for p in meta["seasons"].split(";")]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", fs.UnusedSeasonWarning)
            d = fs.MSTL(season_length=periods).decompose(y)
        components = reference[uid]["components"]
        assert max_error(d.trend, components["Trend"]) < 1e-10, uid
        assert max_error(d.remainder, components["Remainder"]) < 1e-10, uid
        r_seasonals = sorted(int(k[len("Seasonal"):]) for k in components if k.startswith("Seasonal"))
        assert d.periods == r_seasonals, uid
        for p, s in d.seasonal.items():
            assert max_error(s, components[f"Seasonal{p}"]) < 1e-10, (uid, p)
        total = d.trend + sum(d.seasonal.values()) + d.remainder
        np.testing.assert_allclose(total, y, rtol=1e-9, atol=1e-9)
        assert list(d.to_dict())[0] == "trend" and list(d.to_dict())[-1] == "remainder"


def test_mstl_decompose_reports_dropped_periods():
    t = np.arange(400)
    y = 100 + 10 * np.sin(2 * np.pi * t / 7) + 0.01 * t
    with pytest.warns(fs.UnusedSeasonWarning, match="season period 365 not used") as caught:
        d = fs.MSTL(season_length=[7, 365]).decompose(y)
    assert d.periods == [7]
    assert [x["period"] for x in d.dropped] == [365] and "two full periods" in d.dropped[0]["reason"]
    w = [w.message for w in caught if isinstance(w.message, fs.UnusedSeasonWarning)][0]
    assert (w.period, w.series) == (365, None) and "two full periods" in w.reason
    assert list(d.to_frame().columns) == ["trend", "seasonal7", "remainder"]
    boxcox = fs.MSTL(season_length=7, lambda_=0.5).decompose(y)
    assert boxcox.lambda_ == 0.5


@pytest.mark.parametrize(
    ("make", "y", "error", "field"),
    [
        (lambda: fs.STL(12), [1.0, np.nan] * 24, fs.InvalidSeriesError, None),
        (lambda: fs.STL(12), [np.inf] * 48, fs.InvalidSeriesError, None),
        (lambda: fs.STL(12), np.arange(20.0), fs.InvalidSeriesError, None),
        (lambda: fs.STL(12), [], fs.InvalidSeriesError, None),
        (lambda: fs.STL(1), np.arange(20.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.STL(0), np.arange(20.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.STL(-4), np.arange(20.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.STL(2**70), np.arange(20.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.STL(2**40), np.arange(20.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.STL(4, seasonal_window=0), np.arange(20.0), fs.InvalidParameterError, "seasonal_window"),
        (lambda: fs.STL(4, seasonal_window=-3), np.arange(20.0), fs.InvalidParameterError, "seasonal_window"),
        (lambda: fs.STL(4, seasonal_window=7.5), np.arange(20.0), fs.InvalidParameterError, "seasonal_window"),
        (lambda: fs.STL(4, seasonal_window=7, seasonal_degree=2), np.arange(20.0), fs.InvalidParameterError, "seasonal_degree"),
        (lambda: fs.STL(4, trend_window=0), np.arange(20.0), fs.InvalidParameterError, "trend_window"),
        (lambda: fs.STL(4, inner=2**64), np.arange(20.0), fs.InvalidParameterError, "inner"),
        (lambda: fs.MSTL([7, 0]), np.arange(30.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.MSTL([7, 10**6]), np.arange(30.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.MSTL([7, -1]), np.arange(30.0), fs.InvalidParameterError, "season_length"),
        (lambda: fs.MSTL(7), [1.0, np.nan, 3.0] * 10, fs.InvalidSeriesError, None),
        (lambda: fs.MSTL(7, lambda_=float("nan")), np.arange(1.0, 31.0), fs.InvalidParameterError, None),
    ],
)
def test_bad_decomposition_input_is_a_typed_error(make, y, error, field):
    with pytest.raises(error) as info:
        make().decompose(y)
    if field is not None:
        assert info.value.field == field, (info.value.field, str(info.value))


def test_stl_bad_window_text_names_the_argument():
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.STL(7, seasonal_window="weekly")
    assert info.value.field == "seasonal_window"
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.STL(7, robust="yes")
    assert info.value.field == "robust"
