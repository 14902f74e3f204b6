//! The audit log: a Python class holding a core `forestock::audit::AuditLog` (SHA-256 hash chain of
//! runs and decisions). Records cross as Python objects with the core's serde field names; the Python class
//! `forestock.AuditLog` wraps this one. A broken chain raises `CorruptRecordError` whose `index` is
//! the offending sequence number and whose `position` is the core's position text (e.g. `"seq 3"`).

use std::path::PathBuf;

use forestock::audit::{AuditKind, AuditLog, ChainViolation};
use forestock::Error;
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter, to_py_err};
use crate::instant::parse_instant;
use crate::json::{core, from_py, to_py};

/// Append-only, hash-chained log of runs and decisions (core `AuditLog`).
#[pyclass(module = "forestock._native", name = "AuditLog")]
pub(crate) struct PyAuditLog {
    inner: AuditLog,
}

/// The names of the core's `AuditKind` values, in declaration order.
const KINDS: [AuditKind; 6] = [
    AuditKind::Run,
    AuditKind::Decision,
    AuditKind::Promotion,
    AuditKind::Retrain,
    AuditKind::Configuration,
    AuditKind::Note,
];

fn parse_kind(py: Python<'_>, kind: &str) -> PyResult<AuditKind> {
    KINDS.into_iter().find(|k| k.as_str() == kind).ok_or_else(|| {
        let names: Vec<&str> = KINDS.iter().map(|k| k.as_str()).collect();
        invalid_parameter(py, "kind", kind, &format!("must be one of {}", names.join(", ")))
    })
}

/// A chain violation as `CorruptRecordError`, with `index` (sequence number) and `position` set.
fn violation_error(py: Python<'_>, violation: ChainViolation) -> PyErr {
    let seq = match &violation {
        ChainViolation::MissingHead { first_seq } => Some(*first_seq),
        ChainViolation::Tampered { seq }
        | ChainViolation::Missing { seq }
        | ChainViolation::Reordered { seq, .. }
        | ChainViolation::BrokenLink { seq }
        | ChainViolation::TimestampRegression { seq } => Some(*seq),
        ChainViolation::HeadMismatch { last_seq } => *last_seq,
    };
    let kind = serde_json::to_value(&violation)
        .ok()
        .and_then(|v| v.get("violation").and_then(|k| k.as_str().map(str::to_string)));
    let error = Error::from(violation);
    let position = match &error {
        Error::CorruptRecord { position, .. } => Some(position.clone()),
        _ => None,
    };
    let err = to_py_err(py, &error);
    let value = err.value(py);
    let attributes = value
        .setattr("index", seq)
        .and_then(|()| value.setattr("position", position))
        .and_then(|()| value.setattr("violation", kind));
    match attributes {
        Ok(()) => err,
        Err(setattr_failed) => setattr_failed,
    }
}

#[pymethods]
impl PyAuditLog {
    /// An empty log.
    #[new]
    fn new() -> Self {
        PyAuditLog { inner: AuditLog::new() }
    }

    /// The valid record kinds (core `AuditKind` names).
    #[staticmethod]
    fn kinds() -> Vec<&'static str> {
        KINDS.iter().map(|k| k.as_str()).collect()
    }

    /// Append an event at the RFC 3339 `timestamp` with a `payload` of plain data; returns the new
    /// record. With `file`, the core's locked append (`AuditLog::append_to_file`) writes the record
    /// to that file chained onto the file's real last record (created if absent; safe with other
    /// processes appending), and this log then mirrors the file. On error nothing changes. The GIL
    /// is released while the file is locked and written.
    #[pyo3(signature = (timestamp, kind, payload, file=None))]
    fn append(
        &mut self,
        py: Python<'_>,
        timestamp: &str,
        kind: &str,
        payload: &Bound<'_, PyAny>,
        file: Option<PathBuf>,
    ) -> PyResult<Py<PyAny>> {
        let timestamp = parse_instant(py, "timestamp", timestamp)?;
        let kind = parse_kind(py, kind)?;
        let payload: serde_json::Value = from_py(py, "payload", payload)?;
        let record = match file {
            Some(path) => {
                let inner = &mut self.inner;
                core(py, py.detach(|| guarded(|| inner.append_to_file(&path, timestamp, kind, payload).cloned())))?
            }
            None => core(py, guarded(|| self.inner.append(timestamp, kind, payload).cloned()))?,
        };
        to_py(py, &record)
    }

    /// Every record, oldest first, as a JSON list of `AuditRecord`.
    fn records(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.records())
    }

    /// Hash of the last record (64 zeros for an empty log).
    #[getter]
    fn head_hash(&self) -> String {
        self.inner.head_hash().to_string()
    }

    /// Check the whole chain: True, or `CorruptRecordError` naming the first offending record.
    fn verify(&self, py: Python<'_>) -> PyResult<bool> {
        self.inner.verify().map(|()| true).map_err(|v| violation_error(py, v))
    }

    /// `verify`, then check that the log ends at `expected_head` (a hash kept elsewhere).
    fn verify_head(&self, py: Python<'_>, expected_head: &str) -> PyResult<bool> {
        self.inner.verify_head(expected_head).map(|()| true).map_err(|v| violation_error(py, v))
    }

    /// The log as JSON lines (one record per line).
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        let mut out = Vec::new();
        core(py, guarded(|| self.inner.write_jsonl(&mut out)))?;
        String::from_utf8(out).map_err(|e| to_py_err(py, &Error::Serialization(e.to_string())))
    }

    /// Read JSON lines (not verified; a malformed line is a `CorruptRecordError` naming it).
    #[staticmethod]
    fn from_jsonl(py: Python<'_>, text: &str) -> PyResult<Self> {
        let inner = core(py, guarded(|| AuditLog::read_jsonl(text.as_bytes())))?;
        Ok(PyAuditLog { inner })
    }

    /// Write the log to `path` as JSON lines, replacing the file atomically (temp file, fsync,
    /// rename; GIL released during the I/O).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let inner = &self.inner;
        core(py, guarded(|| py.detach(|| inner.save(&path))))
    }

    /// Read a JSON-lines log file (not verified: call `verify`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = core(py, guarded(|| py.detach(|| AuditLog::load(&path))))?;
        Ok(PyAuditLog { inner })
    }

    /// Number of records.
    fn __len__(&self) -> usize {
        self.inner.len()
    }
}
