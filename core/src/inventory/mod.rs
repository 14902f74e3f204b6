//! Inventory policy engine: classification, service levels, safety stock and reorder points, lot
//! sizing, per-SKU reorder recommendations and a seeded Monte-Carlo policy simulator.
//!
//! | module | job |
//! |---|---|
//! | [`abc`] | ABC by annual consumption value, XYZ by coefficient of variation, Syntetos-Boylan demand class |
//! | [`service`] | normal loss functions, cycle service level → z, fill rate → k, per-class service targets |
//! | [`discrete`] | Poisson / negative binomial demand distributions (cdf, quantile, loss) for intermittent SKUs |
//! | [`policy`] | demand over the protection interval, safety stock, reorder point, order-up-to level |
//! | [`safety_stock`](mod@safety_stock) | one safety-stock request (the bindings' `safety_stock` / `reorder_point`): method vocabulary and options |
//! | [`lot_sizing`] | EOQ family, quantity discounts, (r,Q) approximations, newsvendor (stockpyl parity) |
//! | [`recommend`](mod@recommend) | one SKU's reorder recommendation: position, quantity, priority, cost |
//! | [`simulate`](mod@simulate) | the one closed-loop stock loop: (s,Q), (R,S) or any decision rule (the planner's replay) against a demand process or a recorded series, with stochastic lead times |
//!
//! Lead times learned from receipts and purchase orders per supplier build on the planner's item
//! master and plans, so they live above both, in [`crate::supply`].
//!
//! Conventions: time is measured in *periods* (the planning bucket: a day, a week). Demand rates,
//! lead times, review periods and holding cost rates are all per period. Every function validates
//! its input and returns [`crate::Error::InvalidParameter`] naming the offending field.
//!
//! See `docs/inventory.md` for the formulas, their sources and worked examples.
//!
//! ```
//! use forestock::inventory::policy::{periodic_review, DemandModel, DemandDistribution, LeadTime};
//! use forestock::inventory::service::ServiceTarget;
//! let demand = DemandModel::stationary(100.0, 20.0)?;
//! let lt = LeadTime::new(4.0, 1.0)?;
//! let p = periodic_review(&demand, lt, 1.0, ServiceTarget::CycleService(0.95), DemandDistribution::Normal)?;
//! // protection interval R + L = 5 periods: mean 500, sd sqrt(5*20^2 + 100^2*1^2) = 109.54
//! assert!((p.protection_mean - 500.0).abs() < 1e-9);
//! assert!((p.protection_sd - 109.544_511_501).abs() < 1e-6);
//! assert!(p.order_up_to > 500.0);
//! # Ok::<(), forestock::Error>(())
//! ```

pub mod abc;
pub mod discrete;
pub mod lot_sizing;
pub mod policy;
mod reason;
pub mod recommend;
pub mod safety_stock;
pub mod service;
pub mod simulate;

pub use abc::{AbcClass, DemandPattern, XyzClass};
pub use policy::{DemandDistribution, DemandModel, LeadTime};
pub use recommend::{recommend, ItemPolicyInput, OrderSizing, Priority, Recommendation};
pub use safety_stock::{safety_stock, SafetyStockLevels, SafetyStockRequest, ServiceMethod};
pub use service::{ServiceLevels, ServiceTarget};
pub use simulate::{
    simulate, simulate_with, try_simulate_with, Demand, DemandProcess, LeadTimeProcess, SimPolicy, SimState,
    SimulationConfig, SimulationReport,
};

use crate::error::{Error, Result};

/// `value` must be finite and `>= 0`.
pub(crate) fn non_negative(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid_parameter(name, value, "must be a finite number >= 0"))
    }
}

/// `value` must be finite and `> 0`.
pub(crate) fn positive(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid_parameter(name, value, "must be a finite number > 0"))
    }
}

/// `value` must lie strictly inside (0, 1).
pub(crate) fn open_probability(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(Error::invalid_parameter(name, value, "must lie strictly between 0 and 1"))
    }
}

pub(crate) use crate::series::non_negative_slice;

/// Root of a continuous function that is decreasing (`decreasing = true`) or increasing in `x`,
/// by bracket expansion from `[lo, hi]` followed by bisection to machine precision. Deterministic
/// and robust (no derivative, no divergence); returns `None` if no sign change is found.
pub(crate) fn bracketed_root(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64, decreasing: bool) -> Option<f64> {
    let sign = if decreasing { -1.0 } else { 1.0 };
    let g = |x: f64| sign * f(x);
    // g is increasing: need g(lo) <= 0 <= g(hi).
    let mut width = (hi - lo).abs().max(1.0);
    let mut tries = 0;
    while g(lo) > 0.0 {
        lo -= width;
        width *= 2.0;
        tries += 1;
        if tries > 200 || !lo.is_finite() {
            return None;
        }
    }
    let mut width = (hi - lo).abs().max(1.0);
    tries = 0;
    while g(hi) < 0.0 {
        hi += width;
        width *= 2.0;
        tries += 1;
        if tries > 200 || !hi.is_finite() {
            return None;
        }
    }
    for _ in 0..300 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let v = g(mid);
        if v.is_nan() {
            return None;
        }
        if v < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}
