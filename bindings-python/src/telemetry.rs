//! Run metrics (`forestock::telemetry`): a run's record from its summary, and the Prometheus
//! text of many records. Conversion only.

use std::collections::BTreeMap;

use forestock::telemetry::{to_prometheus, ClassAccuracy, RunKind, RunMetrics};
use pyo3::prelude::*;

use crate::json::{core, from_py, from_value, to_py, value_of, Unknown};

/// The `RunMetrics` of a run of `kind` (`"plan"`, `"retrain"`, `"job"`) named `job`, from its
/// `summary` (plan statistics, a retrain report, or None; other values as their text), with the realised accuracy by
/// class `realised` (dict of `ClassAccuracy`, from `realised_accuracy`) when given.
#[pyfunction]
#[pyo3(signature = (kind, job, ok, summary, duration_seconds, finished_at, realised=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_metrics(
    py: Python<'_>,
    kind: &str,
    job: &str,
    ok: bool,
    summary: &Bound<'_, PyAny>,
    duration_seconds: f64,
    finished_at: f64,
    realised: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let kind: RunKind = from_value(py, "kind", &serde_json::Value::String(kind.to_string()))?;
    let summary = value_of(py, "summary", summary, Unknown::AsText)?;
    let mut metrics = core(py, RunMetrics::of_summary(kind, job, ok, &summary, duration_seconds, finished_at))?;
    if let Some(realised) = realised {
        let realised: BTreeMap<String, ClassAccuracy> = from_py(py, "realised", realised)?;
        metrics = metrics.with_realised(realised);
    }
    to_py(py, &metrics)
}

/// The Prometheus text exposition of a JSON array of `RunMetrics` records.
#[pyfunction]
pub(crate) fn prometheus_text(py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<String> {
    let records: Vec<RunMetrics> = from_py(py, "records", records)?;
    core(py, to_prometheus(&records))
}
