//! A realistic demo catalogue: weekly demand for seasonal, trending, smooth, intermittent, lumpy and
//! new SKUs, with an item master. Deterministic for a given seed.

use forestock::plan::{ItemMaster, SkuHistory};
use forestock::random::Rng;
use forestock::supply::purchase_orders::SupplierTerms;

/// The demand pattern a demo SKU was generated with (kept for the report; the planner never sees it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Yearly seasonality on weekly data.
    Seasonal,
    /// Linear growth or decline.
    Trending,
    /// Level with noise.
    Smooth,
    /// Frequent zero weeks, regular sizes.
    Intermittent,
    /// Rare demand in variable lumps.
    Lumpy,
    /// Recently launched: only a few weeks of history.
    New,
}

impl Pattern {
    /// Pattern of the `i`-th SKU: a fixed mix (25% seasonal, 20% trending, 20% smooth,
    /// 20% intermittent, 10% lumpy, 5% new).
    fn for_index(i: usize) -> Pattern {
        match i % 20 {
            0..=4 => Pattern::Seasonal,
            5..=8 => Pattern::Trending,
            9..=12 => Pattern::Smooth,
            13..=16 => Pattern::Intermittent,
            17 | 18 => Pattern::Lumpy,
            _ => Pattern::New,
        }
    }
}

/// A generated catalogue.
#[derive(Debug, Clone)]
pub struct DemoCatalogue {
    /// Demand histories, one per SKU.
    pub histories: Vec<SkuHistory>,
    /// Item master rows, one per SKU (same order).
    pub items: Vec<ItemMaster>,
    /// The pattern each SKU was drawn from (same order).
    pub patterns: Vec<Pattern>,
}

/// Generate `n_skus` weekly SKUs with `weeks` of history (new SKUs get 4 to 12 weeks).
pub fn generate(n_skus: usize, weeks: usize, seed: u64) -> DemoCatalogue {
    let mut histories = Vec::with_capacity(n_skus);
    let mut items = Vec::with_capacity(n_skus);
    let mut patterns = Vec::with_capacity(n_skus);
    for i in 0..n_skus {
        let mut rng = Rng::stream(seed, i as u64);
        let pattern = Pattern::for_index(i);
        let sku = format!("SKU-{:06}", i + 1);
        let demand = demand_history(pattern, weeks, &mut rng);
        let recent = recent_mean(&demand);
        let mut item = item_master(&sku, recent, &mut rng);
        item.supplier = demo_supplier(i);
        items.push(item);
        histories.push(SkuHistory { sku, demand });
        patterns.push(pattern);
    }
    DemoCatalogue { histories, items, patterns }
}

/// Suppliers of the demo catalogue.
pub const DEMO_SUPPLIERS: usize = 12;

/// The supplier of the `i`-th demo SKU: `SUP-01` .. `SUP-12` in turn, with every 97th SKU left
/// without a supplier (it lands in the unassigned purchase-order group).
fn demo_supplier(i: usize) -> Option<String> {
    (i % 97 != 96).then(|| format!("SUP-{:02}", i % DEMO_SUPPLIERS + 1))
}

/// Terms of the demo suppliers: minimum order values from 250 to 8,500 (the larger ones above what a
/// day's recommended orders reach, so the top-up shows), and a free-freight threshold for every third
/// supplier. Demo items have no maximum order, so every target is reachable.
pub fn supplier_terms() -> Vec<SupplierTerms> {
    (0..DEMO_SUPPLIERS)
        .map(|k| SupplierTerms {
            id: format!("SUP-{:02}", k + 1),
            min_order_value: 250.0 + 750.0 * k as f64,
            free_freight_threshold: (k % 3 == 0).then_some(1_500.0 + 1_000.0 * k as f64),
        })
        .collect()
}

fn recent_mean(demand: &[f64]) -> f64 {
    let tail = &demand[demand.len().saturating_sub(13)..];
    if tail.is_empty() {
        0.0
    } else {
        tail.iter().sum::<f64>() / tail.len() as f64
    }
}

fn between(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.uniform()
}

fn demand_history(pattern: Pattern, weeks: usize, rng: &mut Rng) -> Vec<f64> {
    let base = (between(rng, 2.5, 6.0)).exp(); // about 12 to 400 units a week
    let noise = between(rng, 0.08, 0.2);
    let count = |x: f64| x.max(0.0).round();
    match pattern {
        Pattern::Seasonal => {
            let amplitude = between(rng, 0.2, 0.45);
            let phase = between(rng, 0.0, 52.0);
            (0..weeks)
                .map(|t| {
                    let season = 1.0 + amplitude * (2.0 * std::f64::consts::PI * (t as f64 + phase) / 52.0).sin();
                    count(base * season * (1.0 + noise * rng.normal()))
                })
                .collect()
        }
        Pattern::Trending => {
            let growth = between(rng, -0.004, 0.012);
            (0..weeks)
                .map(|t| count(base * (1.0 + growth * t as f64).max(0.1) * (1.0 + noise * rng.normal())))
                .collect()
        }
        Pattern::Smooth => (0..weeks).map(|_| count(base * (1.0 + noise * rng.normal()))).collect(),
        Pattern::Intermittent => {
            let p = between(rng, 0.25, 0.6);
            let size = between(rng, 1.0, 8.0);
            (0..weeks).map(|_| if rng.uniform() < p { 1.0 + rng.poisson(size) as f64 } else { 0.0 }).collect()
        }
        Pattern::Lumpy => {
            let p = between(rng, 0.08, 0.3);
            let size = between(rng, 5.0, 40.0);
            (0..weeks)
                .map(|_| if rng.uniform() < p { count(size * (0.9 * rng.normal()).exp()).max(1.0) } else { 0.0 })
                .collect()
        }
        Pattern::New => {
            let len = 4 + (rng.uniform() * 9.0) as usize;
            (0..len.min(weeks)).map(|_| count(base * 0.3 * (1.0 + 0.3 * rng.normal()))).collect()
        }
    }
}

fn item_master(sku: &str, recent_mean: f64, rng: &mut Rng) -> ItemMaster {
    let lead_time = (1.0 + rng.uniform() * 6.0).floor();
    let lot_size = [1.0, 1.0, 6.0, 12.0, 24.0][(rng.uniform() * 5.0) as usize % 5];
    // Stock covering between half the lead time and three lead times plus a month.
    let cover_weeks = between(rng, 0.5 * lead_time, 3.0 * lead_time + 4.0);
    ItemMaster {
        sku: sku.to_string(),
        unit_cost: (between(rng, 1.0, 5.5)).exp(),
        lead_time,
        lead_time_sd: (lead_time * between(rng, 0.0, 0.25) * 10.0).round() / 10.0,
        review_period: 1.0,
        on_hand: (recent_mean * cover_weeks).round(),
        on_order: if rng.uniform() < 0.3 { (recent_mean * 2.0).round() } else { 0.0 },
        backorders: 0.0,
        moq: if rng.uniform() < 0.4 { (recent_mean * 2.0).round().max(1.0) } else { 0.0 },
        lot_size,
        max_order: None,
        ordering_cost: between(rng, 20.0, 120.0).round(),
        holding_cost_rate: Some(0.25 / 52.0),
        service_level: None,
        supplier: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_complete() {
        let a = generate(40, 104, 7);
        let b = generate(40, 104, 7);
        assert_eq!(a.histories, b.histories);
        assert_eq!(a.items.len(), 40);
        assert!(a.histories.iter().all(|h| h.demand.iter().all(|v| v.is_finite() && *v >= 0.0)));
        let new_skus = a.patterns.iter().filter(|p| **p == Pattern::New).count();
        assert_eq!(new_skus, 2);
        assert!(a.histories.iter().zip(&a.patterns).any(|(h, p)| *p == Pattern::New && h.demand.len() < 13));
        let zeros = a.histories[13].demand.iter().filter(|v| **v == 0.0).count();
        assert!(zeros > 10, "intermittent SKU should have many zero weeks");
        assert_eq!(a.items[0].supplier.as_deref(), Some("SUP-01"));
        let terms = supplier_terms();
        assert!(a.items.iter().flat_map(|i| &i.supplier).all(|s| terms.iter().any(|t| &t.id == s)));
    }
}
