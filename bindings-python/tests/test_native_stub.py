"""The hand-written stub `_native.pyi` matches the compiled module: every public function, class and
method of `forestock._native` is declared in the stub and every declaration exists (issue 16: the
stub is checked against the module). Results cross the boundary as Python objects, not JSON text."""

import ast
import inspect
from pathlib import Path

import numpy as np
import pandas as pd

import forestock as fs
from forestock import _native

STUB = Path(fs.__file__).with_name("_native.pyi")


def _stub_names() -> tuple[set[str], dict[str, set[str]]]:
    tree = ast.parse(STUB.read_text())
    functions, classes = set(), {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and not node.target.id.startswith("_"):
            functions.add(node.target.id)
    return functions, classes


def test_the_stub_declares_exactly_the_modules_functions_and_classes():
    functions, classes = _stub_names()
    public = {n for n in dir(_native) if not n.startswith("_")}
    module_classes = {n for n in public if inspect.isclass(getattr(_native, n))}
    module_functions = public - module_classes
    assert module_functions == functions, (module_functions - functions, functions - module_functions)
    # Exception classes are declared too; their members come from Python's exceptions.
    assert module_classes == set(classes), (module_classes - set(classes), set(classes) - module_classes)
    for name, methods in classes.items():
        cls = getattr(_native, name)
        if issubclass(cls, BaseException):
            continue
        own = {m for m in vars(cls) if not m.startswith("_")}
        declared = {m for m in methods if not m.startswith("_")}
        assert own == declared, (name, own - declared, declared - own)


def test_results_cross_as_python_objects_not_json_text():
    y = np.array([12.0, 15, 11, 18, 14, 13, 17, 16, 12, 19, 15, 14] * 3)
    result = fs.backtest(y, fs.Naive(), windows=3, step=1, horizon=2)
    assert isinstance(result, dict) and isinstance(result["metrics"]["mae"], float)
    demand = pd.DataFrame({"unique_id": "A", "ds": np.arange(len(y)), "y": y})
    items = pd.DataFrame({"unique_id": ["A"], "unit_cost": [2.0], "lead_time": [1.0]})
    recs, _ = fs.plan(demand, items)
    assert isinstance(recs["expected_cost_per_period"].iloc[0], float)


def test_non_finite_numbers_reach_python_as_floats_not_none():
    # Values near the float limit overflow the detector's robust scale to inf: whatever the core
    # computed crosses as the float it is (JSON text would have turned it into None).
    y = np.full(40, 5.0)
    y[20], y[21] = 1.7e308, -1.7e308
    report = fs.detect_anomalies(y, 1)["report"]
    assert report["scale"] == float("inf")
