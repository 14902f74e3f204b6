//! Closed-loop replay: judge the planner's decisions by the service they deliver.
//!
//! The plan is re-run every review period on the demand history to date; a recommended order arrives
//! after a lead time drawn from the item's lead-time distribution (normal with the item's mean and
//! standard deviation, rounded to whole periods, at least 0; orders do not overtake each other, as
//! with one supplier); unmet demand is
//! backordered. The report gives the achieved cycle service level (share of review cycles that end
//! without unmet demand), the fill rate (share of demand served from stock), the average on-hand
//! stock and the number of orders. Seeded and deterministic.
//!
//! Timing convention: an order placed at the start of period `t` with lead time `L` is received at the
//! start of period `t + L`, before that period's demand; so an order must cover the `R + L` periods
//! `t .. t+R+L-1`, which is the protection interval of the periodic-review policy.

use serde::{Deserialize, Serialize};

use super::{recommend_from_history, ItemMaster, PlanConfig};
use crate::error::{Error, Result};
use crate::inventory::recommend::Recommendation;
use crate::random::Rng;
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
    /// Review cycles replayed.
    pub cycles: usize,
    /// Share of cycles that ended with no unmet demand.
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
    let mut rng = Rng::stream(replay.seed, stream);
    let mut net_stock = item.on_hand; // on hand minus backorders
    let mut pipeline: Vec<(usize, f64)> = Vec::new(); // (arrival period, quantity)
    let (mut cycles, mut good_cycles, mut orders) = (0usize, 0usize, 0usize);
    let (mut demand_total, mut served, mut on_hand_sum) = (0.0, 0.0, 0.0);
    let mut cycle_ok = true;
    let mut target_service = f64::NAN;
    for t in replay.warmup..demand.len() {
        // Receipts first.
        pipeline.retain(|&(arrival, q)| {
            if arrival <= t {
                net_stock += q;
                false
            } else {
                true
            }
        });
        let since_start = t - replay.warmup;
        if since_start.is_multiple_of(review) {
            let mut state = item.clone();
            state.on_hand = net_stock.max(0.0);
            state.backorders = (-net_stock).max(0.0);
            state.on_order = pipeline.iter().map(|p| p.1).sum();
            let (recommendation, service) = decide(&demand[..t], &state)?;
            target_service = service;
            if recommendation.should_reorder && recommendation.order_quantity > 0.0 {
                let lead = (item.lead_time + item.lead_time_sd * rng.normal()).round().max(0.0) as usize;
                // One supplier delivers in order: an order never overtakes an earlier one.
                let arrival = pipeline.iter().map(|p| p.0).max().unwrap_or(0).max(t + lead);
                if arrival <= t {
                    net_stock += recommendation.order_quantity;
                } else {
                    pipeline.push((arrival, recommendation.order_quantity));
                }
                orders += 1;
            }
        }
        let d = demand[t];
        served += d.min(net_stock.max(0.0));
        demand_total += d;
        net_stock -= d;
        if net_stock < 0.0 {
            cycle_ok = false;
        }
        on_hand_sum += net_stock.max(0.0);
        if (since_start + 1).is_multiple_of(review) {
            cycles += 1;
            good_cycles += usize::from(cycle_ok);
            cycle_ok = true;
        }
    }
    let periods = demand.len() - replay.warmup;
    Ok(ReplayReport {
        cycles,
        cycle_service: if cycles > 0 { good_cycles as f64 / cycles as f64 } else { f64::NAN },
        fill_rate: if demand_total > 0.0 { served / demand_total } else { 1.0 },
        average_on_hand: on_hand_sum / periods as f64,
        orders,
        target_service,
    })
}
