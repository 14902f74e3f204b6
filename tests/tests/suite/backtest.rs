//! Rolling-origin backtests on the public series.
//!
//! - The last window of a backtest is the usual train/test split: with one window of the fixture's
//!   horizon, seasonal naive forecasts equal R forecast 8.20 `snaive()` on every public series, and
//!   the window's errors and MAE follow from R's figures and the held-out data.
//! - A batch over all 29 series plus a broken one (a NaN) with Holt-Winters gives every good series
//!   its result, a typed error naming the broken one, and is identical bit for bit with 1 and 2
//!   threads.
//! - Without refits, a backtest estimates once and re-filters: each model re-filtered over its own
//!   training data reproduces its forecasts, and the later windows are the first window's model
//!   re-filtered ([`forestock::models::Fitted::refilter`]).

use forestock::backtest::{backtest, backtest_batch, backtest_fitted, BacktestConfig};
use forestock::models::{AutoEts, AutoModel, AutoTheta, HoltWinters, ModelSpec, Mstl, SeasonalNaive};
use forestock::Error;
use forestock_tests::{json_fixture, public_long_series, public_series};

#[test]
fn last_window_reproduces_r_snaive_and_its_errors() {
    let reference = json_fixture("reference/r_forecast_public.json");
    for s in public_series() {
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(s.season_length));
        let config = BacktestConfig::new(3, 2, s.horizon).with_levels(&[95.0]).with_season_length(s.season_length);
        let result = backtest(&s.y, &spec, &config).expect("backtest");
        let last = result.windows.last().expect("window");
        assert_eq!(last.origin, s.y.len() - s.horizon);
        let r_mean: Vec<f64> = reference[&s.id]["snaive"]["mean"]
            .as_array()
            .expect("mean")
            .iter()
            .map(|v| v.as_f64().expect("f64"))
            .collect();
        let mut abs_sum = 0.0;
        for (i, ((ours, theirs), actual)) in last.forecast.mean.iter().zip(&r_mean).zip(s.test()).enumerate() {
            assert!((ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0), "{} mean[{i}]", s.id);
            let expected_error = actual - theirs;
            assert!((last.errors[i] - expected_error).abs() <= 1e-9 * actual.abs().max(1.0), "{} error[{i}]", s.id);
            abs_sum += expected_error.abs();
        }
        let mae = abs_sum / s.horizon as f64;
        assert!((last.metrics.mae - mae).abs() <= 1e-9 * mae.max(1.0), "{} MAE", s.id);
        assert_eq!(result.errors_by_step().len(), s.horizon);
        assert!(result.errors_by_step().iter().all(|e| e.len() == 3));
    }
}

#[test]
fn holt_winters_batch_isolates_failures_and_is_thread_independent() {
    let series = public_series();
    let mut broken = series[0].y.clone();
    broken[7] = f64::NAN;
    let mut inputs: Vec<(&str, &[f64])> = series.iter().map(|s| (s.id.as_str(), s.y.as_slice())).collect();
    inputs.insert(3, ("broken", broken.as_slice()));
    let spec = ModelSpec::HoltWinters(HoltWinters::additive(4));
    let config = BacktestConfig::new(4, 3, 8).with_levels(&[80.0, 95.0]).with_season_length(4);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| backtest_batch(&inputs, &spec, &config))
    };
    let (one, two) = (run(1), run(2));
    // Compare rendered results: the broken series' error carries a NaN, which is never == itself.
    assert_eq!(format!("{one:?}"), format!("{two:?}"));
    assert_eq!(one.len(), inputs.len());
    assert!(
        matches!(&one[3], Err(Error::InSeries { id, source }) if id == "broken" && matches!(**source, Error::NonFinite { index: 7, .. }))
    );
    for ((id, _), r) in inputs.iter().zip(&one).filter(|((id, _), _)| *id != "broken") {
        match r {
            Ok(result) => {
                assert_eq!(result.windows.len(), 4);
                assert!(result.metrics.mae.is_finite() && result.metrics.rmse >= result.metrics.mae);
                assert_eq!(result.coverage.len(), 2);
                assert!(result.coverage[1].coverage >= result.coverage[0].coverage);
            }
            Err(other) => panic!("{id}: unexpected {other:?}"),
        }
    }
}

/// The models that hold their parameters fixed over new data (`Fitted::refilter`), on a seasonal
/// monthly series and a two-season daily one.
fn refilterable(periods: &[usize]) -> Vec<ModelSpec> {
    let m = periods[0];
    if periods.len() > 1 {
        return vec![
            ModelSpec::Mstl(Mstl::new(periods)),
            ModelSpec::Mstl(Mstl::new(periods).with_trend_forecaster(ModelSpec::AutoTheta(AutoTheta::new(1)))),
            ModelSpec::AutoModel(AutoModel::new(periods.to_vec())),
        ];
    }
    vec![
        ModelSpec::AutoEts(AutoEts::new(m)),
        ModelSpec::AutoEts(AutoEts::new(m).with_pattern("MAM")),
        ModelSpec::HoltWinters(HoltWinters::additive(m)),
        ModelSpec::HoltWinters(HoltWinters::multiplicative(m)),
        ModelSpec::AutoTheta(AutoTheta::new(m)),
        ModelSpec::AutoModel(AutoModel::new(m)),
    ]
}

fn cases() -> Vec<(Vec<f64>, Vec<usize>)> {
    let air = public_series().into_iter().find(|s| s.id == "datasets.AirPassengers").expect("AirPassengers");
    let daily = public_long_series().into_iter().find(|s| s.id == "synthetic.daily").expect("synthetic.daily");
    vec![(air.train().to_vec(), vec![12]), (daily.train().to_vec(), daily.seasons.clone())]
}

#[test]
fn refiltering_a_fit_over_its_own_data_reproduces_it() {
    for (y, periods) in cases() {
        for spec in refilterable(&periods) {
            let fit = spec.fit(&y).expect("fit");
            let again = fit.refilter(&y).expect("has a fixed-parameter form").expect("refilter");
            let (a, b) = (fit.predict(12, &[80.0, 95.0]).expect("a"), again.predict(12, &[80.0, 95.0]).expect("b"));
            let gap = a.mean.iter().zip(&b.mean).map(|(x, z)| (x - z).abs() / x.abs().max(1.0)).fold(0.0, f64::max);
            assert!(gap < 1e-9, "{}: refiltered forecast moved by {gap:e}", fit.description());
            assert_eq!(fit.description(), again.description());
            let upper = |f: &forestock::models::Forecast| f.intervals[1].upper.clone();
            let gap =
                upper(&a).iter().zip(&upper(&b)).map(|(x, z)| (x - z).abs() / x.abs().max(1.0)).fold(0.0, f64::max);
            assert!(gap < 1e-9, "{}: refiltered 95% bound moved by {gap:e}", fit.description());
        }
    }
}

#[test]
fn a_backtest_without_refits_estimates_once_and_refilters_the_later_windows() {
    for (y, periods) in cases() {
        let m = periods[0];
        for spec in refilterable(&periods) {
            let config = BacktestConfig::new(5, m, 2 * m).with_season_length(periods.clone());
            let refit = backtest(&y, &spec, &config).expect("refit");
            let once = backtest(&y, &spec, &config.clone().with_refit(false)).expect("no refit");
            // The first window is the same fit on the same data.
            assert_eq!(refit.windows[0].errors, once.windows[0].errors, "{}", spec.name());
            // Later windows: the first window's model re-filtered over the longer data.
            let first = spec.fit(&y[..once.windows[0].origin]).expect("fit");
            for w in &once.windows[1..] {
                let model = first.refilter(&y[..w.origin]).expect("refilterable").expect("refilter");
                assert_eq!(model.predict(2 * m, &[]).expect("predict").mean, w.forecast.mean, "{}", spec.name());
            }
            // Re-filtered parameters are older than the origin but were estimated on real data: the
            // errors stay of the refitted ones' size.
            assert!(
                once.metrics.mae < 1.5 * refit.metrics.mae,
                "{}: {} vs {}",
                spec.name(),
                once.metrics.mae,
                refit.metrics.mae
            );
        }
    }
}

#[test]
fn backtest_fitted_scores_the_given_model_from_every_origin() {
    let (y, periods) = cases().remove(0);
    let spec = ModelSpec::AutoEts(AutoEts::new(periods[0]));
    let fit = spec.fit(&y).expect("fit");
    let config = BacktestConfig::new(4, 6, 12).with_season_length(12);
    let result = backtest_fitted(&y, &spec, fit.as_ref(), &config).expect("backtest");
    for w in &result.windows {
        let at_origin = fit.refilter(&y[..w.origin]).expect("refilterable").expect("refilter");
        assert_eq!(at_origin.description(), fit.description(), "the same model at every origin");
        assert_eq!(at_origin.predict(12, &[]).expect("predict").mean, w.forecast.mean);
    }
}
