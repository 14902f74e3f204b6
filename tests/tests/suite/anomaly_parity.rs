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

/// R treats a series as seasonal when its frequency (longest period) exceeds 1 and it has more than
/// two periods of data; these need the MSTL port.
fn r_seasonal(seasons: &[usize], n: usize) -> bool {
    let freq = seasons.iter().copied().max().unwrap_or(1);
    freq > 1 && n > 2 * freq
}

#[test]
fn tsoutliers_matches_r() {
    let reference = json_fixture("reference/r_outliers_public.json");
    let mut compared = 0;
    for (id, seasons, y) in all_series() {
        let r = &reference["series"][&id];
        let r_index: Vec<usize> = numbers(&r["index"]).iter().map(|&i| i as usize - 1).collect();
        let r_repl = numbers(&r["replacements"]);
        match tsoutliers(&y, &seasons) {
            Ok(ours) => {
                assert_eq!(ours.index, r_index, "{id}: outlier positions");
                for (k, (a, b)) in ours.replacements.iter().zip(&r_repl).enumerate() {
                    assert!(close(*a, *b), "{id}: replacement {k}: {a} vs R {b}");
                }
                compared += 1;
            }
            Err(e) => {
                assert!(r_seasonal(&seasons, y.len()), "{id}: unexpected error {e}");
                assert_eq!(e.code(), "ERR_INVALID_PARAMETER", "{id}");
            }
        }
    }
    // Every non-seasonal series (8 yearly series) is compared; the seasonal ones wait for MSTL.
    assert_eq!(compared, 8);
}

#[test]
fn na_interp_matches_r() {
    let reference = json_fixture("reference/r_outliers_public.json");
    let mut compared = 0;
    for (id, seasons, y) in all_series() {
        let r = &reference["series"][&id];
        let positions: Vec<usize> = numbers(&r["na_index"]).iter().map(|&i| i as usize - 1).collect();
        let r_values = numbers(&r["na_interp"]);
        let mut holed = y.clone();
        positions.iter().for_each(|&i| holed[i] = f64::NAN);
        match na_interp(&holed, &seasons) {
            Ok(filled) => {
                for (&i, b) in positions.iter().zip(&r_values) {
                    assert!(close(filled[i], *b), "{id}: na_interp[{i}]: {} vs R {b}", filled[i]);
                }
                compared += 1;
            }
            Err(e) => {
                let observed = y.len() - positions.len();
                assert!(r_seasonal(&seasons, observed), "{id}: unexpected error {e}");
            }
        }
    }
    assert_eq!(compared, 8);
}
