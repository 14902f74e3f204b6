//! Seeded, deterministic Monte-Carlo simulation of inventory policies in closed loop.
//!
//! Decisions are judged by the service they deliver: [`simulate`] replays an (s, Q) or (R, S)
//! policy against a stochastic demand process and stochastic lead times, backordering unmet demand,
//! and reports the achieved cycle service level, fill rate, average stock and order counts.
//!
//! **Timeline of period t** (integer periods):
//! 1. *Review.* (R, S): when `t % R == 0` and the inventory position `IP = net stock + pipeline` is
//!    below S, order `S - IP`. (s, Q): every period, when `IP <= s`, order the smallest multiple
//!    `nQ` that lifts IP above s. Each order draws a lead time `L` (whole periods) and is due at the
//!    start of period `t + L`.
//! 2. *Receipts.* Every order due at or before t is received (an order with `L = 0` arrives at once).
//! 3. *Demand.* Demand `D_t` is served from stock; what cannot be served is backordered (net stock
//!    goes negative) and served from later receipts.
//!
//! **Order crossing.** Lead times are drawn independently per order. With `allow_crossing = true`
//! a later order may arrive before an earlier one; with `false` an order never arrives before the
//! previous one (its due period is `max(t + L, previous due period)`, the sequential-supplier model
//! of Zipkin 2000 §7.3), which lengthens effective lead times slightly when the draws would cross.
//!
//! **Measurement.** The first `warmup` periods of each trial are discarded. A *replenishment cycle*
//! runs from a period with a receipt to the period before the next receipt (for (R, S) a review
//! that orders nothing still counts as a replenishment opportunity of size zero, with its own lead
//! time, so cycles run review to review as in the textbook definition); it is a stockout cycle
//! when net stock is negative at the end of any of its periods. The measured periods of a trial are
//! split into cycles: the first measured period opens one (a cycle begun in the warm-up is cut
//! there), every receipt closes the open cycle and opens the next, and the cycle still open at the
//! end of the trial is counted too. So every measured period with unmet demand lies in a counted
//! stockout cycle: a cycle service of 1 implies a fill rate of 1. Cycle service level =
//! non-stockout cycles / cycles. Fill rate =
//! `1 - Σ demand not served immediately from stock / Σ demand`. Average on hand and backorders are
//! end-of-period averages.
//!
//! Every random number comes from [`crate::random::Rng`]; trial `i` uses `Rng::stream(seed, i)`, so
//! results are identical bit for bit for the same inputs.

use serde::{Deserialize, Serialize};

use super::{non_negative, positive};
use crate::error::{Error, Result};
use crate::limits::{check_at_most, MAX_SIMULATION_PERIODS, MAX_SIMULATION_TRIALS};
use crate::random::Rng;

/// Per-period demand process.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DemandProcess {
    /// Normal demand, truncated at zero (negative draws become 0).
    Normal {
        /// Mean per period.
        mean: f64,
        /// Standard deviation per period.
        sd: f64,
    },
    /// Poisson demand.
    Poisson {
        /// Mean per period.
        mean: f64,
    },
    /// A demand occurs with probability `probability`; its size is `1 + Poisson(size_mean - 1)`.
    Intermittent {
        /// Probability of a non-zero demand in a period.
        probability: f64,
        /// Mean size of a non-zero demand (>= 1).
        size_mean: f64,
    },
}

impl DemandProcess {
    fn validate(&self) -> Result<()> {
        match *self {
            DemandProcess::Normal { mean, sd } => {
                non_negative("demand_mean", mean)?;
                non_negative("demand_sd", sd)?;
            }
            DemandProcess::Poisson { mean } => {
                non_negative("demand_mean", mean)?;
            }
            DemandProcess::Intermittent { probability, size_mean } => {
                if !(probability.is_finite() && (0.0..=1.0).contains(&probability)) {
                    return Err(Error::invalid_parameter("probability", probability, "must lie in [0, 1]"));
                }
                if !(size_mean.is_finite() && size_mean >= 1.0) {
                    return Err(Error::invalid_parameter("size_mean", size_mean, "must be finite and >= 1"));
                }
            }
        }
        Ok(())
    }

    /// Mean demand per period (for the normal process, before truncation at zero).
    pub fn mean(&self) -> f64 {
        match *self {
            DemandProcess::Normal { mean, .. } | DemandProcess::Poisson { mean } => mean,
            DemandProcess::Intermittent { probability, size_mean } => probability * size_mean,
        }
    }

    /// Variance of demand per period (for the normal process, before truncation at zero).
    pub fn variance(&self) -> f64 {
        match *self {
            DemandProcess::Normal { sd, .. } => sd * sd,
            DemandProcess::Poisson { mean } => mean,
            DemandProcess::Intermittent { probability, size_mean } => {
                let second_moment = (size_mean - 1.0) + size_mean * size_mean;
                probability * second_moment - (probability * size_mean).powi(2)
            }
        }
    }

    fn sample(&self, rng: &mut Rng) -> f64 {
        match *self {
            DemandProcess::Normal { mean, sd } => (mean + sd * rng.normal()).max(0.0),
            DemandProcess::Poisson { mean } => rng.poisson(mean) as f64,
            DemandProcess::Intermittent { probability, size_mean } => {
                if rng.uniform() < probability {
                    1.0 + rng.poisson(size_mean - 1.0) as f64
                } else {
                    0.0
                }
            }
        }
    }
}

/// Lead-time distribution in whole periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeadTimeProcess {
    /// Always the same lead time.
    Fixed {
        /// Lead time in periods.
        periods: u32,
    },
    /// A discrete distribution over lead times.
    Discrete {
        /// Possible lead times.
        periods: Vec<u32>,
        /// Their probabilities (non-negative, summing to 1).
        probabilities: Vec<f64>,
    },
    /// A normal draw rounded to the nearest whole period, floored at 0. Its exact mean and
    /// standard deviation (after rounding) are given by [`LeadTimeProcess::mean`] / [`LeadTimeProcess::sd`].
    RoundedNormal {
        /// Mean before rounding.
        mean: f64,
        /// Standard deviation before rounding.
        sd: f64,
    },
}

impl LeadTimeProcess {
    fn validate(&self) -> Result<()> {
        match self {
            LeadTimeProcess::Fixed { .. } => Ok(()),
            LeadTimeProcess::Discrete { periods, probabilities } => {
                if periods.is_empty() || periods.len() != probabilities.len() {
                    return Err(Error::invalid_parameter(
                        "probabilities",
                        format!("{} values for {} lead times", probabilities.len(), periods.len()),
                        "needs one probability per lead time (at least one)",
                    ));
                }
                for (i, &p) in probabilities.iter().enumerate() {
                    non_negative(&format!("probabilities[{i}]"), p)?;
                }
                let total: f64 = probabilities.iter().sum();
                if (total - 1.0).abs() > 1e-9 {
                    return Err(Error::invalid_parameter("probabilities", total, "must sum to 1"));
                }
                Ok(())
            }
            LeadTimeProcess::RoundedNormal { mean, sd } => {
                non_negative("lead_time", *mean)?;
                non_negative("lead_time_sd", *sd)?;
                if *mean + 10.0 * *sd > 1e6 {
                    return Err(Error::invalid_parameter("lead_time", mean, "too long to simulate"));
                }
                Ok(())
            }
        }
    }

    /// Support and probabilities of the lead time.
    fn support(&self) -> Vec<(u32, f64)> {
        match self {
            LeadTimeProcess::Fixed { periods } => vec![(*periods, 1.0)],
            LeadTimeProcess::Discrete { periods, probabilities } => {
                periods.iter().copied().zip(probabilities.iter().copied()).collect()
            }
            LeadTimeProcess::RoundedNormal { mean, sd } => {
                if *sd == 0.0 {
                    return vec![(mean.round() as u32, 1.0)];
                }
                let hi = (mean + 12.0 * sd).ceil() as u32;
                let cdf = |x: f64| super::service::standard_normal_cdf((x - mean) / sd);
                (0..=hi)
                    .map(|k| {
                        let upper = cdf(k as f64 + 0.5);
                        let lower = if k == 0 { 0.0 } else { cdf(k as f64 - 0.5) };
                        (k, upper - lower)
                    })
                    .collect()
            }
        }
    }

    /// Exact mean of the simulated (whole-period) lead time.
    pub fn mean(&self) -> f64 {
        self.support().iter().map(|(k, p)| f64::from(*k) * p).sum()
    }

    /// Exact standard deviation of the simulated (whole-period) lead time.
    pub fn sd(&self) -> f64 {
        let m = self.mean();
        self.support().iter().map(|(k, p)| (f64::from(*k) - m).powi(2) * p).sum::<f64>().max(0.0).sqrt()
    }

    fn sample(&self, rng: &mut Rng) -> u32 {
        match self {
            LeadTimeProcess::Fixed { periods } => *periods,
            LeadTimeProcess::Discrete { periods, probabilities } => {
                let u = rng.uniform();
                let mut acc = 0.0;
                for (&k, &p) in periods.iter().zip(probabilities) {
                    acc += p;
                    if u < acc {
                        return k;
                    }
                }
                periods.last().copied().unwrap_or(0)
            }
            LeadTimeProcess::RoundedNormal { mean, sd } => (mean + sd * rng.normal()).round().max(0.0) as u32,
        }
    }
}

/// The replenishment policy being replayed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimPolicy {
    /// (s, Q) reviewed every period: when IP <= s, order the smallest multiple of Q lifting IP above s.
    ReorderPoint {
        /// Reorder point s.
        reorder_point: f64,
        /// Order quantity Q (> 0).
        order_quantity: f64,
    },
    /// (R, S): every R periods order up to S.
    OrderUpTo {
        /// Review period R (>= 1).
        review_period: u32,
        /// Order-up-to level S.
        order_up_to: f64,
    },
}

/// Simulation length, replications, seed and crossing rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimulationConfig {
    /// Measured periods per trial (>= 1).
    pub periods: usize,
    /// Periods discarded at the start of each trial.
    pub warmup: usize,
    /// Independent replications (>= 1).
    pub trials: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// Whether orders may overtake each other.
    pub allow_crossing: bool,
}

impl Default for SimulationConfig {
    fn default() -> Self {
        SimulationConfig { periods: 10_000, warmup: 200, trials: 10, seed: 42, allow_crossing: false }
    }
}

/// What the policy achieved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
    pub orders: u64,
    /// Replenishment cycles measured.
    pub cycles: u64,
    /// Cycles with a stockout.
    pub stockout_cycles: u64,
    /// Measured periods ending with backorders.
    pub stockout_periods: u64,
    /// Measured periods (all trials).
    pub periods: u64,
    /// Total demand in measured periods.
    pub total_demand: f64,
    /// Demand not served immediately from stock.
    pub unmet_demand: f64,
}

#[derive(Default)]
struct Totals {
    orders: u64,
    cycles: u64,
    stockout_cycles: u64,
    stockout_periods: u64,
    periods: u64,
    demand: f64,
    unmet: f64,
    on_hand: f64,
    backorders: f64,
}

/// Replay `policy` against `demand` and `lead_time` (see the module docs for the exact rules).
///
/// ```
/// use forestock::inventory::policy::{periodic_review, DemandDistribution, DemandModel, LeadTime};
/// use forestock::inventory::service::ServiceTarget;
/// use forestock::inventory::simulate::{simulate, DemandProcess, LeadTimeProcess, SimPolicy, SimulationConfig};
/// // Base stock for N(100, 20²) demand, fixed 4-period lead time, review every period, α = 0.95.
/// let p = periodic_review(&DemandModel::stationary(100.0, 20.0)?, LeadTime::fixed(4.0)?, 1.0,
///                         ServiceTarget::CycleService(0.95), DemandDistribution::Normal)?;
/// let cfg = SimulationConfig { periods: 5_000, warmup: 50, trials: 2, seed: 7, allow_crossing: false };
/// let policy = SimPolicy::OrderUpTo { review_period: 1, order_up_to: p.order_up_to };
/// let r = simulate(policy, DemandProcess::Normal { mean: 100.0, sd: 20.0 },
///                  &LeadTimeProcess::Fixed { periods: 4 }, cfg)?;
/// assert!((r.cycle_service_level - 0.95).abs() < 0.015);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn simulate(
    policy: SimPolicy,
    demand: DemandProcess,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
) -> Result<SimulationReport> {
    validate_policy(policy)?;
    let initial_stock = match policy {
        SimPolicy::ReorderPoint { reorder_point, order_quantity } => (reorder_point + order_quantity).max(0.0),
        SimPolicy::OrderUpTo { order_up_to, .. } => order_up_to.max(0.0),
    };
    simulate_with(|state: &SimState<'_>| policy_decision(policy, state), demand, lead_time, config, initial_stock)
}

/// What a decision rule sees at the review of one period of one trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimState<'a> {
    /// Trial index (0-based).
    pub trial: usize,
    /// Period index within the trial (0-based, warm-up included).
    pub period: usize,
    /// Net stock: on hand minus backorders.
    pub net_stock: f64,
    /// Quantity ordered and not yet received.
    pub on_order: f64,
    /// `net_stock + on_order`.
    pub inventory_position: f64,
    /// Demand observed in this trial so far (periods `0..period`).
    pub history: &'a [f64],
}

/// Closed-loop replay of an arbitrary decision rule (e.g. [`super::recommend::recommend`] run every
/// period on the history to date). `decide` returns `None` when this period is not a review, or
/// `Some(q)` to review and order `q >= 0` (a zero order is a replenishment opportunity of size
/// zero). Trials start with `initial_stock` on hand and nothing on order; all other rules are those
/// of [`simulate`]. A negative or non-finite order is an [`Error::InvalidParameter`].
pub fn simulate_with<F>(
    mut decide: F,
    demand: DemandProcess,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
    initial_stock: f64,
) -> Result<SimulationReport>
where
    F: FnMut(&SimState<'_>) -> Option<f64>,
{
    demand.validate()?;
    lead_time.validate()?;
    non_negative("initial_stock", initial_stock)?;
    if config.periods == 0 {
        return Err(Error::invalid_parameter("periods", 0, "must be at least 1"));
    }
    if config.trials == 0 {
        return Err(Error::invalid_parameter("trials", 0, "must be at least 1"));
    }
    // Checked before the per-trial history is allocated (`warmup + periods` floats).
    check_at_most("periods", config.periods.saturating_add(config.warmup), MAX_SIMULATION_PERIODS)?;
    check_at_most("trials", config.trials, MAX_SIMULATION_TRIALS)?;
    let mut totals = Totals::default();
    for trial in 0..config.trials {
        let mut rng = Rng::stream(config.seed, trial as u64);
        run_trial(&mut decide, trial, initial_stock, demand, lead_time, config, &mut rng, &mut totals)?;
    }
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 1.0 };
    Ok(SimulationReport {
        cycle_service_level: ratio((totals.cycles - totals.stockout_cycles) as f64, totals.cycles as f64),
        fill_rate: ratio(totals.demand - totals.unmet, totals.demand),
        average_on_hand: totals.on_hand / totals.periods as f64,
        average_backorders: totals.backorders / totals.periods as f64,
        orders: totals.orders,
        cycles: totals.cycles,
        stockout_cycles: totals.stockout_cycles,
        stockout_periods: totals.stockout_periods,
        periods: totals.periods,
        total_demand: totals.demand,
        unmet_demand: totals.unmet,
    })
}

/// The order (if this period is a review) that `policy` places in `state`.
fn policy_decision(policy: SimPolicy, state: &SimState<'_>) -> Option<f64> {
    let position = state.inventory_position;
    match policy {
        SimPolicy::OrderUpTo { review_period, order_up_to } => {
            if !state.period.is_multiple_of(review_period as usize) {
                None
            } else {
                Some((order_up_to - position).max(0.0))
            }
        }
        SimPolicy::ReorderPoint { reorder_point, order_quantity } => {
            if position <= reorder_point {
                Some((((reorder_point - position) / order_quantity).floor() + 1.0) * order_quantity)
            } else {
                None
            }
        }
    }
}

fn validate_policy(policy: SimPolicy) -> Result<()> {
    match policy {
        SimPolicy::ReorderPoint { reorder_point, order_quantity } => {
            if !reorder_point.is_finite() {
                return Err(Error::invalid_parameter("reorder_point", reorder_point, "must be finite"));
            }
            positive("order_quantity", order_quantity)?;
        }
        SimPolicy::OrderUpTo { review_period, order_up_to } => {
            if review_period == 0 {
                return Err(Error::invalid_parameter("review_period", 0, "must be at least 1"));
            }
            if !order_up_to.is_finite() {
                return Err(Error::invalid_parameter("order_up_to", order_up_to, "must be finite"));
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run_trial<F>(
    decide: &mut F,
    trial: usize,
    initial_stock: f64,
    demand: DemandProcess,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
    rng: &mut Rng,
    totals: &mut Totals,
) -> Result<()>
where
    F: FnMut(&SimState<'_>) -> Option<f64>,
{
    let mut net = initial_stock;
    // Outstanding orders: (due period, quantity).
    let mut pipeline: Vec<(usize, f64)> = Vec::new();
    let mut history: Vec<f64> = Vec::with_capacity(config.warmup + config.periods);
    let mut last_due = 0usize;
    let mut cycle_open = false;
    let mut cycle_stockout = false;
    for t in 0..config.warmup + config.periods {
        let measuring = t >= config.warmup;
        // 1. Review.
        let on_order = pipeline.iter().map(|(_, q)| q).sum::<f64>();
        let state = SimState {
            trial,
            period: t,
            net_stock: net,
            on_order,
            inventory_position: net + on_order,
            history: &history,
        };
        if let Some(order) = decide(&state) {
            if !(order.is_finite() && order >= 0.0) {
                return Err(Error::invalid_parameter(
                    "order_quantity",
                    order,
                    format!("decision in trial {trial}, period {t} must be finite and >= 0"),
                ));
            }
            // A review that orders nothing is a replenishment opportunity of size zero.
            let mut due = t.saturating_add(lead_time.sample(rng) as usize);
            if !config.allow_crossing {
                due = due.max(last_due);
            }
            last_due = last_due.max(due);
            pipeline.push((due, order));
            if measuring && order > 0.0 {
                totals.orders += 1;
            }
        }
        // 2. Receipts.
        let mut received = false;
        pipeline.retain(|&(due, q)| {
            if due <= t {
                net += q;
                received = true;
                false
            } else {
                true
            }
        });
        if received {
            if cycle_open {
                totals.cycles += 1;
                totals.stockout_cycles += u64::from(cycle_stockout);
            }
            cycle_open = measuring;
            cycle_stockout = false;
        }
        // The first measured period opens a cycle when no measured receipt has (the span before the
        // first receipt is a cycle too), so every measured stockout period lies in a counted cycle.
        if measuring && !cycle_open {
            cycle_open = true;
            cycle_stockout = false;
        }
        // 3. Demand.
        let d = demand.sample(rng);
        history.push(d);
        let served = d.min(net.max(0.0));
        net -= d;
        if measuring {
            totals.periods += 1;
            totals.demand += d;
            totals.unmet += d - served;
            totals.on_hand += net.max(0.0);
            totals.backorders += (-net).max(0.0);
            if net < 0.0 {
                totals.stockout_periods += 1;
            }
        }
        if net < 0.0 {
            cycle_stockout = true;
        }
    }
    // The cycle still open when the trial ends is counted, truncated: without it a trial whose
    // orders never arrive would report no cycles and a cycle service of 1 with a fill rate of 0.
    if cycle_open {
        totals.cycles += 1;
        totals.stockout_cycles += u64::from(cycle_stockout);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_seed_sensitive() -> Result<()> {
        let cfg = SimulationConfig { periods: 500, warmup: 20, trials: 2, seed: 1, allow_crossing: true };
        let lt = LeadTimeProcess::RoundedNormal { mean: 3.0, sd: 1.0 };
        let pol = SimPolicy::ReorderPoint { reorder_point: 40.0, order_quantity: 30.0 };
        let d = DemandProcess::Intermittent { probability: 0.4, size_mean: 3.0 };
        let a = simulate(pol, d, &lt, cfg)?;
        let b = simulate(pol, d, &lt, cfg)?;
        assert_eq!(a, b);
        let c = simulate(pol, d, &lt, SimulationConfig { seed: 2, ..cfg })?;
        assert_ne!(a, c);
        Ok(())
    }

    #[test]
    fn lead_time_moments_are_exact() {
        let lt = LeadTimeProcess::Discrete { periods: vec![3, 4, 5], probabilities: vec![0.25, 0.5, 0.25] };
        assert!((lt.mean() - 4.0).abs() < 1e-12);
        assert!((lt.sd() - 0.5f64.sqrt()).abs() < 1e-12);
        let rn = LeadTimeProcess::RoundedNormal { mean: 5.0, sd: 1.0 };
        // Flooring at 0 moves the (tiny) negative mass up: mean 5 + 2e-8.
        assert!((rn.mean() - 5.0).abs() < 1e-6);
        // Rounding adds about 1/12 to the variance.
        assert!((rn.sd().powi(2) - (1.0 + 1.0 / 12.0)).abs() < 0.01);
    }

    #[test]
    fn bad_input_is_rejected() {
        let cfg = SimulationConfig::default();
        let lt = LeadTimeProcess::Fixed { periods: 2 };
        let pol = SimPolicy::OrderUpTo { review_period: 1, order_up_to: 10.0 };
        assert!(simulate(pol, DemandProcess::Normal { mean: f64::NAN, sd: 1.0 }, &lt, cfg).is_err());
        assert!(simulate(pol, DemandProcess::Poisson { mean: -1.0 }, &lt, cfg).is_err());
        let bad_lt = LeadTimeProcess::Discrete { periods: vec![1, 2], probabilities: vec![0.5, 0.6] };
        assert!(simulate(pol, DemandProcess::Poisson { mean: 1.0 }, &bad_lt, cfg).is_err());
        let bad_pol = SimPolicy::OrderUpTo { review_period: 0, order_up_to: 10.0 };
        assert!(simulate(bad_pol, DemandProcess::Poisson { mean: 1.0 }, &lt, cfg).is_err());
        let bad_q = SimPolicy::ReorderPoint { reorder_point: 1.0, order_quantity: 0.0 };
        assert!(simulate(bad_q, DemandProcess::Poisson { mean: 1.0 }, &lt, cfg).is_err());
        assert!(
            simulate(pol, DemandProcess::Poisson { mean: 1.0 }, &lt, SimulationConfig { trials: 0, ..cfg }).is_err()
        );
        // Sizes above the documented limits are typed errors, checked before allocating.
        let huge = SimulationConfig { periods: usize::MAX, ..cfg };
        match simulate(pol, DemandProcess::Poisson { mean: 1.0 }, &lt, huge) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "periods"),
            other => panic!("unexpected {other:?}"),
        }
        let many = SimulationConfig { trials: crate::limits::MAX_SIMULATION_TRIALS + 1, ..cfg };
        assert!(matches!(
            simulate(pol, DemandProcess::Poisson { mean: 1.0 }, &lt, many),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[test]
    fn orders_that_never_arrive_are_a_stockout_cycle_not_perfect_service() -> Result<()> {
        // The lead time outlasts the trial: nothing is ever received, demand beyond the starting
        // stock goes unmet.
        let cfg = SimulationConfig { periods: 100, warmup: 10, trials: 2, seed: 3, allow_crossing: false };
        let lt = LeadTimeProcess::Fixed { periods: 1_000 };
        let pol = SimPolicy::OrderUpTo { review_period: 1, order_up_to: 50.0 };
        let r = simulate(pol, DemandProcess::Poisson { mean: 5.0 }, &lt, cfg)?;
        assert!(r.fill_rate < 0.05, "fill rate {}", r.fill_rate);
        assert_eq!((r.cycles, r.stockout_cycles), (2, 2));
        assert_eq!(r.cycle_service_level, 0.0);
        Ok(())
    }

    #[test]
    fn perfect_cycle_service_implies_perfect_fill_rate() -> Result<()> {
        for seed in 0..20 {
            let cfg = SimulationConfig { periods: 300, warmup: 5, trials: 1, seed, allow_crossing: true };
            let lt = LeadTimeProcess::RoundedNormal { mean: 3.0, sd: 2.0 };
            let pol = SimPolicy::ReorderPoint { reorder_point: 12.0, order_quantity: 10.0 };
            let r = simulate(pol, DemandProcess::Poisson { mean: 3.0 }, &lt, cfg)?;
            if r.cycle_service_level == 1.0 {
                assert_eq!(r.fill_rate, 1.0, "seed {seed}");
            }
            if r.fill_rate < 1.0 {
                assert!(r.stockout_cycles > 0, "seed {seed}");
            }
        }
        Ok(())
    }
}
