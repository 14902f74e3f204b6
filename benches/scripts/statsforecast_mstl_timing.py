#!/usr/bin/env python3
"""Time statsforecast's MSTL on the 6 public_long series, to compare with forestock's
`cargo run --release -p forestock-benches --bin mstl_public_long_timing`.

Usage (any environment with statsforecast installed):
    python benches/scripts/statsforecast_mstl_timing.py [repeats]

Same work as the Rust binary: each series fitted on all but its last `horizon` points with its
seasonal periods and an AutoETS "ZZN" trend forecaster, then a forecast of `horizon` steps with
80/95% intervals; single-threaded, best of `repeats` after a warm-up call (numba compilation is not
counted). Prints one line per series and the mean of the per-series times.
"""
import csv
import os
import pathlib
import sys
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from statsforecast.models import MSTL, AutoETS  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "public_long"


def load():
    with open(FIXTURES / "meta.csv") as f:
        meta = list(csv.DictReader(f))
    values = {m["unique_id"]: [] for m in meta}
    with open(FIXTURES / "series.csv") as f:
        for row in csv.DictReader(f):
            values[row["unique_id"]].append(float(row["y"]))
    for m in meta:
        h = int(m["horizon"])
        y = np.array(values[m["unique_id"]])
        yield m["unique_id"], [int(p) for p in m["seasons"].split(";")], h, y[:-h]


def run(periods, h, y):
    model = MSTL(season_length=periods, trend_forecaster=AutoETS(model="ZZN"))
    model = model.fit(y)
    return model.predict(h=h, level=[80, 95])


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    total = 0.0
    for uid, periods, h, y in load():
        run(periods, h, y)  # warm-up (numba)
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            run(periods, h, y)
            best = min(best, (time.perf_counter() - t0) * 1e3)
        total += best
        print(f"{uid:<18} n={len(y):<5} periods={periods} fit+predict {best:8.3f} ms")
    print(f"mean per series (fit+predict): {total / 6:.3f} ms")


if __name__ == "__main__":
    main()
