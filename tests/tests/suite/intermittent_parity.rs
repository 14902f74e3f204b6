//! Intermittent-demand models against statsforecast 2.1.1 on 200 seeded synthetic series plus edge
//! cases (`tests/fixtures/statsforecast/intermittent.json`, made by `make_intermittent.py` there).
//!
//! Point forecasts of CrostonClassic, CrostonOptimized, CrostonSBA, ADIDA, IMAPA and TSB(0.2, 0.1)
//! agree to 1e-6 relative on every series; the in-sample fitted values of CrostonClassic, CrostonSBA
//! and TSB (same definition as statsforecast) agree to 1e-6 relative as well.

use forestock::models::{Adida, CrostonClassic, CrostonOptimized, CrostonSba, Imapa, ModelSpec, Tsb};
use forestock_tests::json_fixture;
use serde_json::Value;

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(1e-12)
    }
}

fn nullable(v: &Value) -> Vec<Option<f64>> {
    v.as_array().expect("array").iter().map(Value::as_f64).collect()
}

fn specs(doc: &Value) -> Vec<(&'static str, ModelSpec)> {
    let a = |k: &str| doc["tsb"][k].as_f64().expect(k);
    vec![
        ("croston_classic", ModelSpec::CrostonClassic(CrostonClassic::new())),
        ("croston_optimized", ModelSpec::CrostonOptimized(CrostonOptimized::new())),
        ("croston_sba", ModelSpec::CrostonSba(CrostonSba::new())),
        ("adida", ModelSpec::Adida(Adida::new())),
        ("imapa", ModelSpec::Imapa(Imapa::new())),
        ("tsb", ModelSpec::Tsb(Tsb::new(a("alpha_d"), a("alpha_p")))),
    ]
}

#[test]
fn point_forecasts_and_fitted_values_match_statsforecast() {
    let doc = json_fixture("statsforecast/intermittent.json");
    let h = doc["h"].as_u64().expect("h") as usize;
    let series: Vec<&Value> = doc["series"].as_array().expect("series").iter().collect();
    assert_eq!(series.len(), 200);
    let edges: Vec<&Value> = doc["edge_cases"].as_array().expect("edge cases").iter().collect();
    let (mut worst_mean, mut worst_fitted, mut compared) = (0.0f64, 0.0f64, 0usize);
    let mut worst_by_model = std::collections::BTreeMap::<&str, f64>::new();
    for s in series.iter().chain(&edges) {
        let id = s["id"].as_str().expect("id");
        let y: Vec<f64> = s["y"].as_array().expect("y").iter().map(|v| v.as_f64().expect("y")).collect();
        for (name, spec) in specs(&doc) {
            let reference = &s["reference"][name];
            let fit = spec.fit(&y).unwrap_or_else(|e| panic!("{id} {name}: {e}"));
            let fc = fit.predict(h, &[]).expect("predict");
            for (ours, theirs) in fc.mean.iter().zip(nullable(&reference["mean"])) {
                let theirs = theirs.expect("statsforecast mean is finite");
                let e = rel(*ours, theirs);
                assert!(e <= 1e-6, "{id} {name}: mean {ours} vs {theirs} (rel {e:e})");
                worst_mean = worst_mean.max(e);
                let w = worst_by_model.entry(name).or_insert(0.0);
                *w = w.max(e);
            }
            if let Some(fitted) = reference.get("fitted") {
                let theirs = nullable(fitted);
                assert_eq!(theirs.len(), y.len());
                for (t, (ours, theirs)) in fit.fitted_values().iter().zip(theirs).enumerate() {
                    match theirs {
                        None => assert!(ours.is_nan(), "{id} {name}: fitted[{t}] {ours} vs NaN"),
                        Some(v) => {
                            let e = rel(*ours, v);
                            assert!(e <= 1e-6, "{id} {name}: fitted[{t}] {ours} vs {v}");
                            worst_fitted = worst_fitted.max(e);
                        }
                    }
                }
            }
            compared += 1;
        }
    }
    println!("worst relative mean difference per model: {worst_by_model:?}");
    println!(
        "{compared} model fits on {} series: worst relative difference, mean {worst_mean:.3e}, fitted {worst_fitted:.3e}",
        series.len() + edges.len()
    );
}
