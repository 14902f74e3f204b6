//! The model registry: a Python class holding a core `forestock::registry::Registry` (champion and
//! challengers per SKU, promotion history). Records, decisions and policies go in as dicts and
//! come back as Python objects, with the core's serde field names; the Python class `forestock.Registry` wraps this one.

use std::path::PathBuf;

use forestock::registry::{Metrics, ModelRecord, PromotionPolicy, Registry, TrainingWindow};
use pyo3::prelude::*;

use crate::errors::guarded;

use crate::instant::parse_instant;
use crate::json::{core, from_py, to_py, with_defaults};
use crate::spec::parse_spec;

/// Per-SKU champion/challenger model records with a decision history (core `Registry`).
#[pyclass(module = "forestock._native", name = "Registry")]
pub(crate) struct PyRegistry {
    /// The core registry (mutated by `promote_if_better`, `prune` and the retraining job).
    pub(crate) inner: Registry,
}

/// Check a promotion policy with the core's own rule: the core validates the policy when a
/// challenger is submitted, so submit one to a throw-away registry.
fn checked_policy(py: Python<'_>, policy: PromotionPolicy) -> PyResult<PromotionPolicy> {
    let mut probe = Registry::new(policy.clone());
    let record = ModelRecord::new(
        forestock::ModelSpec::Naive(forestock::models::Naive::new()),
        serde_json::Value::Null,
        Metrics::default(),
        TrainingWindow { start: None, end: None, observations: 0 },
        chrono::DateTime::UNIX_EPOCH,
    );
    core(py, guarded(|| probe.promote_if_better("policy-check", record, chrono::DateTime::UNIX_EPOCH)))?;
    Ok(policy)
}

#[pymethods]
impl PyRegistry {
    /// An empty registry; `policy` is a dict of `PromotionPolicy` fields (missing ones take
    /// the core's defaults), checked now.
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let policy = match policy {
            Some(policy) => with_defaults(py, "policy", &PromotionPolicy::default(), policy)?,
            None => PromotionPolicy::default(),
        };
        Ok(PyRegistry { inner: Registry::new(checked_policy(py, policy)?) })
    }

    /// The core's default promotion policy.
    #[staticmethod]
    fn default_policy(py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &PromotionPolicy::default())
    }

    /// The promotion policy.
    #[getter]
    fn policy(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, self.inner.policy())
    }

    /// Replace the promotion policy (dict of `PromotionPolicy` fields over the core defaults).
    fn set_policy(&mut self, py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<()> {
        let policy = with_defaults(py, "policy", &PromotionPolicy::default(), policy)?;
        self.inner.set_policy(checked_policy(py, policy)?);
        Ok(())
    }

    /// Schema version of the registry format.
    #[getter]
    fn schema_version(&self) -> u32 {
        self.inner.schema_version()
    }

    /// Submit a challenger for `sku`: model spec (dict or JSON text), `Metrics`, free fitted state and
    /// `TrainingWindow`, RFC 3339 `created_at` and `decided_at`. Returns the `PromotionDecision`.
    #[pyo3(signature = (sku, spec, metrics, fitted_state, training_window, created_at, decided_at))]
    #[allow(clippy::too_many_arguments)]
    fn promote_if_better(
        &mut self,
        py: Python<'_>,
        sku: &str,
        spec: &Bound<'_, PyAny>,
        metrics: &Bound<'_, PyAny>,
        fitted_state: &Bound<'_, PyAny>,
        training_window: &Bound<'_, PyAny>,
        created_at: &str,
        decided_at: &str,
    ) -> PyResult<Py<PyAny>> {
        let spec = parse_spec(py, spec)?;
        let metrics: Metrics = from_py(py, "metrics", metrics)?;
        let fitted_state: serde_json::Value = from_py(py, "fitted_state", fitted_state)?;
        let window: TrainingWindow = from_py(py, "window", training_window)?;
        let created_at = parse_instant(py, "trained_at", created_at)?;
        let decided_at = parse_instant(py, "decided_at", decided_at)?;
        let record = ModelRecord::new(spec, fitted_state, metrics, window, created_at);
        let decision = core(py, guarded(|| self.inner.promote_if_better(sku, record, decided_at)))?;
        to_py(py, &decision)
    }

    /// The champion record of `sku` as the `ModelRecord`, or None.
    fn champion(&self, py: Python<'_>, sku: &str) -> PyResult<Option<Py<PyAny>>> {
        self.inner.champion(sku).map(|record| to_py(py, record)).transpose()
    }

    /// Every model of `sku` as the `SkuModels` (champion, challengers, retired, next_version), or None.
    fn models(&self, py: Python<'_>, sku: &str) -> PyResult<Option<Py<PyAny>>> {
        self.inner.sku(sku).map(|models| to_py(py, models)).transpose()
    }

    /// SKU identifiers, sorted.
    fn skus(&self) -> Vec<String> {
        self.inner.skus().map(str::to_string).collect()
    }

    /// Every promotion decision, oldest first, as a list of `PromotionDecision`.
    fn history(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.history())
    }

    /// Keep the `keep` most recent challengers and retired champions per SKU; returns how many
    /// records were dropped.
    fn prune(&mut self, py: Python<'_>, keep: &Bound<'_, PyAny>) -> PyResult<usize> {
        let keep = crate::args::count(py, keep, "keep")?;
        Ok(self.inner.prune(keep))
    }

    /// The registry as the core's JSON document (pretty-printed, current schema version).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        core(py, guarded(|| self.inner.to_json()))
    }

    /// Read a registry JSON document (schema version 1 or 2, migrated to the current one).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let inner = core(py, guarded(|| py.detach(|| Registry::from_json(text))))?;
        Ok(PyRegistry { inner })
    }

    /// Write the registry to `path` as JSON, atomically, refusing with `ConflictError` when the file
    /// moved on since this registry was loaded (core `Registry::save`; GIL released during the I/O).
    fn save(&mut self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let inner = &mut self.inner;
        core(py, py.detach(|| guarded(|| inner.save(&path))))
    }

    /// Read a registry file written by `save` (or a schema version 1 file).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = core(py, guarded(|| py.detach(|| Registry::load(&path))))?;
        Ok(PyRegistry { inner })
    }

    /// The file revision this registry was loaded at or last saved as (0 if never saved).
    #[getter]
    fn revision(&self) -> u64 {
        self.inner.revision()
    }

    /// Whether both registries hold the same records, history and policy.
    fn same_as(&self, other: PyRef<'_, PyRegistry>) -> bool {
        self.inner == other.inner
    }

    /// Number of SKUs with at least one model.
    fn __len__(&self) -> usize {
        self.inner.skus().count()
    }
}
