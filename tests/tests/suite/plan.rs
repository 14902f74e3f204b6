//! The planning job: failure isolation, determinism, consistency of the recommendations.

use forestock::control::Control;
use forestock::plan::{run_plan, run_plan_with, ItemMaster, PlanConfig, SkuHistory};
use forestock_cli::demo;

fn small_catalogue() -> (Vec<SkuHistory>, Vec<ItemMaster>) {
    let c = demo::generate(60, 104, 3);
    (c.histories, c.items)
}

#[test]
fn bad_skus_fail_alone() {
    let (mut histories, mut items) = small_catalogue();
    histories[3].demand[10] = f64::NAN; // corrupt value
    histories[5].demand.clear(); // no history
    histories.push(SkuHistory { sku: "ORPHAN".into(), demand: vec![1.0; 30] }); // no master data
    let mut extra = items[0].clone();
    extra.sku = "NO-HISTORY".into();
    items.push(extra); // master data, no history
    items[7].lead_time = -1.0; // invalid master data
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    let failed: Vec<&str> = out.failures.iter().map(|f| f.sku.as_str()).collect();
    for sku in [histories[3].sku.as_str(), histories[5].sku.as_str(), "ORPHAN", "NO-HISTORY", items[7].sku.as_str()] {
        assert!(failed.contains(&sku), "{sku} should fail: {failed:?}");
    }
    assert_eq!(out.failures.len(), 5, "{:?}", out.failures);
    assert_eq!(out.plans.len(), 60 - 3);
    assert_eq!(out.stats.planned + out.stats.failed, out.stats.skus);
    let nan = out.failures.iter().find(|f| f.sku == histories[3].sku).expect("nan sku");
    assert_eq!(nan.code, "ERR_INVALID_SERIES");
    assert!(nan.message.contains("index 10"), "{}", nan.message);
    let orphan = out.failures.iter().find(|f| f.sku == "ORPHAN").expect("orphan");
    assert_eq!(orphan.code, "ERR_MISSING_DATA");
    let lead = out.failures.iter().find(|f| f.sku == items[7].sku).expect("lead time");
    assert!(lead.message.contains("lead_time"), "{}", lead.message);
}

#[test]
fn deterministic_whatever_the_thread_count() {
    let (histories, items) = small_catalogue();
    let config = PlanConfig::default();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let a = one.install(|| run_plan(&histories, &items, &config)).expect("run");
    let b = run_plan(&histories, &items, &config).expect("run");
    assert_eq!(serde_json::to_string(&a).expect("json"), serde_json::to_string(&b).expect("json"));
}

#[test]
fn recommendations_are_consistent() {
    let (histories, items) = small_catalogue();
    let config = PlanConfig::default();
    let progress = std::sync::atomic::AtomicUsize::new(0);
    let report = |n: usize| {
        progress.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
    };
    let out = run_plan_with(&histories, &items, &config, &Control::new().with_progress(&report)).expect("run");
    assert_eq!(progress.load(std::sync::atomic::Ordering::Relaxed), histories.len());
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    for (p, item) in out.plans.iter().zip(&items) {
        let r = &p.recommendation;
        assert_eq!(p.sku, item.sku);
        assert_eq!(p.forecast.mean.len(), config.horizon);
        assert_eq!(p.forecast.intervals.len(), config.levels.len());
        assert!((r.inventory_position - (item.on_hand + item.on_order - item.backorders)).abs() < 1e-9);
        assert_eq!(r.should_reorder, r.inventory_position < r.reorder_point);
        if r.should_reorder {
            assert!(r.order_quantity >= item.moq);
            let lots = r.order_quantity / item.lot_size;
            assert!((lots - lots.round()).abs() < 1e-9, "{} not a multiple of {}", r.order_quantity, item.lot_size);
        } else {
            assert_eq!(r.order_quantity, 0.0);
        }
        assert!(!p.model_reason.is_empty());
    }
    // Every class is present and the top consumption value is class A.
    let top = out.plans.iter().min_by_key(|p| p.usage_rank).expect("plans");
    assert_eq!(format!("{:?}", top.abc_class), "A");
    let sporadic = out.plans.iter().filter(|p| p.demand_pattern.is_sporadic()).count();
    assert!(sporadic > 0 && out.plans.iter().any(|p| p.model.starts_with("ETS")));
    let payload = out.audit_payload(&config);
    assert_eq!(payload["stats"]["planned"], out.plans.len());
}

#[test]
fn invalid_config_is_a_typed_error() {
    let (histories, items) = small_catalogue();
    let bad = PlanConfig { horizon: 0, ..PlanConfig::default() };
    assert!(run_plan(&histories, &items, &bad).is_err());
    let bad = PlanConfig { levels: vec![100.0], ..PlanConfig::default() };
    assert!(run_plan(&histories, &items, &bad).is_err());
}

#[test]
fn a_cancelled_plan_returns_cancelled() {
    let (histories, items) = small_catalogue();
    let flag = std::sync::atomic::AtomicBool::new(true);
    let out = run_plan_with(&histories, &items, &PlanConfig::default(), &Control::new().with_cancel(&flag));
    assert!(matches!(out, Err(forestock::Error::Cancelled)), "{out:?}");
}

#[test]
fn weekly_retrain_promotes_then_keeps_and_isolates_failures() {
    use chrono::TimeZone;
    use forestock::plan::{run_retrain, RetrainConfig};
    use forestock::registry::Registry;

    let c = demo::generate(20, 104, 9);
    let mut histories = c.histories;
    histories[2].demand = vec![1.0, 2.0]; // too short for any backtest
    let mut registry = Registry::default();
    let config = RetrainConfig::weekly(52);
    let week1 = chrono::Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0).single().expect("date");
    let first = run_retrain(&histories, &mut registry, &config, week1).expect("retrain");
    assert_eq!(first.failures.len(), 1);
    assert_eq!(first.failures[0].sku, histories[2].sku);
    assert_eq!(first.outcomes.len(), 19);
    assert_eq!(first.promoted(), 19, "every SKU without a champion gets one");
    for o in &first.outcomes {
        assert_eq!(o.scores.len(), config.candidates.len());
        // MASE needs more than one season of history (new SKUs have none): then no score.
        let best = o.scores.iter().filter_map(|s| s.mase).reduce(f64::min);
        assert_eq!(o.decision.challenger_score, best, "{}", o.sku);
    }
    // Same data a week later: nothing improves by 2%, every champion is kept.
    let week2 = week1 + chrono::Duration::days(7);
    let second = run_retrain(&histories, &mut registry, &config, week2).expect("retrain");
    assert_eq!(second.promoted(), 0);
    assert_eq!(registry.history().len(), 38);
}

#[test]
fn a_cancelled_retrain_leaves_the_registry_unchanged() {
    use chrono::TimeZone;
    use forestock::plan::{run_retrain_with, RetrainConfig};
    use forestock::registry::Registry;

    let c = demo::generate(5, 104, 3);
    let mut registry = Registry::default();
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0).single().expect("date");
    let flag = std::sync::atomic::AtomicBool::new(true);
    let out = run_retrain_with(
        &c.histories,
        &mut registry,
        &RetrainConfig::weekly(52),
        now,
        &Control::new().with_cancel(&flag),
    );
    assert!(matches!(out, Err(forestock::Error::Cancelled)), "{out:?}");
    assert_eq!(registry.skus().count(), 0);
    assert!(registry.history().is_empty());

    flag.store(false, std::sync::atomic::Ordering::Relaxed);
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let report = |n: usize| {
        seen.fetch_max(n, std::sync::atomic::Ordering::Relaxed);
    };
    let control = Control::new().with_cancel(&flag).with_progress(&report);
    let done =
        run_retrain_with(&c.histories, &mut registry, &RetrainConfig::weekly(52), now, &control).expect("retrain");
    assert_eq!(done.promoted(), 5);
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 5);
}
