//! The feedback loop (`forestock::feedback`): planners' decisions, realised actuals, adapted ensemble
//! weights and the feedback report; plus the realised accuracy of a plan (`forestock::telemetry`).
//! Conversion only: every rule and check is the core's. File work runs with the GIL released.

use std::collections::BTreeMap;
use std::path::PathBuf;

use forestock::feedback::{self, AdaptRule, DecisionInput};
use forestock::plan::SkuHistory;
use forestock::telemetry::PlannedForecast;
use pyo3::prelude::*;

use crate::errors::guarded;
use crate::instant::parse_instant;
use crate::json::{core, from_py, to_py};

/// Append a decision to the store at `path` (and to the audit log `audit_log` when given); returns
/// the stored `DecisionRecord`. `at` is RFC 3339 text.
#[pyfunction]
#[pyo3(signature = (path, sku, recommendation, decision, quantity, by, at, audit_log=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_decision(
    py: Python<'_>,
    path: PathBuf,
    sku: &str,
    recommendation: f64,
    decision: &str,
    quantity: Option<f64>,
    by: &str,
    at: &str,
    audit_log: Option<PathBuf>,
) -> PyResult<Py<PyAny>> {
    let at = parse_instant(py, "at", at)?;
    let input = DecisionInput::new(sku, recommendation, decision, quantity, by, at);
    let record = core(py, py.detach(|| guarded(|| feedback::record_decision(&path, audit_log.as_deref(), &input))))?;
    to_py(py, &record)
}

/// Append the demand realised by `sku` in period `at` with each model's forecast (`forecasts`:
/// model name -> forecast) and the plan's `forecast`; returns the stored `ActualRecord`.
#[pyfunction]
#[pyo3(signature = (path, sku, at, actual, forecasts, forecast=None))]
pub(crate) fn record_actuals(
    py: Python<'_>,
    path: PathBuf,
    sku: &str,
    at: &str,
    actual: f64,
    forecasts: BTreeMap<String, f64>,
    forecast: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let at = parse_instant(py, "at", at)?;
    let record =
        core(py, py.detach(|| guarded(|| feedback::record_actuals(&path, sku, at, actual, forecast, &forecasts))))?;
    to_py(py, &record)
}

/// The adapted weights of `sku` from the actuals store at `path` by the rule named `rule` with the
/// dict `settings` overriding its defaults (`AdaptRule::from_settings`).
#[pyfunction]
#[pyo3(signature = (path, sku, members=None, rule="hedge", settings=None))]
pub(crate) fn adapted_weights(
    py: Python<'_>,
    path: PathBuf,
    sku: &str,
    members: Option<Vec<String>>,
    rule: &str,
    settings: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let settings: serde_json::Value = match settings {
        Some(settings) => from_py(py, "settings", settings)?,
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    let rule = core(py, AdaptRule::from_settings(rule, &settings))?;
    let weights = core(py, py.detach(|| guarded(|| feedback::adapted_weights(&path, sku, members.as_deref(), rule))))?;
    to_py(py, &weights)
}

/// The feedback report of the decision store `decisions`, judged against the actuals store
/// `actuals` when given, with each SKU's ABC class from `classes`.
#[pyfunction]
#[pyo3(signature = (decisions, actuals=None, classes=BTreeMap::new()))]
pub(crate) fn feedback_report(
    py: Python<'_>,
    decisions: PathBuf,
    actuals: Option<PathBuf>,
    classes: BTreeMap<String, String>,
) -> PyResult<Py<PyAny>> {
    let report =
        core(py, py.detach(|| guarded(|| feedback::feedback_report(&decisions, actuals.as_deref(), &classes))))?;
    to_py(py, &report)
}

/// Realised MAPE/MASE by ABC class (`forestock::telemetry::realised_accuracy_of`): lists of
/// `PlannedForecast`, `SkuHistory` (the histories planned from) and `SkuHistory` (the actuals after).
#[pyfunction]
pub(crate) fn realised_accuracy(
    py: Python<'_>,
    plans: &Bound<'_, PyAny>,
    histories: &Bound<'_, PyAny>,
    actuals: &Bound<'_, PyAny>,
    season_length: usize,
) -> PyResult<Py<PyAny>> {
    let plans: Vec<PlannedForecast> = from_py(py, "forecasts", plans)?;
    let histories: Vec<SkuHistory> = from_py(py, "history", histories)?;
    let actuals: Vec<SkuHistory> = from_py(py, "actuals", actuals)?;
    let accuracy = core(
        py,
        py.detach(|| {
            guarded(|| forestock::telemetry::realised_accuracy_of(&plans, &histories, &actuals, season_length))
        }),
    )?;
    to_py(py, &accuracy)
}
