#!/usr/bin/env python3
"""Binding overhead: the same batch forecast through Rust, Python (`fs.forecast` on a frame) and Node
(`forecastBatch`), in one run.

Usage (from the repository root): `make bench-overhead`, or after `make python-ext node-addon`
and `cargo build --release -p forestock-benches --bin batch_timing`:
    .venv/bin/python benches/scripts/binding_overhead.py [--series 10000] [--repeats 3]

It writes N synthetic weekly series (104 points, benches/scripts/synthetic.py) to one
long CSV file, then times, on that file's series, per model:
- Rust: `forestock::models::forecast_batch` (benches/src/bin/batch_timing.rs),
- Python: `fs.forecast(df, h, model=..., level=[95])` on a pandas frame built beforehand (the timed
  call includes reading the frame's columns, the native batch and building the result frame),
- Node: `await forecastBatch(series, options)` (benches/scripts/node_batch_timing.js; the timed call
  includes converting the series in and the results out).
Every side uses all cores (rayon). The best of `--repeats` runs is reported with the ratio to Rust.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from synthetic import synthetic_weekly  # noqa: E402

# (label, Rust/Python spec, Node options) for each model timed.
MODELS = [
    ("seasonal naive (m=52)", {"model": "seasonal_naive", "season_length": 52}, {"model": "seasonalNaive", "seasonLength": 52}),
    ("AutoETS (m=52)", {"model": "auto_ets", "season_length": 52}, {"model": "autoEts", "seasonLength": 52}),
]
H = 4
LEVELS = [95.0]


def write_frame(n, path):
    series = synthetic_weekly(n)
    length = len(series[0])
    df = pd.DataFrame(
        {
            "unique_id": np.repeat([f"sku-{i:06d}" for i in range(n)], length),
            "ds": np.tile(np.arange(length, dtype=np.int64), n),
            "y": np.concatenate(series),
        }
    )
    df.to_csv(path, index=False, float_format="%.17g")
    return df


def target_dir():
    return pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def time_rust(csv, spec, repeats):
    binary = target_dir() / "release" / "batch_timing"
    out = subprocess.run(
        [str(binary), str(csv), json.dumps(spec), str(H), ",".join(map(str, LEVELS)), str(repeats)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def time_node(csv, options, repeats):
    script = ROOT / "benches" / "scripts" / "node_batch_timing.js"
    payload = {**options, "h": H, "levels": LEVELS}
    out = subprocess.run(
        ["node", str(script), str(csv), json.dumps(payload), str(repeats)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def time_python(df, spec, repeats):
    import forestock as fs

    settings = {k: v for k, v in spec.items() if k != "model"}
    seconds = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fs.forecast(df, H, model=spec["model"], level=LEVELS, **settings)
        seconds.append(time.perf_counter() - started)
    return {"series": result["unique_id"].nunique(), "failed": len(result.attrs.get("errors", [])), "seconds": seconds}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        csv = pathlib.Path(tmp) / "series.csv"
        df = write_frame(args.series, csv)
        print(f"{args.series} weekly series x 104 points, h={H}, level={LEVELS}, best of {args.repeats}, "
              f"{os.cpu_count()} cores\n")
        print("| model | Rust forecast_batch | Python fs.forecast (frame) | ratio | Node forecastBatch | ratio |")
        print("|---|---|---|---|---|---|")
        for label, spec, node_options in MODELS:
            rust = time_rust(csv, spec, args.repeats)
            python = time_python(df, spec, args.repeats)
            node = time_node(csv, node_options, args.repeats)
            for name, run in (("python", python), ("node", node)):
                if run["series"] - run["failed"] != rust["series"] - rust["failed"]:
                    raise SystemExit(f"{name} forecast a different number of series than Rust: {run} vs {rust}")
            r, p, n = min(rust["seconds"]), min(python["seconds"]), min(node["seconds"])
            print(f"| {label} | {r * 1e3:.1f} ms | {p * 1e3:.1f} ms | {p / r:.2f}x | {n * 1e3:.1f} ms | {n / r:.2f}x |")


if __name__ == "__main__":
    main()
