"""forestock: embeddable demand forecasting and reorder decisions (Rust core, Python bindings).

    >>> import forestock as fs
    >>> fit = fs.SeasonalNaive(season_length=4).fit([1, 2, 3, 4, 2, 3, 4, 5])
    >>> fit.predict(h=2, level=[95])["mean"]
    array([2., 3.])

Every number comes from the Rust core; this package converts types and errors. Errors raised are
`ForestockError` (a `ValueError`) subclasses carrying a stable `code`.
"""

from ._anomaly import detect_anomalies, na_interp, tsoutliers
from ._audit import AuditLog
from ._drift import RetrainPolicy, cusum, page_hinkley, retrain_decision
from ._frame import forecast
from ._inventory import abc_classify, classify_demand, eoq, recommend, reorder_point, safety_stock, simulate_policy
from ._models import (
    ADIDA,
    ETS,
    IMAPA,
    MSTL,
    STL,
    TSB,
    AutoETS,
    AutoModel,
    AutoTheta,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    Conformal,
    Ensemble,
    FittedModel,
    HoltWinters,
    Model,
    MSTLDecomposition,
    Naive,
    SeasonalNaive,
    STLDecomposition,
    Theta,
)
from ._warnings import FilledGapsWarning, UnusedSeasonWarning
from ._plan import backtest, classify_catalogue, plan
from ._registry import ModelRecord, Registry, model_from_spec
from ._retrain import retrain
from .jobs import PlanResult, PlanRunError, RetrainResult, daily_plan_job, weekly_retrain_job
from .scheduler import Job, JobRunningError, Scheduler, next_fire_time
from ._supply import lead_times_from_receipts, purchase_orders
from ._feedback import adapted_weights, feedback_report, realised_accuracy, record_actuals, record_decision
from ._telemetry import prometheus_text, run_metrics
from ._stats import bias, ks_2samp, mae, mape, mase, rmse, smape, tracking_signal, welch_t_test
from ._native import (
    CancelledError,
    ConflictError,
    CorruptRecordError,
    FitFailedError,
    ForestockError,
    InternalError,
    InvalidParameterError,
    InvalidRowError,
    InvalidSeriesError,
    MissingDataError,
    SerializationError,
    StorageError,
    __version__,
)

__all__ = [
    "ADIDA",
    "AutoETS",
    "AutoModel",
    "AutoTheta",
    "Ensemble",
    "Conformal",
    "CrostonClassic",
    "CrostonOptimized",
    "CrostonSBA",
    "ETS",
    "HoltWinters",
    "IMAPA",
    "MSTL",
    "MSTLDecomposition",
    "STL",
    "STLDecomposition",
    "TSB",
    "UnusedSeasonWarning",
    "FilledGapsWarning",
    "CancelledError",
    "ConflictError",
    "CorruptRecordError",
    "FitFailedError",
    "FittedModel",
    "ForestockError",
    "InternalError",
    "InvalidParameterError",
    "InvalidRowError",
    "InvalidSeriesError",
    "PlanResult",
    "PlanRunError",
    "RetrainResult",
    "Job",
    "JobRunningError",
    "MissingDataError",
    "Model",
    "Naive",
    "SeasonalNaive",
    "Scheduler",
    "Theta",
    "SerializationError",
    "StorageError",
    "__version__",
    "abc_classify",
    "classify_demand",
    "detect_anomalies",
    "backtest",
    "bias",
    "eoq",
    "forecast",
    "ks_2samp",
    "mae",
    "mape",
    "mase",
    "lead_times_from_receipts",
    "na_interp",
    "next_fire_time",
    "plan",
    "classify_catalogue",
    "purchase_orders",
    "record_decision",
    "record_actuals",
    "adapted_weights",
    "feedback_report",
    "realised_accuracy",
    "recommend",
    "reorder_point",
    "rmse",
    "run_metrics",
    "prometheus_text",
    "safety_stock",
    "simulate_policy",
    "smape",
    "tracking_signal",
    "tsoutliers",
    "welch_t_test",
    # drift monitoring, registry, audit log, retraining and scheduler jobs
    "AuditLog",
    "ModelRecord",
    "Registry",
    "RetrainPolicy",
    "cusum",
    "daily_plan_job",
    "model_from_spec",
    "page_hinkley",
    "retrain",
    "retrain_decision",
    "weekly_retrain_job",
]
