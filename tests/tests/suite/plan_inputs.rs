//! A newcomer's item master plans on the first try (defaults that plan), one bad row fails one SKU
//! (per-SKU isolation), and a run that plans little or nothing says so (run status).

use forestock::control::Control;
use forestock::plan::{
    read_item_rows, run_plan, run_plan_checked, FieldNames, ItemMaster, PlanConfig, RunStatus, SkuFailure, SkuHistory,
};
use forestock::random::Rng;
use serde_json::json;

/// `n` weekly SKUs (two years): level 5..200 with noise, every third one seasonal, every fifth
/// trending, on hand between 0 and 8 weeks of demand; (histories, on_hand, unit_cost, lead_time).
pub(crate) fn catalogue(n: usize) -> (Vec<SkuHistory>, Vec<(f64, f64, f64)>) {
    let mut histories = Vec::with_capacity(n);
    let mut stock = Vec::with_capacity(n);
    for i in 0..n {
        let mut rng = Rng::stream(20_261_201, i as u64);
        let level = 5.0 + 195.0 * rng.uniform();
        let seasonal = if i % 3 == 0 { 0.4 } else { 0.0 };
        let trend = if i % 5 == 0 { 0.004 } else { 0.0 };
        let demand: Vec<f64> = (0..104)
            .map(|t| {
                let season = 1.0 + seasonal * (2.0 * std::f64::consts::PI * t as f64 / 52.0).sin();
                let mean = level * season * (1.0 + trend * t as f64);
                (mean * (1.0 + 0.2 * rng.normal())).round().max(0.0)
            })
            .collect();
        let on_hand = (level * 8.0 * rng.uniform()).round();
        let unit_cost = (1.0 + 99.0 * rng.uniform()).round();
        let lead_time = (1.0 + 6.0 * rng.uniform()).floor();
        histories.push(SkuHistory { sku: format!("SKU-{i:04}"), demand });
        stock.push((on_hand, unit_cost, lead_time));
    }
    (histories, stock)
}

/// Weeks of cover after ordering: (inventory position + order) / mean forecast demand per week.
pub(crate) fn max_cover_weeks(out: &forestock::plan::PlanOutput) -> f64 {
    out.plans
        .iter()
        .map(|p| {
            let r = &p.recommendation;
            let weekly = p.forecast.mean.iter().sum::<f64>() / p.forecast.mean.len() as f64;
            (r.inventory_position + r.order_quantity) / weekly
        })
        .fold(0.0, f64::max)
}

#[test]
fn a_minimal_item_master_plans_every_sku() {
    let (histories, stock) = catalogue(500);
    // The Rust way: the three required fields plus on hand.
    let items: Vec<ItemMaster> = histories
        .iter()
        .zip(&stock)
        .map(|(h, &(on_hand, cost, lead))| ItemMaster::new(h.sku.clone(), cost, lead).with_on_hand(on_hand))
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    assert!(out.failures.is_empty(), "{:?}", &out.failures[..out.failures.len().min(3)]);
    assert_eq!((out.stats.planned, out.stats.skus, out.status()), (500, 500, RunStatus::Ok));
    let cover = max_cover_weeks(&out);
    assert!(cover <= 26.0, "max cover {cover:.1} weeks");
    assert!(out.stats.orders > 100, "{} orders", out.stats.orders); // stock of 0..8 weeks: many reorder

    // The frame way: records with only unique_id, unit_cost, lead_time, on_hand.
    let records: Vec<serde_json::Value> = histories
        .iter()
        .zip(&stock)
        .map(|(h, &(on_hand, cost, lead))| json!({"unique_id": h.sku, "unit_cost": cost, "lead_time": lead, "on_hand": on_hand}))
        .collect();
    let rows = read_item_rows(&records, "unique_id", FieldNames::Snake).expect("columns");
    assert!(rows.rejected.is_empty() && rows.notes.is_empty());
    let from_rows = run_plan_checked(&histories, &rows.items, &rows.rejected, &PlanConfig::default(), &Control::new())
        .expect("run");
    assert_eq!(from_rows, out);
}

#[test]
fn the_default_holding_rate_is_25_percent_a_year() {
    let (histories, stock) = catalogue(1);
    let item = ItemMaster::new(histories[0].sku.clone(), stock[0].1, stock[0].2);
    let weekly = run_plan(&histories, std::slice::from_ref(&item), &PlanConfig::default()).expect("run");
    let explicit = item.clone().with_holding_cost_rate(0.25 / 52.0);
    let same = run_plan(&histories, &[explicit], &PlanConfig::default()).expect("run");
    assert_eq!(weekly.plans[0].recommendation, same.plans[0].recommendation);
    let monthly = PlanConfig { periods_per_year: 12.0, ..PlanConfig::default() };
    let cost = |o: &forestock::plan::PlanOutput| o.plans[0].recommendation.expected_cost_per_period;
    let m = run_plan(&histories, &[item], &monthly).expect("run");
    // Same stock, a period 52/12 times as long: the holding cost per period scales with it.
    assert!((cost(&m) / cost(&weekly) - 52.0 / 12.0).abs() < 1e-9, "{} vs {}", cost(&m), cost(&weekly));
}

#[test]
fn a_duplicate_item_row_fails_that_sku_only_and_once() {
    let (histories, stock) = catalogue(10);
    let mut items: Vec<ItemMaster> = histories
        .iter()
        .zip(&stock)
        .map(|(h, &(oh, c, l))| ItemMaster::new(h.sku.clone(), c, l).with_on_hand(oh))
        .collect();
    let mut twin = items[4].clone();
    twin.on_hand += 100.0;
    items.push(twin);
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    assert_eq!(out.failures.len(), 1, "{:?}", out.failures);
    let f = &out.failures[0];
    assert_eq!((f.sku.as_str(), f.code.as_str()), ("SKU-0004", "ERR_CORRUPT_RECORD"));
    assert!(f.message.contains("2 item master rows"), "{}", f.message);
    assert!(out.plans.iter().all(|p| p.sku != "SKU-0004"));
    assert_eq!((out.stats.skus, out.stats.planned, out.stats.failed), (10, 9, 1));
}

#[test]
fn a_duplicate_history_fails_once() {
    let (mut histories, stock) = catalogue(5);
    histories.push(histories[2].clone());
    let items: Vec<ItemMaster> = histories[..5]
        .iter()
        .zip(&stock)
        .map(|(h, &(oh, c, l))| ItemMaster::new(h.sku.clone(), c, l).with_on_hand(oh))
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    assert_eq!(out.failures.iter().map(|f| f.sku.as_str()).collect::<Vec<_>>(), ["SKU-0002"]);
    assert_eq!((out.stats.skus, out.stats.planned), (5, 4));
}

#[test]
fn bad_rows_fail_their_sku_and_never_plan_it() {
    let (histories, stock) = catalogue(8);
    let mut records: Vec<serde_json::Value> = histories
        .iter()
        .zip(&stock)
        .map(|(h, &(oh, c, l))| json!({"unique_id": h.sku, "unit_cost": c, "lead_time": l, "on_hand": oh}))
        .collect();
    records[1]["unit_cost"] = json!("inf"); // a non-finite cost, as the Python binding sends it
    records[2]["on_hand"] = json!("twelve"); // a string on hand
    records[3]["on_hand"] = json!("5.00"); // a numeric string (Postgres numeric): read, with a note
    records[4]["unique_id"] = serde_json::Value::Null; // a row without an id
    records.push(records[5].clone()); // a duplicate row
    let rows = read_item_rows(&records, "unique_id", FieldNames::Snake).expect("columns");
    // A duplicate demand period reported by the frame conversion.
    let mut rejected = rows.rejected.clone();
    rejected.push(forestock::plan::duplicate_period("SKU-0006", "ds", "17", 18, 230));
    let out =
        run_plan_checked(&histories, &rows.items, &rejected, &PlanConfig::default(), &Control::new()).expect("run");
    let failed: Vec<(&str, &str)> = out.failures.iter().map(|f| (f.sku.as_str(), f.code.as_str())).collect();
    assert_eq!(
        failed,
        [
            ("SKU-0001", "ERR_INVALID_ROW"),
            ("SKU-0002", "ERR_INVALID_ROW"),
            ("", "ERR_INVALID_ROW"),
            ("SKU-0005", "ERR_INVALID_ROW"),
            ("SKU-0006", "ERR_INVALID_ROW"),
            ("SKU-0004", "ERR_MISSING_DATA"), // its history has no item row left
        ]
    );
    assert_eq!(out.failures[0].message, "row 2: `SKU-0001`: `unit_cost` = inf: must be a finite number > 0");
    assert_eq!(out.failures[3].message, "row 9: `SKU-0005`: duplicate item master row (first at row 6)");
    let planned: Vec<&str> = out.plans.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(planned, ["SKU-0000", "SKU-0003", "SKU-0007"]);
    assert_eq!(out.plans[1].recommendation.inventory_position, 5.0);
    assert_eq!(rows.notes.len(), 1);
    assert_eq!((out.stats.skus, out.stats.planned, out.stats.failed), (9, 3, 6));
    assert_eq!(out.status(), RunStatus::Degraded);
    assert_eq!(out.stats.failures_by_code.get("ERR_INVALID_ROW"), Some(&5));
}

#[test]
fn status_follows_the_counts() {
    let (histories, stock) = catalogue(6);
    let items = |lead: &dyn Fn(usize) -> f64| -> Vec<ItemMaster> {
        histories
            .iter()
            .zip(&stock)
            .enumerate()
            .map(|(i, (h, s))| ItemMaster::new(h.sku.clone(), s.1, lead(i)))
            .collect()
    };
    let run = |items: &[ItemMaster]| run_plan(&histories, items, &PlanConfig::default()).expect("run");
    assert_eq!(run(&items(&|_| 2.0)).status(), RunStatus::Ok);
    assert_eq!(run(&items(&|i| if i < 3 { -1.0 } else { 2.0 })).status(), RunStatus::Ok); // half: ok
    let degraded = run(&items(&|i| if i < 4 { -1.0 } else { 2.0 }));
    assert_eq!((degraded.status(), degraded.stats.planned), (RunStatus::Degraded, 2));
    let failed = run(&items(&|_| -1.0));
    assert_eq!((failed.status(), failed.stats.failed), (RunStatus::Failed, 6));
    let json = serde_json::to_value(&failed.stats).expect("json");
    assert_eq!(json["status"], "failed");
    assert_eq!(json["failures_by_code"]["ERR_INVALID_PARAMETER"], 6);
    let empty = run_plan(&[], &[], &PlanConfig::default()).expect("run");
    assert_eq!(empty.status(), RunStatus::Failed);
    // A rejection without an SKU (row without id) is kept as is, each time.
    let no_id =
        SkuFailure { sku: String::new(), code: "ERR_INVALID_ROW".into(), message: "row 3: missing `sku`".into() };
    let out = run_plan_checked(
        &histories,
        &items(&|_| 2.0),
        &[no_id.clone(), no_id],
        &PlanConfig::default(),
        &Control::new(),
    )
    .expect("run");
    assert_eq!((out.stats.planned, out.stats.failed), (6, 2));
}

#[test]
fn every_recommendation_says_why_its_priority_and_order_disagree() {
    let (histories, stock) = catalogue(500);
    // Every fourth SKU has a large open order: its position covers the order-up-to level while the
    // shelf may still run out before the order arrives. Every fourth from the second has a short but
    // very uncertain lead time and five weeks on hand: not urgent, yet below its order-up-to level.
    let items: Vec<ItemMaster> = histories
        .iter()
        .zip(&stock)
        .enumerate()
        .map(|(i, (h, &(on_hand, cost, lead)))| match i % 4 {
            0 => ItemMaster::new(h.sku.clone(), cost, lead).with_on_hand(on_hand).with_on_order(2000.0),
            1 => {
                let weekly = h.demand.iter().sum::<f64>() / h.demand.len() as f64;
                ItemMaster::new(h.sku.clone(), cost, 1.0).with_lead_time_sd(3.0).with_on_hand((5.0 * weekly).round())
            }
            _ => ItemMaster::new(h.sku.clone(), cost, lead).with_on_hand(on_hand),
        })
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    let (mut urgent_without_order, mut low_with_order) = (0, 0);
    for p in &out.plans {
        let r = &p.recommendation;
        let why = &r.reason;
        assert_eq!(why.starts_with("order "), r.order_quantity > 0.0, "{}: {why}", p.sku);
        assert_eq!(why.starts_with("no order"), r.order_quantity == 0.0, "{}: {why}", p.sku);
        match (r.priority, r.should_reorder) {
            (forestock::inventory::Priority::Urgent, false) => {
                urgent_without_order += 1;
                assert!(why.contains("expedite the open orders"), "{}: {why}", p.sku);
            }
            (forestock::inventory::Priority::Urgent, true) => assert!(why.ends_with(": expedite"), "{}: {why}", p.sku),
            (forestock::inventory::Priority::Low, true) => {
                low_with_order += 1;
                assert!(why.contains("so it is not urgent"), "{}: {why}", p.sku);
            }
            _ => {}
        }
    }
    // Both disagreements of issue 14 occur in this catalogue, and each is explained.
    assert!(urgent_without_order >= 10 && low_with_order >= 10, "{urgent_without_order} {low_with_order}");
}
