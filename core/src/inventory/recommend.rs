//! One SKU's reorder recommendation.
//!
//! Given an item's stock status, item master data, a demand model and a service target,
//! [`recommend`] answers: what is the inventory position, should we order now, how much, how
//! urgently, when do we run out, and what does the policy cost per period.
//!
//! **Policy.** A periodic review every `review_period` periods (default 1, i.e. every planning run)
//! protecting `R + L` periods ([`super::policy::periodic_review`]): the reorder level is the
//! order-up-to level `S = μ_{R+L} + SS`, including lead-time variability, with the safety stock from
//! the forecast-error standard deviation when demand comes from a forecast. The item reorders when
//! the inventory position `IP = on_hand + on_order - backorders` is strictly below `S`.
//!
//! **Quantity.** [`OrderSizing::OrderUpTo`] orders `S - IP`; [`OrderSizing::Eoq`] orders
//! `max(S - IP, EOQ)` with `EOQ = sqrt(2 K d / (i c))` (per-period demand rate `d`, ordering cost
//! `K`, holding cost rate `i` per period, unit cost `c`). The raw quantity is then rounded *up* to a
//! multiple of `lot_size`, raised to at least `moq` (itself rounded up to a lot multiple), and capped
//! at the largest lot multiple not above `max_order`.
//!
//! **Stockout projection and priority.** Net stock `on_hand - backorders` is consumed by the
//! per-period demand means (forecast means, carried forward past the horizon). The projected
//! stockout period is the first period (0-based) whose cumulative demand exceeds the net stock;
//! `periods_until_stockout` interpolates within it (units: the demand's periods, i.e. days only for daily planning).
//! Pipeline stock is ignored here on purpose: it says whether the shelf empties before anything can
//! arrive. Priority (with `L` the mean lead time, `R` the review period):
//! - **Urgent**: `days < L` — stock runs out before an order placed now can arrive;
//! - **High**: `days < L + R` — runs out before an order placed at the next review could arrive;
//! - **Medium**: `days < 2 (L + R)`;
//! - **Low**: otherwise, or never (no demand).
//!
//! **Expected cost per period** (approximation): `K d / Q̄ + i c (Q̄/2 + max(SS, 0))` with the
//! typical order size `Q̄ = R d` (order-up-to) or `max(R d, EOQ)` (EOQ sizing), rounded like an order.

use serde::{Deserialize, Serialize};

use super::policy::{periodic_review, DemandDistribution, DemandModel, LeadTime};
use super::reason::{explain, Context};
use super::service::ServiceTarget;
use super::{non_negative, positive};
use crate::error::{Error, Result};

fn one() -> f64 {
    1.0
}

/// How the order quantity is sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSizing {
    /// Order up to the target level S (base stock; one order per review).
    #[default]
    OrderUpTo,
    /// Order at least the economic order quantity (needs `ordering_cost`).
    Eoq,
}

/// Everything [`recommend`] needs about one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPolicyInput {
    /// Units on hand (>= 0).
    pub on_hand: f64,
    /// Units ordered but not yet received (>= 0).
    #[serde(default)]
    pub on_order: f64,
    /// Demand already owed to customers (>= 0).
    #[serde(default)]
    pub backorders: f64,
    /// Mean lead time in periods (>= 0).
    pub lead_time: f64,
    /// Standard deviation of the lead time in periods (>= 0).
    #[serde(default)]
    pub lead_time_sd: f64,
    /// Periods between reviews (> 0, default 1).
    #[serde(default = "one")]
    pub review_period: f64,
    /// Minimum order quantity (>= 0).
    #[serde(default)]
    pub moq: f64,
    /// Orders are multiples of this (> 0); `None` for any quantity.
    #[serde(default)]
    pub lot_size: Option<f64>,
    /// Largest order allowed (> 0); `None` for no cap.
    #[serde(default)]
    pub max_order: Option<f64>,
    /// Cost of one unit (> 0).
    pub unit_cost: f64,
    /// Fixed cost per order (> 0); required for [`OrderSizing::Eoq`].
    #[serde(default)]
    pub ordering_cost: Option<f64>,
    /// Holding cost per period as a fraction of the unit cost (> 0).
    pub holding_cost_rate: f64,
    /// Service target (cycle service level or fill rate, in (0, 1)).
    pub service: ServiceTarget,
    /// Per-period demand (stationary or forecast).
    pub demand: DemandModel,
    /// Distribution of demand over the protection interval (discrete for intermittent items).
    #[serde(default)]
    pub distribution: DemandDistribution,
    /// Order sizing rule.
    #[serde(default)]
    pub sizing: OrderSizing,
}

/// Urgency of a recommendation (ordered: `Urgent < High < Medium < Low`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Stock runs out before an order placed now can arrive.
    Urgent,
    /// Stock runs out before an order placed at the next review can arrive.
    High,
    /// Stock runs out within twice the protection interval.
    Medium,
    /// No stockout in sight.
    Low,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = [Priority::Urgent, Priority::High, Priority::Medium, Priority::Low];

    /// The serialized name: `"urgent"`, `"high"`, `"medium"` or `"low"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
}

/// The recommendation for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `on_hand + on_order - backorders`.
    pub inventory_position: f64,
    /// Whether to place an order now.
    pub should_reorder: bool,
    /// Quantity to order now (0 when not reordering).
    pub order_quantity: f64,
    /// Reorder level: order when the inventory position is below it.
    pub reorder_point: f64,
    /// Order-up-to level S over the protection interval R + L.
    pub order_up_to: f64,
    /// Safety stock `S - μ_{R+L}`.
    pub safety_stock: f64,
    /// Mean demand over R + L.
    pub protection_mean: f64,
    /// Standard deviation of demand over R + L.
    pub protection_sd: f64,
    /// Economic order quantity when an ordering cost is known.
    pub eoq: Option<f64>,
    /// Urgency.
    pub priority: Priority,
    /// Periods (of the demand series: days only for daily demand) until on-hand stock runs out at
    /// forecast demand (`None`: never). Named `days_until_stockout` up to 0.1.0; that name is still
    /// read (serde alias) and [`Recommendation::days_until_stockout`] returns this field.
    #[serde(alias = "days_until_stockout")]
    pub periods_until_stockout: Option<f64>,
    /// First period (0-based) with unmet demand at forecast demand (`None`: never).
    pub stockout_period: Option<usize>,
    /// Approximate expected holding + ordering cost per period.
    pub expected_cost_per_period: f64,
    /// One sentence saying why: the order decision (position against the order-up-to level), what
    /// the priority means for it (an urgent SKU with enough on order is told to expedite, a
    /// low-priority order is said not to be urgent), and why the quantity differs from the
    /// shortfall (pack size, MOQ, maximum, EOQ).
    #[serde(default)]
    pub reason: String,
}

impl Recommendation {
    /// The old name of [`Recommendation::periods_until_stockout`] (periods, not days, unless the demand
    /// is daily).
    #[deprecated(note = "use the field `periods_until_stockout`: the count is in the demand's periods")]
    pub fn days_until_stockout(&self) -> Option<f64> {
        self.periods_until_stockout
    }
}

/// Validated lot constraints (shared with [`crate::supply::purchase_orders`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LotRules {
    /// Pack size (`None`: any quantity).
    pub(crate) lot: Option<f64>,
    /// Smallest order: the MOQ rounded up to a pack multiple.
    pub(crate) min: f64,
    /// Largest order: the largest pack multiple not above `max_order`.
    pub(crate) max: Option<f64>,
}

impl LotRules {
    fn new(item: &ItemPolicyInput) -> Result<Self> {
        Self::from_parts(item.lot_size, item.moq, item.max_order)
    }

    /// Validate a pack size, an MOQ and a maximum order.
    pub(crate) fn from_parts(lot_size: Option<f64>, moq: f64, max_order: Option<f64>) -> Result<Self> {
        let lot = lot_size.map(|l| positive("lot_size", l)).transpose()?;
        let moq = non_negative("moq", moq)?;
        let min = round_up(moq, lot);
        let max = match max_order {
            Some(m) => {
                let m = positive("max_order", m)?;
                let cap = match lot {
                    Some(l) => (m / l + 1e-9).floor() * l,
                    None => m,
                };
                if cap < min || cap <= 0.0 {
                    return Err(Error::invalid_parameter(
                        "max_order",
                        m,
                        "must allow at least one order of moq rounded up to the lot size",
                    ));
                }
                Some(cap)
            }
            None => None,
        };
        Ok(LotRules { lot, min, max })
    }

    /// Round up to the lot size, at least the MOQ, at most the cap.
    pub(crate) fn apply(&self, raw: f64) -> f64 {
        let q = round_up(raw, self.lot).max(self.min);
        match self.max {
            Some(cap) => q.min(cap),
            None => q,
        }
    }
}

fn round_up(q: f64, lot: Option<f64>) -> f64 {
    match lot {
        Some(l) => (q / l - 1e-9).ceil().max(0.0) * l,
        None => q,
    }
}

/// Reorder recommendation for one item (see the module docs for every rule).
///
/// ```
/// use forestock::inventory::recommend::{recommend, ItemPolicyInput, OrderSizing, Priority};
/// use forestock::inventory::policy::{DemandDistribution, DemandModel};
/// use forestock::inventory::service::ServiceTarget;
/// let item = ItemPolicyInput {
///     on_hand: 120.0, on_order: 0.0, backorders: 0.0,
///     lead_time: 3.0, lead_time_sd: 0.5, review_period: 1.0,
///     moq: 50.0, lot_size: Some(25.0), max_order: None,
///     unit_cost: 4.0, ordering_cost: Some(30.0), holding_cost_rate: 0.002,
///     service: ServiceTarget::CycleService(0.95),
///     demand: DemandModel::stationary(50.0, 15.0)?,
///     distribution: DemandDistribution::Normal, sizing: OrderSizing::OrderUpTo,
/// };
/// let r = recommend(&item)?;
/// assert!(r.should_reorder);
/// assert_eq!(r.order_quantity % 25.0, 0.0);
/// assert_eq!(r.priority, Priority::Urgent); // 120 units last 2.4 periods < 3-period lead time
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn recommend(item: &ItemPolicyInput) -> Result<Recommendation> {
    let on_hand = non_negative("on_hand", item.on_hand)?;
    let on_order = non_negative("on_order", item.on_order)?;
    let backorders = non_negative("backorders", item.backorders)?;
    let lead_time = LeadTime::new(item.lead_time, item.lead_time_sd)?;
    let review = positive("review_period", item.review_period)?;
    let unit_cost = positive("unit_cost", item.unit_cost)?;
    let rate = positive("holding_cost_rate", item.holding_cost_rate)?;
    let ordering_cost = item.ordering_cost.map(|k| positive("ordering_cost", k)).transpose()?;
    let lots = LotRules::new(item)?;
    let policy = periodic_review(&item.demand, lead_time, review, item.service, item.distribution)?;
    let (_, demand_rate, _) = item.demand.window(review + lead_time.mean);

    let eoq = ordering_cost.map(|k| (2.0 * k * demand_rate / (rate * unit_cost)).sqrt());
    if item.sizing == OrderSizing::Eoq && eoq.is_none() {
        return Err(Error::invalid_parameter("ordering_cost", "none", "EOQ sizing needs an ordering cost > 0"));
    }
    let inventory_position = on_hand + on_order - backorders;
    let reorder_point = policy.order_up_to;
    let should_reorder = inventory_position < reorder_point;
    let raw_quantity = if should_reorder {
        let shortfall = reorder_point - inventory_position;
        match (item.sizing, eoq) {
            (OrderSizing::Eoq, Some(e)) => shortfall.max(e),
            _ => shortfall,
        }
    } else {
        0.0
    };
    let order_quantity = if should_reorder { lots.apply(raw_quantity) } else { 0.0 };

    let (periods_until_stockout, stockout_period) = project_stockout(&item.demand, on_hand - backorders);
    let priority = match periods_until_stockout {
        Some(d) if d < lead_time.mean => Priority::Urgent,
        Some(d) if d < lead_time.mean + review => Priority::High,
        Some(d) if d < 2.0 * (lead_time.mean + review) => Priority::Medium,
        _ => Priority::Low,
    };

    let cycle = review * demand_rate;
    let typical_order = match (item.sizing, eoq) {
        (OrderSizing::Eoq, Some(e)) => cycle.max(e),
        _ => cycle,
    };
    let typical_order = if demand_rate > 0.0 { lots.apply(typical_order) } else { 0.0 };
    let ordering = match ordering_cost {
        Some(k) if typical_order > 0.0 => k * demand_rate / typical_order,
        _ => 0.0,
    };
    let expected_cost_per_period = ordering + rate * unit_cost * (typical_order / 2.0 + policy.safety_stock.max(0.0));
    let reason = explain(&Context {
        position: inventory_position,
        order_up_to: policy.order_up_to,
        on_order,
        lead_time: lead_time.mean,
        periods_until_stockout,
        priority,
        order_quantity,
        raw_quantity,
        sizing: item.sizing,
        eoq,
        lot: lots.lot,
        min_order: lots.min,
        max_order: lots.max,
    });

    Ok(Recommendation {
        inventory_position,
        should_reorder,
        order_quantity,
        reorder_point,
        order_up_to: policy.order_up_to,
        safety_stock: policy.safety_stock,
        protection_mean: policy.protection_mean,
        protection_sd: policy.protection_sd,
        eoq,
        priority,
        periods_until_stockout,
        stockout_period,
        expected_cost_per_period,
        reason,
    })
}

/// `(periods_until_stockout, stockout_period)` for `net` units consumed by the model's mean demand.
fn project_stockout(demand: &DemandModel, net: f64) -> (Option<f64>, Option<usize>) {
    if net < 0.0 {
        return (Some(0.0), Some(0));
    }
    let means: &[f64] = match demand {
        DemandModel::Stationary { mean, .. } => std::slice::from_ref(mean),
        DemandModel::Forecast { means, .. } => means,
    };
    let mut consumed = 0.0;
    for (k, &m) in means.iter().enumerate() {
        if consumed + m > net {
            return (Some(k as f64 + (net - consumed) / m), Some(k));
        }
        consumed += m;
    }
    // Past the horizon the last mean is carried forward.
    match means.last() {
        Some(&m) if m > 0.0 => {
            let extra = (net - consumed) / m;
            // `as usize` saturates for astronomically long cover.
            let period = means.len().saturating_add(extra.floor() as usize);
            (Some((means.len() as f64) + extra), Some(period))
        }
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Result<ItemPolicyInput> {
        Ok(ItemPolicyInput {
            on_hand: 100.0,
            on_order: 0.0,
            backorders: 0.0,
            lead_time: 2.0,
            lead_time_sd: 0.0,
            review_period: 1.0,
            moq: 0.0,
            lot_size: None,
            max_order: None,
            unit_cost: 10.0,
            ordering_cost: None,
            holding_cost_rate: 0.01,
            service: ServiceTarget::CycleService(0.95),
            demand: DemandModel::stationary(20.0, 5.0)?,
            distribution: DemandDistribution::Normal,
            sizing: OrderSizing::OrderUpTo,
        })
    }

    #[test]
    fn priority_names_match_serde() {
        for p in Priority::ALL {
            assert_eq!(serde_json::to_value(p).expect("json"), p.as_str());
        }
    }

    #[test]
    fn stockout_projection_interpolates() -> Result<()> {
        let d = DemandModel::forecast(vec![10.0, 20.0, 30.0], vec![1.0; 3])?;
        assert_eq!(project_stockout(&d, 25.0), (Some(1.75), Some(1)));
        assert_eq!(project_stockout(&d, 30.0), (Some(2.0), Some(2)));
        // 60 consumed by the horizon, then 30/period: 75 lasts 3.5 periods, short in period 3.
        assert_eq!(project_stockout(&d, 75.0), (Some(3.5), Some(3)));
        assert_eq!(project_stockout(&d, 0.0), (Some(0.0), Some(0)));
        let zero = DemandModel::stationary(0.0, 0.0)?;
        assert_eq!(project_stockout(&zero, 10.0), (None, None));
        let s = DemandModel::stationary(20.0, 1.0)?;
        assert_eq!(project_stockout(&s, 40.0), (Some(2.0), Some(2)));
        Ok(())
    }

    #[test]
    fn priorities_follow_the_documented_rule() -> Result<()> {
        let mut it = item()?; // lead time 2, review 1, demand 20
        for (on_hand, expected) in
            [(30.0, Priority::Urgent), (50.0, Priority::High), (100.0, Priority::Medium), (200.0, Priority::Low)]
        {
            it.on_hand = on_hand;
            assert_eq!(recommend(&it)?.priority, expected, "on hand {on_hand}");
        }
        Ok(())
    }

    #[test]
    fn zero_demand_orders_nothing() -> Result<()> {
        let mut it = item()?;
        it.demand = DemandModel::stationary(0.0, 0.0)?;
        it.on_hand = 0.0;
        let r = recommend(&it)?;
        assert!(!r.should_reorder);
        assert_eq!((r.order_quantity, r.safety_stock, r.expected_cost_per_period), (0.0, 0.0, 0.0));
        assert_eq!(r.priority, Priority::Low);
        Ok(())
    }

    #[test]
    fn lot_rules() -> Result<()> {
        let mut it = item()?;
        it.on_hand = 0.0;
        it.lot_size = Some(12.0);
        it.moq = 100.0;
        let r = recommend(&it)?;
        assert!(r.order_quantity >= 100.0 && (r.order_quantity / 12.0).fract() == 0.0);
        // cap: largest lot multiple <= 110 is 108 = moq rounded up: allowed
        it.max_order = Some(110.0);
        assert_eq!(recommend(&it)?.order_quantity, 108.0);
        // cap 96 < 108: no order can satisfy both
        it.max_order = Some(100.0);
        assert!(recommend(&it).is_err());
        Ok(())
    }

    #[test]
    fn json_round_trip_with_defaults() -> Result<()> {
        let json = r#"{"on_hand": 40, "lead_time": 2, "unit_cost": 5, "holding_cost_rate": 0.002,
            "service": {"kind": "cycle_service", "value": 0.95},
            "demand": {"kind": "forecast", "means": [20, 22, 25], "error_sd": [5, 5, 6]}}"#;
        let it: ItemPolicyInput = serde_json::from_str(json)?;
        assert_eq!((it.review_period, it.on_order, it.lot_size), (1.0, 0.0, None));
        assert_eq!((it.distribution, it.sizing), (DemandDistribution::Normal, OrderSizing::OrderUpTo));
        let r = recommend(&it)?;
        let back: Recommendation = serde_json::from_str(&serde_json::to_string(&r)?)?;
        assert_eq!(back, r);
        // 40 units cover period 0 (20) and most of period 1 (22): out in period 1.
        assert_eq!(r.stockout_period, Some(1));
        assert_eq!(r.priority, Priority::Urgent);
        Ok(())
    }

    #[test]
    fn bad_fields_are_named() -> Result<()> {
        let name = |it: &ItemPolicyInput| match recommend(it) {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        let base = item()?;
        let mut it = base.clone();
        it.on_hand = f64::NAN;
        assert_eq!(name(&it), "on_hand");
        let mut it = base.clone();
        it.lot_size = Some(0.0);
        assert_eq!(name(&it), "lot_size");
        let mut it = base.clone();
        it.moq = -1.0;
        assert_eq!(name(&it), "moq");
        let mut it = base.clone();
        it.lead_time = -1.0;
        assert_eq!(name(&it), "lead_time");
        let mut it = base.clone();
        it.unit_cost = 0.0;
        assert_eq!(name(&it), "unit_cost");
        let mut it = base.clone();
        it.holding_cost_rate = -0.1;
        assert_eq!(name(&it), "holding_cost_rate");
        let mut it = base.clone();
        it.ordering_cost = Some(0.0);
        assert_eq!(name(&it), "ordering_cost");
        let mut it = base.clone();
        it.service = ServiceTarget::CycleService(1.2);
        assert_eq!(name(&it), "service_level");
        let mut it = base.clone();
        it.demand = DemandModel::Stationary { mean: -5.0, sd: 1.0 };
        assert_eq!(name(&it), "demand_mean");
        let mut it = base;
        it.sizing = OrderSizing::Eoq;
        assert_eq!(name(&it), "ordering_cost");
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::too_many_arguments)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn item(
        mean: f64,
        sd: f64,
        on_hand: f64,
        lead_time: f64,
        lead_time_sd: f64,
        moq: f64,
        lot: f64,
        service: f64,
    ) -> ItemPolicyInput {
        ItemPolicyInput {
            on_hand,
            on_order: 0.0,
            backorders: 0.0,
            lead_time,
            lead_time_sd,
            review_period: 1.0,
            moq,
            lot_size: Some(lot),
            max_order: None,
            unit_cost: 3.0,
            ordering_cost: Some(25.0),
            holding_cost_rate: 0.001,
            service: ServiceTarget::CycleService(service),
            demand: DemandModel::Stationary { mean, sd },
            distribution: DemandDistribution::Normal,
            sizing: OrderSizing::OrderUpTo,
        }
    }

    proptest! {
        #[test]
        fn reorder_point_increases_with_service_level(
            mean in 0.1f64..1000.0, sd in 0.01f64..300.0, lt in 0.0f64..20.0, lt_sd in 0.0f64..5.0,
            a in 0.5f64..0.98, step in 0.001f64..0.019, discrete in any::<bool>(),
        ) {
            let mut low = item(mean, sd, 0.0, lt, lt_sd, 0.0, 1.0, a);
            if discrete {
                low.distribution = DemandDistribution::Discrete;
            }
            let mut high = low.clone();
            high.service = ServiceTarget::CycleService(a + step);
            let (rl, rh) = (recommend(&low).unwrap(), recommend(&high).unwrap());
            if discrete {
                prop_assert!(rh.reorder_point >= rl.reorder_point);
            } else {
                prop_assert!(rh.reorder_point > rl.reorder_point);
            }
        }

        #[test]
        fn order_quantity_is_a_lot_multiple_at_least_moq(
            mean in 0.0f64..500.0, sd in 0.0f64..100.0, on_hand in 0.0f64..2000.0,
            lt in 0.0f64..10.0, moq in 0.0f64..300.0, lot in 1u32..50, eoq in any::<bool>(),
            cap in proptest::option::of(0.0f64..5000.0),
        ) {
            let mut it = item(mean, sd, on_hand, lt, 0.5, moq, f64::from(lot), 0.95);
            if eoq {
                it.sizing = OrderSizing::Eoq;
            }
            it.max_order = cap.map(|c| c + moq + f64::from(lot));
            let r = recommend(&it).unwrap();
            if r.should_reorder {
                prop_assert!(r.order_quantity >= moq);
                let lots = r.order_quantity / f64::from(lot);
                prop_assert!((lots - lots.round()).abs() < 1e-9, "{} not a multiple of {lot}", r.order_quantity);
                if let Some(c) = it.max_order {
                    prop_assert!(r.order_quantity <= c);
                }
            } else {
                prop_assert_eq!(r.order_quantity, 0.0);
                prop_assert!(r.inventory_position >= r.reorder_point);
            }
        }

        #[test]
        fn hostile_numbers_never_panic(
            x in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), Just(0.0), Just(1e300), -1e6f64..1e6],
            field in 0usize..10,
        ) {
            let mut it = item(10.0, 2.0, 5.0, 2.0, 0.5, 0.0, 1.0, 0.9);
            match field {
                0 => it.on_hand = x,
                1 => it.lead_time = x,
                2 => it.lead_time_sd = x,
                3 => it.moq = x,
                4 => it.lot_size = Some(x),
                5 => it.unit_cost = x,
                6 => it.holding_cost_rate = x,
                7 => it.demand = DemandModel::Stationary { mean: x, sd: 1.0 },
                8 => it.service = ServiceTarget::FillRate(x),
                _ => it.review_period = x,
            }
            // Either a typed error or a finite answer.
            if let Ok(r) = recommend(&it) {
                prop_assert!(r.order_quantity.is_finite() && r.reorder_point.is_finite());
            }
        }
    }
}
