//! The main job's exit status: 0 when the plan is ok, 4 when no SKU was planned, 3 when more than
//! half failed — so a cron job or CI step notices a run that produced (almost) nothing. Runs the
//! `forestock-plan` binary that `cargo test` builds for this crate's integration tests.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

fn daily_plan_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_forestock-plan"))
}

/// Demand and item CSVs for `n` weekly SKUs; `lead_time(i)` sets each item's lead time. The item
/// file has only the columns a newcomer starts with: sku, unit_cost, lead_time, on_hand.
fn write_inputs(dir: &std::path::Path, n: usize, lead_time: impl Fn(usize) -> f64) -> (PathBuf, PathBuf) {
    let mut demand = String::from("sku,period,demand\n");
    let mut items = String::from("sku,unit_cost,lead_time,on_hand\n");
    for i in 0..n {
        for t in 0..60 {
            let y = 20 + (i * 7 + t * 13) % 11;
            writeln!(demand, "S{i},{t},{y}").expect("write");
        }
        writeln!(items, "S{i},{},{},{}", 5 + i, lead_time(i), 10 * (i % 4)).expect("write");
    }
    let (d, it) = (dir.join("demand.csv"), dir.join("items.csv"));
    std::fs::write(&d, demand).expect("demand csv");
    std::fs::write(&it, items).expect("items csv");
    (d, it)
}

fn run(name: &str, n: usize, lead_time: impl Fn(usize) -> f64) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("forestock-daily-plan-exit-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (demand, items) = write_inputs(&dir, n, lead_time);
    let out = Command::new(daily_plan_binary())
        .args(["--quiet", "--season-length", "1", "--demand"])
        .arg(&demand)
        .arg("--items")
        .arg(&items)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .expect("run daily_plan");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.code(), text)
}

#[test]
fn a_minimal_item_file_plans_and_exits_zero() {
    let (code, text) = run("ok", 12, |i| (1 + i % 4) as f64);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("planned 12 of 12 SKUs"), "{text}");
}

#[test]
fn a_run_that_plans_nothing_exits_4() {
    let (code, text) = run("failed", 6, |_| -1.0);
    assert_eq!(code, Some(4), "{text}");
    assert!(text.contains("planning run failed"), "{text}");
}

#[test]
fn a_run_where_most_skus_fail_exits_3() {
    let (code, text) = run("degraded", 6, |i| if i < 4 { -1.0 } else { 2.0 });
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("planning run degraded"), "{text}");
}
