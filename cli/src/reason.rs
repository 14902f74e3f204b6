//! The one sentence that says why a SKU orders or not, for the report's orders table and
//! `recommendations.csv`. The core's recommendation has no reason field, so the job derives it here,
//! in one place, from the two things a planner sees disagree: `should_reorder` (the inventory
//! position, pipeline included, against the reorder point) and `priority` (when the shelf, pipeline
//! ignored, runs out against the lead time L and review period R; forestock::inventory::recommend).

use forestock::inventory::recommend::Priority;
use forestock::plan::{ItemMaster, SkuPlan};

use crate::format::thousands;

/// Why `plan` orders (or does not), naming the numbers that decide it.
pub fn reason(plan: &SkuPlan, item: Option<&ItemMaster>) -> String {
    let r = &plan.recommendation;
    let position = thousands(r.inventory_position, 0);
    let reorder_point = thousands(r.reorder_point, 0);
    let stockout = r.periods_until_stockout.map(|p| thousands(p, 1));
    let lead = item.map(|i| thousands(i.lead_time, 1)).unwrap_or_else(|| "?".into());
    let on_order = item.map_or(0.0, |i| i.on_order);
    match (r.should_reorder, r.priority, stockout) {
        (true, Priority::Urgent, Some(s)) => {
            format!(
                "order now: the shelf runs out in {s} periods, before an order placed now arrives (lead time {lead})"
            )
        }
        (true, Priority::High, Some(s)) => format!(
            "order now: the shelf runs out in {s} periods, before an order placed at the next review would arrive"
        ),
        (true, _, _) => format!("order: position {position} is below the reorder point {reorder_point}"),
        (false, Priority::Urgent | Priority::High, Some(s)) if on_order > 0.0 => format!(
            "no new order: {} units on order cover the reorder point {reorder_point}, but the shelf runs out in {s} \
             periods (lead time {lead}): expedite the open order",
            thousands(on_order, 0)
        ),
        (false, Priority::Urgent | Priority::High, Some(s)) => format!(
            "no new order: position {position} covers the reorder point {reorder_point}, but the shelf runs out in {s} \
             periods (lead time {lead})"
        ),
        (false, _, _) => format!("no order: position {position} covers the reorder point {reorder_point}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forestock::control::Control;
    use forestock::plan::{run_plan_checked, PlanConfig, SkuHistory};

    #[test]
    fn each_case_names_its_numbers() {
        // 50 units a period, lead time 3: short shelf, short shelf with a big open order, plenty.
        let histories: Vec<SkuHistory> = ["SHORT", "OPEN", "PLENTY"]
            .iter()
            .map(|s| SkuHistory { sku: s.to_string(), demand: vec![50.0; 40] })
            .collect();
        let items = vec![
            ItemMaster::new("SHORT", 2.0, 3.0).with_on_hand(60.0),
            ItemMaster::new("OPEN", 2.0, 3.0).with_on_hand(60.0).with_on_order(2_000.0),
            ItemMaster::new("PLENTY", 2.0, 3.0).with_on_hand(5_000.0),
        ];
        let output = run_plan_checked(&histories, &items, &[], &PlanConfig::with_season_length(1), &Control::new())
            .expect("plan");
        let text: Vec<String> = output.plans.iter().zip(&items).map(|(p, i)| reason(p, Some(i))).collect();
        assert!(text[0].starts_with("order now: the shelf runs out in 1.2 periods"), "{}", text[0]);
        assert!(text[0].ends_with("(lead time 3.0)"), "{}", text[0]);
        assert!(text[1].starts_with("no new order: 2,000 units on order cover the reorder point"), "{}", text[1]);
        assert!(text[1].ends_with("expedite the open order"), "{}", text[1]);
        assert!(text[2].starts_with("no order: position 5,000 covers the reorder point"), "{}", text[2]);
    }
}
