"""Audit log from Python: the documented SHA-256 chain (checked with hashlib), file round trips, and
tamper detection naming the broken record."""

import hashlib
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import forestock as fs

T0 = datetime(2026, 1, 5, 6, 0, tzinfo=timezone.utc)
GENESIS = "0" * 64


def _log():
    log = fs.AuditLog()
    log.append("run", {"job": "daily_plan", "skus": 1200}, timestamp=T0)
    log.append("decision", {"sku": "A-1", "retrain": True, "p": 0.25}, timestamp=T0 + timedelta(minutes=1))
    log.append("promotion", {"sku": "A-1", "version": np.int64(2), "mase": np.float64(0.5)}, timestamp=T0 + timedelta(minutes=2))
    return log


def _expected_hash(record):
    """The core's documented hash: SHA-256 of a domain prefix and the canonical JSON of the record."""
    body = {
        "kind": record["kind"],
        "payload": record["payload"],
        "prev_hash": record["prev_hash"],
        "seq": record["seq"],
        "timestamp": record["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.%f000Z"),
    }
    canonical = "forestock-audit-v1\n" + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_chain_matches_the_documented_sha256_construction():
    log = _log()
    records = log.records
    assert [r["seq"] for r in records] == [0, 1, 2]
    assert [r["kind"] for r in records] == ["run", "decision", "promotion"]
    assert records[0]["prev_hash"] == GENESIS
    for prev, record in zip(records, records[1:]):
        assert record["prev_hash"] == prev["hash"]
    for record in records:
        assert record["hash"] == _expected_hash(record)
    assert records[2]["payload"] == {"sku": "A-1", "version": 2, "mase": 0.5}
    assert records[1]["timestamp"] == T0 + timedelta(minutes=1)
    assert log.head_hash == records[-1]["hash"] and len(log) == 3
    assert log.verify() is True and log.verify_head(log.head_hash) is True
    assert fs.AuditLog().head_hash == GENESIS


def test_save_load_and_jsonl_round_trips(tmp_path):
    log = _log()
    path = tmp_path / "audit.jsonl"
    log.save(path)
    loaded = fs.AuditLog.load(str(path))
    assert loaded.records == log.records and loaded.head_hash == log.head_hash
    assert loaded.verify()
    text = log.to_jsonl()
    assert text.count("\n") == 3 and path.read_text() == text
    assert fs.AuditLog.from_jsonl(text).records == log.records


def test_append_to_file_writes_one_line_per_record(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = fs.AuditLog()
    for i in range(3):
        log.append("note", {"i": i}, timestamp=T0, file=path)
    assert path.read_text() == log.to_jsonl()
    assert fs.AuditLog.load(path).verify()


def _tampered(tmp_path, edit):
    path = tmp_path / "audit.jsonl"
    _log().save(path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    return fs.AuditLog.load(path)


def _edit_payload(lines):
    record = json.loads(lines[1])
    record["payload"]["retrain"] = False
    return [lines[0], json.dumps(record), lines[2]]


@pytest.mark.parametrize(
    "edit, seq, violation",
    [
        (_edit_payload, 1, "tampered"),
        (lambda lines: [lines[0], lines[2]], 1, "missing"),
        (lambda lines: [lines[0], lines[2], lines[1]], 2, "reordered"),
        (lambda lines: lines[1:], 1, "missing_head"),
    ],
    ids=["edited", "removed", "reordered", "head-cut"],
)
def test_tampering_names_the_broken_record(tmp_path, edit, seq, violation):
    log = _tampered(tmp_path, edit)
    with pytest.raises(fs.CorruptRecordError) as info:
        log.verify()
    err = info.value
    assert err.code == "ERR_CORRUPT_RECORD"
    assert err.index == seq and err.position == f"seq {seq}" and err.violation == violation
    assert f"seq {seq}" in str(err)


def test_cut_tail_is_caught_by_the_kept_head(tmp_path):
    log = _tampered(tmp_path, lambda lines: lines[:2])
    head = _log().head_hash
    assert log.verify()  # a shorter chain is still a valid chain
    with pytest.raises(fs.CorruptRecordError) as info:
        log.verify_head(head)
    assert info.value.violation == "head_mismatch" and info.value.index == 1


def test_malformed_line_is_named(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text(_log().to_jsonl().splitlines()[0] + "\n{not json}\n")
    with pytest.raises(fs.CorruptRecordError, match="line 2"):
        fs.AuditLog.load(path)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "oops"}, "kind"),
        ({"kind": 3}, "kind"),
        ({"payload": {"x": float("nan")}}, "payload"),
        ({"payload": {"x": object()}}, "payload"),
        ({"timestamp": datetime(2026, 1, 5)}, "timestamp"),
        ({"timestamp": T0 - timedelta(seconds=1)}, "timestamp"),
        ({"timestamp": "not a time"}, "timestamp"),
    ],
)
def test_bad_appends_are_typed_errors_and_leave_the_log_unchanged(kwargs, field):
    log = fs.AuditLog()
    log.append("note", None, timestamp=T0)
    args = {"kind": "run", "payload": {"ok": 1}, "timestamp": T0, **kwargs}
    with pytest.raises(fs.InvalidParameterError) as info:
        log.append(args.pop("kind"), args.pop("payload"), **args)
    assert info.value.field == field
    assert len(log) == 1 and log.verify()


def test_unwritable_file_leaves_the_log_unchanged(tmp_path):
    log = fs.AuditLog()
    with pytest.raises(fs.StorageError):
        log.append("note", {}, timestamp=T0, file=tmp_path)  # a directory
    assert len(log) == 0
    assert fs.AuditLog.KINDS == ("run", "decision", "promotion", "retrain", "configuration", "note")
