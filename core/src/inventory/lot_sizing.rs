//! Lot sizing: the EOQ family, quantity discounts, (r, Q) approximations and the newsvendor.
//!
//! Formulas and conventions follow Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed.,
//! 2019), chapters 3-5, as implemented in stockpyl 1.0.2 (`eoq`, `rq`, `newsvendor`); every result
//! here is checked against figures computed by calling stockpyl (see `tests/tests/suite/stockpyl_parity.rs`).
//! Notation: `K` fixed cost per order, `h` holding cost per unit per unit time, `p` stockout
//! (backorder) cost per unit (per unit time for the EOQB, per unit for (r, Q)), `λ` demand rate per
//! unit time, `L` lead time, `μ = λL`, `σ = σ_λ sqrt(L)` lead-time demand moments.
//!
//! | function | formula |
//! |---|---|
//! | [`eoq`] | `Q* = sqrt(2Kλ/h)`, `g(Q*) = h Q*`; `g(Q) = Kλ/Q + hQ/2` ([`eoq_cost`]) |
//! | [`eoq_with_backorders`] | `Q* = sqrt(2Kλ(h+p)/(hp))`, `x* = h/(h+p)`, `g* = Q* hp/(h+p)` |
//! | [`epq`] | `ρ = λ/P`, `Q* = sqrt(2Kλ/(h(1-ρ)))`, `g* = Q* h (1-ρ)` |
//! | [`eoq_all_units_discount`] | best of realizable `Q_j = sqrt(2Kλ/(i c_j))` and the breakpoints, `g_j(Q) = c_jλ + Kλ/Q + i c_j Q/2` |
//! | [`eoq_incremental_discount`] | `c̄_j = Σ_{i<j} c_i(b_{i+1}-b_i) - c_j b_j`, `Q_j = sqrt(2(K+c̄_j)λ/(i c_j))`, `g_j = c_jλ + i c̄_j/2 + (K+c̄_j)λ/Q + i c_j Q/2` |
//! | [`rq_eoqss_approximation`] | `Q = EOQ`, `r = μ + σ Φ⁻¹(p/(p+h))` |
//! | [`rq_eoqb_approximation`] | `Q = EOQB`, `r` solving `g(r) = g(r+Q)` with the newsvendor cost `g` |
//! | [`rq_loss_function_approximation`] | iterate `n(r) = hQ/(h+p)`, `Q = sqrt(2(Kλ + (h+p) n₂(r))/h)` |
//! | [`rq_eil_approximation`] | iterate `r = F⁻¹(1 - Qh/(pλ))`, `Q = sqrt(2λ(K + p n(r))/h)`; cost `h(r-μ+Q/2) + Kλ/Q + pλ n(r)/Q` |
//! | [`rq_cost`] | exact `g(r,Q) = (Kλ + ∫_r^{r+Q} g(y) dy)/Q`, `g(y) = h(y-μ) + (h+p) n(y)`, integrated in closed form with `n₂` |
//! | [`newsvendor_normal`] | `S* = μ + σ Φ⁻¹(p/(p+h))`, `g* = (h+p) σ φ(Φ⁻¹(p/(p+h)))` |
//! | [`newsvendor_poisson`] | `S*` = smallest integer with `F(S) >= p/(p+h)`; `g = h n̄(S) + p n(S)` |
//! | [`rq_cost_poisson`], [`rq_poisson_exact`] | `g(r,Q) = (Kλ + Σ_{y=r+1}^{r+Q} g(y))/Q`; Federgruen-Zheng search |

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::discrete::DiscreteDemand;
use super::service::{normal_loss, normal_second_loss, standard_normal_loss};
use super::{bracketed_root, non_negative, open_probability, positive};
use crate::error::{Error, Result};

/// An order quantity and its cost per unit time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EoqResult {
    /// Order quantity.
    pub order_quantity: f64,
    /// Average cost per unit time (ordering + holding).
    pub cost: f64,
}

/// EOQ with planned backorders.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BackorderEoqResult {
    /// Order quantity.
    pub order_quantity: f64,
    /// Fraction of each cycle spent in stockout.
    pub stockout_fraction: f64,
    /// Average cost per unit time.
    pub cost: f64,
}

/// EOQ under quantity discounts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DiscountEoqResult {
    /// Order quantity.
    pub order_quantity: f64,
    /// Index of the price region the quantity falls in.
    pub region: usize,
    /// Average cost per unit time including purchase cost.
    pub cost: f64,
}

/// An (r, Q) policy from one of the approximations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RqResult {
    /// Reorder point r.
    pub reorder_point: f64,
    /// Order quantity Q.
    pub order_quantity: f64,
    /// Expected cost per unit time when the method reports one.
    pub cost: Option<f64>,
}

/// A newsvendor / base-stock solution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NewsvendorResult {
    /// Base-stock (order-up-to) level.
    pub base_stock_level: f64,
    /// Expected holding + stockout cost.
    pub cost: f64,
}

/// Cost inputs of the (r, Q) models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RqCosts {
    /// Holding cost per unit per unit time `h > 0`.
    pub holding_cost: f64,
    /// Stockout cost per unit backordered `p > 0`.
    pub stockout_cost: f64,
    /// Fixed cost per order `K > 0`.
    pub fixed_cost: f64,
}

impl RqCosts {
    fn validate(&self) -> Result<Self> {
        Ok(RqCosts {
            holding_cost: positive("holding_cost", self.holding_cost)?,
            stockout_cost: positive("stockout_cost", self.stockout_cost)?,
            fixed_cost: positive("fixed_cost", self.fixed_cost)?,
        })
    }
}

/// Normal demand per unit time and a deterministic lead time, as the (r, Q) models take them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RqDemand {
    /// Mean demand per unit time λ.
    pub demand_mean: f64,
    /// Standard deviation of demand per unit time.
    pub demand_sd: f64,
    /// Lead time L.
    pub lead_time: f64,
}

impl RqDemand {
    /// `(λ, μ = λL, σ = σ_λ sqrt(L))`, validated (μ and σ must be positive).
    fn lead_time_moments(&self) -> Result<(f64, f64, f64)> {
        let lambda = positive("demand_mean", self.demand_mean)?;
        let sd = positive("demand_sd", self.demand_sd)?;
        let lt = positive("lead_time", self.lead_time)?;
        Ok((lambda, lambda * lt, sd * lt.sqrt()))
    }
}

/// Reject results that overflowed (e.g. `2Kλ/h` with λ = 1e300, h = 1e-300).
fn finite(function: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::invalid_parameter(function, value, "result is not finite: inputs too large or too small"))
    }
}

fn std_normal() -> Result<Normal> {
    Normal::new(0.0, 1.0).map_err(|e| Error::invalid_parameter("normal", "N(0,1)", e.to_string()))
}

/// Economic order quantity `Q* = sqrt(2Kλ/h)` with cost `hQ*`.
///
/// ```
/// let r = forestock::inventory::lot_sizing::eoq(8.0, 0.225, 1300.0)?;
/// assert!((r.order_quantity - 304.046_780_026_436_8).abs() < 1e-9);
/// # Ok::<(), forestock::Error>(())
/// ```
///
/// The fixed cost per order `K` is named `ordering_cost` in errors, as the item master and the
/// bindings (`fs.eoq(ordering_cost=)`, Node `eoq({ orderingCost })`) call it.
pub fn eoq(ordering_cost: f64, holding_cost: f64, demand_rate: f64) -> Result<EoqResult> {
    let k = positive("ordering_cost", ordering_cost)?;
    let h = positive("holding_cost", holding_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let q = finite("eoq", (2.0 * k * lambda / h).sqrt())?;
    Ok(EoqResult { order_quantity: q, cost: finite("eoq", q * h)? })
}

/// EOQ cost of an arbitrary order quantity: `Kλ/Q + hQ/2`.
pub fn eoq_cost(fixed_cost: f64, holding_cost: f64, demand_rate: f64, order_quantity: f64) -> Result<f64> {
    let k = positive("fixed_cost", fixed_cost)?;
    let h = positive("holding_cost", holding_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let q = positive("order_quantity", order_quantity)?;
    finite("eoq_cost", k * lambda / q + h * q / 2.0)
}

/// EOQ with planned backorders (stockout cost `p` per unit per unit time).
pub fn eoq_with_backorders(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_rate: f64,
) -> Result<BackorderEoqResult> {
    let k = positive("fixed_cost", fixed_cost)?;
    let h = positive("holding_cost", holding_cost)?;
    let p = positive("stockout_cost", stockout_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let q = finite("eoq_with_backorders", (2.0 * k * lambda * (h + p) / (h * p)).sqrt())?;
    let cost = finite("eoq_with_backorders", q * (h * p) / (h + p))?;
    Ok(BackorderEoqResult { order_quantity: q, stockout_fraction: finite("eoq_with_backorders", h / (h + p))?, cost })
}

/// Economic production quantity with finite production rate `P > λ`.
pub fn epq(fixed_cost: f64, holding_cost: f64, demand_rate: f64, production_rate: f64) -> Result<EoqResult> {
    let k = positive("fixed_cost", fixed_cost)?;
    let h = positive("holding_cost", holding_cost)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    let prod = positive("production_rate", production_rate)?;
    if lambda >= prod {
        return Err(Error::invalid_parameter("production_rate", prod, "must exceed the demand rate"));
    }
    let rho = lambda / prod;
    let q = finite("epq", (2.0 * k * lambda / (h * (1.0 - rho))).sqrt())?;
    Ok(EoqResult { order_quantity: q, cost: finite("epq", q * h * (1.0 - rho))? })
}

fn validate_discounts(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<(f64, f64, f64)> {
    let k = positive("fixed_cost", fixed_cost)?;
    let i = positive("holding_cost_rate", holding_cost_rate)?;
    let lambda = non_negative("demand_rate", demand_rate)?;
    if breakpoints.first() != Some(&0.0) {
        return Err(Error::invalid_parameter("breakpoints", format!("{breakpoints:?}"), "must start with 0"));
    }
    if breakpoints.windows(2).any(|w| !(w[1].is_finite() && w[1] > w[0])) {
        return Err(Error::invalid_parameter(
            "breakpoints",
            format!("{breakpoints:?}"),
            "must be finite and strictly increasing",
        ));
    }
    if unit_costs.len() != breakpoints.len() {
        return Err(Error::invalid_parameter(
            "unit_costs",
            format!("{} values", unit_costs.len()),
            "needs one unit cost per breakpoint",
        ));
    }
    for (j, &c) in unit_costs.iter().enumerate() {
        positive(&format!("unit_costs[{j}]"), c)?;
    }
    Ok((k, i, lambda))
}

/// Keep the first candidate with the smallest cost (stockpyl's `min` over the candidate list).
fn cheapest(candidates: Vec<DiscountEoqResult>) -> Result<DiscountEoqResult> {
    let mut best: Option<DiscountEoqResult> = None;
    for c in candidates {
        if best.is_none_or(|b| c.cost < b.cost) {
            best = Some(c);
        }
    }
    let best = best.ok_or_else(|| Error::invalid_parameter("breakpoints", "[]", "no realizable order quantity"))?;
    finite("quantity_discount", best.order_quantity)?;
    finite("quantity_discount", best.cost)?;
    Ok(best)
}

fn realizable(q: f64, j: usize, breakpoints: &[f64]) -> bool {
    let lo = breakpoints.get(j).copied().unwrap_or(f64::INFINITY);
    match breakpoints.get(j + 1) {
        Some(&hi) => lo <= q && q < hi,
        None => q >= lo,
    }
}

/// EOQ with all-units quantity discounts: unit cost `c_j` applies to the whole order when
/// `b_j <= Q < b_{j+1}`; holding cost is `i c_j` per unit per unit time.
pub fn eoq_all_units_discount(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<DiscountEoqResult> {
    let (k, i, lambda) = validate_discounts(fixed_cost, holding_cost_rate, demand_rate, breakpoints, unit_costs)?;
    let g = |q: f64, c: f64| c * lambda + k * lambda / q + i * c * q / 2.0;
    let mut candidates = Vec::new();
    for (j, &c) in unit_costs.iter().enumerate() {
        let q = (2.0 * k * lambda / (i * c)).sqrt();
        if realizable(q, j, breakpoints) {
            candidates.push(DiscountEoqResult { order_quantity: q, region: j, cost: g(q, c) });
        }
    }
    for (j, (&b, &c)) in breakpoints.iter().zip(unit_costs).enumerate().skip(1) {
        candidates.push(DiscountEoqResult { order_quantity: b, region: j, cost: g(b, c) });
    }
    cheapest(candidates)
}

/// EOQ with incremental quantity discounts: unit cost `c_j` applies only to the units between
/// `b_j` and `b_{j+1}`.
pub fn eoq_incremental_discount(
    fixed_cost: f64,
    holding_cost_rate: f64,
    demand_rate: f64,
    breakpoints: &[f64],
    unit_costs: &[f64],
) -> Result<DiscountEoqResult> {
    let (k, i, lambda) = validate_discounts(fixed_cost, holding_cost_rate, demand_rate, breakpoints, unit_costs)?;
    let mut candidates = Vec::new();
    let mut paid_below = 0.0; // Σ_{i<j} c_i (b_{i+1} - b_i)
    for (j, (&b, &c)) in breakpoints.iter().zip(unit_costs).enumerate() {
        if j > 0 {
            paid_below += unit_costs[j - 1] * (b - breakpoints[j - 1]);
        }
        let c_bar = if j == 0 { 0.0 } else { paid_below - c * b };
        let q = (2.0 * (k + c_bar) * lambda / (i * c)).sqrt();
        if realizable(q, j, breakpoints) {
            let cost = c * lambda + i * c_bar / 2.0 + (k + c_bar) * lambda / q + i * c * q / 2.0;
            candidates.push(DiscountEoqResult { order_quantity: q, region: j, cost });
        }
    }
    cheapest(candidates)
}

/// Newsvendor cost `g(S) = h E[(S - D)^+] + p E[(D - S)^+]` for normal demand.
pub fn newsvendor_normal_cost(
    base_stock_level: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
) -> Result<f64> {
    let h = positive("holding_cost", holding_cost)?;
    let p = positive("stockout_cost", stockout_cost)?;
    let mu = non_negative("demand_mean", demand_mean)?;
    let sd = non_negative("demand_sd", demand_sd)?;
    if !base_stock_level.is_finite() {
        return Err(Error::invalid_parameter("base_stock_level", base_stock_level, "must be finite"));
    }
    let n = normal_loss(base_stock_level, mu, sd);
    Ok(h * (base_stock_level - mu + n) + p * n)
}

/// Newsvendor with normal demand: `S* = μ + σ Φ⁻¹(p/(p+h))`, cost `(h+p) σ φ(z*)`.
pub fn newsvendor_normal(
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
    demand_sd: f64,
) -> Result<NewsvendorResult> {
    let h = positive("holding_cost", holding_cost)?;
    let p = positive("stockout_cost", stockout_cost)?;
    let mu = non_negative("demand_mean", demand_mean)?;
    let sd = non_negative("demand_sd", demand_sd)?;
    let z = std_normal()?.inverse_cdf(p / (p + h));
    let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    Ok(NewsvendorResult {
        base_stock_level: finite("newsvendor_normal", mu + sd * z)?,
        cost: finite("newsvendor_normal", (h + p) * pdf * sd)?,
    })
}

/// Newsvendor cost at integer `S` for Poisson demand.
pub fn newsvendor_poisson_cost(
    base_stock_level: i64,
    holding_cost: f64,
    stockout_cost: f64,
    demand_mean: f64,
) -> Result<f64> {
    let h = positive("holding_cost", holding_cost)?;
    let p = positive("stockout_cost", stockout_cost)?;
    let mu = positive("demand_mean", demand_mean)?;
    let (n, n_bar) = DiscreteDemand::Poisson { mean: mu }.loss(base_stock_level)?;
    Ok(h * n_bar + p * n)
}

/// Newsvendor with Poisson demand: smallest integer `S` with `F(S) >= p/(p+h)`.
pub fn newsvendor_poisson(holding_cost: f64, stockout_cost: f64, demand_mean: f64) -> Result<NewsvendorResult> {
    let h = positive("holding_cost", holding_cost)?;
    let p = positive("stockout_cost", stockout_cost)?;
    let mu = positive("demand_mean", demand_mean)?;
    let s = DiscreteDemand::Poisson { mean: mu }.quantile(p / (p + h))? as i64;
    Ok(NewsvendorResult { base_stock_level: s as f64, cost: newsvendor_poisson_cost(s, h, p, mu)? })
}

/// (r, Q) EOQ + safety-stock approximation: `Q = EOQ`, `r` = newsvendor level of lead-time demand.
pub fn rq_eoqss_approximation(costs: RqCosts, demand: RqDemand) -> Result<RqResult> {
    let c = costs.validate()?;
    let (lambda, mu, sigma) = demand.lead_time_moments()?;
    let q = eoq(c.fixed_cost, c.holding_cost, lambda)?.order_quantity;
    let r = newsvendor_normal(c.holding_cost, c.stockout_cost, mu, sigma)?.base_stock_level;
    Ok(RqResult {
        reorder_point: finite("reorder_point", r)?,
        order_quantity: finite("order_quantity", q)?,
        cost: None,
    })
}

/// (r, Q) EOQ-with-backorders approximation: `Q = EOQB`, `r` solving `g(r) = g(r + Q)`.
pub fn rq_eoqb_approximation(costs: RqCosts, demand: RqDemand) -> Result<RqResult> {
    let c = costs.validate()?;
    let (lambda, mu, sigma) = demand.lead_time_moments()?;
    let q = eoq_with_backorders(c.fixed_cost, c.holding_cost, c.stockout_cost, lambda)?.order_quantity;
    let g = |y: f64| c.holding_cost * (y - mu) + (c.holding_cost + c.stockout_cost) * normal_loss(y, mu, sigma);
    // g is convex: g(r) - g(r + Q) is decreasing in r.
    let r = bracketed_root(|r| g(r) - g(r + q), mu - q, mu, true)
        .ok_or_else(|| Error::invalid_parameter("order_quantity", q, "no reorder point balances g(r) = g(r+Q)"))?;
    Ok(RqResult {
        reorder_point: finite("reorder_point", r)?,
        order_quantity: finite("order_quantity", q)?,
        cost: None,
    })
}

const RQ_TOLERANCE: f64 = 1e-10;
const RQ_MAX_ITERATIONS: usize = 10_000;

/// (r, Q) loss-function approximation (Hadley-Whitin iteration on first and second loss functions).
pub fn rq_loss_function_approximation(costs: RqCosts, demand: RqDemand) -> Result<RqResult> {
    let c = costs.validate()?;
    let (lambda, mu, sigma) = demand.lead_time_moments()?;
    let (h, p, k) = (c.holding_cost, c.stockout_cost, c.fixed_cost);
    let q0 = eoq(k, h, lambda)?.order_quantity;
    let (r, q) = iterate_rq("rq_loss_function_approximation", q0, |q| {
        let target = h * q / (h + p);
        let r = mu + sigma * standard_loss_inverse(target / sigma)?;
        Ok((r, (2.0 * (k * lambda + (h + p) * normal_second_loss(r, mu, sigma)) / h).sqrt()))
    })?;
    Ok(RqResult { reorder_point: r, order_quantity: q, cost: None })
}

/// Fixed-point iteration `(r, Q) ← step(Q)` from `Q₀` (the EOQ) until both change by at most
/// `RQ_TOLERANCE` relative, shared by the Hadley-Whitin style (r, Q) approximations.
fn iterate_rq(name: &str, q0: f64, step: impl Fn(f64) -> Result<(f64, f64)>) -> Result<(f64, f64)> {
    let (mut r, mut q) = (0.0, q0);
    for _ in 0..RQ_MAX_ITERATIONS {
        let (new_r, new_q) = step(q)?;
        let done = (new_q - q).abs() <= RQ_TOLERANCE * new_q.max(1.0)
            && (new_r - r).abs() <= RQ_TOLERANCE * new_r.abs().max(1.0);
        q = new_q;
        r = new_r;
        if !(new_r.is_finite() && new_q.is_finite()) {
            return Err(Error::invalid_parameter(name, new_q, "iteration left the finite range"));
        }
        if done {
            return Ok((r, q));
        }
    }
    Err(Error::FitFailed { model: name.into(), reason: "did not converge".into() })
}

/// `z` with `G(z) = value` (G decreases from +∞ to 0), `value > 0`.
fn standard_loss_inverse(value: f64) -> Result<f64> {
    positive("loss_value", value)?;
    bracketed_root(|z| standard_normal_loss(z) - value, -1.0, 1.0, true)
        .ok_or_else(|| Error::invalid_parameter("loss_value", value, "outside the range of G"))
}

/// (r, Q) expected-inventory-level (EIL) approximation with its cost.
pub fn rq_eil_approximation(costs: RqCosts, demand: RqDemand) -> Result<RqResult> {
    let c = costs.validate()?;
    let (lambda, mu, sigma) = demand.lead_time_moments()?;
    let (h, p, k) = (c.holding_cost, c.stockout_cost, c.fixed_cost);
    let normal = std_normal()?;
    let q0 = eoq(k, h, lambda)?.order_quantity;
    let (r, q) = iterate_rq("rq_eil_approximation", q0, |q| {
        let prob = 1.0 - q * h / (p * lambda);
        let prob = open_probability("stockout_cost", prob).map_err(|_| {
            Error::invalid_parameter("stockout_cost", p, "too small for the EIL approximation (Qh >= pλ)")
        })?;
        let r = mu + sigma * normal.inverse_cdf(prob);
        Ok((r, (2.0 * lambda * (k + p * normal_loss(r, mu, sigma)) / h).sqrt()))
    })?;
    let n = normal_loss(r, mu, sigma);
    let cost = h * (r - mu + q / 2.0) + k * lambda / q + p * lambda * n / q;
    Ok(RqResult { reorder_point: r, order_quantity: q, cost: Some(finite("rq_eil_approximation", cost)?) })
}

/// Exact expected cost per unit time of an (r, Q) policy with normal lead-time demand.
pub fn rq_cost(reorder_point: f64, order_quantity: f64, costs: RqCosts, demand: RqDemand) -> Result<f64> {
    let c = costs.validate()?;
    let (lambda, mu, sigma) = demand.lead_time_moments()?;
    let q = positive("order_quantity", order_quantity)?;
    if !reorder_point.is_finite() {
        return Err(Error::invalid_parameter("reorder_point", reorder_point, "must be finite"));
    }
    let (h, p) = (c.holding_cost, c.stockout_cost);
    let r = reorder_point;
    // ∫_r^{r+Q} n(y) dy = n₂(r) - n₂(r+Q);  ∫_r^{r+Q} (y - μ) dy = [(y-μ)²/2].
    let loss_integral = normal_second_loss(r, mu, sigma) - normal_second_loss(r + q, mu, sigma);
    let linear_integral = 0.5 * ((r + q - mu).powi(2) - (r - mu).powi(2));
    let g_integral = h * linear_integral + (h + p) * loss_integral;
    finite("rq_cost", (c.fixed_cost * lambda + g_integral) / q)
}

/// Exact expected cost per unit time of an integer (r, Q) policy with Poisson demand.
pub fn rq_cost_poisson(
    reorder_point: i64,
    order_quantity: i64,
    costs: RqCosts,
    demand_mean: f64,
    lead_time: f64,
) -> Result<f64> {
    let c = costs.validate()?;
    let lambda = positive("demand_mean", demand_mean)?;
    let lt = positive("lead_time", lead_time)?;
    if order_quantity < 1 {
        return Err(Error::invalid_parameter("order_quantity", order_quantity, "must be a positive integer"));
    }
    let mu = lambda * lt;
    let mut total = c.fixed_cost * lambda;
    for y in reorder_point.saturating_add(1)..=reorder_point.saturating_add(order_quantity) {
        total += newsvendor_poisson_cost(y, c.holding_cost, c.stockout_cost, mu)?;
    }
    Ok(total / order_quantity as f64)
}

/// Optimal integer (r, Q) for Poisson demand (Federgruen & Zheng 1992 search, as in stockpyl).
pub fn rq_poisson_exact(costs: RqCosts, demand_mean: f64, lead_time: f64) -> Result<RqResult> {
    let c = costs.validate()?;
    let lambda = positive("demand_mean", demand_mean)?;
    let lt = positive("lead_time", lead_time)?;
    let mu = lambda * lt;
    let (h, p) = (c.holding_cost, c.stockout_cost);
    let s = DiscreteDemand::Poisson { mean: mu }.quantile(p / (p + h))? as i64;
    let g_at = |y: i64| newsvendor_poisson_cost(y, h, p, mu);
    let per_time = |sum: f64, q: i64| (c.fixed_cost * lambda + sum) / q as f64;
    let mut q: i64 = 1;
    let mut r = s - 1;
    // Running Σ_{y=r+1}^{r+Q} g(y): each step adds one term (y = r+Q+1, or y = r when r drops).
    let mut sum = g_at(r + 1)?;
    let mut g = per_time(sum, q);
    loop {
        let (g_prev, r_prev) = (g, r);
        let g_r = g_at(r)?;
        let g_rq1 = g_at(r + q + 1)?;
        if g_r < g_rq1 {
            sum += g_r;
            r -= 1;
        } else {
            sum += g_rq1;
        }
        g = per_time(sum, q + 1);
        if g > g_prev {
            return Ok(RqResult { reorder_point: r_prev as f64, order_quantity: q as f64, cost: Some(g_prev) });
        }
        q += 1;
        if q > 100_000_000 {
            return Err(Error::FitFailed { model: "rq_poisson_exact".into(), reason: "search did not end".into() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hostile() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(0.0),
            Just(-1.0),
            Just(1e300),
            Just(1e-300),
            0.01f64..1e4,
        ]
    }

    proptest! {
        #[test]
        fn hostile_numbers_give_errors_or_finite_answers(
            k in hostile(), h in hostile(), p in hostile(), lambda in hostile(), sd in hostile(), lt in hostile(),
        ) {
            let finite = |r: Result<f64>| r.map_or(true, f64::is_finite);
            prop_assert!(finite(eoq(k, h, lambda).map(|r| r.order_quantity)));
            prop_assert!(finite(eoq_with_backorders(k, h, p, lambda).map(|r| r.order_quantity)));
            prop_assert!(finite(epq(k, h, lambda, p).map(|r| r.order_quantity)));
            prop_assert!(finite(newsvendor_normal(h, p, lambda, sd).map(|r| r.base_stock_level)));
            let costs = RqCosts { holding_cost: h, stockout_cost: p, fixed_cost: k };
            let demand = RqDemand { demand_mean: lambda, demand_sd: sd, lead_time: lt };
            let _ = rq_eoqss_approximation(costs, demand);
            let _ = rq_eoqb_approximation(costs, demand);
            let _ = rq_loss_function_approximation(costs, demand);
            let _ = rq_eil_approximation(costs, demand);
            let _ = rq_cost(1.0, 10.0, costs, demand);
            if lambda < 1e3 && lt < 1e2 {
                let _ = newsvendor_poisson(h, p, lambda * lt);
            }
            let _ = eoq_all_units_discount(k, h, lambda, &[0.0, p], &[2.0, 1.0]);
            let _ = eoq_incremental_discount(k, h, lambda, &[0.0, p], &[2.0, sd]);
        }
    }

    #[test]
    fn zero_costs_and_bad_breakpoints_are_named() {
        let name = |r: Result<EoqResult>| match r {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name(eoq(0.0, 1.0, 10.0)), "ordering_cost");
        assert_eq!(name(eoq(1.0, -1.0, 10.0)), "holding_cost");
        assert_eq!(name(eoq(1.0, 1.0, f64::NAN)), "demand_rate");
        assert_eq!(name(epq(1.0, 1.0, 10.0, 5.0)), "production_rate");
        assert!(eoq_all_units_discount(1.0, 0.2, 10.0, &[1.0, 2.0], &[1.0, 0.9]).is_err());
        assert!(eoq_all_units_discount(1.0, 0.2, 10.0, &[0.0, 0.0], &[1.0, 0.9]).is_err());
        assert!(eoq_incremental_discount(1.0, 0.2, 10.0, &[0.0, 5.0], &[1.0]).is_err());
        assert!(eoq_incremental_discount(1.0, 0.2, 10.0, &[0.0, 5.0], &[1.0, 0.0]).is_err());
    }

    #[test]
    fn zero_demand_eoq_orders_nothing() -> Result<()> {
        let r = eoq(10.0, 1.0, 0.0)?;
        assert_eq!((r.order_quantity, r.cost), (0.0, 0.0));
        Ok(())
    }
}
