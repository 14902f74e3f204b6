//! One safety-stock request, one answer: the entry point behind Python's `safety_stock` /
//! `reorder_point` and Node's `safetyStock` / `reorderPoint`.
//!
//! A [`SafetyStockRequest`] holds stationary per-period demand, a lead time, a service target and
//! the policy options. Without `review_period` the policy is continuous review (r, Q) over the lead
//! time ([`continuous_review`]); with it, periodic review (R, S) over `R + L` ([`periodic_review`])
//! and the level is the order-up-to level S. The formulas are in [`super::policy`].
//!
//! **Method vocabulary.** `method` is `"cycle_service"` (default: the probability of no stockout per
//! replenishment cycle) or `"fill_rate"` (the fraction of demand served from stock). The older
//! spellings stay accepted as aliases: `"cycle"` (Python before 0.x), `"cycleService"` and
//! `"fillRate"` (Node). `distribution` is `"normal"` (default) or `"discrete"` (Poisson / negative
//! binomial, for intermittent items).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::policy::{continuous_review, periodic_review, DemandDistribution, DemandModel, LeadTime};
use super::service::ServiceTarget;
use crate::error::{Error, Result};

/// What the service level of a [`SafetyStockRequest`] means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    /// Cycle service level α: probability that a replenishment cycle has no stockout
    /// (aliases `"cycle"`, `"cycleService"`).
    #[default]
    #[serde(alias = "cycle", alias = "cycleService")]
    CycleService,
    /// Fill rate β: expected fraction of demand met immediately from stock (alias `"fillRate"`).
    #[serde(alias = "fillRate")]
    FillRate,
}

impl ServiceMethod {
    /// The service target of this method at `service_level`.
    pub fn target(self, service_level: f64) -> ServiceTarget {
        match self {
            ServiceMethod::CycleService => ServiceTarget::CycleService(service_level),
            ServiceMethod::FillRate => ServiceTarget::FillRate(service_level),
        }
    }
}

impl FromStr for ServiceMethod {
    type Err = Error;

    /// `"cycle_service"` / `"fill_rate"` or an alias (`"cycle"`, `"cycleService"`, `"fillRate"`);
    /// anything else is [`Error::InvalidParameter`] naming `method`.
    fn from_str(name: &str) -> Result<Self> {
        match name {
            "cycle_service" | "cycle" | "cycleService" => Ok(ServiceMethod::CycleService),
            "fill_rate" | "fillRate" => Ok(ServiceMethod::FillRate),
            other => Err(Error::invalid_parameter(
                "method",
                other,
                "must be \"cycle_service\" (aliases \"cycle\", \"cycleService\") or \"fill_rate\" (alias \"fillRate\")",
            )),
        }
    }
}

impl FromStr for DemandDistribution {
    type Err = Error;

    /// `"normal"` or `"discrete"`; anything else is [`Error::InvalidParameter`] naming `distribution`.
    fn from_str(name: &str) -> Result<Self> {
        match name {
            "normal" => Ok(DemandDistribution::Normal),
            "discrete" => Ok(DemandDistribution::Discrete),
            other => Err(Error::invalid_parameter("distribution", other, "must be \"normal\" or \"discrete\"")),
        }
    }
}

/// A safety-stock / reorder-point request: stationary per-period demand, a lead time, a service
/// target and the policy options (the union of what the Python and Node functions take).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyStockRequest {
    /// Mean demand per period.
    pub demand_mean: f64,
    /// Standard deviation of demand per period.
    pub demand_sd: f64,
    /// Mean lead time (periods).
    pub lead_time: f64,
    /// Standard deviation of the lead time (periods, default 0).
    #[serde(default)]
    pub lead_time_sd: f64,
    /// Target in (0, 1): a cycle service level or a fill rate, see `method`.
    pub service_level: f64,
    /// How `service_level` is read (default cycle service).
    #[serde(default)]
    pub method: ServiceMethod,
    /// Order quantity Q; needed for a fill-rate target under continuous review (a cycle-service
    /// reorder point does not depend on it).
    #[serde(default)]
    pub order_quantity: Option<f64>,
    /// Review period R (periods): periodic review (R, S) when given, continuous review otherwise.
    #[serde(default)]
    pub review_period: Option<f64>,
    /// Distribution of demand over the protection interval (default normal).
    #[serde(default)]
    pub distribution: DemandDistribution,
}

impl SafetyStockRequest {
    /// A cycle-service request under continuous review with normal demand; the options default as
    /// in deserialisation (no lead-time variability, no Q, no review period).
    pub fn new(demand_mean: f64, demand_sd: f64, lead_time: f64, service_level: f64) -> Self {
        SafetyStockRequest {
            demand_mean,
            demand_sd,
            lead_time,
            lead_time_sd: 0.0,
            service_level,
            method: ServiceMethod::CycleService,
            order_quantity: None,
            review_period: None,
            distribution: DemandDistribution::Normal,
        }
    }
}

/// The answer to a [`SafetyStockRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SafetyStockLevels {
    /// Safety stock: the level minus the mean demand over the protection interval.
    pub safety_stock: f64,
    /// Reorder point r (continuous review) or order-up-to level S (periodic review).
    pub reorder_point: f64,
    /// Mean demand over the protection interval (L, or R + L under periodic review).
    pub protection_mean: f64,
    /// Standard deviation of demand over the protection interval.
    pub protection_sd: f64,
}

/// Safety stock and level of one request (see the module docs): continuous review (r, Q) over the
/// lead time, or periodic review (R, S) over `R + L` when `review_period` is given.
///
/// Errors name the offending field (`demand_mean`, `lead_time_sd`, `service_level`,
/// `order_quantity`, ...).
///
/// ```
/// use forestock::inventory::{safety_stock, SafetyStockRequest, ServiceMethod};
/// let request: SafetyStockRequest = serde_json::from_str(
///     r#"{"demand_mean": 100, "demand_sd": 20, "lead_time": 4, "service_level": 0.95, "method": "cycle"}"#,
/// )?;
/// assert_eq!(request.method, ServiceMethod::CycleService);
/// let levels = safety_stock(&request)?;
/// // z(0.95) * 20 * sqrt(4) = 65.79
/// assert!((levels.safety_stock - 65.794_146).abs() < 1e-5);
/// assert!((levels.reorder_point - 465.794_146).abs() < 1e-5);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn safety_stock(request: &SafetyStockRequest) -> Result<SafetyStockLevels> {
    // The target is the request's `service_level` whatever the method: name it so, not by the
    // policy's internal name (`fill_rate`).
    levels(request).map_err(|e| match e {
        Error::InvalidParameter { name, value, reason } if name == "fill_rate" => {
            Error::InvalidParameter { name: "service_level".into(), value, reason: format!("{reason} (a fill rate)") }
        }
        other => other,
    })
}

fn levels(request: &SafetyStockRequest) -> Result<SafetyStockLevels> {
    let demand = DemandModel::stationary(request.demand_mean, request.demand_sd)?;
    let lead_time = LeadTime::new(request.lead_time, request.lead_time_sd)?;
    let target = request.method.target(request.service_level);
    let distribution = request.distribution;
    if let Some(review_period) = request.review_period {
        let p = periodic_review(&demand, lead_time, review_period, target, distribution)?;
        return Ok(SafetyStockLevels {
            safety_stock: p.safety_stock,
            reorder_point: p.order_up_to,
            protection_mean: p.protection_mean,
            protection_sd: p.protection_sd,
        });
    }
    let order_quantity = match (request.order_quantity, target) {
        (Some(q), _) => q,
        // The cycle-service reorder point does not depend on Q; the core only checks Q > 0.
        (None, ServiceTarget::CycleService(_)) => 1.0,
        (None, ServiceTarget::FillRate(_)) => {
            let reason = "a fill-rate target needs the order quantity";
            return Err(Error::invalid_parameter("order_quantity", "missing", reason));
        }
    };
    let p = continuous_review(&demand, lead_time, order_quantity, target, distribution)?;
    Ok(SafetyStockLevels {
        safety_stock: p.safety_stock,
        reorder_point: p.reorder_point,
        protection_mean: p.lead_time_demand.mean,
        protection_sd: p.lead_time_demand.sd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_method_spellings_are_aliases() {
        for (name, method) in [
            ("cycle_service", ServiceMethod::CycleService),
            ("cycle", ServiceMethod::CycleService),
            ("cycleService", ServiceMethod::CycleService),
            ("fill_rate", ServiceMethod::FillRate),
            ("fillRate", ServiceMethod::FillRate),
        ] {
            assert_eq!(name.parse::<ServiceMethod>().expect("a value"), method);
            let json = format!(
                r#"{{"demand_mean": 1, "demand_sd": 1, "lead_time": 1, "service_level": 0.9, "method": "{name}"}}"#
            );
            assert_eq!(serde_json::from_str::<SafetyStockRequest>(&json).expect("a value").method, method);
        }
        let err = "always".parse::<ServiceMethod>().expect_err("an error");
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "method"));
        let err = "cauchy".parse::<DemandDistribution>().expect_err("an error");
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "distribution"));
    }

    #[test]
    fn fill_rate_without_review_needs_the_order_quantity() {
        let request =
            SafetyStockRequest { method: ServiceMethod::FillRate, ..SafetyStockRequest::new(100.0, 20.0, 4.0, 0.95) };
        let err = safety_stock(&request).expect_err("an error");
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "order_quantity"));
        let periodic = safety_stock(&SafetyStockRequest { review_period: Some(1.0), ..request }).expect("a value");
        assert!(periodic.reorder_point > periodic.protection_mean);
    }

    #[test]
    fn levels_match_the_policy_functions() {
        let request = SafetyStockRequest { lead_time_sd: 1.0, ..SafetyStockRequest::new(100.0, 20.0, 4.0, 0.95) };
        let demand = DemandModel::stationary(100.0, 20.0).expect("a value");
        let lt = LeadTime::new(4.0, 1.0).expect("a value");
        let target = ServiceTarget::CycleService(0.95);
        let r = continuous_review(&demand, lt, 1.0, target, DemandDistribution::Normal).expect("a value");
        let levels = safety_stock(&request).expect("a value");
        assert_eq!((levels.safety_stock, levels.reorder_point), (r.safety_stock, r.reorder_point));
        let s = periodic_review(&demand, lt, 2.0, target, DemandDistribution::Normal).expect("a value");
        let levels = safety_stock(&SafetyStockRequest { review_period: Some(2.0), ..request }).expect("a value");
        assert_eq!((levels.safety_stock, levels.reorder_point), (s.safety_stock, s.order_up_to));
    }
}
