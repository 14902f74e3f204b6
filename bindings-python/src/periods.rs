//! Dated rows onto the catalogue's grid: conversion around `forestock::periods::regularize` (the gap
//! rule: frequency, missing periods, forecast dates) for the frame functions.

use forestock::periods::{regularize_to, DatedRows, Frequency, GapPolicy, TimeAxis};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::batch::as_offsets;
use crate::errors::{guarded, invalid_parameter};
use crate::fitted::as_series;
use crate::json::{core, from_py, to_py};

/// `(y, offsets, gaps, frequency, ends, summary)`: the filled values and offsets (int64), the
/// series with missing periods as `(position, missing, first_missing)`, the frequency (the core's `Frequency` as a dict), where
/// each series ends (int64, its forecast continues from there) and the one-line summary for a
/// warning (None without gaps).
type Regularized<'py> =
    (Bound<'py, PyAny>, Bound<'py, PyAny>, Vec<(usize, usize, i64)>, Py<PyAny>, Bound<'py, PyAny>, Option<String>);

fn time_axis(py: Python<'_>, axis: &str) -> PyResult<TimeAxis> {
    match axis {
        "periods" => Ok(TimeAxis::Periods),
        "seconds" => Ok(TimeAxis::Seconds),
        other => Err(invalid_parameter(py, "axis", other, "must be 'periods' or 'seconds'")),
    }
}

/// Put the concatenated series (`ids`, `ds` as int64 in `axis` units, `y`, `offsets`) on the
/// catalogue's grid: missing periods filled with zeros (`fill=True`) or an error naming the SKU and
/// its first missing period (`fill=False`, `time_field` names `ds` as the caller does). With
/// `catalogue_last` (in `axis` units), the rows are a part of a catalogue that ends there
/// (`periods::regularize_to`).
#[pyfunction]
#[pyo3(signature = (ids, ds, y, offsets, axis, fill, time_field, catalogue_last = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn regularize<'py>(
    py: Python<'py>,
    ids: Vec<String>,
    ds: PyReadonlyArray1<'py, i64>,
    y: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, i64>,
    axis: &str,
    fill: bool,
    time_field: &str,
    catalogue_last: Option<i64>,
) -> PyResult<Regularized<'py>> {
    let axis = time_axis(py, axis)?;
    let ds =
        ds.as_slice().map_err(|_| invalid_parameter(py, time_field, "array", "must be a contiguous int64 array"))?;
    let y = as_series(py, "y", &y)?;
    let offsets: Vec<usize> = as_offsets(py, &offsets)?
        .iter()
        .map(|&o| usize::try_from(o).map_err(|_| invalid_parameter(py, "offsets", o, "must be non-negative")))
        .collect::<PyResult<_>>()?;
    let rows = DatedRows { ids: &ids, ds, y, offsets: &offsets, axis };
    let policy = if fill { GapPolicy::Fill } else { GapPolicy::Fail };
    let out = core(py, guarded(|| py.detach(|| regularize_to(&rows, None, policy, time_field, catalogue_last))))?;
    let summary = out.gaps_summary(axis);
    let gaps = out.gaps.iter().map(|g| (g.series, g.missing, g.first_missing)).collect();
    let offsets: Vec<i64> = out.offsets.iter().map(|&o| o as i64).collect();
    let frequency = to_py(py, &out.frequency)?;
    Ok((
        PyArray1::from_vec(py, out.y).into_any(),
        PyArray1::from_vec(py, offsets).into_any(),
        gaps,
        frequency,
        PyArray1::from_vec(py, out.ends).into_any(),
        summary,
    ))
}

/// The `h` `ds` values after each of `ends` at the `frequency` (as `regularize` returned it),
/// flat: series `i` at `[i * h, (i + 1) * h)`.
#[pyfunction]
pub(crate) fn future_periods<'py>(
    py: Python<'py>,
    frequency: &Bound<'_, PyAny>,
    ends: PyReadonlyArray1<'py, i64>,
    h: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let frequency: Frequency = from_py(py, "frequency", frequency)?;
    let ends =
        ends.as_slice().map_err(|_| invalid_parameter(py, "ends", "array", "must be a contiguous int64 array"))?;
    let mut future = Vec::with_capacity(ends.len().saturating_mul(h));
    for &end in ends {
        future.extend(core(py, frequency.future(end, h))?);
    }
    Ok(PyArray1::from_vec(py, future).into_any())
}
