"""Data as users have it: a sales export that leaves out zero-sales weeks is put back on the
catalogue's weekly grid by the core's gap rule (filled with zeros and reported, or raised on
request), forecast dates continue from the catalogue's last period, implausible lead times warn, and
`periods_until_stockout` names what it counts."""

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest

import forestock as fs

pytestmark = pytest.mark.filterwarnings("ignore::forestock.UnusedSeasonWarning")

MONDAY = pd.Timestamp("2024-01-01")


def _catalogue(n, seed=2026):
    """n weekly SKUs over two years (every third seasonal; every fourth sells nothing in the weeks
    where (t + i) % 5 == 0) and an item master with only unique_id, unit_cost, lead_time, on_hand."""
    rng = np.random.default_rng(seed)
    t = np.arange(104)
    level = rng.uniform(5, 200, n)
    frames = []
    for i in range(n):
        season = 1 + (0.4 if i % 3 == 0 else 0.0) * np.sin(2 * np.pi * t / 52)
        y = np.maximum(1, np.round(level[i] * season * (1 + 0.2 * rng.normal(size=104))))
        if i % 4 == 0:
            y[(t + i) % 5 == 0] = 0.0
        frames.append(pd.DataFrame({"unique_id": f"SKU-{i:04d}", "ds": MONDAY + pd.to_timedelta(7 * t, "D"), "y": y}))
    items = pd.DataFrame(
        {
            "unique_id": [f"SKU-{i:04d}" for i in range(n)],
            "unit_cost": np.round(rng.uniform(1, 100, n)),
            "lead_time": np.floor(rng.uniform(1, 7, n)),
            "on_hand": np.round(level * rng.uniform(0, 8, n)),
        }
    )
    return pd.concat(frames, ignore_index=True), items


def _export(complete):
    """The sales export: rows with zero sales left out."""
    return complete[complete["y"] > 0].reset_index(drop=True)


def _from_first_sale(complete):
    """The complete frame without each SKU's leading zero weeks (nothing before a first sale is known)."""
    sold = complete["y"].gt(0).groupby(complete["unique_id"]).cummax()
    return complete[sold].reset_index(drop=True)


def test_a_500_sku_export_without_zero_weeks_plans_every_sku_and_reports_the_gaps():
    complete, items = _catalogue(500)
    export = _export(complete)
    assert len(export) < len(complete) - 2000  # ~2600 zero weeks left out
    with pytest.warns(fs.FilledGapsWarning) as caught:
        recs, failures, stats = fs.plan(export, items, return_stats=True)
    gap_warnings = [w.message for w in caught if isinstance(w.message, fs.FilledGapsWarning)]
    assert len(gap_warnings) == 1
    message = str(gap_warnings[0])
    assert message.startswith("fs.plan: 125 of 500 series had ") and "weekly frequency" in message, message
    assert "`SKU-0000` from 2024-02-05, 20 period(s)" in message and "fill_gaps=False" in message, message
    gaps = gap_warnings[0].gaps
    assert [g["unique_id"] for g in gaps] == [f"SKU-{i:04d}" for i in range(0, 500, 4)]
    assert gaps[0]["first_missing"] == pd.Timestamp("2024-02-05") and gaps[0]["missing"] == 20
    missing = (_from_first_sale(complete)["y"] == 0).sum()
    assert sum(g["missing"] for g in gaps) == missing
    assert recs.attrs["gaps"][0] == {"unique_id": "SKU-0000", "missing": 20, "first_missing": pd.Timestamp("2024-02-05")}

    assert failures.empty, failures.head()
    assert (stats["planned"], stats["skus"], stats["status"]) == (500, 500, "ok")
    lead = items.set_index("unique_id").loc[recs["unique_id"], "lead_time"].to_numpy()
    weekly = recs["protection_mean"].to_numpy() / (lead + 1.0)  # R + L with the default R = 1
    cover = (recs["inventory_position"] + recs["order_quantity"]).to_numpy() / weekly
    assert cover.max() <= 26.0, cover.max()

    # Filled, the export plans exactly like the complete weeks (from each SKU's first sale).
    with warnings.catch_warnings():
        warnings.simplefilter("error", fs.FilledGapsWarning)
        expected, _ = fs.plan(_from_first_sale(complete), items)
    pd.testing.assert_frame_equal(recs, expected)


def test_fill_gaps_false_raises_naming_the_sku_and_the_first_missing_week():
    complete, items = _catalogue(8, seed=3)
    with pytest.raises(fs.MissingDataError, match=r"`SKU-0000`.*ds = 2024-02-05") as info:
        fs.plan(_export(complete), items, fill_gaps=False)
    assert info.value.code == "ERR_MISSING_DATA"
    with pytest.raises(fs.MissingDataError, match=r"`SKU-0000`.*ds = 2024-02-05"):
        fs.forecast(_export(complete), h=4, model="naive", fill_gaps=False)
    with pytest.raises(fs.InvalidParameterError, match="fill_gaps"):
        fs.plan(_export(complete), items, fill_gaps="no")


def test_forecast_dates_continue_from_the_catalogue_last_week():
    weeks = MONDAY + pd.to_timedelta(7 * np.arange(10), "D")
    df = pd.concat(
        [
            pd.DataFrame({"unique_id": "steady", "ds": weeks, "y": np.arange(1.0, 11.0)}),
            # Sold in weeks 0, 1, 2, 4, 5: week 3 and the last four weeks are zero, not absent.
            pd.DataFrame({"unique_id": "stopped", "ds": weeks[[0, 1, 2, 4, 5]], "y": [4.0, 4.0, 4.0, 4.0, 4.0]}),
        ]
    )
    with pytest.warns(fs.FilledGapsWarning, match="1 of 2 series had 5 period"):
        out = fs.forecast(df, h=2, model="naive")
    expected_ds = [weeks[-1] + pd.Timedelta(days=7), weeks[-1] + pd.Timedelta(days=14)]
    for uid in ("steady", "stopped"):
        assert out[out.unique_id == uid].ds.tolist() == expected_ds
    # The naive forecast of the stopped SKU is its last (zero) week, not its last sale.
    assert out[out.unique_id == "stopped"]["mean"].tolist() == [0.0, 0.0]
    assert out.attrs["gaps"] == [{"unique_id": "stopped", "missing": 5, "first_missing": weeks[3]}]
    # The same as a polars frame.
    with pytest.warns(fs.FilledGapsWarning):
        out_pl = fs.forecast(pl.from_pandas(df), h=2, model="naive")
    assert out_pl.filter(pl.col("unique_id") == "stopped")["mean"].to_list() == [0.0, 0.0]


def test_month_starts_and_zoned_days_keep_their_calendar():
    months = pd.to_datetime(["2025-10-01", "2025-11-01", "2026-01-01"])
    df = pd.DataFrame({"unique_id": "m", "ds": months, "y": [3.0, 5.0, 7.0]})
    with pytest.warns(fs.FilledGapsWarning, match="monthly"):
        out = fs.forecast(df, h=2, model="naive")
    assert out.ds.tolist() == list(pd.to_datetime(["2026-02-01", "2026-03-01"]))
    days = pd.date_range("2026-03-27", periods=4, freq="D", tz="Europe/Berlin")  # DST on the 29th
    zoned = pd.DataFrame({"unique_id": "d", "ds": days[[0, 1, 3]], "y": [1.0, 2.0, 3.0]})
    with pytest.warns(fs.FilledGapsWarning, match="daily") as caught:
        out = fs.forecast(zoned, h=2, model="naive")
    assert caught[0].message.gaps[0]["first_missing"] == days[2]
    assert out.ds.tolist() == list(pd.date_range("2026-03-31", periods=2, freq="D", tz="Europe/Berlin"))


def test_integer_periods_fill_inner_gaps_and_keep_each_series_end():
    df = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 2, "ds": [0, 1, 3, 4, 0, 1], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with pytest.warns(fs.FilledGapsWarning, match="1 of 2 series had 1 period"):
        out = fs.forecast(df, h=1, model="naive")
    assert out.ds.tolist() == [5, 2]
    assert out.attrs["gaps"] == [{"unique_id": "a", "missing": 1, "first_missing": 2}]


def test_retrain_fills_and_reports_the_gaps():
    complete, _ = _catalogue(4, seed=11)
    with pytest.warns(fs.FilledGapsWarning, match="fs.retrain: 1 of 4 series"):
        report = fs.retrain(_export(complete), fs.Registry(), season_length=52)
    assert [g["unique_id"] for g in report["gaps"]] == ["SKU-0000"]
    assert len(report["outcomes"]) == 4
    with pytest.raises(fs.MissingDataError, match="`SKU-0000`"):
        fs.retrain(_export(complete), fs.Registry(), season_length=52, fill_gaps=False)


def test_lead_times_over_26_periods_warn_and_still_plan():
    complete, items = _catalogue(6, seed=5)
    items.loc[2, "lead_time"] = 35.0  # days given for weekly demand
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.FilledGapsWarning)
        with pytest.warns(RuntimeWarning, match=r"1 SKU\(s\) have a lead time over 26 periods: SKU-0002 \(35\)"):
            recs, failures = fs.plan(_export(complete), items)
    assert failures.empty and len(recs) == 6


def test_periods_until_stockout_with_the_old_name_as_a_deprecated_alias():
    complete, items = _catalogue(6, seed=5)
    recs, _ = fs.plan(complete, items)
    assert "periods_until_stockout" in recs.columns
    np.testing.assert_array_equal(recs["periods_until_stockout"], recs["days_until_stockout"])
    assert recs["periods_until_stockout"].notna().any()
