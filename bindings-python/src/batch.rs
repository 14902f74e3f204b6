//! Many series at once: one call into [`forestock::models::forecast_batch`] with the GIL released.
//!
//! Series arrive concatenated in one float64 array with `offsets` (length `n + 1`, series `i` is
//! `y[offsets[i]..offsets[i + 1]]`), so a long data frame crosses the boundary without a Python
//! object per observation. Results come back as dense arrays; failed series are NaN rows plus an
//! entry in the returned error list, never an exception for the whole batch.

use forestock::control::Control;
use forestock::events::{forecast_batch_events, AppliedEvent, SeriesEvents};
use forestock::models::{forecast_batch_reporting, DroppedPeriod, Periods};
use forestock::series::{validate_horizon, validate_levels};
use forestock::{Forecast, Result as CoreResult};
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::errors::{invalid_parameter, to_py_err};
use crate::fitted::{as_series, horizon};
use crate::interrupt::{interruptible_reporting, progress_callback};
use crate::json::core;
use crate::spec::parse_spec;

/// `(mean[n, h], lower[levels, n, h], upper[levels, n, h], [(position, exception), ...],
/// [(position, period, reason), ...])`: the last list holds the seasonal periods each series' model
/// did not use (the core's `Fitted::unused_periods`).
type BatchOutput<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Vec<(usize, Bound<'py, PyAny>)>,
    Vec<(usize, usize, String)>,
);

/// [`BatchOutput`] and, last, the events applied per series (`[(position, [AppliedEvent, ...]), ...]`).
type EventBatchOutput<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Vec<(usize, Bound<'py, PyAny>)>,
    Vec<(usize, usize, String)>,
    Py<PyAny>,
);

/// Borrow the series offsets as a contiguous slice.
pub(crate) fn as_offsets<'a>(py: Python<'_>, offsets: &'a PyReadonlyArray1<'_, i64>) -> PyResult<&'a [i64]> {
    offsets.as_slice().map_err(|_| invalid_parameter(py, "offsets", "array", "must be a contiguous 1-D int64 array"))
}

/// The per-SKU demand histories of a concatenated long frame (`y` split at `offsets`, one per sku).
pub(crate) fn sku_histories(
    py: Python<'_>,
    skus: &[String],
    y: &PyReadonlyArray1<'_, f64>,
    offsets: &PyReadonlyArray1<'_, i64>,
) -> PyResult<Vec<forestock::plan::SkuHistory>> {
    let values = crate::fitted::as_series(py, "y", y)?;
    let offsets = as_offsets(py, offsets)?;
    Ok(split_series(py, skus, values, offsets)?
        .into_iter()
        .map(|(sku, demand)| forestock::plan::SkuHistory { sku: sku.to_string(), demand: demand.to_vec() })
        .collect())
}

/// Split the concatenated values into per-series slices, checking the offsets.
pub(crate) fn split_series<'a>(
    py: Python<'_>,
    ids: &'a [String],
    values: &'a [f64],
    offsets: &[i64],
) -> PyResult<Vec<(&'a str, &'a [f64])>> {
    if offsets.len() != ids.len() + 1 {
        return Err(invalid_parameter(py, "offsets", offsets.len(), "must have one more entry than ids"));
    }
    ids.iter()
        .zip(offsets.windows(2))
        .map(|(id, bounds)| {
            let range = match bounds {
                [start, end] => usize::try_from(*start).ok().zip(usize::try_from(*end).ok()),
                _ => None,
            };
            range.and_then(|(start, end)| values.get(start..end)).map(|slice| (id.as_str(), slice)).ok_or_else(|| {
                invalid_parameter(py, "offsets", format!("{bounds:?}"), "must be increasing and within y")
            })
        })
        .collect()
}

/// One series' forecast with the seasonal periods its model did not use and the events applied.
type SeriesForecast = (Forecast, Vec<DroppedPeriod>, Vec<AppliedEvent>);

/// The known events of a batch (`forecast_batch_events`): the seasonal period(s) of the baseline and
/// one entry per series (the core's `SeriesEvents`: `past` labels, `future` events by period).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchEvents {
    season_length: Periods,
    series: Vec<SeriesEvents>,
}

/// Run the batch on all cores (`n_jobs` <= 0) or on a dedicated pool of `n_jobs` threads.
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    series: &[(&str, &[f64])],
    spec: &forestock::ModelSpec,
    h: usize,
    levels: &[f64],
    n_jobs: i64,
    progress: Option<Py<PyAny>>,
    events: Option<&BatchEvents>,
) -> PyResult<Vec<CoreResult<SeriesForecast>>> {
    let threads = usize::try_from(n_jobs).unwrap_or(0);
    let pool = match threads {
        0 => None,
        n => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| invalid_parameter(py, "n_jobs", n_jobs, &e.to_string()))?,
        ),
    };
    let one_run = |control: &Control<'_>| -> CoreResult<Vec<CoreResult<SeriesForecast>>> {
        Ok(match events {
            None => forecast_batch_reporting(series, spec, h, levels, control)?
                .into_iter()
                .map(|r| r.map(|(forecast, dropped)| (forecast, dropped, Vec::new())))
                .collect(),
            Some(e) => forecast_batch_events(series, &e.series, e.season_length.as_given(), spec, h, levels, control)?
                .into_iter()
                .map(|r| r.map(|(out, dropped)| (out.forecast, dropped, out.applied)))
                .collect(),
        })
    };
    let batch = |control: &Control<'_>| match &pool {
        None => one_run(control),
        Some(pool) => pool.install(|| one_run(control)),
    };
    core(py, interruptible_reporting(py, series.len(), progress, batch)?)
}

/// Forecast every series of a concatenated batch; see the module docs for the layout.
#[pyfunction]
#[pyo3(signature = (spec, ids, y, offsets, h, level, n_jobs, progress = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn forecast_batch<'py>(
    py: Python<'py>,
    spec: &Bound<'_, PyAny>,
    ids: Vec<String>,
    y: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, i64>,
    h: &Bound<'py, PyAny>,
    level: Vec<f64>,
    n_jobs: &Bound<'py, PyAny>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<BatchOutput<'py>> {
    let (mean, lower, upper, errors, unused, _) =
        forecast_batch_impl(py, spec, ids, y, offsets, h, level, n_jobs, progress, None)?;
    Ok((mean, lower, upper, errors, unused))
}

/// `forecast_batch` with known events (core `events::forecast_batch_events`): `events` is the dict
/// of `{season_length, series: [{past, future}, ...]}`, one entry per series. Returns the five
/// arrays and lists of `forecast_batch` and, last, `[(position, applied events), ...]` (the core's
/// `AppliedEvent` records of each series that had any).
#[pyfunction]
#[pyo3(signature = (spec, ids, y, offsets, h, level, n_jobs, events, progress = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn forecast_batch_with_events<'py>(
    py: Python<'py>,
    spec: &Bound<'_, PyAny>,
    ids: Vec<String>,
    y: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, i64>,
    h: &Bound<'py, PyAny>,
    level: Vec<f64>,
    n_jobs: &Bound<'py, PyAny>,
    events: &Bound<'_, PyAny>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<EventBatchOutput<'py>> {
    let events: BatchEvents = crate::json::from_py(py, "events", events)?;
    forecast_batch_impl(py, spec, ids, y, offsets, h, level, n_jobs, progress, Some(&events))
}

#[allow(clippy::too_many_arguments)]
fn forecast_batch_impl<'py>(
    py: Python<'py>,
    spec: &Bound<'_, PyAny>,
    ids: Vec<String>,
    y: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, i64>,
    h: &Bound<'py, PyAny>,
    level: Vec<f64>,
    n_jobs: &Bound<'py, PyAny>,
    progress: Option<Bound<'py, PyAny>>,
    events: Option<&BatchEvents>,
) -> PyResult<EventBatchOutput<'py>> {
    let progress = progress_callback(py, progress)?;
    let spec = parse_spec(py, spec)?;
    let h = horizon(py, h)?;
    let n_jobs = crate::args::signed(py, n_jobs, "n_jobs")?;
    validate_horizon(h).and_then(|()| validate_levels(&level)).map_err(|e| to_py_err(py, &e))?;
    let values = as_series(py, "y", &y)?;
    let offsets = as_offsets(py, &offsets)?;
    let series = split_series(py, &ids, values, offsets)?;
    let results = run(py, &series, &spec, h, &level, n_jobs, progress, events)?;

    let n = results.len();
    let mut mean = vec![f64::NAN; n * h];
    let mut lower = vec![f64::NAN; level.len() * n * h];
    let mut upper = vec![f64::NAN; level.len() * n * h];
    let mut errors = Vec::new();
    let mut unused = Vec::new();
    let mut applied = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Ok((forecast, dropped, events)) => {
                unused.extend(dropped.into_iter().map(|d| (i, d.period, d.reason)));
                if !events.is_empty() {
                    applied.push((i, events));
                }
                copy_row(&mut mean, i * h, &forecast.mean);
                for (l, interval) in forecast.intervals.iter().enumerate() {
                    let start = (l * n + i) * h;
                    copy_row(&mut lower, start, &interval.lower);
                    copy_row(&mut upper, start, &interval.upper);
                }
            }
            Err(e) => errors.push((i, to_py_err(py, &e).into_value(py).into_bound(py).into_any())),
        }
    }
    let mean = PyArray1::from_vec(py, mean).reshape([n, h])?.into_any();
    let lower = PyArray1::from_vec(py, lower).reshape([level.len(), n, h])?.into_any();
    let upper = PyArray1::from_vec(py, upper).reshape([level.len(), n, h])?.into_any();
    Ok((mean, lower, upper, errors, unused, crate::json::to_py(py, &applied)?))
}

/// Copy `row` into `dest[start..start + row.len()]` (bounds-checked, never panics).
fn copy_row(dest: &mut [f64], start: usize, row: &[f64]) {
    if let Some(slot) = dest.get_mut(start..start + row.len()) {
        slot.copy_from_slice(row);
    }
}
