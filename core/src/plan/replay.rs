//! Closed-loop replay: judge the planner's decisions by the service they deliver.
//!
//! An adapter over the crate's one stock loop, [`inventory::simulate`](mod@crate::inventory::simulate):
//! the SKU's recorded demand is the demand, the periods before `warmup` are its known history, and
//! the decision rule is the plan re-run every review period on the history to date. A recommended order arrives after
//! a lead time drawn from the item's lead-time distribution (normal with the item's mean and standard
//! deviation, rounded to whole periods, at least 0); orders do not overtake each other, as with one
//! supplier; unmet demand is backordered. Every review is a replenishment opportunity (a review that
//! orders nothing is an order of size zero), so cycle service has the one definition of
//! [`inventory::simulate`](mod@crate::inventory::simulate): the share of replenishment cycles
//! without a stockout. The report also gives the fill rate (share of demand served from stock), the
//! average on-hand stock and the number of orders. Seeded and deterministic.
//!
//! Timing convention: an order placed at the start of period `t` with lead time `L` is received at the
//! start of period `t + L`, before that period's demand; so an order must cover the `R + L` periods
//! `t .. t+R+L-1`, which is the protection interval of the periodic-review policy.

use serde::{Deserialize, Serialize};

use super::{recommend_from_history, ItemMaster, PlanConfig};
use crate::error::{Error, Result};
use crate::inventory::recommend::Recommendation;
use crate::inventory::simulate::{try_simulate_with, Demand, LeadTimeProcess, SimState, SimulationConfig};
use crate::series::validate_non_negative;

/// Settings of a replay.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReplayConfig {
    /// Periods of history available before the first decision.
    pub warmup: usize,
    /// Seed of the lead-time draws.
    pub seed: u64,
}

/// What a replay achieved for one SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayReport {
    /// Replenishment cycles replayed (the definition is in
    /// [`inventory::simulate`](mod@crate::inventory::simulate)).
    pub cycles: usize,
    /// Share of replenishment cycles without a stockout.
    pub cycle_service: f64,
    /// Share of demand served from stock when it occurred.
    pub fill_rate: f64,
    /// Average on-hand stock at the end of a period.
    pub average_on_hand: f64,
    /// Orders placed.
    pub orders: usize,
    /// Service level the planner targeted.
    pub target_service: f64,
}

/// Replay the planner on one SKU's demand (the full series; the planner sees only the past).
///
/// `item` supplies lead time, review period, lot rules and the starting stock (`on_hand`; pipeline
/// and backorders start at zero). `stream` selects an independent random stream (e.g. the SKU's
/// index), so a catalogue replayed in parallel is deterministic.
pub fn replay_sku(
    demand: &[f64],
    item: &ItemMaster,
    config: &PlanConfig,
    replay: &ReplayConfig,
    stream: u64,
) -> Result<ReplayReport> {
    replay_with(demand, item, replay, stream, |history, state| recommend_from_history(history, state, config))
}

/// Replay any decision rule: at each review, `decide(history_to_date, item_with_current_stock)`
/// returns the recommendation and the service level it targets (e.g. a benchmark rule to compare
/// the planner with).
pub fn replay_with<F>(
    demand: &[f64],
    item: &ItemMaster,
    replay: &ReplayConfig,
    stream: u64,
    mut decide: F,
) -> Result<ReplayReport>
where
    F: FnMut(&[f64], &ItemMaster) -> Result<(Recommendation, f64)>,
{
    validate_non_negative(demand, replay.warmup + 1, "replay demand")?;
    if replay.warmup < 2 {
        return Err(Error::invalid_parameter("warmup", replay.warmup, "needs at least 2 periods"));
    }
    let review = item.review_period.round().max(1.0) as usize;
    let lead_time = LeadTimeProcess::RoundedNormal { mean: item.lead_time, sd: item.lead_time_sd };
    let config = SimulationConfig {
        periods: demand.len() - replay.warmup,
        warmup: 0,
        trials: 1,
        seed: replay.seed,
        allow_crossing: false,
        stream,
    };
    let mut target_service = f64::NAN;
    let review_and_order = |state: &SimState<'_>| -> Result<Option<f64>> {
        if !state.period.is_multiple_of(review) {
            return Ok(None);
        }
        let mut position = item.clone();
        position.on_hand = state.net_stock.max(0.0);
        position.backorders = (-state.net_stock).max(0.0);
        position.on_order = state.on_order;
        let (recommendation, service) = decide(state.history, &position)?;
        target_service = service;
        let ordered = recommendation.should_reorder && recommendation.order_quantity > 0.0;
        Ok(Some(if ordered { recommendation.order_quantity } else { 0.0 }))
    };
    let demand = Demand::Recorded { series: demand, history: replay.warmup };
    let report = try_simulate_with(review_and_order, demand, &lead_time, config, item.on_hand)?;
    Ok(ReplayReport {
        cycles: report.cycles as usize,
        cycle_service: if report.cycles > 0 { report.cycle_service_level } else { f64::NAN },
        fill_rate: report.fill_rate,
        average_on_hand: report.average_on_hand,
        orders: report.orders as usize,
        target_service,
    })
}
