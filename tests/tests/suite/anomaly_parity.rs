//! forecast 8.20 `tsoutliers()` and `na.interp()` against R, on the training part of every series of
//! `public/` and `public_long/` (fixture `reference/r_outliers_public.json`).

use forestock::anomaly::{na_interp, tsoutliers};
use forestock_tests::{json_fixture, public_long_series, public_series};

/// (id, seasonal periods, training series) for every public series.
fn all_series() -> Vec<(String, Vec<usize>, Vec<f64>)> {
    let mut out: Vec<(String, Vec<usize>, Vec<f64>)> =
        public_series().into_iter().map(|s| (s.id.clone(), vec![s.season_length], s.train().to_vec())).collect();
    out.extend(public_long_series().into_iter().map(|s| (s.id.clone(), s.seasons.clone(), s.train().to_vec())));
    out
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(|x| x.as_f64().expect("number")).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// The mismatches of one series against R (empty when it matches).
fn tsoutliers_mismatches(id: &str, seasons: &[usize], y: &[f64], r: &serde_json::Value) -> Vec<String> {
    let r_index: Vec<usize> = numbers(&r["index"]).iter().map(|&i| i as usize - 1).collect();
    let r_repl = numbers(&r["replacements"]);
    let ours = match tsoutliers(y, seasons) {
        Ok(ours) => ours,
        Err(e) => return vec![format!("{id}: error {e}")],
    };
    if ours.index != r_index {
        return vec![format!("{id}: positions {:?} vs R {:?}", ours.index, r_index)];
    }
    let pairs = ours.replacements.iter().zip(&r_repl).enumerate();
    pairs
        .filter(|(_, (a, b))| !close(**a, **b))
        .map(|(k, (a, b))| format!("{id}: replacement {k}: {a} vs R {b}"))
        .collect()
}

fn na_interp_mismatches(id: &str, seasons: &[usize], y: &[f64], r: &serde_json::Value) -> Vec<String> {
    let positions: Vec<usize> = numbers(&r["na_index"]).iter().map(|&i| i as usize - 1).collect();
    let r_values = numbers(&r["na_interp"]);
    assert_eq!(positions.len(), r_values.len(), "{id}");
    let mut holed = y.to_vec();
    positions.iter().for_each(|&i| holed[i] = f64::NAN);
    let filled = match na_interp(&holed, seasons) {
        Ok(filled) => filled,
        Err(e) => return vec![format!("{id}: error {e}")],
    };
    let pairs = positions.iter().zip(&r_values);
    pairs
        .filter(|(&i, b)| !close(filled[i], **b))
        .map(|(&i, b)| format!("{id}: na_interp[{i}]: {} vs R {b}", filled[i]))
        .collect()
}

// Every series is compared: 8 yearly ones (supsmu and linear interpolation only) and 27 seasonal ones
// (robust MSTL adjustment, the Fourier + MSTL fill), periods 4, 7, 12, 52, 365, [48, 336], [7, 365].
#[test]
fn tsoutliers_matches_r() {
    let reference = json_fixture("reference/r_outliers_public.json");
    let series = all_series();
    assert_eq!(series.len(), 35);
    let bad: Vec<String> = series
        .iter()
        .flat_map(|(id, seasons, y)| tsoutliers_mismatches(id, seasons, y, &reference["series"][id]))
        .collect();
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn na_interp_matches_r() {
    let reference = json_fixture("reference/r_outliers_public.json");
    let series = all_series();
    assert_eq!(series.len(), 35);
    let bad: Vec<String> = series
        .iter()
        .flat_map(|(id, seasons, y)| na_interp_mismatches(id, seasons, y, &reference["series"][id]))
        .collect();
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}
