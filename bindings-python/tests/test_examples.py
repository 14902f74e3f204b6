"""The scripts in examples/python run with the installed package and print what they promise."""

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def run(script, *args, timeout=60):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_forecast_frame():
    lines = run("forecast_frame.py", "5")
    assert lines[0] == "forecast 5 series x 8 weeks"
    assert lines[1].split() == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert len(lines) == 12 and lines[2].split()[0] == "sku-0000"


def test_plan_catalogue():
    lines = run("plan_catalogue.py", "8")
    planned = re.fullmatch(r"planned (\d+) SKUs, (\d+) failed, (\d+) orders", lines[0])
    assert planned and planned.group(1) == "8" and planned.group(2) == "0"
    assert lines[1].split()[:3] == ["unique_id", "abc_class", "demand_pattern"]
    assert len(lines) == 2 + int(planned.group(3))


def test_run_scheduler_every_second():
    lines = run("run_scheduler.py", "2.5", "* * * * * *")
    assert lines[0].startswith("next run of daily-plan: ")
    runs = [line for line in lines if line.startswith("plan run at ")]
    assert runs and all(line.endswith("12 SKUs planned, 12 orders") for line in runs)
    stats = re.fullmatch(r"shut down: runs=(\d+) failures=0 skipped=0 misfires=0", lines[-1])
    assert stats and int(stats.group(1)) == len(runs) >= 1
    assert lines[-2] == f"audit log: {len(runs)} records, verified=True"
