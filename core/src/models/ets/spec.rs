//! ETS model specification: the error / trend / season taxonomy of Hyndman et al. (2008) and the
//! estimation options of R `forecast::ets` (bounds, optimisation criterion, information criterion).
//!
//! A model is written with R's three or four letter code: error `A|M`, trend `N|A|Ad|M|Md`, season
//! `N|A|M`, e.g. `"MAdM"` is ETS(M,Ad,M). Patterns used by automatic selection may also use `Z`
//! (any) in each position.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::models::DroppedPeriod;

/// Error component: additive or multiplicative innovations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorType {
    /// `y_t = μ_t + ε_t`.
    Additive,
    /// `y_t = μ_t (1 + ε_t)`.
    Multiplicative,
}

/// Trend component (damping is carried separately in [`EtsSpec::damped`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrendType {
    /// No trend.
    None,
    /// Additive trend `l + b`.
    Additive,
    /// Multiplicative trend `l · b`.
    Multiplicative,
}

/// Seasonal component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeasonType {
    /// No seasonality.
    None,
    /// Additive seasonal indices (normalised to sum to 0).
    Additive,
    /// Multiplicative seasonal indices (normalised to sum to `m`).
    Multiplicative,
}

/// A fully specified ETS model form, e.g. ETS(M,Ad,M).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EtsSpec {
    /// Error component.
    pub error: ErrorType,
    /// Trend component.
    pub trend: TrendType,
    /// Season component.
    pub season: SeasonType,
    /// Damped trend (only meaningful when `trend != None`).
    pub damped: bool,
}

impl EtsSpec {
    /// Parse a fixed model code (`"ANN"`, `"AAdN"`, `"MAdM"`, `"MMdN"`...). `Z` is rejected here.
    pub fn parse(code: &str) -> Result<EtsSpec> {
        let p = SpecPattern::parse(code)?;
        match (p.error, p.trend, p.season) {
            (Some(error), Some(trend), Some(season)) => {
                if p.damped && trend == TrendType::None {
                    return Err(bad_spec(code, "a damped trend needs a trend component (A or M)"));
                }
                Ok(EtsSpec { error, trend, season, damped: p.damped })
            }
            _ => Err(bad_spec(code, "a fixed ETS model cannot contain the wildcard Z (use AutoEts)")),
        }
    }

    /// The codes the compile-time specialised passes (likelihood, paired lanes, gradient) dispatch
    /// on: `(error, trend, season)` with error 1 additive / 2 multiplicative, trend and season 0
    /// none / 1 additive / 2 multiplicative.
    pub(crate) const fn form_codes(&self) -> (u8, u8, u8) {
        let e = match self.error {
            ErrorType::Additive => 1,
            ErrorType::Multiplicative => 2,
        };
        let t = match self.trend {
            TrendType::None => 0,
            TrendType::Additive => 1,
            TrendType::Multiplicative => 2,
        };
        let s = match self.season {
            SeasonType::None => 0,
            SeasonType::Additive => 1,
            SeasonType::Multiplicative => 2,
        };
        (e, t, s)
    }

    /// R's method string, e.g. `ETS(M,Ad,M)`.
    pub fn method(&self) -> String {
        let e = match self.error {
            ErrorType::Additive => "A",
            ErrorType::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendType::None => "N",
            TrendType::Additive => "A",
            TrendType::Multiplicative => "M",
        };
        let s = match self.season {
            SeasonType::None => "N",
            SeasonType::Additive => "A",
            SeasonType::Multiplicative => "M",
        };
        let d = if self.damped && self.trend != TrendType::None { "d" } else { "" };
        format!("ETS({e},{t}{d},{s})")
    }

    /// The compact code, e.g. `MAdM`.
    pub fn code(&self) -> String {
        self.method().replace(['E', 'T', 'S', '(', ')', ','], "")
    }

    /// Number of smoothing parameters (alpha, beta, gamma, phi) the form has.
    pub fn n_smoothing(&self) -> usize {
        1 + usize::from(self.trend != TrendType::None)
            + usize::from(self.season != SeasonType::None)
            + usize::from(self.damped && self.trend != TrendType::None)
    }

    /// Number of states in the state vector `(l, b, s_0..s_{m-1})`.
    pub fn n_states(&self, m: usize) -> usize {
        1 + usize::from(self.trend != TrendType::None) + if self.season != SeasonType::None { m } else { 0 }
    }

    /// `true` when any component is multiplicative (needs strictly positive data).
    pub fn needs_positive_data(&self) -> bool {
        self.error == ErrorType::Multiplicative
            || self.trend == TrendType::Multiplicative
            || self.season == SeasonType::Multiplicative
    }

    /// R's `restrict = TRUE` rule (`forecast::ets`): the forms whose forecast variance can be
    /// infinite are not fitted: additive error with a multiplicative trend or season, and
    /// ETS(M,M*,A). The one statement of the rule, for fixed fits and the AutoETS search alike.
    pub fn forbidden_by_restrict(&self) -> bool {
        (self.error == ErrorType::Additive
            && (self.trend == TrendType::Multiplicative || self.season == SeasonType::Multiplicative))
            || (self.error == ErrorType::Multiplicative
                && self.trend == TrendType::Multiplicative
                && self.season == SeasonType::Additive)
    }
}

impl std::fmt::Display for EtsSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.method())
    }
}

/// A model pattern with wildcards: `None` in a component means `Z` (try every option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecPattern {
    /// Error component, `None` for `Z`.
    pub error: Option<ErrorType>,
    /// Trend component, `None` for `Z`.
    pub trend: Option<TrendType>,
    /// Season component, `None` for `Z`.
    pub season: Option<SeasonType>,
    /// `true` when the code carried `d` (damped trend).
    pub damped: bool,
}

fn bad_spec(code: &str, reason: &str) -> Error {
    Error::invalid_parameter("spec", code, reason)
}

impl SpecPattern {
    /// Parse a 3 or 4 letter ETS code whose letters may be `Z`.
    pub fn parse(code: &str) -> Result<SpecPattern> {
        let chars: Vec<char> = code.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        let (e, t, d, s) = match chars.as_slice() {
            [e, t, s] => (*e, *t, false, *s),
            [e, t, 'D', s] => (*e, *t, true, *s),
            _ => {
                return Err(bad_spec(code, "expected 3 or 4 letters: error A|M|Z, trend N|A|Ad|M|Md|Z, season N|A|M|Z"))
            }
        };
        let error = match e {
            'A' => Some(ErrorType::Additive),
            'M' => Some(ErrorType::Multiplicative),
            'Z' => None,
            _ => return Err(bad_spec(code, "error component must be A, M or Z")),
        };
        let trend = match t {
            'N' => Some(TrendType::None),
            'A' => Some(TrendType::Additive),
            'M' => Some(TrendType::Multiplicative),
            'Z' => None,
            _ => return Err(bad_spec(code, "trend component must be N, A, Ad, M, Md or Z")),
        };
        let season = match s {
            'N' => Some(SeasonType::None),
            'A' => Some(SeasonType::Additive),
            'M' => Some(SeasonType::Multiplicative),
            'Z' => None,
            _ => return Err(bad_spec(code, "season component must be N, A, M or Z")),
        };
        if d && trend == Some(TrendType::None) {
            return Err(bad_spec(code, "a damped trend needs a trend component"));
        }
        Ok(SpecPattern { error, trend, season, damped: d })
    }
}

/// Parameter space restrictions (R `bounds`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bounds {
    /// `lower <= α, β, γ, φ <= upper`, `β <= α`, `γ <= 1 - α`.
    Usual,
    /// The forecastability (admissible) region of Hyndman et al. (2008, ch. 10).
    Admissible,
    /// Both the usual and the admissible restrictions (R's default).
    #[default]
    Both,
}

/// Minimiser used to estimate an ETS form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EtsOptimizer {
    /// R's Nelder-Mead (`optim`'s `nmmin`) from R's starting values on R's own arithmetic:
    /// reproduces R `forecast::ets` bit for bit.
    NelderMeadR,
    /// Projected BFGS with box bounds on the analytic gradient of the likelihood (reverse-mode
    /// differentiation through the recursions), from R's starting values. Faster; used for the
    /// likelihood criterion only (the other criteria fall back to Nelder-Mead).
    Lbfgs,
    /// R's Nelder-Mead search (the same starting values, steps and stopping rules as
    /// [`EtsOptimizer::NelderMeadR`]) on the likelihood computed with the level and slope updates in
    /// their error-correction form, `ℓ_t = (1−α)q_t + αp_t` and `b_t = φ(1−β)b_{t−1} + β(p_t − ℓ_{t−1})`
    /// instead of R's `ℓ_t = q_t + α(p_t − q_t)` and `b_t = φb_{t−1} + (β/α)(ℓ_t − ℓ_{t−1} − φb_{t−1})`.
    /// The two are equal in exact arithmetic; the first has a shorter chain of dependent operations
    /// per observation, so each evaluation is about a third faster. Estimates equal R's up to
    /// rounding, not bit for bit (the reported log-likelihood and criteria are computed with R's
    /// arithmetic at the estimates): on the 29 public series and the 363 fixed-model fits of the
    /// reference file every estimate equals [`EtsOptimizer::NelderMeadR`]'s (a rounding difference
    /// changes the search only where two of its values tie to the last bits).
    NelderMead,
    /// [`EtsOptimizer::Lbfgs`] for the seasonal forms; for the non-seasonal ones,
    /// [`EtsOptimizer::NelderMead`] stopped at a coarse tolerance (simplex values within `1e-3`
    /// relative, against R's `1.5e-8`) and then polished by the gradient minimiser from its best
    /// point (likelihood criterion; the other criteria take `NelderMead`). R's Nelder-Mead spends
    /// most of its evaluations on a non-seasonal form closing in on a minimum it has already found,
    /// which the gradient does in a few steps; its large first simplex still chooses the basin. On a
    /// seasonal form it mostly stops at its limit of 2,000 evaluations with `m + 2` to `m + 5`
    /// coordinates, where the gradient, whose cost does not grow with the number of coordinates
    /// (reverse-mode differentiation), gets there in fewer passes. The default of [`super::Ets`],
    /// [`super::AutoEts`] and `AutoModel`.
    #[default]
    Hybrid,
}

impl EtsOptimizer {
    /// Whether `spec` is estimated by the gradient-based minimiser under `criterion` (the
    /// gradient is of the likelihood criterion only; the other criteria use Nelder-Mead).
    pub(crate) fn uses_gradient(self, spec: &EtsSpec, criterion: Criterion) -> bool {
        criterion == Criterion::Likelihood
            && match self {
                EtsOptimizer::Lbfgs => true,
                EtsOptimizer::Hybrid => spec.season != SeasonType::None,
                EtsOptimizer::NelderMead | EtsOptimizer::NelderMeadR => false,
            }
    }

    /// Whether `spec`'s Nelder-Mead search stops at a coarse tolerance and the gradient minimiser
    /// finishes from its best point ([`EtsOptimizer::Hybrid`]'s non-seasonal forms).
    pub(crate) fn polishes(self, spec: &EtsSpec, criterion: Criterion) -> bool {
        self == EtsOptimizer::Hybrid && criterion == Criterion::Likelihood && spec.season == SeasonType::None
    }
}

/// Estimation criterion minimised by the optimiser (R `opt.crit`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Criterion {
    /// Twice the negative concentrated log-likelihood (R's `"lik"`, the default).
    #[default]
    Likelihood,
    /// In-sample one-step mean squared error.
    Mse,
    /// Average of the 1..=nmse step in-sample mean squared errors.
    Amse {
        /// Number of horizons averaged (1..=30, R default 3).
        nmse: usize,
    },
    /// Mean of the squared innovation residuals.
    Sigma,
    /// Mean absolute innovation residual.
    Mae,
}

/// Information criterion used by automatic selection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InformationCriterion {
    /// Corrected Akaike information criterion (R's default).
    #[default]
    Aicc,
    /// Akaike information criterion.
    Aic,
    /// Bayesian information criterion.
    Bic,
}

/// Default lower bounds for (α, β, γ, φ) in R `ets`.
pub const DEFAULT_LOWER: [f64; 4] = [1e-4, 1e-4, 1e-4, 0.8];
/// Default upper bounds for (α, β, γ, φ) in R `ets`.
pub const DEFAULT_UPPER: [f64; 4] = [0.9999, 0.9999, 0.9999, 0.98];
/// Number of horizons over which the AMSE is computed (R `nmse` default).
pub const DEFAULT_NMSE: usize = 3;

/// One form tried by [`AutoEts`](super::AutoEts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// R's method string, e.g. `ETS(M,Ad,M)`.
    pub method: String,
    /// Value of the information criterion, `None` when the form could not be estimated.
    pub ic: Option<f64>,
    /// Why the form could not be estimated, if it could not.
    pub failure: Option<String>,
}

/// What [`AutoEts`](super::AutoEts) did: every candidate, the notes on dropped components, the winner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// Information criterion used.
    pub ic: InformationCriterion,
    /// Forms estimated, in R's loop order.
    pub candidates: Vec<Candidate>,
    /// Human-readable reasons for restricting the search (e.g. why seasonality was dropped).
    pub notes: Vec<String>,
    /// The chosen form.
    pub chosen: String,
    /// The season length given, when the chosen model cannot use it, and why (empty otherwise,
    /// including when AICc preferred a non-seasonal form among seasonal candidates).
    #[serde(default)]
    pub unused_periods: Vec<DroppedPeriod>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        let s = EtsSpec::parse("MAdM").expect("spec");
        assert_eq!(s.method(), "ETS(M,Ad,M)");
        assert_eq!(s.code(), "MAdM");
        assert_eq!(s.n_smoothing(), 4);
        assert_eq!(s.n_states(12), 14);
        assert_eq!(EtsSpec::parse("ann").expect("spec").method(), "ETS(A,N,N)");
        assert!(EtsSpec::parse("ZZZ").is_err());
        assert!(EtsSpec::parse("ANdN").is_err());
        assert!(EtsSpec::parse("AXN").is_err());
        assert!(EtsSpec::parse("").is_err());
        assert!(EtsSpec::parse("AAAAA").is_err());
        let p = SpecPattern::parse("ZZZ").expect("pattern");
        assert!(p.error.is_none() && p.trend.is_none() && p.season.is_none());
    }
}
