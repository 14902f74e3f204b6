"""Type stubs of the compiled module `forestock._native` (Rust, PyO3)."""

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__version__: str

class ForestockError(ValueError):
    """Base class of every forestock error; `code` holds the stable error code."""

    code: str
    series: str | None
    field: str | None
    index: int | None

class InvalidSeriesError(ForestockError): ...
class InvalidParameterError(ForestockError): ...
class FitFailedError(ForestockError): ...
class InvalidRowError(ForestockError): ...
class MissingDataError(ForestockError): ...
class CorruptRecordError(ForestockError):
    """A stored record cannot be read or breaks its invariants. Raised by `AuditLog.verify` with
    `index` = the offending sequence number, `position` (e.g. "seq 3") and `violation` set."""

    position: str | None
    violation: str | None

class SerializationError(ForestockError): ...
class StorageError(ForestockError): ...
class CancelledError(ForestockError): ...
class ConflictError(ForestockError):
    """A store changed on disk since it was loaded (`Registry.save` after another writer saved)."""
class InternalError(ForestockError): ...

_Array = npt.NDArray[np.float64]
#: A model specification: a dict such as ``{"model": "naive"}``, or its JSON text.
_Spec = dict[str, Any] | str
#: A dict or list of plain Python data (numpy values, datetimes and decimals are converted by
#: `forestock._convert.native_value`); the core's serde field names and enum tags.
_Obj = Any

class FittedModel:
    """A model estimated on one series; produced by `fit`."""

    def predict(self, h: int, level: list[float]) -> tuple[_Array, list[tuple[float, _Array, _Array]]]: ...
    @property
    def fitted_values(self) -> _Array: ...
    @property
    def residuals(self) -> _Array: ...
    @property
    def description(self) -> str: ...
    @property
    def unused_periods(self) -> list[tuple[int, str]]: ...
    @property
    def spec(self) -> dict[str, Any]: ...

def fit(spec: _Spec, y: _Array) -> FittedModel:
    """Fit the model named by `spec` on `y` (contiguous 1-D float64), GIL released."""

def forecast_batch(
    spec: _Spec,
    ids: list[str],
    y: _Array,
    offsets: npt.NDArray[np.int64],
    h: int,
    level: list[float],
    n_jobs: int,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[_Array, _Array, _Array, list[tuple[int, ForestockError]], list[tuple[int, int, str]]]:
    """Forecast concatenated series: (mean[n, h], lower[L, n, h], upper[L, n, h], errors,
    unused periods as (position, period, reason))."""

def forecast_batch_with_events(
    spec: _Spec,
    ids: list[str],
    y: _Array,
    offsets: npt.NDArray[np.int64],
    h: int,
    level: list[float],
    n_jobs: int,
    events: dict[str, Any],
    progress: Callable[[int, int], object] | None = None,
) -> tuple[
    _Array, _Array, _Array, list[tuple[int, ForestockError]], list[tuple[int, int, str]], list[tuple[int, list[dict[str, Any]]]]
]:
    """`forecast_batch` with known events (core `events::forecast_batch_events`): `events` is the dict
    `{season_length, series: [{past, future}, ...]}`; the last item lists each series' applied events
    (period, event, uplift, spread, source)."""

def stl_decompose(settings: dict[str, Any], y: _Array) -> tuple[_Array, _Array, _Array, _Array, dict[str, Any]]:
    """STL of `y` with the core `Stl` settings: (trend, seasonal, remainder, weights, `StlParams` dict)."""

def mstl_decompose(
    spec: _Spec, y: _Array
) -> tuple[list[int], _Array, list[_Array], _Array, list[tuple[int, str]], float | None]:
    """MSTL of `y`: (periods, trend, seasonals, remainder, dropped (period, reason), lambda)."""

def normalize_spec(spec: _Spec) -> dict[str, Any]:
    """Validate a model specification and return it in the core's canonical form."""

# Core structs go in and come back as plain Python objects (dicts, lists, floats, ints, strings,
# None) with the core's serde field names and enum tags; NaN and ±inf stay floats on the way out.
# On the way in a non-finite number is rejected naming the argument, except in the inventory inputs
# (`recommend`, `simulate_policy`, `purchase_orders`, items), which reach the core's checks intact.

def safety_stock(
    demand_mean: float,
    demand_sd: float,
    lead_time: float,
    lead_time_sd: float,
    service_level: float,
    method: str,
    order_quantity: float | None = None,
    review_period: float | None = None,
    distribution: str | None = None,
) -> Any:
    """The core's `SafetyStockLevels` (safety_stock, reorder_point, protection_mean, protection_sd)."""

def eoq(ordering_cost: float, holding_cost: float, demand_rate: float) -> Any:
    """The core's `EoqResult` (order_quantity, cost)."""

def classify_demand(demand: _Array) -> Any: ...
def abc_classify(values: _Array, a: float, b: float) -> Any:
    """The core's list of `AbcItem` (class, rank, value, share, cumulative_share), input order."""

def recommend(item: _Obj) -> Any:
    """`ItemPolicyInput` dict in, the `Recommendation` out."""

def simulate_policy(policy: _Obj, demand: _Obj, lead_time: _Obj, config: _Obj) -> Any:
    """`SimPolicy`, `DemandProcess`, `LeadTimeProcess`, partial `SimulationConfig` -> `SimulationReport`."""

def lead_times_from_receipts(lines: _Obj, config: _Obj, items: _Obj | None = None) -> Any:
    """Receipt records, partial `LeadTimeConfig`, optional `ItemMaster` list ->
    `{"report": LeadTimeReport, "items": [ItemMaster] | None, "fill": LeadTimeFill | None}`."""

def purchase_orders(needs: _Obj, items: _Obj, suppliers: _Obj) -> Any:
    """`OrderNeed`, `ItemMaster` and `SupplierTerms` lists -> `PurchaseOrderReport`."""

def detect_anomalies(y: _Array, season_length: int) -> Any:
    """The core's AnomalyReport for one series."""

def tsoutliers(y: _Array, season_length: int) -> Any:
    """{"index", "replacements"} of R forecast's tsoutliers (0-based index)."""

def na_interp(y: _Array, season_length: int) -> _Array:
    """R forecast's na.interp: NaN filled."""

def accuracy(name: str, actual: _Array, forecast: _Array) -> float:
    """Metric `name`: mae, rmse, mape, smape, bias or tracking_signal."""

def mase(actual: _Array, forecast: _Array, insample: _Array, season_length: int) -> float:
    """Mean absolute scaled error."""

def run_metrics(
    kind: str,
    job: str,
    ok: bool,
    summary: _Obj,
    duration_seconds: float,
    finished_at: float,
    realised: _Obj | None = None,
) -> Any:
    """The core's `RunMetrics` of a run from its summary (plan stats, retrain report or None;
    other values as their text), with the realised accuracy by class when given."""

def record_decision(
    path: str,
    sku: str,
    recommendation: float,
    decision: str,
    quantity: float | None,
    by: str,
    at: str,
    audit_log: str | None = None,
) -> Any:
    """The core's `feedback::record_decision`; returns the stored `DecisionRecord`."""

def record_actuals(
    path: str, sku: str, at: str, actual: float, forecasts: dict[str, float], forecast: float | None = None
) -> Any:
    """The core's `feedback::record_actuals`; returns the stored `ActualRecord`."""

def adapted_weights(
    path: str, sku: str, members: list[str] | None = None, rule: str = ..., settings: dict[str, float] | None = None
) -> Any:
    """The core's `feedback::adapted_weights` with `AdaptRule::from_settings(rule, settings)`."""

def feedback_report(decisions: str, actuals: str | None = None, classes: dict[str, str] = ...) -> Any:
    """The core's `feedback::feedback_report`; returns the `FeedbackReport`."""

def realised_accuracy(forecasts: _Obj, histories: _Obj, actuals: _Obj, season_length: int) -> Any:
    """The core's `telemetry::realised_accuracy_of` on `PlannedForecast`s and `SkuHistory`s."""

def prometheus_text(records: list[dict[str, Any]]) -> str:
    """Prometheus text exposition of a list of `RunMetrics` dicts."""

def welch_t_test(a: _Array, b: _Array) -> Any:
    """The core's `WelchTest` (statistic, df, mean_difference, p_two_sided, p_greater, p_less)."""

def ks_2samp(a: _Array, b: _Array) -> Any:
    """The core's `KsTest` (statistic, p_value, method)."""

def regularize(
    ids: list[str],
    ds: npt.NDArray[np.int64],
    y: _Array,
    offsets: npt.NDArray[np.int64],
    axis: str,
    fill: bool,
    time_field: str,
    catalogue_last: int | None = None,
) -> tuple[_Array, npt.NDArray[np.int64], list[tuple[int, int, int]], dict[str, Any], npt.NDArray[np.int64], str | None]:
    """Concatenated series on the catalogue's grid (core `periods::regularize`; `axis` 'periods' or
    'seconds'): (y, offsets, gaps as (position, missing, first_missing), `Frequency` dict, where each
    series ends, warning summary or None). `fill=False` raises MissingDataError at the first gap.
    `catalogue_last` (in `axis` units): the rows are a part of a catalogue ending there
    (`periods::regularize_to`)."""

def future_periods(frequency: dict[str, Any], ends: npt.NDArray[np.int64], h: int) -> npt.NDArray[np.int64]:
    """The `h` `ds` values after each of `ends` at `frequency` (from `regularize`), flat, series-major."""

def plan(
    skus: list[str],
    y: _Array,
    offsets: npt.NDArray[np.int64],
    items: list[dict[str, Any]],
    config: dict[str, Any],
    id_field: str = "sku",
    time_field: str = "ds",
    missing_id_rows: list[int] = ...,
    duplicate_periods: list[tuple[str, str, int, int]] = ...,
    progress: Callable[[int, int], object] | None = None,
    events: dict[str, Any] | None = None,
) -> Any:
    """Run the planning job (GIL released): the `PlanOutput` (plans, failures, stats, notes).
    `items` is a list of item records (bad rows fail their SKU only); `missing_id_rows` and
    `duplicate_periods` (sku, period, first_row, row) report demand rows that fail their SKU; `events`
    the core's `events::PlanEvents` (season_length, past labels per SKU, future events)."""

def classify_catalogue(
    skus: list[str],
    y: _Array,
    offsets: _Array,
    item_skus: list[str],
    unit_costs: _Array,
    service_levels: _Array,
    config: dict[str, Any],
) -> Any:
    """The core's `CatalogueClassification` (classes: sku, abc_class, usage_rank, annual_value,
    service_level; failures: sku, code, message)."""

def backtest(spec: _Spec, y: _Array, config: dict[str, Any]) -> Any:
    """Rolling-origin backtest (GIL released): the `BacktestResult`."""

def cron_next(expression: str, timezone: str, after: str) -> str:
    """First fire time of the cron expression in the IANA zone strictly after the RFC 3339 `after`."""

def schedule_plan(
    expression: str, timezone: str, jitter: float, misfire_grace: float, after_ms: int, draw: float
) -> dict[str, int]:
    """`forestock::schedule::plan_next`: `{fire_time_ms, run_at_ms}` (epoch ms) of the first fire
    time strictly after `after_ms`, delayed by the jitter of `draw` (durations in seconds)."""

def schedule_on_due(
    expression: str,
    timezone: str,
    jitter: float,
    misfire_grace: float,
    fire_time_ms: int,
    run_at_ms: int,
    now_ms: int,
    running: bool,
) -> dict[str, Any]:
    """`forestock::schedule::on_due`: `{decision, fire_time_ms, run_at_ms, late_ms, coalesced}`,
    `decision` one of "wait", "run", "skip_running", "misfire"."""

# ---- drift detectors, retrain decision, registry, audit log, retraining job --------------------
# (public wrappers: forestock/_drift.py, _registry.py, _audit.py, _retrain.py)

_DetectorRun = tuple[tuple[int, str] | None, _Array, _Array, float, float]

def page_hinkley(errors: _Array, delta: float, threshold: float) -> _DetectorRun:
    """Page-Hinkley: (alarm (index, "up" | "down") or None, up path, down path, threshold, max statistic)."""

def cusum(errors: _Array, target: float, sigma: float, k: float | None = None, h: float | None = None) -> _DetectorRun:
    """Two-sided tabular CUSUM (k, h default to the core's 0.5 and 5): same tuple as `page_hinkley`."""

def default_cusum() -> Any:
    """The core's default CUSUM settings (`Cusum::new(0, 1)`): target, sigma, k, h."""

def default_retrain_policy() -> Any:
    """The core's default `RetrainPolicy`."""

def retrain_decision(
    baseline_errors: _Array,
    recent_errors: _Array,
    mape: float | None,
    mase: float | None,
    model_age_days: float | None,
    policy: dict[str, Any],
) -> Any:
    """The core's `RetrainDecision` (retrain, reasons, skipped); `policy` is a partial `RetrainPolicy` dict."""

class Registry:
    """Per-SKU champion/challenger model records with a decision history (core `Registry`)."""

    def __init__(self, policy: dict[str, Any] | None = None) -> None: ...
    @staticmethod
    def default_policy() -> Any:
        """The core's default `PromotionPolicy`."""
    @property
    def policy(self) -> Any: ...
    def set_policy(self, policy: dict[str, Any]) -> None: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def revision(self) -> int: ...
    def promote_if_better(
        self,
        sku: str,
        spec: _Spec,
        metrics: dict[str, Any],
        fitted_state: Any,
        training_window: dict[str, Any],
        created_at: str,
        decided_at: str,
    ) -> Any:
        """Submit a challenger (spec, `Metrics`, state, `TrainingWindow`, RFC 3339 times): the `PromotionDecision`."""
    def champion(self, sku: str) -> Any | None:
        """The core's `ModelRecord` of the champion, or None."""
    def models(self, sku: str) -> Any | None:
        """The core's `SkuModels` (champion, challengers, retired, next_version), or None."""
    def skus(self) -> list[str]: ...
    def history(self) -> Any:
        """The core's list of `PromotionDecision`, oldest first."""
    def prune(self, keep: int) -> int: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> Registry: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> Registry: ...
    def same_as(self, other: Registry) -> bool: ...
    def __len__(self) -> int: ...

class AuditLog:
    """Append-only SHA-256 hash-chained log (core `AuditLog`)."""

    def __init__(self) -> None: ...
    @staticmethod
    def kinds() -> list[str]:
        """The core's `AuditKind` names."""
    def append(self, timestamp: str, kind: str, payload: Any, file: str | None = None) -> Any:
        """Append an event (RFC 3339 timestamp, payload of plain data); returns the `AuditRecord`. With
        `file`, the core's locked file append chains it onto the file's last record."""
    def records(self) -> Any:
        """The core's list of `AuditRecord`, oldest first."""
    @property
    def head_hash(self) -> str: ...
    def verify(self) -> bool:
        """True, or CorruptRecordError with index (seq), position and violation set."""
    def verify_head(self, expected_head: str) -> bool: ...
    def to_jsonl(self) -> str: ...
    @staticmethod
    def from_jsonl(text: str) -> AuditLog: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> AuditLog: ...
    def __len__(self) -> int: ...

def weekly_retrain_config(season_length: int | list[int]) -> Any:
    """The core's `RetrainConfig::weekly` (candidates, backtest)."""

def retrain(
    registry: Registry,
    skus: list[str],
    y: _Array,
    offsets: npt.NDArray[np.int64],
    season_length: list[int],
    candidates: list[_Spec] | None,
    windows: int,
    step: int,
    horizon: int,
    now: str,
    progress: Callable[[int, int], object] | None = None,
) -> Any:
    """Run the retraining job (GIL released), updating `registry`: the `RetrainReport` plus `promoted`."""
