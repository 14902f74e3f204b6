//! Runnable examples of forestock. The main job (`cargo run --release --example daily_plan`) is a
//! thin wrapper over [`forestock_cli::run`]; the job's code (CSV loader, outputs, report) lives in
//! the `forestock-cli` crate, which `cargo install forestock-cli` installs as `forestock-plan`.
#![deny(missing_docs)]

pub use forestock_cli::run;
