//! Accuracy metrics and drift tests: argument conversion around `forestock::metrics` and
//! `forestock::drift` (no formulas here).

use forestock::drift::{ks_two_sample, welch_t_test as core_welch};
use forestock::metrics;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter};
use crate::fitted::as_series;
use crate::json::{core, to_py};

/// Accuracy metric `name` (`mae`, `rmse`, `mape`, `smape`, `bias`, `tracking_signal`) of
/// `forecast` against `actual`. MAPE is the core's value over the non-zero actuals.
#[pyfunction]
pub(crate) fn accuracy(
    py: Python<'_>,
    name: &str,
    actual: PyReadonlyArray1<'_, f64>,
    forecast: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    let a = as_series(py, "actual", &actual)?;
    let f = as_series(py, "forecast", &forecast)?;
    let value = match name {
        "mae" => metrics::mae(a, f),
        "rmse" => metrics::rmse(a, f),
        "mape" => metrics::mape(a, f).map(|m| m.value),
        "smape" => metrics::smape(a, f),
        "bias" => metrics::bias(a, f),
        "tracking_signal" => metrics::tracking_signal(a, f),
        other => return Err(invalid_parameter(py, "metric", other, "unknown accuracy metric")),
    };
    core(py, value)
}

/// Mean absolute scaled error, scaled by the in-sample seasonal naive MAE.
#[pyfunction]
pub(crate) fn mase(
    py: Python<'_>,
    actual: PyReadonlyArray1<'_, f64>,
    forecast: PyReadonlyArray1<'_, f64>,
    insample: PyReadonlyArray1<'_, f64>,
    season_length: &Bound<'_, PyAny>,
) -> PyResult<f64> {
    let season_length = crate::args::count(py, season_length, "season_length")?;
    let a = as_series(py, "actual", &actual)?;
    let f = as_series(py, "forecast", &forecast)?;
    let y = as_series(py, "insample", &insample)?;
    core(py, guarded(|| metrics::mase(a, f, y, season_length)))
}

/// Welch's unequal-variance t-test of `a` against `b`: the core's `WelchTest`.
#[pyfunction]
pub(crate) fn welch_t_test(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, f64>,
    b: PyReadonlyArray1<'_, f64>,
) -> PyResult<Py<PyAny>> {
    let a = as_series(py, "a", &a)?;
    let b = as_series(py, "b", &b)?;
    to_py(py, &core(py, guarded(|| core_welch(a, b)))?)
}

/// Two-sample Kolmogorov-Smirnov test: the core's `KsTest`.
#[pyfunction]
pub(crate) fn ks_2samp(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, f64>,
    b: PyReadonlyArray1<'_, f64>,
) -> PyResult<Py<PyAny>> {
    let a = as_series(py, "a", &a)?;
    let b = as_series(py, "b", &b)?;
    to_py(py, &core(py, guarded(|| ks_two_sample(a, b)))?)
}
