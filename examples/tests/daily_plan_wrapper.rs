//! `cargo run --release --example daily_plan` keeps working as the README says: the example is a thin
//! wrapper over `forestock_cli::run`, so it takes the job's options, writes the job's outputs and
//! exits with the job's status. The job's own behaviour is tested in the forestock-cli crate.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `daily_plan` example built next to this test (cargo builds a package's examples with its
/// tests; when only this test target was selected, build the example first).
fn daily_plan() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    let path = profile_dir.join("examples").join(format!("daily_plan{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "forestock-examples", "--example", "daily_plan"])
            .status()
            .expect("run cargo");
        assert!(status.success(), "cannot build the daily_plan example");
    }
    path
}

#[test]
fn the_example_runs_the_job_on_demo_data_and_answers_help() {
    let out = std::env::temp_dir().join(format!("forestock-example-wrapper-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(daily_plan())
        .args(["--skus", "24", "--weeks", "60", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("run daily_plan");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("planned 24 of 24 SKUs"), "{stdout}");
    for name in ["recommendations.csv", "report.html", "purchase_orders.csv", "audit.jsonl"] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    std::fs::remove_dir_all(&out).expect("clean up");

    let help = Command::new(daily_plan()).arg("--help").output().expect("run daily_plan --help");
    assert_eq!(help.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&help.stdout), forestock_cli::args::help());
}
