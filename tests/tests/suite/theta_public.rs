//! `Theta` and `AutoTheta` on the 29 public series (held-out part: MASE and interval coverage), and
//! the properties that tie AutoTheta's variants to each other and to `thetaf`.

use forestock::models::{AutoTheta, Fitted, Forecaster, ModelSpec, Theta, ThetaVariant};
use forestock_tests::public_series;

fn mase(train: &[f64], test: &[f64], fc: &[f64], m: usize) -> f64 {
    let m = if train.len() > m { m } else { 1 };
    let scale = train.windows(m + 1).map(|w| (w[m] - w[0]).abs()).sum::<f64>() / (train.len() - m) as f64;
    test.iter().zip(fc).map(|(a, f)| (a - f).abs()).sum::<f64>() / test.len() as f64 / scale
}

/// Mean MASE and 80%/95% coverage of a model over the public series.
fn measure(make: impl Fn(usize) -> ModelSpec) -> (f64, f64, f64) {
    let series = public_series();
    let (mut total, mut c80, mut c95, mut points) = (0.0, 0usize, 0usize, 0usize);
    for s in &series {
        let fit = make(s.season_length).fit(s.train()).expect("fit");
        let fc = fit.predict(s.horizon, &[80.0, 95.0]).expect("predict");
        let a = mase(s.train(), s.test(), &fc.mean, s.season_length);
        println!("{:<28} MASE {a:.3}  {}", s.id, fit.description());
        total += a;
        for (i, y) in s.test().iter().enumerate() {
            c80 += usize::from(fc.intervals[0].lower[i] <= *y && *y <= fc.intervals[0].upper[i]);
            c95 += usize::from(fc.intervals[1].lower[i] <= *y && *y <= fc.intervals[1].upper[i]);
            points += 1;
        }
    }
    (total / series.len() as f64, c80 as f64 / points as f64, c95 as f64 / points as f64)
}

#[test]
fn theta_accuracy_on_public_series() {
    let (mase, c80, c95) = measure(|m| ModelSpec::Theta(Theta::new(m)));
    println!("Theta: mean MASE {mase:.4}, coverage 80% {c80:.3}, 95% {c95:.3}");
    assert!(mase <= THETA_MASE + 0.002, "Theta MASE {mase:.4}");
    assert!(c95 >= THETA_C95 - 0.01, "Theta 95% coverage {c95:.3}");
}

#[test]
fn auto_theta_accuracy_on_public_series() {
    let (mase, c80, c95) = measure(|m| ModelSpec::AutoTheta(AutoTheta::new(m)));
    println!("AutoTheta: mean MASE {mase:.4}, coverage 80% {c80:.3}, 95% {c95:.3}");
    assert!(mase <= AUTO_THETA_MASE + 0.002, "AutoTheta MASE {mase:.4}");
    assert!(c95 >= AUTO_THETA_C95 - 0.01, "AutoTheta 95% coverage {c95:.3}");
}

/// Achieved mean MASE of `Theta` (R thetaf) on the held-out points (`cargo test -p forestock-tests
/// --test suite theta_public:: -- --nocapture`), and the 95% coverage (80%: 0.696).
const THETA_MASE: f64 = 1.7331;
const THETA_C95: f64 = 0.884;
/// Achieved mean MASE of `AutoTheta`, and its 95% coverage (80%: 0.690): the intervals ignore
/// parameter uncertainty and are too narrow on these series, as thetaf's are.
const AUTO_THETA_MASE: f64 = 1.5005;
const AUTO_THETA_C95: f64 = 0.866;

#[test]
fn otm_with_theta_two_is_stm_and_dotm_with_theta_two_is_dstm() {
    for s in public_series().iter().take(6) {
        let m = s.season_length;
        for (fixed, standard) in [(ThetaVariant::Otm, ThetaVariant::Stm), (ThetaVariant::Dotm, ThetaVariant::Dstm)] {
            let a = AutoTheta::new(m).with_variant(fixed).with_theta(2.0).fit(s.train()).expect("fit");
            let b = AutoTheta::new(m).with_variant(standard).fit(s.train()).expect("fit");
            let fa = a.predict(s.horizon, &[95.0]).expect("predict");
            let fb = b.predict(s.horizon, &[95.0]).expect("predict");
            assert_eq!(fa, fb, "{} {fixed:?}", s.id);
            assert_eq!(a.chosen().alpha, b.chosen().alpha);
        }
    }
}

/// STM at thetaf's α and ℓ₀ is thetaf plus `½ (1−α)^n (A_n + B_n)` (times the seasonal index):
/// STM's forecast `ℓ_n + ½ [(1−α)^n A_n + (h − 1 + (1 − (1−α)^{n+1})/α) B_n]` against thetaf's
/// `ℓ_n + ½ B_n (h − 1 + (1 − (1−α)^n)/α)`, with `A_n, B_n` the least-squares line on `t = 1..n`.
#[test]
fn stm_at_thetaf_parameters_differs_from_thetaf_by_the_documented_term() {
    let mut checked = 0;
    for s in &public_series() {
        let m = s.season_length;
        let theta = Theta::new(m).fit(s.train()).expect("thetaf");
        let stm = AutoTheta::new(m)
            .with_variant(ThetaVariant::Stm)
            .with_alpha(theta.alpha())
            .with_initial_level(theta.initial_level())
            .fit(s.train())
            .expect("stm");
        assert_eq!(theta.seasonally_adjusted(), stm.seasonally_adjusted());
        let x: Vec<f64> = s.train().iter().zip(theta.seasonal_indices()).map(|(v, i)| v / i).collect();
        let n = x.len() as f64;
        let t_mean = (n + 1.0) / 2.0;
        let x_mean = x.iter().sum::<f64>() / n;
        let sxy: f64 = x.iter().enumerate().map(|(i, v)| (i as f64 + 1.0 - t_mean) * (v - x_mean)).sum();
        let sxx: f64 = (1..=x.len()).map(|t| (t as f64 - t_mean).powi(2)).sum();
        let b = sxy / sxx;
        let a = x_mean - b * t_mean;
        let gap = 0.5 * (1.0 - theta.alpha()).powf(n) * (a + b);
        let ft = theta.predict(s.horizon, &[]).expect("predict").mean;
        let fs = stm.predict(s.horizon, &[]).expect("predict").mean;
        let idx = theta.seasonal_indices();
        for j in 0..s.horizon {
            let season = idx[idx.len() - m.max(1) + j % m.max(1)];
            let expected = ft[j] + gap * season;
            assert!(
                (fs[j] - expected).abs() <= 1e-9 * ft[j].abs().max(1.0),
                "{} step {j}: {} vs {expected}",
                s.id,
                fs[j]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 29);
}

#[test]
fn forecasts_follow_a_trend_and_a_multiplicative_season() {
    // Linear trend with a small deterministic wiggle: every variant extrapolates the slope.
    let trend: Vec<f64> = (0..80).map(|t| 20.0 + 3.0 * t as f64 + ((t * 7 % 5) as f64 - 2.0)).collect();
    let fit = AutoTheta::new(1).fit(&trend).expect("fit");
    let fc = fit.predict(10, &[95.0]).expect("predict");
    let slope = (fc.mean[9] - fc.mean[0]) / 9.0;
    assert!((slope - 3.0).abs() < 0.3, "slope {slope} ({})", fit.description());
    assert!((fc.mean[0] - (20.0 + 3.0 * 80.0)).abs() < 6.0, "{:?}", fc.mean);
    // Multiplicative season on a level series: the forecast repeats the pattern.
    let pattern = [0.7, 1.0, 1.4, 0.9];
    let seasonal: Vec<f64> = (0..64).map(|t| (200.0 + (t % 3) as f64) * pattern[t % 4]).collect();
    let fit = AutoTheta::new(4).fit(&seasonal).expect("fit");
    assert!(fit.seasonally_adjusted(), "{}", fit.description());
    let fc = fit.predict(8, &[80.0, 95.0]).expect("predict");
    for (j, f) in fc.mean.iter().enumerate() {
        let expected = 201.0 * pattern[(64 + j) % 4];
        assert!((f - expected).abs() < 0.02 * expected, "step {j}: {f} vs {expected}");
        assert!(
            fc.intervals[1].lower[j] < fc.intervals[0].lower[j] && fc.intervals[0].upper[j] < fc.intervals[1].upper[j]
        );
    }
}

#[test]
fn specs_round_trip_and_bad_settings_are_typed_errors() {
    for json in
        [r#"{"model":"theta","season_length":12}"#, r#"{"model":"auto_theta","season_length":4,"variant":"DOTM"}"#]
    {
        let spec = ModelSpec::from_json(json).expect("spec");
        assert_eq!(ModelSpec::from_json(&spec.to_json()).expect("round trip"), spec);
    }
    let y: Vec<f64> = (0..30).map(|t| 10.0 + t as f64).collect();
    assert!(AutoTheta::new(1).with_alpha(0.0).fit(&y).is_err());
    assert!(AutoTheta::new(1).with_theta(0.5).fit(&y).is_err());
    assert!(AutoTheta::new(1).with_initial_level(f64::NAN).fit(&y).is_err());
    assert!(AutoTheta::new(1).fit(&y[..5]).is_err());
    assert!(AutoTheta::new(0).fit(&y).is_err());
    assert!(Theta::new(1).fit(&[1.0, f64::INFINITY, 2.0, 3.0]).is_err());
}
