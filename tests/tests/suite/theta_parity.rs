//! `Theta` against R forecast 8.20 `thetaf()` on the 29 public series (each fitted on its training
//! part): mean, 80% and 95% bounds, alpha and drift.
//!
//! Errors are relative to the scale of the series (mean absolute value; the bounds and the drift can be
//! near zero). Achieved: worst 1.4e-14 over all series; asserted below 1e-12.

use forestock::models::{Fitted, Forecaster, Theta};
use forestock_tests::{json_fixture, public_series};
use serde_json::Value;

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

/// Largest relative difference of `ours` from R's `theirs`, on the scale `scale`.
fn worst(ours: &[f64], theirs: &[f64], scale: f64) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter().zip(theirs).map(|(a, b)| (a - b).abs() / scale).fold(0.0, f64::max)
}

#[test]
fn theta_matches_r_thetaf_on_every_public_series() {
    let reference = json_fixture("reference/r_decomposition_theta_public.json");
    let series = public_series();
    assert_eq!(series.len(), 29);
    let (mut worst_mean, mut worst_bounds, mut worst_par) = (0.0f64, 0.0f64, 0.0f64);
    for s in &series {
        let r = &reference["theta"][&s.id];
        assert!(r.is_object(), "{}: no R reference", s.id);
        assert_eq!(r["horizon"].as_u64(), Some(s.horizon as u64));
        let fit = Theta::new(s.season_length).fit(s.train()).expect("fit");
        let fc = fit.predict(s.horizon, &[80.0, 95.0]).expect("predict");
        let scale = s.train().iter().map(|v| v.abs()).sum::<f64>() / s.train().len() as f64;
        let mean = worst(&fc.mean, &numbers(&r["mean"]), scale);
        let bounds = [
            worst(&fc.intervals[0].lower, &numbers(&r["lo80"]), scale),
            worst(&fc.intervals[0].upper, &numbers(&r["hi80"]), scale),
            worst(&fc.intervals[1].lower, &numbers(&r["lo95"]), scale),
            worst(&fc.intervals[1].upper, &numbers(&r["hi95"]), scale),
        ]
        .into_iter()
        .fold(0.0, f64::max);
        let r_alpha = r["alpha"].as_f64().expect("alpha");
        let r_drift = r["drift"].as_f64().expect("drift");
        let par = (fit.alpha() - r_alpha).abs().max((fit.drift() - r_drift).abs() / scale);
        if let Some(sigma2) = r["sigma2"].as_f64() {
            assert!((fit.sigma2() - sigma2).abs() <= 1e-6 * sigma2, "{}: sigma2", s.id);
        }
        println!("{:<28} mean {mean:.2e} bounds {bounds:.2e} alpha/drift {par:.2e}  {}", s.id, fit.description());
        worst_mean = worst_mean.max(mean);
        worst_bounds = worst_bounds.max(bounds);
        worst_par = worst_par.max(par);
    }
    println!("worst: mean {worst_mean:.2e}, bounds {worst_bounds:.2e}, alpha/drift {worst_par:.2e}");
    assert!(worst_mean < 1e-12, "mean {worst_mean:.2e}");
    assert!(worst_bounds < 1e-12, "bounds {worst_bounds:.2e}");
    assert!(worst_par < 1e-12, "alpha/drift {worst_par:.2e}");
}
