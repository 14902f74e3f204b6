//! Criterion benchmarks live in benches/benches/.
//! The binaries in `src/bin/` time one workload each; this library holds what they share.

use std::time::Instant;

/// Run `run` `repeats` times (at least once): its last output and the best time in seconds.
pub fn best_of<T>(repeats: usize, mut run: impl FnMut() -> T) -> (T, f64) {
    let start = Instant::now();
    let mut out = run();
    let mut best = start.elapsed().as_secs_f64();
    for _ in 1..repeats {
        let start = Instant::now();
        out = run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (out, best)
}

/// The main of a timing binary whose run prints lines: run it as many times as the first
/// argument says (default 5), print the last run's lines and the best total time.
pub fn print_best_of(run: impl FnMut() -> Vec<String>) {
    let repeats: usize = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(5);
    let (lines, best) = best_of(repeats, run);
    for line in &lines {
        println!("{line}");
    }
    println!("best total: {:.1} ms", best * 1e3);
}
