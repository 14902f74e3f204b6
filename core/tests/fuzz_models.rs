//! Property harness: no input panics. Every model's fit/predict on arbitrary f64 series (extreme
//! magnitudes, NaN, ±inf, zeros, negatives) and arbitrary horizons/levels returns a typed error or a
//! finite forecast of the requested shape; `ModelSpec::from_json` on arbitrary text returns a spec
//! or a typed error. `make test` runs a short pass (proptest's default case count, or
//! `PROPTEST_CASES`); `make fuzz` runs it with a large case count for about ten minutes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forestock::ensemble::{Conformal, Ensemble};
use forestock::models::*;
use forestock::ModelSpec;
use proptest::prelude::*;

fn model(index: usize, m: usize) -> ModelSpec {
    match index % 14 {
        0 => ModelSpec::Naive(Naive::new()),
        1 => ModelSpec::SeasonalNaive(SeasonalNaive::new(m)),
        2 => ModelSpec::Ets(Ets::new("AAN", 1).expect("spec")),
        3 => ModelSpec::AutoEts(AutoEts::new(m)),
        4 => ModelSpec::HoltWinters(HoltWinters::multiplicative(m)),
        5 => ModelSpec::CrostonClassic(CrostonClassic::new()),
        6 => ModelSpec::CrostonOptimized(CrostonOptimized::new()),
        7 => ModelSpec::CrostonSba(CrostonSba::new()),
        8 => ModelSpec::Tsb(Tsb::new(0.2, 0.1)),
        9 => ModelSpec::Adida(Adida::new()),
        10 => ModelSpec::Imapa(Imapa::new()),
        11 => ModelSpec::AutoModel(AutoModel::new(m)),
        12 => ModelSpec::Ensemble(Ensemble::new(m)),
        _ => ModelSpec::Conformal(Conformal::new(ModelSpec::Naive(Naive::new()), m)),
    }
}

/// Values that stress the arithmetic: ordinary demand, tiny and huge magnitudes, specials.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => 0.0f64..1000.0,
        2 => -1000.0f64..1000.0,
        1 => prop_oneof![Just(0.0), Just(1e-300), Just(1e300), Just(-1e300), Just(f64::MAX), Just(f64::MIN_POSITIVE)],
        1 => any::<f64>(),
    ]
}

proptest! {
    #[test]
    fn every_model_gives_a_typed_error_or_a_finite_forecast(
        y in proptest::collection::vec(value(), 0..40),
        index in 0usize..14,
        m in prop_oneof![Just(1usize), Just(2), Just(4), Just(12), any::<usize>()],
        h in prop_oneof![1usize..10, any::<usize>()],
        levels in proptest::collection::vec(prop_oneof![1.0f64..99.0, any::<f64>()], 0..3),
    ) {
        let spec = model(index, m);
        match spec.fit(&y).and_then(|fit| fit.predict(h, &levels)) {
            Ok(fc) => {
                prop_assert_eq!(fc.mean.len(), h);
                prop_assert_eq!(fc.intervals.len(), levels.len());
                for v in fc.mean.iter().chain(fc.intervals.iter().flat_map(|i| i.lower.iter().chain(&i.upper))) {
                    prop_assert!(v.is_finite(), "{}: {} in a successful forecast", spec.name(), v);
                }
            }
            Err(e) => prop_assert!(!e.code().is_empty() && e.code() != "ERR_INTERNAL", "{}: {}", spec.name(), e),
        }
    }

    #[test]
    fn spec_json_parses_or_gives_a_typed_error(text in "\\PC{0,80}") {
        if let Err(e) = ModelSpec::from_json(&text) {
            prop_assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
        }
    }

    #[test]
    fn spec_json_with_arbitrary_settings_never_panics(
        index in 0usize..14,
        key in "[a-z_]{1,14}",
        number in any::<f64>(),
        int in any::<u64>(),
    ) {
        let base = serde_json::to_value(model(index, 4)).expect("json");
        let mut object = base.as_object().cloned().expect("object");
        object.insert(key.clone(), serde_json::json!(number));
        object.insert("season_length".into(), serde_json::json!(int));
        if let Ok(spec) = ModelSpec::from_json(&serde_json::Value::Object(object).to_string()) {
            let y: Vec<f64> = (0..30).map(|t| 10.0 + (t % 4) as f64).collect();
            if let Err(e) = spec.fit(&y).and_then(|fit| fit.predict(3, &[80.0])) {
                prop_assert!(e.code() != "ERR_INTERNAL", "{}", e);
            }
        }
    }
}
