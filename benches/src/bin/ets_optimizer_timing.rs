//! AutoETS single-threaded with each optimiser, in one run: R's Nelder-Mead (`nelder_mead_r`,
//! exact) against the same search on the shorter-chain arithmetic (`nelder_mead`) and projected
//! BFGS on the analytic gradient (`lbfgs`), on
//!
//! * the 29 public series (`forestock_tests::public_series`, fitted on all but the last
//!   `horizon` points), and
//! * 300 synthetic weekly series of 104 points with a yearly pattern (the planner's workload:
//!   `season_length = 52` is beyond ETS's 24, so only non-seasonal forms are tried).
//!
//! ```text
//! ets_optimizer_timing [repeats]
//! ```
//! Prints, per workload and optimiser, the total of the per-series best times, the speed-up and
//! how many chosen models agree.

use std::process::ExitCode;
use std::time::Instant;

use forestock::models::ets::EtsOptimizer;
use forestock::models::{AutoEts, Forecaster};
use forestock_tests::public_series;

/// 300 weekly demand series of 104 points: level, yearly sine, slow drift and uniform noise from
/// a fixed linear congruential generator (deterministic).
fn weekly_series() -> Vec<Vec<f64>> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut uniform = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..300)
        .map(|_| {
            let level = 20.0 + 180.0 * uniform();
            let amplitude = 0.3 * uniform();
            let drift = 0.004 * (uniform() - 0.5);
            let noise = 0.1 + 0.3 * uniform();
            (0..104)
                .map(|t| {
                    let tf = t as f64;
                    let season = 1.0 + amplitude * (2.0 * std::f64::consts::PI * tf / 52.0).sin();
                    let shock = 1.0 + noise * (2.0 * uniform() - 1.0);
                    (level * season * (1.0 + drift * tf) * shock).max(0.5)
                })
                .collect()
        })
        .collect()
}

/// Total of the per-series best times (ms) and the chosen methods.
fn run(data: &[(Vec<f64>, usize)], optimizer: EtsOptimizer, repeats: usize) -> (f64, Vec<String>) {
    let mut total = 0.0;
    let mut methods = Vec::with_capacity(data.len());
    for (y, m) in data {
        let model = AutoEts::new(*m).with_parallel(false).with_optimizer(optimizer);
        let mut best = f64::INFINITY;
        let mut method = String::new();
        for _ in 0..repeats.max(1) {
            let t0 = Instant::now();
            let fit = model.fit(y);
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
            method = match fit {
                Ok(f) => f.method(),
                Err(e) => format!("error {e}"),
            };
        }
        total += best;
        methods.push(method);
    }
    (total, methods)
}

fn main() -> ExitCode {
    let repeats: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(3);
    let public: Vec<(Vec<f64>, usize)> =
        public_series().iter().map(|s| (s.train().to_vec(), s.season_length)).collect();
    let weekly: Vec<(Vec<f64>, usize)> = weekly_series().into_iter().map(|y| (y, 52)).collect();
    for (name, data) in [("public (29 series)", &public), ("weekly 300 x 104, m = 52", &weekly)] {
        let (exact_ms, exact_methods) = run(data, EtsOptimizer::NelderMeadR, repeats);
        for (label, optimizer) in [
            ("nelder_mead", EtsOptimizer::NelderMead),
            ("lbfgs", EtsOptimizer::Lbfgs),
            ("hybrid", EtsOptimizer::Hybrid),
        ] {
            let (ms, methods) = run(data, optimizer, repeats);
            let same = exact_methods.iter().zip(&methods).filter(|(a, b)| a == b).count();
            println!(
                "{name}: nelder_mead_r {exact_ms:.1} ms, {label} {ms:.1} ms, speed-up {:.2}x, same model on {same}/{}",
                exact_ms / ms,
                data.len()
            );
        }
    }
    ExitCode::SUCCESS
}
