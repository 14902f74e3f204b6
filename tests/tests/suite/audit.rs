//! Hash-chained audit log: round trip and tamper detection.

use chrono::{DateTime, Duration, TimeZone, Utc};
use forestock::audit::{append_jsonl, AuditKind, AuditLog, ChainViolation, GENESIS_HASH};
use proptest::prelude::*;
use serde_json::json;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 6, 0, 0).unwrap()
}

fn sample_log(n: usize) -> AuditLog {
    let mut log = AuditLog::new();
    for i in 0..n {
        let kind = [AuditKind::Run, AuditKind::Decision, AuditKind::Promotion][i % 3];
        let payload = json!({"i": i, "sku": format!("SKU-{i}"), "mape": 12.5 + i as f64, "tags": ["a", i]});
        log.append(start() + Duration::minutes(i as i64), kind, payload).unwrap();
    }
    log
}

#[test]
fn round_trip_through_jsonl_and_file() {
    let log = sample_log(6);
    assert_eq!(log.verify(), Ok(()));
    assert_eq!(log.records()[0].prev_hash, GENESIS_HASH);
    let mut bytes = Vec::new();
    log.write_jsonl(&mut bytes).unwrap();
    assert_eq!(String::from_utf8(bytes.clone()).unwrap().lines().count(), 6);
    let back = AuditLog::read_jsonl(bytes.as_slice()).unwrap();
    assert_eq!(back, log);
    assert_eq!(back.verify_head(log.head_hash()), Ok(()));

    let path = std::env::temp_dir().join(format!("forestock-audit-{}.jsonl", std::process::id()));
    log.save(&path).unwrap();
    // Append-only use: add a record to the in-memory log and append just that line to the file.
    let mut grown = AuditLog::load(&path).unwrap();
    let rec = grown.append(start() + Duration::hours(1), AuditKind::Note, json!("late")).unwrap().clone();
    let file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    append_jsonl(&rec, file).unwrap();
    let reloaded = AuditLog::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(reloaded.len(), 7);
    assert_eq!(reloaded.verify(), Ok(()));
    assert_eq!(reloaded.head_hash(), grown.head_hash());
}

#[test]
fn changed_record_is_detected() {
    let log = sample_log(5);
    let mut records = log.records().to_vec();
    records[2].payload["mape"] = json!(99.0);
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Tampered { seq: 2 }));

    let mut records = log.records().to_vec();
    records[3].timestamp += Duration::seconds(1);
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Tampered { seq: 3 }));

    let mut records = log.records().to_vec();
    records[1].kind = AuditKind::Note;
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Tampered { seq: 1 }));
}

#[test]
fn changed_and_rehashed_record_breaks_the_next_link() {
    let log = sample_log(5);
    let mut records = log.records().to_vec();
    records[2].payload["sku"] = json!("FORGED");
    records[2].hash = records[2].compute_hash();
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::BrokenLink { seq: 3 }));
}

#[test]
fn removed_record_is_detected() {
    let log = sample_log(5);
    let mut records = log.records().to_vec();
    records.remove(2);
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Missing { seq: 2 }));
}

#[test]
fn reordered_records_are_detected() {
    let log = sample_log(5);
    let mut records = log.records().to_vec();
    records.swap(1, 3);
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Reordered { seq: 3, position: 1 }));
}

#[test]
fn truncation_at_head_is_detected() {
    let log = sample_log(5);
    let records = log.records()[2..].to_vec();
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::MissingHead { first_seq: 2 }));
}

#[test]
fn truncation_at_tail_needs_the_kept_head() {
    let log = sample_log(5);
    let head = log.head_hash().to_string();
    let cut = AuditLog::from_records(log.records()[..3].to_vec());
    assert_eq!(cut.verify(), Ok(()));
    assert_eq!(cut.verify_head(&head), Err(ChainViolation::HeadMismatch { last_seq: Some(2) }));
    assert_eq!(AuditLog::new().verify_head(&head), Err(ChainViolation::HeadMismatch { last_seq: None }));
}

#[test]
fn forged_regression_in_time_is_detected() {
    // A forger who rebuilds a whole chain by hand with a timestamp going backwards.
    let log = sample_log(3);
    let mut records = log.records().to_vec();
    records[2].timestamp = records[0].timestamp - Duration::hours(1);
    records[2].hash = records[2].compute_hash();
    assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::TimestampRegression { seq: 2 }));
}

proptest! {
    #[test]
    fn any_single_payload_change_is_detected(
        values in proptest::collection::vec(-1e9f64..1e9, 1..12),
        pick in 0usize..12,
        delta in 1e-3f64..10.0,
    ) {
        let mut log = AuditLog::new();
        for (i, v) in values.iter().enumerate() {
            log.append(start() + Duration::seconds(i as i64), AuditKind::Decision, json!({"value": v})).unwrap();
        }
        let mut bytes = Vec::new();
        log.write_jsonl(&mut bytes).unwrap();
        let back = AuditLog::read_jsonl(bytes.as_slice()).unwrap();
        prop_assert_eq!(back.verify(), Ok(()));
        prop_assert_eq!(back.head_hash(), log.head_hash());

        let k = pick % values.len();
        let mut records = log.records().to_vec();
        records[k].payload["value"] = json!(values[k] + delta * values[k].abs().max(1.0));
        prop_assert_eq!(AuditLog::from_records(records).verify(), Err(ChainViolation::Tampered { seq: k as u64 }));
    }
}
