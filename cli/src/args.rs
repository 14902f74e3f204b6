//! The job's command line: options, their defaults (from [`Args::default`], so `--help` cannot
//! drift from what runs) and the help text with the CSV layouts of [`crate::layout`].

use std::path::PathBuf;

use forestock::anomaly::CleaningChoice;

use crate::layout;

/// The job's options.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    /// Demo catalogue size.
    pub skus: usize,
    /// Weeks of demo history.
    pub weeks: usize,
    /// Forecast horizon in periods.
    pub horizon: usize,
    /// Seasonal period of the demand.
    pub season_length: usize,
    /// Seed of the demo catalogue.
    pub seed: u64,
    /// Output folder.
    pub out: PathBuf,
    /// Demand CSV (with `items`); `None` = demo catalogue.
    pub demand: Option<PathBuf>,
    /// Item master CSV (with `demand`).
    pub items: Option<PathBuf>,
    /// Supplier terms CSV.
    pub suppliers: Option<PathBuf>,
    /// Currency symbol or code of the amounts (unit costs are in it).
    pub currency: String,
    /// Orders listed on the console.
    pub top: usize,
    /// No progress bar.
    pub quiet: bool,
    /// Clean each SKU's history of anomalies before fitting (`PlanConfig::clean_anomalies`); `None`
    /// fits the history as given.
    pub clean_anomalies: Option<CleaningChoice>,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            skus: 10_000,
            weeks: 104,
            horizon: 4,
            season_length: 52,
            seed: 20_261_121,
            out: PathBuf::from("forestock-out"),
            demand: None,
            items: None,
            suppliers: None,
            currency: "$".into(),
            top: 10,
            quiet: false,
            clean_anomalies: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Run the job.
    Run(Args),
    /// Print the help text.
    Help,
}

/// Parse the arguments (without the program name); the error is a usage message.
pub fn parse(argv: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = Args::default();
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
            "--currency" => args.currency = value("--currency")?,
            "--top" => args.top = number("--top", value("--top")?)?,
            "--quiet" => args.quiet = true,
            "--clean-anomalies" => args.clean_anomalies = Some(cleaning_choice(value("--clean-anomalies")?)?),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    if args.demand.is_some() != args.items.is_some() {
        return Err("--demand and --items go together".into());
    }
    Ok(Command::Run(args))
}

/// A cleaning choice by the core's name (`replace`, `leave_out`, `keep`).
fn cleaning_choice(value: String) -> Result<CleaningChoice, String> {
    serde_json::from_value(serde_json::Value::String(value.clone()))
        .map_err(|_| format!("--clean-anomalies: `{value}` is not one of replace, leave_out, keep"))
}

/// The one-line usage.
pub const USAGE: &str = "usage: forestock-plan [--skus N] [--weeks N] [--horizon N] [--season-length N] [--seed N] \
                         [--out DIR] [--demand FILE --items FILE] [--suppliers FILE] [--currency TEXT] [--top N] \
                         [--clean-anomalies replace|leave_out|keep] [--quiet]";

/// The help text: every option with its default, the CSV layouts, the outputs and exit statuses.
pub fn help() -> String {
    let d = Args::default();
    let option = |flag: &str, text: String| format!("  {flag:<23}{text}\n");
    let mut text = String::from(
        "forestock-plan: forecast a catalogue and recommend reorders (the forestock daily plan job).\n\
         Without --demand/--items it plans a generated demo catalogue.\n\n",
    );
    text += USAGE;
    text += "\n\noptions:\n";
    text +=
        &option("--demand FILE", "demand history CSV (layout below); needs --items; default: demo catalogue".into());
    text += &option("--items FILE", "item master CSV (layout below); needs --demand".into());
    text += &option(
        "--suppliers FILE",
        "supplier terms CSV (layout below); default: none (the demo catalogue has its own)".into(),
    );
    text += &option("--out DIR", format!("output folder, created if needed; default {}", d.out.display()));
    text += &option("--horizon N", format!("forecast horizon in periods; default {}", d.horizon));
    text += &option(
        "--season-length N",
        format!("seasonal period of the demand; default {} (weekly data)", d.season_length),
    );
    text += &option("--currency TEXT", format!("currency of unit costs and order values; default {}", d.currency));
    text += &option("--top N", format!("orders listed on the console; default {}", d.top));
    text += &option("--skus N", format!("demo catalogue: number of SKUs; default {}", d.skus));
    text += &option("--weeks N", format!("demo catalogue: weeks of history; default {}", d.weeks));
    text += &option("--seed N", format!("demo catalogue: random seed; default {}", d.seed));
    text += &option(
        "--clean-anomalies CHOICE",
        " replace, leave_out or keep: clean each SKU's history of anomalies before fitting \
         (docs/anomalies.md); default off"
            .into(),
    );
    text += &option("--quiet", "no progress bar; default off".into());
    text += &option("-h, --help", "print this help and exit".into());
    text += "\nCSV layouts (header row required; columns in any order; an empty cell takes the default):\n\n";
    text += &layout::describe("demand file (--demand), one row per SKU and period:", &layout::DEMAND);
    text += "\n";
    text += &layout::describe("item master (--items), one row per SKU:", &layout::ITEMS);
    text += "\n";
    text += &layout::describe("supplier terms (--suppliers), one row per supplier:", &layout::SUPPLIERS);
    text += "\noutputs in --out: recommendations.csv, forecasts.csv, failures.csv, plan.json, purchase_orders.csv,\n\
             metrics.prom, report.html (orders table, charts, failures) and audit.jsonl (appended, hash-chained,\n\
             verified before anything is written).\n\
             \nexit status: 0 ok, 1 error before planning, 2 bad arguments, 3 degraded run (more than half of the\n\
             SKUs failed), 4 failed run (no SKU planned).\n";
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn options_and_defaults() {
        let Ok(Command::Run(args)) = parse_strs(&["--skus", "12", "--currency", "EUR", "--quiet"]) else {
            panic!("parses")
        };
        assert_eq!((args.skus, args.currency.as_str(), args.quiet, args.horizon), (12, "EUR", true, 4));
        assert_eq!(parse_strs(&["-h"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["--skus", "x"]), Err("--skus: `x` is not a number".into()));
        assert_eq!(parse_strs(&["--demand", "d.csv"]), Err("--demand and --items go together".into()));
        assert!(parse_strs(&["--horizn", "3"]).is_err_and(|e| e.starts_with("unknown option `--horizn`")));
        let Ok(Command::Run(clean)) = parse_strs(&["--clean-anomalies", "leave_out"]) else { panic!("parses") };
        assert_eq!(clean.clean_anomalies, Some(CleaningChoice::LeaveOut));
        assert!(parse_strs(&["--clean-anomalies", "drop"]).is_err_and(|e| e.contains("replace, leave_out, keep")));
    }

    #[test]
    fn help_lists_every_option_with_its_default_and_every_column() {
        let text = help();
        let usage_flags: Vec<&str> = USAGE.split(['[', ']', ' ']).filter(|w| w.starts_with("--")).collect();
        for flag in &usage_flags {
            assert!(text.contains(&format!("  {flag} ")), "{flag} is documented");
        }
        assert_eq!(usage_flags.len(), 13);
        for default in ["default 10000", "default 104", "default 4", "default 52", "default 20261121", "default $"] {
            assert!(text.contains(default), "{default}");
        }
        for column in layout::DEMAND.iter().chain(&layout::ITEMS).chain(&layout::SUPPLIERS) {
            assert!(text.contains(&format!("  {:<23}{}", column.name, column.meaning)), "{}", column.name);
        }
        assert!(text.contains("holding_cost_rate      holding cost per unit per period"));
        assert!(text.contains("(number; optional, default 1)"), "lot_size and review_period default to 1");
    }
}
