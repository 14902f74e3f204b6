//! Accuracy, interval coverage and time of the long/multiple-season models on `public_long`.
//!
//! Each series is forecast from `ORIGINS` origins, `horizon` apart, ending at the held-out part R
//! was scored on: train on `y[..n - k·h]`, score the next `h` points (k = 1..=ORIGINS). MASE uses
//! the in-sample seasonal-naive scale of the shortest period (as the held-out corpus does).
//! R's `stlf` figures exist for the last origin only; they are scored there.
//!
//! `cargo run --release -p forestock-benches --bin long_season_eval`

use std::time::Instant;

use forestock::ensemble::Ensemble;
use forestock::models::{AutoEts, AutoModel, Fitted, Forecaster, ModelSpec, Mstl, SeasonalNaive};
use forestock_tests::{json_fixture, public_long_series};

const ORIGINS: usize = 3;

fn mase(train: &[f64], test: &[f64], fc: &[f64], m: usize) -> f64 {
    let m = if train.len() > m { m } else { 1 };
    let scale = train.windows(m + 1).map(|w| (w[m] - w[0]).abs()).sum::<f64>() / (train.len() - m) as f64;
    test.iter().zip(fc).map(|(a, f)| (a - f).abs()).sum::<f64>() / test.len() as f64 / scale
}

type Make = Box<dyn Fn(&[usize]) -> ModelSpec>;

fn main() {
    let series = public_long_series();
    let reference = json_fixture("reference/r_decomposition_theta_public.json");
    let models: Vec<(&str, Make)> = vec![
        ("SeasonalNaive (shortest)", Box::new(|p: &[usize]| ModelSpec::SeasonalNaive(SeasonalNaive::new(p[0])))),
        ("AutoETS (shortest)", Box::new(|p: &[usize]| ModelSpec::AutoEts(AutoEts::new(p[0])))),
        ("MSTL", Box::new(|p: &[usize]| ModelSpec::Mstl(Mstl::new(p)))),
        ("AutoModel", Box::new(|p: &[usize]| ModelSpec::AutoModel(AutoModel::new(p.to_vec())))),
        ("Ensemble", Box::new(|p: &[usize]| ModelSpec::Ensemble(Ensemble::new(p.to_vec())))),
    ];
    println!("| model | mean MASE | 95% coverage | 80% coverage | failures | ms per fit |");
    println!("|---|---|---|---|---|---|");
    for (name, make) in &models {
        let (mut mase_sum, mut fits, mut failures, mut c95, mut c80, mut points) = (0.0, 0usize, 0usize, 0, 0, 0);
        let mut elapsed = 0.0;
        for s in &series {
            let spec = make(&s.seasons);
            for k in 1..=ORIGINS {
                let end = s.y.len() - (k - 1) * s.horizon;
                let train = &s.y[..end - s.horizon];
                let test = &s.y[end - s.horizon..end];
                let start = Instant::now();
                let result = spec.fit(train).and_then(|f| f.predict(s.horizon, &[80.0, 95.0]));
                elapsed += start.elapsed().as_secs_f64();
                match result {
                    Ok(fc) => {
                        mase_sum += mase(train, test, &fc.mean, s.seasons[0]);
                        fits += 1;
                        for (i, y) in test.iter().enumerate() {
                            c95 += usize::from(fc.intervals[1].lower[i] <= *y && *y <= fc.intervals[1].upper[i]);
                            c80 += usize::from(fc.intervals[0].lower[i] <= *y && *y <= fc.intervals[0].upper[i]);
                            points += 1;
                        }
                    }
                    Err(e) => {
                        eprintln!("{name} on {} (origin {k}): {e}", s.id);
                        failures += 1;
                    }
                }
            }
        }
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {failures} | {:.1} |",
            mase_sum / fits.max(1) as f64,
            c95 as f64 / points.max(1) as f64,
            c80 as f64 / points.max(1) as f64,
            1e3 * elapsed / (fits + failures).max(1) as f64
        );
    }
    // R's stlf at the last origin, against ours there.
    let (mut r_sum, mut ours_sum, mut ens_sum) = (0.0, 0.0, 0.0);
    for s in &series {
        let r_mean: Vec<f64> = reference["mstl"][&s.id]["stlf"]["mean"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        let ours = Mstl::new(&s.seasons).fit(s.train()).and_then(|f| f.predict(s.horizon, &[95.0]));
        let ens = Ensemble::new(s.seasons.clone()).fit(s.train()).and_then(|f| f.predict(s.horizon, &[95.0]));
        let (Ok(ours), Ok(ens)) = (ours, ens) else { continue };
        let r = mase(s.train(), s.test(), &r_mean, s.seasons[0]);
        let o = mase(s.train(), s.test(), &ours.mean, s.seasons[0]);
        let e = mase(s.train(), s.test(), &ens.mean, s.seasons[0]);
        println!("{:<18} R stlf {r:.3}  MSTL {o:.3}  Ensemble {e:.3}", s.id);
        r_sum += r;
        ours_sum += o;
        ens_sum += e;
    }
    let n = series.len() as f64;
    println!("last origin mean MASE: R stlf {:.3}, MSTL {:.3}, Ensemble {:.3}", r_sum / n, ours_sum / n, ens_sum / n);
}
