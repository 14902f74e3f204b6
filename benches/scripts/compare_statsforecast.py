#!/usr/bin/env python3
"""Time forestock's AutoETS and default Ensemble against statsforecast's AutoETS on the same series,
in one run.

Usage (from the repository root, after `make python-dev`):
    .venv/bin/pip install statsforecast
    .venv/bin/python benches/scripts/compare_statsforecast.py [--weekly 1000]

Both libraries run single-threaded, after a warm-up call (statsforecast's numba compilation is not
counted). For each of the 29 public series (fitted on all but the last `horizon` points) it reports the
time per series and the MASE of the point forecasts on the held-out points, next to R forecast 8.20's
automatic ETS (figures from tests/fixtures/reference/r_forecast_public.json). `--weekly N` adds N
synthetic weekly series of 104 points (season length 52, horizon 4). `--intermittent N` times the
intermittent family on N synthetic intermittent series (and reports the largest difference between
the two libraries' forecasts); MSTL is timed on the 6 public_long series.
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
from synthetic import synthetic_intermittent, synthetic_weekly  # noqa: E402

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
    """Mean time per series (the best of `repeats` total runs), each series' best time, outputs."""
    best = float("inf")
    each = [float("inf")] * len(series)
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = []
        for i, (y, m, h) in enumerate(series):
            t1 = time.perf_counter()
            out.append(fn(y, m, h))
            each[i] = min(each[i], time.perf_counter() - t1)
        best = min(best, time.perf_counter() - t0)
    return best / len(series), each, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weekly", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--intermittent", type=int, default=200)
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

    def run_fs_ensemble(y, m, h):
        return fs.Ensemble(season_length=m).forecast(y, h=h)["mean"]

    run_sf(*series[0])  # numba warm-up
    run_fs(*series[0])
    t_sf, each_sf, fc_sf = time_per_series(run_sf, series, args.repeats)
    t_fs, each_fs, fc_fs = time_per_series(run_fs, series, args.repeats)
    t_ens, each_ens, fc_ens = time_per_series(run_fs_ensemble, series, args.repeats)

    rows = []
    for (uid, y, m, h), a, b, e in zip(public, fc_fs, fc_sf, fc_ens):
        train, test = y[:-h], y[-h:]
        r = np.asarray(ref[uid]["auto"]["mean"])
        rows.append((uid, mase(train, test, a, m), mase(train, test, b, m), mase(train, test, r, m), mase(train, test, e, m)))

    print(f"statsforecast {statsforecast.__version__}, forestock {getattr(fs, '__version__', '?')}")
    print()
    print(
        "| series | m | n | forestock AutoETS MASE | statsforecast AutoETS MASE | R ets MASE | forestock Ensemble MASE"
        " | statsforecast AutoETS ms | forestock AutoETS ms | speed-up | forestock Ensemble ms | speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (uid, a, b, r, e), (y, m, _h), ts, tf, te in zip(rows, series, each_sf, each_fs, each_ens):
        print(
            f"| {uid} | {m} | {len(y)} | {a:.3f} | {b:.3f} | {r:.3f} | {e:.3f}"
            f" | {ts * 1e3:.2f} | {tf * 1e3:.3f} | {ts / tf:.1f}x | {te * 1e3:.3f} | {ts / te:.1f}x |"
        )
    mean = lambda i: float(np.mean([row[i] for row in rows]))  # noqa: E731
    print(f"| **mean** | | | **{mean(1):.3f}** | **{mean(2):.3f}** | **{mean(3):.3f}** | **{mean(4):.3f}** | | | | | |")
    print()
    print("| 29 public series | per series | speed-up vs statsforecast AutoETS |")
    print("|---|---|---|")
    print(f"| statsforecast AutoETS | {t_sf * 1e3:.2f} ms | 1x |")
    print(f"| forestock AutoETS | {t_fs * 1e3:.3f} ms | {t_sf / t_fs:.1f}x |")
    print(f"| forestock Ensemble (default) | {t_ens * 1e3:.3f} ms | {t_sf / t_ens:.1f}x |")
    print()
    # By season length: a corpus's ratio is the ratio of its total times, so it depends on its mix.
    print("| season length | series | statsforecast AutoETS total | forestock AutoETS total | speed-up | Ensemble speed-up |")
    print("|---|---|---|---|---|---|")
    for period in sorted({m for _y, m, _h in series}):
        idx = [i for i, (_y, m, _h) in enumerate(series) if m == period]
        ts, tf, te = (sum(t[i] for i in idx) for t in (each_sf, each_fs, each_ens))
        print(f"| {period} | {len(idx)} | {ts * 1e3:.1f} ms | {tf * 1e3:.2f} ms | {ts / tf:.1f}x | {ts / te:.1f}x |")

    if args.weekly:
        weekly = [(y, 52, 4) for y in synthetic_weekly(args.weekly)]
        t_sf_w, _, _ = time_per_series(run_sf, weekly, 1)
        t_fs_w, _, _ = time_per_series(run_fs, weekly, 1)
        print(f"| AutoETS, {args.weekly} weekly series x 104 (m=52) | | |")
        print(f"| statsforecast | {t_sf_w * 1e3:.2f} ms | 1x |")
        print(f"| forestock | {t_fs_w * 1e3:.3f} ms | {t_sf_w / t_fs_w:.1f}x |")

    if args.intermittent:
        intermittent_table(fs, args.intermittent, args.repeats)
    mstl_table(fs, args.repeats)
    return 0


def intermittent_table(fs, n, repeats):
    """The intermittent family on `n` synthetic intermittent series (104 weeks, horizon 4)."""
    from statsforecast import models as sf

    series = [(y, 1, 4) for y in synthetic_intermittent(n)]
    pairs = [
        ("CrostonClassic", sf.CrostonClassic, fs.CrostonClassic),
        ("CrostonOptimized", sf.CrostonOptimized, fs.CrostonOptimized),
        ("CrostonSBA", sf.CrostonSBA, fs.CrostonSBA),
        ("TSB (alpha_d 0.2, alpha_p 0.1)", lambda: sf.TSB(alpha_d=0.2, alpha_p=0.1), lambda: fs.TSB(alpha_d=0.2, alpha_p=0.1)),
        ("ADIDA", sf.ADIDA, fs.ADIDA),
        ("IMAPA", sf.IMAPA, fs.IMAPA),
    ]
    print()
    print(f"| intermittent, {n} series x 104 | statsforecast | forestock | speed-up | max abs. diff of forecasts |")
    print("|---|---|---|---|---|")
    for name, make_sf, make_fs in pairs:
        run_sf = lambda y, m, h, make_sf=make_sf: make_sf().forecast(y=y, h=h)["mean"]  # noqa: E731
        run_fs = lambda y, m, h, make_fs=make_fs: make_fs().forecast(y, h=h)["mean"]  # noqa: E731
        run_sf(*series[0])  # numba warm-up
        t_sf, _, fc_sf = time_per_series(run_sf, series, repeats)
        t_fs, _, fc_fs = time_per_series(run_fs, series, repeats)
        diff = max(float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) for a, b in zip(fc_fs, fc_sf))
        print(f"| {name} | {t_sf * 1e3:.3f} ms | {t_fs * 1e3:.3f} ms | {t_sf / t_fs:.1f}x | {diff:.2e} |")


def mstl_table(fs, repeats):
    """MSTL with an AutoETS "ZZN" trend on the 6 public_long series (80/95% intervals)."""
    from statsforecast.models import MSTL as SfMSTL, AutoETS as SfAutoETS

    meta = [line.split(",") for line in (FIX / "public_long" / "meta.csv").read_text().splitlines()[1:]]
    ys = {row[0]: [] for row in meta}
    for line in (FIX / "public_long" / "series.csv").read_text().splitlines()[1:]:
        uid, _ds, y = line.split(",")
        ys[uid].append(float(y))
    series = []
    for uid, _m, seasons, h, _group in meta:
        y = np.asarray(ys[uid])
        series.append((y[: -int(h)], [int(p) for p in seasons.split(";")], int(h)))

    def run_sf(y, periods, h):
        return SfMSTL(season_length=periods, trend_forecaster=SfAutoETS(model="ZZN")).fit(y).predict(h=h, level=[80, 95])["mean"]

    def run_fs(y, periods, h):
        return fs.MSTL(season_length=periods).forecast(y, h=h, level=[80, 95])["mean"]

    run_sf(*series[0])  # numba warm-up
    t_sf, _, _ = time_per_series(run_sf, series, repeats)
    t_fs, _, _ = time_per_series(run_fs, series, repeats)
    print()
    print("| MSTL, 6 public_long series | per series | speed-up |")
    print("|---|---|---|")
    print(f"| statsforecast MSTL(AutoETS ZZN) | {t_sf * 1e3:.2f} ms | 1x |")
    print(f"| forestock MSTL | {t_fs * 1e3:.3f} ms | {t_sf / t_fs:.1f}x |")


if __name__ == "__main__":
    sys.exit(main())
