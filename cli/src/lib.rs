//! The forestock daily plan job as a library and a binary (`forestock-plan`): read a catalogue from
//! CSV files (or generate a demo one), forecast it, recommend reorders, and write the plan,
//! purchase orders, an audit record, metrics and an HTML report. `cargo install forestock-cli`
//! installs the binary; `cargo run --release --example daily_plan` in the forestock repository runs
//! the same [`run`].
#![deny(missing_docs)]

/// `println!` that ignores a closed stdout (`forestock-plan | head`) instead of panicking: the
/// job's work and its files do not depend on whether anyone still reads the console.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub mod args;
pub mod calendar;
pub mod demo;
pub mod format;
pub mod io;
mod job;
pub mod layout;
pub mod output;
pub mod purchasing;
pub mod ranking;
pub mod report;

pub use job::run;
