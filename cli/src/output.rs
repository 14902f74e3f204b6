//! Printing and writing the results of a planning run.

use std::collections::HashMap;
use std::path::Path;

use chrono::Utc;
use forestock::audit::{append_to_file, AuditKind, AuditLog};
use forestock::inventory::recommend::Priority;
use forestock::plan::{PlanConfig, PlanOutput, SkuHistory, SkuPlan};
use forestock::store::write_atomic;
use forestock::telemetry::{to_prometheus, RunMetrics};
use forestock::Error;

use crate::report::{render, Report, SkuChart};

/// Priorities in display order.
const PRIORITIES: [&str; 4] =
    [Priority::Urgent.as_str(), Priority::High.as_str(), Priority::Medium.as_str(), Priority::Low.as_str()];

/// The most urgent orders first: by priority, then periods until stockout, then SKU.
fn urgent_first(plans: &[SkuPlan]) -> Vec<&SkuPlan> {
    let mut orders: Vec<&SkuPlan> = plans.iter().filter(|p| p.recommendation.should_reorder).collect();
    orders.sort_by(|a, b| {
        let (ra, rb) = (&a.recommendation, &b.recommendation);
        ra.priority
            .cmp(&rb.priority)
            .then(
                ra.periods_until_stockout
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&rb.periods_until_stockout.unwrap_or(f64::INFINITY)),
            )
            .then(a.abc_class.cmp(&b.abc_class))
            .then((b.recommendation.order_quantity).total_cmp(&a.recommendation.order_quantity))
            .then(a.sku.cmp(&b.sku))
    });
    orders
}

fn days(d: Option<f64>) -> String {
    d.map(|d| format!("{d:.1}")).unwrap_or_else(|| "-".into())
}

/// Print a readable summary: counts by priority and class, the top urgent orders, failures.
pub fn print_summary(output: &PlanOutput, source: &str, seconds: f64) {
    let s = &output.stats;
    println!("forestock daily plan — {source}");
    println!(
        "planned {} of {} SKUs in {:.2} s ({:.0} SKUs/s); {} failed; {} orders worth {:.0}",
        s.planned,
        s.skus,
        seconds,
        s.planned as f64 / seconds.max(1e-9),
        s.failed,
        s.orders,
        s.order_value
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>, keys: &[&str]| {
        keys.iter().map(|k| format!("{k} {}", m.get(*k).copied().unwrap_or(0))).collect::<Vec<_>>().join(", ")
    };
    println!("by priority: {}", counts(&s.by_priority, &PRIORITIES));
    println!("by ABC class: {}", counts(&s.by_abc, &["A", "B", "C"]));
    println!("by model: {}", s.by_model.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
    println!("\ntop urgent orders:");
    println!(
        "{:<14} {:>4} {:>8} {:>10} {:>10} {:>10}  model",
        "sku", "abc", "priority", "stockout in", "position", "order qty"
    );
    for p in urgent_first(&output.plans).into_iter().take(10) {
        let r = &p.recommendation;
        println!(
            "{:<14} {:>4} {:>8} {:>10} {:>10.0} {:>10.0}  {}",
            p.sku,
            format!("{:?}", p.abc_class),
            r.priority.as_str(),
            days(r.periods_until_stockout),
            r.inventory_position,
            r.order_quantity,
            p.model
        );
    }
    if !output.failures.is_empty() {
        println!("\nfailed SKUs (first 5 of {}):", output.failures.len());
        for f in output.failures.iter().take(5) {
            println!("  {} [{}] {}", f.sku, f.code, f.message);
        }
    }
}

fn csv_err(e: csv::Error) -> Error {
    Error::Io(e.to_string())
}

/// The CSV text built by `w` (written to a file afterwards, atomically).
fn csv_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, Error> {
    w.into_inner().map_err(|e| Error::Io(e.to_string()))
}

fn recommendations_csv(plans: &[SkuPlan]) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "sku",
        "abc_class",
        "demand_pattern",
        "model",
        "service_level",
        "inventory_position",
        "should_reorder",
        "order_quantity",
        "reorder_point",
        "order_up_to",
        "safety_stock",
        "priority",
        "periods_until_stockout",
        "stockout_period",
        "expected_cost_per_period",
        "model_reason",
    ])
    .map_err(csv_err)?;
    for p in plans {
        let r = &p.recommendation;
        w.write_record([
            p.sku.clone(),
            format!("{:?}", p.abc_class),
            p.demand_pattern.as_str().to_string(),
            p.model.clone(),
            format!("{}", p.service_level),
            format!("{}", r.inventory_position),
            format!("{}", r.should_reorder),
            format!("{}", r.order_quantity),
            format!("{:.3}", r.reorder_point),
            format!("{:.3}", r.order_up_to),
            format!("{:.3}", r.safety_stock),
            r.priority.as_str().to_string(),
            r.periods_until_stockout.map(|d| format!("{d:.3}")).unwrap_or_default(),
            r.stockout_period.map(|d| d.to_string()).unwrap_or_default(),
            format!("{:.4}", r.expected_cost_per_period),
            p.model_reason.clone(),
        ])
        .map_err(csv_err)?;
    }
    csv_bytes(w)
}

fn forecasts_csv(plans: &[SkuPlan], levels: &[f64]) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["sku".to_string(), "step".into(), "mean".into()];
    for l in levels {
        header.push(format!("lo-{l}"));
        header.push(format!("hi-{l}"));
    }
    w.write_record(&header).map_err(csv_err)?;
    for p in plans {
        for (i, m) in p.forecast.mean.iter().enumerate() {
            let mut row = vec![p.sku.clone(), (i + 1).to_string(), format!("{m:.4}")];
            for iv in &p.forecast.intervals {
                row.push(format!("{:.4}", iv.lower.get(i).copied().unwrap_or(f64::NAN)));
                row.push(format!("{:.4}", iv.upper.get(i).copied().unwrap_or(f64::NAN)));
            }
            w.write_record(&row).map_err(csv_err)?;
        }
    }
    csv_bytes(w)
}

fn failures_csv(output: &PlanOutput) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["sku", "code", "message"]).map_err(csv_err)?;
    for f in &output.failures {
        w.write_record([&f.sku, &f.code, &f.message]).map_err(csv_err)?;
    }
    csv_bytes(w)
}

/// Check the hash chain of the audit log at `path` (absent = empty, valid). The main job calls this
/// before it plans and before it writes anything, so a tampered log stops the run with every output
/// of the previous run untouched.
pub fn verify_audit(path: &Path) -> Result<usize, Error> {
    if !path.exists() {
        return Ok(0);
    }
    let log = AuditLog::load(path)?;
    log.verify().map_err(|v| Error::CorruptRecord { position: path.display().to_string(), reason: v.to_string() })?;
    Ok(log.len())
}

/// Append this run to the hash-chained audit log with the core's locked append (chained onto the
/// file's real last record, so concurrent runs sharing the folder keep one chain). Returns the number
/// of records in the log.
fn append_audit(path: &Path, output: &PlanOutput, config: &PlanConfig, seconds: f64) -> Result<u64, Error> {
    let mut payload = output.audit_payload(config);
    payload["job"] = "daily_plan".into();
    payload["seconds"] = seconds.into();
    let record = append_to_file(path, Utc::now(), AuditKind::Run, payload)?;
    Ok(record.seq + 1)
}

fn report(histories: &[SkuHistory], output: &PlanOutput, seconds: f64) -> Report {
    let s = &output.stats;
    let history: HashMap<&str, &[f64]> = histories.iter().map(|h| (h.sku.as_str(), h.demand.as_slice())).collect();
    let urgent = urgent_first(&output.plans);
    let charts = urgent
        .iter()
        .take(8)
        .filter_map(|p| {
            let iv = p.forecast.intervals.last()?;
            let h = history.get(p.sku.as_str())?;
            Some(SkuChart {
                title: format!(
                    "{} — {} — out of stock in {} periods, order {:.0}",
                    p.sku,
                    p.model,
                    days(p.recommendation.periods_until_stockout),
                    p.recommendation.order_quantity
                ),
                history: h[h.len().saturating_sub(52)..].to_vec(),
                mean: p.forecast.mean.clone(),
                lower: iv.lower.clone(),
                upper: iv.upper.clone(),
                level: iv.level,
            })
        })
        .collect();
    Report {
        title: "forestock daily plan".into(),
        summary: vec![
            ("Generated".into(), Utc::now().to_rfc3339()),
            ("SKUs planned".into(), format!("{} of {} ({} failed)", s.planned, s.skus, s.failed)),
            ("Orders".into(), format!("{} worth {:.0}", s.orders, s.order_value)),
            ("Planning time".into(), format!("{seconds:.2} s")),
        ],
        abc_counts: ["A", "B", "C"].iter().map(|k| (k.to_string(), s.by_abc.get(*k).copied().unwrap_or(0))).collect(),
        priority_counts: PRIORITIES
            .iter()
            .map(|k| (k.to_string(), s.by_priority.get(*k).copied().unwrap_or(0)))
            .collect(),
        table_header: ["sku", "ABC", "priority", "stockout in", "position", "order qty", "model"]
            .map(String::from)
            .to_vec(),
        table_rows: urgent
            .iter()
            .take(25)
            .map(|p| {
                let r = &p.recommendation;
                vec![
                    p.sku.clone(),
                    format!("{:?}", p.abc_class),
                    r.priority.as_str().to_string(),
                    days(r.periods_until_stockout),
                    format!("{:.0}", r.inventory_position),
                    format!("{:.0}", r.order_quantity),
                    p.model.clone(),
                ]
            })
            .collect(),
        charts,
    }
}

/// The run's metrics in the Prometheus text format (job `daily_plan`), for node_exporter's textfile
/// collector (docs/operations.md).
fn metrics_prom(output: &PlanOutput, seconds: f64) -> Result<String, Error> {
    let finished_at = Utc::now().timestamp_millis() as f64 / 1000.0;
    to_prometheus(&[RunMetrics::of_plan("daily_plan", &output.stats, seconds, finished_at)])
}

/// Write every output file into `dir` (created if needed); returns the file names written.
///
/// The audit chain in `dir` is verified first: if it is broken nothing is written. Every output is
/// rendered in memory, then each file is replaced atomically ([`forestock::store::write_atomic`]:
/// temp file, fsync, rename), so a reader or a crash never sees a truncated file. The run's audit
/// record is appended last, once the outputs it describes are in place.
pub fn write_outputs(
    dir: &Path,
    histories: &[SkuHistory],
    output: &PlanOutput,
    config: &PlanConfig,
    seconds: f64,
) -> Result<Vec<String>, Error> {
    let audit = dir.join("audit.jsonl");
    verify_audit(&audit)?;
    let files: [(&str, Vec<u8>); 6] = [
        ("recommendations.csv", recommendations_csv(&output.plans)?),
        ("forecasts.csv", forecasts_csv(&output.plans, &config.levels)?),
        ("failures.csv", failures_csv(output)?),
        ("plan.json", serde_json::to_vec(output)?),
        ("report.html", render(&report(histories, output, seconds)).into_bytes()),
        ("metrics.prom", metrics_prom(output, seconds)?.into_bytes()),
    ];
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    for (name, bytes) in &files {
        write_atomic(dir.join(name), bytes)?;
    }
    let records = append_audit(&audit, output, config, seconds)?;
    Ok(vec![
        format!("{}/recommendations.csv", dir.display()),
        "forecasts.csv".into(),
        "failures.csv".into(),
        "plan.json".into(),
        "report.html".into(),
        "metrics.prom".into(),
        format!("audit.jsonl ({records} records, chain verified)"),
    ])
}
