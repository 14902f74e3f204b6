//! Time STL (the 29 public series, four settings) and MSTL (the `public_long` series, robust or
//! not) single-threaded, and print a checksum of every component's bits, so that two builds can be
//! compared bit for bit.
//!
//! ```text
//! decomposition_timing [repeats]
//! ```
//! Prints one line per decomposition (`id settings checksum`), then the best total time over the
//! repeats (default 5).

use forestock::models::stl::{SeasonalWindow, Stl};
use forestock::models::Mstl;
use forestock_tests::{public_long_series, public_series};

/// FNV-1a over the bits of every value of every component.
fn checksum<'a>(components: impl IntoIterator<Item = &'a [f64]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in components {
        for v in part {
            for byte in v.to_bits().to_le_bytes() {
                h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    h
}

/// One run over every series: the lines to print.
fn run() -> Vec<String> {
    let mut lines = Vec::new();
    let settings = [
        (false, SeasonalWindow::Span(7)),
        (true, SeasonalWindow::Span(13)),
        (false, SeasonalWindow::Periodic),
        (true, SeasonalWindow::Periodic),
    ];
    for s in public_series() {
        if s.season_length < 2 {
            continue;
        }
        for (robust, window) in settings {
            let line = match Stl::new(s.season_length, window).robust(robust).decompose(&s.y) {
                Ok(d) => format!("{:016x}", checksum([&d.seasonal[..], &d.trend[..], &d.remainder[..]])),
                Err(e) => format!("error {e}"),
            };
            lines.push(format!("{:<26} stl robust={robust} {window:?} {line}", s.id));
        }
    }
    for s in public_long_series() {
        for robust in [false, true] {
            let line = match Mstl::new(&s.seasons).robust(robust).decompose(&s.y) {
                Ok(d) => {
                    let parts = [&d.trend[..], &d.remainder[..]].into_iter().chain(d.seasonals.iter().map(|x| &x[..]));
                    format!("{:016x}", checksum(parts))
                }
                Err(e) => format!("error {e}"),
            };
            lines.push(format!("{:<26} mstl {:?} robust={robust} {line}", s.id, s.seasons));
        }
    }
    lines
}

fn main() {
    forestock_benches::print_best_of(run);
}
