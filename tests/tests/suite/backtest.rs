//! Rolling-origin backtests on the public series.
//!
//! - The last window of a backtest is the usual train/test split: with one window of the fixture's
//!   horizon, seasonal naive forecasts equal R forecast 8.20 `snaive()` on every public series, and
//!   the window's errors and MAE follow from R's figures and the held-out data.
//! - A batch over all 29 series plus a broken one (a NaN) with Holt-Winters gives every good series
//!   its result, a typed error naming the broken one, and is identical bit for bit with 1 and 2
//!   threads.

use forestock::backtest::{backtest, backtest_batch, BacktestConfig};
use forestock::models::{HoltWinters, ModelSpec, SeasonalNaive};
use forestock::Error;
use forestock_tests::{json_fixture, public_series};

#[test]
fn last_window_reproduces_r_snaive_and_its_errors() {
    let reference = json_fixture("reference/r_forecast_public.json");
    for s in public_series() {
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(s.season_length));
        let config = BacktestConfig::new(3, 2, s.horizon).with_levels(&[95.0]).with_season_length(s.season_length);
        let result = backtest(&s.y, &spec, &config).expect("backtest");
        let last = result.windows.last().expect("window");
        assert_eq!(last.origin, s.y.len() - s.horizon);
        let r_mean: Vec<f64> =
            reference[&s.id]["snaive"]["mean"].as_array().expect("mean").iter().map(|v| v.as_f64().expect("f64")).collect();
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
    assert!(matches!(&one[3], Err(Error::InSeries { id, source }) if id == "broken" && matches!(**source, Error::NonFinite { index: 7, .. })));
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
