"""The model registry: champion and challengers per SKU with promotion decisions (core
`forestock::registry::Registry`, held natively; records cross as JSON with the core's field names).

Promotion rule (core): a challenger replaces the champion when the SKU has none, or when its
backtest metric (lower is better; default MASE) improves on the champion's by at least
`min_relative_improvement` (default 2 %), ``(champion - challenger) / champion``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from . import _native
from ._convert import as_number, invalid_parameter
from ._models import FittedModel, Model
from ._records import decision_from_json, instant_text, parse_instant, utc_now

#: The core's default promotion policy (metric, min_relative_improvement).
_POLICY_DEFAULTS: dict[str, Any] = _native.Registry.default_policy()

#: Metrics with a field of their own in the core's `Metrics`; other names go to `other`.
_METRIC_FIELDS = ("mase", "mape", "smape", "rmse", "mae", "bias")


class _StoredModel(Model):
    """A model rebuilt from a stored spec whose family has no Python class."""

    def __init__(self, spec_name: str, **settings: Any) -> None:
        self.spec_name = spec_name
        super().__init__(**settings)


def _spec_classes() -> dict[str, type[Model]]:
    classes: dict[str, type[Model]] = {}
    pending = list(Model.__subclasses__())
    while pending:
        cls = pending.pop(0)
        pending.extend(cls.__subclasses__())
        name = cls.__dict__.get("spec_name")
        if isinstance(name, str):
            classes.setdefault(name, cls)
    return classes


def model_from_spec(spec: Mapping[str, Any] | str) -> Model:
    """A model object from a core `ModelSpec` (dict or JSON text), e.g. a registry record's spec.

    The spec is validated and completed by the core; the object is an instance of the matching
    class (``{"model": "seasonal_naive", ...}`` gives a `SeasonalNaive`) whose `spec()` is exactly
    the stored one, so it fits and forecasts the stored model.
    """
    canonical = _native.normalize_spec(spec if isinstance(spec, str) else dict(spec))
    name = canonical.pop("model")
    cls = _spec_classes().get(name)
    if cls is None:
        return _StoredModel(name, **canonical)
    model = object.__new__(cls)
    model._settings = canonical  # the stored settings as they are (None = the core's default)
    return model


@dataclass(frozen=True)
class ModelRecord:
    """One registered model of one SKU (core `ModelRecord`).

    `model` is rebuilt from the stored spec and can fit and forecast (``record.forecast(y, h)``);
    `spec` is the core's spec dict, `metrics` the backtest figures, `fitted_state` free JSON,
    `training_window` ``{"start", "end", "observations"}``, `version` the per-SKU number the
    registry assigned and `created_at` when the model was estimated.
    """

    version: int
    model: Model
    spec: dict[str, Any]
    metrics: dict[str, Any]
    fitted_state: Any
    training_window: dict[str, Any]
    created_at: datetime | None

    @classmethod
    def _from_json(cls, record: dict[str, Any]) -> ModelRecord:
        window = dict(record["training_window"])
        window["start"] = parse_instant(window.get("start"))
        window["end"] = parse_instant(window.get("end"))
        return cls(
            version=record["version"],
            model=model_from_spec(record["spec"]),
            spec=record["spec"],
            metrics=record["metrics"],
            fitted_state=record["fitted_state"],
            training_window=window,
            created_at=parse_instant(record["created_at"]),
        )

    def fit(self, y: Any) -> FittedModel:
        """Estimate the stored model on `y` (see `Model.fit`)."""
        return self.model.fit(y)

    def forecast(self, y: Any, h: int, level: Any = None) -> dict[str, np.ndarray]:
        """Fit the stored model on `y` and forecast `h` steps (see `Model.forecast`)."""
        return self.model.forecast(y, h, level)


def _spec_and_defaults(model: Any) -> tuple[str, Any, int | None]:
    """(spec dict or JSON text, default fitted state, default observation count) of a model argument."""
    if isinstance(model, FittedModel):
        return model._native.spec, {"description": model.description}, len(model.fitted_values)
    if isinstance(model, Model):
        return model.spec(), None, None
    if isinstance(model, Mapping):
        return dict(model), None, None
    if isinstance(model, str):
        return model if model.lstrip().startswith("{") else {"model": model}, None, None
    raise invalid_parameter(
        "model", f"model must be a forestock model, a fitted model, a spec dict or JSON, got {model!r}"
    )


def _metrics_dict(metrics: Any) -> dict[str, Any]:
    """Backtest figures in the core's `Metrics` layout. A `backtest()` result is accepted as is
    (its pooled ``metrics`` are used); names other than mase, mape, smape, rmse, mae and bias go to
    ``other``; None values are left out."""
    if isinstance(metrics, Mapping) and "windows" in metrics and isinstance(metrics.get("metrics"), Mapping):
        metrics = metrics["metrics"]
    if not isinstance(metrics, Mapping):
        raise invalid_parameter("metrics", f"metrics must be a dict such as {{'mase': 0.8}}, got {metrics!r}")
    out: dict[str, Any] = {}
    other: dict[str, float] = {}
    items = list(metrics.items()) + [(k, v) for k, v in (metrics.get("other") or {}).items()]
    for name, value in items:
        if name == "other" or value is None:
            continue
        field = f"metrics.{name}"
        number = as_number(value, field)
        if not math.isfinite(number):
            raise invalid_parameter(field, f"{field} = {number} cannot be stored: metrics must be finite")
        (out if name in _METRIC_FIELDS else other)[str(name)] = number
    if other:
        out["other"] = other
    return out


def _window_dict(window: Any, observations: int | None) -> dict[str, Any]:
    if window is None:
        return {"start": None, "end": None, "observations": observations or 0}
    if isinstance(window, (int, np.integer)) and not isinstance(window, bool):
        return {"start": None, "end": None, "observations": int(window)}
    if isinstance(window, Mapping):
        start, end = window.get("start"), window.get("end")
        return {
            "start": None if start is None else instant_text(start, "window.start"),
            "end": None if end is None else instant_text(end, "window.end"),
            "observations": window.get("observations", observations or 0),
        }
    raise invalid_parameter(
        "window", f"window must be an observation count or a dict with start, end, observations, got {window!r}"
    )


def _policy(metric: Any, min_relative_improvement: Any) -> dict[str, Any]:
    return {"metric": metric, "min_relative_improvement": min_relative_improvement}


class Registry:
    """Per-SKU champion/challenger model records with a promotion history (core `Registry`).

        >>> reg = fs.Registry()                                  # MASE, 2 % minimum improvement
        >>> reg.promote_if_better("A-1", fs.SeasonalNaive(12), {"mase": 0.9})["promoted"]
        True
        >>> reg.champion("A-1").forecast(y, h=4)["mean"]         # the champion forecasts
        >>> reg.save("registry.json"); fs.Registry.load("registry.json")

    `metric` is the backtest metric compared (``"mase"``, ``"mape"``, ``"smape"``, ``"rmse"``,
    ``"mae"``; lower is better) and `min_relative_improvement` the margin a challenger needs, in
    [0, 1). Defaults are the core's. The registry is mutable and not meant to be shared between
    threads while a retraining job updates it.
    """

    def __init__(
        self,
        *,
        metric: str = _POLICY_DEFAULTS["metric"],
        min_relative_improvement: float = _POLICY_DEFAULTS["min_relative_improvement"],
    ) -> None:
        self._native = _native.Registry(_policy(metric, min_relative_improvement))

    @classmethod
    def _wrap(cls, native: _native.Registry) -> Registry:
        registry = object.__new__(cls)
        registry._native = native
        return registry

    @property
    def policy(self) -> dict[str, Any]:
        """The promotion policy: ``{"metric", "min_relative_improvement"}``."""
        return self._native.policy

    def set_policy(self, *, metric: str | None = None, min_relative_improvement: float | None = None) -> None:
        """Change the promotion policy (settings left at None keep their current value)."""
        current = self.policy
        self._native.set_policy(
            _policy(
                current["metric"] if metric is None else metric,
                current["min_relative_improvement"] if min_relative_improvement is None else min_relative_improvement,
            )
        )

    @property
    def schema_version(self) -> int:
        """Version of the registry's JSON format."""
        return self._native.schema_version

    def promote_if_better(
        self,
        sku: str,
        model: Any,
        metrics: Any,
        *,
        trained_at: datetime | str | None = None,
        window: Any = None,
        fitted_state: Any = None,
        decided_at: datetime | str | None = None,
    ) -> dict[str, Any]:
        """Submit a challenger for `sku`; it becomes champion if it beats the current one.

        `model` is a model object (``fs.AutoETS(12)``), a fitted model, a core spec dict or its JSON
        text. `metrics` are its backtest figures (``{"mase": 0.8, "mape": 12.0}``, or a whole
        `fs.backtest` result). `trained_at` (aware datetime, default now) is when it was estimated;
        `window` the training data, an observation count or ``{"start", "end", "observations"}``
        (default: the fitted model's length, else 0 = unknown); `fitted_state` free JSON (default:
        the fitted model's description); `decided_at` the decision time (default: now).

        Returns the core's decision: ``{"sku", "decided_at", "challenger_version",
        "champion_version", "metric", "challenger_score", "champion_score", "promoted", "reason"}``
        where ``reason["outcome"]`` is ``no_champion``, ``champion_missing_metric``,
        ``challenger_missing_metric``, ``improved`` or ``insufficient_improvement``.
        """
        spec, state, observations = _spec_and_defaults(model)
        now = utc_now()
        trained_at = now if trained_at is None else trained_at
        decided_at = now if decided_at is None else decided_at
        decision = self._native.promote_if_better(
            str(sku),
            spec,
            _metrics_dict(metrics),
            state if fitted_state is None else fitted_state,
            _window_dict(window, observations),
            instant_text(trained_at, "trained_at"),
            instant_text(decided_at, "decided_at"),
        )
        return decision_from_json(decision)

    def champion(self, sku: str) -> ModelRecord | None:
        """The champion of `sku` (a `ModelRecord` whose `model` forecasts), or None."""
        record = self._native.champion(str(sku))
        return None if record is None else ModelRecord._from_json(record)

    def models(self, sku: str) -> dict[str, Any] | None:
        """Every model of `sku`: ``{"champion", "challengers", "retired", "next_version"}`` with
        `ModelRecord` values (challengers and retired champions oldest first), or None."""
        raw = self._native.models(str(sku))
        if raw is None:
            return None
        models = raw
        champion = models["champion"]
        return {
            "champion": None if champion is None else ModelRecord._from_json(champion),
            "challengers": [ModelRecord._from_json(r) for r in models["challengers"]],
            "retired": [ModelRecord._from_json(r) for r in models["retired"]],
            "next_version": models["next_version"],
        }

    def skus(self) -> list[str]:
        """SKU identifiers with at least one model, sorted."""
        return self._native.skus()

    @property
    def history(self) -> list[dict[str, Any]]:
        """Every promotion decision, oldest first (dicts as returned by `promote_if_better`)."""
        return [decision_from_json(d) for d in self._native.history()]

    def prune(self, keep: int) -> int:
        """Keep only the `keep` most recent challengers and retired champions of every SKU
        (champions and history stay). Returns how many records were dropped."""
        if isinstance(keep, bool) or not isinstance(keep, (int, np.integer)) or keep < 0:
            raise invalid_parameter("keep", f"keep must be a non-negative integer, got {keep!r}")
        return self._native.prune(int(keep))

    def to_json(self) -> str:
        """The registry as the core's JSON document (with ``schema_version``)."""
        return self._native.to_json()

    @classmethod
    def from_json(cls, text: str) -> Registry:
        """Read a registry JSON document (schema version 1 or 2; older versions are migrated)."""
        return cls._wrap(_native.Registry.from_json(text))

    @property
    def revision(self) -> int:
        """The file revision this registry was loaded at or last saved as (0 if never saved)."""
        return self._native.revision

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the registry to `path` as JSON, atomically (temp file, fsync, rename), and only if
        the file is still at the revision this registry was loaded at: when another writer saved
        in between, raise `ConflictError` (``ERR_CONFLICT``) and leave the file alone (reload,
        re-apply the change, save again). Saves are serialised by a lock on ``<path>.lock``."""
        self._native.save(os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Registry:
        """Read a registry file written by `save`."""
        return cls._wrap(_native.Registry.load(os.fspath(path)))

    def __len__(self) -> int:
        return len(self._native)

    def __contains__(self, sku: object) -> bool:
        return isinstance(sku, str) and self._native.models(sku) is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Registry) and self._native.same_as(other._native)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        policy = self.policy
        return (
            f"Registry({len(self)} SKUs, metric={policy['metric']!r}, "
            f"min_relative_improvement={policy['min_relative_improvement']!r})"
        )
