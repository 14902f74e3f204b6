//! Time `AutoTheta` single-threaded on the 29 public series (R's training split, their own season
//! length) and the `public_long` series (training split, shortest period), and print every
//! variant's estimates to full precision, so that two builds can be compared bit for bit.
//!
//! ```text
//! theta_timing [repeats]
//! ```
//! Prints one line per series and variant (`id variant alpha theta level mse`), then the best total
//! time over the repeats (default 5).

use forestock::models::{AutoTheta, Forecaster};
use forestock_tests::{public_long_series, public_series};

/// One run over every series: the lines to print.
fn run() -> Vec<String> {
    let cases: Vec<(String, usize, Vec<f64>)> = public_series()
        .into_iter()
        .map(|s| (s.id.clone(), s.season_length, s.train().to_vec()))
        .chain(public_long_series().into_iter().map(|s| (s.id.clone(), s.seasons[0], s.train().to_vec())))
        .collect();
    let mut lines = Vec::new();
    for (id, m, y) in &cases {
        match AutoTheta::new(*m).fit(y) {
            Ok(fit) => {
                for c in fit.candidates() {
                    lines.push(format!(
                        "{id:<26} {:<4} {:e} {:e} {:e} {:e}",
                        c.variant.code(),
                        c.alpha,
                        c.theta,
                        c.initial_level,
                        c.mse
                    ));
                }
            }
            Err(e) => lines.push(format!("{id:<26} error {e}")),
        }
    }
    lines
}

fn main() {
    forestock_benches::print_best_of(run);
}
