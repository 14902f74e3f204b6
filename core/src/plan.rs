//! The planning job: many SKU histories + item master -> forecasts -> reorder recommendations.
//!
//! [`run_plan`] forecasts every SKU in parallel (rayon), classifies the catalogue (ABC by annual
//! consumption value), and turns each forecast into a reorder recommendation
//! ([`crate::inventory::recommend`](fn@crate::inventory::recommend)). Failures are isolated per SKU. [`replay_sku`] judges the decisions
//! in closed loop. [`classify_catalogue`] is the ABC step alone (with per-SKU service-level
//! overrides), for callers that plan the catalogue in partitions. See `docs/planning.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::control::Control;
use crate::error::{Error, Result};
use crate::inventory::abc::{abc_classify, classify_demand, AbcClass, AbcItem, AbcThresholds, DemandPattern};
use crate::inventory::policy::{DemandDistribution, DemandModel};
use crate::inventory::recommend::{recommend, ItemPolicyInput, OrderSizing, Recommendation};
use crate::inventory::service::{ServiceLevels, ServiceTarget};
use crate::models::{AutoModel, Fitted, Forecast, Forecaster, ModelSpec, PredictionInterval};
use crate::series::{validate_horizon, validate_levels, validate_non_negative};

mod catalogue;
mod cleaning;
mod item_builder;
mod item_rows;
mod replay;
mod retrain;
mod status;

pub use catalogue::{classify_catalogue, CatalogueClass, CatalogueClassification, CatalogueItem};
pub use item_builder::DEFAULT_ANNUAL_HOLDING_RATE;
pub use item_rows::{duplicate_period, missing_ids, read_item_rows, FieldNames, ItemRows};
pub use replay::{replay_sku, replay_with, ReplayConfig, ReplayReport};
pub use retrain::{
    run_retrain, run_retrain_with, CandidateScore, RetrainConfig, RetrainOutcome, RetrainReport, RetrainSettings,
};
pub use status::RunStatus;

/// Demand history of one SKU, one value per period (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkuHistory {
    /// SKU identifier.
    pub sku: String,
    /// Demand per period, oldest first.
    pub demand: Vec<f64>,
}

/// Item master data for one SKU: costs, lead time, stock position and ordering constraints.
///
/// Time quantities (lead time, review period) are in the same periods as the demand history.
///
/// ```
/// use forestock::plan::ItemMaster;
/// // Unit cost 4.2, lead time 3 weeks; every other field has a default that plans.
/// let item = ItemMaster::new("SKU-7", 4.2, 3.0).with_on_hand(120.0).with_moq(50.0).with_lot_size(10.0);
/// assert_eq!((item.on_hand, item.moq, item.review_period), (120.0, 50.0, 1.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemMaster {
    /// SKU identifier (joins with [`SkuHistory::sku`]).
    pub sku: String,
    /// Purchase cost of one unit.
    pub unit_cost: f64,
    /// Mean replenishment lead time, in periods.
    pub lead_time: f64,
    /// Standard deviation of the lead time, in periods.
    #[serde(default)]
    pub lead_time_sd: f64,
    /// Review period R, in periods (1 = reviewed every period).
    #[serde(default = "default_review_period")]
    pub review_period: f64,
    /// Units on hand.
    #[serde(default)]
    pub on_hand: f64,
    /// Units ordered and not yet received.
    #[serde(default)]
    pub on_order: f64,
    /// Units of unmet demand waiting to be filled.
    #[serde(default)]
    pub backorders: f64,
    /// Minimum order quantity (0 = none).
    #[serde(default)]
    pub moq: f64,
    /// Order quantities are rounded up to a multiple of this (1 = any whole unit).
    #[serde(default = "default_lot_size")]
    pub lot_size: f64,
    /// Largest quantity one order may have (None = unlimited).
    #[serde(default)]
    pub max_order: Option<f64>,
    /// Fixed cost of placing one order.
    #[serde(default)]
    pub ordering_cost: f64,
    /// Holding cost per unit per period as a fraction of the unit cost; `None` = the default
    /// [`DEFAULT_ANNUAL_HOLDING_RATE`] (25% a year) spread over [`PlanConfig::periods_per_year`]
    /// (see [`ItemMaster::holding_rate_per_period`]).
    #[serde(default)]
    pub holding_cost_rate: Option<f64>,
    /// Target cycle service level in (0, 1); None = the default of the item's ABC class.
    #[serde(default)]
    pub service_level: Option<f64>,
    /// Supplier the item is bought from (groups purchase orders, picks the lead-time estimate).
    #[serde(default)]
    pub supplier: Option<String>,
}

impl ItemMaster {
    /// The inventory-policy input of this item with the given service target and demand model;
    /// `periods_per_year` converts the default annual holding cost rate to the demand's period.
    pub fn policy_input(
        &self,
        periods_per_year: f64,
        service: ServiceTarget,
        demand: DemandModel,
        distribution: DemandDistribution,
        sizing: OrderSizing,
    ) -> ItemPolicyInput {
        ItemPolicyInput {
            on_hand: self.on_hand,
            on_order: self.on_order,
            backorders: self.backorders,
            lead_time: self.lead_time,
            lead_time_sd: self.lead_time_sd,
            review_period: self.review_period,
            moq: self.moq,
            lot_size: Some(self.lot_size),
            max_order: self.max_order,
            unit_cost: self.unit_cost,
            ordering_cost: (self.ordering_cost > 0.0).then_some(self.ordering_cost),
            holding_cost_rate: self.holding_rate_per_period(periods_per_year),
            service,
            demand,
            distribution,
            sizing,
        }
    }
}

fn default_review_period() -> f64 {
    1.0
}

fn default_lot_size() -> f64 {
    1.0
}

/// Settings of a planning run.
///
/// ```
/// use forestock::models::{ModelSpec, SeasonalNaive};
/// use forestock::plan::PlanConfig;
/// // Monthly buckets, a six-month horizon, seasonal naive instead of the default AutoModel.
/// let config = PlanConfig {
///     horizon: 6,
///     periods_per_year: 12.0,
///     model: ModelSpec::SeasonalNaive(SeasonalNaive::new(12)),
///     ..PlanConfig::default()
/// };
/// assert_eq!(config.levels, PlanConfig::default().levels);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanConfig {
    /// Forecast horizon reported per SKU (periods).
    pub horizon: usize,
    /// Interval levels reported per SKU (percent).
    pub levels: Vec<f64>,
    /// Model for every SKU; the default [`ModelSpec::AutoModel`] routes by demand pattern.
    pub model: ModelSpec,
    /// Periods per year (52 for weekly buckets), for annual consumption values.
    pub periods_per_year: f64,
    /// ABC thresholds on cumulative consumption value.
    pub abc: AbcThresholds,
    /// Cycle service level per ABC class (an item's own `service_level` overrides it).
    pub service_levels: ServiceLevels,
    /// Order sizing rule.
    pub sizing: OrderSizing,
    /// Clean each SKU's history of anomalies before fitting (`None`, the default: fit the history as
    /// given). The detector uses the model's season; `LeaveOut` gaps are filled by `na_interp`;
    /// the flags are reported in [`SkuPlan::anomalies`]. See `docs/anomalies.md`. Serialized as
    /// `null` when off, so the bindings' option-name checks (keys of the default) know it.
    #[serde(default)]
    pub clean_anomalies: Option<crate::anomaly::CleaningChoice>,
    /// Per-SKU member weights (SKU -> member name -> weight) for an [`ModelSpec::Ensemble`] model,
    /// e.g. adapted from realised errors ([`crate::feedback::adapted_weights`]); a SKU listed here
    /// is forecast with [`crate::ensemble::Ensemble::weights`] set to its entry. Needs an Ensemble
    /// `model`.
    pub ensemble_weights: BTreeMap<String, BTreeMap<String, f64>>,
}

impl PlanConfig {
    /// Defaults with the automatic model for data of the given seasonal period(s).
    pub fn with_season_length(season_length: impl Into<crate::models::Periods>) -> Self {
        PlanConfig { model: ModelSpec::AutoModel(AutoModel::new(season_length)), ..PlanConfig::default() }
    }
}

impl Default for PlanConfig {
    /// Weekly buckets: horizon 4, levels 80/95, AutoModel with season length 52.
    fn default() -> Self {
        PlanConfig {
            horizon: 4,
            levels: vec![80.0, 95.0],
            model: ModelSpec::AutoModel(AutoModel::new(52)),
            periods_per_year: 52.0,
            abc: AbcThresholds::default(),
            service_levels: ServiceLevels::default(),
            sizing: OrderSizing::OrderUpTo,
            clean_anomalies: None,
            ensemble_weights: BTreeMap::new(),
        }
    }
}

/// The plan for one SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkuPlan {
    /// SKU identifier.
    pub sku: String,
    /// ABC class by annual consumption value.
    pub abc_class: AbcClass,
    /// Usage rank (1 = largest consumption value).
    pub usage_rank: usize,
    /// Syntetos-Boylan demand pattern of the history.
    pub demand_pattern: DemandPattern,
    /// The estimated model, e.g. `ETS(M,A,N)`.
    pub model: String,
    /// Why this model was used.
    pub model_reason: String,
    /// Seasonal periods given that the model does not use, with the reason
    /// ([`Fitted::unused_periods`]); empty when every period is used.
    #[serde(default)]
    pub unused_periods: Vec<crate::models::DroppedPeriod>,
    /// Forecast for `horizon` periods with the configured intervals.
    pub forecast: Forecast,
    /// Each ensemble member's point forecast for `horizon` periods, by member name
    /// ([`crate::ensemble::Ensemble::member_names`]); empty for other models. Record them with the
    /// demand once it is known ([`crate::feedback::record_actuals`]) to adapt the weights.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub member_forecasts: BTreeMap<String, Vec<f64>>,
    /// Cycle service level targeted.
    pub service_level: f64,
    /// The reorder recommendation.
    pub recommendation: Recommendation,
    /// The anomalies found in the history when [`PlanConfig::clean_anomalies`] is set (index, value,
    /// score, reason, replacement); empty otherwise or when none was found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anomalies: Vec<crate::anomaly::Anomaly>,
    /// Known future events applied to the forecast (and so to the order), with the uplift used
    /// ([`crate::events`]); empty without events.
    #[serde(default)]
    pub events: Vec<crate::events::AppliedEvent>,
}

/// A SKU the run could not plan, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkuFailure {
    /// SKU identifier.
    pub sku: String,
    /// Stable error code (see [`Error::code`]).
    pub code: String,
    /// What went wrong.
    pub message: String,
}

impl SkuFailure {
    /// A failure record for `sku` from an error.
    pub fn new(sku: &str, error: &Error) -> Self {
        SkuFailure { sku: sku.to_string(), code: error.code().to_string(), message: error.to_string() }
    }
}

/// Counts and totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// SKUs seen (histories and items, joined).
    pub skus: usize,
    /// SKUs planned.
    pub planned: usize,
    /// SKUs that failed.
    pub failed: usize,
    /// SKUs that should reorder now.
    pub orders: usize,
    /// Value of the recommended orders (quantity × unit cost).
    pub order_value: f64,
    /// Planned SKUs by priority (`urgent`, `high`, `medium`, `low`).
    pub by_priority: BTreeMap<String, usize>,
    /// Planned SKUs by ABC class.
    pub by_abc: BTreeMap<String, usize>,
    /// Planned SKUs by model family (first word of the model description).
    pub by_model: BTreeMap<String, usize>,
    /// Failed SKUs by error code.
    #[serde(default)]
    pub failures_by_code: BTreeMap<String, usize>,
    /// SKUs that should reorder now, by priority.
    #[serde(default)]
    pub orders_by_priority: BTreeMap<String, usize>,
    /// SKUs that should reorder now, by ABC class.
    #[serde(default)]
    pub orders_by_abc: BTreeMap<String, usize>,
    /// Health of the run from the counts (see [`RunStatus::of`]).
    #[serde(default)]
    pub status: RunStatus,
    /// Anomalies flagged in the planned SKUs' histories when [`PlanConfig::clean_anomalies`] is set.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub anomalies_flagged: usize,
    /// Planned SKUs with at least one anomaly flagged.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skus_with_anomalies: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Result of a planning run: one plan per SKU that succeeded (input order), failures, statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanOutput {
    /// Plans, in the order of the demand histories.
    pub plans: Vec<SkuPlan>,
    /// SKUs that could not be planned, with reasons.
    pub failures: Vec<SkuFailure>,
    /// Counts and totals.
    pub stats: RunStats,
    /// Input values the run accepted after a conversion the caller should know about (e.g. a
    /// numeric string read as a number), one line each.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl PlanOutput {
    /// Health of the run: [`RunStatus::Failed`] when no SKU was planned, [`RunStatus::Degraded`]
    /// when more than half failed, else [`RunStatus::Ok`].
    pub fn status(&self) -> RunStatus {
        self.stats.status
    }

    /// The `run` record of a planning job: the job name (`"daily_plan"`), the run's status, the
    /// configuration, the statistics, and a digest of every decision: orders as `[sku, quantity,
    /// priority]` and failures as `[sku, code]`, enough to prove later what was recommended.
    ///
    /// ```
    /// use forestock::plan::{run_plan, ItemMaster, PlanConfig, SkuHistory};
    /// let histories = vec![SkuHistory { sku: "A".into(), demand: vec![5.0; 30] }];
    /// let items = vec![ItemMaster::new("A", 2.0, 1.0)];
    /// let config = PlanConfig::default();
    /// let out = run_plan(&histories, &items, &config)?;
    /// let payload = out.audit_payload(&config);
    /// assert_eq!(payload["job"], "daily_plan");
    /// assert_eq!(payload["orders"][0][0], "A"); // nothing on hand: it orders
    /// # Ok::<(), forestock::Error>(())
    /// ```
    pub fn audit_payload(&self, config: &PlanConfig) -> serde_json::Value {
        let decisions: Vec<serde_json::Value> = self
            .plans
            .iter()
            .filter(|p| p.recommendation.should_reorder)
            .map(|p| serde_json::json!([p.sku, p.recommendation.order_quantity, p.recommendation.priority]))
            .collect();
        serde_json::json!({
            "job": "daily_plan",
            "status": self.stats.status,
            "config": config,
            "stats": self.stats,
            "orders": decisions,
            "failures": self.failures.iter().map(|f| (&f.sku, &f.code)).collect::<Vec<_>>(),
        })
    }

    /// The records a planning job appends to the audit log: one `run` record
    /// ([`PlanOutput::audit_payload`]).
    pub fn audit_entries(&self, config: &PlanConfig) -> Vec<crate::audit::AuditEntry> {
        vec![crate::audit::AuditEntry { kind: crate::audit::AuditKind::Run, payload: self.audit_payload(config) }]
    }
}

/// What the forecasting pass produced for one SKU.
struct Forecasted {
    pattern: DemandPattern,
    model: String,
    reason: String,
    /// Periods the model does not use, with the reason.
    unused: Vec<crate::models::DroppedPeriod>,
    /// Forecast over max(horizon, ceil(R + L)) periods with the configured levels + 95.
    forecast: Forecast,
    /// Ensemble members' forecasts over `horizon` periods.
    member_forecasts: BTreeMap<String, Vec<f64>>,
    annual_value: f64,
    /// Anomalies flagged in the history (cleaning on).
    anomalies: Vec<crate::anomaly::Anomaly>,
    /// Future events applied to `forecast`.
    events: Vec<crate::events::AppliedEvent>,
}

/// Level whose interval gives the forecast-error standard deviation of the demand model.
const SIGMA_LEVEL: f64 = 95.0;

/// Run the planning job: forecast every SKU (in parallel), classify the catalogue, recommend orders.
///
/// Histories and items are joined by SKU. A SKU without item master data, an item without history,
/// a duplicate SKU, bad values or a model failure put that SKU into [`PlanOutput::failures`] with its
/// reason; every other SKU is planned. Deterministic: the output does not depend on the thread
/// count. Memory is linear in the input.
///
/// ```
/// use forestock::plan::{run_plan, ItemMaster, PlanConfig, SkuHistory};
/// let weekly = |base: f64| (0..104).map(|t| base + ((t * 7) % 5) as f64).collect::<Vec<f64>>();
/// let histories = vec![
///     SkuHistory { sku: "A-1".into(), demand: weekly(40.0) },
///     SkuHistory { sku: "B-2".into(), demand: vec![1.0, f64::NAN, 2.0] }, // fails alone
/// ];
/// let items = vec![ItemMaster::new("A-1", 12.5, 2.0).with_on_hand(30.0), ItemMaster::new("B-2", 3.0, 1.0)];
/// let out = run_plan(&histories, &items, &PlanConfig::default())?;
/// assert_eq!((out.plans.len(), out.failures.len()), (1, 1));
/// let a = &out.plans[0].recommendation;
/// println!("A-1: order {} (reorder point {:.1})", a.order_quantity, a.reorder_point);
/// assert_eq!(out.failures[0].sku, "B-2");
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn run_plan(histories: &[SkuHistory], items: &[ItemMaster], config: &PlanConfig) -> Result<PlanOutput> {
    run_plan_with(histories, items, config, &Control::new())
}

/// [`run_plan`] under a [`Control`]: progress is reported per SKU forecast (from worker threads)
/// and the run returns [`Error::Cancelled`] once the caller's flag is set.
pub fn run_plan_with(
    histories: &[SkuHistory],
    items: &[ItemMaster],
    config: &PlanConfig,
    control: &Control<'_>,
) -> Result<PlanOutput> {
    run_plan_checked(histories, items, &[], config, control)
}

/// [`run_plan_with`] with the SKUs already rejected while reading the caller's input
/// ([`read_item_rows`], [`duplicate_period`], [`missing_ids`]): a rejected SKU is reported once in
/// `failures` (its first rejection) and never planned, whatever other rows it has; a rejection with
/// an empty `sku` (a row without an id) is reported as is.
///
/// Every SKU appears at most once in `failures`, and never in both `plans` and `failures`.
pub fn run_plan_checked(
    histories: &[SkuHistory],
    items: &[ItemMaster],
    rejected: &[SkuFailure],
    config: &PlanConfig,
    control: &Control<'_>,
) -> Result<PlanOutput> {
    run_plan_events(histories, items, rejected, &crate::events::PlanEvents::default(), config, control)
}

/// [`run_plan_checked`] with known events ([`crate::events`]): each SKU is fitted on its history with
/// its past event periods replaced by the baseline, and its forecast (over the horizon and the
/// protection period R + L, so the order too) carries its future events. An event error (a future
/// event never seen in the SKU's past without an uplift, a bad uplift, labels not one per period)
/// fails that SKU alone, naming it.
pub fn run_plan_events(
    histories: &[SkuHistory],
    items: &[ItemMaster],
    rejected: &[SkuFailure],
    events: &crate::events::PlanEvents,
    config: &PlanConfig,
    control: &Control<'_>,
) -> Result<PlanOutput> {
    // The plan's setting is `horizon` (PlanConfig, Python `fs.plan(horizon=)`, Node `{ horizon }`).
    validate_horizon(config.horizon).map_err(|e| match e {
        Error::InvalidParameter { value, reason, .. } => {
            Error::InvalidParameter { name: "horizon".into(), value, reason }
        }
        other => other,
    })?;
    validate_levels(&config.levels)?;
    crate::limits::check_batch_size(histories.len(), config.horizon, config.levels.len())?;
    if !(config.periods_per_year.is_finite() && config.periods_per_year > 0.0) {
        return Err(Error::invalid_parameter("periods_per_year", config.periods_per_year, "must be > 0"));
    }
    AbcThresholds::new(config.abc.a, config.abc.b)?;
    ServiceLevels::new(config.service_levels.a, config.service_levels.b, config.service_levels.c)?;
    if !config.ensemble_weights.is_empty() && !matches!(config.model, ModelSpec::Ensemble(_)) {
        return Err(Error::invalid_parameter("ensemble_weights", config.model.name(), "needs an Ensemble model"));
    }

    let mut failures = FailureLog::default();
    for f in rejected {
        failures.push(f.clone());
    }
    // A non-finite item field fails its SKU alone (named as the core spells it).
    for item in items {
        if let Err(e) = item.check_finite(FieldNames::Snake) {
            failures.push(SkuFailure::new(&item.sku, &e));
        }
    }
    // A SKU with two item rows has no trustworthy master data: it fails, whichever row is right.
    let mut item_index: HashMap<&str, &ItemMaster> = HashMap::with_capacity(items.len());
    let mut item_rows: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for item in items.iter().filter(|i| !failures.contains(&i.sku)) {
        item_index.insert(item.sku.as_str(), item);
        *item_rows.entry(item.sku.as_str()).or_default() += 1;
    }
    for item in items {
        let rows = item_rows.get(item.sku.as_str()).copied().unwrap_or(0);
        if rows > 1 && !failures.contains(&item.sku) {
            let reason = format!("{rows} item master rows for one SKU");
            failures.push(SkuFailure::new(&item.sku, &Error::CorruptRecord { position: item.sku.clone(), reason }));
            item_index.remove(item.sku.as_str());
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(histories.len());
    for h in histories {
        *seen.entry(h.sku.as_str()).or_default() += 1;
    }
    let active: Vec<&SkuHistory> = histories.iter().filter(|h| !failures.contains(&h.sku)).collect();

    let levels = with_level(&config.levels, SIGMA_LEVEL);
    let forecasted: Vec<Result<(Forecasted, &ItemMaster)>> = active
        .par_iter()
        .map(|h| {
            control.run(|| {
                forecast_sku(h, &item_index, &seen, config, &levels, events, control)
                    .map_err(|e| e.in_series(h.sku.as_str()))
            })
        })
        .collect();
    control.check()?;
    for item in items {
        if !seen.contains_key(item.sku.as_str()) {
            let e = Error::MissingData { id: item.sku.clone(), what: "no demand history".into() };
            failures.push(SkuFailure::new(&item.sku, &e));
        }
    }

    let mut ok = Vec::with_capacity(forecasted.len());
    for (h, r) in active.iter().zip(forecasted) {
        match r {
            Ok(v) => ok.push((*h, v)),
            Err(Error::InSeries { source, .. }) => failures.push(SkuFailure::new(&h.sku, &source)),
            Err(e) => failures.push(SkuFailure::new(&h.sku, &e)),
        }
    }
    let values: Vec<f64> = ok.iter().map(|(_, (f, _))| f.annual_value).collect();
    let abc = abc_classify(&values, config.abc)?;

    let recommended: Vec<Result<SkuPlan>> =
        ok.par_iter().zip(abc.par_iter()).map(|((h, (f, item)), abc)| plan_sku(h, f, item, abc, config)).collect();
    let mut plans = Vec::with_capacity(recommended.len());
    for ((h, _), r) in ok.iter().zip(recommended) {
        match r {
            Ok(p) => plans.push(p),
            Err(e) => failures.push(SkuFailure::new(&h.sku, &e)),
        }
    }
    let failures = failures.entries;
    let stats = run_stats(&plans, &failures, items);
    let notes = long_lead_times(items).into_iter().collect();
    Ok(PlanOutput { plans, failures, stats, notes })
}

/// Lead times above this many periods are reported in [`PlanOutput::notes`]: half a year of weeks,
/// where a lead time in days given for weekly demand usually lands.
pub const IMPLAUSIBLE_LEAD_TIME: f64 = 26.0;

/// One note naming the items whose lead time exceeds [`IMPLAUSIBLE_LEAD_TIME`] periods (they are still
/// planned: a long lead time can be real), or `None`.
pub fn long_lead_times(items: &[ItemMaster]) -> Option<String> {
    const SHOWN: usize = 5;
    let long: Vec<&ItemMaster> = items.iter().filter(|i| i.lead_time > IMPLAUSIBLE_LEAD_TIME).collect();
    let examples: Vec<String> = long.iter().take(SHOWN).map(|i| format!("{} ({})", i.sku, i.lead_time)).collect();
    let more = if long.len() > SHOWN { format!(", and {} more", long.len() - SHOWN) } else { String::new() };
    (!long.is_empty()).then(|| {
        format!(
            "{} SKU(s) have a lead time over {IMPLAUSIBLE_LEAD_TIME} periods: {}{more}. Lead times are in the \
             demand's periods; a lead time in days given for weekly demand looks like this",
            long.len(),
            examples.join(", ")
        )
    })
}

/// Failures in the order found, at most one per SKU (the first reason wins); rows without an id
/// (empty `sku`) are each kept.
#[derive(Default)]
struct FailureLog {
    entries: Vec<SkuFailure>,
    skus: HashSet<String>,
}

impl FailureLog {
    fn contains(&self, sku: &str) -> bool {
        self.skus.contains(sku)
    }

    fn push(&mut self, failure: SkuFailure) {
        if failure.sku.is_empty() || self.skus.insert(failure.sku.clone()) {
            self.entries.push(failure);
        }
    }
}

fn with_level(levels: &[f64], extra: f64) -> Vec<f64> {
    let mut out = levels.to_vec();
    if !out.iter().any(|l| (l - extra).abs() < 1e-9) {
        out.push(extra);
    }
    out
}

fn forecast_sku<'a>(
    history: &SkuHistory,
    items: &HashMap<&str, &'a ItemMaster>,
    seen: &HashMap<&str, usize>,
    config: &PlanConfig,
    levels: &[f64],
    events: &crate::events::PlanEvents,
    control: &Control<'_>,
) -> Result<(Forecasted, &'a ItemMaster)> {
    let sku = history.sku.as_str();
    if seen.get(sku).copied().unwrap_or(0) > 1 {
        return Err(Error::CorruptRecord { position: sku.to_string(), reason: "duplicate demand history".into() });
    }
    let item = *items
        .get(sku)
        .ok_or_else(|| Error::MissingData { id: sku.to_string(), what: "no item master data".into() })?;
    if history.demand.is_empty() {
        return Err(Error::MissingData { id: sku.to_string(), what: "no demand history".into() });
    }
    validate_non_negative(&history.demand, 1, "demand history")?;
    // Known past events first: their periods become the baseline, so the anomaly detector does not
    // flag a promotion, and neither distorts the fit.
    let prepared =
        crate::events::prepare_events(&history.demand, &events.for_sku(sku), events.season_length.as_given())?;
    let cleaned = match config.clean_anomalies {
        Some(choice) => Some(cleaning::clean_history(&prepared.baseline, choice, &config.model)?),
        None => None,
    };
    let demand = cleaned.as_ref().map_or(prepared.baseline.as_slice(), |c| c.demand.as_slice());
    let classification = classify_demand(demand)?;
    let protection = item.review_period.max(0.0) + item.lead_time.max(0.0);
    // `as` saturates (inf -> usize::MAX), so the protection interval is checked against the horizon
    // limit before the forecast over it is allocated; it names the item field that set it.
    let protection_steps = (protection.ceil() as usize).saturating_add(1);
    if protection_steps > crate::limits::MAX_HORIZON {
        return Err(Error::invalid_parameter(
            "lead_time",
            item.lead_time,
            format!(
                "review_period + lead_time ({protection} periods) must be below the forecast horizon limit {}",
                crate::limits::MAX_HORIZON
            ),
        ));
    }
    let steps = config.horizon.max(protection_steps);
    let weighted;
    let model = match (&config.model, config.ensemble_weights.get(sku)) {
        (ModelSpec::Ensemble(ensemble), Some(weights)) => {
            weighted = ModelSpec::Ensemble(ensemble.clone().with_weights(weights.clone()));
            &weighted
        }
        _ => &config.model,
    };
    let (fit, reason) = fit_with_reason(model, demand, control)?;
    let mut forecast = fit.predict(steps, levels)?;
    let applied = prepared.apply(&mut forecast);
    // Without cleaning the consumption value counts event periods as sold (they were). With cleaning
    // it is taken from the cleaned baseline, which also leaves past event periods out (a known gap).
    let consumed = if cleaned.is_some() { demand } else { history.demand.as_slice() };
    let annual_value = catalogue::annual_value(consumed, item.unit_cost, config.periods_per_year)?;
    let unused = fit.unused_periods();
    let f = Forecasted {
        pattern: classification.pattern,
        model: fit.description(),
        reason,
        unused,
        member_forecasts: fit.member_forecasts(config.horizon)?.into_iter().collect(),
        forecast,
        annual_value,
        anomalies: cleaned.map(|c| c.anomalies).unwrap_or_default(),
        events: applied,
    };
    Ok((f, item))
}

/// Fit the configured model under `control`; the reason is the routing reason of [`AutoModel`] or
/// the configured name.
fn fit_with_reason(spec: &ModelSpec, y: &[f64], control: &Control<'_>) -> Result<(Box<dyn Fitted>, String)> {
    match spec {
        ModelSpec::AutoModel(auto) => {
            let fit = auto.fit_with(y, control)?;
            let reason = fit.reason().to_string();
            Ok((Box::new(fit), reason))
        }
        other => Ok((other.fit_with(y, control)?, format!("configured model `{}`", other.name()))),
    }
}

/// Forecast one SKU's history and recommend an order, outside a catalogue run.
///
/// A single SKU has no ABC context: the target is the item's own `service_level`, else the B-class
/// level of `config`. Returns the recommendation and the service level targeted.
pub fn recommend_from_history(
    history: &[f64],
    item: &ItemMaster,
    config: &PlanConfig,
) -> Result<(Recommendation, f64)> {
    let sku = SkuHistory { sku: item.sku.clone(), demand: history.to_vec() };
    let items = HashMap::from([(item.sku.as_str(), item)]);
    let seen = HashMap::from([(item.sku.as_str(), 1usize)]);
    let none = crate::events::PlanEvents::default();
    let (f, _) = forecast_sku(&sku, &items, &seen, config, &[SIGMA_LEVEL], &none, &Control::new())?;
    let service_level = match item.service_level {
        Some(level) => level,
        None => config.service_levels.b,
    };
    Ok((decide(&f, item, service_level, config)?, service_level))
}

fn plan_sku(
    history: &SkuHistory,
    f: &Forecasted,
    item: &ItemMaster,
    abc: &AbcItem,
    config: &PlanConfig,
) -> Result<SkuPlan> {
    let service_level = config.service_levels.for_class(abc.class, item.service_level)?;
    let recommendation = decide(f, item, service_level, config)?;
    Ok(SkuPlan {
        sku: history.sku.clone(),
        abc_class: abc.class,
        usage_rank: abc.rank,
        demand_pattern: f.pattern,
        model: f.model.clone(),
        model_reason: f.reason.clone(),
        unused_periods: f.unused.clone(),
        forecast: trim_forecast(&f.forecast, config.horizon, &config.levels),
        member_forecasts: f.member_forecasts.clone(),
        service_level,
        recommendation,
        anomalies: f.anomalies.clone(),
        events: f.events.clone(),
    })
}

/// The reorder decision from a forecast: demand over R + L from the forecast means and the
/// forecast-error standard deviations implied by its 95% interval.
fn decide(f: &Forecasted, item: &ItemMaster, service_level: f64, config: &PlanConfig) -> Result<Recommendation> {
    let demand = DemandModel::from_model_forecast(&f.forecast, SIGMA_LEVEL)?;
    let distribution = if f.pattern.is_sporadic() { DemandDistribution::Discrete } else { DemandDistribution::Normal };
    let input = item.policy_input(
        config.periods_per_year,
        ServiceTarget::CycleService(service_level),
        demand,
        distribution,
        config.sizing,
    );
    recommend(&input)
}

fn trim_forecast(fc: &Forecast, h: usize, levels: &[f64]) -> Forecast {
    Forecast {
        mean: fc.mean.iter().take(h).copied().collect(),
        intervals: levels
            .iter()
            .filter_map(|&l| fc.interval(l))
            .map(|i| PredictionInterval {
                level: i.level,
                lower: i.lower.iter().take(h).copied().collect(),
                upper: i.upper.iter().take(h).copied().collect(),
            })
            .collect(),
    }
}

fn run_stats(plans: &[SkuPlan], failures: &[SkuFailure], items: &[ItemMaster]) -> RunStats {
    let cost: HashMap<&str, f64> = items.iter().map(|i| (i.sku.as_str(), i.unit_cost)).collect();
    let mut stats = RunStats { planned: plans.len(), failed: failures.len(), ..RunStats::default() };
    stats.skus = stats.planned + stats.failed;
    stats.status = RunStatus::of(stats.planned, stats.failed);
    for f in failures {
        *stats.failures_by_code.entry(f.code.clone()).or_default() += 1;
    }
    for p in plans {
        stats.anomalies_flagged += p.anomalies.len();
        stats.skus_with_anomalies += usize::from(!p.anomalies.is_empty());
        *stats.by_priority.entry(p.recommendation.priority.as_str().to_string()).or_default() += 1;
        *stats.by_abc.entry(format!("{:?}", p.abc_class)).or_default() += 1;
        let family = p.model.split(['(', ' ']).next().unwrap_or("").to_string();
        *stats.by_model.entry(family).or_default() += 1;
        if p.recommendation.should_reorder {
            stats.orders += 1;
            *stats.orders_by_priority.entry(p.recommendation.priority.as_str().to_string()).or_default() += 1;
            *stats.orders_by_abc.entry(format!("{:?}", p.abc_class)).or_default() += 1;
            stats.order_value += p.recommendation.order_quantity * cost.get(p.sku.as_str()).copied().unwrap_or(0.0);
        }
    }
    stats
}
