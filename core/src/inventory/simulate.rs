//! Seeded, deterministic Monte-Carlo simulation of inventory policies in closed loop: the one stock
//! loop of the crate.
//!
//! Decisions are judged by the service they deliver: [`simulate`] replays an (s, Q) or (R, S)
//! policy, and [`simulate_with`] / [`try_simulate_with`] any decision rule, against a [`Demand`]
//! (a stochastic [`DemandProcess`] or a recorded series) and stochastic lead times, backordering unmet
//! demand, and report the achieved cycle service level, fill rate, average stock and order counts.
//! The planner's closed-loop replay ([`crate::plan::replay_sku`]) is this loop run on a SKU's
//! recorded demand with the planner as the decision rule.
//!
//! **Timeline of period t** (integer periods):
//! 1. *Receipts.* Every order due at or before t is received.
//! 2. *Review.* The decision rule sees net stock, the pipeline and the demand to date. (R, S): when
//!    `t % R == 0`, order `S - IP` (nothing when the inventory position `IP = net stock + pipeline`
//!    is at or above S). (s, Q): every period, when `IP <= s`, order the smallest multiple `nQ` that
//!    lifts IP above s. Each positive order draws a lead time `L` (whole periods) and is due at the
//!    start of period `t + L`; an order with `L = 0` is received at once.
//! 3. *Demand.* Demand `D_t` is served from stock; what cannot be served is backordered (net stock
//!    goes negative) and served from later receipts.
//!
//! **Order crossing.** Lead times are drawn independently per order. With `allow_crossing = true`
//! a later order may arrive before an earlier one; with `false` an order never arrives before the
//! previous one (its due period is `max(t + L, previous due period)`, the sequential-supplier model
//! of Zipkin 2000 §7.3), which lengthens effective lead times slightly when the draws would cross.
//!
//! **Cycle service, the one definition** (P1 of Silver, Pyke & Thomas 2017, ch. 6: the probability
//! of no stockout per replenishment cycle). A *replenishment cycle* runs from one replenishment
//! decision to the period before the next: for (R, S) and the planner from one review to the next
//! (a review that orders nothing is a replenishment opportunity of size zero, so the cycles are the
//! R-period review cycles); for (s, Q) from one order to the next. With a fixed lead time these are
//! the textbook's receipt-to-receipt cycles shifted by L, so they have the same stockout
//! probability; with a variable lead time, counting from the decision keeps one cycle per decision,
//! where counting from receipts would merge the cycles of orders that arrive together (late ones,
//! most often) into one. A cycle is a stockout cycle when net stock is negative at the end of any
//! of its periods. The measured periods of a trial are split into cycles: the first measured period
//! opens one (a cycle begun in the warm-up is cut there), every decision closes the open cycle and
//! opens the next, and the cycle still open at the end of the trial is counted too. So every
//! measured period with unmet demand lies in a counted stockout cycle: a cycle service of 1 implies
//! a fill rate of 1. Cycle service level = non-stockout cycles / cycles. Fill rate =
//! `1 - Σ demand not served immediately from stock / Σ demand`. Average on hand and backorders are
//! end-of-period averages.
//!
//! Every random number comes from [`crate::random::Rng`]; trial `i` uses
//! `Rng::stream(seed, stream + i)`, so results are identical bit for bit for the same inputs, and a
//! catalogue replayed in parallel (one stream per SKU) is deterministic.

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

/// Where each period's demand comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Demand<'a> {
    /// Drawn from a stochastic process, independently per period and trial.
    Process(DemandProcess),
    /// A recorded demand series. `series[..history]` is known before the first period (decision
    /// rules see it as history) and period `t` has demand `series[history + t]`; every trial replays
    /// the same demand, so trials differ only in their lead-time draws.
    Recorded {
        /// The whole series: history, then the simulated periods.
        series: &'a [f64],
        /// Values known before the first simulated period.
        history: usize,
    },
}

impl From<DemandProcess> for Demand<'_> {
    fn from(process: DemandProcess) -> Self {
        Demand::Process(process)
    }
}

impl Demand<'_> {
    fn validate(&self, config: &SimulationConfig) -> Result<()> {
        match self {
            Demand::Process(process) => process.validate(),
            Demand::Recorded { series, history } => {
                let needed = history.saturating_add(config.warmup).saturating_add(config.periods);
                crate::series::validate_non_negative(series, needed, "recorded demand")
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
    /// First random stream: trial `i` draws from `Rng::stream(seed, stream + i)` (e.g. a SKU's index,
    /// so that SKUs replayed in parallel draw independent lead times).
    #[serde(default)]
    pub stream: u64,
}

impl Default for SimulationConfig {
    fn default() -> Self {
        SimulationConfig { periods: 10_000, warmup: 200, trials: 10, seed: 42, allow_crossing: false, stream: 0 }
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
/// let cfg = SimulationConfig { periods: 5_000, warmup: 50, trials: 2, seed: 7, allow_crossing: false, stream: 0 };
/// let policy = SimPolicy::OrderUpTo { review_period: 1, order_up_to: p.order_up_to };
/// let r = simulate(policy, DemandProcess::Normal { mean: 100.0, sd: 20.0 },
///                  &LeadTimeProcess::Fixed { periods: 4 }, cfg)?;
/// assert!((r.cycle_service_level - 0.95).abs() < 0.015);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn simulate<'d>(
    policy: SimPolicy,
    demand: impl Into<Demand<'d>>,
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
    /// Demand known so far: for a process, this trial's periods `0..period`; for a recorded series,
    /// the recorded history followed by periods `0..period`.
    pub history: &'a [f64],
}

/// Closed-loop replay of an arbitrary decision rule (e.g. [`super::recommend::recommend`] run every
/// period on the history to date). `decide` returns `None` when this period is not a review, or
/// `Some(q)` to review and order `q >= 0` (a zero order is a replenishment opportunity of size
/// zero). Trials start with `initial_stock` on hand and nothing on order; all other rules are those
/// of [`simulate`]. A negative or non-finite order is an [`Error::InvalidParameter`].
pub fn simulate_with<'d, F>(
    mut decide: F,
    demand: impl Into<Demand<'d>>,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
    initial_stock: f64,
) -> Result<SimulationReport>
where
    F: FnMut(&SimState<'_>) -> Option<f64>,
{
    try_simulate_with(|state: &SimState<'_>| Ok(decide(state)), demand, lead_time, config, initial_stock)
}

/// [`simulate_with`] for a decision rule that can fail (e.g. a forecast inside it): the first error
/// ends the simulation and is returned as is.
pub fn try_simulate_with<'d, F>(
    mut decide: F,
    demand: impl Into<Demand<'d>>,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
    initial_stock: f64,
) -> Result<SimulationReport>
where
    F: FnMut(&SimState<'_>) -> Result<Option<f64>>,
{
    let demand = demand.into();
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
    demand.validate(&config)?;
    let mut totals = Totals::default();
    for trial in 0..config.trials {
        let mut rng = Rng::stream(config.seed, config.stream.wrapping_add(trial as u64));
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
    demand: Demand<'_>,
    lead_time: &LeadTimeProcess,
    config: SimulationConfig,
    rng: &mut Rng,
    totals: &mut Totals,
) -> Result<()>
where
    F: FnMut(&SimState<'_>) -> Result<Option<f64>>,
{
    let mut net = initial_stock;
    // Outstanding orders: (due period, quantity).
    let mut pipeline: Vec<(usize, f64)> = Vec::new();
    // Demand drawn so far in this trial (a recorded series is its own history).
    let capacity = if matches!(demand, Demand::Process(_)) { config.warmup + config.periods } else { 0 };
    let mut drawn: Vec<f64> = Vec::with_capacity(capacity);
    let mut last_due = 0usize;
    let mut cycle_open = false;
    let mut cycle_stockout = false;
    for t in 0..config.warmup + config.periods {
        let measuring = t >= config.warmup;
        // 1. Receipts.
        pipeline.retain(|&(due, q)| {
            if due <= t {
                net += q;
                false
            } else {
                true
            }
        });
        // 2. Review.
        let on_order = pipeline.iter().map(|(_, q)| q).sum::<f64>();
        let state = SimState {
            trial,
            period: t,
            net_stock: net,
            on_order,
            inventory_position: net + on_order,
            history: match demand {
                Demand::Process(_) => &drawn,
                Demand::Recorded { series, history } => &series[..history + t],
            },
        };
        if let Some(order) = decide(&state)? {
            if !(order.is_finite() && order >= 0.0) {
                return Err(Error::invalid_parameter(
                    "order_quantity",
                    order,
                    format!("decision in trial {trial}, period {t} must be finite and >= 0"),
                ));
            }
            // Every review closes the open cycle and opens the next (a review that orders nothing
            // is a replenishment opportunity of size zero).
            if cycle_open {
                totals.cycles += 1;
                totals.stockout_cycles += u64::from(cycle_stockout);
            }
            cycle_open = measuring;
            cycle_stockout = false;
            if order > 0.0 {
                let mut due = t.saturating_add(lead_time.sample(rng) as usize);
                if !config.allow_crossing {
                    due = due.max(last_due);
                }
                last_due = last_due.max(due);
                if due <= t {
                    net += order;
                } else {
                    pipeline.push((due, order));
                }
                if measuring {
                    totals.orders += 1;
                }
            }
        }
        // The first measured period opens a cycle when no measured review has (the span before the
        // first review is a cycle too), so every measured stockout period lies in a counted cycle.
        if measuring && !cycle_open {
            cycle_open = true;
            cycle_stockout = false;
        }
        // 3. Demand.
        let d = match demand {
            Demand::Process(process) => {
                let d = process.sample(rng);
                drawn.push(d);
                d
            }
            Demand::Recorded { series, history } => series[history + t],
        };
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
        let cfg = SimulationConfig { periods: 500, warmup: 20, trials: 2, seed: 1, allow_crossing: true, stream: 0 };
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
        let cfg = SimulationConfig { periods: 100, warmup: 10, trials: 2, seed: 3, allow_crossing: false, stream: 0 };
        let lt = LeadTimeProcess::Fixed { periods: 1_000 };
        let pol = SimPolicy::OrderUpTo { review_period: 1, order_up_to: 50.0 };
        let r = simulate(pol, DemandProcess::Poisson { mean: 5.0 }, &lt, cfg)?;
        assert!(r.fill_rate < 0.05, "fill rate {}", r.fill_rate);
        // One review cycle per measured period; only the first few, served from the starting stock,
        // end without a stockout.
        assert_eq!(r.cycles, 200);
        assert!(r.cycle_service_level < 0.05, "cycle service {}", r.cycle_service_level);
        Ok(())
    }

    #[test]
    fn recorded_demand_is_replayed_as_recorded() -> Result<()> {
        // Order up to 10 every period with no lead time: each period starts with 10 on hand, so a
        // period is a stockout cycle exactly when its demand exceeds 10.
        let series = [99.0, 99.0, 4.0, 12.0, 10.0, 11.0, 0.0];
        let demand = Demand::Recorded { series: &series, history: 2 };
        let cfg = SimulationConfig { periods: 5, warmup: 0, trials: 3, seed: 1, allow_crossing: false, stream: 0 };
        let pol = SimPolicy::OrderUpTo { review_period: 1, order_up_to: 10.0 };
        let r = simulate(pol, demand, &LeadTimeProcess::Fixed { periods: 0 }, cfg)?;
        assert_eq!((r.cycles, r.stockout_cycles), (15, 6));
        assert_eq!(r.total_demand, 3.0 * 37.0);
        assert_eq!(r.unmet_demand, 3.0 * 3.0);
        // The decision rule sees the recorded history before the first period.
        let mut seen = Vec::new();
        let cfg = SimulationConfig { trials: 1, ..cfg };
        simulate_with(
            |s: &SimState<'_>| {
                seen.push(s.history.len());
                None
            },
            demand,
            &LeadTimeProcess::Fixed { periods: 0 },
            cfg,
            0.0,
        )?;
        assert_eq!(seen, vec![2, 3, 4, 5, 6]);
        // A series too short for the configured periods is a typed error naming the demand.
        let long = SimulationConfig { periods: 6, ..cfg };
        assert!(matches!(
            simulate(pol, demand, &LeadTimeProcess::Fixed { periods: 0 }, long),
            Err(Error::TooShort { .. })
        ));
        Ok(())
    }

    #[test]
    fn perfect_cycle_service_implies_perfect_fill_rate() -> Result<()> {
        for seed in 0..20 {
            let cfg = SimulationConfig { periods: 300, warmup: 5, trials: 1, seed, allow_crossing: true, stream: 0 };
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
