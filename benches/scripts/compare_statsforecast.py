#!/usr/bin/env python3
"""Time forestock against statsforecast's AutoETS on the same series, in one run.

Usage (from the repository root, after `make python-dev`):
    .venv/bin/pip install statsforecast
    .venv/bin/python benches/scripts/compare_statsforecast.py [--weekly 1000]

Both libraries run single-threaded, after a warm-up call (statsforecast's numba compilation is not
counted). For each of the 29 public series (fitted on all but the last `horizon` points) it reports the
time per series and the MASE of the point forecasts on the held-out points, next to R forecast 8.20's
automatic ETS (figures from tests/fixtures/reference/r_forecast_public.json). `--weekly N` adds N
synthetic weekly series of 104 points (season length 52, horizon 4).
"""
import argparse
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from synthetic import synthetic_weekly  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"


def load_public():
    meta = {}
    for line in (FIX / "public" / "meta.csv").read_text().splitlines()[1:]:
        uid, m, h, _group = line.split(",")
        meta[uid] = (int(m), int(h))
    ys = {uid: [] for uid in meta}
    for line in (FIX / "public" / "series.csv").read_text().splitlines()[1:]:
        uid, _ds, y = line.split(",")
        ys[uid].append(float(y))
    return [(uid, np.asarray(ys[uid]), m, h) for uid, (m, h) in meta.items()]


def mase(train, test, fc, m):
    m = m if len(train) > m else 1
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(test - fc)) / scale)


def time_per_series(fn, series, repeats):
    best = float("inf")
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = [fn(y, m, h) for y, m, h in series]
        best = min(best, time.perf_counter() - t0)
    return best / len(series), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weekly", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    import forestock as fs
    from statsforecast.models import AutoETS as SfAutoETS
    import statsforecast

    ref = json.loads((FIX / "reference" / "r_forecast_public.json").read_text())
    public = load_public()
    series = [(y[:-h], m, h) for _uid, y, m, h in public]

    def run_sf(y, m, h):
        return SfAutoETS(season_length=m).forecast(y=y, h=h)["mean"]

    def run_fs(y, m, h):
        return fs.AutoETS(season_length=m).forecast(y, h=h)["mean"]

    run_sf(*series[0])  # numba warm-up
    run_fs(*series[0])
    t_sf, fc_sf = time_per_series(run_sf, series, args.repeats)
    t_fs, fc_fs = time_per_series(run_fs, series, args.repeats)

    rows = []
    for (uid, y, m, h), a, b in zip(public, fc_fs, fc_sf):
        train, test = y[:-h], y[-h:]
        r = np.asarray(ref[uid]["auto"]["mean"])
        rows.append((uid, mase(train, test, a, m), mase(train, test, b, m), mase(train, test, r, m)))

    print(f"statsforecast {statsforecast.__version__}, forestock {getattr(fs, '__version__', '?')}")
    print()
    print("| series | forestock MASE | statsforecast MASE | R ets MASE |")
    print("|---|---|---|---|")
    for uid, a, b, r in rows:
        print(f"| {uid} | {a:.3f} | {b:.3f} | {r:.3f} |")
    mean = lambda i: float(np.mean([row[i] for row in rows]))  # noqa: E731
    print(f"| **mean** | **{mean(1):.3f}** | **{mean(2):.3f}** | **{mean(3):.3f}** |")
    print()
    print("| AutoETS, 29 public series | per series | speed-up |")
    print("|---|---|---|")
    print(f"| statsforecast | {t_sf * 1e3:.2f} ms | 1x |")
    print(f"| forestock | {t_fs * 1e3:.3f} ms | {t_sf / t_fs:.1f}x |")

    if args.weekly:
        weekly = [(y, 52, 4) for y in synthetic_weekly(args.weekly)]
        t_sf_w, _ = time_per_series(run_sf, weekly, 1)
        t_fs_w, _ = time_per_series(run_fs, weekly, 1)
        print(f"| AutoETS, {args.weekly} weekly series x 104 (m=52) | | |")
        print(f"| statsforecast | {t_sf_w * 1e3:.2f} ms | 1x |")
        print(f"| forestock | {t_fs_w * 1e3:.3f} ms | {t_sf_w / t_fs_w:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
