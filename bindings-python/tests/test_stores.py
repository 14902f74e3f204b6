"""Durable stores through the Python binding: the registry's optimistic version check raises
`ConflictError`, and several processes appending to one audit file with `file=` build one chain."""

import json
import subprocess
import sys
from datetime import datetime, timezone

import pytest

import forestock as fs

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


def test_a_stale_registry_save_raises_conflict_and_leaves_the_file_alone(tmp_path):
    path = tmp_path / "registry.json"
    fs.Registry().save(path)
    first, second = fs.Registry.load(path), fs.Registry.load(path)
    assert (first.revision, second.revision) == (1, 1)
    first.promote_if_better("A-1", fs.Naive(), {"mase": 0.9}, trained_at=T0, decided_at=T0)
    first.save(path)
    assert first.revision == 2
    written = path.read_bytes()
    second.promote_if_better("B-1", fs.Naive(), {"mase": 0.8}, trained_at=T0, decided_at=T0)
    with pytest.raises(fs.ConflictError) as info:
        second.save(path)
    assert isinstance(info.value, fs.ForestockError) and info.value.code == "ERR_CONFLICT"
    assert str(info.value) == f"conflict on {path}: loaded at revision 1, the file is now at revision 2"
    assert path.read_bytes() == written and second.revision == 1
    # The documented recovery: reload, re-apply, save.
    third = fs.Registry.load(path)
    third.promote_if_better("B-1", fs.Naive(), {"mase": 0.8}, trained_at=T0, decided_at=T0)
    third.save(path)
    assert fs.Registry.load(path).skus() == ["A-1", "B-1"]
    assert json.loads(path.read_text())["revision"] == 3


_APPENDER = """
import sys
from datetime import datetime, timezone
import forestock as fs
path, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
log = fs.AuditLog()
t0 = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
for i in range(count):
    log.append("note", {"writer": writer, "i": i}, timestamp=t0, file=path)
"""


def test_two_processes_appending_to_one_file_build_one_valid_chain(tmp_path):
    path = tmp_path / "audit.jsonl"
    writers = [
        subprocess.Popen([sys.executable, "-c", _APPENDER, str(path), name, "300"], stderr=subprocess.PIPE)
        for name in ("alpha", "beta")
    ]
    for writer in writers:
        _, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0, stderr.decode()
    log = fs.AuditLog.load(path)
    assert log.verify()
    records = log.records
    assert [r["seq"] for r in records] == list(range(600))
    for name in ("alpha", "beta"):
        assert [r["payload"]["i"] for r in records if r["payload"]["writer"] == name] == list(range(300))


def test_an_in_memory_log_catches_up_with_the_file(tmp_path):
    path = tmp_path / "audit.jsonl"
    mine, other = fs.AuditLog(), fs.AuditLog()
    mine.append("run", {"n": 1}, timestamp=T0, file=path)
    other.append("run", {"n": 2}, timestamp=T0, file=path)  # chained onto mine's record
    record = mine.append("run", {"n": 3}, timestamp=T0, file=path)
    assert record["seq"] == 2 and len(mine) == 3 and mine.verify()
    assert mine.records == fs.AuditLog.load(path).records
