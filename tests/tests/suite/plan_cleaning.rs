//! The planner cleans demand history of anomalies before fitting (`PlanConfig::clean_anomalies`).
//!
//! A demo catalogue gets two gross spikes (three times the SKU's largest demand) in every other
//! SKU's history, one 6 weeks and one 40 weeks before the end; lumpy SKUs (lognormal lumps, where
//! three times the largest lump is plausible demand) and new ones (a few weeks of history) are left
//! as they are. Planned without cleaning, the spikes
//! inflate the safety stock and the order-up-to level; with `Replace` or `LeaveOut` the spiked SKUs
//! report the flags and are planned as if the spikes had not happened.
//!
//! The closed-loop effect of cleaning (same replay as `closed_loop.rs`) is measured, not timed: run
//! `CLEANING_REPLAY=1 cargo test --release -p forestock-tests --test suite plan_cleaning:: -- --nocapture`.

use forestock::anomaly::CleaningChoice;
use forestock::plan::{replay_sku, run_plan, PlanConfig, PlanOutput, ReplayConfig, SkuHistory, SkuPlan};
use forestock::random::Rng;
use forestock_cli::demo::{self, Pattern};

const SKUS: usize = 24;
const WEEKS: usize = 104;
const SPIKES: [usize; 2] = [WEEKS - 6, WEEKS - 40];

/// Which SKUs of the catalogue get spikes.
fn is_spiked(c: &demo::DemoCatalogue) -> Vec<bool> {
    c.patterns.iter().enumerate().map(|(k, p)| k % 2 == 0 && !matches!(p, Pattern::Lumpy | Pattern::New)).collect()
}

fn spiked(c: &demo::DemoCatalogue) -> Vec<SkuHistory> {
    let mut out = c.histories.to_vec();
    for (h, _) in out.iter_mut().zip(is_spiked(c)).filter(|(_, s)| *s) {
        let top = h.demand.iter().copied().fold(1.0, f64::max);
        SPIKES.iter().for_each(|&i| h.demand[i] = 3.0 * top);
    }
    out
}

fn plan(histories: &[SkuHistory], items: &[forestock::plan::ItemMaster], clean: Option<CleaningChoice>) -> PlanOutput {
    let config = PlanConfig { clean_anomalies: clean, ..PlanConfig::default() };
    let out = run_plan(histories, items, &config).expect("plan");
    assert_eq!(out.failures, vec![], "{clean:?}");
    out
}

/// Sum of a recommendation field over the spiked SKUs.
fn spiked_sum(out: &PlanOutput, spiked: &[bool], field: fn(&SkuPlan) -> f64) -> f64 {
    out.plans.iter().zip(spiked).filter(|(_, s)| **s).map(|(p, _)| field(p)).sum()
}

#[test]
fn spikes_are_flagged_and_do_not_inflate_the_orders() {
    let c = demo::generate(SKUS, WEEKS, 5);
    let spiky = spiked(&c);
    let marked = is_spiked(&c);
    assert_eq!(marked.iter().filter(|s| **s).count(), 11);
    let sum = |out: &PlanOutput, field: fn(&SkuPlan) -> f64| spiked_sum(out, &marked, field);
    let truth = plan(&c.histories, &c.items, None);
    let raw = plan(&spiky, &c.items, None);
    assert!(raw.plans.iter().all(|p| p.anomalies.is_empty()), "no flags without cleaning");
    let safety = |p: &SkuPlan| p.recommendation.safety_stock;
    let up_to = |p: &SkuPlan| p.recommendation.order_up_to;
    println!("no spikes: safety {:.0}, order-up-to {:.0}", sum(&truth, safety), sum(&truth, up_to));
    println!("spikes kept: safety {:.0}, order-up-to {:.0}", sum(&raw, safety), sum(&raw, up_to));
    for choice in [CleaningChoice::Replace, CleaningChoice::LeaveOut] {
        let out = plan(&spiky, &c.items, Some(choice));
        for (k, p) in out.plans.iter().enumerate() {
            let flagged: Vec<usize> = p.anomalies.iter().map(|a| a.index).collect();
            if marked[k] {
                assert!(SPIKES.iter().all(|i| flagged.contains(i)), "{choice:?} {}: {flagged:?}", p.sku);
                assert!(p.anomalies.iter().all(|a| !a.reason.is_empty() && a.score.abs() > 0.0));
            }
        }
        let total: usize = out.plans.iter().map(|p| p.anomalies.len()).sum();
        assert_eq!(out.stats.anomalies_flagged, total);
        let (s, u) = (sum(&out, safety), sum(&out, up_to));
        // Share of the spikes' inflation (spiked plan minus unspiked plan) that cleaning takes out.
        let removed =
            |now: f64, field: fn(&SkuPlan) -> f64| (sum(&raw, field) - now) / (sum(&raw, field) - sum(&truth, field));
        let (rs, ru) = (removed(s, safety), removed(u, up_to));
        println!("{choice:?}: safety {s:.0}, order-up-to {u:.0}, {total} flags; inflation removed {rs:.3} / {ru:.3}");
        assert_eq!(total, 2 * 11, "{choice:?}: the spikes and nothing else");
        assert!(rs > 0.90 && ru > 0.88 && rs <= 1.05 && ru <= 1.05, "{choice:?}: {rs} {ru}");
    }
    let kept = plan(&spiky, &c.items, Some(CleaningChoice::Keep));
    assert_eq!(sum(&kept, up_to), sum(&raw, up_to), "Keep only reports");
    assert!(kept.plans.iter().zip(&marked).all(|(p, s)| !*s || p.anomalies.len() >= 2));
}

#[test]
fn cleaning_off_leaves_the_plan_and_its_audit_record_unchanged() {
    let c = demo::generate(6, WEEKS, 2);
    let config = PlanConfig::default();
    let out = run_plan(&c.histories, &c.items, &config).expect("plan");
    let payload = out.audit_payload(&config);
    assert!(payload["config"]["clean_anomalies"].is_null(), "off is recorded as null");
    assert!(payload["stats"].get("anomalies_flagged").is_none());
    let json = serde_json::to_value(&out.plans).expect("json");
    assert!(json.as_array().expect("plans").iter().all(|p| p.get("anomalies").is_none()));
    let on = PlanConfig { clean_anomalies: Some(CleaningChoice::Replace), ..PlanConfig::default() };
    assert_eq!(
        run_plan(&c.histories, &c.items, &on).expect("plan").audit_payload(&on)["config"]["clean_anomalies"],
        "replace"
    );
}

/// Closed-loop replay with and without cleaning (the demand of `closed_loop.rs`), printed.
#[test]
fn closed_loop_with_cleaning_is_measured_on_request() {
    if std::env::var("CLEANING_REPLAY").is_err() {
        return;
    }
    let replay = ReplayConfig { warmup: super::closed_loop::WARMUP, seed: 7 };
    println!("{:<13} {:>6} {:>16} {:>16}", "pattern", "target", "off: svc / stock", "on: svc / stock");
    for (p, pattern) in ["seasonal", "trending", "smooth", "intermittent", "lumpy"].iter().enumerate() {
        for target in [0.90, 0.95, 0.99] {
            let mut figures = Vec::new();
            for clean in [None, Some(CleaningChoice::Replace)] {
                let config = PlanConfig { clean_anomalies: clean, ..PlanConfig::with_season_length(52) };
                let (mut good, mut cycles, mut stock) = (0.0, 0.0, 0.0);
                for k in 0..super::closed_loop::SKUS_PER_PATTERN {
                    let mut rng = Rng::stream(11, (p * 1000 + k) as u64);
                    let y = super::closed_loop::demand(pattern, &mut rng);
                    let mut it = super::closed_loop::item(target);
                    it.on_hand = y[..replay.warmup].iter().rev().take(4).sum::<f64>();
                    let r = replay_sku(&y, &it, &config, &replay, (p * 1000 + k) as u64).expect("replay");
                    good += r.cycle_service * r.cycles as f64;
                    cycles += r.cycles as f64;
                    stock += r.average_on_hand;
                }
                figures.push((good / cycles, stock / super::closed_loop::SKUS_PER_PATTERN as f64));
            }
            let [(s0, k0), (s1, k1)] = [figures[0], figures[1]];
            println!("{pattern:<13} {target:>6.2} {s0:>8.3} / {k0:>5.1} {s1:>8.3} / {k1:>5.1}");
            assert!(s1.is_finite() && k1.is_finite());
        }
    }
}
