//! Forecasting many series at once, in parallel, with per-series failure isolation.

use rayon::prelude::*;

use super::{DroppedPeriod, Forecast, ModelSpec};
use crate::control::Control;
use crate::error::Result;

/// Fit `spec` on each series and forecast `h` steps with intervals at `levels`, in parallel (rayon).
///
/// The output has one entry per input series, in input order. A series that fails yields an
/// [`crate::Error::InSeries`] naming it; every other series still gets its forecast. The result does
/// not depend on the number of threads. A batch above [`crate::limits::MAX_BATCH_VALUES`] gives
/// every series that limit's error.
///
/// ```
/// use forestock::models::{forecast_batch, AutoEts, ModelSpec};
/// let a: Vec<f64> = (0..36).map(|t| 50.0 + (t % 12) as f64).collect();
/// let series = [("a", a.as_slice()), ("empty", &[][..])];
/// let out = forecast_batch(&series, &ModelSpec::AutoEts(AutoEts::new(12)), 6, &[95.0]);
/// assert_eq!(out[0].as_ref().expect("a forecasts").mean.len(), 6);
/// assert!(out[1].is_err()); // named `empty`; the other series are unaffected
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn forecast_batch(series: &[(&str, &[f64])], spec: &ModelSpec, h: usize, levels: &[f64]) -> Vec<Result<Forecast>> {
    if let Err(e) = crate::limits::check_batch_size(series.len(), h, levels.len()) {
        return series.iter().map(|(id, _)| Err(e.clone().in_series(*id))).collect();
    }
    series.par_iter().map(|(id, y)| spec.forecast(y, h, levels).map_err(|e| e.in_series(*id))).collect()
}

/// [`forecast_batch`] under a [`Control`]: progress is reported per finished series and the whole
/// batch returns [`crate::Error::Cancelled`] once the caller's flag is set. A batch whose forecasts
/// would exceed [`crate::limits::MAX_BATCH_VALUES`] is rejected as a whole before any work.
pub fn forecast_batch_with(
    series: &[(&str, &[f64])],
    spec: &ModelSpec,
    h: usize,
    levels: &[f64],
    control: &Control<'_>,
) -> Result<Vec<Result<Forecast>>> {
    let results = forecast_batch_reporting(series, spec, h, levels, control)?;
    Ok(results.into_iter().map(|r| r.map(|(forecast, _)| forecast)).collect())
}

/// [`forecast_batch_with`], each forecast with the seasonal periods its model did not use
/// ([`crate::models::Fitted::unused_periods`]), so that a caller can report them per series.
#[allow(clippy::type_complexity)]
pub fn forecast_batch_reporting(
    series: &[(&str, &[f64])],
    spec: &ModelSpec,
    h: usize,
    levels: &[f64],
    control: &Control<'_>,
) -> Result<Vec<Result<(Forecast, Vec<DroppedPeriod>)>>> {
    crate::limits::check_batch_size(series.len(), h, levels.len())?;
    let one = |y: &[f64]| -> Result<(Forecast, Vec<DroppedPeriod>)> {
        let fit = spec.fit_with(y, control)?;
        Ok((fit.predict(h, levels)?, fit.unused_periods()))
    };
    let results = series.par_iter().map(|(id, y)| control.run(|| one(y).map_err(|e| e.in_series(*id)))).collect();
    control.finish(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::SeasonalNaive;

    #[test]
    fn one_bad_series_does_not_spoil_the_batch() {
        let good = [1.0, 2.0, 3.0, 4.0, 5.0];
        let bad = [1.0, f64::NAN, 3.0];
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(2));
        let out = forecast_batch(&[("a", &good), ("b", &bad), ("c", &good)], &spec, 2, &[90.0]);
        assert!(out[0].is_ok() && out[2].is_ok());
        let err = out[1].as_ref().expect_err("bad series must fail");
        assert!(err.to_string().starts_with("series `b`"), "{err}");
    }

    #[test]
    fn controlled_batch_reports_progress_and_cancels() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let y = [1.0, 2.0, 3.0, 4.0];
        let series: Vec<(&str, &[f64])> = (0..50).map(|_| ("s", &y[..])).collect();
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(2));
        let max_seen = AtomicUsize::new(0);
        let report = |n: usize| {
            max_seen.fetch_max(n, Ordering::Relaxed);
        };
        let control = Control::new().with_progress(&report);
        let out = forecast_batch_with(&series, &spec, 2, &[], &control).expect("not cancelled");
        assert_eq!(out.len(), 50);
        assert_eq!(max_seen.load(Ordering::Relaxed), 50);

        let flag = AtomicBool::new(true);
        let cancelled = Control::new().with_cancel(&flag);
        let out = forecast_batch_with(&series, &spec, 2, &[], &cancelled);
        assert!(matches!(out, Err(crate::Error::Cancelled)));
        assert_eq!(cancelled.units_done(), 0);
    }
}
