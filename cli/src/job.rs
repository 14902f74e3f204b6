//! The main job: forecast a catalogue and recommend reorders.
//!
//! ```text
//! cargo run --release --example daily_plan                      # 10,000 demo SKUs -> ./forestock-out/
//! cargo run --release --example daily_plan -- --skus 100000     # a bigger demo catalogue
//! cargo run --release --example daily_plan -- --demand demand.csv --items items.csv --out plan/
//! ```
//!
//! Options, their defaults and the CSV layouts: `forestock-plan --help` ([`crate::args::help`], built
//! from [`crate::args::Args::default`] and the tables of [`crate::layout`]).
//!
//! Exit status: 0 when the run is ok, 1 on an error before planning, 2 on bad arguments, 3 when
//! the run is degraded (more than half of the SKUs failed) and 4 when it failed (no SKU planned);
//! the outputs are written in every case where planning ran.
//!
//! Writes to the output directory: `recommendations.csv`, `forecasts.csv`, `failures.csv`,
//! `plan.json`, `audit.jsonl` (appended to, hash-chained, verified before writing), `report.html`,
//! `metrics.prom` (the run's metrics in the Prometheus text format, docs/operations.md) and
//! `purchase_orders.csv` (the day's orders grouped per supplier, topped up to each supplier's minimum).
//!
//! Strict by design: the existing audit chain is verified before anything is planned or written; a
//! row that cannot be attributed to a SKU fails the run; a SKU with a malformed row (non-integer
//! period, duplicate period, wrong field count, bad demand) fails with its row number and is not
//! planned. Each output replaces its file atomically (temp file, fsync, rename). Any error exits
//! with status 1 and an `error:` line naming the file and row; a usage error exits with status 2.

use std::process::ExitCode;
use std::time::Instant;

use chrono::Datelike;

use forestock::control::Control;
use forestock::plan::{run_plan_checked, PlanConfig, RunStatus, SkuFailure, SkuHistory};
use forestock::supply::purchase_orders::purchase_orders_from_plan;

use crate::args::{self, Args, Command};
use crate::calendar::Calendar;
use crate::output::{print_summary, write_outputs, Presentation};
use crate::purchasing::{print_purchase_orders, read_suppliers_csv, write_purchase_orders};
use crate::{demo, io, output};

/// Run the job with the command line's arguments (without the program name) and return its exit
/// status: `--help` prints the help to stdout (0); a usage error prints it to stderr (2).
pub fn run(argv: impl IntoIterator<Item = String>) -> ExitCode {
    let args = match args::parse(argv) {
        Ok(Command::Run(a)) => a,
        Ok(Command::Help) => {
            {
                use std::io::Write as _;
                let _ = write!(std::io::stdout().lock(), "{}", args::help());
            }
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            eprintln!("{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    match plan(&args) {
        Ok(status) => {
            if status.is_alarming() {
                eprintln!("error: planning run {} (see failures.csv)", status.as_str());
            }
            ExitCode::from(exit_code(status))
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Exit status of a completed run: 0 ok, 3 degraded (more than half of the SKUs failed), 4 failed
/// (no SKU planned), so that cron and CI notice a run that produced (almost) nothing.
fn exit_code(status: RunStatus) -> u8 {
    match status {
        RunStatus::Ok => 0,
        RunStatus::Degraded => 3,
        RunStatus::Failed => 4,
    }
}

fn plan(args: &Args) -> Result<RunStatus, forestock::Error> {
    let started = Instant::now();
    // A broken audit chain stops the run before any work, leaving the last run's outputs as they are.
    output::verify_audit(&args.out.join("audit.jsonl"))?;
    let demo_catalogue = args.demand.is_none();
    let (histories, items, load_failures, source, load_notes, calendar) = match (&args.demand, &args.items) {
        (Some(d), Some(i)) => {
            let demand = io::read_demand_csv(d)?;
            let items = io::read_items_csv(i)?;
            // A row that names no SKU cannot be isolated: the file is wrong, so is the run.
            if let Some(e) = demand.bad_rows.iter().chain(&items.bad_rows).next() {
                return Err(e.clone());
            }
            let failures: Vec<SkuFailure> =
                demand.failed_skus.iter().chain(&items.failed_skus).map(|(sku, e)| SkuFailure::new(sku, e)).collect();
            let source = format!("{} and {}", d.display(), i.display());
            (demand.records, items.records, failures, source, demand.notes, demand.calendar)
        }
        _ => {
            let catalogue = demo::generate(args.skus, args.weeks, args.seed);
            let source = format!("demo catalogue: {} SKUs x {} weeks (seed {})", args.skus, args.weeks, args.seed);
            // The demo's weeks end in the current week (Monday), so the report's dates read as today's.
            let today = chrono::Utc::now().date_naive();
            let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
            let calendar = Calendar::weekly_until(monday, catalogue.histories.iter().map(|h| h.sku.as_str()));
            (catalogue.histories, catalogue.items, Vec::new(), source, Vec::new(), Some(calendar))
        }
    };
    // SKUs whose input rows were corrupt are reported (by the core, once), not planned.
    let failed: std::collections::HashSet<&str> = load_failures.iter().map(|f| f.sku.as_str()).collect();
    let histories: Vec<SkuHistory> = histories.into_iter().filter(|h| !failed.contains(h.sku.as_str())).collect();
    let items: Vec<_> = items.into_iter().filter(|i| !failed.contains(i.sku.as_str())).collect();

    let config = PlanConfig {
        horizon: args.horizon,
        clean_anomalies: args.clean_anomalies,
        ..PlanConfig::with_season_length(args.season_length)
    };
    let bar =
        if args.quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(histories.len() as u64) };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} forecasting [{bar:40}] {pos}/{len} SKUs ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let tick = |done: usize| {
        if done.is_multiple_of(256) {
            bar.set_position(done as u64);
        }
    };
    let plan_started = Instant::now();
    let output = run_plan_checked(&histories, &items, &load_failures, &config, &Control::new().with_progress(&tick))?;
    let plan_seconds = plan_started.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let presentation =
        Presentation { items: &items, calendar: calendar.as_ref(), currency: &args.currency, top: args.top };
    print_summary(&output, &source, plan_seconds, &presentation);
    // What the load filled in (periods without a row) and what the run found implausible (lead times).
    for note in load_notes.iter().chain(&output.notes) {
        eprintln!("note: {note}");
    }
    // Everything is computed before anything is written: a bad supplier file leaves the outputs alone.
    let suppliers = match &args.suppliers {
        Some(path) => read_suppliers_csv(path)?,
        None if demo_catalogue => demo::supplier_terms(),
        None => Vec::new(),
    };
    let orders = purchase_orders_from_plan(&output, &items, &suppliers)?;
    print_purchase_orders(&orders);
    std::fs::create_dir_all(&args.out)
        .map_err(|e| forestock::Error::Io(format!("cannot create {}: {e}", args.out.display())))?;
    write_purchase_orders(&args.out.join("purchase_orders.csv"), &orders)?;
    let mut written = write_outputs(&args.out, &histories, &output, &config, plan_seconds, &presentation)?;
    written.push("purchase_orders.csv".into());
    say!("\nwrote {} (total {:.1} s)", written.join(", "), started.elapsed().as_secs_f64());
    Ok(output.status())
}
