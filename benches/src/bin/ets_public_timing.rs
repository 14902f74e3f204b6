//! Time `AutoEts` single-threaded on the 29 public series (`forestock_tests::public_series`, each
//! fitted on all but its last `horizon` points, as in `docs/benchmarks.md`), and print what each
//! fit chose with its log-likelihood to full precision so that two builds can be compared bit for
//! bit.
//!
//! ```text
//! ets_public_timing [repeats]
//! ```
//! Prints one line per series (`id method loglik aicc best-ms`) and the mean of the per-series
//! best times.

use std::process::ExitCode;
use std::time::Instant;

use forestock::models::{AutoEts, Forecaster};
use forestock_tests::public_series;

fn main() -> ExitCode {
    let repeats: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(3);
    let series = public_series();
    let mut total = 0.0;
    for s in &series {
        let train = &s.y[..s.y.len().saturating_sub(s.horizon)];
        let model = AutoEts::new(s.season_length).with_parallel(false);
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
        println!("{:<28} {line} {best:.3}", s.id);
    }
    println!("mean per series: {:.3} ms", total / series.len() as f64);
    ExitCode::SUCCESS
}
