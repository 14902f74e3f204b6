//! Model registry: promotion rule, persistence round trip, migration of schema v1.

use chrono::{DateTime, Duration, TimeZone, Utc};
use forestock::models::{ModelSpec, Naive, SeasonalNaive};
use forestock::registry::{
    DecisionReason, Metric, Metrics, ModelRecord, PromotionPolicy, Registry, TrainingWindow, SCHEMA_VERSION,
};
use forestock::Error;
use forestock_tests::{fixture_path, read_fixture};
use proptest::prelude::*;
use serde_json::json;

fn at(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 4, 0, 0).unwrap() + Duration::days(day)
}

fn record(mase: Option<f64>, mape: Option<f64>, day: i64) -> ModelRecord {
    ModelRecord::new(
        ModelSpec::SeasonalNaive(SeasonalNaive::new(12)),
        json!({"description": "SNAIVE(12)", "sigma": 3.25}),
        Metrics { mase, mape, rmse: Some(4.5), ..Metrics::default() },
        TrainingWindow { start: Some(at(-720)), end: Some(at(day)), observations: 24 },
        at(day),
    )
}

#[test]
fn first_model_becomes_champion_then_margin_applies() {
    let mut reg = Registry::default();
    let d = reg.promote_if_better("A", record(Some(1.0), None, 0), at(0)).unwrap();
    assert!(d.promoted);
    assert_eq!(d.reason, DecisionReason::NoChampion);
    assert_eq!((d.challenger_version, d.champion_version), (1, None));

    // 1.5 % better: below the default 2 % margin, kept as challenger.
    let d = reg.promote_if_better("A", record(Some(0.985), None, 7), at(7)).unwrap();
    assert!(!d.promoted);
    match d.reason {
        DecisionReason::InsufficientImprovement { relative_improvement, required } => {
            assert!((relative_improvement - 0.015).abs() < 1e-12);
            assert_eq!(required, 0.02);
        }
        other => panic!("unexpected {other:?}"),
    }
    // Worse: rejected.
    assert!(!reg.promote_if_better("A", record(Some(1.3), None, 8), at(8)).unwrap().promoted);
    // 10 % better: promoted, old champion retired.
    let d = reg.promote_if_better("A", record(Some(0.9), None, 14), at(14)).unwrap();
    assert!(d.promoted);
    assert_eq!((d.challenger_version, d.champion_version), (4, Some(1)));
    let models = reg.sku("A").unwrap();
    assert_eq!(models.champion.as_ref().unwrap().version, 4);
    assert_eq!(models.retired.iter().map(|r| r.version).collect::<Vec<_>>(), vec![1]);
    assert_eq!(models.challengers.iter().map(|r| r.version).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(reg.history().len(), 4);
    assert_eq!(reg.history().iter().filter(|d| d.promoted).count(), 2);

    // Pruning keeps the newest records only.
    assert_eq!(reg.prune(1), 1);
    let models = reg.sku("A").unwrap();
    assert_eq!(models.challengers.iter().map(|r| r.version).collect::<Vec<_>>(), vec![3]);
    assert_eq!(models.retired.len(), 1);
    assert_eq!(models.champion.as_ref().unwrap().version, 4);
    assert_eq!(reg.history().len(), 4);
}

#[test]
fn missing_metrics_and_other_metric_choice() {
    let mut reg = Registry::new(PromotionPolicy { metric: Metric::Mape, min_relative_improvement: 0.0 });
    reg.promote_if_better("B", record(Some(1.0), None, 0), at(0)).unwrap();
    // Champion has no MAPE: a challenger with MAPE replaces it.
    let d = reg.promote_if_better("B", record(Some(2.0), Some(25.0), 1), at(1)).unwrap();
    assert_eq!((d.promoted, d.reason), (true, DecisionReason::ChampionMissingMetric));
    // Challenger without MAPE is rejected.
    let d = reg.promote_if_better("B", record(Some(0.1), None, 2), at(2)).unwrap();
    assert_eq!((d.promoted, d.reason), (false, DecisionReason::ChallengerMissingMetric));
    // With a zero margin any strict improvement wins; a tie does not.
    assert!(!reg.promote_if_better("B", record(None, Some(25.0), 3), at(3)).unwrap().promoted);
    assert!(reg.promote_if_better("B", record(None, Some(24.9), 4), at(4)).unwrap().promoted);
}

#[test]
fn bad_input_is_rejected_without_changing_the_registry() {
    let mut reg = Registry::default();
    let e = reg.promote_if_better("", record(Some(1.0), None, 0), at(0)).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
    let e = reg.promote_if_better("C", record(Some(f64::NAN), None, 0), at(0)).unwrap_err();
    assert!(e.to_string().contains("metrics.mase"), "{e}");
    let mut bad = Registry::new(PromotionPolicy { metric: Metric::Mase, min_relative_improvement: -0.1 });
    assert!(bad.promote_if_better("C", record(Some(1.0), None, 0), at(0)).is_err());
    assert_eq!(reg.skus().count(), 0);
    assert!(reg.history().is_empty());
}

#[test]
fn json_round_trip_and_file_round_trip() {
    let mut reg = Registry::default();
    for (i, sku) in ["S1", "S2", "S3"].iter().enumerate() {
        reg.promote_if_better(sku, record(Some(1.0 + i as f64 / 10.0), Some(20.0), 0), at(0)).unwrap();
        let mut naive = record(Some(0.7), Some(18.0), 7);
        naive.spec = ModelSpec::Naive(Naive::new());
        naive.metrics.other.insert("coverage_95".into(), 0.951);
        reg.promote_if_better(sku, naive, at(7)).unwrap();
    }
    let text = reg.to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema_version"], json!(SCHEMA_VERSION));
    assert_eq!(value["skus"]["S2"]["champion"]["spec"], json!({"model": "naive"}));
    let back = Registry::from_json(&text).unwrap();
    assert_eq!(back, reg);
    assert_eq!(back.to_json().unwrap(), text, "serialization is deterministic");

    let path = std::env::temp_dir().join(format!("forestock-registry-{}.json", std::process::id()));
    reg.save(&path).unwrap();
    let loaded = Registry::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(path.with_extension("json.lock")).unwrap();
    assert_eq!(loaded, reg);
    assert_eq!(loaded.revision(), 1);
}

#[test]
fn v1_fixture_migrates_to_v2() {
    let reg = Registry::from_json(&read_fixture("registry/registry_v1.json")).unwrap();
    assert_eq!(reg.schema_version(), SCHEMA_VERSION);
    assert_eq!(reg.skus().collect::<Vec<_>>(), vec!["SKU-0001", "SKU-0002"]);
    let champ = reg.champion("SKU-0001").unwrap();
    assert_eq!(champ.version, 2);
    assert_eq!(champ.spec, ModelSpec::SeasonalNaive(SeasonalNaive::new(12)));
    assert_eq!(champ.metrics.mase, Some(0.84));
    assert_eq!(champ.metrics.mape, Some(17.5));
    assert_eq!(champ.metrics.other.get("coverage_95"), Some(&0.93));
    assert_eq!(champ.fitted_state, serde_json::Value::Null);
    assert_eq!(champ.training_window, TrainingWindow { start: None, end: None, observations: 60 });
    assert_eq!(champ.created_at, Utc.with_ymd_and_hms(2025, 6, 2, 4, 0, 0).unwrap());
    let models = reg.sku("SKU-0001").unwrap();
    assert_eq!(models.challengers[0].metrics.rmse, Some(14.1));
    assert_eq!(models.next_version, 3);
    assert!(reg.history().is_empty());

    // The migrated registry keeps working: versions continue, a champion without the metric yields.
    let mut reg = reg;
    let d = reg.promote_if_better("SKU-0002", record(Some(0.95), None, 0), at(0)).unwrap();
    assert_eq!((d.challenger_version, d.promoted), (2, true));
    assert_eq!(d.reason, DecisionReason::ChampionMissingMetric);
    let d = reg.promote_if_better("SKU-0001", record(Some(0.80), None, 0), at(0)).unwrap();
    assert_eq!((d.challenger_version, d.promoted), (3, true));
    // And it saves as v2 and reads back.
    assert_eq!(Registry::from_json(&reg.to_json().unwrap()).unwrap(), reg);
    assert!(fixture_path("registry/registry_v1.json").exists());
}

#[test]
fn unsupported_or_corrupt_documents_are_typed_errors() {
    for text in [r#"{"schema_version": 3}"#, r#"{"skus": {}}"#, r#"{"schema_version": "2"}"#] {
        assert!(matches!(Registry::from_json(text), Err(Error::CorruptRecord { .. })), "{text}");
    }
    assert!(matches!(Registry::from_json("{not json"), Err(Error::Serialization(_))));
    let e = Registry::from_json(r#"{"schema_version": 1, "models": {"X": {"champion": {"version": 1}}}}"#).unwrap_err();
    assert_eq!(e.code(), "ERR_SERIALIZATION");
    assert!(Registry::load("/nonexistent/forestock/registry.json").is_err());
}

proptest! {
    #[test]
    fn champion_score_never_gets_worse(scores in proptest::collection::vec(0.01f64..5.0, 1..30)) {
        let mut reg = Registry::default();
        let mut best = f64::INFINITY;
        for (i, s) in scores.iter().enumerate() {
            reg.promote_if_better("P", record(Some(*s), None, i as i64), at(i as i64)).unwrap();
            let champion = reg.champion("P").unwrap().metrics.mase.unwrap();
            prop_assert!(champion <= best);
            best = champion;
        }
        let text = reg.to_json().unwrap();
        prop_assert_eq!(Registry::from_json(&text).unwrap(), reg);
    }
}
