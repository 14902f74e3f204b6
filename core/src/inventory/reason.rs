//! The one-sentence reason attached to every `Recommendation`.
//!
//! Priority and the order decision answer different questions, and planners read them together:
//! - **whether to order** compares the inventory position (on hand + on order − backorders) with the
//!   order-up-to level `S`;
//! - **priority** compares how long the *shelf* lasts (on hand − backorders, pipeline ignored) with the
//!   lead time.
//!
//! So an urgent SKU may order nothing (its open orders already bring the position up to `S`, but they
//! arrive too late: expedite them), and a low-priority SKU may order (its position is below `S`, but
//! the shelf lasts well beyond the lead time). The reason says which case applies, with the numbers,
//! and why the quantity differs from the shortfall `S − IP` when pack size, MOQ, maximum or EOQ
//! changed it.

use super::recommend::{OrderSizing, Priority};

/// What [`explain`] needs besides the recommendation's own figures.
pub(super) struct Context {
    /// Inventory position `IP`.
    pub(super) position: f64,
    /// Order-up-to level `S`.
    pub(super) order_up_to: f64,
    /// Units already on order.
    pub(super) on_order: f64,
    /// Mean lead time in periods.
    pub(super) lead_time: f64,
    /// Periods until the shelf empties (`None`: never).
    pub(super) periods_until_stockout: Option<f64>,
    /// Urgency.
    pub(super) priority: Priority,
    /// Quantity to order now (0: none).
    pub(super) order_quantity: f64,
    /// The order before pack size, MOQ and maximum: the shortfall, or the EOQ when larger.
    pub(super) raw_quantity: f64,
    /// How the quantity was sized, with the EOQ when known.
    pub(super) sizing: OrderSizing,
    /// Economic order quantity.
    pub(super) eoq: Option<f64>,
    /// Pack size, smallest order and largest order after rounding.
    pub(super) lot: Option<f64>,
    /// Smallest order (MOQ rounded up to a pack).
    pub(super) min_order: f64,
    /// Largest order (`None`: no cap).
    pub(super) max_order: Option<f64>,
}

/// A short sentence: the decision, its cause, and what the priority means for it.
pub(super) fn explain(c: &Context) -> String {
    let cover = match c.periods_until_stockout {
        Some(d) => format!("stock lasts {} periods", qty(d)),
        None => "no demand is expected".to_string(),
    };
    let late = c.priority == Priority::Urgent || c.priority == Priority::High;
    if c.order_quantity > 0.0 {
        let mut s = format!(
            "order {}: position {} is below the order-up-to level {}",
            qty(c.order_quantity),
            qty(c.position),
            qty(c.order_up_to)
        );
        if let Some(sizing) = sizing_note(c) {
            s.push_str("; ");
            s.push_str(&sizing);
        }
        s.push_str("; ");
        s.push_str(&cover);
        let urgency = match c.priority {
            Priority::Urgent => format!(", less than the {}-period lead time: expedite", qty(c.lead_time)),
            Priority::High => ", so the next review would be too late".to_string(),
            Priority::Medium => String::new(),
            Priority::Low => ", so it is not urgent".to_string(),
        };
        s.push_str(&urgency);
        s
    } else if late && c.on_order > 0.0 {
        format!(
            "no order: the {} units on order bring the position to {}, at or above the order-up-to level {}, \
             but {cover}, less than the {}-period lead time: expedite the open orders",
            qty(c.on_order),
            qty(c.position),
            qty(c.order_up_to),
            qty(c.lead_time)
        )
    } else if late {
        format!(
            "no order: position {} is at or above the order-up-to level {}, but {cover} at forecast demand, \
             less than the {}-period lead time (demand is front-loaded or the safety stock is low)",
            qty(c.position),
            qty(c.order_up_to),
            qty(c.lead_time)
        )
    } else {
        format!("no order: position {} covers the order-up-to level {}; {cover}", qty(c.position), qty(c.order_up_to))
    }
}

/// Why the quantity is not the plain shortfall, if it is not.
fn sizing_note(c: &Context) -> Option<String> {
    let shortfall = c.order_up_to - c.position;
    let mut notes = Vec::new();
    if let (OrderSizing::Eoq, Some(e)) = (c.sizing, c.eoq)
        && e > shortfall
    {
        notes.push(format!("the EOQ {} exceeds the shortfall {}", qty(e), qty(shortfall)));
    }
    let q = c.order_quantity;
    if close(q, c.raw_quantity) {
        // unchanged by the lot rules
    } else if c.max_order.is_some_and(|m| close(q, m) && c.raw_quantity > m) {
        notes.push(format!("capped at the maximum order {}", qty(q)));
    } else if close(q, c.min_order) && c.raw_quantity < c.min_order {
        notes.push(format!("raised from {} to the minimum order {}", qty(c.raw_quantity), qty(q)));
    } else if let Some(lot) = c.lot.filter(|&l| l != 1.0) {
        // Whole units (packs of 1) are the planner's default and not worth a word.
        notes.push(format!("rounded up from {} to packs of {}", qty(c.raw_quantity), qty(lot)));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// A quantity as a planner reads it: whole numbers without decimals, others to one decimal.
fn qty(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            position: 40.0,
            order_up_to: 100.0,
            on_order: 0.0,
            lead_time: 3.0,
            periods_until_stockout: Some(8.0),
            priority: Priority::Low,
            order_quantity: 60.0,
            raw_quantity: 60.0,
            sizing: OrderSizing::OrderUpTo,
            eoq: None,
            lot: None,
            min_order: 0.0,
            max_order: None,
        }
    }

    #[test]
    fn a_low_priority_order_says_it_is_not_urgent() {
        assert_eq!(
            explain(&context()),
            "order 60: position 40 is below the order-up-to level 100; stock lasts 8 periods, so it is not urgent"
        );
    }

    #[test]
    fn an_urgent_sku_without_an_order_is_told_to_expedite() {
        let c = Context {
            position: 120.0,
            on_order: 100.0,
            periods_until_stockout: Some(1.5),
            priority: Priority::Urgent,
            order_quantity: 0.0,
            raw_quantity: 0.0,
            ..context()
        };
        let r = explain(&c);
        assert!(r.starts_with("no order: the 100 units on order bring the position to 120"), "{r}");
        assert!(
            r.contains("stock lasts 1.5 periods, less than the 3-period lead time: expedite the open orders"),
            "{r}"
        );
    }

    #[test]
    fn rounding_by_pack_moq_and_cap_is_named() {
        let packs = Context { order_quantity: 75.0, lot: Some(25.0), ..context() };
        assert!(explain(&packs).contains("rounded up from 60 to packs of 25"));
        let units = Context { order_quantity: 61.0, raw_quantity: 60.2, lot: Some(1.0), ..context() };
        assert!(!explain(&units).contains("rounded"), "{}", explain(&units));
        let moq = Context { order_quantity: 100.0, min_order: 100.0, ..context() };
        assert!(explain(&moq).contains("raised from 60 to the minimum order 100"));
        let cap = Context { order_quantity: 50.0, max_order: Some(50.0), ..context() };
        assert!(explain(&cap).contains("capped at the maximum order 50"));
        let eoq = Context {
            order_quantity: 90.0,
            raw_quantity: 90.0,
            sizing: OrderSizing::Eoq,
            eoq: Some(90.0),
            ..context()
        };
        assert!(explain(&eoq).contains("the EOQ 90 exceeds the shortfall 60"));
    }

    #[test]
    fn no_order_and_no_demand() {
        let c = Context {
            position: 10.0,
            order_up_to: 0.0,
            periods_until_stockout: None,
            order_quantity: 0.0,
            raw_quantity: 0.0,
            ..context()
        };
        assert_eq!(explain(&c), "no order: position 10 covers the order-up-to level 0; no demand is expected");
    }
}
