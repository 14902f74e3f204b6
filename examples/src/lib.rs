//! Shared code of the forestock examples: demo data generation, CSV input/output, HTML report.
#![deny(missing_docs)]

pub mod demo;
pub mod io;
pub mod output;
pub mod purchasing;
pub mod report;
