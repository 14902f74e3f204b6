//! Lead times learned from receipts and purchase orders per supplier, end to end on the demo
//! catalogue: receipts simulated with a seeded generator, the planning job, the orders.

use forestock::plan::{run_plan, ItemMaster, PlanConfig};
use forestock::random::Rng;
use forestock::supply::purchase_orders::{
    purchase_orders, purchase_orders_from_plan, LineReason, OrderNeed, SupplierTerms,
};
use forestock::supply::receipts::{fill_item_lead_times, lead_times_from_receipts, LeadTimeConfig, ReceiptLine, Stamp};
use forestock::Result;
use forestock_cli::demo;

/// Receipts of `n` orders of `sku` from `supplier`, lead times `mean · exp(0.15 z)` rounded to days.
fn simulated(sku: &str, supplier: &str, n: usize, mean: f64, rng: &mut Rng, start: usize) -> Vec<ReceiptLine> {
    (0..n)
        .map(|i| {
            let ordered = (start + 7 * i) as f64;
            let lead = (mean * (0.15 * rng.normal()).exp()).round().max(1.0);
            ReceiptLine {
                sku: sku.into(),
                supplier: supplier.into(),
                ordered_at: Stamp::Period(ordered),
                received_at: Stamp::Period(ordered + lead),
                quantity: 12.0,
            }
        })
        .collect()
}

#[test]
fn shrinkage_outliers_and_the_item_master() -> Result<()> {
    let mut rng = Rng::new(20_261_201);
    let mut lines = simulated("steady", "acme", 30, 10.0, &mut rng, 0);
    lines.extend(simulated("other", "acme", 30, 6.0, &mut rng, 3));
    lines.extend(simulated("new", "acme", 1, 14.0, &mut rng, 5).into_iter().map(|mut l| {
        l.received_at = Stamp::Period(5.0 + 14.0);
        l
    }));
    // A 5x lead time on the steady item (a misdated receipt).
    lines.push(ReceiptLine {
        sku: "steady".into(),
        supplier: "acme".into(),
        ordered_at: Stamp::Period(400.0),
        received_at: Stamp::Period(450.0),
        quantity: 12.0,
    });
    let report = lead_times_from_receipts(&lines, &LeadTimeConfig::default())?;
    assert_eq!(report.outliers.len(), 1, "{:?}", report.outliers);
    assert_eq!((report.outliers[0].row, report.outliers[0].lead_time), (62, 50.0));
    assert!(report.rejected.is_empty());

    let supplier = &report.suppliers[0];
    let gap = |e: &forestock::supply::receipts::LeadTimeEstimate| (e.raw_mean - e.mean) / (e.raw_mean - supplier.mean);
    let new = report.estimate("new", "acme").expect("new");
    let steady = report.estimate("steady", "acme").expect("steady");
    assert_eq!((new.receipts, steady.receipts), (1, 30));
    // 1 receipt: 3/4 of the way to the supplier's mean; 30 receipts: 3/33.
    assert!((gap(new) - 0.75).abs() < 1e-12);
    assert!((gap(steady) - 3.0 / 33.0).abs() < 1e-12);
    assert!((new.mean - (0.25 * 14.0 + 0.75 * supplier.mean)).abs() < 1e-12);
    // The outlier is left out: the steady item's mean stays near 10 (it would be ~11.3 with it).
    assert!((steady.raw_mean - 10.0).abs() < 0.6, "{}", steady.raw_mean);
    assert!(steady.sd > 0.5 && steady.sd < 2.5, "{}", steady.sd);

    let mut items: Vec<ItemMaster> = ["steady", "new", "unknown"]
        .iter()
        .map(|sku| serde_json::from_value(serde_json::json!({"sku": sku, "unit_cost": 2, "lead_time": 3})))
        .collect::<std::result::Result<_, _>>()?;
    let fill = fill_item_lead_times(&mut items, &report);
    assert_eq!(fill.filled, ["steady", "new"]);
    assert_eq!(fill.without_estimate.len(), 1);
    assert_eq!((items[1].lead_time, items[1].lead_time_sd), (new.mean, new.sd));
    assert_eq!(items[2].lead_time, 3.0);
    // Deterministic.
    assert_eq!(lead_times_from_receipts(&lines, &LeadTimeConfig::default())?, report);
    Ok(())
}

#[test]
fn demo_plan_orders_per_supplier() -> Result<()> {
    let mut catalogue = demo::generate(120, 104, 7);
    // Caps on a few items, so the top-up meets maximums.
    for (i, item) in catalogue.items.iter_mut().enumerate() {
        if i % 5 == 0 {
            item.max_order = Some(item.lot_size.max(item.moq) * 3.0);
        }
    }
    let config = PlanConfig { horizon: 4, ..PlanConfig::with_season_length(52) };
    let plan = run_plan(&catalogue.histories, &catalogue.items, &config)?;
    let terms = demo::supplier_terms();
    let report = purchase_orders_from_plan(&plan, &catalogue.items, &terms)?;
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let item = |sku: &str| catalogue.items.iter().find(|i| i.sku == sku).expect("item");
    let mut topped = 0;
    let mut unreachable = 0;
    for po in &report.orders {
        for l in &po.lines {
            let it = item(&l.sku);
            assert_eq!(it.supplier, po.supplier, "{}", l.sku);
            let packs = l.quantity / it.lot_size;
            assert!((packs - packs.round()).abs() < 1e-9, "{} not a pack multiple: {l:?}", l.sku);
            assert!(l.quantity >= it.moq, "{l:?}");
            if let Some(cap) = it.max_order {
                assert!(l.quantity <= cap + 1e-9, "{} above its maximum {cap}: {l:?}", l.sku);
            }
            if l.reason == LineReason::BroughtForward {
                assert_eq!(l.recommended_quantity, 0.0);
            }
        }
        let value: f64 = po.lines.iter().map(|l| l.value).sum();
        assert!((value - po.total_value).abs() < 1e-6);
        if po.supplier.is_some() {
            assert_eq!(po.meets_min_order_value, po.total_value >= po.min_order_value);
            if po.total_value > po.recommended_value + 1e-9 {
                topped += 1;
                assert!(po.recommended_value < po.target_value);
            }
            if po.shortfall > 0.0 {
                unreachable += 1;
                assert!(po.note.as_deref().is_some_and(|n| n.contains("cannot reach")), "{po:?}");
            }
        }
    }
    let unassigned = report.orders.iter().filter(|o| o.supplier.is_none()).count();
    assert!(unassigned <= 1);
    assert!(topped > 0, "the demo's minimums should make some top-ups");
    println!("{} orders, {topped} topped up, {unreachable} short of their target", report.orders.len());
    Ok(())
}

#[test]
fn top_up_prefers_the_soonest_items_and_respects_maximums() -> Result<()> {
    let item = |sku: &str, lot: f64, max: Option<f64>| -> Result<ItemMaster> {
        Ok(serde_json::from_value(serde_json::json!({
            "sku": sku, "unit_cost": 10, "lead_time": 2, "lot_size": lot, "max_order": max, "supplier": "s"
        }))?)
    };
    let need = |sku: &str, q: f64, days: f64| OrderNeed {
        sku: sku.into(),
        order_quantity: q,
        periods_until_stockout: Some(days),
        inventory_position: 10.0,
        reorder_point: 12.0,
    };
    let items = vec![item("a", 5.0, Some(10.0))?, item("b", 5.0, None)?, item("c", 5.0, None)?];
    let needs = vec![need("c", 0.0, 8.0), need("a", 5.0, 1.0), need("b", 0.0, 3.0)];
    let terms = |min: f64| vec![SupplierTerms { id: "s".into(), min_order_value: min, free_freight_threshold: None }];
    // 50 recommended; 250 is reached by a (+5, at its maximum 10), b (5, then 10) and c (5): b, the
    // sooner of the two not due, takes the extra pack once a is capped.
    let po = &purchase_orders(&needs, &items, &terms(250.0))?.orders[0];
    let q: Vec<(&str, f64)> = po.lines.iter().map(|l| (l.sku.as_str(), l.quantity)).collect();
    assert_eq!(q, vec![("a", 10.0), ("b", 10.0), ("c", 5.0)]);
    assert_eq!(po.total_value, 250.0);
    // 60 is reached by a alone.
    let po = &purchase_orders(&needs, &items, &terms(60.0))?.orders[0];
    assert_eq!(po.lines.len(), 1);
    // With every item capped the target cannot be reached: reported, not an error.
    let capped = vec![item("a", 5.0, Some(10.0))?, item("b", 5.0, Some(5.0))?, item("c", 5.0, Some(5.0))?];
    let po = &purchase_orders(&needs, &capped, &terms(10_000.0))?.orders[0];
    assert_eq!(po.total_value, 200.0);
    assert_eq!(po.shortfall, 9_800.0);
    assert!(!po.meets_min_order_value && po.note.is_some());
    Ok(())
}
