//! Versioned model registry: one champion and its challengers per SKU, with promotion decisions.
//!
//! A [`ModelRecord`] stores what is needed to reproduce and judge a model: its [`ModelSpec`]
//! (serde-tagged settings), a summary of the fitted state as free JSON (parameters, initial states),
//! backtest [`Metrics`], the [`TrainingWindow`], a caller-supplied `created_at` and a per-SKU
//! `version` number assigned by the registry (1, 2, 3, ... in submission order).
//!
//! # Promotion rule
//!
//! [`Registry::promote_if_better`] compares the challenger with the current champion on the policy's
//! backtest [`Metric`] (lower is better; default MASE). With champion score `s` and challenger score
//! `c`, the relative improvement is `(s - c) / s`; the challenger is promoted when it is at least
//! `min_relative_improvement` (default 0.02, i.e. 2 %) **and** `c < s`. The margin stops the champion
//! from flipping on backtest noise: with the usual rolling-origin backtests of a few dozen points, MASE
//! differences below a few percent are not distinguishable from sampling variation (see Hyndman &
//! Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §5.10 on cross-validation, and
//! Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16). A SKU without a champion
//! promotes its first challenger; a challenger without the metric is rejected; a champion without the
//! metric (e.g. migrated from an old record) is replaced by a challenger that has it. Every decision
//! is appended to [`Registry::history`] and returned, so it can also be written to the audit log.
//!
//! # Persistence and schema versions
//!
//! JSON with a top-level `schema_version`. The current format is [`SCHEMA_VERSION`] = 2.
//! [`Registry::from_json`] also reads version 1 and migrates it:
//!
//! ```text
//! v1: { "schema_version": 1,
//!       "models": { "<sku>": { "champion": R1 | null, "challengers": [R1, ...] } } }
//!     R1 = { "version": u32, "spec": ModelSpec, "metrics": { "<name>": f64, ... },
//!            "trained_observations": usize, "created_at": RFC 3339 }
//! v2: { "schema_version": 2, "policy": PromotionPolicy,
//!       "skus": { "<sku>": { "champion", "challengers", "retired", "next_version" } },
//!       "history": [PromotionDecision, ...], "revision": u64 }
//! ```
//!
//! `revision` (0 when absent) counts the saves of the file. [`Registry::save`] is atomic (temp file,
//! fsync, rename) and refuses, with [`Error::Conflict`] (`ERR_CONFLICT`), to overwrite a file whose
//! revision moved on since this copy was loaded, so two writers never lose an update silently.
//!
//! Migration v1 → v2: metric names `mase`, `mape`, `smape`, `rmse`, `mae`, `bias` map to the fields of
//! [`Metrics`], other names go to `Metrics::other`; `fitted_state` becomes `null` (v1 did not keep it);
//! the training window keeps the observation count with unknown start/end; `retired` and `history`
//! start empty; `next_version` is one more than the largest version seen; the policy is the default.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use forestock::models::{ModelSpec, SeasonalNaive};
//! use forestock::registry::{Metrics, ModelRecord, Registry, TrainingWindow};
//! let at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
//! let record = |mase: f64| ModelRecord::new(
//!     ModelSpec::SeasonalNaive(SeasonalNaive::new(12)),
//!     serde_json::json!({}),
//!     Metrics { mase: Some(mase), ..Metrics::default() },
//!     TrainingWindow { start: None, end: None, observations: 48 },
//!     at,
//! );
//! let mut registry = Registry::default();
//! assert!(registry.promote_if_better("SKU-1", record(0.90), at)?.promoted);   // first model
//! assert!(!registry.promote_if_better("SKU-1", record(0.89), at)?.promoted);  // 1.1 % better: kept
//! assert!(registry.promote_if_better("SKU-1", record(0.80), at)?.promoted);   // 11 % better
//! let back = Registry::from_json(&registry.to_json()?)?;
//! assert_eq!(back, registry);
//! # Ok::<(), forestock::Error>(())
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::ModelSpec;
use crate::store;

/// Current registry schema version.
pub const SCHEMA_VERSION: u32 = 2;

/// Backtest accuracy figures of a model (each optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Mean absolute scaled error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mase: Option<f64>,
    /// Mean absolute percentage error (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mape: Option<f64>,
    /// Symmetric MAPE (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smape: Option<f64>,
    /// Root mean squared error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmse: Option<f64>,
    /// Mean absolute error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mae: Option<f64>,
    /// Mean error (actual - forecast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<f64>,
    /// Any other figure, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, f64>,
}

/// The metric a promotion policy compares: the crate's one accuracy vocabulary.
pub use crate::metrics::Metric;

impl From<&crate::models::backtest::AccuracySummary> for Metrics {
    /// A backtest's pooled figures as a record's metrics (bias included; the MAPE skip count is not
    /// a metric).
    fn from(m: &crate::models::backtest::AccuracySummary) -> Self {
        Metrics {
            mase: m.mase,
            mape: m.mape,
            smape: Some(m.smape),
            rmse: Some(m.rmse),
            mae: Some(m.mae),
            bias: Some(m.bias),
            other: BTreeMap::new(),
        }
    }
}

impl Metrics {
    /// The value of `metric`, if recorded.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Mase => self.mase,
            Metric::Mape => self.mape,
            Metric::Smape => self.smape,
            Metric::Rmse => self.rmse,
            Metric::Mse => self.rmse.map(|r| r * r),
            Metric::Mae => self.mae,
        }
    }

    fn validate(&self) -> Result<()> {
        let named = [
            ("mase", self.mase),
            ("mape", self.mape),
            ("smape", self.smape),
            ("rmse", self.rmse),
            ("mae", self.mae),
            ("bias", self.bias),
        ];
        let others = self.other.iter().map(|(k, v)| (k.as_str(), Some(*v)));
        for (name, value) in named.into_iter().chain(others) {
            if let Some(v) = value
                && !v.is_finite()
            {
                return Err(Error::invalid_parameter(format!("metrics.{name}"), v, "must be finite"));
            }
        }
        Ok(())
    }
}

/// The data a model was estimated on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingWindow {
    /// First period used (if known).
    pub start: Option<DateTime<Utc>>,
    /// Last period used (if known).
    pub end: Option<DateTime<Utc>>,
    /// Number of observations used.
    pub observations: usize,
}

/// One model of one SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRecord {
    /// Per-SKU version, assigned by the registry when the record is submitted (0 before).
    pub version: u32,
    /// Model and settings.
    pub spec: ModelSpec,
    /// Summary of the estimated state (parameters, initial states, description), free JSON.
    pub fitted_state: Value,
    /// Backtest accuracy.
    pub metrics: Metrics,
    /// Data the model was estimated on.
    pub training_window: TrainingWindow,
    /// When the model was estimated (supplied by the caller).
    pub created_at: DateTime<Utc>,
}

impl ModelRecord {
    /// A record not yet submitted to a registry (`version` 0).
    pub fn new(
        spec: ModelSpec,
        fitted_state: Value,
        metrics: Metrics,
        training_window: TrainingWindow,
        created_at: DateTime<Utc>,
    ) -> Self {
        ModelRecord { version: 0, spec, fitted_state, metrics, training_window, created_at }
    }
}

/// How challengers are judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromotionPolicy {
    /// Backtest metric compared (lower is better). Default MASE.
    pub metric: Metric,
    /// Minimum relative improvement `(champion - challenger) / champion` to promote. Default 0.02.
    pub min_relative_improvement: f64,
}

impl Default for PromotionPolicy {
    fn default() -> Self {
        PromotionPolicy { metric: Metric::Mase, min_relative_improvement: 0.02 }
    }
}

/// Why a challenger was or was not promoted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum DecisionReason {
    /// The SKU had no champion.
    NoChampion,
    /// The champion lacks the metric (e.g. a migrated record); the challenger has it.
    ChampionMissingMetric,
    /// The challenger lacks the metric.
    ChallengerMissingMetric,
    /// The challenger improves on the champion by at least the required margin.
    Improved {
        /// `(champion - challenger) / champion`.
        relative_improvement: f64,
    },
    /// The improvement is below the required margin (or negative).
    InsufficientImprovement {
        /// `(champion - challenger) / champion` (negative when the challenger is worse).
        relative_improvement: f64,
        /// The policy's minimum.
        required: f64,
    },
}

/// A recorded champion/challenger decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionDecision {
    /// The SKU.
    pub sku: String,
    /// When the decision was taken (supplied by the caller).
    pub decided_at: DateTime<Utc>,
    /// Version assigned to the challenger.
    pub challenger_version: u32,
    /// Version of the champion at decision time.
    pub champion_version: Option<u32>,
    /// Metric compared.
    pub metric: Metric,
    /// Challenger's score.
    pub challenger_score: Option<f64>,
    /// Champion's score.
    pub champion_score: Option<f64>,
    /// Whether the challenger became champion.
    pub promoted: bool,
    /// Why.
    pub reason: DecisionReason,
}

/// The models of one SKU.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuModels {
    /// The model in production.
    pub champion: Option<ModelRecord>,
    /// Challengers that were not promoted, oldest first.
    pub challengers: Vec<ModelRecord>,
    /// Former champions, oldest first.
    pub retired: Vec<ModelRecord>,
    /// Version the next submitted record will get.
    pub next_version: u32,
}

/// Per-SKU champion/challenger records with a decision history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    schema_version: u32,
    policy: PromotionPolicy,
    skus: BTreeMap<String, SkuModels>,
    history: Vec<PromotionDecision>,
    /// How many times the file was saved: the optimistic version check of [`Registry::save`].
    #[serde(default)]
    revision: u64,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new(PromotionPolicy::default())
    }
}

impl Registry {
    /// An empty registry with `policy` (validated when used).
    pub fn new(policy: PromotionPolicy) -> Self {
        Registry { schema_version: SCHEMA_VERSION, policy, skus: BTreeMap::new(), history: Vec::new(), revision: 0 }
    }

    /// The schema version of this registry (always [`SCHEMA_VERSION`] once loaded).
    pub fn schema_version(&self) -> u32 {
        self.schema_version
    }

    /// The file revision this registry was loaded at or last saved as (0 for a registry never saved;
    /// see [`Registry::save`]).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The promotion policy.
    pub fn policy(&self) -> &PromotionPolicy {
        &self.policy
    }

    /// Replace the promotion policy.
    pub fn set_policy(&mut self, policy: PromotionPolicy) {
        self.policy = policy;
    }

    /// Models of `sku`.
    pub fn sku(&self, sku: &str) -> Option<&SkuModels> {
        self.skus.get(sku)
    }

    /// The champion of `sku`.
    pub fn champion(&self, sku: &str) -> Option<&ModelRecord> {
        self.skus.get(sku).and_then(|m| m.champion.as_ref())
    }

    /// SKU identifiers, sorted.
    pub fn skus(&self) -> impl Iterator<Item = &str> {
        self.skus.keys().map(String::as_str)
    }

    /// Every promotion decision, oldest first.
    pub fn history(&self) -> &[PromotionDecision] {
        &self.history
    }

    /// Submit `challenger` for `sku` and promote it if it beats the champion (see the module docs).
    /// The challenger's `version` is overwritten with the SKU's next version number.
    pub fn promote_if_better(
        &mut self,
        sku: &str,
        mut challenger: ModelRecord,
        decided_at: DateTime<Utc>,
    ) -> Result<PromotionDecision> {
        if sku.trim().is_empty() {
            return Err(Error::invalid_parameter("sku", format!("{sku:?}"), "must not be empty"));
        }
        let min = self.policy.min_relative_improvement;
        if !(min.is_finite() && (0.0..1.0).contains(&min)) {
            return Err(Error::invalid_parameter("min_relative_improvement", min, "must be in [0, 1)"));
        }
        challenger.metrics.validate().map_err(|e| e.in_series(sku))?;
        let metric = self.policy.metric;
        let models = self.skus.entry(sku.to_string()).or_default();
        models.next_version = models.next_version.max(1);
        challenger.version = models.next_version;
        models.next_version += 1;

        let challenger_score = challenger.metrics.get(metric);
        let champion_score = models.champion.as_ref().and_then(|c| c.metrics.get(metric));
        let reason = match (&models.champion, challenger_score, champion_score) {
            (None, _, _) => DecisionReason::NoChampion,
            (Some(_), None, _) => DecisionReason::ChallengerMissingMetric,
            (Some(_), Some(_), None) => DecisionReason::ChampionMissingMetric,
            (Some(_), Some(c), Some(s)) => {
                let relative_improvement = if s > 0.0 {
                    (s - c) / s
                } else if c < s {
                    f64::INFINITY
                } else {
                    0.0
                };
                if c < s && relative_improvement >= min {
                    DecisionReason::Improved { relative_improvement }
                } else {
                    DecisionReason::InsufficientImprovement { relative_improvement, required: min }
                }
            }
        };
        let promoted = matches!(
            reason,
            DecisionReason::NoChampion | DecisionReason::ChampionMissingMetric | DecisionReason::Improved { .. }
        );
        let decision = PromotionDecision {
            sku: sku.to_string(),
            decided_at,
            challenger_version: challenger.version,
            champion_version: models.champion.as_ref().map(|c| c.version),
            metric,
            challenger_score,
            champion_score,
            promoted,
            reason,
        };
        if promoted {
            if let Some(old) = models.champion.replace(challenger) {
                models.retired.push(old);
            }
        } else {
            models.challengers.push(challenger);
        }
        self.history.push(decision.clone());
        Ok(decision)
    }

    /// Keep only the `keep` most recent challengers and retired champions of every SKU (champions and
    /// the decision history are untouched). Returns how many records were dropped.
    pub fn prune(&mut self, keep: usize) -> usize {
        let mut dropped = 0;
        for models in self.skus.values_mut() {
            for list in [&mut models.challengers, &mut models.retired] {
                let excess = list.len().saturating_sub(keep);
                list.drain(..excess);
                dropped += excess;
            }
        }
        dropped
    }

    /// Serialize (pretty-printed JSON, keys in a stable order).
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Read a registry of any supported schema version (1 or 2), migrating to the current one.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text)?;
        let version = value.get("schema_version").and_then(Value::as_u64).ok_or_else(|| Error::CorruptRecord {
            position: "schema_version".into(),
            reason: "missing or not a non-negative integer".into(),
        })?;
        match version {
            1 => migrate_v1(value),
            2 => {
                let registry: Registry = serde_json::from_value(value)?;
                registry.check_next_versions()?;
                Ok(registry)
            }
            other => Err(Error::CorruptRecord {
                position: "schema_version".into(),
                reason: format!("unsupported version {other} (this build reads 1 and 2)"),
            }),
        }
    }

    /// Every SKU's `next_version` must exceed each version it already stores (champion,
    /// challengers, retired); otherwise the next submission would reuse a version number and two
    /// records would share an identity. A [`Error::CorruptRecord`] at `skus.<sku>.next_version`.
    fn check_next_versions(&self) -> Result<()> {
        for (sku, models) in &self.skus {
            let stored = models.champion.iter().chain(&models.challengers).chain(&models.retired);
            if let Some(max) = stored.map(|r| r.version).max()
                && models.next_version <= max
            {
                return Err(Error::CorruptRecord {
                    position: format!("skus.{sku}.next_version"),
                    reason: format!(
                        "next_version {} is not greater than the stored version {max}: versions would be reused",
                        models.next_version
                    ),
                });
            }
        }
        Ok(())
    }

    /// Write to a file as JSON, atomically and only if nobody else saved it since this registry was
    /// loaded (optimistic concurrency):
    ///
    /// 1. take an exclusive advisory lock on `<path>.lock` (the registry file itself is replaced by a
    ///    rename, so it cannot carry the lock);
    /// 2. read the `revision` of the file on disk (0 when the file is absent or predates revisions);
    /// 3. if it differs from [`Registry::revision`] (this copy's revision), fail with
    ///    [`Error::Conflict`] (`ERR_CONFLICT`) and leave the file alone: another writer saved in
    ///    between, and writing would silently drop its update. Reload, re-apply and save again;
    /// 4. otherwise write the registry with `revision + 1` through [`crate::store::write_atomic`]
    ///    (temp file, fsync, rename): a reader sees the old or the new registry, never a partial one.
    ///
    /// On success this registry's revision is the new one, so the same copy can save again. A file
    /// on disk that is not a registry is a [`Error::CorruptRecord`]: it is never overwritten blindly.
    pub fn save(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let _lock = store::lock_exclusive(store::lock_file_for(path))?;
        let found = revision_on_disk(path)?;
        if found != self.revision {
            return Err(Error::Conflict { path: path.display().to_string(), expected: self.revision, found });
        }
        let loaded_at = self.revision;
        self.revision = found + 1;
        let written = self.to_json().and_then(|json| store::write_atomic(path, json.as_bytes()));
        if written.is_err() {
            self.revision = loaded_at;
        }
        written
    }

    /// Read a file written by [`Registry::save`] (or a v1 file); its revision is remembered for the
    /// version check of the next [`Registry::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| store::io_error(path, "cannot read", e))?;
        Registry::from_json(&text)
    }
}

/// The `revision` of the registry file at `path`: 0 when the file does not exist or has no revision
/// (written before revisions existed, or schema version 1).
fn revision_on_disk(path: &Path) -> Result<u64> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(store::io_error(path, "cannot read", e)),
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| Error::CorruptRecord {
        position: path.display().to_string(),
        reason: format!("not a registry file ({e}); refusing to overwrite it"),
    })?;
    match value.get("revision") {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v.as_u64().ok_or_else(|| Error::CorruptRecord {
            position: format!("{}: revision", path.display()),
            reason: format!("{v} is not a non-negative integer"),
        }),
    }
}

/// Schema version 1 (kept only to read old files).
mod v1 {
    use super::*;

    #[derive(Deserialize)]
    pub(super) struct RegistryV1 {
        pub models: BTreeMap<String, SkuV1>,
    }

    #[derive(Deserialize)]
    pub(super) struct SkuV1 {
        pub champion: Option<RecordV1>,
        #[serde(default)]
        pub challengers: Vec<RecordV1>,
    }

    #[derive(Deserialize)]
    pub(super) struct RecordV1 {
        pub version: u32,
        pub spec: ModelSpec,
        #[serde(default)]
        pub metrics: BTreeMap<String, f64>,
        pub trained_observations: usize,
        pub created_at: DateTime<Utc>,
    }
}

fn migrate_record(old: v1::RecordV1) -> ModelRecord {
    let mut metrics = Metrics::default();
    for (name, value) in old.metrics {
        match name.as_str() {
            "mase" => metrics.mase = Some(value),
            "mape" => metrics.mape = Some(value),
            "smape" => metrics.smape = Some(value),
            "rmse" => metrics.rmse = Some(value),
            "mae" => metrics.mae = Some(value),
            "bias" => metrics.bias = Some(value),
            _ => {
                metrics.other.insert(name, value);
            }
        }
    }
    ModelRecord {
        version: old.version,
        spec: old.spec,
        fitted_state: Value::Null,
        metrics,
        training_window: TrainingWindow { start: None, end: None, observations: old.trained_observations },
        created_at: old.created_at,
    }
}

fn migrate_v1(value: Value) -> Result<Registry> {
    let old: v1::RegistryV1 = serde_json::from_value(value)?;
    let mut registry = Registry::default();
    for (sku, models) in old.models {
        let champion = models.champion.map(migrate_record);
        let challengers: Vec<ModelRecord> = models.challengers.into_iter().map(migrate_record).collect();
        let max_version = champion.iter().chain(&challengers).map(|r| r.version).max().unwrap_or(0);
        registry
            .skus
            .insert(sku, SkuModels { champion, challengers, retired: Vec::new(), next_version: max_version + 1 });
    }
    Ok(registry)
}
