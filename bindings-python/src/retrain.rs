//! The weekly retraining job: conversion around `forestock::plan::run_retrain`, run with the GIL
//! released. Demand histories arrive concatenated (`y`, `offsets`, as in `forecast_batch`).

use forestock::plan::{run_retrain_with, RetrainConfig, RetrainSettings};
use forestock::ModelSpec;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::args::count;
use crate::batch::sku_histories;
use crate::errors::{guarded, invalid_parameter};
use crate::instant::parse_instant;
use crate::interrupt::{interruptible_reporting, progress_callback};
use crate::json::{core, from_py, to_py};
use crate::registry::PyRegistry;

/// The core's weekly retraining design (`RetrainConfig::weekly`): `candidates` (model
/// specs) and `backtest` (windows, step, horizon, levels, season_length).
#[pyfunction]
pub(crate) fn weekly_retrain_config(py: Python<'_>, season_length: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    to_py(py, &RetrainConfig::weekly(periods(season_length)?))
}

/// A season length as Python gives it: one whole number (`52`) or a sequence (`[7, 365]`).
fn periods(value: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let py = value.py();
    if let Ok(items) = value.extract::<Vec<Bound<'_, PyAny>>>() {
        return items.iter().map(|p| count(py, p, "season_length")).collect();
    }
    if value.call_method0("__index__").is_ok() {
        return Ok(vec![count(py, value, "season_length")?]);
    }
    Err(invalid_parameter(
        py,
        "season_length",
        value,
        "must be a whole number or a list of whole numbers, e.g. 12 or [7, 365]",
    ))
}

/// Parse a list of model spec dicts; an invalid entry is named `candidates[i]`.
fn parse_candidates(py: Python<'_>, candidates: &Bound<'_, PyAny>) -> PyResult<Vec<ModelSpec>> {
    let values: Vec<serde_json::Value> = from_py(py, "candidates", candidates)?;
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            ModelSpec::from_json(&value.to_string())
                .map_err(|e| invalid_parameter(py, &format!("candidates[{i}]"), value, &e.to_string()))
        })
        .collect()
}

/// Run the retraining job over the concatenated histories, updating `registry` in place.
/// `candidates` is a list of model specs (None: the weekly defaults); the backtest scores them
/// on `windows` origins `step` apart with horizon `horizon`, MASE scaled by `season_length`.
/// `now` (RFC 3339) stamps the records and decisions. Returns the `RetrainReport` plus
/// `"promoted"`, the number of SKUs whose champion changed.
#[pyfunction]
#[pyo3(signature = (registry, skus, y, offsets, season_length, candidates, windows, step, horizon, now, progress = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn retrain(
    py: Python<'_>,
    mut registry: PyRefMut<'_, PyRegistry>,
    skus: Vec<String>,
    y: PyReadonlyArray1<'_, f64>,
    offsets: PyReadonlyArray1<'_, i64>,
    season_length: &Bound<'_, PyAny>,
    candidates: Option<&Bound<'_, PyAny>>,
    windows: &Bound<'_, PyAny>,
    step: &Bound<'_, PyAny>,
    horizon: &Bound<'_, PyAny>,
    now: &str,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let progress = progress_callback(py, progress)?;
    let histories = sku_histories(py, &skus, &y, &offsets)?;
    let settings = RetrainSettings {
        season_length: Some(periods(season_length)?.into()),
        candidates: candidates.map(|c| parse_candidates(py, c)).transpose()?,
        windows: Some(count(py, windows, "windows")?),
        step: Some(count(py, step, "step")?),
        horizon: Some(count(py, horizon, "h")?),
        levels: None,
    };
    // The core checks the design once (`RetrainConfig::validate`), so a bad setting is one error,
    // not a failure entry for every SKU.
    // Python's `retrain` calls the design's horizon `h`.
    let config = core(
        py,
        guarded(|| settings.config()).map_err(|e| match e {
            forestock::Error::InvalidParameter { name, value, reason } if name == "horizon" => {
                forestock::Error::InvalidParameter { name: "h".into(), value, reason }
            }
            other => other,
        }),
    )?;
    let now = parse_instant(py, "now", now)?;
    let registry = &mut registry.inner;
    let report = core(
        py,
        interruptible_reporting(py, histories.len(), progress, |control| {
            run_retrain_with(&histories, registry, &config, now, control)
        })?,
    )?;
    let audit = core(py, report.audit_entries(&config))?;
    to_py(py, &RetrainReply { promoted: report.promoted(), report: &report, audit })
}

/// What `retrain` returns: the core's `RetrainReport`, the number of champions promoted, and the
/// audit records the weekly job appends.
#[derive(serde::Serialize)]
struct RetrainReply<'a> {
    #[serde(flatten)]
    report: &'a forestock::plan::RetrainReport,
    promoted: usize,
    audit: Vec<forestock::audit::AuditEntry>,
}
