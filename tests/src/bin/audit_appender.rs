//! Test helper process: appends records to one audit file with the core's locked append, so the
//! `stores` integration test can run several real processes against the same file. It appends
//! through `AuditLog::append_to_file`, as the bindings do, so each append that follows another
//! process's also re-reads the file (under the lock) to bring the in-memory log up to date.
//!
//! Usage: `audit_appender <file> <count> <writer-name>`; exits 0 when every append succeeded.
//! Every record carries the same timestamp (equal timestamps are allowed), so the order in which
//! the writers win the lock never trips the "timestamp before its predecessor" rule.

use std::process::ExitCode;

use chrono::{TimeZone, Utc};
use forestock::audit::{AuditKind, AuditLog};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, count, writer] = args.as_slice() else {
        eprintln!("usage: audit_appender <file> <count> <writer-name>");
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("count `{count}` is not a number");
        return ExitCode::from(2);
    };
    let Some(at) = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).single() else {
        return ExitCode::FAILURE;
    };
    let mut log = AuditLog::default();
    for i in 0..count {
        let payload = serde_json::json!({ "writer": writer, "i": i });
        let seq = match log.append_to_file(file, at, AuditKind::Note, payload) {
            Ok(record) => record.seq,
            Err(e) => {
                eprintln!("append {i} of {writer} failed: {e}");
                return ExitCode::FAILURE;
            }
        };
        if seq as usize + 1 != log.records().len() {
            eprintln!("append {i} of {writer}: record {seq} but the log holds {}", log.records().len());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
