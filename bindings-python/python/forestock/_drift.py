"""Drift monitoring: sequential detectors on forecast errors and the retrain decision, argument
conversion around the core's `forestock::drift` (`PageHinkley`, `Cusum`, `RetrainPolicy`).

Formulas and sources are in docs/monitoring.md; every number here comes from the core.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _native
from ._convert import as_number, as_optional_number, as_series, invalid_parameter

#: The core's `RetrainPolicy::default()`, read once so the core stays the only place defaults live.
_POLICY_DEFAULTS: dict[str, Any] = _native.default_retrain_policy()

#: The core's CUSUM allowance `k` and decision interval `h` (`Cusum::new`).
_CUSUM_DEFAULTS: dict[str, Any] = _native.default_cusum()


def _detector_run(raw: tuple[Any, np.ndarray, np.ndarray, float, float]) -> dict[str, Any]:
    alarm, up, down, threshold, max_statistic = raw
    return {
        "alarm": None if alarm is None else {"index": alarm[0], "direction": alarm[1]},
        "up": up,
        "down": down,
        "threshold": threshold,
        "max_statistic": max_statistic,
    }


def page_hinkley(errors: Any, *, delta: float, threshold: float) -> dict[str, Any]:
    """Two-sided Page-Hinkley test on forecast errors ``e = y - ŷ`` (oldest first).

    With the running mean ``ē_t``, ``U_t = Σ (e_s - ē_s - δ)`` signals an increase when
    ``U_t - min U > λ`` and ``L_t = Σ (e_s - ē_s + δ)`` a decrease when ``max L - L_t > λ``
    (Page 1954; Gama et al. 2014). `delta` (δ >= 0) and `threshold` (λ > 0) are in error units;
    they have no default because a sensible value depends on the scale of the errors.

    Returns ``{"alarm": {"index", "direction"} | None, "up": ndarray, "down": ndarray,
    "threshold": float, "max_statistic": float}``: the first alarm (``direction`` ``"up"`` for
    under-forecasting, ``"down"`` for over-forecasting) and the whole statistic paths.
    """
    return _detector_run(
        _native.page_hinkley(
            as_series(errors, "errors"), as_number(delta, "delta"), as_number(threshold, "threshold")
        )
    )


def cusum(
    errors: Any,
    *,
    sigma: float,
    target: float = 0.0,
    k: float = _CUSUM_DEFAULTS["k"],
    h: float = _CUSUM_DEFAULTS["h"],
) -> dict[str, Any]:
    """Two-sided tabular CUSUM on forecast errors (Page 1954; Montgomery, *Introduction to
    Statistical Quality Control*, §9.1).

    With ``z_t = (e_t - target) / sigma``: ``S⁺_t = max(0, S⁺_{t-1} + z_t - k)``,
    ``S⁻_t = max(0, S⁻_{t-1} - z_t - k)``, alarm when either exceeds `h`. `sigma` is the in-control
    standard deviation of the errors (e.g. of a baseline window); `target` the in-control mean
    (0 for an unbiased forecast). `k` and `h` are in units of sigma; the defaults are the core's
    textbook values (k = 0.5, h = 5: a one-sigma shift is detected after about 10 periods).

    Returns the same dict as `page_hinkley`, paths in units of sigma and ``threshold`` = h.
    """
    return _detector_run(
        _native.cusum(
            as_series(errors, "errors"),
            as_number(target, "target"),
            as_number(sigma, "sigma"),
            as_number(k, "k"),
            as_number(h, "h"),
        )
    )


@dataclass(frozen=True)
class RetrainPolicy:
    """Thresholds of the retrain decision (core `RetrainPolicy`); None switches a rule off.

    Defaults are the core's: retrain when the recent MAPE exceeds `max_mape` percent (30), the
    recent MASE exceeds `max_mase` (off), the recent errors drift from the baseline at level
    `drift_alpha` (0.05) by `drift_test` (``"welch_recent_worse"``: Welch one-sided t-test that the
    recent absolute errors are larger; ``"kolmogorov_smirnov"``: two-sample KS test on the signed
    errors; ``"both"``), or the model is older than `max_model_age_days` (7). The drift rule is
    skipped when a window has fewer than `min_drift_window` errors (5). Settings are checked by the
    core when a decision is taken.
    """

    max_mape: float | None = _POLICY_DEFAULTS["max_mape"]
    max_mase: float | None = _POLICY_DEFAULTS["max_mase"]
    drift_alpha: float | None = _POLICY_DEFAULTS["drift_alpha"]
    drift_test: str = _POLICY_DEFAULTS["drift_test"]
    min_drift_window: int = _POLICY_DEFAULTS["min_drift_window"]
    max_model_age_days: float | None = _POLICY_DEFAULTS["max_model_age_days"]

    def to_dict(self) -> dict[str, Any]:
        """The policy as a dict of the core's field names."""
        return dataclasses.asdict(self)


def _policy_dict(policy: Any) -> dict[str, Any]:
    if policy is None:
        return {}
    if isinstance(policy, RetrainPolicy):
        return policy.to_dict()
    if isinstance(policy, dict):
        unknown = sorted(set(policy) - {f.name for f in dataclasses.fields(RetrainPolicy)})
        if unknown:
            raise invalid_parameter(str(unknown[0]), f"unknown retrain policy setting(s) {unknown}")
        return policy
    raise invalid_parameter("policy", f"policy must be a RetrainPolicy or a dict of its fields, got {policy!r}")


def retrain_decision(
    baseline_errors: Any,
    recent_errors: Any,
    *,
    recent_mape: float | None = None,
    recent_mase: float | None = None,
    model_age_days: float | None = None,
    policy: RetrainPolicy | dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Should a SKU's model be re-estimated now? (core `RetrainPolicy::decide`)

    `baseline_errors` are forecast errors of a reference period (e.g. the backtest),
    `recent_errors` those of the latest periods; `recent_mape` (percent) and `recent_mase` the current
    model's recent accuracy (None: not computed, the rule does not fire); `model_age_days` the
    model's age (None: unknown, the age rule is not evaluated). `policy` is a `RetrainPolicy`, a dict
    of its fields, or None for the core's defaults.

    Returns ``{"retrain": bool, "reasons": [...], "skipped": [...]}``. Each reason is a dict tagged
    by ``"reason"``: ``mape_above_threshold`` (mape, threshold), ``mase_above_threshold`` (mase,
    threshold), ``error_drift`` (test, statistic, p_value, alpha) and ``model_too_old`` (age_days,
    max_age_days), in that order. ``skipped`` lists rules that could not be evaluated
    (``drift_insufficient_data``, ``drift_undefined``).
    """
    decision = (
        _native.retrain_decision(
            as_series(baseline_errors, "baseline_errors"),
            as_series(recent_errors, "recent_errors"),
            as_optional_number(recent_mape, "recent_mape"),
            as_optional_number(recent_mase, "recent_mase"),
            as_optional_number(model_age_days, "model_age_days"),
            _policy_dict(policy),
        )
    )
    return decision
