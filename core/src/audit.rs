//! Append-only, hash-chained audit log of runs and decisions.
//!
//! Each [`AuditRecord`] carries a sequence number (0, 1, 2, ... in order), a caller-supplied
//! timestamp (the core never reads a clock), a [`AuditKind`], a free JSON payload, the hash of the
//! previous record (`prev_hash`, 64 zeros for the first record) and its own hash
//!
//! ```text
//! hash = hex( SHA-256( "forestock-audit-v1\n" || canonical_json({seq, timestamp, kind, payload, prev_hash}) ) )
//! ```
//!
//! where `canonical_json` writes objects with keys sorted by byte order, no insignificant whitespace,
//! numbers as serde_json prints them (shortest round-trip form; the workspace enables serde_json's
//! `float_roundtrip` so a number read back from the file is bit-identical and re-hashes the same) and
//! the timestamp as RFC 3339 UTC with
//! nanoseconds (`2026-01-05T06:00:00.000000000Z`). Changing any field of any record, removing,
//! inserting or reordering records, or cutting records off the head breaks the chain, and
//! [`AuditLog::verify`] names the first offending sequence number. Cutting records off the **tail**
//! leaves a valid shorter chain: keep the latest [`AuditLog::head_hash`] somewhere else (a database
//! row, a signed report) and check it with [`AuditLog::verify_head`]. This is the construction of
//! Haber & Stornetta (1991), "How to time-stamp a digital document", J. Cryptology 3(2).
//!
//! Persistence is JSON lines (one record per line), which suits append-only files:
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use forestock::audit::{AuditKind, AuditLog};
//! let mut log = AuditLog::new();
//! let t = Utc.with_ymd_and_hms(2026, 1, 5, 6, 0, 0).unwrap();
//! log.append(t, AuditKind::Run, serde_json::json!({"job": "daily_plan", "skus": 1200}))?;
//! log.append(t, AuditKind::Decision, serde_json::json!({"sku": "A-1", "retrain": true}))?;
//! let mut file = Vec::new();
//! log.write_jsonl(&mut file)?;
//! let back = AuditLog::read_jsonl(file.as_slice())?;
//! assert!(back.verify().is_ok());
//! assert_eq!(back.head_hash(), log.head_hash());
//! # Ok::<(), forestock::Error>(())
//! ```
//!
//! # Files shared by several writers
//!
//! [`append_to_file`] (and [`AuditLog::append_to_file`], which also keeps an in-memory log in line)
//! is the append that jobs use: it takes an exclusive advisory lock on the file, re-reads the file's
//! last record under the lock and chains onto it, writes one line and fsyncs before unlocking, so
//! threads and processes appending to one file concurrently build one valid chain (tested with two
//! processes appending 400 records each). [`AuditLog::save`] replaces a whole file atomically (temp
//! file, fsync, rename; [`crate::store`]) under the same lock, so a reader never sees a partial log.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store;

/// One record a job writes to the log: its kind and payload. The core builds the entries of each
/// run kind ([`crate::plan::PlanOutput::audit_entries`], [`crate::plan::RetrainReport::audit_entries`]),
/// so the Rust job, Python's and Node's write the same records; a binding only appends them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// What the record is about.
    pub kind: AuditKind,
    /// The record's payload.
    pub payload: Value,
}

/// The payload of a planner's decision on a recommended order (kind [`AuditKind::Decision`]),
/// written by [`crate::feedback::record_decision`]:
/// `{"type": "order_decision", "sku", "recommendation", "decision", "quantity", "by"}` (the record's
/// timestamp is the decision's time). Defined here, once, so every language writes the same record.
pub fn order_decision_payload(sku: &str, recommendation: f64, decision: &str, quantity: f64, by: &str) -> Value {
    serde_json::json!({
        "type": "order_decision",
        "sku": sku,
        "recommendation": recommendation,
        "decision": decision,
        "quantity": quantity,
        "by": by,
    })
}

/// `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain-separation prefix of the hashed bytes (changes if the canonical form ever changes).
const HASH_DOMAIN: &str = "forestock-audit-v1\n";

/// What a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A job run (planning, backtest, retraining).
    Run,
    /// A decision (reorder recommendation, retrain decision).
    Decision,
    /// A champion/challenger promotion in the model registry.
    Promotion,
    /// A model (re)estimation.
    Retrain,
    /// A configuration change.
    Configuration,
    /// Anything else worth recording.
    Note,
}

impl AuditKind {
    /// The serialized name, e.g. `"decision"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Run => "run",
            AuditKind::Decision => "decision",
            AuditKind::Promotion => "promotion",
            AuditKind::Retrain => "retrain",
            AuditKind::Configuration => "configuration",
            AuditKind::Note => "note",
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Position in the chain, starting at 0.
    pub seq: u64,
    /// When the event happened (supplied by the caller).
    pub timestamp: DateTime<Utc>,
    /// Kind of event.
    pub kind: AuditKind,
    /// Event details.
    pub payload: Value,
    /// `hash` of the previous record ([`GENESIS_HASH`] for `seq` 0).
    pub prev_hash: String,
    /// SHA-256 of this record's canonical form (lower-case hex).
    pub hash: String,
}

impl AuditRecord {
    /// Recompute the hash from the record's fields (ignores the stored `hash`).
    pub fn compute_hash(&self) -> String {
        let mut canonical = String::new();
        canonical.push_str(HASH_DOMAIN);
        canonical.push_str("{\"kind\":");
        write_json_string(&mut canonical, self.kind.as_str());
        canonical.push_str(",\"payload\":");
        write_canonical(&mut canonical, &self.payload);
        canonical.push_str(",\"prev_hash\":");
        write_json_string(&mut canonical, &self.prev_hash);
        let _ = write!(canonical, ",\"seq\":{}", self.seq);
        canonical.push_str(",\"timestamp\":");
        write_json_string(&mut canonical, &canonical_timestamp(&self.timestamp));
        canonical.push('}');
        let digest = Sha256::digest(canonical.as_bytes());
        digest.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }
}

fn canonical_timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

fn write_json_string(out: &mut String, s: &str) {
    // serde_json's string escaping is deterministic; serializing a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// Canonical JSON: sorted object keys, no whitespace.
fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(out, key);
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(out, v);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, v);
            }
            out.push(']');
        }
        Value::String(s) => write_json_string(out, s),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
    }
}

/// The first integrity problem found by [`AuditLog::verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "violation", rename_all = "snake_case")]
pub enum ChainViolation {
    /// The first record is not the genesis record: records were cut off the head.
    #[error("log does not start at the genesis record (first record has seq {first_seq})")]
    MissingHead {
        /// Sequence number of the first record present.
        first_seq: u64,
    },
    /// A record's content no longer matches its hash: it was altered.
    #[error("record {seq} was altered (hash mismatch)")]
    Tampered {
        /// Sequence number stored in the altered record.
        seq: u64,
    },
    /// The record with sequence number `seq` is absent.
    #[error("record {seq} is missing")]
    Missing {
        /// The missing sequence number.
        seq: u64,
    },
    /// Records are present but not in sequence order.
    #[error("record {seq} found at position {position}: records were reordered")]
    Reordered {
        /// Sequence number found at `position`.
        seq: u64,
        /// 0-based position in the log.
        position: usize,
    },
    /// The record's `prev_hash` does not match the previous record's hash (records removed or
    /// inserted and the chain re-hashed after that point).
    #[error("record {seq} does not link to the previous record")]
    BrokenLink {
        /// Sequence number of the record whose link is broken.
        seq: u64,
    },
    /// The record's timestamp is earlier than the previous record's.
    #[error("record {seq} is timestamped before its predecessor")]
    TimestampRegression {
        /// Sequence number of the offending record.
        seq: u64,
    },
    /// The last record's hash differs from the externally kept head: the tail was cut or replaced.
    #[error("head hash mismatch: log ends at record {last_seq:?}")]
    HeadMismatch {
        /// Sequence number of the last record present (`None` for an empty log).
        last_seq: Option<u64>,
    },
}

impl From<ChainViolation> for Error {
    fn from(v: ChainViolation) -> Self {
        let position = match &v {
            ChainViolation::MissingHead { first_seq } => format!("seq {first_seq}"),
            ChainViolation::Tampered { seq }
            | ChainViolation::Missing { seq }
            | ChainViolation::Reordered { seq, .. }
            | ChainViolation::BrokenLink { seq }
            | ChainViolation::TimestampRegression { seq } => format!("seq {seq}"),
            ChainViolation::HeadMismatch { last_seq } => format!("head (last seq {last_seq:?})"),
        };
        Error::CorruptRecord { position, reason: v.to_string() }
    }
}

/// An append-only hash-chained log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditLog {
    records: Vec<AuditRecord>,
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> Self {
        AuditLog::default()
    }

    /// Wrap records read elsewhere (not verified: call [`AuditLog::verify`]).
    pub fn from_records(records: Vec<AuditRecord>) -> Self {
        AuditLog { records }
    }

    /// The records, oldest first.
    pub fn records(&self) -> &[AuditRecord] {
        &self.records
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` when the log has no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Hash of the last record ([`GENESIS_HASH`] for an empty log): keep it outside the log to detect
    /// tail truncation with [`AuditLog::verify_head`].
    pub fn head_hash(&self) -> &str {
        self.records.last().map_or(GENESIS_HASH, |r| r.hash.as_str())
    }

    /// Append an event. The timestamp must not precede the previous record's, and the payload must
    /// not contain non-finite numbers (serde_json cannot represent them anyway).
    pub fn append(&mut self, timestamp: DateTime<Utc>, kind: AuditKind, payload: Value) -> Result<&AuditRecord> {
        let previous = self.records.last().map(|r| r.timestamp);
        let record = chained_record(
            previous,
            self.records.len() as u64,
            self.head_hash().to_string(),
            timestamp,
            kind,
            payload,
        )?;
        self.records.push(record);
        self.records.last().ok_or_else(|| Error::Io("append failed".into()))
    }

    /// Check the whole chain; returns the first violation in log order.
    pub fn verify(&self) -> std::result::Result<(), ChainViolation> {
        let present: HashSet<u64> = self.records.iter().map(|r| r.seq).collect();
        let mut previous: Option<&AuditRecord> = None;
        for (position, record) in self.records.iter().enumerate() {
            if record.compute_hash() != record.hash {
                return Err(ChainViolation::Tampered { seq: record.seq });
            }
            let expected = position as u64;
            if position == 0 && (record.seq != 0 || record.prev_hash != GENESIS_HASH) {
                return Err(ChainViolation::MissingHead { first_seq: record.seq });
            }
            if record.seq != expected {
                return Err(if present.contains(&expected) {
                    ChainViolation::Reordered { seq: record.seq, position }
                } else {
                    ChainViolation::Missing { seq: expected }
                });
            }
            if let Some(prev) = previous {
                if record.prev_hash != prev.hash {
                    return Err(ChainViolation::BrokenLink { seq: record.seq });
                }
                if record.timestamp < prev.timestamp {
                    return Err(ChainViolation::TimestampRegression { seq: record.seq });
                }
            }
            previous = Some(record);
        }
        Ok(())
    }

    /// [`AuditLog::verify`], then check that the log ends at `expected_head` (a hash kept elsewhere).
    pub fn verify_head(&self, expected_head: &str) -> std::result::Result<(), ChainViolation> {
        self.verify()?;
        if self.head_hash() != expected_head {
            return Err(ChainViolation::HeadMismatch { last_seq: self.records.last().map(|r| r.seq) });
        }
        Ok(())
    }

    /// Write every record as one JSON line.
    pub fn write_jsonl<W: Write>(&self, mut out: W) -> Result<()> {
        for record in &self.records {
            append_jsonl(record, &mut out)?;
        }
        out.flush()?;
        Ok(())
    }

    /// Read JSON lines (blank lines ignored). Malformed lines give [`Error::CorruptRecord`] naming the
    /// 1-based line. The chain is not verified here.
    pub fn read_jsonl<R: BufRead>(input: R) -> Result<Self> {
        let mut records = Vec::new();
        for (index, line) in input.lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let record: AuditRecord = serde_json::from_str(&line)
                .map_err(|e| Error::CorruptRecord { position: format!("line {}", index + 1), reason: e.to_string() })?;
            records.push(record);
        }
        Ok(AuditLog { records })
    }

    /// Write the log to a file, replacing it atomically ([`crate::store::write_atomic`]: temp file,
    /// fsync, rename): a reader sees the old or the new log, never a partial one. The save holds the
    /// file's append lock (see [`append_to_file`]), so it is ordered with locked appends; an append
    /// that another process made since this log was loaded is replaced, so append with
    /// [`AuditLog::append_to_file`] when several processes share a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut bytes = Vec::new();
        self.write_jsonl(&mut bytes)?;
        let _lock = lock_current(path)?;
        store::write_atomic(path, &bytes)
    }

    /// Read a log written by [`AuditLog::save`], [`append_to_file`] or [`append_jsonl`] (not verified).
    ///
    /// The read holds a shared lock on the file, so it waits for a locked append in progress
    /// ([`append_to_file`]) and never sees its half-written line.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| store::io_error(path, "cannot open", e))?;
        file.lock_shared().map_err(|e| store::io_error(path, "cannot lock", e))?;
        AuditLog::read_jsonl(std::io::BufReader::new(&file))
    }

    /// Append an event to the JSON-lines file at `path` with [`append_to_file`] (locked, chained onto
    /// the file's real last record), then bring this log in line with the file: the record is pushed
    /// when it follows this log's head, otherwise (another process appended, or this log was not read
    /// from that file) the log is re-read from the file. Afterwards the log mirrors the file up to at
    /// least the new record, which is returned. On error neither the file nor the log changes.
    pub fn append_to_file(
        &mut self,
        path: impl AsRef<Path>,
        timestamp: DateTime<Utc>,
        kind: AuditKind,
        payload: Value,
    ) -> Result<&AuditRecord> {
        let path = path.as_ref();
        let (record, mut locked) = append_locked(path, timestamp, kind, payload)?;
        if record.seq == self.records.len() as u64 && record.prev_hash == self.head_hash() {
            self.records.push(record);
        } else {
            // Re-read through the still-locked handle: another writer may be waiting to append, and
            // an unlocked read could see its line half-written.
            let hash = record.hash;
            use std::io::{Seek, SeekFrom};
            locked.seek(SeekFrom::Start(0)).map_err(|e| store::io_error(path, "cannot read", e))?;
            *self = AuditLog::read_jsonl(std::io::BufReader::new(&locked))?;
            let position = self.records.iter().rposition(|r| r.hash == hash).ok_or_else(|| Error::CorruptRecord {
                position: path.display().to_string(),
                reason: "the appended record is gone: the file was replaced after the append".into(),
            })?;
            return self.records.get(position).ok_or_else(|| Error::Io("append failed".into()));
        }
        self.records.last().ok_or_else(|| Error::Io("append failed".into()))
    }
}

/// Bound on how often a writer re-opens a file that was replaced between its open and its lock; each
/// retry means another writer completed a save, so this is only reached under a livelock.
const MAX_LOCK_RETRIES: usize = 1000;

/// Open and exclusively lock the file that `path` names *now*: if a [`AuditLog::save`] replaced it
/// between the open and the lock, the lock is on the old, unlinked file, so open the new one again.
fn lock_current(path: &Path) -> Result<std::fs::File> {
    for _ in 0..MAX_LOCK_RETRIES {
        let file = store::lock_exclusive(path)?;
        if store::is_current(&file, path)? {
            return Ok(file);
        }
    }
    Err(Error::Io(format!("cannot lock {}: replaced {MAX_LOCK_RETRIES} times while locking", path.display())))
}

/// Append one event to the JSON-lines audit file at `path` (created if absent) so that writers in
/// several threads or processes build one valid chain:
///
/// 1. take an exclusive advisory lock on the file ([`crate::store::lock_exclusive`]; waits for the
///    other writers, who all lock too);
/// 2. re-read the file's **last** record under the lock (only the tail is read) and check its hash;
/// 3. chain the new record onto it: `seq = last.seq + 1`, `prev_hash = last.hash` (genesis for an
///    empty file), `timestamp` not before the last one's;
/// 4. write the record as one JSON line, fsync the file, release the lock.
///
/// Returns the written record. Without the lock, two writers would both chain onto the same last
/// record and fork the chain (duplicate sequence numbers that [`AuditLog::verify`] only detects
/// later). A last line that does not parse (e.g. a write torn by a crash) or whose hash does not
/// match is a [`Error::CorruptRecord`] naming the file: nothing is appended to a broken tail.
pub fn append_to_file(
    path: impl AsRef<Path>,
    timestamp: DateTime<Utc>,
    kind: AuditKind,
    payload: Value,
) -> Result<AuditRecord> {
    append_locked(path.as_ref(), timestamp, kind, payload).map(|(record, _lock)| record)
}

/// [`append_to_file`], returning the still-locked file with the record so the caller can read the
/// file consistently before another writer appends.
fn append_locked(
    path: &Path,
    timestamp: DateTime<Utc>,
    kind: AuditKind,
    payload: Value,
) -> Result<(AuditRecord, std::fs::File)> {
    let mut file = lock_current(path)?;
    let tail = read_tail(&mut file).map_err(|e| store::io_error(path, "cannot read", e))?;
    let corrupt = |reason: String| Error::CorruptRecord { position: format!("{}, last line", path.display()), reason };
    let last: Option<AuditRecord> = match &tail.last_line {
        None => None,
        Some(line) => {
            let record: AuditRecord = serde_json::from_slice(line)
                .map_err(|e| corrupt(format!("not a record ({e}); a torn write? repair the file before appending")))?;
            if record.compute_hash() != record.hash {
                return Err(corrupt(format!("record {} was altered (hash mismatch)", record.seq)));
            }
            Some(record)
        }
    };
    let record = chained_record(
        last.as_ref().map(|r| r.timestamp),
        last.as_ref().map_or(0, |r| r.seq + 1),
        last.as_ref().map_or_else(|| GENESIS_HASH.to_string(), |r| r.hash.clone()),
        timestamp,
        kind,
        payload,
    )?;
    // One write of the whole line (after a newline if the file lacks its final one), so a reader
    // never sees two records interleaved; then fsync before the lock is released.
    let mut line = Vec::new();
    if !tail.ends_with_newline {
        line.push(b'\n');
    }
    line.extend_from_slice(serde_json::to_string(&record)?.as_bytes());
    line.push(b'\n');
    file.write_all(&line).map_err(|e| store::io_error(path, "cannot append to", e))?;
    file.sync_data().map_err(|e| store::io_error(path, "cannot sync", e))?;
    Ok((record, file))
}

/// The record that follows one stamped `previous` (None: the first), with its hash; a timestamp
/// before `previous` is refused. Shared by the in-memory and the locked file append.
fn chained_record(
    previous: Option<DateTime<Utc>>,
    seq: u64,
    prev_hash: String,
    timestamp: DateTime<Utc>,
    kind: AuditKind,
    payload: Value,
) -> Result<AuditRecord> {
    if let Some(previous) = previous
        && timestamp < previous
    {
        return Err(Error::invalid_parameter(
            "timestamp",
            canonical_timestamp(&timestamp),
            format!("precedes the last record ({})", canonical_timestamp(&previous)),
        ));
    }
    let mut record = AuditRecord { seq, timestamp, kind, payload, prev_hash, hash: String::new() };
    record.hash = record.compute_hash();
    Ok(record)
}

/// The last non-blank line of a file, read backwards in blocks so an append costs O(record size),
/// not O(file size).
struct Tail {
    last_line: Option<Vec<u8>>,
    /// `true` for an empty file or one whose last byte is a newline.
    ends_with_newline: bool,
}

fn read_tail(file: &mut std::fs::File) -> std::io::Result<Tail> {
    use std::io::{Read, Seek, SeekFrom};
    const BLOCK: u64 = 8192;
    let len = file.seek(SeekFrom::End(0))?;
    let mut buffer: Vec<u8> = Vec::new();
    let mut start = len;
    loop {
        // Stop once the buffer holds a newline before its last non-blank byte (a complete line).
        let content_end = buffer.iter().rposition(|b| !b.is_ascii_whitespace());
        if let Some(end) = content_end
            && let Some(newline) = buffer[..end].iter().rposition(|&b| b == b'\n')
        {
            return Ok(Tail {
                last_line: Some(buffer[newline + 1..=end].to_vec()),
                ends_with_newline: buffer.last() == Some(&b'\n'),
            });
        }
        if start == 0 {
            return Ok(Tail {
                last_line: content_end.map(|end| buffer[..=end].to_vec()),
                ends_with_newline: buffer.last().is_none_or(|&b| b == b'\n'),
            });
        }
        let read_from = start.saturating_sub(BLOCK);
        let mut block = vec![0u8; (start - read_from) as usize];
        file.seek(SeekFrom::Start(read_from))?;
        file.read_exact(&mut block)?;
        block.extend_from_slice(&buffer);
        buffer = block;
        start = read_from;
    }
}

/// Write one record as a JSON line, e.g. to a buffer or a stream. To append to a file that other
/// writers may share, use [`append_to_file`] (locked, chained onto the file's real last record).
pub fn append_jsonl<W: Write>(record: &AuditRecord, mut out: W) -> Result<()> {
    let line = serde_json::to_string(record)?;
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, h, 0, 0).single().expect("valid time")
    }

    #[test]
    fn hash_is_stable_and_key_order_independent() {
        let mut a = AuditLog::new();
        a.append(t(1), AuditKind::Run, json!({"b": 1, "a": [1.5, "x"]})).expect("test value");
        let mut b = AuditLog::new();
        let payload: Value = serde_json::from_str(r#"{"a":[1.5,"x"],"b":1}"#).expect("test value");
        b.append(t(1), AuditKind::Run, payload).expect("test value");
        assert_eq!(a.head_hash(), b.head_hash());
        assert_eq!(a.head_hash().len(), 64);
        assert_ne!(a.head_hash(), GENESIS_HASH);
    }

    #[test]
    fn append_rejects_time_going_backwards() {
        let mut log = AuditLog::new();
        log.append(t(5), AuditKind::Note, Value::Null).expect("test value");
        let e = log.append(t(4), AuditKind::Note, Value::Null).expect_err("should fail");
        assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
        assert_eq!(log.len(), 1);
    }

    #[test]
    fn violations_convert_to_corrupt_record_errors() {
        let e: Error = ChainViolation::Missing { seq: 3 }.into();
        assert_eq!(e.code(), "ERR_CORRUPT_RECORD");
        assert!(e.to_string().contains("seq 3"));
    }

    #[test]
    fn corrupt_line_is_named() {
        let text = "\n{\"seq\":0}\n";
        let e = AuditLog::read_jsonl(text.as_bytes()).expect_err("should fail");
        assert!(matches!(e, Error::CorruptRecord { ref position, .. } if position == "line 2"));
    }
}
