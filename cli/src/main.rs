//! `forestock-plan`: the forestock daily plan job (`forestock-plan --help` lists the options).

use std::process::ExitCode;

fn main() -> ExitCode {
    forestock_cli::run(std::env::args().skip(1))
}
