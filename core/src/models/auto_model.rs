//! `AutoModel`: route each series to a model family by its demand pattern.
//!
//! The Syntetos-Boylan classification ([`crate::demand::classify_demand`]: average demand
//! interval ADI with cut-off 1.32, squared coefficient of variation of the non-zero sizes CV² with
//! cut-off 0.49; Syntetos, Boylan & Croston 2005) decides:
//!
//! | pattern | model | why |
//! |---|---|---|
//! | smooth, erratic, one period of at most 24 | [`AutoEts`] (AICc choice) | demand every period: a state-space model captures level, trend and season |
//! | smooth, erratic, a period above 24 or several periods | [`Mstl`] (STL per period, AutoETS "ZZN" on the seasonally adjusted series) | ETS cannot estimate long seasons (R's `ets()` drops them); STL can, for any number of periods |
//! | intermittent | [`CrostonSba`] | regular sizes at irregular intervals: Croston with the Syntetos-Boylan bias correction |
//! | lumpy | [`Tsb`] | irregular sizes and intervals: TSB updates the demand probability every period, so it also follows obsolescence |
//! | no demand | [`Naive`] (forecasts 0) | nothing to estimate |
//! | fewer than 3 points | [`Naive`] | too short for any estimated model |
//!
//! Seasons are used only where the history holds at least two full cycles of them
//! ([`MIN_CYCLES`]); the others are dropped and the reason names them. Intermittent and lumpy series
//! get a non-seasonal model, and the reason says that the periods were not used.
//!
//! The fitted model records the pattern and the reason, so a plan can say why a SKU got its model.

use serde::{Deserialize, Serialize};

use super::ets::EtsOptimizer;
use super::mstl::merge_unused;
use super::{
    AutoEts, CrostonSba, DroppedPeriod, Fitted, Forecast, Forecaster, ModelSpec, Mstl, MstlDecomposition, Naive,
    Periods, Tsb,
};
use crate::control::Control;
use crate::demand::{classify_demand, DemandPattern};
use crate::error::{Error, Result};
use crate::series::validate_finite;

/// Full cycles of a period the history must hold before a seasonal model may use it.
pub const MIN_CYCLES: usize = 2;

/// Smallest seasonal strength (see `seasonal_strengths`) for which a long or multiple season is
/// modelled: the threshold R forecast's `tsoutliers` uses (0.6) to decide that a series is seasonal
/// enough to adjust, rounded up to 0.64 (`0.8²`) for two-cycle histories, where an STL seasonal fitted
/// to noise alone takes about half of its variance (strength near 0.5).
pub const MIN_SEASONAL_STRENGTH: f64 = 0.64;

/// Longest period that AutoETS estimates itself (R's `ets()` limit); longer ones go to MSTL.
pub const MAX_ETS_PERIOD: usize = 24;

/// Routes each series to AutoEts, MSTL, Croston-SBA, TSB or naive by its demand pattern and seasons.
///
/// ```
/// use forestock::models::{AutoModel, Forecaster, Fitted};
/// // Two years of weekly demand with a yearly cycle: MSTL keeps the period 52.
/// let y: Vec<f64> = (0..104).map(|t| 100.0 + 30.0 * (t as f64 * std::f64::consts::TAU / 52.0).sin()).collect();
/// let fit = AutoModel::new(52).fit(&y)?;
/// assert!(fit.reason().contains("MSTL"), "{}", fit.reason());
/// let fit = AutoModel::new([7, 365]).fit(&y[..60])?;
/// assert!(fit.reason().contains("7"), "{}", fit.reason());
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModel {
    /// Seasonal period(s) of the data: a number or a list such as `[7, 365]` (1 = non-seasonal).
    pub season_length: Periods,
    /// Minimiser of the AutoETS searches it routes to, directly or as MSTL's trend forecaster
    /// (default [`EtsOptimizer::Hybrid`], as [`AutoEts`]'s; [`EtsOptimizer::NelderMeadR`] for
    /// R's estimates bit for bit). Left out of the JSON spec when it is the default.
    #[serde(default, skip_serializing_if = "is_default")]
    pub optimizer: EtsOptimizer,
}

fn is_default(optimizer: &EtsOptimizer) -> bool {
    *optimizer == EtsOptimizer::default()
}

impl AutoModel {
    /// An automatic model chooser for data with the given seasonal period(s).
    pub fn new(season_length: impl Into<Periods>) -> Self {
        AutoModel { season_length: season_length.into(), optimizer: EtsOptimizer::default() }
    }

    /// The minimiser of its AutoETS searches (see the field [`AutoModel::optimizer`]).
    pub fn with_optimizer(mut self, optimizer: EtsOptimizer) -> Self {
        self.optimizer = optimizer;
        self
    }
}

/// The seasonal model a smooth or erratic series `y` gets, fitted, with the reason in words.
///
/// One period of at most [`MAX_ETS_PERIOD`] goes to AutoETS as before (it applies R's own rules).
/// Otherwise each period needs [`MIN_CYCLES`] full cycles and a seasonal strength of at least
/// [`MIN_SEASONAL_STRENGTH`] in the MSTL decomposition (an STL season fitted to a series without
/// one only adds noise to the forecast); what is left goes to AutoETS when it is one short period,
/// to MSTL when it is a long period or several.
/// The periods dropped are returned too, each with its reason. MSTL over every period the strength
/// test decomposed reuses that decomposition.
fn seasonal_route(
    periods: &[usize],
    y: &[f64],
    optimizer: EtsOptimizer,
    control: &Control<'_>,
) -> Result<(Box<dyn Fitted>, String, Vec<DroppedPeriod>)> {
    let n = y.len();
    let auto_ets = |m: usize| AutoEts::new(m).with_parallel(false).with_optimizer(optimizer);
    if let [m] = periods
        && *m <= MAX_ETS_PERIOD
    {
        return Ok((boxed(&auto_ets(*m), y, control)?, "AutoETS".into(), Vec::new()));
    }
    let (long_enough, too_short): (Vec<usize>, Vec<usize>) = periods.iter().partition(|&&m| n >= MIN_CYCLES * m);
    let (strengths, decomposition) = seasonal_strengths(y, &long_enough);
    let (kept, insignificant): (Vec<usize>, Vec<usize>) = long_enough
        .iter()
        .zip(&strengths)
        .map(|(m, f)| (*m, *f >= MIN_SEASONAL_STRENGTH))
        .fold((Vec::new(), Vec::new()), |(mut keep, mut drop), (m, strong)| {
            if strong {
                keep.push(m)
            } else {
                drop.push(m)
            }
            (keep, drop)
        });
    let mut dropped: Vec<DroppedPeriod> = too_short
        .iter()
        .map(|&period| DroppedPeriod {
            period,
            reason: format!("{n} observations are fewer than {MIN_CYCLES} cycles of {period}"),
        })
        .chain(insignificant.iter().map(|&period| DroppedPeriod {
            period,
            reason: format!("seasonal strength below {MIN_SEASONAL_STRENGTH} in the MSTL decomposition"),
        }))
        .collect();
    dropped.sort_by_key(|d| d.period);
    let mut note = String::new();
    if !too_short.is_empty() {
        note += &format!("; period {} dropped: {n} observations are fewer than {MIN_CYCLES} cycles", join(&too_short));
    }
    if !insignificant.is_empty() {
        note += &format!("; period {} dropped: seasonal strength below {MIN_SEASONAL_STRENGTH}", join(&insignificant));
    }
    Ok(match kept.as_slice() {
        [] => (boxed(&auto_ets(1), y, control)?, format!("AutoETS, non-seasonal{note}"), dropped),
        [m] if *m <= MAX_ETS_PERIOD => {
            (boxed(&auto_ets(*m), y, control)?, format!("AutoETS with period {m}{note}"), dropped)
        }
        _ => {
            let reason = format!("MSTL with period {} + AutoETS on the seasonally adjusted series{note}", join(&kept));
            // MSTL's own trend forecaster (AutoETS "ZZN"), searched with the same optimiser.
            let trend = ModelSpec::AutoEts(AutoEts::new(1).with_pattern("ZZN").with_optimizer(optimizer));
            let mstl = Mstl::new(&kept).with_trend_forecaster(trend);
            let fit = match decomposition {
                // The same periods and settings decompose `y` the same way: no second STL run.
                Some(d) if kept == long_enough => mstl.fit_decomposed(y, d, control)?,
                _ => mstl.fit_with(y, control)?,
            };
            (Box::new(fit) as Box<dyn Fitted>, reason, dropped)
        }
    })
}

/// Seasonal strength of each period in the MSTL decomposition of `y` (Wang, Smith & Hyndman 2006;
/// FPP3 §4.3): `F_i = max(0, 1 − Var(R) / Var(S_i + R))`, 0 where the decomposition fails; and
/// the decomposition (`Mstl::new(periods)`'s).
fn seasonal_strengths(y: &[f64], periods: &[usize]) -> (Vec<f64>, Option<MstlDecomposition>) {
    if periods.is_empty() {
        return (Vec::new(), None);
    }
    let Ok(d) = Mstl::new(periods).decompose(y) else { return (vec![0.0; periods.len()], None) };
    let variance = |x: &[f64]| {
        let mean = x.iter().sum::<f64>() / x.len() as f64;
        x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / x.len() as f64
    };
    let remainder = variance(&d.remainder);
    let strengths = periods
        .iter()
        .map(|p| match d.seasonal(*p) {
            Some(s) => {
                let sr: Vec<f64> = s.iter().zip(&d.remainder).map(|(a, b)| a + b).collect();
                let total = variance(&sr);
                if total > 0.0 {
                    (1.0 - remainder / total).max(0.0)
                } else {
                    0.0
                }
            }
            None => 0.0,
        })
        .collect();
    (strengths, Some(d))
}

fn join(periods: &[usize]) -> String {
    periods.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ")
}

/// A model chosen and fitted by [`AutoModel`].
#[derive(Debug)]
pub struct AutoModelFit {
    inner: Box<dyn Fitted>,
    pattern: Option<DemandPattern>,
    reason: String,
    /// Periods dropped by the routing (the chosen model's own are added by `unused_periods`).
    unused: Vec<DroppedPeriod>,
}

impl AutoModelFit {
    /// The Syntetos-Boylan pattern of the training series (None when it was too short to classify,
    /// or contained negative values).
    pub fn pattern(&self) -> Option<DemandPattern> {
        self.pattern
    }

    /// Why this model was chosen, in words.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

fn boxed<F: Forecaster>(f: &F, y: &[f64], control: &Control<'_>) -> Result<Box<dyn Fitted>> {
    Ok(Box::new(f.fit_with(y, control)?))
}

impl Forecaster for AutoModel {
    type Model = AutoModelFit;

    fn fit(&self, y: &[f64]) -> Result<AutoModelFit> {
        self.fit_with(y, &Control::new())
    }

    /// The chosen model is fitted under `control` ([`Forecaster::fit_with`]).
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<AutoModelFit> {
        control.check()?;
        let periods = self.season_length.normalized()?;
        validate_finite(y, 2, "AutoModel")?;
        // Every period, unused for `why` (a route without a seasonal model).
        let all_unused = |why: &str| -> Vec<DroppedPeriod> {
            periods.iter().map(|&period| DroppedPeriod { period, reason: why.to_string() }).collect()
        };
        if y.len() < 3 {
            let reason = format!("only {} observations: naive forecast", y.len());
            let unused = all_unused(&reason);
            return Ok(AutoModelFit { inner: boxed(&Naive::new(), y, control)?, pattern: None, reason, unused });
        }
        // Negative values (returns netted against sales) cannot be classified as demand: use ETS.
        let classification = match classify_demand(y) {
            Ok(c) => Some(c),
            Err(Error::InvalidParameter { .. }) | Err(Error::Negative { .. }) => None,
            Err(e) => return Err(e),
        };
        let Some(c) = classification else {
            let (inner, route, unused) = seasonal_route(&periods, y, self.optimizer, control)?;
            let reason = format!("series has negative values: {route} on the raw series");
            return Ok(AutoModelFit { inner, pattern: None, reason, unused });
        };
        let stats = format!("ADI {:.2}, CV² {:.2}", c.adi, c.cv2);
        // Croston and TSB have no season: say so when periods were given.
        let unused = if periods.is_empty() {
            String::new()
        } else {
            format!(" (period {} not used: the method has no season)", join(&periods))
        };
        let (inner, reason, unused) = match c.pattern {
            DemandPattern::Smooth | DemandPattern::Erratic => {
                let (inner, route, dropped) = seasonal_route(&periods, y, self.optimizer, control)?;
                let kind = if c.pattern == DemandPattern::Smooth { "smooth" } else { "erratic" };
                (inner, format!("{kind} demand ({stats}): {route}"), dropped)
            }
            DemandPattern::Intermittent => (
                boxed(&CrostonSba::new(), y, control)?,
                format!("intermittent demand ({stats}): Croston-SBA{unused}"),
                all_unused(&format!("intermittent demand ({stats}): Croston-SBA has no season")),
            ),
            DemandPattern::Lumpy => (
                boxed(&Tsb::optimized(), y, control)?,
                format!("lumpy demand ({stats}): TSB{unused}"),
                all_unused(&format!("lumpy demand ({stats}): TSB has no season")),
            ),
            DemandPattern::NoDemand => (
                boxed(&Naive::new(), y, control)?,
                "no demand in the history: zero forecast".into(),
                all_unused("no demand in the history: zero forecast"),
            ),
        };
        Ok(AutoModelFit { inner, pattern: Some(c.pattern), reason, unused })
    }
}

impl Fitted for AutoModelFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        self.inner.predict(h, levels)
    }

    fn fitted_values(&self) -> &[f64] {
        self.inner.fitted_values()
    }

    fn residuals(&self) -> Vec<f64> {
        self.inner.residuals()
    }

    /// The periods the routing dropped, then those the chosen model reports.
    fn unused_periods(&self) -> Vec<DroppedPeriod> {
        merge_unused(self.unused.clone(), self.inner.unused_periods())
    }

    fn description(&self) -> String {
        self.inner.description()
    }

    /// The chosen model held fixed over `y` (the routing is not redone).
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        self.inner.refilter(y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_pattern() {
        let smooth: Vec<f64> = (0..60).map(|t| 100.0 + (t % 5) as f64).collect();
        let fit = AutoModel::new(1).fit(&smooth).expect("fit");
        assert_eq!(fit.pattern(), Some(DemandPattern::Smooth));
        assert!(fit.description().starts_with("ETS"), "{}", fit.description());

        let intermittent: Vec<f64> = (0..60).map(|t| if t % 3 == 0 { 5.0 } else { 0.0 }).collect();
        let fit = AutoModel::new(1).fit(&intermittent).expect("fit");
        assert_eq!(fit.pattern(), Some(DemandPattern::Intermittent));
        assert!(fit.reason().contains("Croston"), "{}", fit.reason());

        let zeros = vec![0.0; 20];
        let fc = AutoModel::new(1).fit(&zeros).expect("fit").predict(3, &[95.0]).expect("predict");
        assert_eq!(fc.mean, vec![0.0; 3]);

        let short = AutoModel::new(12).fit(&[4.0, 5.0]).expect("fit");
        assert!(short.reason().contains("naive"));
        assert!(AutoModel::new(1).fit(&[1.0]).is_err());
        assert!(AutoModel::new(0).fit(&smooth).is_err());
    }
}
