//! Accuracy metrics and drift tests: `forestock::metrics` and `forestock::drift` for JS arrays.
//! Conversion only; the formulas and their sources are in docs/monitoring.md.

use forestock::drift::{ks_two_sample as core_ks, welch_t_test as core_welch};
use forestock::metrics;
use forestock::Error;
use napi_derive::napi;
use serde::Deserialize;

use crate::convert::mirror;
use crate::errors::{guarded, to_js_error};
use crate::fitted::values;
use napi::bindgen_prelude::{Either, Float64Array};

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

/// Mean absolute error of `forecast` against `actual` (same length).
#[napi]
pub fn mae(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::mae(values(&actual), values(&forecast))))
}

/// Root mean squared error.
#[napi]
pub fn rmse(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::rmse(values(&actual), values(&forecast))))
}

/// Mean absolute percentage error in percent, over the non-zero actuals.
#[napi]
pub fn mape(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::mape(values(&actual), values(&forecast)).map(|m| m.value)))
}

/// Symmetric MAPE (M4 definition), in [0, 200].
#[napi]
pub fn smape(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::smape(values(&actual), values(&forecast))))
}

/// Mean absolute scaled error: MAE over the in-sample seasonal-naive MAE (lag `seasonLength`).
#[napi]
pub fn mase(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
    insample: Either<Float64Array, Vec<f64>>,
    season_length: u32,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::mase(values(&actual), values(&forecast), values(&insample), season_length as usize)))
}

/// Mean error `mean(actual - forecast)` (positive: under-forecasting).
#[napi]
pub fn bias(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::bias(values(&actual), values(&forecast))))
}

/// Tracking signal: cumulative error over the mean absolute error.
#[napi]
pub fn tracking_signal(
    actual: Either<Float64Array, Vec<f64>>,
    forecast: Either<Float64Array, Vec<f64>>,
) -> napi::Result<f64, String> {
    js(guarded(|| metrics::tracking_signal(values(&actual), values(&forecast))))
}

/// Result of `welchTTest`.
#[napi(object)]
#[derive(Deserialize)]
pub struct WelchTest {
    /// The t statistic `(mean(a) - mean(b)) / standard error`.
    pub statistic: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// `mean(a) - mean(b)`.
    pub mean_difference: f64,
    /// Two-sided p-value.
    pub p_two_sided: f64,
    /// One-sided p-value for `mean(a) > mean(b)`.
    pub p_greater: f64,
    /// One-sided p-value for `mean(a) < mean(b)`.
    pub p_less: f64,
}

/// Welch's t-test of equal means without assuming equal variances (scipy `ttest_ind(equal_var=False)`).
#[napi]
pub fn welch_t_test(
    a: Either<Float64Array, Vec<f64>>,
    b: Either<Float64Array, Vec<f64>>,
) -> napi::Result<WelchTest, String> {
    js(guarded(|| core_welch(values(&a), values(&b)).and_then(|t| mirror(&t))))
}

/// Result of `ksTwoSample`.
#[napi(object)]
#[derive(Deserialize)]
pub struct KsTest {
    /// `D = sup |F_a - F_b|`.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `'exact'` or `'asymptotic'`.
    pub method: String,
}

/// Two-sample Kolmogorov-Smirnov test (scipy `ks_2samp`, two-sided, method `auto`).
#[napi]
pub fn ks_two_sample(
    a: Either<Float64Array, Vec<f64>>,
    b: Either<Float64Array, Vec<f64>>,
) -> napi::Result<KsTest, String> {
    js(guarded(|| core_ks(values(&a), values(&b)).and_then(|t| mirror(&t))))
}
