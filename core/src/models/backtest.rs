//! Rolling-origin cross-validation (time-series cross-validation) for any [`ModelSpec`].
//!
//! With `n` observations, `W` windows, step `s` and horizon `H`, window `k = 0..W` trains on the first
//! `o_k = n - H - (W-1-k)·s` observations and forecasts the next `H` (Tashman 2000; Hyndman &
//! Athanasopoulos, *FPP3* §5.10). The last window ends at the last observation. Every window reports
//! its forecast (with intervals at the requested levels), actuals, errors `y - ŷ` and accuracy
//! ([`crate::metrics`]); the aggregate pools all windows' errors (MASE: mean of the windows' MASE,
//! each scaled on its own training data) and reports the empirical coverage of each interval level.
//!
//! By default every window re-estimates the model. With [`BacktestConfig::refit`] `false` the model
//! is estimated once on `y[..o_0]` and each later window re-filters it over `y[..o_k]` with the
//! parameters held fixed (for ETS: one likelihood pass with the same smoothing parameters and
//! initial states), as statsforecast's `cross_validation(refit=False)` does. This is `W` times
//! cheaper for models whose estimation dominates (AutoETS, Holt-Winters, AutoTheta, MSTL); the
//! errors are honest (the parameters never saw a window's test data) but reflect parameters that
//! are older than the origin.
//!
//! Errors per horizon step ([`BacktestResult::errors_by_step`]) are kept for methods built on top
//! (conformal intervals, ensemble weights). Results do not depend on the thread count: windows and
//! series run in parallel (rayon) but each is computed independently and collected in order.
//!
//! ```
//! use forestock::backtest::{backtest, BacktestConfig};
//! use forestock::models::{ModelSpec, Naive};
//! let y = [1.0, 2.0, 4.0, 7.0, 11.0, 16.0];
//! let result = backtest(&y, &ModelSpec::Naive(Naive::new()), &BacktestConfig::new(3, 1, 2))?;
//! assert_eq!(result.windows[0].origin, 2);               // trains on y[..2], forecasts y[2..4]
//! assert_eq!(result.errors_by_step()[0], vec![2.0, 3.0, 4.0]);
//! # Ok::<(), forestock::Error>(())
//! ```

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::control::Control;
use crate::error::{Error, Result};
use crate::metrics::{self, Metric};
use crate::models::{Fitted, Forecast, ModelSpec, Periods};

/// How to cut the series into rolling origins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestConfig {
    /// Number of forecast origins (windows), at least 1.
    pub windows: usize,
    /// Periods between consecutive origins, at least 1.
    pub step: usize,
    /// Forecast horizon of each window, at least 1.
    pub horizon: usize,
    /// Prediction-interval levels in percent (may be empty).
    #[serde(default)]
    pub levels: Vec<f64>,
    /// Seasonal period(s) of the data; the shortest sets the MASE scale (seasonal naive in-sample
    /// error); 1 = naive.
    #[serde(default)]
    pub season_length: Periods,
    /// Re-estimate the model at every origin (default). When `false`, the model is estimated once,
    /// on the first window's training data, and every later window re-filters it over its longer
    /// training data with the parameters held fixed ([`crate::models::Fitted::refilter`];
    /// statsforecast's `refit=False`): one estimation in all instead of one per window. Models
    /// without a fixed-parameter form are refitted either way.
    #[serde(default = "refit_by_default")]
    pub refit: bool,
}

fn refit_by_default() -> bool {
    true
}

impl BacktestConfig {
    /// `windows` origins `step` apart, forecasting `horizon` steps, no intervals, MASE scale `m = 1`.
    pub fn new(windows: usize, step: usize, horizon: usize) -> Self {
        BacktestConfig { windows, step, horizon, levels: Vec::new(), season_length: Periods::none(), refit: true }
    }

    /// Re-estimate at every origin (`true`, the default) or estimate once and re-filter (`false`;
    /// see [`BacktestConfig::refit`]).
    pub fn with_refit(mut self, refit: bool) -> Self {
        self.refit = refit;
        self
    }

    /// Also compute prediction intervals (and their coverage) at these levels.
    pub fn with_levels(mut self, levels: &[f64]) -> Self {
        self.levels = levels.to_vec();
        self
    }

    /// Use the seasonal naive scale of this period (the shortest of several) for MASE.
    pub fn with_season_length(mut self, season_length: impl Into<Periods>) -> Self {
        self.season_length = season_length.into();
        self
    }

    /// Training lengths `o_0 < … < o_{W-1}` of the windows for a series of `n` observations.
    ///
    /// Errors name the offending field: `windows`, `step`, `horizon`, `levels`, `season_length`, or
    /// `windows` again when the windows need more observations than the series has.
    pub fn origins(&self, n: usize) -> Result<Vec<usize>> {
        for (name, value) in [("windows", self.windows), ("step", self.step), ("horizon", self.horizon)] {
            if value == 0 {
                return Err(Error::invalid_parameter(name, value, "must be at least 1"));
            }
        }
        crate::series::validate_levels(&self.levels).map_err(|_| {
            Error::invalid_parameter(
                "levels",
                format!("{:?}", self.levels),
                "each level must be strictly between 0 and 100",
            )
        })?;
        self.season_length.normalized()?;
        let span = (self.windows - 1).saturating_mul(self.step).saturating_add(self.horizon);
        if span >= n {
            return Err(Error::invalid_parameter(
                "windows",
                self.windows,
                format!(
                    "{} windows of horizon {} with step {} need at least {} observations, the series has {n}",
                    self.windows,
                    self.horizon,
                    self.step,
                    span.saturating_add(1)
                ),
            ));
        }
        Ok((0..self.windows).map(|k| n - self.horizon - (self.windows - 1 - k) * self.step).collect())
    }
}

/// Accuracy of a set of forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracySummary {
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// MAPE in percent; `None` when every actual is zero.
    pub mape: Option<f64>,
    /// Number of zero actuals MAPE skipped.
    pub mape_skipped: usize,
    /// sMAPE (M4), in `[0, 200]`.
    pub smape: f64,
    /// MASE; `None` when the in-sample scale is zero or the training data is too short for it.
    pub mase: Option<f64>,
    /// Mean error `mean(y - ŷ)`.
    pub bias: f64,
}

impl AccuracySummary {
    /// The figure of `metric` (`None` where it is undefined: MASE with a zero in-sample scale,
    /// MAPE on all-zero actuals). MSE is RMSE squared.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Mae => Some(self.mae),
            Metric::Mse => Some(self.rmse * self.rmse),
            Metric::Rmse => Some(self.rmse),
            Metric::Mape => self.mape,
            Metric::Smape => Some(self.smape),
            Metric::Mase => self.mase,
        }
    }
}

/// Empirical coverage of one interval level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalCoverage {
    /// Nominal level in percent.
    pub level: f64,
    /// Fraction of actuals inside `[lower, upper]`.
    pub coverage: f64,
}

/// One forecast origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestWindow {
    /// Training length: the model saw `y[..origin]` and forecast `y[origin..origin + horizon]`.
    pub origin: usize,
    /// The forecast with its intervals.
    pub forecast: Forecast,
    /// The held-out actuals.
    pub actual: Vec<f64>,
    /// Errors `actual - mean`, per horizon step.
    pub errors: Vec<f64>,
    /// Accuracy of this window.
    pub metrics: AccuracySummary,
}

/// The outcome of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestResult {
    /// Windows in chronological order of their origin.
    pub windows: Vec<BacktestWindow>,
    /// Accuracy over all windows.
    pub metrics: AccuracySummary,
    /// Coverage of each requested interval level over all windows.
    pub coverage: Vec<IntervalCoverage>,
}

impl BacktestResult {
    /// Errors grouped by horizon step: element `h-1` holds the `h`-step errors of every window.
    pub fn errors_by_step(&self) -> Vec<Vec<f64>> {
        let horizon = self.windows.first().map_or(0, |w| w.errors.len());
        (0..horizon).map(|i| self.windows.iter().filter_map(|w| w.errors.get(i).copied()).collect()).collect()
    }

    /// Every error of every window, window by window.
    pub fn all_errors(&self) -> Vec<f64> {
        self.windows.iter().flat_map(|w| w.errors.iter().copied()).collect()
    }
}

fn summarise(actual: &[f64], mean: &[f64], mase: Option<f64>) -> Result<AccuracySummary> {
    let mape = metrics::mape(actual, mean).ok();
    Ok(AccuracySummary {
        mae: metrics::mae(actual, mean)?,
        rmse: metrics::rmse(actual, mean)?,
        mape: mape.map(|m| m.value),
        mape_skipped: mape.map_or(actual.len(), |m| m.skipped),
        smape: metrics::smape(actual, mean)?,
        mase,
        bias: metrics::bias(actual, mean)?,
    })
}

/// Score the forecast `model` makes from `origin` (it was trained on `y[..origin]`).
fn score_window(
    y: &[f64],
    origin: usize,
    model: &dyn Fitted,
    spec: &ModelSpec,
    config: &BacktestConfig,
) -> Result<BacktestWindow> {
    let train = &y[..origin];
    let actual = y[origin..origin + config.horizon].to_vec();
    let forecast = model.predict(config.horizon, &config.levels)?;
    if let Some((i, v)) = forecast.mean.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::FitFailed {
            model: spec.name().to_string(),
            reason: format!("non-finite forecast {v} at step {} from origin {origin}", i + 1),
        });
    }
    let errors: Vec<f64> = actual.iter().zip(&forecast.mean).map(|(a, f)| a - f).collect();
    let mase = metrics::mase(&actual, &forecast.mean, train, config.season_length.shortest()).ok();
    let metrics = summarise(&actual, &forecast.mean, mase)?;
    Ok(BacktestWindow { origin, forecast, actual, errors, metrics })
}

/// The windows' forecasts: a fit per origin, or (without refits) one fit on the first window's
/// training data re-filtered over each later window's. Every fit runs under `control`.
fn run_windows(
    y: &[f64],
    origins: &[usize],
    spec: &ModelSpec,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Result<Vec<BacktestWindow>> {
    if config.refit {
        return origins
            .par_iter()
            .map(|&o| score_window(y, o, spec.fit_with(&y[..o], control)?.as_ref(), spec, config))
            .collect();
    }
    let Some((&first_origin, later)) = origins.split_first() else {
        return Ok(Vec::new());
    };
    // The first window is the fit itself; only the later ones are re-filtered.
    let first = spec.fit_with(&y[..first_origin], control)?;
    let mut windows = vec![score_window(y, first_origin, first.as_ref(), spec, config)?];
    windows.extend(refiltered_windows(y, later, spec, first.as_ref(), config, control)?);
    Ok(windows)
}

/// `model` re-filtered over `y[..o]` for every origin `o` (refitted from `spec` when the model has
/// no fixed-parameter form), each scored on the `horizon` points after its origin.
fn refiltered_windows(
    y: &[f64],
    origins: &[usize],
    spec: &ModelSpec,
    model: &dyn Fitted,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Result<Vec<BacktestWindow>> {
    let refilter = |prefix: &[f64]| {
        vec![match model.refilter(prefix) {
            Some(result) => result,
            None => spec.fit_with(prefix, control),
        }]
    };
    let mut windows = windows_together(y, origins, &[spec], refilter, config, control);
    windows.pop().unwrap_or(Ok(Vec::new()))
}

/// For each of `specs`, its windows at every origin `o`: `refilter_all(&y[..o])` gives every
/// model at the origin, in the order of `specs`, each scored on the `horizon` points after it. A
/// model that fails at an origin fails alone.
fn windows_together(
    y: &[f64],
    origins: &[usize],
    specs: &[&ModelSpec],
    refilter_all: impl Fn(&[f64]) -> Vec<Result<Box<dyn Fitted>>> + Sync,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Vec<Result<Vec<BacktestWindow>>> {
    let by_origin: Vec<Vec<Result<BacktestWindow>>> = origins
        .par_iter()
        .map(|&o| match control.check() {
            Err(e) => specs.iter().map(|_| Err(e.clone())).collect(),
            Ok(()) => refilter_all(&y[..o])
                .into_iter()
                .zip(specs)
                .map(|(at_origin, spec)| score_window(y, o, at_origin?.as_ref(), spec, config))
                .collect(),
        })
        .collect();
    let mut per_model: Vec<Vec<Result<BacktestWindow>>> = specs.iter().map(|_| Vec::new()).collect();
    for windows in by_origin {
        for (list, window) in per_model.iter_mut().zip(windows) {
            list.push(window);
        }
    }
    per_model.into_iter().map(|windows| windows.into_iter().collect()).collect()
}

/// Rolling-origin backtest of `spec` on `y` (module docs).
///
/// ```
/// use forestock::backtest::{backtest, BacktestConfig};
/// use forestock::models::{ModelSpec, SeasonalNaive};
/// let y: Vec<f64> = (0..60).map(|t| 100.0 + 10.0 * ((t % 12) as f64)).collect();
/// // 3 origins one season apart, forecasting 6 steps from each; MASE scaled by the lag-12 errors.
/// let config = BacktestConfig::new(3, 12, 6).with_season_length(12);
/// let result = backtest(&y, &ModelSpec::SeasonalNaive(SeasonalNaive::new(12)), &config)?;
/// assert_eq!(result.windows.len(), 3);
/// assert_eq!(result.metrics.mae, 0.0); // a pure season: seasonal naive is exact
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn backtest(y: &[f64], spec: &ModelSpec, config: &BacktestConfig) -> Result<BacktestResult> {
    backtest_with(y, spec, config, &Control::new())
}

/// [`backtest`] whose fits run under `control` ([`crate::models::Forecaster::fit_with`]).
pub fn backtest_with(
    y: &[f64],
    spec: &ModelSpec,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Result<BacktestResult> {
    crate::series::validate_finite(y, 1, "backtest")?;
    let origins = config.origins(y.len())?;
    let windows = run_windows(y, &origins, spec, config, control)?;
    summarise_windows(windows, config)
}

/// The errors that `model`, already estimated on `y` (from `spec`), makes from each origin of
/// `config` when re-filtered there ([`crate::models::Fitted::refilter`]): its states use only the
/// data before the origin, but its parameters were estimated on all of `y`, so the errors are
/// in-sample multi-step errors, slightly optimistic for a new series. `config.refit` is ignored.
///
/// This scores the very models that will forecast, at the cost of re-filtering only; the
/// [`crate::models::ensemble::Ensemble`] weights its members and calibrates its intervals this way by
/// default. For an honest out-of-sample estimate use [`backtest`].
pub fn backtest_fitted(
    y: &[f64],
    spec: &ModelSpec,
    model: &dyn Fitted,
    config: &BacktestConfig,
) -> Result<BacktestResult> {
    backtest_fitted_with(y, spec, model, config, &Control::new())
}

/// [`backtest_fitted`] under `control` (checked per window, and by any refit it needs).
pub fn backtest_fitted_with(
    y: &[f64],
    spec: &ModelSpec,
    model: &dyn Fitted,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Result<BacktestResult> {
    crate::series::validate_finite(y, 1, "backtest")?;
    let origins = config.origins(y.len())?;
    let windows = refiltered_windows(y, &origins, spec, model, config, control)?;
    summarise_windows(windows, config)
}

/// [`backtest_fitted_with`] for several fitted models at once: `refilter_all(prefix)` gives every
/// model re-filtered over `prefix`, in the order of `specs` (e.g. MSTL fits sharing one
/// decomposition per origin). One result per model; a model that fails at an origin fails alone.
pub(crate) fn backtest_fitted_together(
    y: &[f64],
    specs: &[&ModelSpec],
    refilter_all: impl Fn(&[f64]) -> Vec<Result<Box<dyn Fitted>>> + Sync,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Vec<Result<BacktestResult>> {
    let origins = match crate::series::validate_finite(y, 1, "backtest").and_then(|()| config.origins(y.len())) {
        Ok(origins) => origins,
        Err(e) => return specs.iter().map(|_| Err(e.clone())).collect(),
    };
    windows_together(y, &origins, specs, refilter_all, config, control)
        .into_iter()
        .map(|windows| summarise_windows(windows?, config))
        .collect()
}

/// Pooled accuracy and interval coverage of the windows.
fn summarise_windows(windows: Vec<BacktestWindow>, config: &BacktestConfig) -> Result<BacktestResult> {
    let actual: Vec<f64> = windows.iter().flat_map(|w| w.actual.iter().copied()).collect();
    let mean: Vec<f64> = windows.iter().flat_map(|w| w.forecast.mean.iter().copied()).collect();
    let window_mase: Option<Vec<f64>> = windows.iter().map(|w| w.metrics.mase).collect();
    let mase = window_mase.map(|v| v.iter().sum::<f64>() / v.len() as f64);
    let metrics = summarise(&actual, &mean, mase)?;
    let coverage = config
        .levels
        .iter()
        .map(|&level| {
            let (mut inside, mut total) = (0usize, 0usize);
            for w in &windows {
                if let Some(iv) = w.forecast.interval(level) {
                    for ((a, lo), hi) in w.actual.iter().zip(&iv.lower).zip(&iv.upper) {
                        total += 1;
                        inside += usize::from(lo <= a && a <= hi);
                    }
                }
            }
            IntervalCoverage { level, coverage: if total == 0 { f64::NAN } else { inside as f64 / total as f64 } }
        })
        .collect();
    Ok(BacktestResult { windows, metrics, coverage })
}

/// [`backtest`] over many series in parallel; one result per series, in input order. A failing
/// series yields [`Error::InSeries`] naming it and does not affect the others.
pub fn backtest_batch(
    series: &[(&str, &[f64])],
    spec: &ModelSpec,
    config: &BacktestConfig,
) -> Vec<Result<BacktestResult>> {
    series.par_iter().map(|(id, y)| backtest(y, spec, config).map_err(|e| e.in_series(*id))).collect()
}

/// [`backtest_batch`] under a [`Control`]: progress per finished series, [`Error::Cancelled`] once
/// the caller's flag is set (checked before each series and inside each fit).
pub fn backtest_batch_with(
    series: &[(&str, &[f64])],
    spec: &ModelSpec,
    config: &BacktestConfig,
    control: &Control<'_>,
) -> Result<Vec<Result<BacktestResult>>> {
    let results = series
        .par_iter()
        .map(|(id, y)| control.run(|| backtest_with(y, spec, config, control).map_err(|e| e.in_series(*id))))
        .collect();
    control.finish(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CrostonClassic, Naive, SeasonalNaive};
    use proptest::prelude::*;

    #[test]
    fn every_metric_reads_its_figure_from_the_summary() {
        let y = [1.0, 2.0, 4.0, 7.0, 11.0, 16.0];
        let m = backtest(&y, &ModelSpec::Naive(Naive::new()), &BacktestConfig::new(3, 1, 2)).expect("backtest").metrics;
        let by_name: Vec<(&str, Option<f64>)> =
            [Metric::Mae, Metric::Mse, Metric::Rmse, Metric::Mape, Metric::Smape, Metric::Mase]
                .into_iter()
                .map(|k| (k.as_str(), m.get(k)))
                .collect();
        let expected = [
            ("mae", Some(m.mae)),
            ("mse", Some(m.rmse * m.rmse)),
            ("rmse", Some(m.rmse)),
            ("mape", m.mape),
            ("smape", Some(m.smape)),
            ("mase", m.mase),
        ];
        assert_eq!(by_name, expected);
        for (name, _) in expected {
            let parsed: Metric = serde_json::from_value(serde_json::json!(name)).expect("name");
            assert_eq!(parsed.as_str(), name);
        }
    }

    #[test]
    fn naive_backtest_by_hand() {
        let y = [1.0, 2.0, 4.0, 7.0, 11.0, 16.0];
        let spec = ModelSpec::Naive(Naive::new());
        let r = backtest(&y, &spec, &BacktestConfig::new(3, 1, 2)).expect("backtest");
        assert_eq!(r.windows.iter().map(|w| w.origin).collect::<Vec<_>>(), vec![2, 3, 4]);
        // origin 2: last 2 -> errors 2, 5; origin 3: last 4 -> 3, 7; origin 4: last 7 -> 4, 9
        assert_eq!(r.errors_by_step(), vec![vec![2.0, 3.0, 4.0], vec![5.0, 7.0, 9.0]]);
        assert_eq!(r.metrics.mae, 30.0 / 6.0);
        assert_eq!(r.metrics.bias, 5.0);
        // window 0: scale on [1, 2] = 1, MAE 3.5 -> MASE 3.5
        assert_eq!(r.windows[0].metrics.mase, Some(3.5));
    }

    #[test]
    fn configuration_errors_name_the_field() {
        let y = [1.0; 10];
        let spec = ModelSpec::Naive(Naive::new());
        let field = |c: BacktestConfig| match backtest(&y, &spec, &c) {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(field(BacktestConfig::new(0, 1, 1)), "windows");
        assert_eq!(field(BacktestConfig::new(1, 0, 1)), "step");
        assert_eq!(field(BacktestConfig::new(1, 1, 0)), "horizon");
        assert_eq!(field(BacktestConfig::new(5, 2, 2)), "windows");
        assert_eq!(field(BacktestConfig::new(1, 1, 1).with_levels(&[120.0])), "levels");
        assert!(backtest(&y, &spec, &BacktestConfig::new(4, 2, 2)).is_ok());
    }

    #[test]
    fn batch_isolates_failures_and_keeps_order() {
        let good: Vec<f64> = (0..30).map(|t| ((t * 37) % 11) as f64).collect();
        let bad = [1.0, -3.0, 2.0, 0.0, 5.0, 1.0, 0.0, 2.0];
        let spec = ModelSpec::CrostonClassic(CrostonClassic::new());
        let config = BacktestConfig::new(3, 1, 2).with_levels(&[90.0]);
        let out = backtest_batch(&[("a", &good), ("b", &bad), ("c", &good[..4])], &spec, &config);
        assert!(out[0].is_ok());
        assert!(matches!(&out[1], Err(Error::InSeries { id, .. }) if id == "b"));
        assert!(
            matches!(&out[2], Err(Error::InSeries { id, source }) if id == "c" && matches!(**source, Error::InvalidParameter { .. }))
        );
        let cov = &out[0].as_ref().expect("ok").coverage[0];
        assert!((0.0..=1.0).contains(&cov.coverage));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn backtest_is_deterministic(y in proptest::collection::vec(0.0f64..100.0, 20..60), step in 1usize..4) {
            let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(4));
            let config = BacktestConfig::new(3, step, 3).with_levels(&[80.0]).with_season_length(4);
            let a = backtest(&y, &spec, &config).expect("ok");
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("ok");
            let b = pool.install(|| backtest(&y, &spec, &config)).expect("ok");
            prop_assert_eq!(serde_json::to_string(&a).expect("ok"), serde_json::to_string(&b).expect("ok"));
            prop_assert_eq!(a.all_errors().len(), 9);
        }
    }
}
