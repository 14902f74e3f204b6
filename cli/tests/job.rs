//! The main job end to end: strict CSV input and a tampered audit log, checked on the real
//! `forestock-plan` executable (exit status, stderr, files in the output folder).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The job's binary, built by cargo for this crate's integration tests.
fn daily_plan() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_forestock-plan"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("forestock-job-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(daily_plan()).args(args).arg("--quiet").output().expect("run daily_plan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `weeks` weekly periods of positive demand for `sku`, as CSV rows.
fn history(sku: &str, weeks: usize) -> String {
    (0..weeks).map(|t| format!("{sku},{t},{}\n", 20 + (t * 7) % 11)).collect()
}

const ITEMS: &str = "sku,unit_cost,lead_time,on_hand,holding_cost_rate\n\
                     GOOD,2.0,2,10,0.005\nFRAC,2.0,2,10,0.005\nDUP,2.0,2,10,0.005\nWIDE,2.0,2,10,0.005\n\
                     GOOD2,2.0,2,10,0.005\nGOOD3,2.0,2,10,0.005\nGOOD4,2.0,2,10,0.005\n";

fn plan_csv(dir: &Path, demand: &str) -> (Output, PathBuf) {
    let (d, i, out) = (dir.join("demand.csv"), dir.join("items.csv"), dir.join("out"));
    std::fs::write(&d, demand).expect("write demand");
    std::fs::write(&i, ITEMS).expect("write items");
    let args = [
        "--demand",
        d.to_str().expect("utf-8"),
        "--items",
        i.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ];
    (run(&args), out)
}

#[test]
fn malformed_histories_fail_their_sku_with_the_row_and_the_rest_is_planned() {
    let dir = scratch("csv");
    // FRAC has a fractional period (row 62), DUP a repeated period (rows 134 and 182), WIDE a row with an
    // extra field (row 243): each SKU fails with its row number; GOOD is planned.
    let mut demand = String::from("sku,period,demand\n");
    demand += &history("GOOD", 60);
    demand += "FRAC,58,21\nFRAC,59.5,22\nFRAC,60,23\n";
    demand += &history("FRAC", 58);
    demand += &history("DUP", 60);
    demand += "DUP,12,99\n";
    demand += &history("WIDE", 60);
    demand += "WIDE,60,21,7\n";
    // More good SKUs than failed ones, so the run is not "degraded" (exit 3).
    for sku in ["GOOD2", "GOOD3", "GOOD4"] {
        demand += &history(sku, 60);
    }
    let (output, out) = plan_csv(&dir, &demand);
    assert!(output.status.success(), "stderr: {}", text(&output.stderr));
    let mut reader = csv::Reader::from_path(out.join("failures.csv")).expect("failures.csv");
    let failures: Vec<(String, String, String)> =
        reader.deserialize().collect::<Result<_, _>>().expect("sku,code,message rows");
    let demand_csv = dir.join("demand.csv").display().to_string();
    let expected = [
        ("FRAC", "row 62: `period` = \"59.5\" is not an integer index or an ISO date (YYYY-MM-DD)".to_string()),
        ("DUP", "row 182: duplicate period \"12\" (also on row 134)".to_string()),
        ("WIDE", format!("row 243: {demand_csv}: 4 fields, the header has 3")),
    ];
    assert_eq!(failures.len(), expected.len(), "{failures:?}");
    for (sku, message) in expected {
        let found = failures.iter().find(|f| f.0 == sku).unwrap_or_else(|| panic!("{sku} not in {failures:?}"));
        assert_eq!((found.1.as_str(), &found.2), ("ERR_INVALID_ROW", &message));
    }
    let plans = std::fs::read_to_string(out.join("recommendations.csv")).expect("recommendations.csv");
    let mut planned: Vec<&str> = plans.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    planned.sort_unstable();
    assert_eq!(planned, vec!["GOOD", "GOOD2", "GOOD3", "GOOD4"]);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_row_without_a_sku_fails_the_run_before_anything_is_written() {
    let dir = scratch("nosku");
    let demand = format!("sku,period,demand\nGOOD,0,20\n,1,5\n{}", history("GOOD", 60).replacen("GOOD,0,20\n", "", 1));
    let (output, out) = plan_csv(&dir, &demand);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr).trim(),
        "error: row 2: ".to_string()
            + &dir.join("demand.csv").display().to_string()
            + ": empty `sku` (the row cannot be attributed)"
    );
    assert!(!out.exists(), "no output folder for a failed load");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_tampered_audit_log_stops_the_job_and_leaves_every_output_untouched() {
    let dir = scratch("tampered");
    let out = dir.join("out");
    let out_arg = out.to_str().expect("utf-8");
    let first = run(&["--skus", "30", "--weeks", "60", "--out", out_arg]);
    assert!(first.status.success(), "stderr: {}", text(&first.stderr));
    let names = [
        "recommendations.csv",
        "forecasts.csv",
        "failures.csv",
        "plan.json",
        "report.html",
        "metrics.prom",
        "purchase_orders.csv",
        "audit.jsonl",
    ];
    let metrics = std::fs::read_to_string(out.join("metrics.prom")).expect("metrics.prom");
    assert!(metrics.contains("# TYPE forestock_plan_duration_seconds gauge\n"), "{metrics}");
    assert!(metrics.contains("forestock_plan_skus{job=\"daily_plan\",state=\"succeeded\"} 30\n"), "{metrics}");
    assert!(metrics.contains("forestock_plan_status{job=\"daily_plan\",status=\"ok\"} 1\n"), "{metrics}");
    let audit = out.join("audit.jsonl");
    let original = std::fs::read_to_string(&audit).expect("audit.jsonl");
    assert_eq!(original.lines().count(), 1);
    std::fs::write(&audit, original.replacen("\"daily_plan\"", "\"nightly_plan\"", 1)).expect("tamper");
    let before: Vec<Vec<u8>> = names.iter().map(|n| std::fs::read(out.join(n)).expect("output")).collect();

    let second = run(&["--skus", "40", "--weeks", "60", "--seed", "7", "--out", out_arg]);
    assert_eq!(second.status.code(), Some(1));
    let stderr = text(&second.stderr);
    assert!(stderr.starts_with("error: corrupt record at ") && stderr.contains("record 0 was altered"), "{stderr}");
    let after: Vec<Vec<u8>> = names.iter().map(|n| std::fs::read(out.join(n)).expect("output")).collect();
    for ((name, b), a) in names.iter().zip(&before).zip(&after) {
        assert!(a == b, "{name} changed although the audit chain was broken");
    }
    let mut listed: Vec<String> = std::fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    assert_eq!(listed, expected, "no temporary files left behind");

    // Restored, the chain verifies again and the next run appends to it.
    std::fs::write(&audit, &original).expect("restore");
    let third = run(&["--skus", "30", "--weeks", "60", "--out", out_arg]);
    assert!(third.status.success(), "stderr: {}", text(&third.stderr));
    assert_eq!(std::fs::read_to_string(&audit).expect("audit").lines().count(), 2);
    std::fs::remove_dir_all(&dir).expect("clean up");
}
