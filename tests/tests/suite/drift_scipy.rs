//! Parity of forestock::drift with scipy 1.17 (`ttest_ind(equal_var=False)`, `ks_2samp`).
//!
//! Fixture: `tests/fixtures/scipy/drift.json`, made by `tests/fixtures/scipy/make_drift.py`.

use forestock::drift::{ks_two_sample, welch_t_test, KsMethod};
use forestock_tests::json_fixture;
use serde_json::Value;

const TOL: f64 = 1e-8;

fn sample(fixture: &Value, name: &Value) -> Vec<f64> {
    let key = name.as_str().expect("sample name");
    fixture["samples"][key]
        .as_array()
        .unwrap_or_else(|| panic!("sample {key}"))
        .iter()
        .map(|v| v.as_f64().expect("number"))
        .collect()
}

fn close(what: &str, case: &str, ours: f64, scipy: f64, worst: &mut f64) {
    let diff = (ours - scipy).abs();
    *worst = worst.max(diff);
    assert!(diff <= TOL, "{case}: {what} forestock {ours:e} scipy {scipy:e} (|diff| {diff:e})");
}

#[test]
fn welch_t_test_matches_scipy() {
    let fx = json_fixture("scipy/drift.json");
    let cases = fx["welch"].as_array().expect("welch cases");
    assert!(cases.len() >= 9);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let (a, b) = (sample(&fx, &case["a"]), sample(&fx, &case["b"]));
        let t = welch_t_test(&a, &b).expect(name);
        let f = |k: &str| case[k].as_f64().expect(k);
        // Statistic and df are compared relatively (they can be large), p-values absolutely.
        let rel = |x: f64, y: f64| (x - y).abs() / y.abs().max(1.0);
        assert!(rel(t.statistic, f("statistic")) <= TOL, "{name}: t {} vs {}", t.statistic, f("statistic"));
        assert!(rel(t.df, f("df")) <= TOL, "{name}: df {} vs {}", t.df, f("df"));
        close("p two-sided", name, t.p_two_sided, f("pvalue_two_sided"), &mut worst);
        close("p greater", name, t.p_greater, f("pvalue_greater"), &mut worst);
    }
    println!("welch: worst |p - p_scipy| = {worst:e} over {} cases", cases.len());
}

#[test]
fn ks_two_sample_matches_scipy() {
    let fx = json_fixture("scipy/drift.json");
    let cases = fx["ks"].as_array().expect("ks cases");
    let mut worst_exact = 0.0f64;
    let mut worst_asymp = 0.0f64;
    let (mut n_exact, mut n_asymp) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let (a, b) = (sample(&fx, &case["a"]), sample(&fx, &case["b"]));
        let t = ks_two_sample(&a, &b).expect(name);
        let expected_method = match case["method"].as_str().expect("method") {
            "exact" => KsMethod::Exact,
            _ => KsMethod::Asymptotic,
        };
        assert_eq!(t.method, expected_method, "{name}: method");
        let mut worst = 0.0;
        close("D", name, t.statistic, case["statistic"].as_f64().expect("D"), &mut worst);
        close("p", name, t.p_value, case["pvalue"].as_f64().expect("p"), &mut worst);
        match t.method {
            KsMethod::Exact => {
                n_exact += 1;
                worst_exact = worst_exact.max(worst)
            }
            KsMethod::Asymptotic => {
                n_asymp += 1;
                worst_asymp = worst_asymp.max(worst)
            }
        }
    }
    assert!(n_exact >= 10 && n_asymp >= 8, "fixture covers both branches");
    println!("ks exact: worst |diff| = {worst_exact:e} over {n_exact} cases");
    println!("ks asymptotic: worst |diff| = {worst_asymp:e} over {n_asymp} cases");
}
