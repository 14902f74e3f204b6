"""Python half of the scheduler's cross-language equality test: read
tests/fixtures/cross_language/scheduler.json, replay every scripted case through the core's
decisions as the Python scheduler calls them (`_native.schedule_plan`, `_native.schedule_on_due`,
durations in seconds), and print the plans and decisions as JSON (instants in epoch ms).
bindings-node/__test__/cross_language_scheduler.test.js runs this script and asserts that Node's
answers to the same script are identical."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from forestock import _native
from forestock.scheduler import _ms

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "cross_language" / "scheduler.json"


def epoch_ms(text: str) -> int:
    return _ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def replay(case: dict[str, Any]) -> dict[str, Any]:
    """Plan, then decide at every step; after any decision but wait, plan again from that instant."""
    timing = (case["cron"], case["timezone"], case["jitter_ms"] / 1000, case["misfire_grace_ms"] / 1000)
    planned = _native.schedule_plan(*timing, epoch_ms(case["start"]), case["first_draw"])
    plans, decisions = [planned], []
    for step in case["steps"]:
        now = epoch_ms(step["now"])
        due = _native.schedule_on_due(*timing, planned["fire_time_ms"], planned["run_at_ms"], now, step["running"])
        decisions.append(due)
        if due["decision"] != "wait":
            planned = _native.schedule_plan(*timing, now, step["draw"])
            plans.append(planned)
    return {"plans": plans, "decisions": decisions}


def answers(inputs: dict[str, Any]) -> dict[str, Any]:
    return {case["name"]: replay(case) for case in inputs["cases"]}


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    json.dump(answers(json.loads(path.read_text())), sys.stdout, allow_nan=False, sort_keys=True)
