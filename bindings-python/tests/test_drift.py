"""Drift detectors and the retrain decision: hand-computed paths, scipy parity for the test p-values,
typed errors for bad input."""

import numpy as np
import pytest

import forestock as fs

scipy_stats = pytest.importorskip("scipy.stats")


def test_page_hinkley_by_hand():
    # e = 1, 3, -2, 0 with δ = 0.5: running means 1, 2, 2/3, 1/2;
    # U = -0.5, 0, -19/6, -25/6 (min -0.5, -0.5, -19/6, -25/6) -> up = 0, 0.5, 0, 0;
    # L = 0.5, 2, -1/6, -1/6 (max 0.5, 2, 2, 2) -> down = 0, 0, 13/6, 13/6; first > λ = 2 at index 2.
    run = fs.page_hinkley([1, 3, -2, 0], delta=0.5, threshold=2.0)
    np.testing.assert_allclose(run["up"], [0.0, 0.5, 0.0, 0.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(run["down"], [0.0, 0.0, 13 / 6, 13 / 6], rtol=1e-12)
    assert run["alarm"] == {"index": 2, "direction": "down"}
    assert run["threshold"] == 2.0
    assert run["max_statistic"] == pytest.approx(13 / 6, rel=1e-12)
    assert isinstance(run["up"], np.ndarray) and run["up"].dtype == np.float64


def test_page_hinkley_without_alarm():
    run = fs.page_hinkley(np.zeros(10), delta=0.1, threshold=1.0)
    assert run["alarm"] is None
    assert np.all(run["up"] == 0) and np.all(run["down"] == 0)


def test_cusum_by_hand():
    # z = (e - 1) / 2 = 1, 2, 0, -2, -3 with k = 0.5:
    # S+ = 0.5, 2.0, 1.5, 0, 0 and S- = 0, 0, 0, 1.5, 4.0; first crossing of h = 1.5 is S+ at index 1.
    run = fs.cusum([3, 5, 1, -3, -5], target=1.0, sigma=2.0, k=0.5, h=1.5)
    assert run["up"].tolist() == [0.5, 2.0, 1.5, 0.0, 0.0]
    assert run["down"].tolist() == [0.0, 0.0, 0.0, 1.5, 4.0]
    assert run["alarm"] == {"index": 1, "direction": "up"}
    assert run["threshold"] == 1.5 and run["max_statistic"] == 4.0


def test_cusum_defaults_are_the_textbook_k_and_h():
    # k = 0.5, h = 5 by default: with σ = 0.25 the baseline stays quiet, the shifted errors push
    # S+ to exactly 5.0 at index 8 (not > h) and past it at index 9.
    baseline = [0.3, -0.2, 0.1, -0.4, 0.2, 0.0, -0.1, 0.3]
    recent = [1.2, 0.9, 1.4, 1.1, 0.8, 1.3, 1.0, 1.5]
    run = fs.cusum(baseline + recent, sigma=0.25)
    assert run["threshold"] == 5.0
    assert run["up"][8] == pytest.approx(5.0, abs=1e-12)
    assert run["alarm"] == {"index": 9, "direction": "up"}


@pytest.mark.parametrize(
    "call, error, attribute",
    [
        (lambda: fs.page_hinkley([], delta=0.1, threshold=1), fs.InvalidSeriesError, None),
        (lambda: fs.page_hinkley([1.0, np.nan, 2.0], delta=0.1, threshold=1), fs.InvalidSeriesError, ("index", 1)),
        (lambda: fs.page_hinkley(["a", "b"], delta=0.1, threshold=1), fs.InvalidSeriesError, None),
        (lambda: fs.page_hinkley(np.ones((2, 2)), delta=0.1, threshold=1), fs.InvalidSeriesError, None),
        (lambda: fs.page_hinkley([1.0], delta=-1, threshold=1), fs.InvalidParameterError, ("field", "delta")),
        (lambda: fs.page_hinkley([1.0], delta=0, threshold=0), fs.InvalidParameterError, ("field", "threshold")),
        (lambda: fs.page_hinkley([1.0], delta="x", threshold=1), fs.InvalidParameterError, ("field", "delta")),
        (lambda: fs.cusum([1.0, np.inf], sigma=1), fs.InvalidSeriesError, ("index", 1)),
        (lambda: fs.cusum([1.0], sigma=0), fs.InvalidParameterError, ("field", "sigma")),
        (lambda: fs.cusum([1.0], sigma=1, target=np.nan), fs.InvalidParameterError, ("field", "target")),
        (lambda: fs.cusum([1.0], sigma=1, h=-2), fs.InvalidParameterError, ("field", "h")),
        (lambda: fs.cusum([1.0], sigma=1, target=True), fs.InvalidParameterError, ("field", "target")),
        (lambda: fs.cusum([1.0], sigma=1, k=None), fs.InvalidParameterError, ("field", "k")),
    ],
)
def test_detectors_reject_bad_input(call, error, attribute):
    with pytest.raises(error) as info:
        call()
    if attribute is not None:
        name, value = attribute
        assert getattr(info.value, name) == value


def _windows():
    rng = np.random.default_rng(5)
    return rng.normal(0.0, 1.0, 30), rng.normal(0.9, 1.6, 12)


def test_retrain_decision_drift_p_values_match_scipy():
    baseline, recent = _windows()
    policy = fs.RetrainPolicy(max_mape=None, drift_alpha=0.4, drift_test="both", max_model_age_days=None)
    decision = fs.retrain_decision(baseline, recent, policy=policy)
    assert decision["retrain"] is True
    drift = {r["test"]: r for r in decision["reasons"] if r["reason"] == "error_drift"}
    assert set(drift) == {"welch_recent_worse", "kolmogorov_smirnov"}

    welch = scipy_stats.ttest_ind(np.abs(recent), np.abs(baseline), equal_var=False, alternative="greater")
    assert drift["welch_recent_worse"]["statistic"] == pytest.approx(welch.statistic, rel=1e-10)
    assert drift["welch_recent_worse"]["p_value"] == pytest.approx(welch.pvalue, rel=1e-8)
    ks = scipy_stats.ks_2samp(recent, baseline)
    assert drift["kolmogorov_smirnov"]["statistic"] == pytest.approx(ks.statistic, rel=1e-12)
    assert drift["kolmogorov_smirnov"]["p_value"] == pytest.approx(ks.pvalue, rel=1e-8)
    assert all(r["alpha"] == 0.4 for r in drift.values())


def test_retrain_decision_at_the_default_level_keeps_the_model():
    # scipy: Welch one-sided p ≈ 0.052 > 0.05 and the default test is Welch only.
    baseline, recent = _windows()
    decision = fs.retrain_decision(baseline, recent, recent_mape=12.0, model_age_days=3)
    assert decision == {"retrain": False, "reasons": [], "skipped": []}


def test_retrain_decision_rules_in_core_order():
    baseline, recent = _windows()
    decision = fs.retrain_decision(
        baseline,
        recent,
        recent_mape=42.0,
        recent_mase=1.4,
        model_age_days=9,
        policy={"max_mase": 1.0, "drift_alpha": None},
    )
    assert decision["retrain"] is True
    assert decision["reasons"] == [
        {"reason": "mape_above_threshold", "mape": 42.0, "threshold": 30.0},
        {"reason": "mase_above_threshold", "mase": 1.4, "threshold": 1.0},
        {"reason": "model_too_old", "age_days": 9.0, "max_age_days": 7.0},
    ]


def test_retrain_decision_without_age_does_not_judge_age_and_skips_short_windows():
    decision = fs.retrain_decision([0.1, -0.2], [0.3], recent_mape=5.0)
    assert decision["retrain"] is False
    assert decision["skipped"] == [{"check": "drift_insufficient_data", "baseline": 2, "recent": 1, "min": 5}]
    # Empty windows are allowed: the drift rule is skipped, the others still run.
    assert fs.retrain_decision([], [], model_age_days=8)["reasons"][0]["reason"] == "model_too_old"


def test_retrain_policy_defaults_are_the_cores():
    policy = fs.RetrainPolicy()
    assert policy.to_dict() == {
        "max_mape": 30.0,
        "max_mase": None,
        "drift_alpha": 0.05,
        "drift_test": "welch_recent_worse",
        "min_drift_window": 5,
        "max_model_age_days": 7.0,
    }
    with pytest.raises(AttributeError):
        policy.max_mape = 10  # frozen


@pytest.mark.parametrize(
    "kwargs, error, attribute",
    [
        ({"recent_errors": [1.0, np.nan]}, fs.InvalidSeriesError, ("series", "recent_errors")),
        ({"baseline_errors": ["x"]}, fs.InvalidSeriesError, None),
        ({"model_age_days": -1}, fs.InvalidParameterError, ("field", "model_age_days")),
        ({"model_age_days": np.inf}, fs.InvalidParameterError, ("field", "model_age_days")),
        ({"recent_mape": np.nan}, fs.InvalidParameterError, ("field", "mape")),
        ({"recent_mase": -0.5}, fs.InvalidParameterError, ("field", "mase")),
        ({"policy": fs.RetrainPolicy(drift_alpha=1.5)}, fs.InvalidParameterError, ("field", "drift_alpha")),
        ({"policy": fs.RetrainPolicy(min_drift_window=1)}, fs.InvalidParameterError, ("field", "min_drift_window")),
        ({"policy": {"drift_test": "t_test"}}, fs.InvalidParameterError, None),
        ({"policy": "strict"}, fs.InvalidParameterError, ("field", "policy")),
        ({"policy": {"max_mapee": 10}}, fs.InvalidParameterError, ("field", "max_mapee")),
    ],
)
def test_retrain_decision_rejects_bad_input(kwargs, error, attribute):
    args = {"baseline_errors": [0.1, -0.1, 0.2], "recent_errors": [0.2, 0.1, -0.3], **kwargs}
    with pytest.raises(error) as info:
        fs.retrain_decision(args.pop("baseline_errors"), args.pop("recent_errors"), **args)
    if attribute is not None:
        name, value = attribute
        assert getattr(info.value, name) == value
    index = info.value.index
    if kwargs.get("recent_errors") is not None:
        assert index == 1
