//! Fixture loading shared by the integration tests.
//!
//! Fixtures live in `tests/fixtures/` (see its README for where each file came from).

use std::path::PathBuf;

/// Absolute path of a fixture file.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// Read a fixture file as text (panics with the path on failure: test helper).
pub fn read_fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parse a JSON fixture.
pub fn json_fixture(name: &str) -> serde_json::Value {
    serde_json::from_str(&read_fixture(name)).unwrap_or_else(|e| panic!("bad JSON in {name}: {e}"))
}

/// The 29 public series: `(unique_id, season_length, horizon, y)` in the order of `meta.csv`.
pub fn public_series() -> Vec<PublicSeries> {
    let meta = read_fixture("public/meta.csv");
    let data = read_fixture("public/series.csv");
    let mut out: Vec<PublicSeries> = meta
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            PublicSeries {
                id: f[0].to_string(),
                season_length: f[1].parse().expect("season_length"),
                horizon: f[2].parse().expect("horizon"),
                group: f.get(3).unwrap_or(&"").to_string(),
                y: Vec::new(),
            }
        })
        .collect();
    for (id, y) in rows(&data) {
        out.iter_mut().find(|s| s.id == id).expect("series in meta").y.push(y);
    }
    out
}

/// One public series with its metadata.
#[derive(Debug, Clone)]
pub struct PublicSeries {
    /// Identifier, e.g. `datasets.AirPassengers`.
    pub id: String,
    /// Season length (1 for non-seasonal).
    pub season_length: usize,
    /// Points held out at the end (R was fitted on the rest).
    pub horizon: usize,
    /// Group label from meta.csv.
    pub group: String,
    /// The full series.
    pub y: Vec<f64>,
}

impl PublicSeries {
    /// The training part (all but the last `horizon` points).
    pub fn train(&self) -> &[f64] {
        &self.y[..self.y.len() - self.horizon]
    }
    /// The held-out part.
    pub fn test(&self) -> &[f64] {
        &self.y[self.y.len() - self.horizon..]
    }
}

/// The 6 series of `public_long/` (long and multiple seasonal periods), in the order of its `meta.csv`.
/// `season_length` is the shortest period; [`LongSeries::seasons`] lists all of them.
pub fn public_long_series() -> Vec<LongSeries> {
    let meta = read_fixture("public_long/meta.csv");
    let data = read_fixture("public_long/series.csv");
    let mut out: Vec<LongSeries> = meta
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            LongSeries {
                id: f[0].to_string(),
                seasons: f[2].split(';').map(|p| p.parse().expect("seasons")).collect(),
                horizon: f[3].parse().expect("horizon"),
                y: Vec::new(),
            }
        })
        .collect();
    for (id, y) in rows(&data) {
        out.iter_mut().find(|s| s.id == id).expect("series in meta").y.push(y);
    }
    out
}

/// One series of `public_long/` with its seasonal periods.
#[derive(Debug, Clone)]
pub struct LongSeries {
    /// Identifier, e.g. `elecdemand.jan`.
    pub id: String,
    /// Seasonal periods, shortest first (e.g. `[48, 336]`).
    pub seasons: Vec<usize>,
    /// Points held out at the end (R was fitted on the rest).
    pub horizon: usize,
    /// The full series.
    pub y: Vec<f64>,
}

impl LongSeries {
    /// The training part (all but the last `horizon` points).
    pub fn train(&self) -> &[f64] {
        &self.y[..self.y.len() - self.horizon]
    }
    /// The held-out part.
    pub fn test(&self) -> &[f64] {
        &self.y[self.y.len() - self.horizon..]
    }
}
pub mod anomaly_eval;

/// Largest error of `ours` against the R figures `r` (a JSON array of numbers): absolute below 1,
/// relative above; a NaN counts as an infinite error (`f64::max` would skip it).
pub fn max_error(ours: &[f64], r: &serde_json::Value) -> f64 {
    let r: Vec<f64> = r.as_array().expect("array").iter().map(|v| v.as_f64().expect("number")).collect();
    assert_eq!(ours.len(), r.len());
    ours.iter()
        .zip(&r)
        .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
        .map(|e| if e.is_nan() { f64::INFINITY } else { e })
        .fold(0.0, f64::max)
}

/// The `(unique_id, y)` rows of a long-format `unique_id,ds,y` fixture, in file order.
fn rows(data: &str) -> impl Iterator<Item = (&str, f64)> {
    data.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        (f[0], f[2].parse().expect("y"))
    })
}
