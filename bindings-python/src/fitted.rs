//! `FittedModel`: an estimated core model (`Box<dyn Fitted>`) and the `fit` entry point.

use forestock::{Fitted, Forecast, ModelSpec};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter, to_py_err};
use crate::interrupt::interruptible_unless_short;
use crate::json::to_py;
use crate::spec::parse_spec;

/// One prediction interval as handed to Python: `(level, lower, upper)`.
pub(crate) type PyInterval<'py> = (f64, Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Point forecasts and intervals as handed to Python: `(mean, [(level, lower, upper), ...])`.
pub(crate) type PyForecast<'py> = (Bound<'py, PyArray1<f64>>, Vec<PyInterval<'py>>);

/// Borrow a 1-D float64 array as a contiguous slice (the Python layer makes it contiguous).
pub(crate) fn as_series<'a>(py: Python<'_>, name: &str, array: &'a PyReadonlyArray1<'_, f64>) -> PyResult<&'a [f64]> {
    array.as_slice().map_err(|_| invalid_parameter(py, name, "array", "must be a contiguous 1-D float64 array"))
}

/// Convert a Python integer horizon into `usize` (any out-of-range int is the core's error type,
/// named `h`); the core checks `1 <= h <= MAX_HORIZON`.
pub(crate) fn horizon(py: Python<'_>, h: &Bound<'_, PyAny>) -> PyResult<usize> {
    crate::args::count(py, h, "h")
}

fn forecast_to_py(py: Python<'_>, forecast: Forecast) -> PyForecast<'_> {
    let intervals = forecast
        .intervals
        .into_iter()
        .map(|iv| (iv.level, PyArray1::from_vec(py, iv.lower), PyArray1::from_vec(py, iv.upper)))
        .collect();
    (PyArray1::from_vec(py, forecast.mean), intervals)
}

/// A model estimated on one series; produced by `fit`.
#[pyclass(frozen, module = "forestock._native")]
pub(crate) struct FittedModel {
    inner: Box<dyn Fitted>,
    spec: ModelSpec,
}

#[pymethods]
impl FittedModel {
    /// Forecast `h` steps ahead with intervals at `level` (percent values in (0, 100)).
    #[pyo3(signature = (h, level))]
    fn predict<'py>(&self, py: Python<'py>, h: &Bound<'py, PyAny>, level: Vec<f64>) -> PyResult<PyForecast<'py>> {
        let h = horizon(py, h)?;
        let forecast = py.detach(|| guarded(|| self.inner.predict(h, &level))).map_err(|e| to_py_err(py, &e))?;
        Ok(forecast_to_py(py, forecast))
    }

    /// One-step-ahead in-sample fitted values (NaN where the model gives none).
    #[getter]
    fn fitted_values<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.fitted_values())
    }

    /// In-sample residuals `y - fitted` (NaN where the fitted value is undefined).
    #[getter]
    fn residuals<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_vec(py, self.inner.residuals())
    }

    /// Seasonal periods the model was given but does not use: `[(period, reason), ...]`
    /// (the core's `Fitted::unused_periods`).
    #[getter]
    fn unused_periods(&self) -> Vec<(usize, String)> {
        self.inner.unused_periods().into_iter().map(|d| (d.period, d.reason)).collect()
    }

    /// Human-readable description of the estimated model, e.g. `SeasonalNaive(m=12)`.
    #[getter]
    fn description(&self) -> String {
        self.inner.description()
    }

    /// The model specification that was fitted, in the core's canonical form (a dict).
    #[getter]
    fn spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.spec)
    }

    fn __repr__(&self) -> String {
        format!("FittedModel({})", self.inner.description())
    }
}

/// Fit the model named by `spec` (dict or JSON text) on `y` (contiguous 1-D float64), GIL released and
/// interruptible by Ctrl-C (the core checks the flag at each objective evaluation of the models
/// that estimate long); a short series is fitted on the calling thread (`interrupt` module docs).
#[pyfunction]
pub(crate) fn fit(py: Python<'_>, spec: &Bound<'_, PyAny>, y: PyReadonlyArray1<'_, f64>) -> PyResult<FittedModel> {
    let spec = parse_spec(py, spec)?;
    let values = as_series(py, "y", &y)?;
    let inner = interruptible_unless_short(py, values.len(), |control| spec.fit_with(values, control))?
        .map_err(|e| to_py_err(py, &e))?;
    Ok(FittedModel { inner, spec })
}
