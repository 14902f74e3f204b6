//! Accuracy metrics against utilsforecast 0.2.17 on 40 seeded cases
//! (`tests/fixtures/statsforecast/metrics.json`, made by `make_metrics.py` there).
//!
//! Convention factors (documented in the script): utilsforecast's mape/smape are fractions
//! (forestock: percent; M4 sMAPE = 200 × utilsforecast's), its bias is `mean(f - y)` and its cfe
//! `Σ(f - y)` (forestock: `mean(y - f)`, tracking signal `Σ(y - f) / MAE`).

use forestock::metrics;
use forestock_tests::json_fixture;
use serde_json::Value;

fn vector(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

#[test]
fn metrics_match_utilsforecast() {
    let doc = json_fixture("statsforecast/metrics.json");
    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 40);
    let mut worst = 0.0f64;
    let mut skipped_total = 0;
    for c in cases {
        let id = c["id"].as_str().expect("id");
        let (train, y, f) = (vector(&c["train"]), vector(&c["actual"]), vector(&c["forecast"]));
        let m = c["season_length"].as_u64().expect("m") as usize;
        let r = |k: &str| c["utilsforecast"][k].as_f64().expect(k);
        let mae = metrics::mae(&y, &f).expect("mae");
        let mape = metrics::mape(&y, &f).expect("mape");
        skipped_total += mape.skipped;
        let pairs = [
            ("mae", mae, r("mae")),
            ("rmse", metrics::rmse(&y, &f).expect("rmse"), r("rmse")),
            ("mape", mape.value, 100.0 * r("mape")),
            ("smape", metrics::smape(&y, &f).expect("smape"), 200.0 * r("smape")),
            ("bias", metrics::bias(&y, &f).expect("bias"), -r("bias")),
            ("tracking_signal", metrics::tracking_signal(&y, &f).expect("ts"), -r("cfe") / r("mae")),
            ("mase", metrics::mase(&y, &f, &train, m).expect("mase"), r("mase")),
        ];
        for (name, ours, theirs) in pairs {
            let e = (ours - theirs).abs() / theirs.abs().max(1e-9);
            assert!(e < 1e-9, "{id} {name}: {ours} vs {theirs}");
            worst = worst.max(e);
        }
    }
    assert!(skipped_total > 0, "the fixture exercises zero actuals");
    println!("40 cases x 7 metrics: worst relative difference {worst:.3e}; MAPE skipped {skipped_total} zero actuals");
}
