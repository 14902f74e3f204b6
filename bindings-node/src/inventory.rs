//! Inventory functions: safety stock and reorder points, EOQ, ABC classification, one item's
//! reorder recommendation and the policy simulator. Conversion only: every formula is in
//! `forestock::inventory` (see docs/inventory.md).

use forestock::inventory::abc::{
    abc_classify as core_abc_classify, classify_demand as core_classify_demand, AbcThresholds,
};
use forestock::inventory::lot_sizing::eoq as core_eoq;
use forestock::inventory::simulate::{simulate, DemandProcess, SimulationConfig};
use forestock::inventory::{recommend as core_recommend, safety_stock as core_safety_stock, SafetyStockRequest};
use forestock::Error;
use napi_derive::napi;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::convert::{from_js, from_options, mirror, to_core_json};
use crate::errors::{guarded, to_js_error};

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&camel_parameter(e)))
}

/// The core names a bad parameter as Rust and Python spell it (`ordering_cost`); the options of these
/// functions are camelCase (`orderingCost`), so the error names it so.
fn camel_parameter(error: Error) -> Error {
    match error {
        Error::InvalidParameter { name, value, reason } => {
            Error::InvalidParameter { name: crate::spec::camel_case(&name), value, reason }
        }
        other => other,
    }
}

/// Options of `safetyStock` / `reorderPoint`: stationary per-period demand, a lead time and a
/// service target. Without `reviewPeriod` the policy is continuous review (r, Q) over the lead
/// time; with it, periodic review (R, S) over `reviewPeriod + leadTime` and the level is S.
#[napi(object)]
pub struct SafetyStockOptions {
    /// Mean demand per period.
    pub demand_mean: f64,
    /// Standard deviation of demand per period.
    pub demand_sd: f64,
    /// Mean lead time (periods).
    pub lead_time: f64,
    /// Standard deviation of the lead time (periods, default 0).
    pub lead_time_sd: Option<f64>,
    /// Target in (0, 1): a cycle service level or a fill rate, see `method`.
    pub service_level: f64,
    /// `'cycleService'` (default: probability of no stockout per cycle) or `'fillRate'`; the core's
    /// `'cycle_service'` / `'fill_rate'` and Python's `'cycle'` are accepted too.
    pub method: Option<String>,
    /// Order quantity Q; needed for a fill-rate target under continuous review.
    pub order_quantity: Option<f64>,
    /// Review period R (periods): periodic review when given.
    pub review_period: Option<f64>,
    /// `'normal'` (default) or `'discrete'` (Poisson / negative binomial, intermittent items).
    pub distribution: Option<String>,
}

/// The core request of `safetyStock` / `reorderPoint` (conversion only: `forestock::inventory::safety_stock`
/// owns the method vocabulary, the defaults and the rules).
fn request(o: &SafetyStockOptions) -> Result<SafetyStockRequest, Error> {
    let mut request = SafetyStockRequest::new(o.demand_mean, o.demand_sd, o.lead_time, o.service_level);
    request.lead_time_sd = o.lead_time_sd.unwrap_or(request.lead_time_sd);
    request.method = o.method.as_deref().map(str::parse).transpose()?.unwrap_or(request.method);
    request.order_quantity = o.order_quantity;
    request.review_period = o.review_period;
    request.distribution = o.distribution.as_deref().map(str::parse).transpose()?.unwrap_or(request.distribution);
    Ok(request)
}

/// Safety stock and level (reorder point r, or order-up-to S under periodic review).
fn policy_levels(o: &SafetyStockOptions) -> Result<(f64, f64), Error> {
    let levels = core_safety_stock(&request(o)?)?;
    Ok((levels.safety_stock, levels.reorder_point))
}

/// Safety stock: the level minus the mean demand over the protection interval.
#[napi]
pub fn safety_stock(options: SafetyStockOptions) -> napi::Result<f64, String> {
    js(guarded(|| policy_levels(&options).map(|(safety, _)| safety)))
}

/// Reorder point r (continuous review) or order-up-to level S (with `reviewPeriod`).
#[napi]
pub fn reorder_point(options: SafetyStockOptions) -> napi::Result<f64, String> {
    js(guarded(|| policy_levels(&options).map(|(_, level)| level)))
}

/// Options of `eoq`.
#[napi(object)]
pub struct EoqOptions {
    /// Fixed cost per order (K).
    pub ordering_cost: f64,
    /// Holding cost per unit per unit time (h).
    pub holding_cost: f64,
    /// Demand per unit time (λ).
    pub demand_rate: f64,
}

/// Economic order quantity and its cost per unit time.
#[napi(object)]
#[derive(Deserialize)]
pub struct EoqResult {
    /// `Q* = sqrt(2 K λ / h)`.
    pub order_quantity: f64,
    /// Ordering plus holding cost per unit time at Q*.
    pub cost: f64,
}

/// Economic order quantity (Harris 1913; stockpyl `economic_order_quantity`).
#[napi]
pub fn eoq(options: EoqOptions) -> napi::Result<EoqResult, String> {
    js(guarded(|| core_eoq(options.ordering_cost, options.holding_cost, options.demand_rate).and_then(|r| mirror(&r))))
}

/// Cut-offs of `abcClassify` (cumulative value shares).
#[napi(object)]
pub struct AbcOptions {
    /// Upper cumulative share of class A (default 0.80).
    pub a: Option<f64>,
    /// Upper cumulative share of class B (default 0.95).
    pub b: Option<f64>,
}

/// The ABC class of one item.
#[napi(object)]
#[derive(Deserialize)]
pub struct AbcItem {
    /// `'A'`, `'B'` or `'C'`.
    pub class: String,
    /// Rank by value, 1 = most valuable.
    pub rank: f64,
    /// The item's value (e.g. annual consumption value).
    pub value: f64,
    /// Share of the total value.
    pub share: f64,
    /// Cumulative share up to and including this item.
    pub cumulative_share: f64,
}

/// ABC classification by value; one entry per input value, in input order.
#[napi]
pub fn abc_classify(values: Vec<f64>, options: Option<AbcOptions>) -> napi::Result<Vec<AbcItem>, String> {
    let defaults = AbcThresholds::default();
    let options = options.unwrap_or(AbcOptions { a: None, b: None });
    js(guarded(|| {
        AbcThresholds::new(options.a.unwrap_or(defaults.a), options.b.unwrap_or(defaults.b))
            .and_then(|t| core_abc_classify(&values, t))
            .and_then(|items| mirror(&items))
    }))
}

/// Syntetos-Boylan demand classification of a history.
#[napi(object)]
#[derive(Deserialize)]
pub struct DemandClassification {
    /// Average demand interval (periods per non-zero demand); `null` when there is no demand.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the non-zero sizes.
    pub cv2: f64,
    /// Periods with non-zero demand.
    pub nonzero_periods: f64,
    /// `'smooth'`, `'erratic'`, `'intermittent'`, `'lumpy'` or `'no_demand'` (ADI 1.32, CV² 0.49).
    pub pattern: String,
}

/// Syntetos-Boylan demand pattern of a demand history.
#[napi]
pub fn classify_demand(demand: Vec<f64>) -> napi::Result<DemandClassification, String> {
    js(guarded(|| core_classify_demand(&demand).and_then(|c| mirror(&c))))
}

/// One item for `recommend` (the core's `ItemPolicyInput`; periods are planning buckets).
#[napi(object)]
#[derive(Serialize)]
pub struct ItemPolicyInput {
    /// Units on hand.
    pub on_hand: f64,
    /// Units ordered, not yet received (default 0).
    pub on_order: Option<f64>,
    /// Unfilled demand owed to customers (default 0).
    pub backorders: Option<f64>,
    /// Mean lead time (periods).
    pub lead_time: f64,
    /// Standard deviation of the lead time (default 0).
    pub lead_time_sd: Option<f64>,
    /// Review period R (default 1).
    pub review_period: Option<f64>,
    /// Minimum order quantity (default 0).
    pub moq: Option<f64>,
    /// Orders are multiples of this lot size.
    pub lot_size: Option<f64>,
    /// Largest order allowed.
    pub max_order: Option<f64>,
    /// Cost of one unit.
    pub unit_cost: f64,
    /// Fixed cost per order (needed for `sizing: 'eoq'`).
    pub ordering_cost: Option<f64>,
    /// Holding cost per period as a fraction of the unit cost.
    pub holding_cost_rate: f64,
    /// Service target.
    #[napi(ts_type = "{ kind: 'cycleService' | 'fillRate', value: number }")]
    pub service: Value,
    /// Per-period demand: stationary moments or a forecast with its error.
    #[napi(
        ts_type = "{ kind: 'stationary', mean: number, sd: number } | { kind: 'forecast', means: number[], errorSd: number[] }"
    )]
    pub demand: Value,
    /// `'normal'` (default) or `'discrete'`.
    pub distribution: Option<String>,
    /// `'orderUpTo'` (default) or `'eoq'`.
    pub sizing: Option<String>,
}

/// The reorder recommendation for one item (the core's `Recommendation`).
#[napi(object)]
#[derive(Deserialize)]
pub struct Recommendation {
    /// `onHand + onOrder - backorders`.
    pub inventory_position: f64,
    /// Whether to order now.
    pub should_reorder: bool,
    /// Units to order (0 when no order).
    pub order_quantity: f64,
    /// Reorder point.
    pub reorder_point: f64,
    /// Order-up-to level.
    pub order_up_to: f64,
    /// Safety stock.
    pub safety_stock: f64,
    /// Mean demand over the protection interval (review period + lead time).
    pub protection_mean: f64,
    /// Standard deviation of demand over the protection interval.
    pub protection_sd: f64,
    /// Economic order quantity, when an ordering cost is given.
    pub eoq: Option<f64>,
    /// `'urgent'`, `'high'`, `'medium'` or `'low'`.
    pub priority: String,
    /// Expected periods until stock runs out.
    pub periods_until_stockout: Option<f64>,
    /// First forecast period in which stock runs out, if any.
    pub stockout_period: Option<f64>,
    /// Expected holding plus ordering cost per period.
    pub expected_cost_per_period: f64,
    /// One sentence saying why: the order decision, what the priority means for it (an urgent SKU
    /// with enough on order is told to expedite), and why the quantity differs from the shortfall.
    pub reason: String,
}

/// One item's reorder recommendation (see docs/inventory.md).
#[napi]
pub fn recommend(item: ItemPolicyInput) -> napi::Result<Recommendation, String> {
    js(guarded(|| {
        from_options::<forestock::inventory::ItemPolicyInput>("item", &item)
            .and_then(|item| core_recommend(&item))
            .and_then(|r| mirror(&r))
    }))
}

/// Input of `simulatePolicy`.
#[napi(object)]
pub struct SimulationInput {
    /// The policy replayed.
    #[napi(
        ts_type = "{ kind: 'reorderPoint', reorderPoint: number, orderQuantity: number } | { kind: 'orderUpTo', reviewPeriod: number, orderUpTo: number }"
    )]
    pub policy: Value,
    /// Per-period demand process.
    #[napi(
        ts_type = "{ kind: 'normal', mean: number, sd: number } | { kind: 'poisson', mean: number } | { kind: 'intermittent', probability: number, sizeMean: number }"
    )]
    pub demand: Value,
    /// Lead-time distribution in whole periods.
    #[napi(
        ts_type = "{ kind: 'fixed', periods: number } | { kind: 'discrete', periods: number[], probabilities: number[] } | { kind: 'roundedNormal', mean: number, sd: number }"
    )]
    pub lead_time: Value,
    /// Length, replications, seed, crossing rule and first random stream (defaults: 10000 periods,
    /// 200 warm-up, 10 trials, seed 42, no crossing, stream 0).
    #[napi(
        ts_type = "{ periods?: number, warmup?: number, trials?: number, seed?: number, allowCrossing?: boolean, stream?: number }"
    )]
    pub config: Option<Value>,
}

/// What a simulated policy achieved (the core's `SimulationReport`).
#[napi(object)]
#[derive(Deserialize)]
pub struct SimulationReport {
    /// Fraction of replenishment cycles without a stockout.
    pub cycle_service_level: f64,
    /// Fraction of demand served immediately from stock.
    pub fill_rate: f64,
    /// Average end-of-period on-hand stock.
    pub average_on_hand: f64,
    /// Average end-of-period backorders.
    pub average_backorders: f64,
    /// Orders placed in measured periods.
    pub orders: f64,
    /// Replenishment cycles measured.
    pub cycles: f64,
    /// Cycles with a stockout.
    pub stockout_cycles: f64,
    /// Measured periods ending with backorders.
    pub stockout_periods: f64,
    /// Measured periods (all trials).
    pub periods: f64,
    /// Total demand in measured periods.
    pub total_demand: f64,
    /// Demand not served immediately from stock.
    pub unmet_demand: f64,
}

fn simulation(input: SimulationInput) -> Result<SimulationReport, Error> {
    let mut config = serde_json::to_value(SimulationConfig::default())?;
    if let (Value::Object(base), Some(Value::Object(given))) = (&mut config, input.config.map(to_core_json)) {
        base.extend(given);
    }
    let report = simulate(
        from_js("policy", input.policy)?,
        from_js::<DemandProcess>("demand", input.demand)?,
        &from_js("leadTime", input.lead_time)?,
        from_js("config", config)?,
    )?;
    mirror(&report)
}

/// Replay a replenishment policy in a seeded closed-loop simulation (deterministic for a seed).
#[napi]
pub fn simulate_policy(input: SimulationInput) -> napi::Result<SimulationReport, String> {
    js(guarded(|| simulation(input)))
}
