//! Seasonal naive point forecasts and intervals against R forecast 8.20 `snaive()`.

use forestock::models::{Fitted, Forecaster, SeasonalNaive};
use forestock_tests::{json_fixture, public_series};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-8)
}

#[test]
fn snaive_matches_r_on_every_public_series() {
    let reference = json_fixture("reference/r_forecast_public.json");
    for s in public_series() {
        let r = &reference[&s.id]["snaive"];
        let fc = SeasonalNaive::new(s.season_length)
            .fit(s.train())
            .expect("fit")
            .predict(s.horizon, &[80.0, 95.0])
            .expect("predict");
        let col =
            |k: &str| -> Vec<f64> { r[k].as_array().expect(k).iter().map(|v| v.as_f64().expect("number")).collect() };
        for (i, (ours, theirs)) in fc.mean.iter().zip(col("mean")).enumerate() {
            assert!(close(*ours, theirs, 1e-9), "{} mean[{i}]: {ours} vs {theirs}", s.id);
        }
        for (level, lo, hi) in [(80.0, "lo80", "hi80"), (95.0, "lo95", "hi95")] {
            let iv = fc.interval(level).expect("level");
            for (i, (ours, theirs)) in iv.lower.iter().zip(col(lo)).enumerate() {
                assert!(close(*ours, theirs, 1e-6), "{} {lo}[{i}]: {ours} vs {theirs}", s.id);
            }
            for (i, (ours, theirs)) in iv.upper.iter().zip(col(hi)).enumerate() {
                assert!(close(*ours, theirs, 1e-6), "{} {hi}[{i}]: {ours} vs {theirs}", s.id);
            }
        }
    }
}
