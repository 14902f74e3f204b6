"""Forecast every series of a long data frame with forestock.

    python examples/python/forecast_frame.py [N_SERIES]

Builds N_SERIES (default 50) weekly demand series with a yearly season, forecasts 8 weeks ahead
with AutoETS and 80/95% intervals in one native batch, and prints the first rows.
"""

import sys

import numpy as np
import pandas as pd

import forestock as fs


def demand_frame(n_series: int, weeks: int = 156) -> pd.DataFrame:
    rng = np.random.default_rng(2024)
    ds = pd.date_range("2023-01-01", periods=weeks, freq="W-SUN")
    season = 1.0 + 0.3 * np.sin(2 * np.pi * np.arange(weeks) / 52)
    frames = []
    for k in range(n_series):
        level = rng.uniform(20, 200)
        y = rng.poisson(level * season).astype(float)
        frames.append(pd.DataFrame({"unique_id": f"sku-{k:04d}", "ds": ds, "y": y}))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    n_series = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    df = demand_frame(n_series)
    out = fs.forecast(df, h=8, model="auto_ets", season_length=52, level=[80, 95])
    print(f"forecast {out['unique_id'].nunique()} series x 8 weeks")
    print(out.head(10).to_string(index=False))


if __name__ == "__main__":
    main()
