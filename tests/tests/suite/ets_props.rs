//! Property and bad-input tests for the ETS family.

use forestock::models::ets::{AutoEts, Bounds, Criterion, Ets, EtsFit, EtsParams, EtsSpec};
use forestock::models::{Fitted, Forecast, Forecaster};
use forestock::Error;
use proptest::prelude::*;

fn assert_well_formed(fc: &Forecast, h: usize) {
    assert_eq!(fc.mean.len(), h);
    assert!(fc.mean.iter().all(|v| v.is_finite()), "non-finite mean {:?}", fc.mean);
    let (i80, i95) = (&fc.intervals[0], &fc.intervals[1]);
    for t in 0..h {
        let tol = 1e-9 * fc.mean[t].abs().max(1.0);
        assert!(i80.lower[t].is_finite() && i95.upper[t].is_finite());
        assert!(i95.lower[t] <= i80.lower[t] + tol, "95 lower above 80 lower at {t}");
        assert!(i80.upper[t] <= i95.upper[t] + tol, "80 upper above 95 upper at {t}");
        assert!(i80.lower[t] <= fc.mean[t] + tol && fc.mean[t] <= i80.upper[t] + tol, "mean outside 80% at {t}");
    }
}

fn positive_series() -> impl Strategy<Value = (Vec<f64>, usize)> {
    (prop::sample::select(vec![1usize, 4, 12]), 0u64..1000)
        .prop_flat_map(|(m, _)| (prop::collection::vec(0.1f64..1e4, 8..60), Just(m)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Any finite positive series gets finite forecasts with nested, ordered intervals.
    #[test]
    fn auto_ets_forecasts_are_finite_and_nested((y, m) in positive_series()) {
        let fit = AutoEts::new(m).fit(&y).expect("fit");
        let fc = fit.predict(8, &[80.0, 95.0]).expect("predict");
        assert_well_formed(&fc, 8);
    }

    /// Fixed multiplicative forms, including the simulated multiplicative-trend ones.
    #[test]
    fn fixed_forms_give_ordered_intervals(
        y in prop::collection::vec(1.0f64..500.0, 30..50),
        code in prop::sample::select(vec!["ANN", "AAdN", "MAN", "MNM", "MAdM", "MMN", "MMdN"]),
    ) {
        let m = if code.ends_with('M') { 4 } else { 1 };
        let fit = Ets::new(code, m).expect("spec").allow_multiplicative_trend(true).fit(&y).expect("fit");
        let fit = fit.with_simulation(500, 7);
        let fc = fit.predict(6, &[80.0, 95.0]).expect("predict");
        assert_well_formed(&fc, 6);
    }

    /// Same input, same output, bit for bit, whether candidates are estimated in parallel or not.
    #[test]
    fn deterministic(y in prop::collection::vec(1.0f64..100.0, 20..40)) {
        let a = AutoEts::new(4).fit(&y).expect("fit").predict(4, &[90.0]).expect("predict");
        let b = AutoEts::new(4).fit(&y).expect("fit").predict(4, &[90.0]).expect("predict");
        let c = AutoEts::new(4).with_parallel(false).fit(&y).expect("fit").predict(4, &[90.0]).expect("predict");
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
    }

    /// Arbitrary finite data (any sign, huge or tiny) never panics: a model or a typed error.
    #[test]
    fn arbitrary_finite_input_never_panics(y in prop::collection::vec(-1e12f64..1e12, 0..30), m in 0usize..30) {
        if let Ok(fit) = AutoEts::new(m).fit(&y) {
            let fc = fit.predict(3, &[95.0]).expect("predict");
            prop_assert!(fc.mean.iter().all(|v| v.is_finite()));
        }
        let _ = Ets::new("MAM", m.max(1)).map(|e| e.fit(&y));
    }
}

#[test]
fn bad_series_are_typed_errors() {
    let auto = AutoEts::new(4);
    assert_eq!(auto.fit(&[]).unwrap_err(), Error::EmptySeries);
    assert!(matches!(auto.fit(&[1.0, f64::NAN, 2.0, 3.0]), Err(Error::NonFinite { index: 1, .. })));
    assert!(matches!(auto.fit(&[1.0, 2.0, f64::INFINITY]), Err(Error::NonFinite { index: 2, .. })));
    assert!(matches!(auto.fit(&[f64::NEG_INFINITY, 2.0, 3.0]), Err(Error::NonFinite { index: 0, .. })));
    assert!(matches!(auto.fit(&[1.0, 2.0]), Err(Error::TooShort { len: 2, .. })));
    let y: Vec<f64> = (0..40).map(|t| 10.0 + (t % 4) as f64).collect();
    let mut with_zero = y.clone();
    with_zero[7] = 0.0;
    assert!(matches!(Ets::new("MNM", 4).expect("spec").fit(&with_zero), Err(Error::NonPositive { index: 7, .. })));
    assert!(matches!(Ets::new("ANA", 4).expect("spec").fit(&y[..4]), Err(Error::TooShort { .. })));
    assert!(matches!(Ets::new("AAdA", 12).expect("spec").fit(&y[..15]), Err(Error::TooShort { .. })));
    // Extreme magnitudes: a model with finite forecasts or a typed error, never a panic.
    for scale in [1e300, 1e-300, 1e150] {
        let z: Vec<f64> = y.iter().map(|v| v * scale).collect();
        match AutoEts::new(4).fit(&z) {
            Ok(fit) => {
                let fc = fit.predict(4, &[95.0]).expect("predict");
                assert!(fc.mean.iter().all(|v| v.is_finite()), "scale {scale}: {:?}", fc.mean);
            }
            Err(e) => assert!(matches!(e, Error::FitFailed { .. }), "scale {scale}: {e}"),
        }
    }
}

#[test]
fn bad_settings_are_typed_errors() {
    let y: Vec<f64> = (0..40).map(|t| 10.0 + (t % 4) as f64).collect();
    for code in ["", "A", "XNN", "AQN", "ANX", "ANdN", "ZZZ", "AAAA", "MAdMX"] {
        assert!(matches!(Ets::new(code, 4), Err(Error::InvalidParameter { .. })), "spec {code:?} accepted");
    }
    assert!(matches!(Ets::new("ANN", 0), Err(Error::InvalidParameter { .. })));
    assert!(matches!(AutoEts::new(0).fit(&y), Err(Error::InvalidParameter { .. })));
    // Multiplicative trend must be allowed explicitly; A error with M season is forbidden.
    assert!(matches!(Ets::new("MMN", 1).expect("spec").fit(&y), Err(Error::InvalidParameter { .. })));
    assert!(matches!(Ets::new("ANM", 4).expect("spec").fit(&y), Err(Error::InvalidParameter { .. })));
    assert!(Ets::new("ANM", 4).expect("spec").with_restrict(false).fit(&y).is_ok());
    // Seasonal form on non-seasonal length, or beyond 24.
    assert!(matches!(Ets::new("ANA", 1).expect("spec").fit(&y), Err(Error::InvalidParameter { .. })));
    assert!(matches!(Ets::new("ANA", 25).expect("spec").fit(&y), Err(Error::InvalidParameter { .. })));
    // Bad fixed parameters and bounds.
    assert!(Ets::new("ANN", 1).expect("spec").with_alpha(f64::NAN).fit(&y).is_err());
    assert!(Ets::new("ANN", 1).expect("spec").with_alpha(1.5).fit(&y).is_err());
    assert!(Ets::new("ANN", 1).expect("spec").with_parameter_bounds([0.5; 4], [0.1; 4]).fit(&y).is_err());
    assert!(Ets::new("ANN", 1).expect("spec").with_criterion(Criterion::Amse { nmse: 0 }).fit(&y).is_err());
    assert!(Ets::new("ANN", 1).expect("spec").with_criterion(Criterion::Amse { nmse: 31 }).fit(&y).is_err());
    // Horizon and levels.
    let fit = AutoEts::new(4).fit(&y).expect("fit");
    assert!(matches!(fit.predict(0, &[95.0]), Err(Error::InvalidParameter { .. })));
    for level in [0.0, 100.0, -5.0, 150.0, f64::NAN] {
        assert!(matches!(fit.predict(3, &[level]), Err(Error::InvalidParameter { .. })), "level {level}");
    }
    // from_parameters: wrong state count, missing beta, non-finite states.
    let spec = EtsSpec::parse("AAN").expect("spec");
    let p = EtsParams { alpha: 0.3, beta: Some(0.1), gamma: None, phi: None };
    assert!(EtsFit::from_parameters(spec, 1, &y, p, &[1.0]).is_err());
    assert!(EtsFit::from_parameters(spec, 1, &y, EtsParams { beta: None, ..p }, &[1.0, 0.1]).is_err());
    assert!(EtsFit::from_parameters(spec, 1, &y, p, &[f64::NAN, 0.1]).is_err());
    assert!(EtsFit::from_parameters(spec, 1, &y, p, &[10.0, 0.1]).is_ok());
}

#[test]
fn options_change_the_estimate_consistently() {
    let y: Vec<f64> = (0..48).map(|t| 50.0 + t as f64 + 6.0 * ((t % 12) as f64 - 5.5).abs()).collect();
    let base = Ets::new("AAA", 12).expect("spec");
    for bounds in [Bounds::Usual, Bounds::Admissible, Bounds::Both] {
        let fit = base.clone().with_bounds(bounds).fit(&y).expect("fit");
        assert!(fit.loglik().is_finite());
    }
    for crit in [Criterion::Mse, Criterion::Amse { nmse: 3 }, Criterion::Sigma, Criterion::Mae] {
        let fit = base.clone().with_criterion(crit).fit(&y).expect("fit");
        assert!(fit.mse().is_finite());
    }
    let fixed = base.clone().with_alpha(0.2).with_beta(0.05).with_gamma(0.1).fit(&y).expect("fit");
    assert_eq!((fixed.alpha(), fixed.beta(), fixed.gamma()), (0.2, Some(0.05), Some(0.1)));
    // Only the 13 free initial states were estimated.
    assert_eq!(fixed.n_parameters(), 13);
    let damped = Ets::new("AAN", 1).expect("spec").with_damped(true).with_phi(0.9).fit(&y).expect("fit");
    assert_eq!(damped.phi(), Some(0.9));
    assert_eq!(damped.method(), "ETS(A,Ad,N)");
    // Fitted values and residuals line up with the data.
    assert_eq!(fixed.fitted_values().len(), y.len());
    let r = fixed.residuals();
    assert!((r[5] - (y[5] - fixed.fitted_values()[5])).abs() < 1e-12);
    assert!((r[5] - fixed.innovation_residuals()[5]).abs() < 1e-9);
}

#[test]
fn short_seasonal_series_use_the_fourier_start() {
    // n < 3m: R starts from a trend + first-harmonic regression instead of `decompose`.
    let y: Vec<f64> =
        (0..30).map(|t| 100.0 + t as f64 + 15.0 * (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin()).collect();
    for code in ["ANA", "AAA", "MNM", "MAM"] {
        let fit = Ets::new(code, 12).expect("spec").fit(&y).expect("fit");
        assert!(fit.loglik().is_finite(), "{code}");
        let fc = fit.predict(12, &[80.0, 95.0]).expect("predict");
        assert_well_formed(&fc, 12);
        // The seasonal pattern is carried into the forecasts.
        let spread =
            fc.mean.iter().cloned().fold(f64::MIN, f64::max) - fc.mean.iter().cloned().fold(f64::MAX, f64::min);
        assert!(spread > 10.0, "{code}: spread {spread}");
    }
}

#[test]
fn batch_over_auto_ets_isolates_bad_series() {
    let spec: forestock::ModelSpec =
        serde_json::from_str(r#"{"model":"auto_ets","season_length":4}"#).expect("spec json");
    let good: Vec<f64> = (0..40).map(|t| 20.0 + (t % 4) as f64 * 3.0 + 0.1 * t as f64).collect();
    let bad = vec![1.0, f64::NAN, 3.0, 4.0];
    let out = forestock::models::forecast_batch(&[("a", &good), ("b", &bad), ("c", &good)], &spec, 4, &[95.0]);
    assert!(out[0].is_ok() && out[2].is_ok());
    assert_eq!(out[0], out[2]);
    match &out[1] {
        Err(Error::InSeries { id, source }) => {
            assert_eq!(id, "b");
            assert!(matches!(**source, Error::NonFinite { index: 1, .. }));
        }
        other => panic!("unexpected {other:?}"),
    }
}
