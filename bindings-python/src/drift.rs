//! Sequential drift detectors and the retrain decision: conversion around `forestock::drift`
//! (`PageHinkley`, `Cusum`, `RetrainPolicy::decide`); no formulas here.

use chrono::{DateTime, Duration, Utc};
use forestock::drift::{Cusum, DetectorRun, ModelHealth, PageHinkley, RetrainPolicy, ShiftDirection};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter};
use crate::fitted::as_series;
use crate::json::{core, to_py, with_defaults};

/// A detector run as handed to Python: `(alarm, up, down, threshold, max_statistic)` with
/// `alarm = (index, "up" | "down")` or `None`.
type PyDetectorRun<'py> =
    (Option<(usize, &'static str)>, Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>, f64, f64);

fn detector_to_py(py: Python<'_>, run: DetectorRun) -> PyDetectorRun<'_> {
    let alarm = run.alarm.map(|a| {
        let direction = match a.direction {
            ShiftDirection::Up => "up",
            ShiftDirection::Down => "down",
        };
        (a.index, direction)
    });
    let max_statistic = run.max_statistic();
    (alarm, PyArray1::from_vec(py, run.up), PyArray1::from_vec(py, run.down), run.threshold, max_statistic)
}

/// Two-sided Page-Hinkley test over `errors` (oldest first) with tolerance `delta` and alarm
/// threshold `threshold` (both in error units): core `PageHinkley::run`.
#[pyfunction]
pub(crate) fn page_hinkley<'py>(
    py: Python<'py>,
    errors: PyReadonlyArray1<'py, f64>,
    delta: f64,
    threshold: f64,
) -> PyResult<PyDetectorRun<'py>> {
    let errors = as_series(py, "errors", &errors)?;
    let run = core(py, guarded(|| PageHinkley::new(delta, threshold).run(errors)))?;
    Ok(detector_to_py(py, run))
}

/// Two-sided tabular CUSUM over `errors` around `target` with scale `sigma`; `k` and `h` (in units
/// of sigma) default to the core's `Cusum::new` values when `None`: core `Cusum::run`.
#[pyfunction]
#[pyo3(signature = (errors, target, sigma, k=None, h=None))]
pub(crate) fn cusum<'py>(
    py: Python<'py>,
    errors: PyReadonlyArray1<'py, f64>,
    target: f64,
    sigma: f64,
    k: Option<f64>,
    h: Option<f64>,
) -> PyResult<PyDetectorRun<'py>> {
    let errors = as_series(py, "errors", &errors)?;
    let defaults = Cusum::new(target, sigma);
    let detector = Cusum { k: k.unwrap_or(defaults.k), h: h.unwrap_or(defaults.h), ..defaults };
    let run = core(py, guarded(|| detector.run(errors)))?;
    Ok(detector_to_py(py, run))
}

/// The core's default CUSUM settings (`Cusum::new(0, 1)`: `k`, `h` in units of sigma).
#[pyfunction]
pub(crate) fn default_cusum(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &Cusum::new(0.0, 1.0))
}

/// The core's default `RetrainPolicy` (the Python `RetrainPolicy` takes its defaults here).
#[pyfunction]
pub(crate) fn default_retrain_policy(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &RetrainPolicy::default())
}

/// Decide whether to retrain (core `RetrainPolicy::decide`): `policy` is a dict of
/// `RetrainPolicy` fields (missing ones take the core's defaults). The core measures the model's age
/// between two instants; the binding places `trained_at` `model_age_days` before a fixed `now`.
/// Without an age the age rule is switched off (it cannot be evaluated). Returns the
/// `RetrainDecision`.
#[pyfunction]
#[pyo3(signature = (baseline_errors, recent_errors, mape, mase, model_age_days, policy))]
pub(crate) fn retrain_decision(
    py: Python<'_>,
    baseline_errors: PyReadonlyArray1<'_, f64>,
    recent_errors: PyReadonlyArray1<'_, f64>,
    mape: Option<f64>,
    mase: Option<f64>,
    model_age_days: Option<f64>,
    policy: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let baseline = as_series(py, "baseline_errors", &baseline_errors)?;
    let recent = as_series(py, "recent_errors", &recent_errors)?;
    let mut policy: RetrainPolicy = with_defaults(py, "policy", &RetrainPolicy::default(), policy)?;
    let now: DateTime<Utc> = DateTime::UNIX_EPOCH;
    let trained_at = match model_age_days {
        None => {
            policy.max_model_age_days = None;
            now
        }
        Some(days) => now - age(py, days)?,
    };
    let health = ModelHealth { mape, mase, baseline_errors: baseline, recent_errors: recent, trained_at, now };
    let decision = core(py, guarded(|| policy.decide(&health)))?;
    to_py(py, &decision)
}

/// `days` as a chrono duration (millisecond resolution, the core's age resolution).
fn age(py: Python<'_>, days: f64) -> PyResult<Duration> {
    // 100 years: far beyond any model age, far inside chrono's range.
    const MAX_DAYS: f64 = 36_525.0;
    if !(days.is_finite() && (0.0..=MAX_DAYS).contains(&days)) {
        return Err(invalid_parameter(py, "model_age_days", days, "must be finite, >= 0 and at most 36525"));
    }
    Ok(Duration::milliseconds((days * 86_400_000.0).round() as i64))
}
