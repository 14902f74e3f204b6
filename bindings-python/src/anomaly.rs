//! Anomaly detection: argument conversion around `forestock::anomaly` (no rules or numbers here).

use forestock::anomaly;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::fitted::as_series;
use crate::json::{core, to_py};

fn season(py: Python<'_>, season_length: &Bound<'_, PyAny>) -> PyResult<usize> {
    crate::args::count(py, season_length, "season_length")
}

/// The core's default detector on one series: the `forestock::anomaly::AnomalyReport`.
#[pyfunction]
pub(crate) fn detect_anomalies(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    season_length: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let values = as_series(py, "y", &y)?;
    let m = season(py, season_length)?;
    let report = py.detach(|| anomaly::detect_anomalies(values, m));
    to_py(py, &core(py, report)?)
}

/// R forecast's `tsoutliers(y)` (NaN = missing): `{"index": [...], "replacements": [...]}`.
#[pyfunction]
pub(crate) fn tsoutliers(
    py: Python<'_>,
    y: PyReadonlyArray1<'_, f64>,
    season_length: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let values = as_series(py, "y", &y)?;
    let m = season(py, season_length)?;
    let result = py.detach(|| anomaly::tsoutliers(values, &[m]));
    to_py(py, &core(py, result)?)
}

/// R forecast's `na.interp(y)`: the series with its NaN filled.
#[pyfunction]
pub(crate) fn na_interp<'py>(
    py: Python<'py>,
    y: PyReadonlyArray1<'_, f64>,
    season_length: &Bound<'_, PyAny>,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let values = as_series(py, "y", &y)?;
    let m = season(py, season_length)?;
    let filled = core(py, py.detach(|| anomaly::na_interp(values, &[m])))?;
    Ok(numpy::PyArray1::from_vec(py, filled))
}
