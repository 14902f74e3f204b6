//! MSTL: STL with several seasonal periods, and forecasting from it, as R forecast 8.20's `mstl()`
//! and `forecast.mstl()` (the method behind `stlf` on multi-seasonal data).
//!
//! Sources: K. Bandara, R. J. Hyndman and C. Bergmeir (2021), "MSTL: A Seasonal-Trend
//! Decomposition Algorithm for Time Series with Multiple Seasonal Patterns"; R. J. Hyndman and
//! G. Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.), §3.6 and §13.1.
//!
//! **Decomposition.** Periods are sorted; a period with `2 period > n` (fewer than two full
//! cycles) is dropped and the reason recorded (R drops `2 period >= n` too: exactly two cycles, such
//! as two years of weekly data, are kept here; see [`Stl`]). With `x` the (optionally Box-Cox transformed)
//! series and `S_i = 0` to start, `iterate` rounds of: for each period `p_i` in increasing order,
//! `D = x − Σ_{j≠i} S_j`, `S_i = STL(D, period p_i, s.window_i).seasonal`. The trend is the trend of
//! the last STL, the remainder `x − Σ S_i − T`. R's default windows are `s.window = 7 + 4 i`
//! (11, 15, 19, …) for the `i`-th period. With a single period R's `mstl()` on a `ts` runs one
//! round (`iterate` is forced to 1); this does the same.
//!
//! **Forecast.** The seasonally adjusted series `x − Σ S_i` goes to a non-seasonal forecaster
//! (default: ETS with pattern `ZZN` and no multiplicative trend, R's `forecast(mstl(x), method =
//! "ets")`); the last cycle of each seasonal is repeated over the horizon and added to the mean and
//! to the interval bounds (the uncertainty of the seasonal is ignored, as in R). With a Box-Cox
//! `lambda` everything is then transformed back (no bias adjustment, R's default).

use serde::{Deserialize, Serialize};

use super::stl::{SeasonalWindow, Stl};
use super::{validate_request, AutoEts, Fitted, Forecast, Forecaster, ModelSpec};
use crate::control::Control;
use crate::error::{Error, Result};

/// A seasonal period that [`Mstl`] did not use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedPeriod {
    /// The period as given.
    pub period: usize,
    /// Why it was dropped.
    pub reason: String,
}

/// `first` followed by the entries of `more` whose period is not in `first` yet (one reason per
/// period: the first one given).
pub(crate) fn merge_unused(mut first: Vec<DroppedPeriod>, more: Vec<DroppedPeriod>) -> Vec<DroppedPeriod> {
    for d in more {
        if !first.iter().any(|f| f.period == d.period) {
            first.push(d);
        }
    }
    first
}

/// MSTL decomposition and forecaster (R forecast 8.20 `mstl()` + `forecast.mstl()`).
///
/// | field              | R                         | default                                   |
/// |--------------------|---------------------------|-------------------------------------------|
/// | `periods`          | `msts` seasonal periods   | required (may be empty: trend only)       |
/// | `s_window`         | `s.window`                | `Span(7 + 4 i)` for the `i`-th period     |
/// | `iterate`          | `iterate`                 | 2 (1 when a single period is given)       |
/// | `robust`           | `robust` (passed to stl)  | `false`                                   |
/// | `lambda`           | `lambda`                  | `None` (no Box-Cox transformation)        |
/// | `trend_forecaster` | `method` / `etsmodel`     | `AutoEts` pattern `ZZN`, no mult. trend   |
///
/// ```
/// use forestock::models::{Fitted, Forecaster, Mstl};
/// let y: Vec<f64> = (0..140)
///     .map(|t| 50.0 + 0.1 * t as f64 + [5.0, 2.0, 0.0, -1.0, -2.0, -6.0, 2.0][t % 7])
///     .collect();
/// let fit = Mstl::new(&[7]).fit(&y)?;
/// let fc = fit.predict(14, &[95.0])?;
/// assert_eq!(fc.mean.len(), 14);
/// assert!(fit.description().starts_with("MSTL(7) + ETS("));
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mstl {
    /// Seasonal periods (any order; sorted before use).
    pub periods: Vec<usize>,
    /// Seasonal window per sorted period (one value: used for every period).
    #[serde(default = "default_windows")]
    pub s_window: Vec<SeasonalWindow>,
    /// Rounds over all periods.
    #[serde(default = "default_iterate")]
    pub iterate: usize,
    /// Robust STL fits.
    #[serde(default)]
    pub robust: bool,
    /// Fixed Box-Cox parameter, applied before the decomposition and undone on the forecasts.
    #[serde(default)]
    pub lambda: Option<f64>,
    /// Forecaster of the seasonally adjusted series.
    #[serde(default = "default_trend_forecaster")]
    pub trend_forecaster: Box<ModelSpec>,
}

fn default_windows() -> Vec<SeasonalWindow> {
    (1..=6).map(|i| SeasonalWindow::Span(7 + 4 * i)).collect()
}

fn default_iterate() -> usize {
    2
}

fn default_trend_forecaster() -> Box<ModelSpec> {
    Box::new(ModelSpec::AutoEts(AutoEts::new(1).with_pattern("ZZN")))
}

/// The components of an MSTL decomposition (in the Box-Cox scale when `lambda` is set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MstlDecomposition {
    /// The periods used, increasing.
    pub periods: Vec<usize>,
    /// The periods given but not used, with the reason.
    pub dropped: Vec<DroppedPeriod>,
    /// Trend (from the last STL; a loess smooth when no period is used).
    pub trend: Vec<f64>,
    /// One seasonal component per used period, in the order of `periods`.
    pub seasonals: Vec<Vec<f64>>,
    /// Remainder: data − trend − seasonals.
    pub remainder: Vec<f64>,
    /// The Box-Cox parameter applied, if any.
    pub lambda: Option<f64>,
}

impl MstlDecomposition {
    /// The seasonally adjusted series: trend + remainder.
    pub fn seasonally_adjusted(&self) -> Vec<f64> {
        self.trend.iter().zip(&self.remainder).map(|(t, r)| t + r).collect()
    }

    /// The seasonal component of `period`, if it was used.
    pub fn seasonal(&self, period: usize) -> Option<&[f64]> {
        self.periods.iter().position(|p| *p == period).map(|i| self.seasonals[i].as_slice())
    }
}

impl Mstl {
    /// MSTL over `periods` with R's defaults.
    pub fn new(periods: &[usize]) -> Mstl {
        Mstl {
            periods: periods.to_vec(),
            s_window: default_windows(),
            iterate: default_iterate(),
            robust: false,
            lambda: None,
            trend_forecaster: default_trend_forecaster(),
        }
    }
    /// Seasonal windows, one per sorted period (or one for all).
    pub fn with_s_window(mut self, windows: &[SeasonalWindow]) -> Self {
        self.s_window = windows.to_vec();
        self
    }
    /// Number of rounds over the periods (R `iterate`, at least 1).
    pub fn with_iterate(mut self, iterate: usize) -> Self {
        self.iterate = iterate;
        self
    }
    /// Robust STL fits.
    pub fn robust(mut self, robust: bool) -> Self {
        self.robust = robust;
        self
    }
    /// A fixed Box-Cox parameter.
    pub fn with_lambda(mut self, lambda: f64) -> Self {
        self.lambda = Some(lambda);
        self
    }
    /// Any model of the crate for the seasonally adjusted series.
    pub fn with_trend_forecaster(mut self, spec: ModelSpec) -> Self {
        self.trend_forecaster = Box::new(spec);
        self
    }

    /// Sort the periods and drop those MSTL cannot use on `n` points.
    fn usable_periods(&self, n: usize) -> Result<(Vec<usize>, Vec<DroppedPeriod>)> {
        let mut sorted = self.periods.clone();
        sorted.sort_unstable();
        let mut kept = Vec::new();
        let mut dropped = Vec::new();
        for (i, &p) in sorted.iter().enumerate() {
            let reason = if p == 0 {
                return Err(Error::invalid_parameter("periods", 0, "seasonal periods are at least 1"));
            } else if p > crate::limits::MAX_SEASON_LENGTH {
                return Err(Error::invalid_parameter(
                    "periods",
                    p,
                    format!("seasonal periods are at most {}", crate::limits::MAX_SEASON_LENGTH),
                ));
            } else if p == 1 {
                Some("period 1 is not seasonal".to_string())
            } else if i > 0 && sorted[i - 1] == p {
                Some("duplicate period".to_string())
            } else if 2 * p > n {
                Some(format!("fewer than two full periods in {n} observations (needs 2 * period <= n)"))
            } else {
                None
            };
            match reason {
                Some(reason) => dropped.push(DroppedPeriod { period: p, reason }),
                None => kept.push(p),
            }
        }
        Ok((kept, dropped))
    }

    fn window(&self, i: usize) -> Result<SeasonalWindow> {
        match self.s_window.as_slice() {
            [only] => Ok(*only),
            windows => windows.get(i).copied().ok_or_else(|| {
                Error::invalid_parameter(
                    "s_window",
                    windows.len(),
                    format!("one window per period is needed (period number {} has none)", i + 1),
                )
            }),
        }
    }

    /// Decompose `y` into trend, one seasonal per usable period and remainder.
    ///
    /// Errors: a non-finite value, a period of 0, too few windows, a Box-Cox `lambda <= 0` with
    /// non-positive data, a non-finite `lambda`.
    pub fn decompose(&self, y: &[f64]) -> Result<MstlDecomposition> {
        crate::series::validate_finite(y, 1, "MSTL")?;
        if self.iterate == 0 {
            return Err(Error::invalid_parameter("iterate", 0, "must be at least 1"));
        }
        crate::limits::check_at_most("iterate", self.iterate, crate::limits::MAX_STL_PASSES)?;
        let n = y.len();
        let (periods, dropped) = self.usable_periods(n)?;
        let x = match self.lambda {
            Some(lambda) => box_cox(y, lambda)?,
            None => y.to_vec(),
        };
        if periods.is_empty() {
            let trend = trend_only(&x);
            let remainder = x.iter().zip(&trend).map(|(a, t)| a - t).collect();
            return Ok(MstlDecomposition {
                periods,
                dropped,
                trend,
                seasonals: Vec::new(),
                remainder,
                lambda: self.lambda,
            });
        }
        // R's mstl() on a plain ts (one period) runs a single round.
        let rounds = if self.periods.len() == 1 { 1 } else { self.iterate };
        let mut seasonals = vec![vec![0.0; n]; periods.len()];
        let mut deseasonalised = x.clone();
        let mut trend = Vec::new();
        for _ in 0..rounds {
            for (i, &p) in periods.iter().enumerate() {
                for (d, s) in deseasonalised.iter_mut().zip(&seasonals[i]) {
                    *d += s;
                }
                let fit = Stl::new(p, self.window(i)?).robust(self.robust).decompose(&deseasonalised)?;
                for (d, s) in deseasonalised.iter_mut().zip(&fit.seasonal) {
                    *d -= s;
                }
                seasonals[i] = fit.seasonal;
                trend = fit.trend;
            }
        }
        let remainder = deseasonalised.iter().zip(&trend).map(|(d, t)| d - t).collect();
        Ok(MstlDecomposition { periods, dropped, trend, seasonals, remainder, lambda: self.lambda })
    }
}

/// Trend when no period is usable. R uses Friedman's super smoother (`supsmu`); this uses STL's own
/// loess (tricube weights, local linear) with a span of 20% of the series (supsmu's middle span).
fn trend_only(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let span = ((n as f64 * 0.2).round() as usize).max(3) | 1;
    let mut out = vec![0.0; n];
    let mut w = vec![0.0; n];
    super::stl::smooth_trend(x, span, &mut out, &mut w);
    out
}

/// Box-Cox transformation as R forecast's `BoxCox`: `log x` for `λ = 0`, otherwise
/// `(sign(x) |x|^λ − 1) / λ`; `λ <= 0` needs strictly positive data.
fn box_cox(y: &[f64], lambda: f64) -> Result<Vec<f64>> {
    if !lambda.is_finite() {
        return Err(Error::invalid_parameter("lambda", lambda, "the Box-Cox parameter must be finite"));
    }
    if lambda <= 0.0 {
        crate::series::validate_positive(y, "Box-Cox with lambda <= 0")?;
    }
    Ok(y.iter()
        .map(|&v| if lambda == 0.0 { v.ln() } else { (v.signum() * v.abs().powf(lambda) - 1.0) / lambda })
        .collect())
}

/// Inverse Box-Cox as R forecast's `InvBoxCox` (NaN where R gives NA: beyond `−1/λ` for `λ < 0`).
fn inv_box_cox(x: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        return x.exp();
    }
    if lambda < 0.0 && x > -1.0 / lambda {
        return f64::NAN;
    }
    let v = lambda * x + 1.0;
    v.signum() * v.abs().powf(1.0 / lambda)
}

/// A fitted [`Mstl`]: its decomposition and the model of the seasonally adjusted series.
#[derive(Debug)]
pub struct MstlFit {
    spec: Mstl,
    decomposition: MstlDecomposition,
    trend_model: Box<dyn Fitted>,
    fitted: Vec<f64>,
    data: Vec<f64>,
}

impl MstlFit {
    /// [`Fitted::refilter`] as an [`MstlFit`].
    fn refiltered(&self, y: &[f64]) -> Result<MstlFit> {
        self.refiltered_from(y, self.spec.decompose(y)?)
    }

    /// [`MstlFit::refiltered`] from `decomposition`, that of `y`.
    fn refiltered_from(&self, y: &[f64], decomposition: MstlDecomposition) -> Result<MstlFit> {
        let adjusted = decomposition.seasonally_adjusted();
        let trend = match self.trend_model.refilter(&adjusted) {
            Some(result) => result?,
            None => self.spec.trend_forecaster.fit(&adjusted)?,
        };
        Ok(self.spec.assemble_from(y, decomposition, trend))
    }

    /// The decomposition (components in the Box-Cox scale when `lambda` is set).
    pub fn decomposition(&self) -> &MstlDecomposition {
        &self.decomposition
    }
    /// The periods used, increasing.
    pub fn periods(&self) -> &[usize] {
        &self.decomposition.periods
    }
    /// The periods given but not used, with the reason (e.g. fewer than two full cycles).
    pub fn dropped_periods(&self) -> &[DroppedPeriod] {
        &self.decomposition.dropped
    }
    /// The model fitted to the seasonally adjusted series.
    pub fn trend_model(&self) -> &dyn Fitted {
        self.trend_model.as_ref()
    }

    /// Sum over the seasonal components of their last cycle, repeated over `h` steps.
    fn future_seasonal(&self, h: usize) -> Vec<f64> {
        let d = &self.decomposition;
        let n = d.trend.len();
        let mut out = vec![0.0; h];
        for (p, s) in d.periods.iter().zip(&d.seasonals) {
            for (k, o) in out.iter_mut().enumerate() {
                *o += s[n - p + k % p];
            }
        }
        out
    }

    fn back_transform(&self, v: &mut [f64]) {
        if let Some(lambda) = self.decomposition.lambda {
            for x in v {
                *x = inv_box_cox(*x, lambda);
            }
        }
    }
}

impl Forecaster for Mstl {
    type Model = MstlFit;

    fn fit(&self, y: &[f64]) -> Result<MstlFit> {
        self.fit_with(y, &Control::new())
    }

    /// The decomposition runs whole (a fixed number of loess passes); the model of the seasonally
    /// adjusted series is fitted under `control`.
    fn fit_with(&self, y: &[f64], control: &Control<'_>) -> Result<MstlFit> {
        control.check()?;
        self.assemble(y, |adjusted| self.trend_forecaster.fit_with(adjusted, control))
    }
}

impl Mstl {
    /// Whether `self` and `other` decompose every series identically: they differ at most in
    /// their trend forecaster.
    pub(crate) fn same_decomposition(&self, other: &Mstl) -> bool {
        Mstl { trend_forecaster: other.trend_forecaster.clone(), ..self.clone() } == *other
    }

    /// Fit models that decompose identically ([`Mstl::same_decomposition`] with the first) to
    /// `y`: one decomposition, then each trend forecaster on the seasonally adjusted series, two
    /// AutoETS forecasters sharing their common forms (module `fit_together`). Each fit equals the
    /// model fitted alone.
    pub(crate) fn fit_sharing(specs: &[&Mstl], y: &[f64], control: &Control<'_>) -> Vec<Result<MstlFit>> {
        let Some(first) = specs.first() else { return Vec::new() };
        if let Err(e) = control.check() {
            return specs.iter().map(|_| Err(e.clone())).collect();
        }
        let decomposition = match first.decompose(y) {
            Ok(d) => d,
            Err(e) => return specs.iter().map(|_| Err(e.clone())).collect(),
        };
        let adjusted = decomposition.seasonally_adjusted();
        let trends: Vec<ModelSpec> = specs.iter().map(|s| (*s.trend_forecaster).clone()).collect();
        let trend_fits = super::fit_together::fit_all(&trends, &adjusted, control);
        specs
            .iter()
            .zip(trend_fits)
            .map(|(spec, trend)| Ok(spec.assemble_from(y, decomposition.clone(), trend?)))
            .collect()
    }

    /// The fits of [`Mstl::fit_sharing`] re-filtered over `y` ([`Fitted::refilter`]), with one
    /// decomposition when they decompose identically (each its own otherwise).
    pub(crate) fn refilter_sharing(fits: &[&MstlFit], y: &[f64]) -> Vec<Result<MstlFit>> {
        let Some(first) = fits.first() else { return Vec::new() };
        if !fits.iter().all(|f| first.spec.same_decomposition(&f.spec)) {
            return fits.iter().map(|fit| fit.refiltered(y)).collect();
        }
        match first.spec.decompose(y) {
            Ok(decomposition) => fits.iter().map(|fit| fit.refiltered_from(y, decomposition.clone())).collect(),
            Err(e) => fits.iter().map(|_| Err(e.clone())).collect(),
        }
    }

    /// Decompose `y`, model its seasonally adjusted series with `trend_model`, and assemble the fit.
    fn assemble(&self, y: &[f64], trend_model: impl FnOnce(&[f64]) -> Result<Box<dyn Fitted>>) -> Result<MstlFit> {
        let decomposition = self.decompose(y)?;
        self.assemble_decomposed(y, decomposition, trend_model)
    }

    /// The fit of `y` from its decomposition, the trend model fitted here.
    fn assemble_decomposed(
        &self,
        y: &[f64],
        decomposition: MstlDecomposition,
        trend_model: impl FnOnce(&[f64]) -> Result<Box<dyn Fitted>>,
    ) -> Result<MstlFit> {
        let adjusted = decomposition.seasonally_adjusted();
        let trend_model = trend_model(&adjusted)?;
        Ok(self.assemble_from(y, decomposition, trend_model))
    }

    /// [`Forecaster::fit_with`] given `decomposition`, which must be [`Mstl::decompose`]'s of `y`
    /// (computed once for another purpose, e.g. `AutoModel`'s seasonal strength test).
    pub(crate) fn fit_decomposed(
        &self,
        y: &[f64],
        decomposition: MstlDecomposition,
        control: &Control<'_>,
    ) -> Result<MstlFit> {
        control.check()?;
        self.assemble_decomposed(y, decomposition, |adjusted| self.trend_forecaster.fit_with(adjusted, control))
    }

    /// The fit of `y` from its decomposition and the model of its seasonally adjusted series.
    fn assemble_from(&self, y: &[f64], decomposition: MstlDecomposition, trend_model: Box<dyn Fitted>) -> MstlFit {
        let mut fitted: Vec<f64> = trend_model.fitted_values().to_vec();
        for s in &decomposition.seasonals {
            for (f, v) in fitted.iter_mut().zip(s) {
                *f += v;
            }
        }
        let mut fit = MstlFit { spec: self.clone(), decomposition, trend_model, fitted, data: y.to_vec() };
        let mut fitted = std::mem::take(&mut fit.fitted);
        fit.back_transform(&mut fitted);
        fit.fitted = fitted;
        fit
    }
}

impl Fitted for MstlFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let mut fc = self.trend_model.predict(h, levels)?;
        let seasonal = self.future_seasonal(h);
        let add = |v: &mut Vec<f64>| {
            for (x, s) in v.iter_mut().zip(&seasonal) {
                *x += s;
            }
            self.back_transform(v);
        };
        add(&mut fc.mean);
        for interval in &mut fc.intervals {
            add(&mut interval.lower);
            add(&mut interval.upper);
        }
        Ok(fc)
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        super::response_residuals(&self.data, &self.fitted)
    }

    /// The periods the decomposition dropped ([`MstlFit::dropped_periods`]) and those the model of
    /// the seasonally adjusted series reports.
    fn unused_periods(&self) -> Vec<DroppedPeriod> {
        // Period 1 (no season) and duplicates of a used period are not unused seasons.
        let d = &self.decomposition;
        let dropped = d.dropped.iter().filter(|p| p.period > 1 && !d.periods.contains(&p.period)).cloned().collect();
        merge_unused(dropped, self.trend_model.unused_periods())
    }

    fn description(&self) -> String {
        let periods: Vec<String> = self.decomposition.periods.iter().map(|p| p.to_string()).collect();
        format!("MSTL({}) + {}", periods.join(","), self.trend_model.description())
    }

    /// `y` decomposed afresh (STL is a fixed smoother, not an estimate), and the trend model's
    /// parameters held fixed over the new seasonally adjusted series (refitted when that model has
    /// no fixed-parameter form).
    fn refilter(&self, y: &[f64]) -> Option<Result<Box<dyn Fitted>>> {
        Some(super::fit_together::boxed(self.refiltered(y)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_season_series(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| {
                let t = t as f64;
                100.0
                    + 0.05 * t
                    + 6.0 * (2.0 * std::f64::consts::PI * t / 7.0).sin()
                    + 10.0 * (2.0 * std::f64::consts::PI * t / 30.0).cos()
                    + ((t * 13.0) % 7.0) * 0.2
            })
            .collect()
    }

    #[test]
    fn components_add_up_and_long_periods_are_dropped() {
        let y = two_season_series(100);
        let d = Mstl::new(&[30, 7, 60]).decompose(&y).expect("mstl");
        assert_eq!(d.periods, vec![7, 30]);
        assert_eq!(d.dropped.len(), 1);
        assert_eq!(d.dropped[0].period, 60);
        for (t, v) in y.iter().enumerate() {
            let sum = d.trend[t] + d.seasonals[0][t] + d.seasonals[1][t] + d.remainder[t];
            assert!((sum - v).abs() < 1e-9);
        }
    }

    #[test]
    fn forecast_repeats_the_last_cycles_and_round_trips_json() {
        let y = two_season_series(120);
        let spec = Mstl::new(&[7, 30]).with_trend_forecaster(ModelSpec::Naive(super::super::Naive::new()));
        let fit = spec.fit(&y).expect("fit");
        let fc = fit.predict(37, &[90.0]).expect("predict");
        let d = fit.decomposition();
        let sa = d.seasonally_adjusted();
        let last = sa[119];
        for k in 0..37 {
            let s = d.seasonals[0][120 - 7 + k % 7] + d.seasonals[1][120 - 30 + k % 30];
            assert!((fc.mean[k] - (last + s)).abs() < 1e-9);
            assert!(fc.intervals[0].lower[k] < fc.mean[k]);
        }
        assert_eq!(fit.description(), "MSTL(7,30) + Naive");
        let json = ModelSpec::Mstl(spec.clone()).to_json();
        assert_eq!(ModelSpec::from_json(&json).expect("json"), ModelSpec::Mstl(spec));
        let minimal = ModelSpec::from_json(r#"{"model":"mstl","periods":[7]}"#).expect("defaults");
        assert_eq!(minimal, ModelSpec::Mstl(Mstl::new(&[7])));
    }

    #[test]
    fn box_cox_round_trips_and_trend_only_works() {
        for lambda in [0.0, 0.5, -0.3] {
            for v in [0.5, 3.0, 120.0] {
                let x = box_cox(&[v], lambda).expect("box-cox")[0];
                assert!((inv_box_cox(x, lambda) - v).abs() < 1e-9 * v);
            }
        }
        assert!(matches!(box_cox(&[1.0, 0.0], 0.0), Err(Error::NonPositive { index: 1, .. })));
        let y = two_season_series(40);
        let d = Mstl::new(&[]).decompose(&y).expect("trend only");
        assert!(d.seasonals.is_empty());
        let fit = Mstl::new(&[7]).with_lambda(0.0).fit(&y).expect("log fit");
        let fc = fit.predict(7, &[80.0]).expect("predict");
        assert!(fc.mean.iter().all(|m| m.is_finite() && *m > 0.0));
        assert!(matches!(Mstl::new(&[0]).decompose(&y), Err(Error::InvalidParameter { .. })));
    }

    /// The ensemble's long-season members fitted and backtested together equal each alone.
    #[test]
    fn members_sharing_a_decomposition_equal_members_alone() {
        use crate::models::backtest::{backtest_fitted_together, backtest_fitted_with, BacktestConfig};
        use crate::models::{AutoTheta, ModelSpec};
        let y = two_season_series(200);
        let specs = [
            Mstl::new(&[7, 30]),
            Mstl::new(&[7, 30]).with_trend_forecaster(ModelSpec::AutoEts(
                AutoEts::new(1).with_pattern("ZZN").with_damped(Some(true)).with_parallel(false),
            )),
            Mstl::new(&[7, 30]).with_trend_forecaster(ModelSpec::AutoTheta(AutoTheta::new(1))),
        ];
        assert!(specs[0].same_decomposition(&specs[2]) && !specs[0].same_decomposition(&Mstl::new(&[7])));
        let control = Control::new();
        let refs: Vec<&Mstl> = specs.iter().collect();
        let together: Vec<MstlFit> =
            Mstl::fit_sharing(&refs, &y, &control).into_iter().map(|f| f.expect("fit")).collect();
        for (spec, fit) in specs.iter().zip(&together) {
            assert_eq!(format!("{fit:?}"), format!("{:?}", spec.fit(&y).expect("alone")));
        }
        let fits: Vec<&MstlFit> = together.iter().collect();
        for (fit, refit) in fits.iter().zip(Mstl::refilter_sharing(&fits, &y[..150])) {
            assert_eq!(
                format!("{:?}", refit.expect("refit")),
                format!("{:?}", fit.refiltered(&y[..150]).expect("alone"))
            );
        }
        let model_specs: Vec<ModelSpec> = specs.iter().cloned().map(ModelSpec::Mstl).collect();
        let spec_refs: Vec<&ModelSpec> = model_specs.iter().collect();
        let config = BacktestConfig::new(4, 7, 14).with_season_length(7);
        let refilter_all = |prefix: &[f64]| -> Vec<Result<Box<dyn Fitted>>> {
            Mstl::refilter_sharing(&fits, prefix).into_iter().map(crate::models::fit_together::boxed).collect()
        };
        let shared = backtest_fitted_together(&y, &spec_refs, refilter_all, &config, &control);
        for ((spec, fit), result) in model_specs.iter().zip(&together).zip(shared) {
            let alone = backtest_fitted_with(&y, spec, fit, &config, &control).expect("alone");
            assert_eq!(format!("{:?}", result.expect("shared")), format!("{alone:?}"));
        }
    }
}
