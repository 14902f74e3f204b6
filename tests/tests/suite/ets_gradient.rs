//! The gradient-based ETS optimiser (`EtsOptimizer::Lbfgs`) against R forecast 8.20
//! (`tests/fixtures/reference/r_forecast_public.json`) and against the exact search
//! (`EtsOptimizer::NelderMeadR`). Thresholds are what was measured, with a small margin.

use forestock::models::ets::{AutoEts, Ets, EtsOptimizer, EtsSpec, SeasonType};
use forestock::models::{Fitted, Forecaster};
use forestock_tests::{json_fixture, public_series};

/// MASE with the in-sample seasonal naive scale (M4 definition), as in `ets_parity`.
fn mase(train: &[f64], test: &[f64], fc: &[f64], m: usize) -> f64 {
    let m = if train.len() > m { m } else { 1 };
    let scale: f64 = (m..train.len()).map(|t| (train[t] - train[t - m]).abs()).sum::<f64>() / (train.len() - m) as f64;
    test.iter().zip(fc).map(|(a, f)| (a - f).abs()).sum::<f64>() / test.len() as f64 / scale
}

/// The 363 fixed-model fits of the reference file with `optimizer`: (fits reaching R's
/// log-likelihood − 1e-3, total, worst difference, the misses).
fn fixed_fits(optimizer: EtsOptimizer) -> (usize, usize, f64, Vec<String>) {
    let refs = json_fixture("reference/r_forecast_public.json");
    let (mut total, mut reached) = (0usize, 0usize);
    let mut worst = f64::INFINITY;
    let mut misses = Vec::new();
    for s in public_series() {
        let fixed = refs[&s.id]["fixed"].as_object().expect("fixed");
        for (code, model) in fixed {
            let spec = EtsSpec::parse(code).expect("spec");
            let m = if spec.season == SeasonType::None { 1 } else { s.season_length };
            let fit = Ets::new(code, m).expect("model").with_optimizer(optimizer).fit(s.train());
            let fit = fit.unwrap_or_else(|e| panic!("{} {code}: {e}", s.id));
            let r = model["loglik"].as_f64().expect("loglik");
            let d = fit.loglik() - r;
            total += 1;
            worst = worst.min(d);
            if d >= -1e-3 {
                reached += 1;
            } else {
                misses.push(format!("{} {code}: {d:.4}", s.id));
            }
        }
    }
    println!("{optimizer:?}: {reached}/{total} fixed fits reach R's loglik − 1e-3; worst Δloglik {worst:.4}");
    println!("misses: {}", misses.join(", "));
    (reached, total, worst, misses)
}

/// Log-likelihood at least R's − 1e-3. Measured (2026-12-02, again 2026-12-03 with the reverse-mode
/// gradient): 348 of 363 (95.9%); the misses are other local optima (e.g. fpp2.qgas MNA), which
/// R's Nelder-Mead escapes with its large first simplex.
#[test]
fn lbfgs_fixed_fits_reach_r_loglik() {
    let (reached, total, _, _) = fixed_fits(EtsOptimizer::Lbfgs);
    assert_eq!(total, 363);
    assert!(reached >= 346, "only {reached}/{total}");
}

/// The default hybrid: the seasonal forms by the gradient, the non-seasonal ones by R's search
/// stopped at a coarse tolerance and polished by the gradient. Measured (2026-12-03): 350 of 363
/// (96.4%). Before the polish (every non-seasonal form by R's full search) 354; the polish misses
/// four damped non-seasonal fits by 0.0025 to 0.027 (fpp2.a10, fpp2.h02 and JohnsonJohnson AAdN,
/// fpp2.qgas MAdN), where tighter stopping rules of the polish change nothing.
#[test]
fn hybrid_fixed_fits_reach_r_loglik() {
    let (reached, total, _, misses) = fixed_fits(EtsOptimizer::Hybrid);
    assert_eq!(total, 363);
    assert!(reached >= 349, "only {reached}/{total}");
    // Each miss reads "<series> <code>: <difference>": a non-seasonal one must be a near miss.
    let far_non_seasonal = |miss: &&String| {
        let mut words = miss.split(' ');
        let code = words.nth(1).expect("code").trim_end_matches(':');
        let d: f64 = words.next().expect("difference").parse().expect("number");
        EtsSpec::parse(code).expect("spec").season == SeasonType::None && d < -0.05
    };
    let far: Vec<&String> = misses.iter().filter(far_non_seasonal).collect();
    assert!(far.is_empty(), "a non-seasonal form missed R's fit by more than 0.05: {far:?}");
}

/// AutoETS with `optimizer` on the 29 public series: (R's model count, mean MASE, mean MASE of the
/// exact search).
fn auto_ets_accuracy(optimizer: EtsOptimizer) -> (usize, f64, f64) {
    let refs = json_fixture("reference/r_forecast_public.json");
    let series = public_series();
    let (mut exact_total, mut fast_total, mut same_as_r) = (0.0, 0.0, 0usize);
    for s in &series {
        let exact =
            AutoEts::new(s.season_length).with_optimizer(EtsOptimizer::NelderMeadR).fit(s.train()).expect("exact");
        let fast = AutoEts::new(s.season_length).with_optimizer(optimizer).fit(s.train()).expect("fast");
        let fe = exact.predict(s.horizon, &[]).expect("predict");
        let ff = fast.predict(s.horizon, &[]).expect("predict");
        let (me, mf) = (
            mase(s.train(), s.test(), &fe.mean, s.season_length),
            mase(s.train(), s.test(), &ff.mean, s.season_length),
        );
        exact_total += me;
        fast_total += mf;
        let r_method = refs[&s.id]["auto"]["method"].as_str().expect("method");
        same_as_r += usize::from(fast.method() == r_method);
        println!("{:<26} {:>14} {:>14} {me:>8.4} {mf:>8.4}", s.id, exact.method(), fast.method());
    }
    let n = series.len() as f64;
    println!(
        "{optimizer:?} AutoETS: R's model on {same_as_r}/{}; mean MASE {:.4} vs exact {:.4} ({:+.2}%)",
        series.len(),
        fast_total / n,
        exact_total / n,
        100.0 * (fast_total / exact_total - 1.0)
    );
    (same_as_r, fast_total / n, exact_total / n)
}

/// AutoETS with the gradient optimiser on the 29 public series: mean MASE against the exact search.
/// Measured (2026-12-02): R's model on 24 of 29, mean MASE 1.1882 against 1.2282 (−3.26%).
#[test]
fn lbfgs_auto_ets_accuracy_on_public_series() {
    let (same_as_r, fast, exact) = auto_ets_accuracy(EtsOptimizer::Lbfgs);
    assert!(same_as_r >= 23, "R's model on only {same_as_r}");
    assert!(fast / exact <= 0.975, "mean MASE ratio to the exact search {}", fast / exact);
}

/// AutoETS with the default hybrid optimiser (the gradient for seasonal forms, Nelder-Mead polished
/// by the gradient for non-seasonal ones) on the 29 public series. Measured (2026-12-03): R's model
/// on 24 of 29, mean MASE 1.1882 against 1.2282 (−3.26%; issue 12 admits a default within +0.5%).
/// Before the polish: 25 of 29, 1.2009.
#[test]
fn hybrid_auto_ets_accuracy_on_public_series() {
    let (same_as_r, fast, exact) = auto_ets_accuracy(EtsOptimizer::Hybrid);
    assert!(same_as_r >= 23, "R's model on only {same_as_r}");
    assert!(fast / exact <= 0.970, "mean MASE ratio to the exact search {}", fast / exact);
}

/// AutoETS at rolling origins of the 29 public series (training lengths from two cycles plus two
/// points, stepping two cycles; 15 points stepping 10 for yearly data; forecast `horizon` ahead):
/// each optimiser's mean MASE per series over its origins, relative to the exact search's, then
/// averaged over the series (each series counts once, as in a one-origin-per-series corpus).
/// Measured (2026-12-03, 291 origins): `hybrid` 0.9666, `lbfgs` 0.9494. Averaged over the origins
/// instead, where the three series with the most origins and the largest errors (forecast.gas,
/// fpp2.qgas, UKgas) weigh most, `hybrid` is 0.9% worse than the exact search (1.7535 against
/// 1.7370) and `lbfgs` 0.8% better (1.7235). (Before the non-seasonal polish: `hybrid` 0.9806 and
/// 1.7596.)
#[test]
fn gradient_optimisers_at_rolling_origins() {
    let optimisers = [EtsOptimizer::NelderMeadR, EtsOptimizer::Hybrid, EtsOptimizer::Lbfgs];
    let (mut relative, mut series_count) = ([0.0f64; 3], 0usize);
    let (mut pooled, mut origins) = ([0.0f64; 3], 0usize);
    for s in public_series() {
        let m = s.season_length;
        let y: Vec<f64> = s.train().iter().chain(s.test()).copied().collect();
        let (first, step) = if m > 1 { (2 * m + 2, 2 * m) } else { (15, 10) };
        let mut totals = [0.0f64; 3];
        let mut count = 0usize;
        for len in (first..=y.len() - s.horizon).step_by(step) {
            let (train, test) = (&y[..len], &y[len..len + s.horizon]);
            for (k, optimiser) in optimisers.iter().enumerate() {
                let fit = AutoEts::new(m).with_optimizer(*optimiser).fit(train).expect("fit");
                let fc = fit.predict(s.horizon, &[]).expect("predict");
                totals[k] += mase(train, test, &fc.mean, m);
            }
            count += 1;
        }
        for k in 0..3 {
            relative[k] += totals[k] / totals[0];
            pooled[k] += totals[k];
        }
        series_count += 1;
        origins += count;
    }
    let n = series_count as f64;
    let (hybrid, lbfgs) = (relative[1] / n, relative[2] / n);
    println!(
        "{origins} origins: per-series relative MASE hybrid {hybrid:.4}, lbfgs {lbfgs:.4}; pooled MASE exact {:.4}, \
         hybrid {:.4}, lbfgs {:.4}",
        pooled[0] / origins as f64,
        pooled[1] / origins as f64,
        pooled[2] / origins as f64
    );
    assert_eq!(origins, 291);
    assert!(hybrid <= 0.971, "hybrid relative MASE {hybrid:.4}");
    assert!(lbfgs <= 0.955, "lbfgs relative MASE {lbfgs:.4}");
    assert!(pooled[1] <= 1.012 * pooled[0], "hybrid pooled MASE {:.4}", pooled[1] / origins as f64);
}
