"""fs.detect_anomalies (arrays and long frames), fs.tsoutliers / fs.na_interp against R."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import forestock as fs

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def seasonal_series(n=96):
    t = np.arange(n)
    noise = ((t * 7919) % 13) * 0.3
    return 100.0 + 0.5 * t + 20.0 * np.sin(2 * np.pi * t / 12) + noise


def test_detect_anomalies_on_an_array():
    y = seasonal_series()
    y[30] += 40.0
    y[61] -= 40.0
    out = fs.detect_anomalies(y, season_length=12)
    assert out["index"].dtype == np.int64
    assert out["index"].tolist() == [30, 61]
    assert out["kind"] == ["spike", "dip"]
    assert out["score"][0] >= 4.0 and out["score"][1] <= -4.0
    assert out["reason"][0].startswith("spike: ") and "robust SD above" in out["reason"][0]
    assert out["replacement"][0] == pytest.approx(y[30] - 40.0, abs=5.0)
    assert out["value"].tolist() == [y[30], y[61]]
    assert out["report"]["regime"] == "regular"
    assert fs.detect_anomalies(seasonal_series(), 12)["index"].size == 0


def test_detect_anomalies_on_a_long_frame_gives_one_row_per_flag():
    a = seasonal_series()
    a[10] += 50.0
    b = np.where(np.arange(60) % 4 == 0, 3.0, 0.0)  # intermittent: nothing to flag
    df = pd.DataFrame(
        {
            "unique_id": ["a"] * a.size + ["b"] * b.size,
            "ds": list(range(a.size)) + list(range(b.size)),
            "y": np.concatenate([a, b]),
        }
    ).sample(frac=1.0, random_state=3)  # order must not matter
    out = fs.detect_anomalies(df, season_length=12)
    assert list(out.columns) == ["unique_id", "ds", "y", "score", "reason", "replacement"]
    assert out["unique_id"].tolist() == ["a"]
    assert out["ds"].tolist() == [10]
    assert out["y"].tolist() == [a[10]]
    single = fs.detect_anomalies(a, 12)
    assert out["score"].tolist() == single["score"].tolist()
    assert out["replacement"].tolist() == single["replacement"].tolist()


def test_detect_anomalies_on_a_polars_frame():
    pl = pytest.importorskip("polars")
    a = seasonal_series()
    a[20] -= 60.0
    df = pl.DataFrame({"unique_id": ["x"] * a.size, "ds": list(range(a.size)), "y": a})
    out = fs.detect_anomalies(df, season_length=12)
    assert type(out).__module__.startswith("polars")
    assert out.get_column("ds").to_list() == [20]


def test_bad_input_raises_typed_errors():
    with pytest.raises(fs.InvalidSeriesError):
        fs.detect_anomalies(np.array([1.0, np.nan, 3.0]), 1)
    with pytest.raises(fs.InvalidParameterError):
        fs.detect_anomalies(seasonal_series(), 0)
    with pytest.raises(fs.InvalidParameterError):
        fs.detect_anomalies(seasonal_series(), -3)
    with pytest.raises(fs.InvalidParameterError):
        fs.detect_anomalies(pd.DataFrame({"unique_id": ["a"], "y": [1.0]}), 1)


def test_tsoutliers_and_na_interp_match_r_on_non_seasonal_series(public_series):
    with open(FIXTURES / "reference" / "r_outliers_public.json") as f:
        reference = json.load(f)["series"]
    with open(FIXTURES / "public" / "meta.csv") as f:
        meta = [line.strip().split(",") for line in f.readlines()[1:] if line.strip()]
    checked = 0
    for uid, season, horizon, _group in meta:
        if int(season) != 1:
            continue
        y = public_series[uid][: -int(horizon)]
        r = reference[uid]
        out = fs.tsoutliers(y)
        assert out["index"].tolist() == [i - 1 for i in r["index"]], uid
        np.testing.assert_allclose(out["replacements"], r["replacements"], rtol=1e-6)
        holed = y.copy()
        holed[[i - 1 for i in r["na_index"]]] = np.nan
        filled = fs.na_interp(holed)
        np.testing.assert_allclose(filled[[i - 1 for i in r["na_index"]]], r["na_interp"], rtol=1e-6)
        checked += 1
    assert checked == 8


def test_tsoutliers_and_na_interp_match_r_on_a_seasonal_series(public_series):
    # AirPassengers' training part (all but the last 18 months): robust MSTL adjustment and the
    # Fourier + MSTL fill, as R forecast 8.20.
    r = json.loads((FIXTURES / "reference" / "r_outliers_public.json").read_text())["series"]["datasets.AirPassengers"]
    y = public_series["datasets.AirPassengers"][:-18]
    out = fs.tsoutliers(y, 12)
    assert out["index"].tolist() == [i - 1 for i in r["index"]]
    np.testing.assert_allclose(out["replacements"], r["replacements"], rtol=1e-6)
    holed = y.copy()
    holed[[i - 1 for i in r["na_index"]]] = np.nan
    filled = fs.na_interp(holed, 12)
    np.testing.assert_allclose(filled[[i - 1 for i in r["na_index"]]], r["na_interp"], rtol=1e-6)


def test_plan_cleans_spikes_before_fitting_when_asked():
    t = np.arange(104)
    base = 50.0 + (t * 7) % 5 + 10.0 * np.sin(2 * np.pi * t / 52)
    spiky = base.copy()
    spiky[98] = 400.0
    demand = pd.DataFrame({"unique_id": ["A"] * 104 + ["B"] * 104, "ds": list(t) * 2, "y": np.r_[spiky, base]})
    items = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [2.0, 2.0], "lead_time": [2.0, 2.0]})
    raw, _ = fs.plan(demand, items)
    assert "anomalies" not in raw.columns
    for choice in ("replace", "leave_out"):
        cleaned, failures, stats = fs.plan(demand, items, clean_anomalies=choice, return_stats=True)
        assert failures.empty
        assert cleaned["anomalies"].tolist() == [1, 0], choice
        assert list(cleaned["anomaly_index"][0]) == [98]
        assert stats["anomalies_flagged"] == 1
        assert cleaned["order_up_to"][0] < raw["order_up_to"][0], choice
    kept, _ = fs.plan(demand, items, clean_anomalies="keep")
    assert kept["order_up_to"][0] == raw["order_up_to"][0]
    with pytest.raises(fs.InvalidParameterError):
        fs.plan(demand, items, clean_anomalies="drop")
