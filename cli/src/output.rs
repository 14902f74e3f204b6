//! Printing and writing the results of a planning run.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use chrono::Utc;
use forestock::audit::{append_to_file, AuditKind, AuditLog};
use forestock::inventory::recommend::Priority;
use forestock::plan::{ItemMaster, PlanConfig, PlanOutput, SkuHistory, SkuPlan};
use forestock::store::{write_atomic, write_atomic_with};
use forestock::telemetry::{to_prometheus, RunMetrics};
use forestock::Error;

use crate::calendar::Calendar;
use crate::format::{money, thousands};
use crate::ranking::{ranked, Ranked};
use crate::report::{render, FailureRow, OrderRow, Report, SkuChart, StockProjection};

/// Priorities in display order.
const PRIORITIES: [&str; 4] =
    [Priority::Urgent.as_str(), Priority::High.as_str(), Priority::Medium.as_str(), Priority::Low.as_str()];

/// Rows of the report's orders table at most (the page stays light on a large catalogue).
const MAX_TABLE_ROWS: usize = 5_000;

/// SKUs charted in the report.
const CHARTS: usize = 8;

/// History periods a chart shows.
const CHART_HISTORY: usize = 52;

/// What the console and the report need beyond the plan: the item rows (unit costs, stock, lead
/// times), the dates of the periods, the currency, and how many orders the console lists.
#[derive(Debug, Clone, Copy)]
pub struct Presentation<'a> {
    /// The item master rows of the run.
    pub items: &'a [ItemMaster],
    /// The dates of each SKU's periods (`None`: the report numbers the periods).
    pub calendar: Option<&'a Calendar>,
    /// Currency symbol or code of unit costs and order values.
    pub currency: &'a str,
    /// Orders listed on the console.
    pub top: usize,
}

fn periods(d: Option<f64>) -> String {
    d.map(|d| thousands(d, 1)).unwrap_or_else(|| "-".into())
}

/// Print a readable summary: counts by priority and class, the top orders (class A first, then by
/// priority, then by value: [`crate::ranking`]), failures.
pub fn print_summary(output: &PlanOutput, source: &str, seconds: f64, how: &Presentation<'_>) {
    let s = &output.stats;
    say!("forestock daily plan — {source}");
    say!(
        "planned {} of {} SKUs in {:.2} s ({} SKUs/s); {} failed; {} orders worth {}",
        s.planned,
        s.skus,
        seconds,
        thousands(s.planned as f64 / seconds.max(1e-9), 0),
        s.failed,
        thousands(s.orders as f64, 0),
        money(s.order_value, how.currency)
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>, keys: &[&str]| {
        keys.iter().map(|k| format!("{k} {}", m.get(*k).copied().unwrap_or(0))).collect::<Vec<_>>().join(", ")
    };
    say!("by priority: {}", counts(&s.by_priority, &PRIORITIES));
    say!("by ABC class: {}", counts(&s.by_abc, &["A", "B", "C"]));
    say!("by model: {}", s.by_model.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
    let orders = ranked(&output.plans, how.items, true);
    say!(
        "\ntop orders (class A first, then by priority, then by value; {} in all):",
        thousands(orders.len() as f64, 0)
    );
    say!(
        "{:<14} {:>5} {:>8} {:>18} {:>16} {:>16} {:>16}  model",
        "sku",
        "class",
        "priority",
        "stockout (periods)",
        "position (units)",
        "order (units)",
        format!("value ({})", how.currency)
    );
    for row in orders.iter().take(how.top) {
        let (p, r) = (row.plan, &row.plan.recommendation);
        say!(
            "{:<14} {:>5} {:>8} {:>18} {:>16} {:>16} {:>16}  {}",
            p.sku,
            format!("{:?}", p.abc_class),
            r.priority.as_str(),
            periods(r.periods_until_stockout),
            thousands(r.inventory_position, 0),
            thousands(r.order_quantity, 0),
            money(row.value, how.currency),
            p.model
        );
    }
    if !output.failures.is_empty() {
        say!("\nfailed SKUs (first 5 of {}):", output.failures.len());
        for f in output.failures.iter().take(5) {
            say!("  {} [{}] {}", f.sku, f.code, f.message);
        }
    }
}

/// A CSV writer's error as the I/O error of the file it streams into.
fn csv_err(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

fn recommendations_csv(out: impl Write, plans: &[SkuPlan]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
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
        "reason",
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
            r.reason.clone(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()
}

fn forecasts_csv(out: impl Write, plans: &[SkuPlan], levels: &[f64]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
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
    w.flush()
}

fn failures_csv(out: impl Write, output: &PlanOutput) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["sku", "code", "message"]).map_err(csv_err)?;
    for f in &output.failures {
        w.write_record([&f.sku, &f.code, &f.message]).map_err(csv_err)?;
    }
    w.flush()
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
    payload["seconds"] = seconds.into();
    let record = append_to_file(path, Utc::now(), AuditKind::Run, payload)?;
    Ok(record.seq + 1)
}

/// The chart of one ranked plan: its last [`CHART_HISTORY`] periods, the forecast with the widest
/// interval, and the inventory position projected over the horizon (forecast means consumed, with
/// and without the recommended order) against the reorder point.
fn chart(row: &Ranked<'_>, history: &[f64], calendar: Option<&Calendar>, currency: &str) -> Option<SkuChart> {
    let p = row.plan;
    let iv = p.forecast.intervals.last()?;
    let r = &p.recommendation;
    let shown = &history[history.len().saturating_sub(CHART_HISTORY)..];
    let horizon = p.forecast.mean.len();
    let labels = calendar.and_then(|c| c.labels(&p.sku, shown.len(), horizon)).unwrap_or_else(|| {
        // No dates: number the periods as the history does (1 = the first period of the history).
        let first = history.len() - shown.len() + 1;
        (first..first + shown.len() + horizon).map(|t| t.to_string()).collect()
    });
    let mut without_order = vec![r.inventory_position];
    for m in &p.forecast.mean {
        without_order.push(without_order[without_order.len() - 1] - m);
    }
    let with_order = without_order.iter().map(|v| v + r.order_quantity).collect();
    Some(SkuChart {
        title: format!(
            "{} (class {:?}, {}): order {} units, {}; {}",
            p.sku,
            p.abc_class,
            r.priority.as_str(),
            thousands(r.order_quantity, 0),
            money(row.value, currency),
            p.model
        ),
        labels,
        history: shown.to_vec(),
        mean: p.forecast.mean.clone(),
        lower: iv.lower.clone(),
        upper: iv.upper.clone(),
        level: iv.level,
        stock: StockProjection {
            without_order,
            with_order,
            reorder_point: r.reorder_point,
            safety_stock: r.safety_stock,
        },
    })
}

/// The report's orders table row of a ranked plan.
fn order_row(row: &Ranked<'_>) -> OrderRow {
    let (p, r) = (row.plan, &row.plan.recommendation);
    OrderRow {
        sku: p.sku.clone(),
        class: format!("{:?}", p.abc_class),
        priority: r.priority.as_str().to_string(),
        order_quantity: r.order_quantity,
        order_value: row.value,
        on_hand: row.item.map_or(f64::NAN, |i| i.on_hand),
        reorder_point: r.reorder_point,
        safety_stock: r.safety_stock,
        lead_time: row.item.map(|i| i.lead_time),
        reason: r.reason.clone(),
    }
}

fn report(histories: &[SkuHistory], output: &PlanOutput, seconds: f64, how: &Presentation<'_>) -> Report {
    let s = &output.stats;
    let history: HashMap<&str, &[f64]> = histories.iter().map(|h| (h.sku.as_str(), h.demand.as_slice())).collect();
    // The table: every order, and the urgent or high SKUs that order nothing (their reason says why).
    let rows: Vec<Ranked<'_>> = ranked(&output.plans, how.items, false)
        .into_iter()
        .filter(|r| r.plan.recommendation.should_reorder || r.plan.recommendation.priority <= Priority::High)
        .collect();
    let charts = rows
        .iter()
        .filter(|r| r.plan.recommendation.should_reorder)
        .filter_map(|r| chart(r, history.get(r.plan.sku.as_str())?, how.calendar, how.currency))
        .take(CHARTS)
        .collect();
    Report {
        title: "forestock daily plan".into(),
        currency: how.currency.to_string(),
        summary: vec![
            ("Generated".into(), Utc::now().to_rfc3339()),
            ("SKUs planned".into(), format!("{} of {} ({} failed)", s.planned, s.skus, s.failed)),
            (
                "Orders".into(),
                format!("{} worth {}", thousands(s.orders as f64, 0), money(s.order_value, how.currency)),
            ),
            ("Planning time".into(), format!("{seconds:.2} s")),
        ],
        abc_counts: ["A", "B", "C"].iter().map(|k| (k.to_string(), s.by_abc.get(*k).copied().unwrap_or(0))).collect(),
        priority_counts: PRIORITIES
            .iter()
            .map(|k| (k.to_string(), s.by_priority.get(*k).copied().unwrap_or(0)))
            .collect(),
        orders: rows.iter().take(MAX_TABLE_ROWS).map(order_row).collect(),
        orders_total: rows.len(),
        charts,
        failures: output
            .failures
            .iter()
            .map(|f| FailureRow { sku: f.sku.clone(), code: f.code.clone(), message: f.message.clone() })
            .collect(),
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
/// The audit chain in `dir` is verified first: if it is broken nothing is written. Each file is
/// replaced atomically ([`forestock::store::write_atomic`]: temp file, fsync, rename), so a reader
/// or a crash never sees a truncated file. The large outputs (the CSVs, plan.json) are streamed into
/// their files ([`write_atomic_with`]), never held in memory whole (at 100,000 SKUs plan.json alone
/// is over 100 MB); the report (a bounded number of rows and charts) is rendered, then written; the
/// two small ones are rendered before anything is written. forecasts.csv is written on a second
/// thread beside the others. The run's audit record is appended last, once the outputs it describes
/// are in place (not at all when any of them failed).
pub fn write_outputs(
    dir: &Path,
    histories: &[SkuHistory],
    output: &PlanOutput,
    config: &PlanConfig,
    seconds: f64,
    how: &Presentation<'_>,
) -> Result<Vec<String>, Error> {
    let audit = dir.join("audit.jsonl");
    verify_audit(&audit)?;
    let mut failures = Vec::new();
    failures_csv(&mut failures, output).map_err(|e| Error::Io(e.to_string()))?;
    let metrics = metrics_prom(output, seconds)?.into_bytes();
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    // forecasts.csv takes about as long to format as all the others together: on a thread of its own.
    let (forecasts, others) = std::thread::scope(|scope| {
        let forecasts = scope.spawn(|| {
            write_atomic_with(dir.join("forecasts.csv"), |out| forecasts_csv(out, &output.plans, &config.levels))
        });
        let others = (|| {
            write_atomic_with(dir.join("recommendations.csv"), |out| recommendations_csv(out, &output.plans))?;
            write_atomic(dir.join("failures.csv"), &failures)?;
            write_atomic_with(dir.join("plan.json"), |out| {
                serde_json::to_writer(out, output).map_err(std::io::Error::from)
            })?;
            write_atomic(dir.join("report.html"), render(&report(histories, output, seconds, how)).as_bytes())?;
            write_atomic(dir.join("metrics.prom"), &metrics)
        })();
        (forecasts.join(), others)
    });
    let forecasts = forecasts.unwrap_or_else(|_| Err(Error::Io("writing forecasts.csv failed".into())));
    others.and(forecasts)?;
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
