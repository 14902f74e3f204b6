"""Synthetic series shared by the benchmark scripts (no side effects on import)."""
import numpy as np


def synthetic_weekly(n, length=104, seed=0):
    """`n` positive weekly series of `length` points: level, trend and yearly (52) seasonality times
    10% noise, from a seeded generator (the same series on every run)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    out = []
    for _ in range(n):
        base = rng.uniform(20, 400)
        amp = rng.uniform(0.0, 0.4)
        trend = rng.uniform(-0.002, 0.01)
        y = base * (1 + trend * t) * (1 + amp * np.sin(2 * np.pi * t / 52)) * (1 + 0.1 * rng.standard_normal(length))
        out.append(np.maximum(y, 1.0))
    return out
