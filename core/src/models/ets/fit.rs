//! Estimation of one ETS form (R `forecast::etsmodel`) and the fitted model [`EtsFit`].
//!
//! The smoothing parameters and the initial states are estimated jointly by Nelder-Mead
//! (module `optimizer`, `reltol = sqrt(machine eps)`, at most 2000 evaluations) from R's starting
//! values (module `init`), minimising the criterion of module `likelihood`; or, with
//! [`EtsOptimizer::Lbfgs`] and for the seasonal forms under the default [`EtsOptimizer::Hybrid`], by
//! projected BFGS on the analytic gradient (module `gradient_fit`), which also finishes the
//! default's coarse Nelder-Mead searches of the non-seasonal forms. With
//! `k = #estimated parameters + 1` (the `+1` counts σ²) and `n` observations:
//!
//! ```text
//! AIC = -2 log L + 2k      AICc = AIC + 2k(k+1)/(n-k-1)      BIC = AIC + k (log n - 2)
//! σ² = Σ e_t² / (n - k + 1)      MSE = mean one-step squared error   AMSE = mean of the 1..3-step MSEs
//! ```

use serde::{Deserialize, Serialize};

use super::gradient_fit::{minimise_with_gradient, polish};
use super::init::{initial_parameters, initial_states};
use super::intervals::{analytic_moments, AnalyticClass};
use super::likelihood::{Objective, ParamLayout};
use super::optimizer::{nelder_mead, BatchObjective, Minimum};
use super::simulate::simulated_intervals;
use super::spec::{
    Bounds, Criterion, ErrorType, EtsOptimizer, EtsSpec, SeasonType, Selection, TrendType, DEFAULT_LOWER, DEFAULT_NMSE,
    DEFAULT_UPPER,
};
use super::state_space::{filter, Arithmetic, Smoothing, State, MAX_NMSE};
use crate::control::Control;
use crate::error::{Error, Result};
use crate::models::{
    finite_forecast, normal_intervals, response_residuals, validate_request, Fitted, Forecast, Forecaster,
};
use crate::series::{validate_finite, validate_positive, validate_season_length};

/// Largest season length an ETS seasonal component supports (as in R `forecast`).
pub const MAX_SEASON_LENGTH: usize = 24;
/// Maximum number of objective evaluations of the optimiser (R `maxit`).
pub(crate) const MAX_EVALUATIONS: usize = 2000;
/// The coarse tolerance of a search the gradient minimiser finishes
/// ([`EtsOptimizer::Hybrid`]'s non-seasonal forms): chosen on the public series (1e-4 and 1e-2
/// measured beside it, docs/benchmarks.md).
const COARSE_RELTOL: f64 = 1e-3;

/// The Nelder-Mead tolerance on the simplex's relative spread of values: R's (`optim`'s default
/// `reltol`, `sqrt(ε)` = 1.5e-8), or [`COARSE_RELTOL`] for a search polished afterwards.
pub(crate) fn nelder_mead_reltol(polished: bool) -> f64 {
    if polished {
        COARSE_RELTOL
    } else {
        f64::EPSILON.sqrt()
    }
}

/// Default number of simulated paths for intervals without an analytic form.
pub const DEFAULT_SIMULATION_PATHS: usize = 5000;
/// Default seed of the simulated intervals (deterministic output).
pub const DEFAULT_SIMULATION_SEED: u64 = 20_080_601;

/// An ETS model of a fixed form (e.g. `"MAdM"`), estimated by maximum likelihood as R
/// `forecast::ets(y, model = "MAdM")` does.
///
/// Fitting fails with a typed error on non-finite data, fewer than 3 points, non-positive data for
/// a multiplicative form, a seasonal form with `season_length` 1 or above 24 or not longer than one
/// season, and when the form has at least `n - 1` quantities to estimate ([`Error::TooShort`]).
///
/// ```
/// use forestock::models::{Ets, Forecaster, Fitted};
/// let y: Vec<f64> = (0..48).map(|t| 100.0 + t as f64 + 10.0 * ((t % 12) as f64 - 5.5).abs()).collect();
/// let fit = Ets::new("AAA", 12)?.fit(&y)?;
/// assert_eq!(fit.method(), "ETS(A,A,A)");
/// let fc = fit.predict(12, &[95.0])?;
/// assert_eq!(fc.mean.len(), 12);
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ets {
    /// Model code: error `A|M`, trend `N|A|Ad|M|Md`, season `N|A|M` (e.g. `"MAdM"`).
    pub spec: String,
    /// Season length `m` (1 for non-seasonal data, at most 24 for a seasonal component).
    pub season_length: usize,
    /// Parameter space restrictions (default [`Bounds::Both`]).
    pub bounds: Bounds,
    /// Estimation criterion (default [`Criterion::Likelihood`]).
    pub criterion: Criterion,
    /// Fixed level smoothing parameter α (estimated when `None`).
    pub alpha: Option<f64>,
    /// Fixed trend smoothing parameter β (estimated when `None`).
    pub beta: Option<f64>,
    /// Fixed seasonal smoothing parameter γ (estimated when `None`).
    pub gamma: Option<f64>,
    /// Fixed damping parameter φ (estimated when `None`).
    pub phi: Option<f64>,
    /// Force the trend to be damped (`Some(true)`) or undamped (`Some(false)`); `None` keeps the code.
    pub damped: Option<bool>,
    /// Permit a multiplicative trend (`M` / `Md`), which R also keeps off by default.
    pub allow_multiplicative_trend: bool,
    /// Refuse the numerically unstable forms R forbids by default (additive error with a
    /// multiplicative trend or season, ETS(M,M*,A)).
    pub restrict: bool,
    /// Lower bounds of (α, β, γ, φ) (R default `(1e-4, 1e-4, 1e-4, 0.8)`).
    pub lower: [f64; 4],
    /// Upper bounds of (α, β, γ, φ) (R default `(0.9999, 0.9999, 0.9999, 0.98)`).
    pub upper: [f64; 4],
    /// Minimiser (default [`EtsOptimizer::Hybrid`]: the gradient for a seasonal form, R's search to
    /// a coarse tolerance finished by the gradient for a non-seasonal one;
    /// [`EtsOptimizer::NelderMeadR`] for R's estimates bit for bit).
    pub optimizer: EtsOptimizer,
}

impl Default for Ets {
    fn default() -> Self {
        Ets {
            spec: "ANN".to_string(),
            season_length: 1,
            bounds: Bounds::Both,
            criterion: Criterion::Likelihood,
            alpha: None,
            beta: None,
            gamma: None,
            phi: None,
            damped: None,
            allow_multiplicative_trend: false,
            restrict: true,
            lower: DEFAULT_LOWER,
            upper: DEFAULT_UPPER,
            optimizer: EtsOptimizer::default(),
        }
    }
}

impl Ets {
    /// An ETS model of the form `spec` (e.g. `"MAdM"`) for data with season length `season_length`.
    /// Fails on a malformed code or a zero season length.
    pub fn new(spec: &str, season_length: usize) -> Result<Ets> {
        super::spec::EtsSpec::parse(spec)?;
        validate_season_length(season_length)?;
        Ok(Ets { spec: spec.to_string(), season_length, ..Ets::default() })
    }

    /// Set the parameter space restrictions.
    pub fn with_bounds(mut self, bounds: Bounds) -> Self {
        self.bounds = bounds;
        self
    }
    /// Set the estimation criterion.
    pub fn with_criterion(mut self, criterion: Criterion) -> Self {
        self.criterion = criterion;
        self
    }
    /// Fix α instead of estimating it.
    pub fn with_alpha(mut self, alpha: f64) -> Self {
        self.alpha = Some(alpha);
        self
    }
    /// Fix β instead of estimating it.
    pub fn with_beta(mut self, beta: f64) -> Self {
        self.beta = Some(beta);
        self
    }
    /// Fix γ instead of estimating it.
    pub fn with_gamma(mut self, gamma: f64) -> Self {
        self.gamma = Some(gamma);
        self
    }
    /// Fix φ instead of estimating it.
    pub fn with_phi(mut self, phi: f64) -> Self {
        self.phi = Some(phi);
        self
    }
    /// Force a damped (`true`) or undamped (`false`) trend.
    pub fn with_damped(mut self, damped: bool) -> Self {
        self.damped = Some(damped);
        self
    }
    /// Allow multiplicative trends (`M`, `Md`).
    pub fn allow_multiplicative_trend(mut self, allow: bool) -> Self {
        self.allow_multiplicative_trend = allow;
        self
    }
    /// Set R's `restrict` rule (default `true`).
    pub fn with_restrict(mut self, restrict: bool) -> Self {
        self.restrict = restrict;
        self
    }
    /// Set the lower and upper bounds of (α, β, γ, φ) used by the usual restrictions.
    pub fn with_parameter_bounds(mut self, lower: [f64; 4], upper: [f64; 4]) -> Self {
        self.lower = lower;
        self.upper = upper;
        self
    }

    /// Choose the minimiser.
    pub fn with_optimizer(mut self, optimizer: EtsOptimizer) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// The model form after applying the `damped` override.
    pub fn resolved_spec(&self) -> Result<EtsSpec> {
        let mut spec = EtsSpec::parse(&self.spec)?;
        if let Some(d) = self.damped {
            if d && spec.trend == TrendType::None {
                return Err(Error::invalid_parameter("damped", d, "a model without trend cannot be damped"));
            }
            spec.damped = d;
        }
        Ok(spec)
    }

    pub(crate) fn options(&self) -> EstimationOptions {
        EstimationOptions {
            bounds: self.bounds,
            criterion: self.criterion,
            fixed: [self.alpha, self.beta, self.gamma, self.phi],
            lower: self.lower,
            upper: self.upper,
            optimizer: self.optimizer,
        }
    }
}

/// Settings shared by [`Ets`] and [`super::AutoEts`] for estimating one form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EstimationOptions {
    pub bounds: Bounds,
    pub criterion: Criterion,
    pub fixed: [Option<f64>; 4],
    pub lower: [f64; 4],
    pub upper: [f64; 4],
    pub optimizer: EtsOptimizer,
}

impl EstimationOptions {
    /// Check the option values themselves (bounds ordered, fixed values finite, nmse in range).
    pub(crate) fn validate(&self) -> Result<()> {
        let names = ["alpha", "beta", "gamma", "phi"];
        for (k, name) in names.iter().enumerate() {
            if !(self.lower[k].is_finite() && self.upper[k].is_finite() && self.lower[k] <= self.upper[k]) {
                return Err(Error::invalid_parameter(
                    format!("bounds.{name}"),
                    format!("[{}, {}]", self.lower[k], self.upper[k]),
                    "lower and upper limits must be finite with lower <= upper",
                ));
            }
            if let Some(v) = self.fixed[k]
                && !(v.is_finite() && (0.0..=1.0).contains(&v))
            {
                return Err(Error::invalid_parameter(*name, v, "must be within [0, 1]"));
            }
        }
        if let Criterion::Amse { nmse } = self.criterion
            && !(1..=MAX_NMSE).contains(&nmse)
        {
            return Err(Error::invalid_parameter("nmse", nmse, "must be within 1..=30"));
        }
        Ok(())
    }
}

impl Forecaster for Ets {
    type Model = EtsFit;

    fn fit(&self, y: &[f64]) -> Result<EtsFit> {
        self.fit_with(y, &Control::new())
    }

    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<EtsFit> {
        control.check()?;
        let spec = self.resolved_spec()?;
        let m = self.season_length;
        validate_season_length(m)?;
        let opts = self.options();
        opts.validate()?;
        if spec.trend == TrendType::Multiplicative && !self.allow_multiplicative_trend {
            return Err(Error::invalid_parameter(
                "spec",
                &self.spec,
                "multiplicative trends need allow_multiplicative_trend = true",
            ));
        }
        if self.restrict && spec.forbidden_by_restrict() {
            return Err(Error::invalid_parameter(
                "spec",
                &self.spec,
                "forbidden model combination (set restrict = false to allow it)",
            ));
        }
        if spec.season != SeasonType::None {
            if m == 1 {
                return Err(Error::invalid_parameter(
                    "season_length",
                    m,
                    "a seasonal ETS model needs season_length >= 2",
                ));
            }
            if m > MAX_SEASON_LENGTH {
                return Err(Error::invalid_parameter(
                    "season_length",
                    m,
                    "ETS seasonal components support season_length <= 24",
                ));
            }
        }
        validate_finite(y, 3, "ETS")?;
        if spec.season != SeasonType::None && y.len() <= m {
            return Err(Error::TooShort {
                len: y.len(),
                min: m + 1,
                context: format!("{} with season_length {m}", spec.method()),
            });
        }
        if spec.needs_positive_data() {
            validate_positive(y, &spec.method())?;
        }
        estimate(y, spec, m, &opts, control)
    }
}

/// The ETS objective under a cancellation flag: once the flag is set every evaluation returns NaN
/// at once, without a pass over the data. The optimiser treats NaN as R's `big`, so it runs out its
/// remaining evaluations in microseconds, and [`estimate`] then reports the cancellation. This
/// leaves the optimiser, whose every rule is there for parity with R, untouched.
struct Cancellable<'o, 'c> {
    objective: Objective<'o>,
    control: &'c Control<'c>,
}

impl BatchObjective for Cancellable<'_, '_> {
    fn value(&mut self, x: &[f64]) -> f64 {
        if self.control.is_cancelled() {
            return f64::NAN;
        }
        self.objective.value(x)
    }
    fn value_pair(&mut self, xs: [&[f64]; 2]) -> [f64; 2] {
        if self.control.is_cancelled() {
            return [f64::NAN; 2];
        }
        self.objective.value_pair(xs)
    }
    fn speculation_pays(&self) -> bool {
        BatchObjective::speculation_pays(&self.objective)
    }
}

/// One form's estimation problem on validated data (R `etsmodel` up to the call of `optim`): the
/// objective and R's starting point.
pub(crate) struct Problem<'a> {
    pub(crate) spec: EtsSpec,
    /// Season length of the recursions (1 for a non-seasonal form).
    m_eff: usize,
    layout: ParamLayout,
    /// Number of estimated smoothing parameters (the leading entries of `start`).
    n_smoothing: usize,
    /// Smoothing parameters then free initial states.
    pub(crate) start: Vec<f64>,
    y: &'a [f64],
}

impl<'a> Problem<'a> {
    /// R's starting values and bounds for `spec` on `y`, and the objective to minimise; too short a
    /// series for its parameters is [`Error::TooShort`].
    pub(crate) fn new(
        y: &'a [f64],
        spec: EtsSpec,
        m: usize,
        opts: &EstimationOptions,
    ) -> Result<(Problem<'a>, Objective<'a>)> {
        let m_eff = if spec.season == SeasonType::None { 1 } else { m };
        let mut lower = opts.lower;
        let mut upper = opts.upper;
        let [alpha, beta, gamma, _] = opts.fixed;
        if let Some(a) = alpha {
            upper[1] = upper[1].min(a);
            upper[2] = upper[2].min(1.0 - a);
        }
        if let Some(b) = beta {
            lower[0] = lower[0].max(b);
        }
        if let Some(g) = gamma {
            upper[0] = upper[0].min(1.0 - g);
        }
        let layout = ParamLayout::new(&spec, opts.fixed);
        let mut start = initial_parameters(
            layout.fixed,
            layout.has_trend,
            layout.has_season,
            layout.damped,
            lower,
            upper,
            m_eff,
            opts.bounds == Bounds::Admissible,
        );
        let n_smoothing = start.len();
        let states = initial_states(y, m_eff, spec.trend, spec.season);
        start.extend_from_slice(&states);
        let np = start.len();
        if np + 1 >= y.len() {
            return Err(Error::TooShort {
                len: y.len(),
                min: np + 2,
                context: format!("{} ({np} parameters)", spec.method()),
            });
        }
        let objective = Objective::new(y, spec, m_eff, layout, lower, upper, opts.bounds, opts.criterion)
            .with_arithmetic(arithmetic(opts.optimizer));
        Ok((Problem { spec, m_eff, layout, n_smoothing, start, y }, objective))
    }

    /// The fit at the optimiser's result (`None`: the objective was not finite at the start).
    pub(crate) fn finish(
        self,
        best: Option<Minimum>,
        opts: &EstimationOptions,
        control: &Control<'_>,
    ) -> Result<EtsFit> {
        control.check()?;
        let spec = self.spec;
        let best = best.ok_or_else(|| Error::FitFailed {
            model: spec.method(),
            reason: "the objective cannot be evaluated at R's initial values".to_string(),
        })?;
        let sm = self.layout.smoothing(&best.x);
        let nmse = match opts.criterion {
            Criterion::Amse { nmse } => nmse,
            _ => DEFAULT_NMSE,
        };
        assemble(self.y, spec, self.m_eff, sm, &best.x[self.n_smoothing..], self.start.len(), nmse)
    }
}

/// The order of operations of the likelihood passes `optimizer` evaluates.
fn arithmetic(optimizer: EtsOptimizer) -> Arithmetic {
    match optimizer {
        EtsOptimizer::NelderMead | EtsOptimizer::Hybrid => Arithmetic::ShortChain,
        EtsOptimizer::NelderMeadR | EtsOptimizer::Lbfgs => Arithmetic::R,
    }
}

/// Estimate one ETS form on validated data (R `etsmodel`); [`Error::Cancelled`] once `control` is.
pub(crate) fn estimate(
    y: &[f64],
    spec: EtsSpec,
    m: usize,
    opts: &EstimationOptions,
    control: &Control<'_>,
) -> Result<EtsFit> {
    control.check()?;
    let (problem, objective) = Problem::new(y, spec, m, opts)?;
    let best = if opts.optimizer.uses_gradient(&spec, opts.criterion) {
        minimise_with_gradient(objective, control, &problem.start)
    } else {
        let polishes = opts.optimizer.polishes(&spec, opts.criterion);
        let mut objective = Cancellable { objective, control };
        let rough = nelder_mead(&mut objective, &problem.start, nelder_mead_reltol(polishes), MAX_EVALUATIONS);
        match rough {
            Some(rough) if polishes => Some(polish(objective.objective, control, rough)),
            other => other,
        }
    };
    problem.finish(best, opts, control)
}

/// Run the model over `y` with the given parameters and free initial states and compute every
/// statistic of the fit (R `pegelsresid.C` followed by the information criteria of `etsmodel`).
/// `n_par` is the number of estimated quantities (R `length(par)`).
pub(crate) fn assemble(
    y: &[f64],
    spec: EtsSpec,
    m: usize,
    sm: Smoothing,
    free_states: &[f64],
    n_par: usize,
    nmse: usize,
) -> Result<EtsFit> {
    let nstate = spec.n_states(m);
    let mut x0 = vec![0.0; nstate];
    Objective::fill_states(&spec, m, free_states, &mut x0);
    let mut state = State::new(spec, m, &x0);
    let n = y.len();
    let mut e = vec![0.0; n];
    let mut amse = vec![0.0; nmse.clamp(1, MAX_NMSE)];
    let summary = filter(&mut state, &sm, y, &mut e, Some(&mut amse));
    if !summary.lik.is_finite() && !(summary.lik == f64::NEG_INFINITY) {
        return Err(Error::FitFailed {
            model: spec.method(),
            reason: "the recursions broke down (negative multiplicative trend)".to_string(),
        });
    }
    let lik = summary.lik.max(-1e10);
    let nf = n as f64;
    let k = (n_par + 1) as f64;
    let aic = lik + 2.0 * k;
    let bic = lik + nf.ln() * k;
    let aicc = if nf - k - 1.0 > 0.0 { aic + 2.0 * k * (k + 1.0) / (nf - k - 1.0) } else { f64::INFINITY };
    let sigma2 = if n > n_par { summary.sse / (n - n_par) as f64 } else { f64::NAN };
    let fitted: Vec<f64> = match spec.error {
        ErrorType::Additive => y.iter().zip(&e).map(|(v, r)| v - r).collect(),
        ErrorType::Multiplicative => y.iter().zip(&e).map(|(v, r)| v / (1.0 + r)).collect(),
    };
    Ok(EtsFit {
        spec,
        season_length: m,
        alpha: sm.alpha,
        beta: (spec.trend != TrendType::None).then_some(sm.beta),
        gamma: (spec.season != SeasonType::None).then_some(sm.gamma),
        phi: (spec.damped && spec.trend != TrendType::None).then_some(sm.phi),
        initial_states: x0,
        final_state: state.to_vec(),
        loglik: -0.5 * lik,
        aic,
        aicc,
        bic,
        sigma2,
        mse: amse[0],
        amse: amse.iter().sum::<f64>() / amse.len() as f64,
        n_params: n_par,
        fitted,
        innovations: e,
        y: y.to_vec(),
        selection: None,
        simulation_paths: DEFAULT_SIMULATION_PATHS,
        simulation_seed: DEFAULT_SIMULATION_SEED,
    })
}

/// Smoothing parameters of an ETS model given from outside (e.g. R's estimates).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EtsParams {
    /// Level smoothing α.
    pub alpha: f64,
    /// Trend smoothing β (required when the model has a trend).
    pub beta: Option<f64>,
    /// Seasonal smoothing γ (required when the model is seasonal).
    pub gamma: Option<f64>,
    /// Damping φ (required when the trend is damped).
    pub phi: Option<f64>,
}

/// A fitted ETS model: parameters, states, fit statistics and forecasts.
#[derive(Debug, Clone, PartialEq)]
pub struct EtsFit {
    spec: EtsSpec,
    season_length: usize,
    alpha: f64,
    beta: Option<f64>,
    gamma: Option<f64>,
    phi: Option<f64>,
    initial_states: Vec<f64>,
    final_state: Vec<f64>,
    loglik: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    sigma2: f64,
    mse: f64,
    amse: f64,
    n_params: usize,
    fitted: Vec<f64>,
    innovations: Vec<f64>,
    y: Vec<f64>,
    pub(crate) selection: Option<Selection>,
    simulation_paths: usize,
    simulation_seed: u64,
}

impl EtsFit {
    /// Evaluate an ETS model at given parameters and initial states, without estimating anything.
    ///
    /// `init_states` is R's parameter layout `(l, b, s_0, …, s_{m-2})` (the last seasonal state is
    /// implied by normalisation) or the full state vector `(l, b, s_0, …, s_{m-1})`. The fit
    /// statistics count every smoothing parameter of the form and the free states as estimated, as
    /// R does for a model whose parameters were all estimated.
    pub fn from_parameters(
        spec: EtsSpec,
        season_length: usize,
        y: &[f64],
        params: EtsParams,
        init_states: &[f64],
    ) -> Result<EtsFit> {
        validate_season_length(season_length)?;
        validate_finite(y, 1, "ETS")?;
        if spec.needs_positive_data() {
            validate_positive(y, &spec.method())?;
        }
        let m = if spec.season == SeasonType::None { 1 } else { season_length };
        if spec.season != SeasonType::None && !(2..=MAX_SEASON_LENGTH).contains(&m) {
            return Err(Error::invalid_parameter("season_length", m, "seasonal ETS needs 2..=24"));
        }
        let need = |name: &str, v: Option<f64>| -> Result<f64> {
            v.filter(|x| x.is_finite())
                .ok_or_else(|| Error::invalid_parameter(name, "missing", "required by the model form"))
        };
        if !params.alpha.is_finite() {
            return Err(Error::invalid_parameter("alpha", params.alpha, "must be finite"));
        }
        let sm = Smoothing {
            alpha: params.alpha,
            beta: if spec.trend != TrendType::None { need("beta", params.beta)? } else { 0.0 },
            gamma: if spec.season != SeasonType::None { need("gamma", params.gamma)? } else { 0.0 },
            phi: if spec.damped && spec.trend != TrendType::None { need("phi", params.phi)? } else { 1.0 },
        };
        let full = spec.n_states(m);
        let free_len = if spec.season != SeasonType::None { full - 1 } else { full };
        let free: Vec<f64> = if init_states.len() == free_len {
            init_states.to_vec()
        } else if init_states.len() == full && spec.season != SeasonType::None {
            init_states[..free_len].to_vec()
        } else {
            return Err(Error::invalid_parameter(
                "init_states",
                init_states.len(),
                format!(
                    "{} needs {free_len} free initial states (or {full} with the last seasonal one)",
                    spec.method()
                ),
            ));
        };
        if let Some((i, v)) = free.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::invalid_parameter(format!("init_states[{i}]"), v, "must be finite"));
        }
        let mut fit = assemble(y, spec, m, sm, &free, spec.n_smoothing() + free_len, DEFAULT_NMSE)?;
        if init_states.len() == full {
            // Keep the caller's full vector (R normalises only the free part).
            fit.initial_states = init_states.to_vec();
        }
        Ok(fit)
    }

    /// The model form.
    pub fn spec(&self) -> EtsSpec {
        self.spec
    }
    /// R's method string, e.g. `ETS(M,Ad,M)`.
    pub fn method(&self) -> String {
        self.spec.method()
    }
    /// Season length used by the model (1 when it has no seasonal component).
    pub fn season_length(&self) -> usize {
        self.season_length
    }
    /// Level smoothing parameter α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Trend smoothing parameter β (`None` without trend).
    pub fn beta(&self) -> Option<f64> {
        self.beta
    }
    /// Seasonal smoothing parameter γ (`None` without season).
    pub fn gamma(&self) -> Option<f64> {
        self.gamma
    }
    /// Damping parameter φ (`None` without damping).
    pub fn phi(&self) -> Option<f64> {
        self.phi
    }
    /// Initial states `(l_0, b_0, s_0, …, s_{m-1})` (R order: `s_0` most recent).
    pub fn initial_states(&self) -> &[f64] {
        &self.initial_states
    }
    /// States after the last observation, same layout as [`EtsFit::initial_states`].
    pub fn final_state(&self) -> &[f64] {
        &self.final_state
    }
    /// Log-likelihood as R reports it (`-½ [n log Σe² + 2 Σ log|μ|]`).
    pub fn loglik(&self) -> f64 {
        self.loglik
    }
    /// Akaike information criterion.
    pub fn aic(&self) -> f64 {
        self.aic
    }
    /// Corrected Akaike information criterion.
    pub fn aicc(&self) -> f64 {
        self.aicc
    }
    /// Bayesian information criterion.
    pub fn bic(&self) -> f64 {
        self.bic
    }
    /// Innovation variance `Σ e_t² / (n - #estimated)` (relative for multiplicative error).
    pub fn sigma2(&self) -> f64 {
        self.sigma2
    }
    /// In-sample mean squared one-step error.
    pub fn mse(&self) -> f64 {
        self.mse
    }
    /// In-sample average of the 1..=nmse step mean squared errors.
    pub fn amse(&self) -> f64 {
        self.amse
    }
    /// Number of estimated quantities (smoothing parameters + free initial states).
    pub fn n_parameters(&self) -> usize {
        self.n_params
    }
    /// Innovation residuals `e_t` (`y - μ` for additive error, `(y - μ)/μ` for multiplicative).
    pub fn innovation_residuals(&self) -> &[f64] {
        &self.innovations
    }
    /// For [`super::AutoEts`] fits: the candidates tried and why components were dropped.
    pub fn selection(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }
    /// Use `paths` simulated sample paths (default 5000) and `seed` for the intervals of forms
    /// without analytic variances (multiplicative trend).
    pub fn with_simulation(mut self, paths: usize, seed: u64) -> Self {
        self.simulation_paths = paths.max(1);
        self.simulation_seed = seed;
        self
    }

    pub(crate) fn smoothing(&self) -> Smoothing {
        Smoothing {
            alpha: self.alpha,
            beta: self.beta.unwrap_or(0.0),
            gamma: self.gamma.unwrap_or(0.0),
            phi: self.phi.unwrap_or(1.0),
        }
    }

    /// Point forecasts as R's `etsforecast` computes them (no variance correction).
    pub fn point_forecast(&self, h: usize) -> Vec<f64> {
        let state = State::new(self.spec, self.season_length, &self.final_state);
        let mut out = vec![0.0; h];
        state.forecast(self.smoothing().phi, &mut out);
        out
    }

    /// The analytic class of R `forecast.ets` for this form, if any.
    pub fn analytic_class(&self) -> Option<AnalyticClass> {
        AnalyticClass::of(&self.spec)
    }
}

impl Fitted for EtsFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let sm = self.smoothing();
        match AnalyticClass::of(&self.spec) {
            Some(class) => {
                // Without intervals the variances are not needed (module `intervals`).
                let variances = !levels.is_empty();
                let (mean, var) = analytic_moments(
                    class,
                    &self.spec,
                    self.season_length,
                    &sm,
                    &self.final_state,
                    self.sigma2,
                    h,
                    variances,
                );
                let sd: Vec<f64> = var.iter().map(|v| v.max(0.0).sqrt()).collect();
                let intervals = normal_intervals(&mean, &sd, levels);
                finite_forecast(&self.method(), Forecast { mean, intervals })
            }
            None => {
                let state = State::new(self.spec, self.season_length, &self.final_state);
                let mut mean = vec![0.0; h];
                if !state.forecast(sm.phi, &mut mean) {
                    return Err(Error::FitFailed {
                        model: self.method(),
                        reason: "problem with multiplicative damped trend (negative slope)".to_string(),
                    });
                }
                let intervals = simulated_intervals(
                    &state,
                    &sm,
                    self.sigma2,
                    h,
                    levels,
                    self.simulation_paths,
                    self.simulation_seed,
                );
                finite_forecast(&self.method(), Forecast { mean, intervals })
            }
        }
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        response_residuals(&self.y, &self.fitted)
    }

    /// The season length AutoETS could not use ([`Selection::unused_periods`](super::Selection)):
    /// above 24, not longer than the series, a constant or too short series, a pattern without season.
    fn unused_periods(&self) -> Vec<crate::models::DroppedPeriod> {
        self.selection.as_ref().map(|s| s.unused_periods.clone()).unwrap_or_default()
    }

    fn description(&self) -> String {
        self.method()
    }

    /// The same form, smoothing parameters and initial states over `y` ([`EtsFit::from_parameters`]).
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        let params = EtsParams { alpha: self.alpha, beta: self.beta, gamma: self.gamma, phi: self.phi };
        Some(EtsFit::from_parameters(self.spec, self.season_length, y, params, &self.initial_states).map(|mut fit| {
            fit.simulation_paths = self.simulation_paths;
            fit.simulation_seed = self.simulation_seed;
            Box::new(fit) as Box<dyn Fitted>
        }))
    }
}
