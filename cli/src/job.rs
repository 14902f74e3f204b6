//! The main job: forecast a catalogue and recommend reorders.
//!
//! ```text
//! cargo run --release --example daily_plan                      # 10,000 demo SKUs -> ./forestock-out/
//! cargo run --release --example daily_plan -- --skus 100000     # a bigger demo catalogue
//! cargo run --release --example daily_plan -- --demand demand.csv --items items.csv --out plan/
//! ```
//!
//! Options: `--skus N` (demo size, default 10000), `--weeks N` (demo history, default 104),
//! `--horizon N` (default 4), `--season-length N` (default 52), `--seed N`, `--out DIR`
//! (default `./forestock-out`), `--demand FILE --items FILE` (CSV formats in `examples/src/io.rs`
//! and docs/planning.md), `--suppliers FILE` (supplier terms, format in `examples/src/purchasing.rs`;
//! the demo has its own), `--quiet` (no progress bar).
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

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use forestock::control::Control;
use forestock::inventory::purchase_orders::purchase_orders_from_plan;
use forestock::plan::{run_plan_checked, PlanConfig, RunStatus, SkuFailure, SkuHistory};
use crate::output::{print_summary, write_outputs};
use crate::purchasing::{print_purchase_orders, read_suppliers_csv, write_purchase_orders};
use crate::{demo, io, output};

struct Args {
    skus: usize,
    weeks: usize,
    horizon: usize,
    season_length: usize,
    seed: u64,
    out: PathBuf,
    demand: Option<PathBuf>,
    items: Option<PathBuf>,
    suppliers: Option<PathBuf>,
    quiet: bool,
}

fn parse_args(argv: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut args = Args {
        skus: 10_000,
        weeks: 104,
        horizon: 4,
        season_length: 52,
        seed: 20_261_121,
        out: PathBuf::from("forestock-out"),
        demand: None,
        items: None,
        suppliers: None,
        quiet: false,
    };
    let mut it = argv.into_iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| v.parse::<usize>().map_err(|_| format!("{name}: `{v}` is not a number"));
        match flag.as_str() {
            "--skus" => args.skus = number("--skus", value("--skus")?)?,
            "--weeks" => args.weeks = number("--weeks", value("--weeks")?)?,
            "--horizon" => args.horizon = number("--horizon", value("--horizon")?)?,
            "--season-length" => args.season_length = number("--season-length", value("--season-length")?)?,
            "--seed" => args.seed = number("--seed", value("--seed")?)? as u64,
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--demand" => args.demand = Some(PathBuf::from(value("--demand")?)),
            "--items" => args.items = Some(PathBuf::from(value("--items")?)),
            "--suppliers" => args.suppliers = Some(PathBuf::from(value("--suppliers")?)),
            "--quiet" => args.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if args.demand.is_some() != args.items.is_some() {
        return Err("--demand and --items go together".into());
    }
    Ok(args)
}

/// Run the job with the command line's arguments (without the program name); returns the exit status.
pub fn run(argv: impl IntoIterator<Item = String>) -> ExitCode {
    let args = match parse_args(argv) {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!(
                "usage: daily_plan [--skus N] [--weeks N] [--horizon N] [--season-length N] [--seed N] \
                 [--out DIR] [--demand FILE --items FILE] [--suppliers FILE] [--quiet]"
            );
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
    let (histories, items, load_failures, source, load_notes) = match (&args.demand, &args.items) {
        (Some(d), Some(i)) => {
            let demand = io::read_demand_csv(d)?;
            let items = io::read_items_csv(i)?;
            // A row that names no SKU cannot be isolated: the file is wrong, so is the run.
            if let Some(e) = demand.bad_rows.iter().chain(&items.bad_rows).next() {
                return Err(e.clone());
            }
            let failures: Vec<SkuFailure> =
                demand.failed_skus.iter().chain(&items.failed_skus).map(|(sku, e)| SkuFailure::new(sku, e)).collect();
            let notes = demand.notes;
            (demand.records, items.records, failures, format!("{} and {}", d.display(), i.display()), notes)
        }
        _ => {
            let catalogue = demo::generate(args.skus, args.weeks, args.seed);
            let source = format!("demo catalogue: {} SKUs x {} weeks (seed {})", args.skus, args.weeks, args.seed);
            (catalogue.histories, catalogue.items, Vec::new(), source, Vec::new())
        }
    };
    // SKUs whose input rows were corrupt are reported (by the core, once), not planned.
    let failed: std::collections::HashSet<&str> = load_failures.iter().map(|f| f.sku.as_str()).collect();
    let histories: Vec<SkuHistory> = histories.into_iter().filter(|h| !failed.contains(h.sku.as_str())).collect();
    let items: Vec<_> = items.into_iter().filter(|i| !failed.contains(i.sku.as_str())).collect();

    let config = PlanConfig { horizon: args.horizon, ..PlanConfig::with_season_length(args.season_length) };
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

    print_summary(&output, &source, plan_seconds);
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
    let mut written = write_outputs(&args.out, &histories, &output, &config, plan_seconds)?;
    written.push("purchase_orders.csv".into());
    println!("\nwrote {} (total {:.1} s)", written.join(", "), started.elapsed().as_secs_f64());
    Ok(output.status())
}
