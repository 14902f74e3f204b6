//! Automatic ETS selection (R `forecast::ets(y, model = "ZZZ")`, Hyndman et al. 2002, 2008 §7.2).
//!
//! Every admissible combination of error (A, M), trend (N, A, Ad and, when allowed, M, Md) and
//! season (N, A, M) matching the pattern is estimated, and the one with the smallest information
//! criterion (AICc by default) is kept; ties keep the first in R's loop order (error, trend, season,
//! damped-before-undamped). Rules, as in R:
//!
//! * multiplicative components only for strictly positive data;
//! * `restrict`: no additive error with multiplicative trend or season, no ETS(M,M*,A);
//! * seasonality is dropped (and the reason recorded) when `m = 1`, `m > 24`, or `n <= m`;
//! * a candidate is skipped when its parameter count leaves no degrees of freedom
//!   (`#params >= n - 1`);
//! * tiny series (`n <= #params + 4` for the pattern; R would switch to `HoltWinters`) and series
//!   where nothing can be estimated get simple exponential smoothing, ETS(A,N,N), with α fixed at
//!   0.9999 (a random walk) when even α cannot be estimated. Any finite series of at least 3 points
//!   therefore gets a model;
//! * a constant series gets ETS(A,N,N) with α = 0.99999 and `l_0 = y_1`, nothing estimated (R
//!   returns `ses(y, alpha = 0.99999, initial = "simple")` there).

use serde::{Deserialize, Serialize};

use super::fit::{assemble, estimate, EstimationOptions, EtsFit, MAX_SEASON_LENGTH};
use super::spec::{
    Bounds, Candidate, Criterion, ErrorType, EtsOptimizer, EtsSpec, InformationCriterion, SeasonType, Selection,
    SpecPattern, TrendType, DEFAULT_LOWER, DEFAULT_UPPER,
};
use super::state_space::Smoothing;
use super::together::estimate_all;
use crate::control::Control;
use crate::error::{Error, Result};
use crate::models::{DroppedPeriod, Forecaster};
use crate::series::{is_constant, validate_finite, validate_positive, validate_season_length};

/// Automatic ETS model selection by information criterion, as R `forecast::ets` does by default.
///
/// ```
/// use forestock::models::{AutoEts, Forecaster, Fitted};
/// let y: Vec<f64> = (0..60).map(|t| 50.0 + 0.5 * t as f64 + 8.0 * ((t % 12) as f64 / 2.0).sin()).collect();
/// let fit = AutoEts::new(12).fit(&y)?;
/// println!("{}", fit.method());
/// let fc = fit.predict(12, &[80.0, 95.0])?;
/// assert_eq!(fc.intervals.len(), 2);
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoEts {
    /// Season length `m` (1 for non-seasonal data).
    pub season_length: usize,
    /// Model pattern with `Z` wildcards (default `"ZZZ"`), e.g. `"ZZN"` for non-seasonal forms.
    pub pattern: String,
    /// `Some(true)`: only damped trends; `Some(false)`: only undamped; `None`: try both.
    pub damped: Option<bool>,
    /// Information criterion used to choose (default AICc).
    pub ic: InformationCriterion,
    /// Also try multiplicative trends (default `false`, as in R).
    pub allow_multiplicative_trend: bool,
    /// R's `restrict` rule (default `true`).
    pub restrict: bool,
    /// Only additive forms (R `additive.only`).
    pub additive_only: bool,
    /// Parameter space restrictions (default [`Bounds::Both`]).
    pub bounds: Bounds,
    /// Estimation criterion (default [`Criterion::Likelihood`]).
    pub criterion: Criterion,
    /// Lower bounds of (α, β, γ, φ).
    pub lower: [f64; 4],
    /// Upper bounds of (α, β, γ, φ).
    pub upper: [f64; 4],
    /// Minimiser of every candidate (default [`EtsOptimizer::Hybrid`]: the gradient for the
    /// seasonal forms, R's search to a coarse tolerance finished by the gradient for the others;
    /// [`EtsOptimizer::NelderMeadR`] for R's choice and estimates bit for bit).
    pub optimizer: EtsOptimizer,
    /// Estimate the candidate forms on the rayon thread pool (default `true`) when the search has
    /// seasonal forms and the pool more than one thread (a non-seasonal search is too short to
    /// gain). The result is the same either way; turn it off when the caller already parallelises
    /// over many series.
    pub parallel: bool,
}

impl Default for AutoEts {
    fn default() -> Self {
        AutoEts {
            season_length: 1,
            pattern: "ZZZ".to_string(),
            damped: None,
            ic: InformationCriterion::Aicc,
            allow_multiplicative_trend: false,
            restrict: true,
            additive_only: false,
            bounds: Bounds::Both,
            criterion: Criterion::Likelihood,
            lower: DEFAULT_LOWER,
            upper: DEFAULT_UPPER,
            optimizer: EtsOptimizer::default(),
            parallel: true,
        }
    }
}

impl AutoEts {
    /// Automatic selection over all forms for data with season length `season_length`.
    pub fn new(season_length: usize) -> AutoEts {
        AutoEts { season_length, ..AutoEts::default() }
    }
    /// Restrict the search with a pattern such as `"ZZN"` or `"MZZ"` (`Z` = any).
    pub fn with_pattern(mut self, pattern: &str) -> Self {
        self.pattern = pattern.to_string();
        self
    }
    /// Only damped (`Some(true)`), only undamped (`Some(false)`) or both (`None`) trends.
    pub fn with_damped(mut self, damped: Option<bool>) -> Self {
        self.damped = damped;
        self
    }
    /// Choose with this information criterion.
    pub fn with_ic(mut self, ic: InformationCriterion) -> Self {
        self.ic = ic;
        self
    }
    /// Also consider multiplicative trends.
    pub fn allow_multiplicative_trend(mut self, allow: bool) -> Self {
        self.allow_multiplicative_trend = allow;
        self
    }
    /// Set R's `restrict` rule.
    pub fn with_restrict(mut self, restrict: bool) -> Self {
        self.restrict = restrict;
        self
    }
    /// Only consider additive forms.
    pub fn additive_only(mut self, additive_only: bool) -> Self {
        self.additive_only = additive_only;
        self
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
    /// Choose the minimiser of every candidate.
    pub fn with_optimizer(mut self, optimizer: EtsOptimizer) -> Self {
        self.optimizer = optimizer;
        self
    }
    /// Estimate the candidates in parallel (`true`, the default; see [`AutoEts::parallel`]) or one
    /// after the other.
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    fn options(&self) -> EstimationOptions {
        EstimationOptions {
            bounds: self.bounds,
            criterion: self.criterion,
            fixed: [None; 4],
            lower: self.lower,
            upper: self.upper,
            optimizer: self.optimizer,
        }
    }
}

/// `fit` with `unused` recorded in its selection.
fn with_unused(fit: Result<EtsFit>, unused: Vec<DroppedPeriod>) -> Result<EtsFit> {
    fit.map(|mut fit| {
        if let Some(selection) = fit.selection.as_mut() {
            selection.unused_periods = unused;
        }
        fit
    })
}

/// The season length `m`, as a period the model ends up without though it was given (none when `m`
/// is 1).
fn season_unused(m: usize, reason: String) -> Vec<DroppedPeriod> {
    if m > 1 {
        vec![DroppedPeriod { period: m, reason }]
    } else {
        Vec::new()
    }
}

fn ic_value(fit: &EtsFit, ic: InformationCriterion) -> f64 {
    match ic {
        InformationCriterion::Aicc => fit.aicc(),
        InformationCriterion::Aic => fit.aic(),
        InformationCriterion::Bic => fit.bic(),
    }
}

impl Forecaster for AutoEts {
    type Model = EtsFit;

    fn fit(&self, y: &[f64]) -> Result<EtsFit> {
        self.fit_with(y, &Control::new())
    }

    /// Every candidate form checks `control` at each objective evaluation; a cancelled search
    /// returns [`Error::Cancelled`], never the best of the forms estimated before the flag was set.
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<EtsFit> {
        let search = self.prepare(y, control)?;
        self.run(search, y, control)
    }
}

/// What [`AutoEts`] does once its settings and the series are checked: give an answer without a
/// search (a constant series, too few observations), or estimate the candidate forms.
enum Search {
    Answer(Box<Result<EtsFit>>),
    Forms { forms: Vec<EtsSpec>, notes: Vec<String>, unused: Vec<DroppedPeriod> },
}

impl AutoEts {
    /// Whether [`AutoEts::fit_pair`] shares work between `self` and `other`: the same season length
    /// and estimation settings (the candidate forms may differ).
    pub(crate) fn shares_forms_with(&self, other: &AutoEts) -> bool {
        self.season_length == other.season_length && self.options() == other.options()
    }

    /// Fit `self` and `other` to the same series, estimating each candidate form they share once
    /// (e.g. the damped forms of AutoETS and of damped AutoETS). The results equal
    /// `self.fit_with(y, control)` and `other.fit_with(y, control)`: a form's estimate does not
    /// depend on the forms estimated with it (module `together`).
    pub(crate) fn fit_pair(&self, other: &AutoEts, y: &[f64], control: &Control<'_>) -> [Result<EtsFit>; 2] {
        let (a, b) = match (self.prepare(y, control), other.prepare(y, control)) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => return [a.and_then(|a| self.run(a, y, control)), b.and_then(|b| other.run(b, y, control))],
        };
        let shareable = self.shares_forms_with(other);
        let (forms_a, notes_a, unused_a, forms_b, notes_b, unused_b) = match (a, b) {
            (
                Search::Forms { forms: forms_a, notes: notes_a, unused: unused_a },
                Search::Forms { forms: forms_b, notes: notes_b, unused: unused_b },
            ) if shareable => (forms_a, notes_a, unused_a, forms_b, notes_b, unused_b),
            (a, b) => return [self.run(a, y, control), other.run(b, y, control)],
        };
        // The union of the forms, `forms_a` first; where each of `forms_b` is in it.
        let mut union = forms_a.clone();
        let in_union: Vec<usize> = forms_b
            .iter()
            .map(|f| match union.iter().position(|u| u == f) {
                Some(i) => i,
                None => {
                    union.push(*f);
                    union.len() - 1
                }
            })
            .collect();
        let parallel = self.parallel || other.parallel;
        let mut estimates = estimate_all(y, &union, self.season_length, &self.options(), control, parallel);
        let estimates_b: Vec<Result<EtsFit>> = in_union.iter().map(|&i| estimates[i].clone()).collect();
        estimates.truncate(forms_a.len());
        let estimates_a = estimates;
        [
            self.choose(y, &forms_a, estimates_a, notes_a, unused_a, control),
            other.choose(y, &forms_b, estimates_b, notes_b, unused_b, control),
        ]
    }

    /// The answer of `search`: estimate its forms (if any) and choose among them.
    fn run(&self, search: Search, y: &[f64], control: &Control<'_>) -> Result<EtsFit> {
        match search {
            Search::Answer(fit) => *fit,
            Search::Forms { forms, notes, unused } => {
                let opts = self.options();
                // Forms are estimated independently (forms sharing a recursion in lockstep, module
                // `together`; in parallel when threads are available) and compared in R's loop
                // order, so the choice does not depend on the thread count.
                let estimates = estimate_all(y, &forms, self.season_length, &opts, control, self.parallel);
                self.choose(y, &forms, estimates, notes, unused, control)
            }
        }
    }

    /// Check the settings and the series and list the candidate forms (R's rules), or give the
    /// answer that needs no search.
    fn prepare(&self, y: &[f64], control: &Control<'_>) -> Result<Search> {
        control.check()?;
        let m = self.season_length;
        validate_season_length(m)?;
        let opts = self.options();
        opts.validate()?;
        let pattern = SpecPattern::parse(&self.pattern).map_err(|_| {
            Error::invalid_parameter(
                "pattern",
                &self.pattern,
                "expected 3 or 4 letters: error A|M|Z, trend N|A|Ad|M|Md|Z, season N|A|M|Z",
            )
        })?;
        validate_finite(y, 3, "AutoEts")?;
        let n = y.len();
        let positive = y.iter().all(|&v| v > 0.0);
        let mut notes = Vec::new();
        if is_constant(y) {
            // R: ets(y) on a constant series returns ses(y, alpha = 0.99999, initial = "simple").
            notes.push("constant series: simple exponential smoothing with alpha = 0.99999, l0 = y[0]".into());
            let unused = season_unused(m, "the series is constant: nothing seasonal to estimate".into());
            return Ok(Search::Answer(Box::new(with_unused(constant_series_model(y, self.ic, notes), unused))));
        }

        if pattern.error == Some(ErrorType::Multiplicative)
            || pattern.trend == Some(TrendType::Multiplicative)
            || pattern.season == Some(SeasonType::Multiplicative)
        {
            validate_positive(y, &format!("ETS pattern {}", self.pattern))?;
        }
        if pattern.trend == Some(TrendType::Multiplicative) && !self.allow_multiplicative_trend {
            return Err(Error::invalid_parameter(
                "pattern",
                &self.pattern,
                "multiplicative trends need allow_multiplicative_trend = true",
            ));
        }
        if pattern.damped && self.damped == Some(false) {
            return Err(Error::invalid_parameter("damped", false, "the pattern asks for a damped trend"));
        }
        if self.damped == Some(true) && pattern.trend == Some(TrendType::None) {
            return Err(Error::invalid_parameter("damped", true, "a model without trend cannot be damped"));
        }

        // Season candidates.
        let explicit_season = matches!(pattern.season, Some(SeasonType::Additive | SeasonType::Multiplicative));
        let mut seasons: Vec<SeasonType> = match pattern.season {
            None => vec![SeasonType::None, SeasonType::Additive, SeasonType::Multiplicative],
            Some(s) => vec![s],
        };
        let mut unused = Vec::new();
        if seasons == [SeasonType::None] {
            unused = season_unused(m, format!("the pattern {} has no seasonal component", self.pattern));
        }
        let mut drop_season = |reason: String, notes: &mut Vec<String>, seasons: &mut Vec<SeasonType>| {
            if m > 1 {
                unused = season_unused(m, reason.clone());
            }
            notes.push(reason);
            *seasons = vec![SeasonType::None];
        };
        if seasons != [SeasonType::None] {
            if m == 1 {
                if explicit_season {
                    return Err(Error::invalid_parameter(
                        "season_length",
                        m,
                        "the pattern asks for a seasonal component but season_length is 1",
                    ));
                }
                drop_season("seasonality not considered: season_length is 1".into(), &mut notes, &mut seasons);
            } else if m > MAX_SEASON_LENGTH {
                if explicit_season {
                    return Err(Error::invalid_parameter(
                        "season_length",
                        m,
                        "ETS seasonal components support season_length <= 24",
                    ));
                }
                drop_season(
                    format!("seasonality dropped: season_length {m} > {MAX_SEASON_LENGTH} is beyond ETS"),
                    &mut notes,
                    &mut seasons,
                );
            } else if n <= m {
                drop_season(
                    format!("seasonality dropped: {n} observations do not cover more than one season of {m}"),
                    &mut notes,
                    &mut seasons,
                );
            }
        }
        if !positive && seasons.contains(&SeasonType::Multiplicative) {
            notes.push("multiplicative forms skipped: the data are not strictly positive".into());
        }

        // R's tiny-data rule: parameters of the pattern as far as it is known.
        let mut npars = 2usize;
        if matches!(pattern.trend, Some(TrendType::Additive | TrendType::Multiplicative)) {
            npars += 2;
        }
        if seasons.iter().all(|s| *s != SeasonType::None) {
            npars += m;
        }
        if self.damped == Some(true) || pattern.damped {
            npars += 1;
        }
        if n <= npars + 4 {
            let note = format!(
                "only {n} observations for a pattern with {npars} parameters: simple exponential smoothing used"
            );
            if unused.is_empty() {
                unused = season_unused(m, note.clone());
            }
            notes.push(note);
            return Ok(Search::Answer(Box::new(with_unused(self.fallback(y, notes, Vec::new(), control), unused))));
        }

        let errors: Vec<ErrorType> = match pattern.error {
            None => vec![ErrorType::Additive, ErrorType::Multiplicative],
            Some(e) => vec![e],
        };
        let trends: Vec<TrendType> = match pattern.trend {
            None if self.allow_multiplicative_trend => {
                vec![TrendType::None, TrendType::Additive, TrendType::Multiplicative]
            }
            None => vec![TrendType::None, TrendType::Additive],
            Some(t) => vec![t],
        };
        let dampings: Vec<bool> = match (self.damped, pattern.damped) {
            (_, true) => vec![true],
            (Some(d), false) => vec![d],
            (None, false) => vec![true, false],
        };

        let mut forms: Vec<EtsSpec> = Vec::new();
        for &error in &errors {
            for &trend in &trends {
                for &season in &seasons {
                    for &damped in &dampings {
                        if trend == TrendType::None && damped {
                            continue;
                        }
                        if self.restrict && (EtsSpec { error, trend, season, damped }).forbidden_by_restrict() {
                            continue;
                        }
                        if self.additive_only
                            && (error == ErrorType::Multiplicative
                                || trend == TrendType::Multiplicative
                                || season == SeasonType::Multiplicative)
                        {
                            continue;
                        }
                        let spec = EtsSpec { error, trend, season, damped };
                        if !positive && spec.needs_positive_data() {
                            continue;
                        }
                        forms.push(spec);
                    }
                }
            }
        }
        Ok(Search::Forms { forms, notes, unused })
    }

    /// The best of the estimated `forms` by information criterion, compared in R's loop order
    /// (simple exponential smoothing when none could be estimated).
    fn choose(
        &self,
        y: &[f64],
        forms: &[EtsSpec],
        estimates: Vec<Result<EtsFit>>,
        mut notes: Vec<String>,
        mut unused: Vec<DroppedPeriod>,
        control: &Control<'_>,
    ) -> Result<EtsFit> {
        control.check()?;
        let m = self.season_length;
        let mut candidates = Vec::new();
        let mut best: Option<(f64, EtsFit)> = None;
        for (spec, estimate) in forms.iter().zip(estimates) {
            match estimate {
                Ok(fit) => {
                    let ic = ic_value(&fit, self.ic);
                    candidates.push(Candidate {
                        method: spec.method(),
                        ic: ic.is_finite().then_some(ic),
                        failure: None,
                    });
                    if ic.is_finite() && best.as_ref().is_none_or(|(b, _)| ic < *b) {
                        best = Some((ic, fit));
                    }
                }
                Err(e) => candidates.push(Candidate { method: spec.method(), ic: None, failure: Some(e.to_string()) }),
            }
        }
        match best {
            Some((_, mut fit)) => {
                fit.selection =
                    Some(Selection { ic: self.ic, candidates, notes, chosen: fit.method(), unused_periods: unused });
                Ok(fit)
            }
            None => {
                let note = "no candidate form could be estimated: simple exponential smoothing used".to_string();
                if unused.is_empty() {
                    unused = season_unused(m, note.clone());
                }
                notes.push(note);
                with_unused(self.fallback(y, notes, candidates, control), unused)
            }
        }
    }
}

impl AutoEts {
    /// ETS(A,N,N) with α estimated, or fixed at 0.9999 when even that is not estimable.
    fn fallback(
        &self,
        y: &[f64],
        mut notes: Vec<String>,
        candidates: Vec<Candidate>,
        control: &Control<'_>,
    ) -> Result<EtsFit> {
        let spec =
            EtsSpec { error: ErrorType::Additive, trend: TrendType::None, season: SeasonType::None, damped: false };
        let opts = self.options();
        let fit = match estimate(y, spec, 1, &opts, control) {
            Ok(fit) => fit,
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(_) => {
                notes.push("alpha fixed at 0.9999 (too few observations to estimate it)".into());
                let fixed = EstimationOptions { fixed: [Some(0.9999), None, None, None], ..opts };
                estimate(y, spec, 1, &fixed, control)?
            }
        };
        let mut fit = fit;
        fit.selection =
            Some(Selection { ic: self.ic, candidates, notes, chosen: fit.method(), unused_periods: Vec::new() });
        Ok(fit)
    }
}

/// ETS(A,N,N) with α = 0.99999 and `l_0 = y_1` (R's answer for a constant series).
fn constant_series_model(y: &[f64], ic: InformationCriterion, notes: Vec<String>) -> Result<EtsFit> {
    let spec = EtsSpec { error: ErrorType::Additive, trend: TrendType::None, season: SeasonType::None, damped: false };
    let sm = Smoothing { alpha: 0.99999, beta: 0.0, gamma: 0.0, phi: 1.0 };
    let mut fit = assemble(y, spec, 1, sm, &y[..1], 0, super::spec::DEFAULT_NMSE)?;
    fit.selection =
        Some(Selection { ic, candidates: Vec::new(), notes, chosen: fit.method(), unused_periods: Vec::new() });
    Ok(fit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Fitted, ModelSpec};

    fn seasonal(n: usize, m: usize) -> Vec<f64> {
        (0..n).map(|t| 100.0 + 0.5 * t as f64 + 10.0 * ((t % m) as f64 - m as f64 / 2.0).abs()).collect()
    }

    /// A noisy seasonal series long enough that AutoETS takes a noticeable time.
    fn long_noisy(n: usize) -> Vec<f64> {
        let mut state = 7u64;
        (0..n)
            .map(|t| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                200.0 + 20.0 * ((t % 12) as f64 - 6.0).abs() + 8.0 * noise
            })
            .collect()
    }

    #[test]
    fn an_unset_flag_changes_nothing_and_a_set_one_stops_the_search() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::{Duration, Instant};
        let y = long_noisy(12_000);
        let started = Instant::now();
        let plain = AutoEts::new(12).fit(&y).expect("fit");
        let full = started.elapsed();
        let unset = AtomicBool::new(false);
        let controlled = AutoEts::new(12).fit_with(&y, &Control::new().with_cancel(&unset)).expect("fit");
        assert_eq!(format!("{plain:?}"), format!("{controlled:?}"));

        // Set the flag a twentieth of the way in: the search must stop long before it would end.
        let flag = AtomicBool::new(false);
        let control = Control::new().with_cancel(&flag);
        let started = Instant::now();
        let out = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(full / 20);
                flag.store(true, Ordering::Relaxed);
            });
            AutoEts::new(12).fit_with(&y, &control)
        });
        let stopped = started.elapsed();
        assert!(matches!(out, Err(Error::Cancelled)), "{out:?}");
        assert!(stopped < full / 4 + Duration::from_millis(50), "stopped after {stopped:?} of {full:?}");
    }

    #[test]
    fn model_spec_serde_defaults() {
        let spec: ModelSpec = serde_json::from_str(r#"{"model":"auto_ets","season_length":12}"#).expect("json");
        match &spec {
            ModelSpec::AutoEts(a) => {
                assert_eq!(a.season_length, 12);
                assert_eq!(a.pattern, "ZZZ");
                assert_eq!(a.ic, InformationCriterion::Aicc);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(spec.name(), "auto_ets");
        let ets: ModelSpec = serde_json::from_str(r#"{"model":"ets","spec":"MAdM","season_length":4}"#).expect("json");
        assert_eq!(ets.name(), "ets");
        let back: ModelSpec = serde_json::from_str(&serde_json::to_string(&ets).expect("ser")).expect("de");
        assert_eq!(back, ets);
        let fc = ets.forecast(&seasonal(40, 4), 4, &[95.0]).expect("forecast");
        assert_eq!(fc.mean.len(), 4);
    }

    #[test]
    fn drops_seasonality_with_a_reason() {
        let y = seasonal(120, 4);
        let fit = AutoEts::new(52).fit(&y).expect("fit");
        let sel = fit.selection().expect("selection");
        assert!(sel.notes.iter().any(|n| n.contains("52")), "{:?}", sel.notes);
        assert_eq!(fit.spec().season, SeasonType::None);
        let fit1 = AutoEts::new(1).fit(&y).expect("fit");
        assert!(fit1.selection().expect("sel").notes.iter().any(|n| n.contains("season_length is 1")));
        let short = AutoEts::new(12).fit(&seasonal(11, 12)).expect("fit");
        assert_eq!(short.spec().season, SeasonType::None);
    }

    #[test]
    fn tiny_constant_and_signed_series_get_models() {
        for y in [
            vec![1.0, 2.0, 3.0],
            vec![5.0, 4.0, 6.0, 5.5],
            vec![3.0; 30],
            vec![-1.0, 2.0, -3.0, 4.0, 0.0, 1.0, 2.0, -2.0, 1.0],
        ] {
            let fit = AutoEts::new(4).fit(&y).expect("fit");
            let fc = fit.predict(5, &[80.0, 95.0]).expect("predict");
            assert!(fc.mean.iter().all(|v| v.is_finite()), "{y:?} -> {:?}", fc.mean);
            assert!(!fit.spec().needs_positive_data() || y.iter().all(|v| *v > 0.0));
        }
        let c = AutoEts::new(1).fit(&[3.0; 10]).expect("fit");
        assert_eq!(c.point_forecast(2), vec![3.0, 3.0]);
    }

    #[test]
    fn rejects_bad_settings() {
        let y = seasonal(60, 4);
        assert!(AutoEts::new(0).fit(&y).is_err());
        assert!(AutoEts::new(4).with_pattern("QQQ").fit(&y).is_err());
        assert!(AutoEts::new(1).with_pattern("ZZA").fit(&y).is_err());
        assert!(AutoEts::new(4).with_pattern("ZMZ").fit(&y).is_err());
        let neg: Vec<f64> = y.iter().map(|v| v - 200.0).collect();
        assert!(matches!(AutoEts::new(4).with_pattern("MZZ").fit(&neg), Err(Error::NonPositive { .. })));
    }

    #[test]
    fn multiplicative_trend_search_and_simulated_intervals() {
        let y: Vec<f64> =
            (0..60).map(|t| 10.0 * 1.03f64.powi(t) * (1.0 + 0.05 * ((t * 7 % 5) as f64 - 2.0) / 2.0)).collect();
        let fit = AutoEts::new(1).allow_multiplicative_trend(true).with_pattern("MMN").fit(&y).expect("fit");
        assert_eq!(fit.spec().trend, TrendType::Multiplicative);
        assert!(fit.analytic_class().is_none());
        let a = fit.predict(6, &[80.0, 95.0]).expect("predict");
        let b = fit.predict(6, &[80.0, 95.0]).expect("predict");
        assert_eq!(a, b, "simulated intervals are deterministic");
        for i in 0..6 {
            assert!(a.intervals[1].lower[i] <= a.intervals[0].lower[i]);
            assert!(a.intervals[0].lower[i] <= a.mean[i] && a.mean[i] <= a.intervals[0].upper[i]);
            assert!(a.intervals[0].upper[i] <= a.intervals[1].upper[i]);
        }
    }

    #[test]
    fn a_pair_fitted_together_equals_each_fitted_alone() {
        let trend: Vec<f64> = (0..40).map(|t| 20.0 + 0.8 * t as f64 + 3.0 * (1.3 * t as f64).sin()).collect();
        let control = Control::new();
        let cases: Vec<(Vec<f64>, AutoEts, AutoEts)> = vec![
            // The ensemble's non-seasonal pair: the damped forms are shared.
            (trend.clone(), AutoEts::new(1), AutoEts::new(1).with_damped(Some(true))),
            (seasonal(48, 4), AutoEts::new(4), AutoEts::new(4).with_damped(Some(false))),
            // Different settings: nothing is shared, each is fitted alone.
            (trend.clone(), AutoEts::new(1), AutoEts::new(1).with_criterion(Criterion::Mse)),
            // Answers without a search: a constant series, too few observations for the pattern.
            (vec![5.0; 20], AutoEts::new(1), AutoEts::new(1).with_damped(Some(true))),
            (trend[..9].to_vec(), AutoEts::new(1), AutoEts::new(1).with_damped(Some(true))),
            // A setting that fails on one side only.
            (trend.clone(), AutoEts::new(1), AutoEts::new(1).with_pattern("ZZA")),
        ];
        for (y, a, b) in cases {
            let [pa, pb] = a.fit_pair(&b, &y, &control);
            assert_eq!(format!("{pa:?}"), format!("{:?}", a.fit(&y)), "{a:?}");
            assert_eq!(format!("{pb:?}"), format!("{:?}", b.fit(&y)), "{b:?}");
        }
    }
}
