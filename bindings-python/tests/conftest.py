"""Shared fixtures: the repository's reference data (tests/fixtures at the repo root), and the
small demand frame and hand-moved clock of the job and scheduler tests."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


@pytest.fixture(scope="session")
def r_reference():
    """R forecast 8.20 figures per public series."""
    with open(FIXTURES / "reference" / "r_forecast_public.json") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def public_series():
    """The 29 public series as {unique_id: np.ndarray} (full length, ds order)."""
    rows: dict[str, list[tuple[int, float]]] = {}
    with open(FIXTURES / "public" / "series.csv") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["unique_id"], []).append((int(row["ds"]), float(row["y"])))
    return {k: np.array([y for _, y in sorted(v)]) for k, v in rows.items()}


def job_demand():
    """Three SKUs over 60 periods: smooth, sparse, and one with a NaN (it fails alone)."""
    import pandas as pd

    rng = np.random.default_rng(11)
    series = {
        "smooth": 40 + rng.normal(0, 4, 60).round(),
        "sparse": np.where(rng.random(60) < 0.25, rng.integers(1, 6, 60), 0).astype(float),
        "broken": np.r_[np.ones(30), np.nan, np.ones(29)],
    }
    return pd.concat(
        [pd.DataFrame({"unique_id": sku, "ds": np.arange(60), "y": y}) for sku, y in series.items()],
        ignore_index=True,
    )


class FakeClock:
    """An aware UTC clock moved by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now
