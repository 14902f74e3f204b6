//! The "first hour" catalogue as users have it: 500 weekly SKUs whose sales export leaves out
//! the zero weeks, and an item master with only unique_id, unit_cost, lead_time, on_hand. The core's
//! gap rule (`forestock::periods`) puts the rows back on the weekly grid: the plan equals the plan
//! of the complete histories, the gaps are reported, and the orders stay within 26 weeks of cover.

use forestock::periods::{parse_instant, regularize, DatedRows, Frequency, GapPolicy, TimeAxis};
use forestock::plan::{long_lead_times, run_plan, ItemMaster, PlanConfig, RunStatus, SkuHistory};

use crate::plan_inputs::{catalogue, max_cover_weeks};

const WEEK: i64 = 7 * 86_400;

/// Every fourth SKU sells nothing in weeks where `(t + i) % 5 == 0` (a fifth of its weeks, the last
/// week for some: a trailing gap); the export keeps only the rows with sales.
fn with_zero_weeks(histories: &mut [SkuHistory]) {
    for (i, h) in histories.iter_mut().enumerate().filter(|(i, _)| i % 4 == 0) {
        for (t, y) in h.demand.iter_mut().enumerate() {
            if (t + i) % 5 == 0 {
                *y = 0.0;
            }
        }
    }
}

/// The export: (ids, ds in seconds, y, offsets), rows with zero sales left out; weeks start on
/// Monday 2024-01-01.
fn export(histories: &[SkuHistory]) -> (Vec<String>, Vec<i64>, Vec<f64>, Vec<usize>) {
    let monday = parse_instant("2024-01-01").expect("date");
    let (mut ids, mut ds, mut y, mut offsets) = (Vec::new(), Vec::new(), Vec::new(), vec![0]);
    for h in histories {
        for (t, &v) in h.demand.iter().enumerate().filter(|(_, v)| **v > 0.0) {
            ds.push(monday + t as i64 * WEEK);
            y.push(v);
        }
        ids.push(h.sku.clone());
        offsets.push(y.len());
    }
    (ids, ds, y, offsets)
}

#[test]
fn a_sales_export_without_zero_weeks_plans_500_of_500_and_reports_the_gaps() {
    let (mut histories, stock) = catalogue(500);
    with_zero_weeks(&mut histories);
    let (ids, ds, y, offsets) = export(&histories);
    let rows = DatedRows { ids: &ids, ds: &ds, y: &y, offsets: &offsets, axis: TimeAxis::Seconds };
    let regular = regularize(&rows, None, GapPolicy::Fill, "ds").expect("regular");
    assert_eq!(regular.frequency, Frequency::Step(WEEK));
    assert_eq!(regular.last, parse_instant("2024-01-01").expect("date") + 103 * WEEK);

    // Every SKU with a zero week after its first sale is reported, with its first missing week.
    let expected: Vec<(usize, usize)> = histories
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let first = h.demand.iter().position(|&v| v > 0.0)?;
            let missing = h.demand[first..].iter().filter(|&&v| v == 0.0).count();
            (missing > 0).then_some((i, missing))
        })
        .collect();
    assert_eq!(expected.len(), 125, "every fourth SKU has zero weeks");
    let reported: Vec<(usize, usize)> = regular.gaps.iter().map(|g| (g.series, g.missing)).collect();
    assert_eq!(reported, expected);
    let g = &regular.gaps[0]; // SKU-0000: weeks 0, 5, 10, ... are zero; it starts in week 1
    assert_eq!((g.id.as_str(), g.first_missing_text.as_str(), g.missing), ("SKU-0000", "2024-02-05", 20));
    let summary = regular.gaps_summary(TimeAxis::Seconds).expect("summary");
    let total: usize = expected.iter().map(|(_, m)| m).sum();
    assert!(summary.starts_with(&format!("125 of 500 series had {total} period(s)")), "{summary}");
    assert!(summary.contains("weekly") && summary.contains("`SKU-0000` from 2024-02-05, 20 period(s)"), "{summary}");

    // The filled histories are the complete ones (from each SKU's first sale).
    let filled: Vec<SkuHistory> = ids
        .iter()
        .zip(regular.offsets.windows(2))
        .map(|(sku, w)| SkuHistory { sku: sku.clone(), demand: regular.y[w[0]..w[1]].to_vec() })
        .collect();
    let complete: Vec<SkuHistory> = histories
        .iter()
        .map(|h| {
            let first = h.demand.iter().position(|&v| v > 0.0).unwrap_or(0);
            SkuHistory { sku: h.sku.clone(), demand: h.demand[first..].to_vec() }
        })
        .collect();
    assert_eq!(filled, complete);

    let items: Vec<ItemMaster> = histories
        .iter()
        .zip(&stock)
        .map(|(h, &(on_hand, cost, lead))| ItemMaster::new(h.sku.clone(), cost, lead).with_on_hand(on_hand))
        .collect();
    let out = run_plan(&filled, &items, &PlanConfig::default()).expect("run");
    assert!(out.failures.is_empty(), "{:?}", &out.failures[..out.failures.len().min(3)]);
    assert_eq!((out.stats.planned, out.stats.skus, out.status()), (500, 500, RunStatus::Ok));
    let cover = max_cover_weeks(&out);
    assert!(cover <= 26.0, "max cover {cover:.1} weeks");
    assert!(out.notes.is_empty(), "{:?}", out.notes); // lead times of 1..6 weeks are plausible

    // Asked to fail instead, the first SKU with a gap is named with its first missing week.
    let err = regularize(&rows, None, GapPolicy::Fail, "ds").expect_err("gaps");
    assert_eq!(err.code(), "ERR_MISSING_DATA");
    assert!(err.to_string().contains("`SKU-0000`") && err.to_string().contains("ds = 2024-02-05"), "{err}");
}

#[test]
fn lead_times_over_26_periods_are_noted_and_still_planned() {
    let (histories, stock) = catalogue(8);
    let items: Vec<ItemMaster> = histories
        .iter()
        .zip(&stock)
        .enumerate()
        .map(|(i, (h, &(on_hand, cost, lead)))| {
            // Two lead times given in days for weekly demand.
            let lead = if i == 2 || i == 5 { lead * 7.0 + 30.0 } else { lead };
            ItemMaster::new(h.sku.clone(), cost, lead).with_on_hand(on_hand)
        })
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::default()).expect("run");
    assert_eq!(out.stats.planned, 8);
    assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
    let note = &out.notes[0];
    assert!(note.starts_with("2 SKU(s) have a lead time over 26 periods: SKU-0002 ("), "{note}");
    assert!(note.contains("SKU-0005 (") && note.contains("days given for weekly demand"), "{note}");
    assert_eq!(long_lead_times(&items[..2]), None);
}
