//! Time `AutoEts` single-threaded on the 29 public series (each fitted on all but its last
//! `horizon` points, as in `docs/benchmarks.md`), and print what each fit chose with its
//! log-likelihood to full precision so that two builds can be compared bit for bit.
//!
//! ```text
//! ets_public_timing [repeats]      (run from the repository root)
//! ```
//! Prints one line per series (`id method loglik aicc best-ms`) and the mean of the per-series
//! best times.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use forestock::models::{AutoEts, Forecaster};

/// One public series: `(id, season_length, horizon, y)`.
type Series = (String, usize, usize, Vec<f64>);

/// Every public series, from `tests/fixtures/public`.
fn public_series() -> Result<Vec<Series>, String> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("tests/fixtures/public/{name}")).map_err(|e| format!("{name}: {e}"))
    };
    let meta = read("meta.csv")?;
    let data = read("series.csv")?;
    let mut values: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for line in data.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(id), Some(v)) = (f.first(), f.get(2).and_then(|v| v.parse::<f64>().ok())) else {
            return Err(format!("bad row {line}"));
        };
        values.entry(id).or_default().push(v);
    }
    let mut out = Vec::new();
    for line in meta.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let parse = |k: usize| f.get(k).and_then(|v| v.parse::<usize>().ok()).ok_or(format!("bad meta {line}"));
        let id = f.first().copied().unwrap_or_default();
        let y = values.get(id).cloned().ok_or(format!("no data for {id}"))?;
        out.push((id.to_string(), parse(1)?, parse(2)?, y));
    }
    Ok(out)
}

fn main() -> ExitCode {
    let repeats: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(3);
    let series = match public_series() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut total = 0.0;
    for (id, m, h, y) in &series {
        let train = &y[..y.len().saturating_sub(*h)];
        let model = AutoEts::new(*m).with_parallel(false);
        let mut best = f64::INFINITY;
        let mut line = String::new();
        for _ in 0..repeats.max(1) {
            let t0 = Instant::now();
            let fit = model.fit(train);
            let dt = t0.elapsed().as_secs_f64() * 1e3;
            best = best.min(dt);
            line = match fit {
                Ok(f) => format!("{} {:.17e} {:.17e}", f.method(), f.loglik(), f.aicc()),
                Err(e) => format!("error {e}"),
            };
        }
        total += best;
        println!("{id:<28} {line} {best:.3}");
    }
    println!("mean per series: {:.3} ms", total / series.len() as f64);
    ExitCode::SUCCESS
}
