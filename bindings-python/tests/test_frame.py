"""fs.forecast on a long frame: round trip, future ds, per-series errors."""

import numpy as np
import pandas as pd
import pytest

import forestock as fs


def long_frame(series: dict, start=0):
    return pd.DataFrame(
        [(uid, start + t, v) for uid, ys in series.items() for t, v in enumerate(ys)],
        columns=["unique_id", "ds", "y"],
    )


def test_frame_round_trip_matches_single_series(public_series, r_reference):
    ids = ["datasets.USAccDeaths", "datasets.ldeaths", "fpp2.a10"]
    train = {i: public_series[i][: r_reference[i]["train_length"]] for i in ids}
    df = long_frame(train).sample(frac=1.0, random_state=1)  # order must not matter
    out = fs.forecast(df, h=18, model="seasonal_naive", season_length=12, level=[80, 95])
    assert list(out.columns) == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert out.attrs["errors"] == []
    for uid in ids:
        part = out[out.unique_id == uid]
        single = fs.SeasonalNaive(12).forecast(train[uid], h=18, level=[80, 95])
        np.testing.assert_array_equal(part["mean"], single["mean"])
        np.testing.assert_array_equal(part["hi-95"], single["hi-95"])
        np.testing.assert_array_equal(part["ds"], np.arange(len(train[uid]), len(train[uid]) + 18))
        np.testing.assert_allclose(part["lo-80"], r_reference[uid]["snaive"]["lo80"], rtol=1e-9)


@pytest.mark.parametrize(
    "reorder",
    [
        lambda df: df,  # sorted: the no-copy path
        lambda df: pd.concat([df[df.unique_id == "b"], df[df.unique_id == "a"]]),  # grouped, ids out of order
        lambda df: df.iloc[::-1],  # grouped in reverse: ids and times out of order
        lambda df: pd.concat([df.iloc[:3].iloc[::-1], df.iloc[3:]]),  # one series' times out of order
    ],
)
def test_row_order_never_changes_the_result(reorder):
    df = long_frame({"a": [1.0, 5.0, 2.0, 7.0, 3.0, 8.0], "b": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]})
    expected = fs.forecast(df, h=3, model="seasonal_naive", season_length=2)
    out = fs.forecast(reorder(df).reset_index(drop=True), h=3, model="seasonal_naive", season_length=2)
    pd.testing.assert_frame_equal(out, expected)
    assert list(out.unique_id) == ["a"] * 3 + ["b"] * 3
    np.testing.assert_array_equal(out["mean"], [3.0, 8.0, 3.0, 50.0, 60.0, 50.0])


def test_bad_series_is_reported_not_raised():
    df = long_frame({"a": [1, 2, 3, 4, 5], "bad": [1, np.nan, 3, 4, 5], "c": [2, 2, 2, 2, 2], "short": [1]})
    with pytest.warns(RuntimeWarning, match="2 of 4 series failed"):
        out = fs.forecast(df, h=2, model="naive", level=[90])
    assert sorted(out.unique_id.unique()) == ["a", "c"]
    errors = {e["unique_id"]: e for e in out.attrs["errors"]}
    assert errors["bad"]["code"] == "ERR_INVALID_SERIES" and errors["bad"]["index"] == 1
    assert "series `bad`" in errors["bad"]["message"]
    assert errors["short"]["code"] == "ERR_INVALID_SERIES"
    out2, err_frame = fs.forecast(df, h=2, model="naive", return_errors=True)
    assert list(err_frame.unique_id) == ["bad", "short"]
    assert len(out2) == 4


def test_datetime_frequencies_continue_the_frame_calendar():
    monthly = pd.DataFrame({"unique_id": "m", "ds": pd.date_range("2020-01-01", periods=24, freq="MS"), "y": np.arange(24.0)})
    weekly = pd.DataFrame({"unique_id": "w", "ds": pd.date_range("2021-01-03", periods=10, freq="W-SUN"), "y": np.arange(10.0)})
    m = fs.forecast(monthly, h=3, model="naive").ds.tolist()
    w = fs.forecast(weekly, h=3, model="naive").ds.tolist()
    assert m == list(pd.date_range("2022-01-01", periods=3, freq="MS"))
    assert w == list(pd.date_range("2021-03-14", periods=3, freq="W-SUN"))
    # One frequency per frame (the catalogue's grid): a monthly series among weekly ones is named.
    with pytest.raises(fs.InvalidParameterError, match=r"series `m`.*monthly on their own"):
        fs.forecast(pd.concat([monthly, weekly]), h=3, model="naive")


def test_explicit_freq_and_model_object():
    df = pd.DataFrame({"unique_id": [1, 1], "ds": pd.to_datetime(["2024-01-01", "2024-01-02"]), "y": [1.0, 2.0]})
    out = fs.forecast(df, h=2, model=fs.Naive(), freq="D")
    assert out.ds.tolist() == list(pd.to_datetime(["2024-01-03", "2024-01-04"]))
    assert out.unique_id.tolist() == [1, 1]


def test_frame_errors():
    df = long_frame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.forecast(df, h=2, model="no_such_model")
    assert info.value.field == "model"
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.forecast(df, h=2, model="seasonal_naive")
    assert info.value.field == "season_length"
    with pytest.raises(fs.InvalidParameterError):
        fs.forecast(df, h=0, model="naive")
    with pytest.raises(fs.InvalidParameterError):
        fs.forecast(df.drop(columns="y"), h=2, model="naive")
    with pytest.raises(fs.InvalidRowError):
        fs.forecast(pd.concat([df, df]), h=2, model="naive")


def test_n_jobs_does_not_change_results():
    rng = np.random.default_rng(7)
    df = long_frame({f"s{i}": rng.gamma(2.0, 10.0, 40) for i in range(200)})
    a = fs.forecast(df, h=5, model="seasonal_naive", season_length=7, level=[95], n_jobs=1)
    b = fs.forecast(df, h=5, model="seasonal_naive", season_length=7, level=[95], n_jobs=-1)
    pd.testing.assert_frame_equal(a, b)
