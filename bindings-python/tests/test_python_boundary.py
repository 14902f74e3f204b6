"""The typed Python boundary (issue 16 item 4): native functions take and return Python objects, not
JSON text. Non-plain values (numpy scalars and arrays, datetimes, decimals) are converted by one hook,
`forestock._convert.native_value`. A NaN or infinity is rejected with an `InvalidParameterError`
naming the argument (and the path inside it in the message) wherever the old JSON text was strict,
and reaches the core's own checks intact in the inventory inputs, where it was allowed."""

import ast
import math
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import forestock as fs
from forestock import _native
from forestock._convert import native_value

PACKAGE = Path(fs.__file__).parent
NAN, INF = float("nan"), float("inf")

#: Package files allowed to use the json module, with the reason. None: no file writes JSON for the
#: user itself (registry and audit files are written by the core).
JSON_ALLOWED: dict[str, str] = {}


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 20  # the scan sees the package, not an empty directory
    return files


def _uses_json(tree: ast.Module) -> list[int]:
    """Lines that import the json module or call one of its functions."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "json" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "json":
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "json":
            lines.append(node.lineno)
    return lines


def test_no_json_text_crosses_the_boundary():
    offenders = [
        f"{path.name}:{line}"
        for path in _sources()
        if path.name not in JSON_ALLOWED
        for line in _uses_json(ast.parse(path.read_text()))
    ]
    assert offenders == []


def test_no_feature_imports_another_features_private_names():
    offenders = [
        f"{path.name}:{node.lineno}: {alias.name}"
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.level == 1 and (node.module or "").startswith("_")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert offenders == []


def test_the_scans_find_what_they_look_for():
    sample = ast.parse("import json\nfrom ._plan import _frames\nx = json.dumps({})\n")
    assert _uses_json(sample) == [1, 3]
    assert [a.name for n in ast.walk(sample) if isinstance(n, ast.ImportFrom) for a in n.names] == ["_frames"]


def test_the_conversion_hook_turns_non_plain_values_into_plain_data():
    assert native_value(np.int64(7)) == 7 and type(native_value(np.int64(7))) is int
    assert type(native_value(np.float32(1.5))) is float and native_value(np.bool_(True)) is True
    assert math.isnan(native_value(np.float64("nan")))
    assert native_value(np.arange(3)) == [0, 1, 2]
    assert native_value(datetime(2026, 1, 5, 8, tzinfo=timezone.utc)) == "2026-01-05T08:00:00+00:00"
    assert native_value(datetime(2026, 1, 5)) == "2026-01-05T00:00:00"
    assert native_value(date(2026, 1, 5)) == "2026-01-05"
    assert native_value(Decimal("12.50")) == 12.5
    with pytest.raises(TypeError, match="object is not a JSON value"):
        native_value(object())


def test_non_plain_values_cross_through_the_hook():
    record = fs.AuditLog().append(
        "run", {"n": np.int64(3), "x": np.float32(1.5), "d": Decimal("2.5"), "a": np.arange(2), "t": date(2026, 1, 5)}
    )
    assert record["payload"] == {"n": 3, "x": 1.5, "d": 2.5, "a": [0, 1], "t": "2026-01-05"}
    assert _native.normalize_spec({"model": "seasonal_naive", "season_length": np.int64(12)}) == {
        "model": "seasonal_naive",
        "season_length": 12,
    }


def test_an_object_that_cannot_cross_is_a_typed_error_naming_the_argument_and_path():
    with pytest.raises(fs.InvalidParameterError, match=r"`payload\.a\[1\]`: object is not a JSON value") as info:
        fs.AuditLog().append("run", {"a": [1, object()]})
    assert info.value.field == "payload"
    with pytest.raises(fs.InvalidParameterError, match="keys must be text") as info:
        fs.AuditLog().append("run", {(1, 2): 3})
    assert info.value.field == "payload"


def test_specs_and_results_cross_as_objects():
    assert _native.normalize_spec({"model": "naive"}) == {"model": "naive"}
    assert _native.normalize_spec('{"model": "naive"}') == {"model": "naive"}  # stored JSON text still reads
    assert fs.Naive().fit(np.arange(10.0))._native.spec == {"model": "naive"}
    y = 10 + np.sin(np.arange(48) * 2 * np.pi / 12) + np.arange(48) * 0.1
    params = fs.STL(season_length=12).decompose(y).params
    assert isinstance(params, dict) and params["periodic"] is True
    assert params["s_window"] == 10 * len(y) + 1  # R stl: a periodic season is a window of 10 n + 1
    with pytest.raises(fs.InvalidParameterError) as info:
        _native.normalize_spec("{not json")
    assert info.value.field == "model"


# Where the old JSON text was strict (allow_nan=False), a NaN or infinity is rejected naming the
# argument; the message gives the path inside it.
STRICT = [
    ("model", "model.alpha", lambda v: _native.normalize_spec({"model": "ets", "alpha": v})),
    ("model", "model.alpha", lambda v: fs.model_from_spec({"model": "ets", "alpha": v})),
    ("payload", "payload.a.b[1]", lambda v: fs.AuditLog().append("run", {"a": {"b": [0, v]}})),
    ("fitted_state", "fitted_state.x[1]",
     lambda v: fs.Registry().promote_if_better("S", fs.Naive(), {"mase": 1.0}, fitted_state={"x": [1.0, v]})),
    ("policy", "policy.min_relative_improvement", lambda v: fs.Registry(min_relative_improvement=v)),
    ("policy", "policy.max_mape", lambda v: fs.retrain_decision([1.0, 2, 3], [1.0, 2], policy={"max_mape": v})),
    ("summary", "summary.skus", lambda v: fs.run_metrics("plan", "p", 1.0, summary={"skus": v})),
    ("realised", "realised.A.mape",
     lambda v: fs.run_metrics("job", "p", 1.0, realised={"A": {"skus": 1, "mape": v, "mase": 1.0}})),
    ("records", "records[0].duration_seconds",
     lambda v: fs.prometheus_text([{**fs.run_metrics("job", "p", 1.0, finished_at=0.0), "duration_seconds": v}])),
    ("forecasts", "forecasts[0].mean[1]",
     lambda v: fs.realised_accuracy([{"sku": "A", "abc_class": "A", "mean": [1.0, v]}], {"A": [1.0, 2, 3]}, {"A": [1.0, 2]}, 1)),
    ("config", "config.horizon", lambda v: _native.backtest({"model": "naive"}, np.arange(20.0), {"windows": 2, "step": 1, "horizon": v})),
    ("config", "config.periods", lambda v: fs.simulate_policy(
        {"kind": "reorder_point", "reorder_point": 60, "order_quantity": 100},
        {"kind": "normal", "mean": 10, "sd": 3}, {"kind": "fixed", "periods": 2}, periods=v)),
]


@pytest.mark.parametrize("value", [NAN, INF, -INF], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("field, path, call", STRICT, ids=[s[1] for s in STRICT])
def test_non_finite_numbers_are_rejected_where_json_was_strict(field, path, call, value):
    with pytest.raises(fs.InvalidParameterError, match=re.escape(f"`{path}`: must be a finite number")) as info:
        call(value)
    assert info.value.field == field


ITEM = dict(on_hand=120, lead_time=2, unit_cost=4.0, holding_cost_rate=0.005,
            service={"kind": "cycle_service", "value": 0.95}, demand={"kind": "stationary", "mean": 50, "sd": 12})
POLICY = {"kind": "reorder_point", "reorder_point": 60, "order_quantity": 100}
DEMAND = {"kind": "normal", "mean": 10, "sd": 3}
LEAD = {"kind": "fixed", "periods": 2}

# The inventory inputs allowed NaN and infinity: they reach the core, whose checks name the field
# and quote the value as it arrived (NaN / inf, not a JSON parse error).
KEPT = [
    ("demand_mean", lambda v: fs.recommend(**{**ITEM, "demand": {"kind": "stationary", "mean": v, "sd": 12}})),
    ("on_hand", lambda v: fs.recommend(**{**ITEM, "on_hand": v})),
    ("unit_cost", lambda v: fs.recommend(**{**ITEM, "unit_cost": v})),
    ("demand_mean", lambda v: fs.simulate_policy(POLICY, {**DEMAND, "mean": v}, LEAD, periods=50, trials=1)),
    ("reorder_point", lambda v: fs.simulate_policy({**POLICY, "reorder_point": v}, DEMAND, LEAD, periods=50, trials=1)),
]


@pytest.mark.parametrize("value, shown", [(NAN, "NaN"), (INF, "inf")], ids=["nan", "inf"])
@pytest.mark.parametrize("field, call", KEPT, ids=[f"{k[0]}-{i}" for i, k in enumerate(KEPT)])
def test_non_finite_inventory_inputs_reach_the_core_intact(field, call, value, shown):
    with pytest.raises(fs.InvalidParameterError, match=re.escape(f"`{field}` = {shown}")) as info:
        call(value)
    assert info.value.field == field


def test_numpy_values_in_inventory_inputs_still_work():
    plain = fs.recommend(**ITEM)
    numpy = fs.recommend(**{**ITEM, "on_hand": np.int64(120), "unit_cost": Decimal("4.0"), "lead_time": np.float32(2)})
    assert numpy == plain
