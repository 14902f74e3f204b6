//! Holt-Winters against R 4.2.2 `stats::HoltWinters` on every seasonal public series (21 series,
//! additive and multiplicative: 42 fits).
//!
//! 1. Given R's alpha/beta/gamma, forestock reproduces R's coefficients, SSE and mean forecasts to 1e-6
//!    relative (the filter and start values are the same computation).
//! 2. With the parameters estimated, forestock's SSE is within 1e-4 relative of R's or lower (a better
//!    optimum than R's L-BFGS-B found); where the SSE agrees, forecasts agree to 5e-3 relative (flat SSE surfaces,
//!    e.g. ldeaths, let slightly different parameters reach the same SSE).

use forestock::models::{Fitted, Forecaster, HoltWinters, Seasonality};
use forestock_tests::{json_fixture, public_series, PublicSeries};
use serde_json::Value;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-8)
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn cases() -> Vec<(PublicSeries, Seasonality, Value)> {
    let reference = json_fixture("reference/r_forecast_public.json");
    let mut out = Vec::new();
    for s in public_series().into_iter().filter(|s| s.season_length > 1) {
        for (name, kind) in [("additive", Seasonality::Additive), ("multiplicative", Seasonality::Multiplicative)] {
            let r = reference[&s.id]["holtwinters"][name].clone();
            assert!(r.is_object(), "{} {name}: no R reference", s.id);
            out.push((s.clone(), kind, r));
        }
    }
    out
}

fn r_coefficients(r: &Value, m: usize) -> (f64, f64, Vec<f64>) {
    let c = &r["coefficients"];
    let s = (1..=m).map(|j| c[format!("s{j}")].as_f64().expect("s_j")).collect();
    (c["a"].as_f64().expect("a"), c["b"].as_f64().expect("b"), s)
}

#[test]
fn r_parameters_reproduce_r_coefficients_sse_and_forecasts() {
    let cases = cases();
    assert_eq!(cases.len(), 42);
    let mut worst = 0.0f64;
    for (s, kind, r) in &cases {
        let p = |k: &str| r[k].as_f64().expect(k);
        let fit = HoltWinters::new(s.season_length, *kind)
            .with_alpha(p("alpha"))
            .with_beta(p("beta"))
            .with_gamma(p("gamma"))
            .fit(s.train())
            .expect("fit");
        let (a, b, seas) = r_coefficients(r, s.season_length);
        let c = fit.coefficients();
        // The trend can be ~0; compare it on the scale of the level.
        let checks = [("a", rel(c.a, a)), ("b", (c.b - b).abs() / a.abs()), ("SSE", rel(fit.sse(), p("SSE")))];
        for (name, e) in checks {
            assert!(e < 1e-6, "{} {kind:?} {name}: rel err {e}", s.id);
            worst = worst.max(e);
        }
        for (j, (ours, theirs)) in c.s.iter().zip(&seas).enumerate() {
            let e = (ours - theirs).abs() / theirs.abs().max((1e-3 * a.abs()).clamp(1e-8, 1e-3));
            assert!(e < 1e-6, "{} {kind:?} s{}: {ours} vs {theirs}", s.id, j + 1);
            worst = worst.max(e);
        }
        let fc = fit.predict(s.horizon, &[]).expect("predict");
        for (i, (ours, theirs)) in fc.mean.iter().zip(numbers(&r["mean"])).enumerate() {
            let e = rel(*ours, theirs);
            assert!(e < 1e-6, "{} {kind:?} mean[{i}]: {ours} vs {theirs}", s.id);
            worst = worst.max(e);
        }
    }
    println!("given R's parameters: worst relative error over 42 fits = {worst:.3e}");
}

#[test]
fn estimated_parameters_reach_r_sse_or_better() {
    let (mut matched, mut better, mut not_above, mut worse) = (0, 0, 0, Vec::new());
    let mut worst_forecast = 0.0f64;
    for (s, kind, r) in cases() {
        let fit = HoltWinters::new(s.season_length, kind).fit(s.train()).expect("fit");
        let r_sse = r["SSE"].as_f64().expect("SSE");
        let e = (fit.sse() - r_sse) / r_sse;
        println!(
            "{:28} {:14} SSE ours {:.8e} R {:.8e} rel {:+.2e}  (a,b,g) ours ({:.4},{:.4},{:.4}) R ({:.4},{:.4},{:.4})",
            s.id,
            format!("{kind:?}"),
            fit.sse(),
            r_sse,
            e,
            fit.alpha(),
            fit.beta(),
            fit.gamma(),
            r["alpha"].as_f64().unwrap_or(f64::NAN),
            r["beta"].as_f64().unwrap_or(f64::NAN),
            r["gamma"].as_f64().unwrap_or(f64::NAN)
        );
        if e <= 0.0 {
            not_above += 1;
        }
        if e.abs() <= 1e-4 {
            matched += 1;
            let fc = fit.predict(s.horizon, &[]).expect("predict");
            for (ours, theirs) in fc.mean.iter().zip(numbers(&r["mean"])) {
                worst_forecast = worst_forecast.max(rel(*ours, theirs));
            }
        } else if e < 0.0 {
            better += 1;
        } else {
            worse.push(format!("{} {kind:?}: {e:+.3e}", s.id));
        }
    }
    println!(
        "SSE within 1e-4 of R: {matched}; lower than R by more than 1e-4: {better}; worse: {}; at or below R's SSE: {not_above}/42",
        worse.len()
    );
    println!("worst mean-forecast relative difference where SSE matches: {worst_forecast:.3e}");
    assert!(worse.is_empty(), "SSE worse than R: {worse:?}");
    assert!(worst_forecast < 5e-3, "forecasts differ by {worst_forecast}");
}
