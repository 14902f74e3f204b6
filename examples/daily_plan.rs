//! The main job: forecast a catalogue and recommend reorders.
//!
//! ```text
//! cargo run --release --example daily_plan                      # 10,000 demo SKUs -> ./forestock-out/
//! cargo run --release --example daily_plan -- --skus 100000     # a bigger demo catalogue
//! cargo run --release --example daily_plan -- --demand demand.csv --items items.csv --out plan/
//! cargo run --release --example daily_plan -- --help            # every option, the CSV layouts
//! ```
//!
//! The job itself lives in the `forestock-cli` crate (`cargo install forestock-cli` installs it as
//! `forestock-plan`); this example runs it with the command line's arguments.

use std::process::ExitCode;

fn main() -> ExitCode {
    forestock_cli::run(std::env::args().skip(1))
}
