//! Durable stores under concurrency: atomic registry/audit saves, the registry's optimistic version
//! check, and locked audit appends from several real processes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use chrono::{DateTime, Duration, TimeZone, Utc};
use forestock::audit::{append_to_file, AuditKind, AuditLog};
use forestock::models::{ModelSpec, Naive};
use forestock::registry::{Metrics, ModelRecord, Registry, TrainingWindow};
use forestock::Error;
use serde_json::json;

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("forestock-stores-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn record(mase: f64) -> ModelRecord {
    ModelRecord::new(
        ModelSpec::Naive(Naive::new()),
        json!({"padding": "x".repeat(2000)}),
        Metrics { mase: Some(mase), ..Metrics::default() },
        TrainingWindow { start: None, end: None, observations: 52 },
        at(0),
    )
}

/// Files in `dir` other than the ones named (temp files left behind would show here).
fn strays(dir: &Path, expected: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !expected.contains(&name.as_str()))
        .collect()
}

#[test]
fn a_reader_during_150_registry_saves_never_sees_a_partial_file() {
    let dir = scratch("registry-reader");
    let path = dir.join("registry.json");
    let mut registry = Registry::default();
    for i in 0..40 {
        registry.promote_if_better(&format!("SKU-{i}"), record(1.0), at(0)).unwrap();
    }
    registry.save(&path).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), done.clone());
        std::thread::spawn(move || {
            let (mut reads, mut bad) = (0usize, Vec::new());
            while !done.load(Ordering::Acquire) {
                let text = std::fs::read_to_string(&path).unwrap();
                reads += 1;
                match Registry::from_json(&text) {
                    Ok(r) if r.skus().count() >= 40 => {}
                    other => bad.push(format!("{} bytes: {:?}", text.len(), other.err())),
                }
            }
            (reads, bad)
        })
    };
    for i in 0..150 {
        registry.promote_if_better("SKU-0", record(1.0 - i as f64 * 1e-3), at(i)).unwrap();
        registry.save(&path).unwrap();
    }
    done.store(true, Ordering::Release);
    let (reads, bad) = reader.join().unwrap();
    assert!(bad.is_empty(), "{} of {reads} reads saw a partial registry, e.g. {}", bad.len(), bad[0]);
    assert!(reads >= 50, "the reader only managed {reads} reads");
    assert_eq!(registry.revision(), 151);
    assert_eq!(Registry::load(&path).unwrap(), registry);
    assert_eq!(strays(&dir, &["registry.json", "registry.json.lock"]), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_reader_during_150_audit_saves_never_sees_a_partial_file() {
    let dir = scratch("audit-reader");
    let path = dir.join("audit.jsonl");
    let mut log = AuditLog::new();
    for i in 0..50 {
        log.append(at(i), AuditKind::Run, json!({"i": i, "padding": "y".repeat(500)})).unwrap();
    }
    log.save(&path).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), done.clone());
        std::thread::spawn(move || {
            let (mut reads, mut bad) = (0usize, 0usize);
            while !done.load(Ordering::Acquire) {
                let loaded = AuditLog::load(&path).unwrap();
                reads += 1;
                if loaded.len() < 50 || loaded.verify().is_err() {
                    bad += 1;
                }
            }
            (reads, bad)
        })
    };
    for i in 0..150 {
        log.append(at(50 + i), AuditKind::Note, json!({"save": i})).unwrap();
        log.save(&path).unwrap();
    }
    done.store(true, Ordering::Release);
    let (reads, bad) = reader.join().unwrap();
    assert_eq!(bad, 0, "{bad} of {reads} reads saw a partial or broken log");
    assert!(reads >= 50, "the reader only managed {reads} reads");
    assert_eq!(AuditLog::load(&path).unwrap(), log);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stale_registry_saves_from_two_threads_conflict_instead_of_losing_updates() {
    let dir = scratch("registry-conflict");
    let path = dir.join("registry.json");
    Registry::default().save(&path).unwrap();
    let rounds = 30;
    let conflicts = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = ["north", "south"]
        .into_iter()
        .map(|writer| {
            let (path, conflicts, barrier) = (path.clone(), conflicts.clone(), barrier.clone());
            std::thread::spawn(move || {
                for round in 0..rounds {
                    // Both writers load the same revision, then both try to save their own change.
                    let mut registry = Registry::load(&path).unwrap();
                    barrier.wait();
                    loop {
                        let sku = format!("{writer}-{round}");
                        registry.promote_if_better(&sku, record(0.9), at(round)).unwrap();
                        match registry.save(&path) {
                            Ok(()) => break,
                            Err(e @ Error::Conflict { .. }) => {
                                assert_eq!(e.code(), "ERR_CONFLICT");
                                conflicts.fetch_add(1, Ordering::Relaxed);
                                // The documented recovery: reload and re-apply.
                                registry = Registry::load(&path).unwrap();
                            }
                            Err(e) => panic!("unexpected error {e}"),
                        }
                    }
                    barrier.wait();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let saved = Registry::load(&path).unwrap();
    // Every update of both writers survived, and each round had exactly one stale save.
    assert_eq!(saved.skus().count(), 2 * rounds as usize);
    assert_eq!(conflicts.load(Ordering::Relaxed), rounds as usize);
    assert_eq!(saved.revision(), 1 + 2 * rounds as u64);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stale_save_leaves_the_file_as_the_winner_wrote_it() {
    let dir = scratch("registry-stale");
    let path = dir.join("registry.json");
    let mut first = Registry::default();
    first.save(&path).unwrap();
    let mut second = Registry::load(&path).unwrap();
    first.promote_if_better("A", record(0.9), at(0)).unwrap();
    first.save(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    second.promote_if_better("B", record(0.9), at(0)).unwrap();
    let e = second.save(&path).unwrap_err();
    assert_eq!(e, Error::Conflict { path: path.display().to_string(), expected: 1, found: 2 });
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(second.revision(), 1, "a refused save keeps the loaded revision");
    // A registry that never saw the file does not overwrite it either.
    assert_eq!(Registry::default().save(&path).unwrap_err().code(), "ERR_CONFLICT");
    // Something that is not a registry is never overwritten.
    std::fs::write(&path, "not json").unwrap();
    assert_eq!(first.save(&path).unwrap_err().code(), "ERR_CORRUPT_RECORD");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_processes_appending_400_records_each_build_one_valid_chain() {
    let dir = scratch("audit-processes");
    let path = dir.join("audit.jsonl");
    let children: Vec<_> = ["alpha", "beta"]
        .into_iter()
        .map(|writer| {
            Command::new(env!("CARGO_BIN_EXE_audit_appender"))
                .args([path.to_str().unwrap(), "400", writer])
                .spawn()
                .unwrap()
        })
        .collect();
    // A reader loading throughout must never see a half-written line (the load takes a shared lock).
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut loads = 0;
            while !done.load(Ordering::SeqCst) {
                match AuditLog::load(&path) {
                    Ok(log) => assert_eq!(log.verify(), Ok(()), "load {loads} saw a forked chain"),
                    Err(Error::Io(_)) => {} // not created yet
                    Err(e) => panic!("load {loads} during the appends failed: {e}"),
                }
                loads += 1;
            }
            loads
        })
    };
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    done.store(true, Ordering::SeqCst);
    assert!(reader.join().unwrap() > 0);
    let log = AuditLog::load(&path).unwrap();
    assert_eq!(log.len(), 800);
    assert_eq!(log.verify(), Ok(()));
    let seqs: Vec<u64> = log.records().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (0..800).collect::<Vec<u64>>());
    for writer in ["alpha", "beta"] {
        let mine: Vec<u64> = log
            .records()
            .iter()
            .filter(|r| r.payload["writer"] == writer)
            .map(|r| r.payload["i"].as_u64().unwrap())
            .collect();
        assert_eq!(mine, (0..400).collect::<Vec<u64>>(), "{writer}'s records in order, none lost");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn locked_appends_and_atomic_saves_interleave_without_forking() {
    let dir = scratch("audit-append-save");
    let path = dir.join("audit.jsonl");
    let mut log = AuditLog::new();
    for i in 0..100 {
        // The in-memory log follows the file; saving it rewrites the same records.
        log.append_to_file(&path, at(0), AuditKind::Note, json!({"i": i})).unwrap();
        if i % 10 == 0 {
            log.save(&path).unwrap();
        }
    }
    let other = {
        let path = path.clone();
        std::thread::spawn(move || {
            for i in 0..100 {
                append_to_file(&path, at(0), AuditKind::Note, json!({"other": i})).unwrap();
            }
        })
    };
    for i in 0..100 {
        log.append_to_file(&path, at(0), AuditKind::Note, json!({"mine": i})).unwrap();
    }
    other.join().unwrap();
    let on_disk = AuditLog::load(&path).unwrap();
    assert_eq!(on_disk.len(), 300);
    assert_eq!(on_disk.verify(), Ok(()));
    // The in-memory copy caught up with the other writer's records whenever it fell behind.
    assert_eq!(&on_disk.records()[..log.len()], log.records());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_locked_append_refuses_a_torn_or_altered_tail() {
    let dir = scratch("audit-tail");
    let path = dir.join("audit.jsonl");
    append_to_file(&path, at(0), AuditKind::Run, json!({"ok": 1})).unwrap();
    let good = std::fs::read_to_string(&path).unwrap();
    // A crash in the middle of a write leaves half a line.
    std::fs::write(&path, format!("{good}{}", &good[..good.len() / 2])).unwrap();
    let e = append_to_file(&path, at(1), AuditKind::Run, json!({})).unwrap_err();
    assert_eq!(e.code(), "ERR_CORRUPT_RECORD");
    assert!(e.to_string().contains("audit.jsonl, last line"), "{e}");
    // An edited last record.
    std::fs::write(&path, good.replace("\"ok\":1", "\"ok\":2")).unwrap();
    let e = append_to_file(&path, at(1), AuditKind::Run, json!({})).unwrap_err();
    assert!(e.to_string().contains("record 0 was altered"), "{e}");
    // A valid last line without its newline gets one before the next record.
    std::fs::write(&path, good.trim_end()).unwrap();
    let next = append_to_file(&path, at(1), AuditKind::Run, json!({})).unwrap();
    assert_eq!(next.seq, 1);
    assert_eq!(AuditLog::load(&path).unwrap().verify(), Ok(()));
    // A timestamp before the file's last record is refused, naming the parameter.
    let e = append_to_file(&path, at(0), AuditKind::Run, json!({})).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
    assert_eq!(AuditLog::load(&path).unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
