"""Model classes: each maps its settings to a core `ModelSpec` JSON object; the core does the rest.

A model class is declarative: the core's spec name (`spec_name`) and an `__init__` that names its
settings. `Model.spec()` turns them into e.g. ``{"model": "seasonal_naive", "season_length": 12}``,
which `forestock._native` deserialises into `forestock::ModelSpec`. See docs/python.md
("Exposing a new core model") for the lines to add when a core model lands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np

from . import _native
from ._convert import as_horizon, as_levels, as_series, invalid_parameter, level_key
from ._warnings import warn_unused


@contextlib.contextmanager
def _argument_names(names: dict[str, str]) -> Iterator[None]:
    """Re-label an `InvalidParameterError` raised inside with the argument name the caller used
    (`names` maps core field names to argument names)."""
    try:
        yield
    except _native.InvalidParameterError as exc:
        if exc.field in names:
            exc.field = names[exc.field]
        raise


class FittedModel:
    """A model estimated on one series (returned by `Model.fit`)."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.FittedModel) -> None:
        self._native = native

    def predict(self, h: int, level: Any = None) -> dict[str, np.ndarray]:
        """Forecast `h` steps: ``{"mean": ..., "lo-80": ..., "hi-80": ...}`` (numpy arrays)."""
        mean, intervals = self._native.predict(as_horizon(h), as_levels(level))
        out = {"mean": mean}
        for lvl, lower, upper in intervals:
            out[f"lo-{level_key(lvl)}"] = lower
            out[f"hi-{level_key(lvl)}"] = upper
        return out

    @property
    def fitted_values(self) -> np.ndarray:
        """One-step-ahead in-sample fitted values (NaN where the model gives none)."""
        return self._native.fitted_values

    @property
    def residuals(self) -> np.ndarray:
        """In-sample residuals ``y - fitted_values``."""
        return self._native.residuals

    @property
    def description(self) -> str:
        """Description of the estimated model, e.g. ``SeasonalNaive(m=12)``."""
        return self._native.description

    @property
    def unused_periods(self) -> list[dict[str, Any]]:
        """Seasonal periods given to the model that it does not use, with the core's reason:
        ``[{"period": 365, "reason": "..."}]`` (empty when every period is used). `fit` also
        emits one `forestock.UnusedSeasonWarning` per entry."""
        return [{"period": p, "reason": r} for p, r in self._native.unused_periods]

    def __repr__(self) -> str:
        return f"FittedModel({self.description})"


class Model:
    """Base class: a model's settings, mapped to a core `ModelSpec`.

    Subclasses set `spec_name` (the core's serde tag) and pass their settings to `__init__` by
    the core's field names; settings left at None are omitted so the core's defaults apply.
    """

    spec_name: ClassVar[str]
    #: Core field name -> argument name, where they differ (errors name the argument).
    _arguments: ClassVar[dict[str, str]] = {}

    def __init__(self, **settings: Any) -> None:
        self._settings = {k: v for k, v in settings.items() if v is not None}

    def spec(self) -> dict[str, Any]:
        """The core model specification, e.g. ``{"model": "seasonal_naive", "season_length": 12}``."""
        return {"model": self.spec_name, **self._settings}

    def fit(self, y: Any) -> FittedModel:
        """Estimate the model on `y` (anything numpy reads as a 1-D float series, oldest first).

        A seasonal period the fitted model cannot use is reported with a
        `forestock.UnusedSeasonWarning` (and in `FittedModel.unused_periods`), never silently.
        """
        with _argument_names(self._arguments):
            fitted = FittedModel(_native.fit(self.spec(), as_series(y)))
        warn_unused(fitted._native.unused_periods, type(self).__name__, stacklevel=2)
        return fitted

    def forecast(self, y: Any, h: int, level: Any = None) -> dict[str, np.ndarray]:
        """Fit on `y` and forecast `h` steps in one call (same output as `FittedModel.predict`)."""
        return self.fit(y).predict(h, level)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._settings.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.spec() == self.spec()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.spec())))


class Naive(Model):
    """Naive (random walk): every forecast equals the last observation (R ``forecast::naive``)."""

    spec_name = "naive"

    def __init__(self) -> None:
        super().__init__()


class SeasonalNaive(Model):
    """Seasonal naive: repeats the last observed season (R ``forecast::snaive``)."""

    spec_name = "seasonal_naive"

    def __init__(self, season_length: int) -> None:
        super().__init__(season_length=season_length)


class ETS(Model):
    """Exponential smoothing state space model (R ``forecast::ets``).

    `model` is the error/trend/season code, e.g. ``"MAdM"`` (error ``A|M``, trend ``N|A|Ad|M|Md``,
    season ``N|A|M``). A code with a ``Z`` wildcard (the statsforecast default ``"ZZZ"``) selects
    the form by AICc, exactly as `AutoETS` (the core's rule, `Ets::resolve`, the same in Node); a
    complete code fits that form.
    `alpha`, `beta`, `gamma`, `phi` fix a smoothing parameter instead of estimating it.
    `optimizer` is ``"hybrid"`` (default: projected BFGS on the analytic likelihood gradient for a
    seasonal form; for a non-seasonal one R's search to a coarse tolerance, finished by the
    gradient),
    ``"nelder_mead"`` (R's search on the shorter-chain arithmetic for every form, R's estimates up
    to rounding), ``"nelder_mead_r"`` (R's estimates bit for bit) or ``"lbfgs"`` (the gradient for
    every form); see docs/models.md.
    """

    spec_name = "ets"
    _arguments = {"spec": "model", "pattern": "model"}

    def __init__(
        self,
        season_length: int = 1,
        model: str = "ZZZ",
        damped: bool | None = None,
        alpha: float | None = None,
        beta: float | None = None,
        gamma: float | None = None,
        phi: float | None = None,
        optimizer: str | None = None,
    ) -> None:
        super().__init__(
            season_length=season_length,
            spec=model,
            damped=damped,
            alpha=alpha,
            beta=beta,
            gamma=gamma,
            phi=phi,
            optimizer=optimizer,
        )
        # The core reads the spec now (as Node's ETS constructor does): it owns what "Z" means
        # (`Ets::resolve`: the AutoETS search) and rejects fixed parameters with a wildcard code.
        _native.normalize_spec(self.spec())


class AutoETS(Model):
    """ETS with automatic model selection by information criterion (R ``forecast::ets`` defaults).

    `model` is a pattern with ``Z`` wildcards (``"ZZZ"``, ``"ZZN"``, ...); `damped` True/False
    restricts the trend to damped/undamped forms (None tries both); `ic` is ``"aicc"`` (default),
    ``"aic"`` or ``"bic"``; `optimizer` is ``"hybrid"`` (default: projected BFGS on the analytic
    likelihood gradient for the seasonal forms; for the non-seasonal ones R's search to a coarse
    tolerance, finished by the gradient: about 3x faster than R's search on the public series, not
    R's estimates), ``"nelder_mead"`` (R's search on the shorter-chain arithmetic for every form, R's
    choice and estimates up to rounding), ``"nelder_mead_r"`` (R's search bit for bit) or
    ``"lbfgs"`` (the gradient for every form); see docs/models.md.
    """

    spec_name = "auto_ets"
    _arguments = {"pattern": "model"}

    def __init__(
        self,
        season_length: int = 1,
        model: str = "ZZZ",
        damped: bool | None = None,
        ic: str | None = None,
        optimizer: str | None = None,
    ) -> None:
        super().__init__(season_length=season_length, pattern=model, damped=damped, ic=ic, optimizer=optimizer)


class HoltWinters(Model):
    """Holt-Winters filtering with SSE-optimal parameters (R ``stats::HoltWinters``).

    `seasonality` is ``"additive"`` or ``"multiplicative"``; `alpha`, `beta`, `gamma`, `phi`
    (damping) fix a parameter instead of estimating it.
    """

    spec_name = "holt_winters"

    def __init__(
        self,
        season_length: int,
        seasonality: str = "additive",
        alpha: float | None = None,
        beta: float | None = None,
        gamma: float | None = None,
        phi: float | None = None,
    ) -> None:
        super().__init__(
            season_length=season_length, seasonality=seasonality, alpha=alpha, beta=beta, gamma=gamma, phi=phi
        )


class CrostonClassic(Model):
    """Croston's method with α = 0.1 for sizes and intervals (statsforecast ``CrostonClassic``)."""

    spec_name = "croston_classic"

    def __init__(self) -> None:
        super().__init__()


class CrostonOptimized(Model):
    """Croston's method with each α chosen on [0.1, 0.3] (statsforecast ``CrostonOptimized``)."""

    spec_name = "croston_optimized"

    def __init__(self) -> None:
        super().__init__()


class CrostonSBA(Model):
    """Syntetos-Boylan approximation: 0.95 × Croston's rate (statsforecast ``CrostonSBA``)."""

    spec_name = "croston_sba"

    def __init__(self) -> None:
        super().__init__()


class TSB(Model):
    """Teunter-Syntetos-Babai: smoothed occurrence probability × size (statsforecast ``TSB``).

    `alpha_d` (size) and `alpha_p` (probability) are estimated on [0.1, 0.3] when left at None.
    """

    spec_name = "tsb"

    def __init__(self, alpha_d: float | None = None, alpha_p: float | None = None) -> None:
        super().__init__(alpha_d=alpha_d, alpha_p=alpha_p)


class ADIDA(Model):
    """Aggregate-disaggregate intermittent demand approach (statsforecast ``ADIDA``)."""

    spec_name = "adida"

    def __init__(self) -> None:
        super().__init__()


class IMAPA(Model):
    """Intermittent multiple aggregation prediction algorithm (statsforecast ``IMAPA``)."""

    spec_name = "imapa"

    def __init__(self) -> None:
        super().__init__()


class MSTL(Model):
    """MSTL (R forecast ``mstl()`` + ``forecast.mstl()``, Bandara, Hyndman & Bergmeir 2021): STL
    over each seasonal period (``season_length=[7, 365]``), the seasonally adjusted series forecast by
    `trend_forecaster` (default ``AutoETS(model="ZZN")`` without multiplicative trend, R's ``stlf``),
    each seasonal's last cycle added back. Periods with fewer than two full cycles in the data are
    dropped and the fitted model's description lists the ones used. `lambda_` is a fixed Box-Cox
    parameter; `robust` uses robust STL fits."""

    spec_name = "mstl"
    _arguments = {"periods": "season_length", "lambda": "lambda_"}

    def __init__(
        self,
        season_length: int | list[int],
        trend_forecaster: Model | None = None,
        lambda_: float | None = None,
        robust: bool | None = None,
    ) -> None:
        periods = season_length if isinstance(season_length, (list, tuple)) else [season_length]
        trend = None if trend_forecaster is None else trend_forecaster.spec()
        super().__init__(periods=list(periods), trend_forecaster=trend, **{"lambda": lambda_}, robust=robust)

    def decompose(self, y: Any) -> MSTLDecomposition:
        """The MSTL decomposition of `y` (R forecast ``mstl()``): trend, one seasonal per period
        used, remainder, and the periods dropped with the reason (each also emitted as a
        `forestock.UnusedSeasonWarning`). Components are in the Box-Cox scale when `lambda_` is set."""
        values = as_series(y)
        with _argument_names(self._arguments):
            periods, trend, seasonals, remainder, dropped, lam = _native.mstl_decompose(self.spec(), values)
        unused = [(p, r) for p, r in dropped if p > 1 and p not in periods]
        warn_unused(unused, "MSTL", stacklevel=2)
        return MSTLDecomposition(
            trend=trend,
            seasonal=dict(zip(periods, seasonals)),
            remainder=remainder,
            dropped=[{"period": p, "reason": r} for p, r in dropped],
            lambda_=lam,
            index=_index_of(y),
        )


class Theta(Model):
    """The Theta method as R ``forecast::thetaf()`` computes it (Hyndman & Billah 2003): a
    seasonality test at lag `season_length`, classical multiplicative adjustment when it passes,
    simple exponential smoothing with drift half the slope of the linear trend, and thetaf's
    intervals."""

    spec_name = "theta"

    def __init__(self, season_length: int = 1) -> None:
        super().__init__(season_length=season_length)


class AutoTheta(Model):
    """The four state-space theta models of Fiorucci et al. (2016) — standard (``"STM"``),
    optimised (``"OTM"``), dynamic standard (``"DSTM"``) and dynamic optimised (``"DOTM"``) — on the
    seasonally adjusted series, picked by in-sample MSE (statsforecast ``AutoTheta``). `model` fixes
    one variant; `alpha` and `theta` fix those parameters instead of estimating them."""

    spec_name = "auto_theta"
    _arguments = {"variant": "model"}

    def __init__(
        self,
        season_length: int = 1,
        model: str | None = None,
        alpha: float | None = None,
        theta: float | None = None,
    ) -> None:
        super().__init__(season_length=season_length, variant=model, alpha=alpha, theta=theta)


class AutoModel(Model):
    """Picks a model per series from its demand pattern and seasons (the planning job's default):
    intermittent methods for sporadic demand; for smooth demand `AutoETS` with one season of at most
    24 periods, `MSTL` for a longer season or several (``season_length=[7, 365]``) when the history
    holds two full cycles. The fitted model's description and the plan's ``model_reason`` say which
    periods were used and why others were dropped. `optimizer` is that of its AutoETS searches
    (``"hybrid"`` by default, ``"nelder_mead_r"`` for R's arithmetic bit for bit; see `AutoETS`)."""

    spec_name = "auto_model"

    def __init__(self, season_length: int | list[int] = 1, optimizer: str | None = None) -> None:
        super().__init__(season_length=season_length, optimizer=optimizer)


class Ensemble(Model):
    """Weighted combination of models with conformal intervals (core `Ensemble`).

    With only `season_length` it is the recommended default (AutoETS with additive and
    multiplicative Holt-Winters for one season of at most 24 periods, MSTL members for a longer
    season or several such as ``[7, 365]``; inverse-MAE weights from backtests). `members` is a
    list of model objects; `scheme` a weighting scheme such as ``{"scheme": "equal"}``,
    ``{"scheme": "inverse_error", "metric": "mase", "floor": 0.05}``, ``{"scheme": "incumbent"}`` or
    ``{"scheme": "optimized", "shrinkage": 0.5}``.

    Each member is estimated once on the whole series and re-filtered from every backtest origin
    (about two AutoETS fits in all for the default members); ``refit=True`` re-estimates every
    member at every window instead (out-of-sample scores, ``windows + 1`` fits per member).
    ``horizon`` is the calibration horizon (default ``max(6, min(2 * season, 24))``) and
    ``member_interval_floor=False`` keeps the pure conformal intervals.
    """

    spec_name = "ensemble"

    def __init__(
        self,
        season_length: int | list[int] = 1,
        members: list[Model] | None = None,
        scheme: dict[str, Any] | None = None,
        windows: int | None = None,
        horizon: int | None = None,
        member_interval_floor: bool | None = None,
        refit: bool | None = None,
    ) -> None:
        specs = None if members is None else [m.spec() for m in members]
        super().__init__(
            season_length=season_length,
            members=specs,
            scheme=scheme,
            windows=windows,
            horizon=horizon,
            member_interval_floor=member_interval_floor,
            refit=refit,
        )


class Conformal(Model):
    """Split-conformal intervals around any model's point forecasts (core `Conformal`)."""

    spec_name = "conformal"

    def __init__(self, base: Model, season_length: int = 1, windows: int | None = None) -> None:
        super().__init__(base=base.spec(), season_length=season_length, windows=windows)


def _index_of(y: Any) -> Any:
    """The index of a pandas Series input (kept for `to_frame`), else None."""
    index = getattr(y, "index", None)
    return index if index is not None and hasattr(y, "to_numpy") else None


class STLDecomposition:
    """The result of `STL.decompose`: ``y = trend + seasonal + remainder`` (numpy arrays).

    `weights` are the final robustness weights (all 1 unless robust), `params` the settings R
    would use once its defaults are resolved (windows, degrees, jumps, inner and outer passes).
    """

    __slots__ = ("trend", "seasonal", "remainder", "weights", "params", "_index")

    def __init__(self, trend: np.ndarray, seasonal: np.ndarray, remainder: np.ndarray, weights: np.ndarray,
                 params: dict[str, Any], index: Any = None) -> None:
        self.trend = trend
        self.seasonal = seasonal
        self.remainder = remainder
        self.weights = weights
        self.params = params
        self._index = index

    def to_dict(self) -> dict[str, np.ndarray]:
        """``{"trend": ..., "seasonal": ..., "remainder": ...}``."""
        return {"trend": self.trend, "seasonal": self.seasonal, "remainder": self.remainder}

    def to_frame(self) -> Any:
        """The components as a pandas DataFrame (indexed like a pandas Series input)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict(), index=self._index)

    def __repr__(self) -> str:
        return f"STLDecomposition(n={len(self.trend)}, params={self.params})"


class MSTLDecomposition:
    """The result of `MSTL.decompose`: ``y = trend + sum(seasonal.values()) + remainder`` (in the
    Box-Cox scale when `lambda_` is set). `seasonal` maps each period used to its component;
    `dropped` lists the periods given but not used, as ``{"period": ..., "reason": ...}``."""

    __slots__ = ("trend", "seasonal", "remainder", "dropped", "lambda_", "_index")

    def __init__(self, trend: np.ndarray, seasonal: dict[int, np.ndarray], remainder: np.ndarray,
                 dropped: list[dict[str, Any]], lambda_: float | None, index: Any = None) -> None:
        self.trend = trend
        self.seasonal = seasonal
        self.remainder = remainder
        self.dropped = dropped
        self.lambda_ = lambda_
        self._index = index

    @property
    def periods(self) -> list[int]:
        """The periods used, increasing."""
        return list(self.seasonal)

    def to_dict(self) -> dict[str, np.ndarray]:
        """``{"trend": ..., "seasonal7": ..., "seasonal365": ..., "remainder": ...}`` (R's column names)."""
        out = {"trend": self.trend}
        out.update({f"seasonal{p}": s for p, s in self.seasonal.items()})
        out["remainder"] = self.remainder
        return out

    def to_frame(self) -> Any:
        """The components as a pandas DataFrame (indexed like a pandas Series input)."""
        import pandas as pd

        return pd.DataFrame(self.to_dict(), index=self._index)

    def __repr__(self) -> str:
        return f"MSTLDecomposition(n={len(self.trend)}, periods={self.periods}, dropped={self.dropped})"


# The core's `Stl` field name of each `STL` argument (errors are re-labelled with the argument name).
_STL_FIELDS = {
    "season_length": "period",
    "seasonal_window": "s_window",
    "seasonal_degree": "s_degree",
    "trend_window": "t_window",
    "trend_degree": "t_degree",
    "low_pass_window": "l_window",
    "low_pass_degree": "l_degree",
    "seasonal_jump": "s_jump",
    "trend_jump": "t_jump",
    "low_pass_jump": "l_jump",
    "robust": "robust",
    "inner": "inner",
    "outer": "outer",
}
_STL_ARGS = {core: arg for arg, core in _STL_FIELDS.items()} | {"span": "seasonal_window"}


class STL:
    """STL decomposition (R ``stats::stl``, Cleveland et al. 1990): ``STL(season_length=7,
    seasonal_window="periodic").decompose(y)`` splits `y` into trend, seasonal and remainder.

    `seasonal_window` is ``"periodic"`` (R's ``s.window = "periodic"``: an exactly periodic seasonal)
    or an odd number of cycles (R's ``s.window``; smaller lets the seasonal change faster).
    `robust` uses bisquare robustness weights (R ``robust = TRUE``). The other arguments are R's
    ``s.degree``, ``t.window``, ``t.degree``, ``l.window``, ``l.degree``, ``s.jump``, ``t.jump``,
    ``l.jump``, ``inner`` and ``outer``; left at None they take R's defaults. The series must hold
    at least two full periods and no NaN/inf.
    """

    def __init__(
        self,
        season_length: int,
        seasonal_window: int | str = "periodic",
        robust: bool = False,
        seasonal_degree: int | None = None,
        trend_window: int | None = None,
        trend_degree: int | None = None,
        low_pass_window: int | None = None,
        low_pass_degree: int | None = None,
        seasonal_jump: int | None = None,
        trend_jump: int | None = None,
        low_pass_jump: int | None = None,
        inner: int | None = None,
        outer: int | None = None,
    ) -> None:
        if isinstance(seasonal_window, str):
            if seasonal_window != "periodic":
                raise invalid_parameter(
                    "seasonal_window", f"seasonal_window must be 'periodic' or an odd integer, got {seasonal_window!r}"
                )
            window: Any = "periodic"
        else:
            window = {"span": seasonal_window}
        if not isinstance(robust, (bool, np.bool_)):
            raise invalid_parameter("robust", f"robust must be True or False, got {robust!r}")
        args = {
            "season_length": season_length,
            "seasonal_degree": seasonal_degree,
            "trend_window": trend_window,
            "trend_degree": trend_degree,
            "low_pass_window": low_pass_window,
            "low_pass_degree": low_pass_degree,
            "seasonal_jump": seasonal_jump,
            "trend_jump": trend_jump,
            "low_pass_jump": low_pass_jump,
            "inner": inner,
            "outer": outer,
        }
        self._settings = {_STL_FIELDS[k]: v for k, v in args.items() if v is not None}
        self._settings["s_window"] = window
        self._settings["robust"] = bool(robust)

    def spec(self) -> dict[str, Any]:
        """The core ``Stl`` settings, e.g. ``{"period": 7, "s_window": "periodic", "robust": false}``."""
        return dict(self._settings)

    def decompose(self, y: Any) -> STLDecomposition:
        """Decompose `y` (anything numpy reads as a 1-D float series, oldest first)."""
        values = as_series(y)
        with _argument_names(_STL_ARGS):
            trend, seasonal, remainder, weights, params = _native.stl_decompose(self.spec(), values)
        return STLDecomposition(trend, seasonal, remainder, weights, params, index=_index_of(y))

    fit = decompose

    def __repr__(self) -> str:
        args = ", ".join(f"{_STL_ARGS.get(k, k)}={v!r}" for k, v in self._settings.items())
        return f"STL({args})"
