//! `AuditLog`: the SHA-256 hash-chained, append-only log of runs and decisions
//! (`forestock::audit`; chain construction and canonical form in docs/monitoring.md).
//!
//! Records are plain objects `{ seq, timestamp, kind, payload, prevHash, hash }` with the payload
//! exactly as appended (its keys are not renamed) and the timestamp as an RFC 3339 string.
//! `verify()` returns `true` or throws an `Error` with `code: 'ERR_CORRUPT_RECORD'` whose message
//! names the first offending record (`corrupt record at seq 3: record 3 was altered (hash mismatch)`).

use chrono::{DateTime, Utc};
use forestock::audit::{AuditKind, AuditLog as CoreAuditLog, AuditRecord as CoreAuditRecord};
use forestock::Error;
use napi::bindgen_prelude::Unknown;
use napi::ValueType;
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::convert::{instant, json_reason};
use crate::errors::{guarded, to_js_error};
use crate::plan::JsonObject;
use crate::spec::snake_case;

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

/// A record as JS sees it: top-level keys in camelCase, the payload untouched.
fn record_json(record: &CoreAuditRecord) -> Result<Value, Error> {
    let Value::Object(fields) = serde_json::to_value(record)? else {
        return Err(Error::Serialization("an audit record serializes to an object".into()));
    };
    let renamed: Map<String, Value> = fields
        .into_iter()
        .map(|(key, value)| (if key == "prev_hash" { "prevHash".to_string() } else { key }, value))
        .collect();
    Ok(Value::Object(renamed))
}

fn kind(name: &str) -> Result<AuditKind, Error> {
    serde_json::from_value(Value::String(snake_case(name))).map_err(|_| {
        Error::invalid_parameter(
            "kind",
            name,
            "must be 'run', 'decision', 'promotion', 'retrain', 'configuration' or 'note'",
        )
    })
}

/// The kind, payload and timestamp (default now) of an event to append, converted from JS.
fn event(
    kind_name: &str,
    payload: &Unknown<'_>,
    timestamp: Option<Unknown<'_>>,
) -> Result<(AuditKind, Value, DateTime<Utc>), Error> {
    let kind = kind(kind_name)?;
    let payload = match payload.get_type() {
        Ok(ValueType::Undefined) => Value::Null,
        // SAFETY: serde_json's conversion checks the value's type.
        _ => unsafe { payload.cast::<Value>() }
            .map_err(|e| Error::invalid_parameter("payload", "?", json_reason(&e.reason)))?,
    };
    let timestamp = match timestamp.filter(|t| !matches!(t.get_type(), Ok(ValueType::Undefined | ValueType::Null))) {
        Some(t) => instant(&t, "timestamp")?,
        None => Utc::now(),
    };
    Ok((kind, payload, timestamp))
}

/// Append-only, hash-chained audit log (Haber & Stornetta 1991): altering, removing, inserting or
/// reordering any record breaks the chain and `verify()` names the first bad record.
#[napi]
pub struct AuditLog {
    inner: CoreAuditLog,
}

#[napi]
impl AuditLog {
    /// An empty log.
    #[napi(constructor)]
    pub fn new() -> Self {
        AuditLog { inner: CoreAuditLog::new() }
    }

    /// Append an event and return its record. `payload` is any JSON-compatible value; `timestamp`
    /// (a Date, epoch ms or RFC 3339 string; default now) must not precede the last record's.
    #[napi(
        ts_args_type = "kind: 'run' | 'decision' | 'promotion' | 'retrain' | 'configuration' | 'note', payload: unknown, timestamp?: Date | number | string",
        ts_return_type = "AuditRecord"
    )]
    pub fn append(
        &mut self,
        kind_name: String,
        payload: Unknown<'_>,
        timestamp: Option<Unknown<'_>>,
    ) -> napi::Result<JsonObject, String> {
        let add = || -> Result<JsonObject, Error> {
            let (kind, payload, timestamp) = event(&kind_name, &payload, timestamp)?;
            let record = self.inner.append(timestamp, kind, payload)?;
            Ok(JsonObject::from_value(record_json(record)?))
        };
        js(guarded(add))
    }

    /// Append an event to the JSON-lines file `file` (created if absent) and return its record: the
    /// core's locked append takes an exclusive lock on the file, chains the record onto the file's
    /// real last record, writes one line and fsyncs, so several processes appending to one file
    /// build one valid chain. This log then mirrors the file (re-read when another writer appended
    /// in between). On error neither the file nor the log changes. Arguments as `append`.
    #[napi(
        ts_args_type = "file: string, kind: 'run' | 'decision' | 'promotion' | 'retrain' | 'configuration' | 'note', payload: unknown, timestamp?: Date | number | string",
        ts_return_type = "AuditRecord"
    )]
    pub fn append_to_file(
        &mut self,
        file: String,
        kind_name: String,
        payload: Unknown<'_>,
        timestamp: Option<Unknown<'_>>,
    ) -> napi::Result<JsonObject, String> {
        let mut add = || -> Result<JsonObject, Error> {
            let (kind, payload, timestamp) = event(&kind_name, &payload, timestamp)?;
            let record = self.inner.append_to_file(&file, timestamp, kind, payload)?;
            Ok(JsonObject::from_value(record_json(record)?))
        };
        js(add())
    }

    /// Every record, oldest first.
    #[napi(ts_return_type = "Array<AuditRecord>")]
    pub fn records(&self) -> napi::Result<JsonObject, String> {
        js(guarded(|| {
            self.inner
                .records()
                .iter()
                .map(record_json)
                .collect::<Result<Vec<_>, _>>()
                .map(|r| JsonObject::from_value(Value::Array(r)))
        }))
    }

    /// Number of records.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Hash of the last record (64 zeros for an empty log): keep it elsewhere to detect a cut tail
    /// with `verifyHead`.
    #[napi(getter)]
    pub fn head_hash(&self) -> String {
        self.inner.head_hash().to_string()
    }

    /// Check the whole chain: `true`, or throws `ERR_CORRUPT_RECORD` naming the first bad record.
    #[napi]
    pub fn verify(&self) -> napi::Result<bool, String> {
        js(guarded(|| self.inner.verify().map(|()| true).map_err(Error::from)))
    }

    /// `verify()`, then check that the log ends at `expectedHead` (a `headHash` kept elsewhere).
    #[napi]
    pub fn verify_head(&self, expected_head: String) -> napi::Result<bool, String> {
        js(guarded(|| self.inner.verify_head(&expected_head).map(|()| true).map_err(Error::from)))
    }

    /// The log as JSON lines (one record per line).
    #[napi]
    pub fn to_jsonl(&self) -> napi::Result<String, String> {
        let mut out = Vec::new();
        js(guarded(|| {
            self.inner
                .write_jsonl(&mut out)
                .and_then(|()| String::from_utf8(out).map_err(|e| Error::Serialization(e.to_string())))
        }))
    }

    /// Read JSON lines written by `toJsonl` or `save` (not verified: call `verify()`).
    #[napi(factory)]
    pub fn from_jsonl(text: String) -> napi::Result<AuditLog, String> {
        js(guarded(|| CoreAuditLog::read_jsonl(text.as_bytes()).map(|inner| AuditLog { inner })))
    }

    /// Write the log to a file as JSON lines, replacing it atomically (temp file, fsync, rename). When
    /// several processes write to one file, append with `appendToFile` instead: `save` replaces what
    /// they appended.
    #[napi]
    pub fn save(&self, path: String) -> napi::Result<(), String> {
        js(guarded(|| self.inner.save(path)))
    }

    /// Read a log file written by `save` (not verified: call `verify()`).
    #[napi(factory)]
    pub fn load(path: String) -> napi::Result<AuditLog, String> {
        js(guarded(|| CoreAuditLog::load(path).map(|inner| AuditLog { inner })))
    }
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog::new()
    }
}

/// One audit record (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct AuditRecord {
    /// Position in the chain, from 0.
    pub seq: f64,
    /// When the event happened (RFC 3339, UTC).
    pub timestamp: String,
    /// Kind of event.
    #[napi(ts_type = "'run' | 'decision' | 'promotion' | 'retrain' | 'configuration' | 'note'")]
    pub kind: String,
    /// The payload as appended.
    #[napi(ts_type = "unknown")]
    pub payload: Value,
    /// Hash of the previous record (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of this record's canonical form (hex).
    pub hash: String,
}

/// A record a job appends (declared for the types): the core decides the kind and the payload of
/// each run kind (`PlanOutput::audit_entries`, `RetrainReport::audit_entries`), so Python's, Node's
/// and the Rust job's records are identical; `plan` and `retrain` results carry them as `audit`.
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct AuditEntry {
    /// Kind of record.
    #[napi(ts_type = "'run' | 'promotion'")]
    pub kind: String,
    /// The core's payload, keys in the core's snake_case.
    #[napi(ts_type = "Record<string, unknown>")]
    pub payload: Value,
}
