//! The weekly retraining job: backtest candidate models per SKU, submit the best to the registry,
//! which promotes it only if it beats the champion.
//!
//! For each SKU every candidate [`ModelSpec`] is scored by rolling-origin backtest
//! ([`crate::backtest`]) on the history to date; the one with the lowest MASE (ties: earlier
//! candidate) becomes a challenger [`ModelRecord`] and goes through
//! [`Registry::promote_if_better`]: promoted when there is no champion or when it improves on the
//! champion's recorded metric by the registry's minimum relative improvement. Backtests run in
//! parallel; registry updates are applied in input order, so the outcome is deterministic. A SKU whose
//! every candidate fails is reported in `failures`; the others are retrained.

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{SkuFailure, SkuHistory};
use crate::audit::{AuditEntry, AuditKind};
use crate::control::Control;
use crate::error::{Error, Result};
use crate::metrics::Metric;
use crate::models::backtest::{backtest_with, BacktestConfig};
use crate::models::{AutoEts, AutoModel, CrostonSba, ModelSpec, Naive, Periods, Tsb};
use crate::registry::{Metrics, ModelRecord, PromotionDecision, Registry, TrainingWindow};

/// Candidates and backtest design of a retraining run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainConfig {
    /// Models competing for each SKU.
    pub candidates: Vec<ModelSpec>,
    /// Rolling-origin design used to score them.
    pub backtest: BacktestConfig,
}

impl RetrainConfig {
    /// The default weekly design: AutoModel, AutoETS, Croston-SBA, TSB and naive, scored on 4
    /// origins one period apart with horizon 4. With several periods, AutoModel gets all of them,
    /// AutoETS and the MASE scale the shortest.
    pub fn weekly(season_length: impl Into<Periods>) -> Self {
        let periods: Periods = season_length.into();
        let season_length = periods.shortest();
        RetrainConfig {
            candidates: vec![
                ModelSpec::AutoModel(AutoModel::new(periods)),
                ModelSpec::AutoEts(AutoEts::new(season_length).with_parallel(false)),
                ModelSpec::CrostonSba(CrostonSba::new()),
                ModelSpec::Tsb(Tsb::optimized()),
                ModelSpec::Naive(Naive::new()),
            ],
            backtest: BacktestConfig::new(4, 1, 4).with_season_length(season_length),
        }
    }

    /// Check the design once, before any SKU is scored (a bad setting would otherwise be one
    /// failure entry per SKU): at least one candidate, and the backtest's own settings (`windows`,
    /// `step`, `horizon` at least 1, `levels` in (0, 100), valid `season_length`, and a window span
    /// `(windows - 1) step + horizon` that fits in a count). Errors are
    /// [`Error::InvalidParameter`] naming the field. The bindings call it through
    /// [`RetrainSettings::config`]; [`run_retrain`] itself only insists on a candidate and reports a
    /// design error per SKU, as before.
    ///
    /// ```
    /// use forestock::plan::RetrainConfig;
    /// let mut config = RetrainConfig::weekly(52);
    /// assert!(config.validate().is_ok());
    /// config.backtest.step = 0;
    /// let err = config.validate().unwrap_err();
    /// assert!(matches!(err, forestock::Error::InvalidParameter { ref name, .. } if name == "step"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.candidates.is_empty() {
            return Err(Error::invalid_parameter("candidates", "[]", "needs at least one model"));
        }
        // One window over the shortest series that fits it checks every field of the design.
        let design = &self.backtest;
        let probe = BacktestConfig { windows: design.windows.min(1), ..design.clone() };
        probe.origins(probe.horizon.saturating_add(1))?;
        let span =
            design.windows.saturating_sub(1).checked_mul(design.step).and_then(|s| s.checked_add(design.horizon));
        // A design spanning more periods than the longest series allowed can never fit one: one
        // error here instead of a failure for every SKU.
        if span.is_none_or(|span| span >= crate::limits::MAX_SERIES_LENGTH) {
            // Name the field that alone is out of reach, else `windows`.
            let (name, value) = if design.horizon >= crate::limits::MAX_SERIES_LENGTH {
                ("horizon", design.horizon)
            } else if design.step >= crate::limits::MAX_SERIES_LENGTH {
                ("step", design.step)
            } else {
                ("windows", design.windows)
            };
            return Err(Error::invalid_parameter(
                name,
                value,
                format!(
                    "{} windows of horizon {} with step {} span more periods than the longest series allowed ({})",
                    design.windows,
                    design.horizon,
                    design.step,
                    crate::limits::MAX_SERIES_LENGTH
                ),
            ));
        }
        Ok(())
    }
}

/// The settings of a retraining run as Python's `retrain` and Node's `retrain` take them: every
/// field optional, defaults from [`RetrainConfig::weekly`].
///
/// `season_length` (default 1) picks the weekly candidates and the MASE scale; `candidates`
/// replaces the weekly set; `windows`, `step`, `horizon`, `levels` replace the weekly backtest
/// design's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetrainSettings {
    /// Seasonal period(s) of the data (default 1: non-seasonal).
    pub season_length: Option<Periods>,
    /// Candidate models (default: the weekly set).
    pub candidates: Option<Vec<ModelSpec>>,
    /// Backtest windows (default 4).
    pub windows: Option<usize>,
    /// Periods between backtest origins (default 1).
    pub step: Option<usize>,
    /// Backtest horizon (default 4).
    pub horizon: Option<usize>,
    /// Interval levels of the backtest, percent (default none).
    pub levels: Option<Vec<f64>>,
}

impl RetrainSettings {
    /// The validated [`RetrainConfig`]: the weekly design for `season_length` with the given fields
    /// replaced, checked by [`RetrainConfig::validate`]. Errors name the field (`season_length`,
    /// `candidates`, `windows`, `step`, `horizon`, `levels`).
    ///
    /// ```
    /// use forestock::plan::RetrainSettings;
    /// let settings: RetrainSettings = serde_json::from_str(r#"{"season_length": [7, 365], "horizon": 14}"#)?;
    /// let config = settings.config()?;
    /// assert_eq!((config.backtest.windows, config.backtest.horizon), (4, 14));
    /// assert_eq!(config.candidates.len(), 5);
    /// let bad: RetrainSettings = serde_json::from_str(r#"{"windows": 0}"#)?;
    /// assert!(bad.config().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config(self) -> Result<RetrainConfig> {
        let season_length = self.season_length.unwrap_or_else(Periods::none);
        season_length.normalized()?;
        let mut config = RetrainConfig::weekly(season_length);
        if let Some(candidates) = self.candidates {
            config.candidates = candidates;
        }
        let design = &mut config.backtest;
        design.windows = self.windows.unwrap_or(design.windows);
        design.step = self.step.unwrap_or(design.step);
        design.horizon = self.horizon.unwrap_or(design.horizon);
        if let Some(levels) = self.levels {
            design.levels = levels;
        }
        config.validate()?;
        Ok(config)
    }
}

/// Score of one candidate on one SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    /// The candidate's family name.
    pub model: String,
    /// Backtest MASE (None when the candidate failed or MASE is undefined).
    pub mase: Option<f64>,
    /// Why the candidate has no score, if it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The retraining outcome of one SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainOutcome {
    /// SKU identifier.
    pub sku: String,
    /// Every candidate's score, in candidate order.
    pub scores: Vec<CandidateScore>,
    /// The registry's decision on the best candidate.
    pub decision: PromotionDecision,
}

/// Result of a retraining run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainReport {
    /// One outcome per retrained SKU, in input order.
    pub outcomes: Vec<RetrainOutcome>,
    /// SKUs that could not be retrained.
    pub failures: Vec<SkuFailure>,
}

impl RetrainReport {
    /// Number of SKUs whose champion changed.
    pub fn promoted(&self) -> usize {
        self.outcomes.iter().filter(|o| o.decision.promoted).count()
    }

    /// The `run` record of a retraining job: the job name (`"weekly_retrain"`), the candidates and
    /// backtest design, the counts (`skus`, `retrained`), the SKUs whose champion changed
    /// (`promoted`, in input order) and the failures as `[sku, code]`.
    pub fn audit_payload(&self, config: &RetrainConfig) -> serde_json::Value {
        let promoted: Vec<&str> =
            self.outcomes.iter().filter(|o| o.decision.promoted).map(|o| o.sku.as_str()).collect();
        serde_json::json!({
            "job": "weekly_retrain",
            "config": config,
            "skus": self.outcomes.len() + self.failures.len(),
            "retrained": self.outcomes.len(),
            "promoted": promoted,
            "failures": self.failures.iter().map(|f| (&f.sku, &f.code)).collect::<Vec<_>>(),
        })
    }

    /// The records a retraining job appends to the audit log: the `run` record
    /// ([`RetrainReport::audit_payload`]), then one `promotion` record per champion change (the
    /// registry's decision), in input order.
    pub fn audit_entries(&self, config: &RetrainConfig) -> Result<Vec<AuditEntry>> {
        let mut entries = vec![AuditEntry { kind: AuditKind::Run, payload: self.audit_payload(config) }];
        for outcome in self.outcomes.iter().filter(|o| o.decision.promoted) {
            entries.push(AuditEntry { kind: AuditKind::Promotion, payload: serde_json::to_value(&outcome.decision)? });
        }
        Ok(entries)
    }
}

/// Best candidate of one SKU by `metric` (the registry's promotion metric): (spec, metrics) plus
/// every score. A candidate whose backtest leaves `metric` undefined (MASE with a zero in-sample
/// scale, MAPE on all-zero actuals) ranks after every candidate that has it, by MAE among
/// themselves (the registry then rejects such a challenger). The backtests' fits run under
/// `control` (a cancelled one is caught by the caller's check after the scoring).
fn score_sku(
    y: &[f64],
    config: &RetrainConfig,
    metric: Metric,
    control: &Control<'_>,
) -> (Option<(ModelSpec, Metrics)>, Vec<CandidateScore>) {
    let mut best: Option<((u8, f64), ModelSpec, Metrics)> = None;
    let mut scores = Vec::with_capacity(config.candidates.len());
    for spec in &config.candidates {
        match backtest_with(y, spec, &config.backtest, control) {
            Ok(result) => {
                let m = &result.metrics;
                let metrics = Metrics::from(m);
                let key = match m.get(metric).filter(|v| v.is_finite()) {
                    Some(value) => (0u8, value),
                    None => (1u8, m.mae),
                };
                let better = |b: &(u8, f64)| key.0 < b.0 || (key.0 == b.0 && key.1 < b.1);
                if key.1.is_finite() && best.as_ref().is_none_or(|(b, _, _)| better(b)) {
                    best = Some((key, spec.clone(), metrics));
                }
                scores.push(CandidateScore { model: spec.name().to_string(), mase: m.mase, error: None });
            }
            Err(e) => {
                scores.push(CandidateScore { model: spec.name().to_string(), mase: None, error: Some(e.to_string()) })
            }
        }
    }
    (best.map(|(_, spec, metrics)| (spec, metrics)), scores)
}

/// Run the retraining job over `histories`, updating `registry` (see the module docs).
///
/// ```
/// use forestock::plan::{run_retrain, RetrainConfig, SkuHistory};
/// use forestock::registry::{PromotionPolicy, Registry};
/// let demand: Vec<f64> = (0..80).map(|t| 30.0 + 8.0 * ((t % 4) as f64) + ((t * 3) % 5) as f64).collect();
/// let mut registry = Registry::new(PromotionPolicy::default());
/// let report = run_retrain(&[SkuHistory { sku: "s".into(), demand }], &mut registry,
///                          &RetrainConfig::weekly(4), chrono::Utc::now())?;
/// assert_eq!(report.promoted(), 1); // the first challenger of a SKU becomes its champion
/// println!("champion: {}", registry.champion("s").expect("promoted").spec.name());
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn run_retrain(
    histories: &[SkuHistory],
    registry: &mut Registry,
    config: &RetrainConfig,
    now: DateTime<Utc>,
) -> Result<RetrainReport> {
    run_retrain_with(histories, registry, config, now, &Control::new())
}

/// [`run_retrain`] under a [`Control`]: progress per SKU scored, and [`Error::Cancelled`] once the
/// caller's flag is set, in which case the registry is left unchanged (the scores are computed
/// before any registry update).
pub fn run_retrain_with(
    histories: &[SkuHistory],
    registry: &mut Registry,
    config: &RetrainConfig,
    now: DateTime<Utc>,
    control: &Control<'_>,
) -> Result<RetrainReport> {
    if config.candidates.is_empty() {
        return Err(Error::invalid_parameter("candidates", "[]", "needs at least one model"));
    }
    let metric = registry.policy().metric;
    let scored: Vec<_> = histories
        .par_iter()
        .map(|h| control.run(|| Ok(score_sku(&h.demand, config, metric, control))))
        .collect::<Result<_>>()?;
    control.check()?;
    let mut report = RetrainReport { outcomes: Vec::new(), failures: Vec::new() };
    for (h, (best, scores)) in histories.iter().zip(scored) {
        let Some((spec, metrics)) = best else {
            let reason = scores
                .iter()
                .filter_map(|s| s.error.as_deref())
                .next()
                .unwrap_or("no candidate could be scored")
                .to_string();
            let e = Error::FitFailed { model: "retrain".into(), reason };
            report.failures.push(SkuFailure::new(&h.sku, &e));
            continue;
        };
        let record = ModelRecord::new(
            spec,
            serde_json::json!({ "candidates": scores }),
            metrics,
            TrainingWindow { start: None, end: None, observations: h.demand.len() },
            now,
        );
        match registry.promote_if_better(&h.sku, record, now) {
            Ok(decision) => report.outcomes.push(RetrainOutcome { sku: h.sku.clone(), scores, decision }),
            Err(e) => report.failures.push(SkuFailure::new(&h.sku, &e)),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::backtest::backtest;
    use crate::models::{Naive, SeasonalNaive};
    use crate::registry::PromotionPolicy;

    /// A season of 4 with a large outlier every 9 periods: seasonal naive repeats each outlier a
    /// season later, naive carries it one period on, so the two candidates rank differently under
    /// scaled absolute errors (MASE prefers naive) and symmetric percentage errors (sMAPE prefers
    /// seasonal naive).
    fn spiky(n: usize) -> Vec<f64> {
        (0..n).map(|t| 50.0 + [0.0, 12.0, 3.0, 9.0][t % 4] + if t % 9 == 0 { 60.0 } else { 0.0 }).collect()
    }

    #[test]
    fn the_challenger_is_ranked_by_the_registry_metric() {
        let y = spiky(64);
        let mut config = RetrainConfig::weekly(4);
        config.candidates = vec![ModelSpec::Naive(Naive::new()), ModelSpec::SeasonalNaive(SeasonalNaive::new(4))];
        let results: Vec<_> =
            config.candidates.iter().map(|s| backtest(&y, s, &config.backtest).expect("backtest").metrics).collect();
        let argmin = |f: &dyn Fn(&crate::models::backtest::AccuracySummary) -> f64| {
            if f(&results[0]) <= f(&results[1]) {
                "naive"
            } else {
                "seasonal_naive"
            }
        };
        let by_mase = argmin(&|m| m.mase.expect("mase"));
        let by_smape = argmin(&|m| m.smape);
        assert_ne!(by_mase, by_smape, "the series must separate the two metrics: {results:?}");
        let now = chrono::Utc::now();
        for (metric, expected) in [(Metric::Mase, by_mase), (Metric::Smape, by_smape)] {
            let mut registry = Registry::new(PromotionPolicy { metric, ..PromotionPolicy::default() });
            let history = SkuHistory { sku: "s".into(), demand: y.clone() };
            let report = run_retrain(&[history], &mut registry, &config, now).expect("retrain");
            let champion = registry.champion("s").expect("promoted");
            assert_eq!(champion.spec.name(), expected, "{metric:?}: {report:?}");
        }
    }
}

#[cfg(test)]
mod audit_tests {
    use super::*;
    use crate::models::Naive;

    #[test]
    fn a_run_writes_one_run_record_then_one_promotion_per_champion_change() {
        let mut config = RetrainConfig::weekly(1);
        config.candidates = vec![ModelSpec::Naive(Naive::new())];
        let histories = vec![
            SkuHistory { sku: "a".into(), demand: (0..40).map(|t| 10.0 + (t % 3) as f64).collect() },
            SkuHistory { sku: "short".into(), demand: vec![1.0, 2.0] },
            SkuHistory { sku: "b".into(), demand: (0..40).map(|t| 20.0 + (t % 5) as f64).collect() },
        ];
        let mut registry = Registry::default();
        let now = chrono::Utc::now();
        let report = run_retrain(&histories, &mut registry, &config, now).expect("retrain");
        let entries = report.audit_entries(&config).expect("entries");
        let kinds: Vec<AuditKind> = entries.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [AuditKind::Run, AuditKind::Promotion, AuditKind::Promotion]);
        let run = &entries[0].payload;
        assert_eq!(run["job"], "weekly_retrain");
        assert_eq!((run["skus"].as_u64(), run["retrained"].as_u64()), (Some(3), Some(2)));
        assert_eq!(run["promoted"], serde_json::json!(["a", "b"]));
        assert_eq!(run["failures"][0][0], "short");
        assert_eq!(run["config"], serde_json::to_value(&config).expect("config"));
        assert_eq!(entries[1].payload["sku"], "a");
        // A second run changes no champion: the run record alone.
        let again = run_retrain(&histories, &mut registry, &config, now).expect("retrain");
        assert_eq!(again.audit_entries(&config).expect("entries").len(), 1);
    }
}
