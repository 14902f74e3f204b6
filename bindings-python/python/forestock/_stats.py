"""Accuracy metrics and drift tests: argument conversion around `forestock::metrics` / `drift`."""

from __future__ import annotations

from typing import Any

from . import _native
from ._convert import as_series


def _accuracy(name: str, actual: Any, forecast: Any) -> float:
    return _native.accuracy(name, as_series(actual, "actual"), as_series(forecast, "forecast"))


def mae(actual: Any, forecast: Any) -> float:
    """Mean absolute error ``mean(|y - ŷ|)``."""
    return _accuracy("mae", actual, forecast)


def rmse(actual: Any, forecast: Any) -> float:
    """Root mean squared error ``sqrt(mean((y - ŷ)²))``."""
    return _accuracy("rmse", actual, forecast)


def mape(actual: Any, forecast: Any) -> float:
    """Mean absolute percentage error ``100 · mean(|y - ŷ| / |y|)`` over the non-zero actuals."""
    return _accuracy("mape", actual, forecast)


def smape(actual: Any, forecast: Any) -> float:
    """Symmetric MAPE (M4 definition), in [0, 200]."""
    return _accuracy("smape", actual, forecast)


def bias(actual: Any, forecast: Any) -> float:
    """Mean error ``mean(y - ŷ)``: positive when the forecasts are too low."""
    return _accuracy("bias", actual, forecast)


def tracking_signal(actual: Any, forecast: Any) -> float:
    """Tracking signal ``Σ e_t / mean|e_t|`` with ``e = y - ŷ`` (alarm beyond about ±4)."""
    return _accuracy("tracking_signal", actual, forecast)


def mase(actual: Any, forecast: Any, insample: Any, season_length: int = 1) -> float:
    """Mean absolute scaled error: MAE over the in-sample seasonal naive MAE of `insample`."""
    return _native.mase(
        as_series(actual, "actual"), as_series(forecast, "forecast"), as_series(insample, "insample"), int(season_length)
    )


def welch_t_test(a: Any, b: Any) -> dict[str, Any]:
    """Welch's unequal-variance t-test of mean(a) against mean(b).

    Returns ``{"statistic", "df", "mean_difference", "p_two_sided", "p_greater", "p_less"}``;
    ``statistic`` and ``p_two_sided`` equal ``scipy.stats.ttest_ind(a, b, equal_var=False)``.
    """
    return _native.welch_t_test(as_series(a, "a"), as_series(b, "b"))


def ks_2samp(a: Any, b: Any) -> dict[str, Any]:
    """Two-sample Kolmogorov-Smirnov test (two-sided): ``{"statistic", "p_value", "method"}``.

    `method` is ``"exact"`` for small samples, ``"asymptotic"`` otherwise, as in
    ``scipy.stats.ks_2samp(a, b)``.
    """
    return _native.ks_2samp(as_series(a, "a"), as_series(b, "b"))
