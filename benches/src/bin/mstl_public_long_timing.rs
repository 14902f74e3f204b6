//! Time `Mstl` (decomposition + ETS on the seasonally adjusted series + forecast) single-threaded
//! on the 6 `public_long` series (`forestock_tests::public_long_series`, each fitted on all but its
//! last `horizon` points, as the R parity test does).
//!
//! ```text
//! mstl_public_long_timing [repeats]
//! ```
//! Prints one line per series (`id n periods description decompose-ms fit+predict-ms`, best of the
//! repeats) and the mean of the per-series fit+predict times.

use std::time::Instant;

use forestock::models::{AutoEts, Fitted, Forecaster, ModelSpec, Mstl};
use forestock_tests::public_long_series;

/// Best wall time in milliseconds of `repeats` runs of `f`, with the last result.
fn best_of<T>(repeats: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = f();
    for _ in 0..repeats.max(1) {
        let t0 = Instant::now();
        out = f();
        best = best.min(t0.elapsed().as_secs_f64() * 1e3);
    }
    (best, out)
}

fn main() {
    let repeats: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(5);
    let series = public_long_series();
    let single_thread_ets = ModelSpec::AutoEts(AutoEts::new(1).with_pattern("ZZN").with_parallel(false));
    let mut total = 0.0;
    for s in &series {
        let y = s.train();
        let model = Mstl::new(&s.seasons).with_trend_forecaster(single_thread_ets.clone());
        let (decompose_ms, _) = best_of(repeats, || model.decompose(y).expect("decompose"));
        let (fit_ms, description) = best_of(repeats, || {
            let fit = model.fit(y).expect("fit");
            let fc = fit.predict(s.horizon, &[80.0, 95.0]).expect("predict");
            std::hint::black_box(fc);
            fit.description()
        });
        total += fit_ms;
        println!(
            "{:<18} n={:<5} {:<28} decompose {decompose_ms:8.3} ms  fit+predict {fit_ms:8.3} ms",
            s.id,
            y.len(),
            description
        );
    }
    println!("mean per series (fit+predict): {:.3} ms", total / series.len() as f64);
}
