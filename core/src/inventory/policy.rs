//! Safety stock, reorder points and order-up-to levels.
//!
//! **Demand over a protection interval.** With per-period demand of mean `d` and standard deviation
//! `σ_d` (independent across periods) and a lead time of mean `L` and standard deviation `σ_L`
//! (independent of demand), the demand over `P = R + L` periods — review period plus lead time — has
//! mean `d P` and standard deviation (the random-sum formula, Silver, Pyke & Thomas 2017 eq. 6.14;
//! Hadley & Whitin 1963):
//!
//! `σ_P = sqrt(P σ_d² + d² σ_L²)`.
//!
//! When demand comes from a forecast, `d` and `σ_d²` are the averages over the protection interval of
//! the per-period forecast means and forecast-error variances, and the mean is the sum of the
//! forecast means over the interval (fractional periods are weighted; beyond the forecast horizon
//! the last value is carried forward). Using the forecast-error standard deviation rather than the
//! raw history's standard deviation keeps the part of the variation the forecast explains (trend,
//! season) out of the safety stock.
//!
//! **Policies.**
//! - Continuous review (r, Q): protection interval `L`; `r = μ_L + SS`. This assumes the inventory
//!   position is watched continuously and hits r exactly. When stock is only checked once per
//!   period, the position undershoots r before the order goes out; use the level of
//!   [`periodic_review`] with `R = 1` as the reorder point then (this is what
//!   [`super::recommend`](fn@super::recommend) does).
//! - Periodic review (R, S): protection interval `R + L`; `S = μ_{R+L} + SS`.
//!
//! **Service targets.** Cycle service α: `SS = z σ_P`, `z = Φ⁻¹(α)`. Fill rate β:
//! - (r, Q): `k` solves `G(k) - G(k + Q/σ_L) = Q(1 - β)/σ_L`, `SS = k σ_L` ([`super::service`]);
//! - (R, S): `S` solves the exact expected-shortage-per-review-cycle equation
//!   `n_{R+L}(S) - n_L(S) = (1 - β) d R` (`n_X(x) = E[(X - x)^+]`; the second term is the
//!   backorder already present when the order arrives, which the textbook form
//!   `σ G(k) = (1 - β) d R` ignores; Silver, Pyke & Thomas 2017 §7.3.3, Zipkin 2000 §6.2).
//!
//! **Intermittent demand.** With [`DemandDistribution::Discrete`], demand over the protection
//! interval is Poisson (variance <= mean) or negative binomial matched to the same mean and variance
//! ([`super::discrete`]); the reorder / order-up-to level is the smallest integer meeting the target.
//! The safety stock is then reported as `level - mean` and may be negative for very sporadic items
//! (when no demand in the interval is already likelier than the target).
//!
//! **Zero demand** (mean and variance zero) gives zero safety stock, a zero level, and no order.

use serde::{Deserialize, Serialize};

use super::discrete::DiscreteDemand;
use super::service::{k_for_fill_rate, normal_loss, z_for_cycle_service, ServiceTarget};
use super::{bracketed_root, non_negative, non_negative_slice, positive};
use crate::error::{Error, Result};
use crate::models::Forecast;

/// Lead time in periods: mean and standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeadTime {
    /// Mean lead time (periods, >= 0).
    pub mean: f64,
    /// Standard deviation of the lead time (periods, >= 0).
    pub sd: f64,
}

impl LeadTime {
    /// A stochastic lead time.
    pub fn new(mean: f64, sd: f64) -> Result<Self> {
        Ok(LeadTime { mean: non_negative("lead_time", mean)?, sd: non_negative("lead_time_sd", sd)? })
    }

    /// A deterministic lead time.
    pub fn fixed(mean: f64) -> Result<Self> {
        LeadTime::new(mean, 0.0)
    }

    fn validate(&self) -> Result<Self> {
        LeadTime::new(self.mean, self.sd)
    }
}

/// Per-period demand: stationary moments or a forecast with its error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DemandModel {
    /// Same mean and standard deviation every period.
    Stationary {
        /// Mean demand per period.
        mean: f64,
        /// Standard deviation of demand per period.
        sd: f64,
    },
    /// Per-period forecast means and forecast-error standard deviations (same length >= 1).
    Forecast {
        /// Forecast mean for periods 1, 2, ... ahead.
        means: Vec<f64>,
        /// Forecast-error standard deviation for the same periods.
        error_sd: Vec<f64>,
    },
}

impl DemandModel {
    /// Stationary demand with the given per-period mean and standard deviation.
    pub fn stationary(mean: f64, sd: f64) -> Result<Self> {
        Ok(DemandModel::Stationary { mean: non_negative("demand_mean", mean)?, sd: non_negative("demand_sd", sd)? })
    }

    /// Stationary moments estimated from a demand history: sample mean and sample standard
    /// deviation (divisor n - 1; 0 for a single observation).
    pub fn from_history(history: &[f64]) -> Result<Self> {
        if history.is_empty() {
            return Err(Error::EmptySeries);
        }
        non_negative_slice("demand", history)?;
        let n = history.len() as f64;
        let mean = history.iter().sum::<f64>() / n;
        let sd = if history.len() > 1 {
            (history.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        DemandModel::stationary(mean, sd)
    }

    /// Forecast means with one forecast-error standard deviation for every period.
    pub fn from_forecast(means: &[f64], error_sd: f64) -> Result<Self> {
        let sd = non_negative("error_sd", error_sd)?;
        DemandModel::forecast(means.to_vec(), vec![sd; means.len()])
    }

    /// Forecast means with per-period forecast-error standard deviations.
    pub fn forecast(means: Vec<f64>, error_sd: Vec<f64>) -> Result<Self> {
        if means.is_empty() {
            return Err(Error::invalid_parameter("forecast_mean", "[]", "needs at least one period"));
        }
        if error_sd.len() != means.len() {
            return Err(Error::invalid_parameter(
                "error_sd",
                format!("{} values", error_sd.len()),
                format!("must have one value per forecast period ({})", means.len()),
            ));
        }
        non_negative_slice("forecast_mean", &means)?;
        non_negative_slice("error_sd", &error_sd)?;
        Ok(DemandModel::Forecast { means, error_sd })
    }

    /// Forecast means with the error standard deviation estimated from backtest (or in-sample
    /// one-step) residuals as their root mean square `sqrt(Σ e² / n)`.
    pub fn from_forecast_residuals(means: &[f64], residuals: &[f64]) -> Result<Self> {
        if residuals.is_empty() {
            return Err(Error::invalid_parameter("residuals", "[]", "needs at least one residual"));
        }
        if let Some((i, v)) = residuals.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::invalid_parameter(format!("residuals[{i}]"), v, "must be finite"));
        }
        let rmse = (residuals.iter().map(|e| e * e).sum::<f64>() / residuals.len() as f64).sqrt();
        DemandModel::from_forecast(means, rmse)
    }

    /// Forecast means with per-period error standard deviations recovered from a symmetric normal
    /// prediction interval at `level` percent: `σ_h = (upper_h - lower_h) / (2 Φ⁻¹(0.5 + level/200))`.
    pub fn from_forecast_interval(means: &[f64], lower: &[f64], upper: &[f64], level: f64) -> Result<Self> {
        if !(level.is_finite() && level > 0.0 && level < 100.0) {
            return Err(Error::invalid_parameter("level", level, "must be a percentage in (0, 100)"));
        }
        if lower.len() != means.len() || upper.len() != means.len() {
            return Err(Error::invalid_parameter(
                "interval",
                format!("{} / {} bounds", lower.len(), upper.len()),
                format!("needs one lower and one upper bound per forecast period ({})", means.len()),
            ));
        }
        let z = z_for_cycle_service(0.5 + level / 200.0)?;
        let mut sd = Vec::with_capacity(means.len());
        for (i, (&lo, &hi)) in lower.iter().zip(upper).enumerate() {
            let width = hi - lo;
            if !(width.is_finite() && width >= 0.0) {
                return Err(Error::invalid_parameter(
                    format!("interval[{i}]"),
                    format!("[{lo}, {hi}]"),
                    "bounds must be finite with lower <= upper",
                ));
            }
            sd.push(width / (2.0 * z));
        }
        DemandModel::forecast(means.to_vec(), sd)
    }

    /// From a [`Forecast`] and the level (percent) of one of its intervals, for decisions that need
    /// demand over several periods (a protection interval).
    ///
    /// The `h`-step forecast-error standard deviation is read from the upper half-width of the
    /// interval, `σ_h = (upper_h − mean_h) / z` (a lower bound truncated at zero would understate it).
    /// Forecast errors of successive periods are correlated for models that track a level: with the
    /// linear innovations form `e_{T+h} = ε_{T+h} + Σ_{j<h} c_j ε_{T+h−j}` the ψ-weights follow from
    /// the step variances, `c_j = sqrt(σ_{j+1}² − σ_j²) / σ_1`, and the error of the cumulative demand
    /// over `k` periods has variance `σ_1² Σ_{m<k} (1 + C_m)²` with `C_m = Σ_{j≤m} c_j` (Hyndman et al.
    /// 2008, ch. 6). The model stores the per-period increments `σ_1 (1 + C_{k−1})`, so that the
    /// variances summed by [`DemandModel::window`] are those of the cumulative errors. Exact for the
    /// linear (class 1) ETS models and a close approximation for the others; a model with constant
    /// step variances (Croston, TSB, naive mean) gets independent errors. Negative forecast means
    /// (possible with additive models) are floored at zero.
    pub fn from_model_forecast(forecast: &Forecast, level: f64) -> Result<Self> {
        let interval = forecast
            .interval(level)
            .ok_or_else(|| Error::invalid_parameter("level", level, "the forecast has no interval at this level"))?;
        let z = z_for_cycle_service(0.5 + level / 200.0)?;
        let means: Vec<f64> = forecast.mean.iter().map(|m| if *m > 0.0 { *m } else { 0.0 }).collect();
        let mut step_sd = Vec::with_capacity(means.len());
        for (i, (u, m)) in interval.upper.iter().zip(&forecast.mean).enumerate() {
            let sd = (u - m) / z;
            if !(sd.is_finite() && sd >= 0.0) {
                return Err(Error::invalid_parameter(
                    format!("interval[{i}]"),
                    format!("upper {u}, mean {m}"),
                    "upper bound must be finite and not below the mean",
                ));
            }
            step_sd.push(sd);
        }
        DemandModel::forecast(means, cumulative_error_increments(&step_sd))
    }

    /// Validate a model built by hand (e.g. deserialised).
    pub fn validate(&self) -> Result<()> {
        match self {
            DemandModel::Stationary { mean, sd } => DemandModel::stationary(*mean, *sd).map(|_| ()),
            DemandModel::Forecast { means, error_sd } => {
                DemandModel::forecast(means.clone(), error_sd.clone()).map(|_| ())
            }
        }
    }

    /// Total mean demand and average per-period mean and variance over the next `periods`
    /// periods: `(total_mean, rate, rate_variance)`.
    pub fn window(&self, periods: f64) -> (f64, f64, f64) {
        match self {
            DemandModel::Stationary { mean, sd } => (mean * periods, *mean, sd * sd),
            DemandModel::Forecast { means, error_sd } => {
                if periods <= 0.0 {
                    let m = means.first().copied().unwrap_or(0.0);
                    let s = error_sd.first().copied().unwrap_or(0.0);
                    return (0.0, m, s * s);
                }
                let (mut total, mut var) = (0.0, 0.0);
                // Forecast periods first (the last one possibly fractional) ...
                for (k, (m, s)) in means.iter().zip(error_sd).enumerate() {
                    let w = (periods - k as f64).clamp(0.0, 1.0);
                    total += w * m;
                    var += w * s * s;
                }
                // ... then the last value carried forward over the rest, in one step.
                let rest = (periods - means.len() as f64).max(0.0);
                if let (Some(m), Some(s)) = (means.last(), error_sd.last()) {
                    total += rest * m;
                    var += rest * s * s;
                }
                (total, total / periods, var / periods)
            }
        }
    }
}

/// Per-period increments `σ_1 (1 + C_{k−1})` of the cumulative forecast-error standard deviation,
/// from the `h`-step standard deviations (see [`DemandModel::from_model_forecast`]).
fn cumulative_error_increments(step_sd: &[f64]) -> Vec<f64> {
    let Some(&s1) = step_sd.first() else { return Vec::new() };
    if s1 <= 0.0 {
        return step_sd.to_vec();
    }
    let mut out = Vec::with_capacity(step_sd.len());
    let mut psi_sum = 0.0;
    let mut previous_var = s1 * s1;
    for (k, sd) in step_sd.iter().enumerate() {
        if k > 0 {
            let var = sd * sd;
            psi_sum += (var - previous_var).max(0.0).sqrt() / s1;
            previous_var = var.max(previous_var);
        }
        out.push(s1 * (1.0 + psi_sum));
    }
    out
}

/// Standard deviation of demand over a stochastic interval: `sqrt(L σ_d² + d² σ_L²)`.
///
/// ```
/// let s = forestock::inventory::policy::demand_sd_over(4.0, 1.0, 100.0, 20.0);
/// assert!((s - (4.0f64 * 400.0 + 10_000.0).sqrt()).abs() < 1e-12);
/// ```
pub fn demand_sd_over(periods_mean: f64, periods_sd: f64, demand_mean: f64, demand_sd: f64) -> f64 {
    // The lead-time term only when σ_L > 0: a huge mean with a fixed lead time is not inf·0 = NaN.
    // Squares that overflow stay inf on purpose (the caller reports the overflowing input).
    let lead_time_term = if periods_sd == 0.0 { 0.0 } else { demand_mean * demand_mean * periods_sd * periods_sd };
    (periods_mean * demand_sd * demand_sd + lead_time_term).sqrt()
}

/// Demand over a protection interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProtectionDemand {
    /// Mean length of the interval (periods).
    pub periods: f64,
    /// Mean demand over the interval.
    pub mean: f64,
    /// Standard deviation of demand over the interval.
    pub sd: f64,
    /// Average per-period demand rate over the interval.
    pub rate: f64,
}

/// Demand over `review_period + lead time` periods (`review_period = 0` for continuous review).
pub fn protection_demand(demand: &DemandModel, lead_time: LeadTime, review_period: f64) -> Result<ProtectionDemand> {
    let lead_time = lead_time.validate()?;
    let review_period = non_negative("review_period", review_period)?;
    demand.validate()?;
    let periods = review_period + lead_time.mean;
    let (mean, rate, rate_var) = demand.window(periods);
    let sd = demand_sd_over(periods, lead_time.sd, rate, rate_var.sqrt());
    // Name the input that made the interval's moments overflow: the mean overflows through the
    // rate or the interval length, the sd through the demand sd or the lead-time terms.
    let overflow = |name: &str, value: f64| {
        Err(Error::invalid_parameter(name, value, "demand over the protection interval overflows: values too large"))
    };
    if !mean.is_finite() {
        return if periods.is_finite() && periods <= rate.abs() {
            overflow("demand_mean", rate)
        } else {
            overflow("lead_time", lead_time.mean)
        };
    }
    if !sd.is_finite() {
        let demand_sd = rate_var.sqrt();
        if !(demand_sd * demand_sd * periods).is_finite() {
            return overflow("demand_sd", demand_sd);
        }
        return if (rate * lead_time.sd).is_finite() {
            overflow("lead_time", lead_time.mean)
        } else {
            overflow("lead_time_sd", lead_time.sd)
        };
    }
    Ok(ProtectionDemand { periods, mean, sd, rate })
}

/// How demand over the protection interval is distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandDistribution {
    /// Normal with the interval's mean and standard deviation.
    #[default]
    Normal,
    /// Poisson or negative binomial with the same moments (intermittent / lumpy items).
    Discrete,
}

impl DemandDistribution {
    /// The distribution suited to a Syntetos-Boylan pattern: discrete for intermittent and lumpy
    /// items (and items without demand), normal for smooth and erratic ones.
    pub fn for_pattern(pattern: super::abc::DemandPattern) -> Self {
        use super::abc::DemandPattern as P;
        match pattern {
            P::Smooth | P::Erratic => DemandDistribution::Normal,
            P::Intermittent | P::Lumpy | P::NoDemand => DemandDistribution::Discrete,
        }
    }
}

/// A continuous-review (r, Q) policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ContinuousReviewPolicy {
    /// Reorder point r: order when the inventory position falls to r or below.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Safety stock `r - μ_L`.
    pub safety_stock: f64,
    /// Lead-time demand the policy protects against.
    pub lead_time_demand: ProtectionDemand,
}

/// A periodic-review (R, S) policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodicReviewPolicy {
    /// Review period R (periods).
    pub review_period: f64,
    /// Order-up-to level S: at each review order `S - inventory position` if positive.
    pub order_up_to: f64,
    /// Safety stock `S - μ_{R+L}`.
    pub safety_stock: f64,
    /// Mean demand over R + L.
    pub protection_mean: f64,
    /// Standard deviation of demand over R + L.
    pub protection_sd: f64,
}

/// Continuous-review (r, Q) policy for a given order quantity Q (e.g. from [`super::lot_sizing`]).
pub fn continuous_review(
    demand: &DemandModel,
    lead_time: LeadTime,
    order_quantity: f64,
    target: ServiceTarget,
    distribution: DemandDistribution,
) -> Result<ContinuousReviewPolicy> {
    let q = positive("order_quantity", order_quantity)?;
    let target = target.validate()?;
    let ltd = protection_demand(demand, lead_time, 0.0)?;
    // The normal cases compute the safety stock `k σ` itself, not as `r − μ`: when μ dwarfs σ
    // (a huge lead time) the difference of the rounded sums would be 0, not the safety stock.
    let normal_safety = match (distribution, target) {
        _ if ltd.mean == 0.0 && ltd.sd == 0.0 => None,
        (DemandDistribution::Normal, ServiceTarget::CycleService(a)) => Some(z_for_cycle_service(a)? * ltd.sd),
        (DemandDistribution::Normal, ServiceTarget::FillRate(b)) => {
            Some(if ltd.sd == 0.0 { 0.0 } else { k_for_fill_rate(b, q, ltd.sd)? * ltd.sd })
        }
        _ => None,
    };
    let reorder_point = if ltd.mean == 0.0 && ltd.sd == 0.0 {
        0.0
    } else {
        match (distribution, target) {
            (DemandDistribution::Normal, _) => ltd.mean + normal_safety.unwrap_or(0.0),
            (DemandDistribution::Discrete, ServiceTarget::CycleService(a)) => {
                DiscreteDemand::from_moments(ltd.mean, ltd.sd * ltd.sd)?.quantile(a)? as f64
            }
            (DemandDistribution::Discrete, ServiceTarget::FillRate(b)) => {
                let d = DiscreteDemand::from_moments(ltd.mean, ltd.sd * ltd.sd)?;
                let q_int = q.ceil() as i64;
                let target = (1.0 - b) * q;
                smallest_integer_meeting(-q_int, ltd.mean + 10.0 * ltd.sd + 10.0, |r| {
                    Ok(d.loss(r)?.0 - d.loss(r.saturating_add(q_int))?.0 <= target)
                })? as f64
            }
        }
    };
    Ok(ContinuousReviewPolicy {
        reorder_point,
        order_quantity: q,
        safety_stock: normal_safety.unwrap_or(reorder_point - ltd.mean),
        lead_time_demand: ltd,
    })
}

/// Periodic-review (R, S) policy: protection interval `R + L`.
pub fn periodic_review(
    demand: &DemandModel,
    lead_time: LeadTime,
    review_period: f64,
    target: ServiceTarget,
    distribution: DemandDistribution,
) -> Result<PeriodicReviewPolicy> {
    let review_period = positive("review_period", review_period)?;
    let target = target.validate()?;
    let over = protection_demand(demand, lead_time, review_period)?;
    let order_up_to = if over.mean == 0.0 && over.sd == 0.0 {
        0.0
    } else {
        match (distribution, target) {
            (DemandDistribution::Normal, ServiceTarget::CycleService(a)) if lead_time.sd > 0.0 => {
                whole_period_lead_time_quantile(demand, lead_time, review_period, a)?
            }
            (DemandDistribution::Normal, ServiceTarget::CycleService(a)) => {
                over.mean + z_for_cycle_service(a)? * over.sd
            }
            (DemandDistribution::Discrete, ServiceTarget::CycleService(a)) => {
                DiscreteDemand::from_moments(over.mean, over.sd * over.sd)?.quantile(a)? as f64
            }
            (distribution, ServiceTarget::FillRate(b)) => {
                let ltd = protection_demand(demand, lead_time, 0.0)?;
                let cycle_demand = (over.mean - ltd.mean).max(0.0);
                fill_rate_order_up_to(over, ltd, cycle_demand, b, distribution)?
            }
        }
    };
    Ok(PeriodicReviewPolicy {
        review_period,
        order_up_to,
        safety_stock: order_up_to - over.mean,
        protection_mean: over.mean,
        protection_sd: over.sd,
    })
}

/// Order-up-to level for a cycle service target when the lead time is stochastic and orders arrive in
/// whole periods.
///
/// A periodic plan receives an order at the start of a period, so a lead time of `ℓ` periods acts as
/// `round(ℓ)`: the realised lead time `K` takes the values `k = 0, 1, 2, …` with the probabilities
/// of the rounded normal `P(K = k) = Φ((k + ½ − L)/σ_L) − Φ((k − ½ − L)/σ_L)` (all mass below ½ at
/// 0). Demand over `R + K` is then a mixture of normals, and `S` solves
/// `Σ_k P(K = k) Φ((S − μ_{R+k}) / σ_{R+k}) = α` (bisection). The moment approximation
/// `μ_{R+L} + z sqrt(σ²_{R+L} + d² σ_L²)` under-protects here: a late order misses a whole period
/// of demand, so the lead-time-demand distribution has a heavier right tail than the normal.
fn whole_period_lead_time_quantile(
    demand: &DemandModel,
    lead_time: LeadTime,
    review_period: f64,
    alpha: f64,
) -> Result<f64> {
    let z = z_for_cycle_service(alpha)?;
    let (mu, sigma) = (lead_time.mean, lead_time.sd);
    let lo = (mu - 8.0 * sigma).round().max(0.0) as usize;
    let hi = (mu + 8.0 * sigma).round().max(0.0) as usize;
    let components: Vec<(f64, f64, f64)> = (lo..=hi)
        .map(|k| {
            let k_f = k as f64;
            let upper = super::service::standard_normal_cdf((k_f + 0.5 - mu) / sigma);
            let lower = if k == 0 { 0.0 } else { super::service::standard_normal_cdf((k_f - 0.5 - mu) / sigma) };
            let (mean, _, rate_var) = demand.window(review_period + k_f);
            (upper - lower, mean, (rate_var * (review_period + k_f)).sqrt())
        })
        .filter(|(p, _, _)| *p > 0.0)
        .collect();
    let total: f64 = components.iter().map(|c| c.0).sum();
    let cdf = |s: f64| -> f64 {
        components
            .iter()
            .map(|&(p, m, sd)| {
                let f = if sd > 0.0 {
                    super::service::standard_normal_cdf((s - m) / sd)
                } else if s >= m {
                    1.0
                } else {
                    0.0
                };
                p * f
            })
            .sum::<f64>()
            / total
    };
    let (min_mean, max_top) = components
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &(_, m, sd)| (a.min(m), b.max(m + (z.abs() + 8.0) * sd)));
    bracketed_root(|s| cdf(s) - alpha, min_mean.min(0.0), max_top.max(1.0), false)
        .ok_or_else(|| Error::invalid_parameter("service_level", alpha, "no order-up-to level reaches it"))
}

/// `S` with `n_{R+L}(S) - n_L(S) = (1 - β) × demand per review cycle`.
fn fill_rate_order_up_to(
    over: ProtectionDemand,
    ltd: ProtectionDemand,
    cycle_demand: f64,
    fill_rate: f64,
    distribution: DemandDistribution,
) -> Result<f64> {
    let target = (1.0 - fill_rate) * cycle_demand;
    match distribution {
        DemandDistribution::Normal => {
            if over.sd == 0.0 {
                return Ok(over.mean);
            }
            let esc = |s: f64| normal_loss(s, over.mean, over.sd) - normal_loss(s, ltd.mean, ltd.sd) - target;
            bracketed_root(esc, ltd.mean, over.mean + 3.0 * over.sd, true).ok_or_else(|| {
                Error::invalid_parameter("fill_rate", fill_rate, "no order-up-to level reaches this fill rate")
            })
        }
        DemandDistribution::Discrete => {
            let d_over = DiscreteDemand::from_moments(over.mean, over.sd * over.sd)?;
            let d_lt = DiscreteDemand::from_moments(ltd.mean, ltd.sd * ltd.sd)?;
            let s = smallest_integer_meeting(0, over.mean + 10.0 * over.sd + 10.0, |s| {
                Ok(d_over.loss(s)?.0 - d_lt.loss(s)?.0 <= target)
            })?;
            Ok(s as f64)
        }
    }
}

/// Smallest integer `x >= lo` with `ok(x)`, for a predicate that is monotone (false then true),
/// searching upward from `lo` with doubling steps then bisection. `hint` is a likely upper bound.
fn smallest_integer_meeting(lo: i64, hint: f64, ok: impl Fn(i64) -> Result<bool>) -> Result<i64> {
    if ok(lo)? {
        return Ok(lo);
    }
    let mut bad = lo;
    let mut good = if hint.is_finite() && hint > lo as f64 { hint.ceil() as i64 } else { lo.saturating_add(1) };
    let mut step = (good - lo).max(1);
    let mut tries = 0;
    while !ok(good)? {
        bad = good;
        good = good.saturating_add(step);
        step = step.saturating_mul(2);
        tries += 1;
        if tries > 64 {
            return Err(Error::invalid_parameter("service_level", hint, "no integer level meets the target"));
        }
    }
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        if ok(mid)? {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Ok(good)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_demand_gives_zero_levels() -> Result<()> {
        let d = DemandModel::stationary(0.0, 0.0)?;
        let lt = LeadTime::new(3.0, 1.0)?;
        for dist in [DemandDistribution::Normal, DemandDistribution::Discrete] {
            for t in [ServiceTarget::CycleService(0.99), ServiceTarget::FillRate(0.99)] {
                let p = periodic_review(&d, lt, 1.0, t, dist)?;
                assert_eq!((p.order_up_to, p.safety_stock), (0.0, 0.0));
                let c = continuous_review(&d, lt, 10.0, t, dist)?;
                assert_eq!((c.reorder_point, c.safety_stock), (0.0, 0.0));
            }
        }
        Ok(())
    }

    #[test]
    fn forecast_window_weights_fractional_periods() -> Result<()> {
        let d = DemandModel::forecast(vec![10.0, 20.0, 30.0], vec![1.0, 2.0, 3.0])?;
        let (total, rate, var) = d.window(2.5);
        assert!((total - (10.0 + 20.0 + 15.0)).abs() < 1e-12);
        assert!((rate - 45.0 / 2.5).abs() < 1e-12);
        assert!((var - (1.0 + 4.0 + 4.5) / 2.5).abs() < 1e-12);
        // Beyond the horizon the last value is carried forward.
        let (total, _, var) = d.window(5.0);
        assert!((total - 120.0).abs() < 1e-12);
        assert!((var - (1.0 + 4.0 + 9.0 * 3.0) / 5.0).abs() < 1e-12);
        // A huge protection interval is handled in one step, not period by period.
        let (total, rate, _) = d.window(1e15);
        assert!((total - (60.0 + (1e15 - 3.0) * 30.0)).abs() / total < 1e-12 && rate > 29.0);
        Ok(())
    }

    #[test]
    fn fill_rate_periodic_meets_exact_shortage_equation() -> Result<()> {
        let d = DemandModel::stationary(100.0, 30.0)?;
        let lt = LeadTime::new(4.0, 0.5)?;
        let p = periodic_review(&d, lt, 2.0, ServiceTarget::FillRate(0.98), DemandDistribution::Normal)?;
        let over = protection_demand(&d, lt, 2.0)?;
        let ltd = protection_demand(&d, lt, 0.0)?;
        let esc = normal_loss(p.order_up_to, over.mean, over.sd) - normal_loss(p.order_up_to, ltd.mean, ltd.sd);
        assert!((esc - 0.02 * 200.0).abs() < 1e-8);
        Ok(())
    }

    #[test]
    fn discrete_policies_are_integers_meeting_target() -> Result<()> {
        let d = DemandModel::stationary(0.4, 1.1)?;
        let lt = LeadTime::new(3.0, 0.0)?;
        let p = periodic_review(&d, lt, 1.0, ServiceTarget::CycleService(0.95), DemandDistribution::Discrete)?;
        assert_eq!(p.order_up_to.fract(), 0.0);
        let dd = DiscreteDemand::from_moments(p.protection_mean, p.protection_sd.powi(2))?;
        assert!(dd.cdf(p.order_up_to as u64)? >= 0.95);
        let f = periodic_review(&d, lt, 1.0, ServiceTarget::FillRate(0.95), DemandDistribution::Discrete)?;
        assert_eq!(f.order_up_to.fract(), 0.0);
        let c = continuous_review(&d, lt, 5.0, ServiceTarget::FillRate(0.9), DemandDistribution::Discrete)?;
        assert_eq!(c.reorder_point.fract(), 0.0);
        Ok(())
    }

    #[test]
    fn model_forecast_intervals_become_error_sds() -> Result<()> {
        let z95 = z_for_cycle_service(0.975)?;
        let fc = Forecast {
            mean: vec![10.0, -2.0],
            intervals: vec![crate::models::PredictionInterval {
                level: 95.0,
                lower: vec![10.0 - 2.0 * z95, -2.0 - 3.0 * z95],
                upper: vec![10.0 + 2.0 * z95, -2.0 + 3.0 * z95],
            }],
        };
        match DemandModel::from_model_forecast(&fc, 95.0)? {
            DemandModel::Forecast { means, error_sd } => {
                assert_eq!(means, vec![10.0, 0.0]);
                // ψ-weight c_1 = sqrt(3² − 2²) / 2; increments σ_1 and σ_1 (1 + c_1).
                let c1 = 5f64.sqrt() / 2.0;
                assert!((error_sd[0] - 2.0).abs() < 1e-12);
                assert!((error_sd[1] - 2.0 * (1.0 + c1)).abs() < 1e-12, "{error_sd:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(DemandModel::from_model_forecast(&fc, 80.0).is_err());
        let r = DemandModel::from_forecast_residuals(&[5.0, 5.0], &[3.0, -4.0])?;
        assert_eq!(r, DemandModel::Forecast { means: vec![5.0, 5.0], error_sd: vec![12.5f64.sqrt(); 2] });
        Ok(())
    }

    #[test]
    fn distribution_follows_the_pattern() {
        use crate::inventory::abc::DemandPattern;
        assert_eq!(DemandDistribution::for_pattern(DemandPattern::Smooth), DemandDistribution::Normal);
        assert_eq!(DemandDistribution::for_pattern(DemandPattern::Lumpy), DemandDistribution::Discrete);
    }

    #[test]
    fn bad_inputs_are_named() {
        let err_name = |r: Result<DemandModel>| match r {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(err_name(DemandModel::stationary(-1.0, 1.0)), "demand_mean");
        assert_eq!(err_name(DemandModel::stationary(1.0, f64::NAN)), "demand_sd");
        assert_eq!(err_name(DemandModel::from_history(&[1.0, f64::NAN])), "demand[1]");
        assert_eq!(err_name(DemandModel::from_forecast_residuals(&[1.0], &[f64::INFINITY])), "residuals[0]");
        assert!(LeadTime::new(-1.0, 0.0).is_err());
        let d = DemandModel::Stationary { mean: -3.0, sd: 1.0 };
        let lt = LeadTime { mean: 1.0, sd: 0.0 };
        assert!(periodic_review(&d, lt, 1.0, ServiceTarget::CycleService(0.9), DemandDistribution::Normal).is_err());
        let ok = DemandModel::Stationary { mean: 3.0, sd: 1.0 };
        assert!(periodic_review(&ok, lt, 0.0, ServiceTarget::CycleService(0.9), DemandDistribution::Normal).is_err());
        assert!(periodic_review(&ok, lt, 1.0, ServiceTarget::CycleService(1.0), DemandDistribution::Normal).is_err());
    }
}

#[cfg(test)]
mod correlated_error_tests {
    use super::*;

    /// For the local level model (ETS(A,N,N)) the h-step variance is σ²(1 + (h−1)α²) and the error of
    /// the sum of the next k values is Σ_{i=1..k} ε_{T+i}(1 + α(k−i)), variance σ² Σ_{m<k} (1 + mα)².
    #[test]
    fn local_level_cumulative_variance_is_exact() {
        let (sigma, alpha) = (3.0f64, 0.4f64);
        let step: Vec<f64> = (0..6).map(|h| sigma * (1.0 + h as f64 * alpha * alpha).sqrt()).collect();
        let inc = cumulative_error_increments(&step);
        for k in 1..=6 {
            let ours: f64 = inc[..k].iter().map(|s| s * s).sum();
            let exact: f64 = (0..k).map(|m| (sigma * (1.0 + m as f64 * alpha)).powi(2)).sum();
            assert!((ours - exact).abs() < 1e-9 * exact, "k={k}: {ours} vs {exact}");
        }
        // Constant step variances: independent errors.
        assert_eq!(cumulative_error_increments(&[2.0, 2.0, 2.0]), vec![2.0, 2.0, 2.0]);
        assert!(cumulative_error_increments(&[]).is_empty());
    }
}
