//! What the `forestock-plan` binary prints: `--help` on stdout with exit status 0, and the top
//! orders (class A first, then priority, then value) with units and thousands separators.

use std::process::{Command, Output};

use forestock_cli::layout;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forestock-plan")).args(args).output().expect("run forestock-plan")
}

#[test]
fn help_goes_to_stdout_and_exits_zero() {
    for flag in ["--help", "-h"] {
        let out = run(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(out.stderr.is_empty(), "{flag}: nothing on stderr");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert_eq!(text, forestock_cli::args::help(), "{flag}");
        assert!(text.contains("--skus N               demo catalogue: number of SKUs; default 10000"));
        assert!(text.contains("--out DIR              output folder, created if needed; default forestock-out"));
        for column in layout::DEMAND.iter().chain(&layout::ITEMS).chain(&layout::SUPPLIERS) {
            assert!(text.contains(&format!("  {:<23}", column.name)), "{} documented", column.name);
        }
    }
    // A usage error still goes to stderr with status 2.
    let bad = run(&["--horizn", "3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with("error: unknown option `--horizn`"));
}

#[test]
fn top_orders_are_by_class_then_priority_then_value_with_separators() {
    let out_dir = std::env::temp_dir().join(format!("forestock-console-{}", std::process::id()));
    let out = run(&["--skus", "400", "--weeks", "60", "--quiet", "--top", "25", "--currency", "EUR", "--out"]
        .into_iter()
        .chain([out_dir.to_str().expect("utf-8")])
        .collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(&out_dir);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(out.status.code(), Some(0), "{text}");
    let start = text.find("top orders (class A first").expect("top orders heading");
    let mut lines = text[start..].lines().skip(1);
    let header = lines.next().expect("header");
    for unit in ["stockout (periods)", "position (units)", "order (units)", "value (EUR)"] {
        assert!(header.contains(unit), "{header}");
    }
    let rows: Vec<Vec<&str>> = lines.take_while(|l| !l.is_empty()).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 25, "{text}");
    let rank = |p: &str| ["urgent", "high", "medium", "low"].iter().position(|x| *x == p).expect("priority");
    let value = |cells: &[&str]| cells[7].replace(',', "").parse::<f64>().expect("value");
    assert!(rows.iter().all(|r| r[6] == "EUR"), "amounts carry the currency");
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let key = |r: &[&str]| (r[1].to_string(), rank(r[2]));
        assert!(key(a) <= key(b), "{a:?} before {b:?}");
        if key(a) == key(b) {
            assert!(value(a) >= value(b), "{a:?} before {b:?}");
        }
    }
    assert_eq!(rows[0][1], "A");
    assert!(rows.iter().any(|r| value(r) >= 1_000.0 && r[7].contains(',')), "thousands separators");
}

#[test]
fn docs_planning_names_every_option_and_column() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/planning.md")).expect("docs");
    let flags: Vec<&str> = forestock_cli::args::USAGE.split(['[', ']', ' ']).filter(|w| w.starts_with("--")).collect();
    assert_eq!(flags.len(), 13);
    for flag in flags {
        assert!(doc.contains(&format!("`{flag}")), "{flag} documented in docs/planning.md");
    }
    for column in layout::DEMAND.iter().chain(&layout::ITEMS).chain(&layout::SUPPLIERS) {
        assert!(doc.contains(&format!("`{}`", column.name)), "{} documented in docs/planning.md", column.name);
    }
}

#[test]
fn a_closed_stdout_does_not_panic_the_job() {
    // `forestock-plan | head -1`: the reader goes away; the job still writes its files and exits 0.
    let out_dir = std::env::temp_dir().join(format!("forestock-console-pipe-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_forestock-plan"))
        .args(["--skus", "40", "--weeks", "60", "--quiet", "--out"])
        .arg(&out_dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn forestock-plan");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out_dir.join("report.html").is_file());
    std::fs::remove_dir_all(&out_dir).expect("clean up");
}
