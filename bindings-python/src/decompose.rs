//! STL and MSTL decompositions: settings in, component arrays out (the core does the smoothing).

use forestock::models::{Stl, StlDecomposition};
use forestock::ModelSpec;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter, to_py_err};
use crate::fitted::as_series;
use crate::json::{from_py, to_py};
use crate::spec::parse_spec;

/// `(trend, seasonal, remainder, weights, params)` of one STL run (`params`: the `StlParams` dict).
type StlOutput<'py> = (
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Py<PyAny>,
);

/// `(periods, trend, seasonals, remainder, [(period, reason), ...], lambda)` of one MSTL run.
type MstlOutput<'py> = (
    Vec<usize>,
    Bound<'py, PyArray1<f64>>,
    Vec<Bound<'py, PyArray1<f64>>>,
    Bound<'py, PyArray1<f64>>,
    Vec<(usize, String)>,
    Option<f64>,
);

/// STL (R `stats::stl`) of `y` with the core's `Stl` settings given as a dict, GIL released.
#[pyfunction]
pub(crate) fn stl_decompose<'py>(
    py: Python<'py>,
    settings: &Bound<'_, PyAny>,
    y: PyReadonlyArray1<'py, f64>,
) -> PyResult<StlOutput<'py>> {
    let stl: Stl = from_py(py, "settings", settings)?;
    let values = as_series(py, "y", &y)?;
    let d: StlDecomposition = py.detach(|| guarded(|| stl.decompose(values))).map_err(|e| to_py_err(py, &e))?;
    let params = to_py(py, &d.params)?;
    Ok((
        PyArray1::from_vec(py, d.trend),
        PyArray1::from_vec(py, d.seasonal),
        PyArray1::from_vec(py, d.remainder),
        PyArray1::from_vec(py, d.weights),
        params,
    ))
}

/// MSTL (R forecast `mstl()`) of `y` with the settings of an `{"model": "mstl", ...}` spec.
#[pyfunction]
pub(crate) fn mstl_decompose<'py>(
    py: Python<'py>,
    spec: &Bound<'_, PyAny>,
    y: PyReadonlyArray1<'py, f64>,
) -> PyResult<MstlOutput<'py>> {
    let ModelSpec::Mstl(mstl) = parse_spec(py, spec)? else {
        return Err(invalid_parameter(py, "model", spec, "an MSTL specification is needed"));
    };
    let values = as_series(py, "y", &y)?;
    let d = py.detach(|| guarded(|| mstl.decompose(values))).map_err(|e| to_py_err(py, &e))?;
    let seasonals = d.seasonals.into_iter().map(|s| PyArray1::from_vec(py, s)).collect();
    let dropped = d.dropped.into_iter().map(|p| (p.period, p.reason)).collect();
    Ok((d.periods, PyArray1::from_vec(py, d.trend), seasonals, PyArray1::from_vec(py, d.remainder), dropped, d.lambda))
}
