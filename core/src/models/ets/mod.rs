//! The ETS (error, trend, seasonal) exponential smoothing family, at parity with R `forecast` 8.20.
//!
//! * [`spec`]: the model taxonomy and estimation options;
//! * `state_space`: the recursions (R `etscalc.c`), and `state_space::two_step`, the likelihood
//!   passes two time steps at a time;
//! * `lanes`: the optimiser's inner loop on up to four parameter sets at once;
//! * `init`: R's starting values for states and parameters;
//! * `likelihood`: the estimation objective and the parameter-space checks;
//! * `optimizer`: Nelder-Mead as in R `optim`, one search or several in lockstep;
//! * `together`: the forms of an AutoETS search estimated together (shared two-lane passes);
//! * `gradient` / `bfgs` / `gradient_fit`: the analytic likelihood gradient and the projected
//!   BFGS minimiser of [`EtsOptimizer::Lbfgs`];
//! * [`fit`]: [`Ets`] (one form) and the fitted [`EtsFit`];
//! * [`auto`]: [`AutoEts`] (selection by AICc);
//! * [`intervals`] / `simulate`: analytic and simulated prediction intervals;
//! * `wildcard`: what `Z` in an [`Ets`] code means ([`Ets::resolve`]: the AutoETS search).
//!
//! Sources: Hyndman, Koehler, Ord & Snyder (2008), *Forecasting with Exponential Smoothing: the
//! State Space Approach*, Springer; Hyndman, Koehler, Snyder & Grose (2002), IJF 18(3); R package
//! `forecast` (Hyndman et al.), files `R/ets.R`, `R/forecast.ets.R`, `src/etscalc.c`,
//! `src/etsTargetFunction.cpp`. See `docs/models.md`.

pub mod auto;
pub(crate) mod bfgs;
pub mod fit;
pub(crate) mod gradient;
mod gradient_fit;
pub(crate) mod init;
pub mod intervals;
pub(crate) mod lanes;
pub(crate) mod likelihood;
pub(crate) mod optimizer;
pub(crate) mod simulate;
pub mod spec;
pub(crate) mod state_space;
mod together;
mod wildcard;

pub use auto::AutoEts;
pub use fit::{Ets, EtsFit, EtsParams, DEFAULT_SIMULATION_PATHS, DEFAULT_SIMULATION_SEED, MAX_SEASON_LENGTH};
pub use intervals::AnalyticClass;
pub use spec::{
    Bounds, Candidate, Criterion, ErrorType, EtsOptimizer, EtsSpec, InformationCriterion, SeasonType, Selection,
    SpecPattern, TrendType,
};
