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


def synthetic_intermittent(n, length=104, seed=1):
    """`n` intermittent weekly series of `length` points: a demand occurs with a per-series
    probability in [0.1, 0.5], its size is 1 + Poisson(mean in [1, 8]); seeded, the first point
    nonzero so every model has a demand to start from."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        p = rng.uniform(0.1, 0.5)
        size = rng.uniform(1.0, 8.0)
        occurs = rng.random(length) < p
        occurs[0] = True
        out.append(np.where(occurs, 1.0 + rng.poisson(size, length), 0.0))
    return out
