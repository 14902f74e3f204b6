//! Long and multiple seasonal periods through the automatic model, the ensemble and the planner.

use forestock::ensemble::Ensemble;
use forestock::models::{AutoModel, Fitted, Forecaster, ModelSpec, Periods, SeasonalNaive};
use forestock::plan::{run_plan, ItemMaster, PlanConfig, SkuHistory};
use forestock::random::Rng;
use forestock_tests::public_long_series;

/// Weekly demand with a yearly cycle and noise.
fn weekly_seasonal(weeks: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::stream(seed, 0);
    (0..weeks)
        .map(|t| {
            let season = 1.0 + 0.4 * (std::f64::consts::TAU * t as f64 / 52.0).sin();
            (100.0 * season + 8.0 * rng.normal()).max(0.0).round()
        })
        .collect()
}

fn mae(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64
}

#[test]
fn auto_model_keeps_a_yearly_cycle_with_two_years_of_weekly_history() {
    let y = weekly_seasonal(104 + 13, 3);
    let (train, test) = y.split_at(104);
    let fit = AutoModel::new(52).fit(train).expect("fit");
    assert!(fit.reason().contains("MSTL with period 52"), "{}", fit.reason());
    let fc = fit.predict(13, &[95.0]).expect("predict");
    // The yearly shape is forecast: far better than a flat forecast at the last level.
    let flat = vec![train[103]; 13];
    assert!(mae(test, &fc.mean) < 0.5 * mae(test, &flat), "{} vs flat {}", mae(test, &fc.mean), mae(test, &flat));
}

#[test]
fn periods_the_history_cannot_support_are_dropped_with_the_reason() {
    let y = weekly_seasonal(80, 4);
    let fit = AutoModel::new(52).fit(&y).expect("fit");
    assert!(fit.reason().contains("non-seasonal"), "{}", fit.reason());
    assert!(fit.reason().contains("period 52 dropped: 80 observations"), "{}", fit.reason());

    let daily: Vec<f64> = (0..120).map(|t| 50.0 + 10.0 * ((t % 7) as f64)).collect();
    let fit = AutoModel::new([7, 365]).fit(&daily).expect("fit");
    assert!(fit.reason().contains("AutoETS with period 7"), "{}", fit.reason());
    assert!(fit.reason().contains("period 365 dropped"), "{}", fit.reason());

    let sporadic: Vec<f64> = (0..120).map(|t| if t % 4 == 0 { 3.0 } else { 0.0 }).collect();
    let fit = AutoModel::new([7, 365]).fit(&sporadic).expect("fit");
    assert!(fit.reason().contains("not used"), "{}", fit.reason());
}

#[test]
fn season_lists_round_trip_through_model_specs() {
    let spec = ModelSpec::from_json(r#"{"model":"auto_model","season_length":[7,365]}"#).expect("spec");
    assert_eq!(spec, ModelSpec::AutoModel(AutoModel::new([7, 365])));
    assert_eq!(spec.to_json(), r#"{"model":"auto_model","season_length":[7,365]}"#);
    // A single period is still written as a number, as records stored before lists existed.
    assert_eq!(ModelSpec::AutoModel(AutoModel::new(52)).to_json(), r#"{"model":"auto_model","season_length":52}"#);
    let bad = ModelSpec::from_json(r#"{"model":"ensemble","season_length":"weekly"}"#);
    assert!(bad.is_err());
    assert!(Ensemble::new(Periods::from(Vec::new())).fit(&[1.0, 2.0, 3.0, 4.0]).is_err());
}

#[test]
fn plan_keeps_the_yearly_cycle_and_says_so() {
    let histories: Vec<SkuHistory> =
        (0..6).map(|k| SkuHistory { sku: format!("S{k}"), demand: weekly_seasonal(104, 10 + k) }).collect();
    let items: Vec<ItemMaster> = histories
        .iter()
        .map(|h| ItemMaster { sku: h.sku.clone(), unit_cost: 5.0, lead_time: 2.0, ..item_template() })
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::with_season_length(52)).expect("plan");
    assert!(out.failures.is_empty(), "{:?}", out.failures);
    for p in &out.plans {
        assert!(p.model_reason.contains("MSTL with period 52"), "{}: {}", p.sku, p.model_reason);
        assert!(p.model.starts_with("MSTL"), "{}: {}", p.sku, p.model);
    }
}

fn item_template() -> ItemMaster {
    serde_json::from_str(r#"{"sku":"x","unit_cost":1.0,"lead_time":1.0}"#).expect("item with defaults")
}

/// Accuracy on the public long-season series from 3 origins each, `horizon` apart, ending where R
/// was scored (the same design as `benches/src/bin/long_season_eval.rs`, whose table is in
/// docs/benchmarks.md): MASE with the seasonal-naive scale of the shortest period, 95% coverage.
#[test]
fn long_season_models_beat_seasonal_naive_on_public_long() {
    let series = public_long_series();
    let (mut snaive, mut auto, mut ensemble, mut covered, mut points, mut fits) =
        (0.0, 0.0, 0.0, 0usize, 0usize, 0usize);
    for s in &series {
        let m = s.seasons[0];
        for k in 1..=3 {
            let end = s.y.len() - (k - 1) * s.horizon;
            let (train, test) = (&s.y[..end - s.horizon], &s.y[end - s.horizon..end]);
            let scale = train.windows(m + 1).map(|w| (w[m] - w[0]).abs()).sum::<f64>() / (train.len() - m) as f64;
            let naive = SeasonalNaive::new(m).fit(train).and_then(|f| f.predict(s.horizon, &[95.0])).expect("snaive");
            let a =
                AutoModel::new(s.seasons.clone()).fit(train).and_then(|f| f.predict(s.horizon, &[95.0])).expect("auto");
            let e = Ensemble::new(s.seasons.clone())
                .fit(train)
                .and_then(|f| f.predict(s.horizon, &[95.0]))
                .expect("ensemble");
            snaive += mae(test, &naive.mean) / scale;
            auto += mae(test, &a.mean) / scale;
            ensemble += mae(test, &e.mean) / scale;
            fits += 1;
            for (i, y) in test.iter().enumerate() {
                covered += usize::from(e.intervals[0].lower[i] <= *y && *y <= e.intervals[0].upper[i]);
                points += 1;
            }
        }
    }
    let n = fits as f64;
    let (snaive, auto, ensemble) = (snaive / n, auto / n, ensemble / n);
    let coverage = covered as f64 / points as f64;
    println!(
        "MASE: snaive {snaive:.4}, AutoModel {auto:.4}, Ensemble {ensemble:.4}; ensemble 95% coverage {coverage:.4}"
    );
    // Achieved: snaive 1.2410, AutoModel 1.0315, Ensemble 1.0076 (members estimated once and
    // re-filtered), coverage 0.9374 (509 of 543 points; 0.9006 before the conformal scores left
    // their own error out of the scale and the calibration origins were put in phase with the
    // forecast origin, docs/ensemble.md). AutoModel 1.1588, Ensemble 1.0325 and coverage 0.9411
    // before the default AutoETS polished its non-seasonal forms (the MSTL trend's forms) by the
    // gradient. Small margins: one point is 0.0018 of coverage.
    assert!(auto < snaive, "AutoModel {auto} vs snaive {snaive}");
    assert!(auto <= 1.0315 + 0.005, "AutoModel MASE {auto}");
    assert!(ensemble <= 1.0076 + 0.003, "Ensemble MASE {ensemble}");
    assert!((0.935..=0.96).contains(&coverage), "ensemble 95% coverage {coverage}");
}

/// A model that cannot use a period says so: `Fitted::unused_periods` names the period and the
/// reason in every fit that drops one, and is empty when all are used (issue 11, item 4).
#[test]
fn every_dropped_period_is_reported_with_its_reason() {
    use forestock::models::{AutoEts, CrostonSba, Mstl};
    let periods_of = |fit: &dyn Fitted| fit.unused_periods().iter().map(|d| d.period).collect::<Vec<_>>();
    let y = weekly_seasonal(120, 3);

    let ets = AutoEts::new(52).fit(&y).expect("autoets");
    assert_eq!(periods_of(&ets), vec![52]);
    assert!(ets.unused_periods()[0].reason.contains("> 24"), "{:?}", ets.unused_periods());
    assert!(AutoEts::new(4).fit(&y).expect("autoets").unused_periods().is_empty());
    let zzn = AutoEts::new(4).with_pattern("ZZN").fit(&y).expect("zzn");
    assert!(zzn.unused_periods()[0].reason.contains("no seasonal component"), "{:?}", zzn.unused_periods());
    let constant = AutoEts::new(4).fit(&[5.0; 30]).expect("constant");
    assert!(constant.unused_periods()[0].reason.contains("constant"), "{:?}", constant.unused_periods());

    let mstl = Mstl::new(&[4, 52, 1, 4]).fit(&y[..80]).expect("mstl");
    assert_eq!(periods_of(&mstl), vec![52], "period 1 and a duplicate of a used period are not unused seasons");
    assert!(Mstl::new(&[52]).fit(&y).expect("mstl").unused_periods().is_empty());

    let auto = AutoModel::new(52).fit(&y[..80]).expect("auto");
    assert_eq!(periods_of(&auto), vec![52]);
    assert!(auto.unused_periods()[0].reason.contains("fewer than 2 cycles"));
    let intermittent: Vec<f64> = (0..96).map(|t| if [2, 6, 11].contains(&(t % 12)) { 5.0 } else { 0.0 }).collect();
    let sporadic = AutoModel::new(12).fit(&intermittent).expect("auto");
    assert!(sporadic.unused_periods()[0].reason.contains("no season"), "{:?}", sporadic.unused_periods());
    assert!(CrostonSba::new().fit(&intermittent).expect("sba").unused_periods().is_empty());

    let theta = forestock::models::Theta::new(52).fit(&y[..80]).expect("theta");
    assert_eq!(periods_of(&theta), vec![52], "80 points cannot test a season of 52");
    let theta = forestock::models::AutoTheta::new(52).fit(&y[..80]).expect("auto theta");
    assert_eq!(periods_of(&theta), vec![52]);
    assert!(forestock::models::Theta::new(1).fit(&y).expect("theta").unused_periods().is_empty());

    let daily: Vec<f64> = (0..200).map(|t| 100.0 + 10.0 * (std::f64::consts::TAU * t as f64 / 7.0).sin()).collect();
    let ensemble = Ensemble::new([7, 365]).fit(&daily).expect("ensemble");
    assert_eq!(periods_of(&ensemble), vec![365]);

    // The plan carries them per SKU.
    let histories = vec![
        SkuHistory { sku: "two-years".into(), demand: weekly_seasonal(104, 4) },
        SkuHistory { sku: "one-year".into(), demand: weekly_seasonal(52, 5) },
    ];
    let items: Vec<ItemMaster> = histories
        .iter()
        .map(|h| ItemMaster { sku: h.sku.clone(), unit_cost: 2.0, lead_time: 2.0, ..item_template() })
        .collect();
    let out = run_plan(&histories, &items, &PlanConfig::with_season_length(52)).expect("plan");
    let unused = |sku: &str| out.plans.iter().find(|p| p.sku == sku).map(|p| p.unused_periods.len());
    assert_eq!((unused("two-years"), unused("one-year")), (Some(0), Some(1)));
}
