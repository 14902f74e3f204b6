"""The audit log: an append-only SHA-256 hash chain of runs and decisions (core
`forestock::audit::AuditLog`, held natively).

Each record's hash covers its sequence number, timestamp, kind, payload and the previous record's
hash (Haber & Stornetta 1991), so altering, removing, inserting or reordering records breaks the
chain and `verify()` names the first offending record. Cutting records off the tail leaves a valid
shorter chain: keep `head_hash` elsewhere and check it with `verify_head`.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from . import _native
from ._convert import invalid_parameter
from ._records import instant_text, parse_instant


def _record(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "timestamp": parse_instant(record["timestamp"])}


class AuditLog:
    """Append-only, hash-chained log of runs and decisions (core `AuditLog`).

        >>> log = fs.AuditLog()
        >>> log.append("run", {"job": "daily_plan", "skus": 1200})
        >>> log.append("decision", {"sku": "A-1", "retrain": True}, file="audit.jsonl")
        >>> log.verify()
        True

    Record kinds (`KINDS`) are the core's: ``run``, ``decision``, ``promotion``, ``retrain``,
    ``configuration``, ``note``. Files are JSON lines, one record per line.
    """

    #: The valid record kinds.
    KINDS: tuple[str, ...] = tuple(_native.AuditLog.kinds())

    def __init__(self) -> None:
        self._native = _native.AuditLog()

    @classmethod
    def _wrap(cls, native: _native.AuditLog) -> AuditLog:
        log = object.__new__(cls)
        log._native = native
        return log

    def append(
        self,
        kind: str,
        payload: Any = None,
        *,
        timestamp: datetime | str | None = None,
        file: str | os.PathLike[str] | None = None,
    ) -> dict[str, Any]:
        """Append an event of `kind` with a JSON-serialisable `payload` (numpy values and
        datetimes are converted; NaN is rejected) at `timestamp` (aware datetime, default now; it
        must not precede the last record's). With `file`, the record is appended to that JSON-lines
        file under an exclusive lock, chained onto the file's real last record, so several processes
        can append to one file and still build one valid chain; this log then mirrors the file (it
        is re-read when another writer appended in between). Returns the new record (see
        `records`)."""
        if not isinstance(kind, str):
            raise invalid_parameter("kind", f"kind must be one of {', '.join(self.KINDS)}, got {kind!r}")
        raw = self._native.append(
            instant_text(timestamp, "timestamp"),
            kind,
            payload,
            None if file is None else os.fspath(file),
        )
        return _record(raw)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The records, oldest first: dicts with ``seq``, ``timestamp`` (aware datetime), ``kind``,
        ``payload``, ``prev_hash`` and ``hash``."""
        return [_record(r) for r in self._native.records()]

    @property
    def head_hash(self) -> str:
        """Hash of the last record (64 zeros for an empty log): keep it elsewhere to detect a cut tail."""
        return self._native.head_hash

    def verify(self) -> bool:
        """Check the whole chain. Returns True, or raises `CorruptRecordError` for the first
        problem in log order, with ``index`` = the offending sequence number, ``position`` (e.g.
        ``"seq 3"``) and ``violation`` (``tampered``, ``missing``, ``reordered``, ``broken_link``,
        ``missing_head``, ``timestamp_regression``)."""
        return self._native.verify()

    def verify_head(self, expected_head: str) -> bool:
        """`verify`, then check that the log ends at `expected_head` (violation ``head_mismatch``)."""
        return self._native.verify_head(str(expected_head))

    def to_jsonl(self) -> str:
        """The log as JSON lines (e.g. to store it in a database column)."""
        return self._native.to_jsonl()

    @classmethod
    def from_jsonl(cls, text: str) -> AuditLog:
        """Read JSON lines (not verified: call `verify`). A malformed line raises
        `CorruptRecordError` naming it."""
        return cls._wrap(_native.AuditLog.from_jsonl(text))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the log to `path` as JSON lines, replacing the file atomically (temp file, fsync,
        rename: a reader never sees a partial file). Use `append(..., file=path)` when several
        processes write to one file: `save` replaces whatever they appended."""
        self._native.save(os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> AuditLog:
        """Read a JSON-lines log file (not verified: call `verify`)."""
        return cls._wrap(_native.AuditLog.load(os.fspath(path)))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"AuditLog({len(self)} records, head {self.head_hash[:12]}…)"
