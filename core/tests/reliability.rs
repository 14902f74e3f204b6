//! No input aborts or panics: sizes above the documented limits (`forestock::limits`), data near
//! the top of the f64 range, huge inventory inputs and corrupt registry counters are typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use forestock::ensemble::{Conformal, Ensemble};
use forestock::inventory::policy::{continuous_review, DemandDistribution, DemandModel, LeadTime};
use forestock::inventory::ServiceTarget;
use forestock::limits::{MAX_HORIZON, MAX_LEVELS, MAX_SEASON_LENGTH, MAX_SERIES_LENGTH};
use forestock::models::*;
use forestock::plan::{run_plan, ItemMaster, PlanConfig, SkuHistory};
use forestock::registry::{Metrics, ModelRecord, Registry, TrainingWindow};
use forestock::{Error, ModelSpec};

/// Every model family with settings that fit the short seasonal series below.
fn every_model() -> Vec<ModelSpec> {
    vec![
        ModelSpec::Naive(Naive::new()),
        ModelSpec::SeasonalNaive(SeasonalNaive::new(4)),
        ModelSpec::Ets(Ets::new("ANN", 1).expect("spec")),
        ModelSpec::AutoEts(AutoEts::new(4)),
        ModelSpec::HoltWinters(HoltWinters::additive(4)),
        ModelSpec::CrostonClassic(CrostonClassic::new()),
        ModelSpec::CrostonOptimized(CrostonOptimized::new()),
        ModelSpec::CrostonSba(CrostonSba::new()),
        ModelSpec::Tsb(Tsb::new(0.1, 0.1)),
        ModelSpec::Adida(Adida::new()),
        ModelSpec::Imapa(Imapa::new()),
        ModelSpec::AutoModel(AutoModel::new(4)),
        ModelSpec::Ensemble(Ensemble::new(4)),
        ModelSpec::Conformal(Conformal::new(ModelSpec::Naive(Naive::new()), 1)),
    ]
}

fn seasonal(n: usize, scale: f64) -> Vec<f64> {
    (0..n).map(|t| scale * (10.0 + (t % 4) as f64 + 0.1 * ((t * 7) % 5) as f64)).collect()
}

fn invalid_name(result: forestock::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("expected an invalid-parameter error, got {other:?}"),
    }
}

#[test]
fn horizons_and_levels_above_the_limits_are_rejected_by_every_model() {
    let y = seasonal(40, 1.0);
    for spec in every_model() {
        let fit = spec.fit(&y).unwrap_or_else(|e| panic!("{}: {e}", spec.name()));
        for h in [MAX_HORIZON + 1, 1_000_000_000, 1 << 40, 1 << 62, usize::MAX] {
            assert_eq!(invalid_name(fit.predict(h, &[95.0])), "h", "{} h={h}", spec.name());
        }
        let levels = vec![90.0; MAX_LEVELS + 1];
        assert_eq!(invalid_name(fit.predict(4, &levels)), "level", "{}", spec.name());
        // The limit itself is allowed (a cheap model only: this allocates MAX_HORIZON values).
        if spec.name() == "naive" {
            assert_eq!(fit.predict(MAX_HORIZON, &[95.0]).expect("at the limit").mean.len(), MAX_HORIZON);
        }
    }
}

#[test]
fn season_lengths_above_the_limit_are_rejected() {
    let y = seasonal(40, 1.0);
    for m in [MAX_SEASON_LENGTH + 1, 1 << 63, usize::MAX] {
        assert_eq!(invalid_name(HoltWinters::additive(m).fit(&y)), "season_length");
        assert_eq!(invalid_name(SeasonalNaive::new(m).fit(&y)), "season_length");
        assert_eq!(invalid_name(AutoEts::new(m).fit(&y)), "season_length");
        assert_eq!(invalid_name(AutoModel::new(m).fit(&y)), "season_length");
        assert_eq!(invalid_name(Ensemble::new(m).fit(&y)), "season_length");
    }
    let mut ensemble = Ensemble::new(1);
    ensemble.horizon = usize::MAX;
    assert_eq!(invalid_name(ensemble.fit(&y)), "horizon");
}

#[test]
fn series_longer_than_the_limit_are_rejected_before_fitting() {
    let y = vec![1.0; MAX_SERIES_LENGTH + 1];
    for spec in [ModelSpec::AutoEts(AutoEts::new(1)), ModelSpec::Naive(Naive::new())] {
        assert_eq!(invalid_name(spec.fit(&y).map(|_| ())), "y", "{}", spec.name());
    }
}

#[test]
fn huge_data_gives_an_error_or_a_finite_forecast_never_inf() {
    for scale in [1e300, 1e306, -1e300, f64::MAX / 4.0] {
        let y = seasonal(40, scale);
        for spec in every_model() {
            match spec.fit(&y).and_then(|fit| fit.predict(8, &[80.0, 95.0])) {
                Ok(fc) => {
                    let values = fc.mean.iter().chain(fc.intervals.iter().flat_map(|i| i.lower.iter().chain(&i.upper)));
                    for v in values {
                        assert!(v.is_finite(), "{} at scale {scale}: {v} in a successful forecast", spec.name());
                    }
                }
                Err(e) => assert!(
                    matches!(e.code(), "ERR_FIT_FAILED" | "ERR_INVALID_SERIES" | "ERR_INVALID_PARAMETER"),
                    "{} at scale {scale}: {e}",
                    spec.name()
                ),
            }
        }
    }
    // The reported case: a naive model on data near 1e300 has an infinite residual variance.
    let fit = Naive::new().fit(&seasonal(20, 1e300)).expect("fit");
    assert!(matches!(fit.predict(4, &[95.0]), Err(Error::FitFailed { .. })));
}

#[test]
fn plan_rejects_a_huge_horizon_and_lead_time_without_allocating() {
    let histories = vec![SkuHistory { sku: "a".into(), demand: seasonal(30, 1.0) }];
    let item = |lead_time: f64| -> ItemMaster {
        serde_json::from_value(serde_json::json!({"sku": "a", "unit_cost": 1.0, "lead_time": lead_time})).expect("item")
    };
    let config = PlanConfig { horizon: 1_000_000_000, ..PlanConfig::default() };
    assert_eq!(invalid_name(run_plan(&histories, &[item(1.0)], &config)), "horizon");
    let out = run_plan(&histories, &[item(1e300)], &PlanConfig::default()).expect("per-SKU failure");
    assert_eq!(out.failures.len(), 1);
    assert!(out.failures[0].message.contains("`lead_time`"), "{}", out.failures[0].message);
}

#[test]
fn batches_whose_output_exceeds_the_limit_are_rejected_whole() {
    let y = seasonal(10, 1.0);
    let series: Vec<(&str, &[f64])> = (0..2_000).map(|_| ("s", y.as_slice())).collect();
    let spec = ModelSpec::Naive(Naive::new());
    let control = forestock::control::Control::new();
    assert_eq!(invalid_name(forecast_batch_with(&series, &spec, MAX_HORIZON, &[80.0], &control)), "h");
    let per_series = forecast_batch(&series, &spec, MAX_HORIZON, &[80.0; MAX_LEVELS]);
    assert!(per_series.iter().all(|r| r.as_ref().is_err_and(|e| e.code() == "ERR_INVALID_PARAMETER")));
}

#[test]
fn safety_stock_names_the_overflowing_input_and_never_collapses_to_zero() {
    let target = ServiceTarget::CycleService(0.95);
    let policy = |mean: f64, sd: f64, lead: f64| {
        let demand = DemandModel::stationary(mean, sd)?;
        continuous_review(&demand, LeadTime::new(lead, 0.0)?, 1.0, target, DemandDistribution::Normal)
    };
    assert_eq!(invalid_name(policy(10.0, 1e300, 4.0)), "demand_sd");
    assert_eq!(invalid_name(policy(1e308, 1.0, 4.0)), "demand_mean");
    // Huge but representable moments are a result, not an error (σ_L = 0: no inf·0).
    assert!(policy(1e300, 1.0, 4.0).is_ok());
    assert_eq!(invalid_name(policy(10.0, 1.0, f64::MAX)), "lead_time");
    // A huge but finite lead time: μ_L = 1e301 dwarfs σ_L = 1e150, yet the safety stock is z σ_L.
    let p = policy(10.0, 1.0, 1e300).expect("finite moments");
    let expected = 1.6448536269514722 * 1e150;
    assert!((p.safety_stock / expected - 1.0).abs() < 1e-9, "safety stock {}", p.safety_stock);
}

#[test]
fn a_registry_whose_next_version_would_reuse_a_version_is_corrupt() {
    let at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    let record = ModelRecord::new(
        ModelSpec::Naive(Naive::new()),
        serde_json::json!({}),
        Metrics { mase: Some(0.9), ..Metrics::default() },
        TrainingWindow { start: None, end: None, observations: 48 },
        at,
    );
    let mut registry = Registry::default();
    registry.promote_if_better("SKU-1", record.clone(), at).expect("first");
    registry.promote_if_better("SKU-1", record, at).expect("second");
    let mut json: serde_json::Value = serde_json::from_str(&registry.to_json().expect("json")).expect("value");
    assert!(Registry::from_json(&json.to_string()).is_ok());
    for bad in [0, 1, 2] {
        json["skus"]["SKU-1"]["next_version"] = serde_json::json!(bad);
        match Registry::from_json(&json.to_string()) {
            Err(Error::CorruptRecord { position, .. }) => assert_eq!(position, "skus.SKU-1.next_version"),
            other => panic!("next_version {bad}: unexpected {other:?}"),
        }
    }
}
