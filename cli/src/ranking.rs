//! Which orders a planner looks at first, for the console's top orders and the report's table:
//! class A before B before C (the items that carry the money), then the most urgent (priority),
//! then the largest order value, then the SKU (a total order, so the listing is deterministic).

use std::cmp::Ordering;
use std::collections::HashMap;

use forestock::plan::{ItemMaster, SkuPlan};

/// A plan with what the listings show next to it.
#[derive(Debug, Clone, Copy)]
pub struct Ranked<'a> {
    /// The SKU's plan.
    pub plan: &'a SkuPlan,
    /// Its item master row (`None` if the caller has none for it).
    pub item: Option<&'a ItemMaster>,
    /// Order quantity × unit cost (0 without an item row).
    pub value: f64,
}

/// The planner's ordering of two ranked plans (see the module docs).
pub fn planner_order(a: &Ranked<'_>, b: &Ranked<'_>) -> Ordering {
    a.plan
        .abc_class
        .cmp(&b.plan.abc_class)
        .then(a.plan.recommendation.priority.cmp(&b.plan.recommendation.priority))
        .then(b.value.total_cmp(&a.value))
        .then(a.plan.sku.cmp(&b.plan.sku))
}

/// Every plan with its item and order value, in the planner's order; `orders_only` keeps the SKUs
/// that should reorder now.
pub fn ranked<'a>(plans: &'a [SkuPlan], items: &'a [ItemMaster], orders_only: bool) -> Vec<Ranked<'a>> {
    let by_sku: HashMap<&str, &ItemMaster> = items.iter().map(|i| (i.sku.as_str(), i)).collect();
    let mut rows: Vec<Ranked<'a>> = plans
        .iter()
        .filter(|p| !orders_only || p.recommendation.should_reorder)
        .map(|plan| {
            let item = by_sku.get(plan.sku.as_str()).copied();
            let value = plan.recommendation.order_quantity * item.map_or(0.0, |i| i.unit_cost);
            Ranked { plan, item, value }
        })
        .collect();
    rows.sort_by(planner_order);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use forestock::control::Control;
    use forestock::inventory::abc::AbcClass;
    use forestock::inventory::recommend::Priority;
    use forestock::plan::{run_plan_checked, PlanConfig, SkuHistory};

    /// 30 SKUs: six expensive ones short of stock and so urgent, the rest cheap, many of them urgent
    /// too.
    fn catalogue() -> (Vec<SkuHistory>, Vec<ItemMaster>) {
        let mut histories = Vec::new();
        let mut items = Vec::new();
        for i in 0..30 {
            let sku = format!("S{i:02}");
            let level = 40.0 + (i % 7) as f64 * 5.0;
            let demand = (0..60).map(|t| level + ((t * 7 + i) % 5) as f64).collect();
            let expensive = i < 6;
            let unit_cost = if expensive { 500.0 + 10.0 * i as f64 } else { 1.0 + (i % 3) as f64 };
            let on_hand = if expensive || i % 2 == 0 { level * 0.5 } else { level * 12.0 };
            items.push(ItemMaster::new(&sku, unit_cost, 3.0).with_on_hand(on_hand));
            histories.push(SkuHistory { sku, demand });
        }
        (histories, items)
    }

    #[test]
    fn class_a_urgent_orders_come_first_then_priority_then_value() {
        let (histories, items) = catalogue();
        let output = run_plan_checked(&histories, &items, &[], &PlanConfig::with_season_length(1), &Control::new())
            .expect("plan");
        let rows = ranked(&output.plans, &items, true);
        let classes: Vec<AbcClass> = rows.iter().map(|r| r.plan.abc_class).collect();
        // The expensive SKUs carry most of the value: four are class A, all short of stock and urgent.
        let class_a: Vec<&Ranked<'_>> = rows.iter().filter(|r| r.plan.abc_class == AbcClass::A).collect();
        assert_eq!(class_a.len(), 4, "{classes:?}");
        assert!(class_a
            .iter()
            .all(|r| r.plan.sku.as_str() < "S06" && r.plan.recommendation.priority == Priority::Urgent));
        // Cheap urgent orders of larger quantity exist, yet every class-A order is listed before them.
        let cheap_urgent = rows
            .iter()
            .filter(|r| r.plan.abc_class == AbcClass::C && r.plan.recommendation.priority == Priority::Urgent)
            .map(|r| r.plan.recommendation.order_quantity)
            .fold(0.0, f64::max);
        assert!(class_a.iter().any(|r| r.plan.recommendation.order_quantity < cheap_urgent), "{cheap_urgent}");
        assert!(classes.windows(2).all(|w| w[0] <= w[1]), "{classes:?}");
        for w in rows.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.plan.abc_class == b.plan.abc_class {
                let (pa, pb) = (a.plan.recommendation.priority, b.plan.recommendation.priority);
                assert!(pa < pb || (pa == pb && a.value >= b.value), "{} before {}", a.plan.sku, b.plan.sku);
            }
        }
        let value = rows[0].plan.recommendation.order_quantity * rows[0].item.expect("item").unit_cost;
        assert_eq!(rows[0].value, value);
        assert!(rows.iter().all(|r| r.plan.recommendation.should_reorder));
        assert_eq!(ranked(&output.plans, &items, false).len(), output.plans.len());
    }
}
