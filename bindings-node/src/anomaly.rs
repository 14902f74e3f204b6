//! Anomaly detection: `detectAnomalies` (`forestock::anomaly::detect_anomalies`), and R forecast's
//! `tsoutliers` / `na.interp` (`forestock::anomaly::{tsoutliers, na_interp}`). Conversion only; the
//! methods, their formulas and measured figures are in docs/anomalies.md.

use forestock::anomaly;
use napi::bindgen_prelude::{Either, Float64Array, Uint32Array};
use napi_derive::napi;

use crate::errors::to_js_error;
use crate::fitted::values;

/// Settings of `detectAnomalies`.
#[napi(object)]
pub struct DetectAnomaliesOptions {
    /// Season length (1 or absent for non-seasonal data).
    pub season_length: Option<u32>,
}

/// Flags of `detectAnomalies`, one entry per flagged point in each array (by position).
#[napi(object, object_from_js = false)]
pub struct AnomalyFlags {
    /// 0-based positions of the flagged points.
    pub index: Uint32Array,
    /// Signed scores in robust standard deviations (positive: spike, negative: dip).
    pub score: Float64Array,
    /// Readable reasons, e.g. `'spike: 6.3 robust SD above the expected 120.5'`.
    pub reason: Vec<String>,
    /// Suggested replacements (what the neighbours and the season predict).
    pub replacement: Float64Array,
    /// `'spike'` or `'dip'` for each flag.
    #[napi(ts_type = "Array<'spike' | 'dip'>")]
    pub kind: Vec<String>,
    /// The observed values at the flagged points.
    pub value: Float64Array,
    /// Rule applied: `'regular'`, `'intermittent'` or `'too_short'`.
    #[napi(ts_type = "'regular' | 'intermittent' | 'too_short'")]
    pub regime: String,
    /// Whether the series was seasonally adjusted before scoring.
    pub seasonally_adjusted: bool,
    /// The robust scale one score unit stands for.
    pub scale: f64,
    /// The threshold applied to `|score|`.
    pub threshold: f64,
}

/// Spikes and dips of `y` by forestock's default detector (robust to seasonality, trend and
/// intermittent demand).
#[napi]
pub fn detect_anomalies(
    y: Either<Float64Array, Vec<f64>>,
    options: Option<DetectAnomaliesOptions>,
) -> napi::Result<AnomalyFlags, String> {
    let m = options.and_then(|o| o.season_length).unwrap_or(1) as usize;
    let report = anomaly::detect_anomalies(values(&y), m).map_err(|e| to_js_error(&e))?;
    let flags = &report.anomalies;
    Ok(AnomalyFlags {
        index: Uint32Array::new(flags.iter().map(|a| a.index as u32).collect()),
        score: Float64Array::new(flags.iter().map(|a| a.score).collect()),
        reason: flags.iter().map(|a| a.reason.clone()).collect(),
        replacement: Float64Array::new(flags.iter().map(|a| a.replacement).collect()),
        kind: flags.iter().map(|a| a.kind.as_str().to_string()).collect(),
        value: Float64Array::new(flags.iter().map(|a| a.value).collect()),
        regime: report.regime.as_str().to_string(),
        seasonally_adjusted: report.seasonally_adjusted,
        scale: report.scale,
        threshold: report.threshold,
    })
}

/// Outliers by R forecast 8.20's `tsoutliers(y)` (NaN = missing).
#[napi(object, object_from_js = false)]
pub struct TsOutliers {
    /// 0-based positions of the outliers, ascending.
    pub index: Uint32Array,
    /// The value `na.interp` puts at each outlier once all of them are removed.
    pub replacements: Float64Array,
}

/// R forecast 8.20's `tsoutliers(y)`: supsmu residuals outside 3 IQR, after a robust MSTL seasonal
/// adjustment when the series is seasonal (`seasonLength > 1` and more than two seasons).
#[napi]
pub fn tsoutliers(
    y: Either<Float64Array, Vec<f64>>,
    options: Option<DetectAnomaliesOptions>,
) -> napi::Result<TsOutliers, String> {
    let m = options.and_then(|o| o.season_length).unwrap_or(1) as usize;
    let out = anomaly::tsoutliers(values(&y), &[m]).map_err(|e| to_js_error(&e))?;
    Ok(TsOutliers {
        index: Uint32Array::new(out.index.iter().map(|&i| i as u32).collect()),
        replacements: Float64Array::new(out.replacements),
    })
}

/// R forecast 8.20's `na.interp(y)`: `y` with its NaN filled (linear, or the Fourier + robust MSTL
/// fill for a seasonal series).
#[napi]
pub fn na_interp(
    y: Either<Float64Array, Vec<f64>>,
    options: Option<DetectAnomaliesOptions>,
) -> napi::Result<Float64Array, String> {
    let m = options.and_then(|o| o.season_length).unwrap_or(1) as usize;
    let filled = anomaly::na_interp(values(&y), &[m]).map_err(|e| to_js_error(&e))?;
    Ok(Float64Array::new(filled))
}
