//! Point-forecast accuracy measures.
//!
//! With actuals `y_t`, forecasts `f_t`, errors `e_t = y_t - f_t` (`t = 1..n`):
//!
//! | measure | formula | source |
//! |---|---|---|
//! | MAE | `mean |e_t|` | Hyndman & Koehler (2006) |
//! | RMSE | `sqrt(mean e_t²)` | Hyndman & Koehler (2006) |
//! | MAPE | `100 · mean_{y_t ≠ 0} |e_t| / |y_t|` (zero actuals skipped and counted) | Hyndman & Koehler (2006) |
//! | sMAPE | `mean 200 |e_t| / (|y_t| + |f_t|)` (a term with `y_t = f_t = 0` counts 0) | M4 competition guide (2018) |
//! | MASE | `mean |e_t| / ( 1/(T-m) Σ_{i=m+1}^{T} |x_i - x_{i-m}| )`, `x` the in-sample series | M4 guide; Hyndman & Koehler (2006) |
//! | bias | `mean e_t` (mean error; > 0 means under-forecasting) | R forecast `accuracy()` "ME" |
//! | tracking signal | `Σ e_t / MAD`, `MAD = mean |e_t|` (0 when every error is 0) | Brown (1959); Trigg (1964) |
//!
//! Every function checks its input: both slices non-empty and of equal length, every value finite
//! (a bad actual is [`Error::NonFinite`] with its index; a bad forecast is an
//! [`Error::InvalidParameter`] naming `forecast[i]`). Checked against utilsforecast 0.2.17
//! (`tests/tests/suite/metrics_parity.rs`).
//!
//! ```
//! use forestock::metrics::{mae, mape, smape};
//! let (y, f) = ([10.0, 0.0, 20.0], [12.0, 1.0, 15.0]);
//! assert_eq!(mae(&y, &f)?, 8.0 / 3.0);
//! let m = mape(&y, &f)?;                 // the zero actual is skipped and counted
//! assert_eq!((m.used, m.skipped), (2, 1));
//! assert!(smape(&y, &f)? <= 200.0);
//! # Ok::<(), forestock::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// An accuracy measure by name (lower is better for each): the one vocabulary of backtests
/// ([`crate::models::backtest::AccuracySummary::get`]), ensemble weights
/// ([`crate::models::ensemble::WeightScheme::InverseError`]), the registry's promotion policy and its
/// stored figures ([`crate::registry::Metrics::get`]) and retraining. Serialised snake_case
/// (`"mae"`, `"mse"`, `"rmse"`, `"mape"`, `"smape"`, `"mase"`); formulas in the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Mean absolute error.
    Mae,
    /// Mean squared error (RMSE squared).
    Mse,
    /// Root mean squared error.
    Rmse,
    /// Mean absolute percentage error (zero actuals skipped).
    Mape,
    /// Symmetric MAPE.
    Smape,
    /// Mean absolute scaled error (in-sample seasonal-naive MAE as the scale).
    Mase,
}

impl Metric {
    /// The serialised name, e.g. `"mase"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Metric::Mae => "mae",
            Metric::Mse => "mse",
            Metric::Rmse => "rmse",
            Metric::Mape => "mape",
            Metric::Smape => "smape",
            Metric::Mase => "mase",
        }
    }
}

/// MAPE with the count of zero actuals it had to skip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mape {
    /// Mean absolute percentage error over the non-zero actuals, in percent.
    pub value: f64,
    /// Number of pairs used (non-zero actuals).
    pub used: usize,
    /// Number of pairs skipped because the actual was zero.
    pub skipped: usize,
}

/// Validate a pair of actual/forecast slices.
fn check_pair(actual: &[f64], forecast: &[f64]) -> Result<()> {
    if actual.is_empty() {
        return Err(Error::EmptySeries);
    }
    if forecast.len() != actual.len() {
        return Err(Error::invalid_parameter(
            "forecast",
            format!("length {}", forecast.len()),
            format!("must have the length of the actuals ({})", actual.len()),
        ));
    }
    if let Some((index, &value)) = actual.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFinite { index, value });
    }
    if let Some((index, value)) = forecast.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::invalid_parameter(format!("forecast[{index}]"), value, "forecasts must be finite"));
    }
    Ok(())
}

fn errors(actual: &[f64], forecast: &[f64]) -> Result<Vec<f64>> {
    check_pair(actual, forecast)?;
    Ok(actual.iter().zip(forecast).map(|(y, f)| y - f).collect())
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Mean absolute error.
pub fn mae(actual: &[f64], forecast: &[f64]) -> Result<f64> {
    let e = errors(actual, forecast)?;
    Ok(mean(&e.iter().map(|v| v.abs()).collect::<Vec<_>>()))
}

/// Root mean squared error (computed with scaling, so huge errors do not overflow).
pub fn rmse(actual: &[f64], forecast: &[f64]) -> Result<f64> {
    let e = errors(actual, forecast)?;
    let scale = e.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if scale == 0.0 {
        return Ok(0.0);
    }
    Ok(scale * mean(&e.iter().map(|v| (v / scale).powi(2)).collect::<Vec<_>>()).sqrt())
}

/// Mean absolute percentage error (percent), skipping zero actuals.
///
/// Errors with [`Error::InvalidParameter`] (`actual`) when every actual is zero.
pub fn mape(actual: &[f64], forecast: &[f64]) -> Result<Mape> {
    check_pair(actual, forecast)?;
    let terms: Vec<f64> =
        actual.iter().zip(forecast).filter(|(y, _)| **y != 0.0).map(|(y, f)| 100.0 * ((y - f) / y).abs()).collect();
    if terms.is_empty() {
        return Err(Error::invalid_parameter("actual", "all zero", "MAPE needs at least one non-zero actual"));
    }
    Ok(Mape { value: mean(&terms), used: terms.len(), skipped: actual.len() - terms.len() })
}

/// Symmetric MAPE, M4 definition, in `[0, 200]`.
pub fn smape(actual: &[f64], forecast: &[f64]) -> Result<f64> {
    check_pair(actual, forecast)?;
    let terms: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .map(|(y, f)| {
            let denom = y.abs() + f.abs();
            if denom == 0.0 {
                0.0
            } else {
                200.0 * (y - f).abs() / denom
            }
        })
        .collect();
    Ok(mean(&terms))
}

/// In-sample MAE of the seasonal naive forecast: `1/(T-m) Σ_{i>m} |x_i - x_{i-m}|` (MASE's scale).
pub fn seasonal_naive_scale(insample: &[f64], season_length: usize) -> Result<f64> {
    crate::series::validate_season_length(season_length)?;
    crate::series::validate_finite(insample, season_length + 1, "MASE scale")?;
    let diffs: Vec<f64> = insample.windows(season_length + 1).map(|w| (w[season_length] - w[0]).abs()).collect();
    Ok(mean(&diffs))
}

/// Mean absolute scaled error (M4 definition) with the seasonal naive in-sample scale.
///
/// Errors with [`Error::InvalidParameter`] (`insample`) when the scale is zero (e.g. a constant or
/// exactly periodic history), where MASE is undefined.
pub fn mase(actual: &[f64], forecast: &[f64], insample: &[f64], season_length: usize) -> Result<f64> {
    let error = mae(actual, forecast)?;
    let scale = seasonal_naive_scale(insample, season_length)?;
    if scale == 0.0 {
        return Err(Error::invalid_parameter(
            "insample",
            "zero seasonal-naive error",
            "MASE is undefined when the in-sample seasonal naive forecast is exact",
        ));
    }
    Ok(error / scale)
}

/// Mean error `mean(y - f)`: positive when the forecasts are too low.
pub fn bias(actual: &[f64], forecast: &[f64]) -> Result<f64> {
    Ok(mean(&errors(actual, forecast)?))
}

/// Tracking signal: cumulative error over the mean absolute deviation, `Σ e_t / mean |e_t|`.
///
/// Lies in `[-n, n]`; 0 when every error is 0. Values beyond about ±4 are the classic alarm.
pub fn tracking_signal(actual: &[f64], forecast: &[f64]) -> Result<f64> {
    crate::drift::tracking_signal(&errors(actual, forecast)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const Y: [f64; 4] = [10.0, 0.0, 20.0, 5.0];
    const F: [f64; 4] = [12.0, 1.0, 15.0, 5.0];

    #[test]
    fn hand_computed_values() {
        // errors: -2, -1, 5, 0
        assert_eq!(mae(&Y, &F).expect("ok"), 2.0);
        assert!((rmse(&Y, &F).expect("ok") - (30.0f64 / 4.0).sqrt()).abs() < 1e-15);
        let m = mape(&Y, &F).expect("ok");
        assert_eq!((m.used, m.skipped), (3, 1));
        assert!((m.value - 100.0 * (0.2 + 0.25 + 0.0) / 3.0).abs() < 1e-12);
        let s = (200.0 * 2.0 / 22.0 + 200.0 * 1.0 / 1.0 + 200.0 * 5.0 / 35.0 + 0.0) / 4.0;
        assert!((smape(&Y, &F).expect("ok") - s).abs() < 1e-12);
        assert_eq!(bias(&Y, &F).expect("ok"), 0.5);
        assert!((tracking_signal(&Y, &F).expect("ok") - 1.0).abs() < 1e-15);
        // in-sample [1, 3, 2, 6], m = 2: |2-1|, |6-3| -> scale 2; MASE = 2 / 2
        assert_eq!(mase(&Y, &F, &[1.0, 3.0, 2.0, 6.0], 2).expect("ok"), 1.0);
        assert_eq!(smape(&[0.0], &[0.0]).expect("ok"), 0.0);
    }

    #[test]
    fn bad_input_is_typed() {
        assert_eq!(mae(&[], &[]), Err(Error::EmptySeries));
        assert!(
            matches!(mae(&[1.0], &[1.0, 2.0]), Err(Error::InvalidParameter { ref name, .. }) if name == "forecast")
        );
        assert!(matches!(rmse(&[1.0, f64::NAN], &[1.0, 2.0]), Err(Error::NonFinite { index: 1, .. })));
        assert!(
            matches!(bias(&[1.0, 2.0], &[1.0, f64::INFINITY]), Err(Error::InvalidParameter { ref name, .. }) if name == "forecast[1]")
        );
        assert!(matches!(mape(&[0.0, 0.0], &[1.0, 2.0]), Err(Error::InvalidParameter { .. })));
        assert!(
            matches!(mase(&Y, &F, &[2.0, 2.0, 2.0], 1), Err(Error::InvalidParameter { ref name, .. }) if name == "insample")
        );
        assert!(matches!(mase(&Y, &F, &[2.0], 1), Err(Error::TooShort { .. })));
        assert!(matches!(mase(&Y, &F, &[2.0, 3.0], 0), Err(Error::InvalidParameter { .. })));
        assert_eq!(tracking_signal(&[3.0], &[3.0]).expect("ok"), 0.0);
        assert!(rmse(&[1e300, -1e300], &[-1e300, 1e300]).expect("ok").is_finite());
    }

    fn pairs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        (1usize..40)
            .prop_flat_map(|n| (proptest::collection::vec(-1e3f64..1e3, n), proptest::collection::vec(-1e3f64..1e3, n)))
    }

    proptest! {
        #[test]
        fn mae_never_exceeds_rmse((y, f) in pairs()) {
            let (a, r) = (mae(&y, &f).expect("ok"), rmse(&y, &f).expect("ok"));
            prop_assert!(a <= r * (1.0 + 1e-12) + 1e-12);
        }

        #[test]
        fn mase_is_scale_invariant(
            (y, f) in pairs(),
            insample in proptest::collection::vec(-1e3f64..1e3, 6..30),
            c in 1e-3f64..1e3,
        ) {
            let Ok(base) = mase(&y, &f, &insample, 2) else { return Ok(()) };
            let scaled = |v: &[f64]| v.iter().map(|x| x * c).collect::<Vec<_>>();
            let other = mase(&scaled(&y), &scaled(&f), &scaled(&insample), 2).expect("ok");
            prop_assert!((base - other).abs() <= 1e-9 * base.max(1.0));
        }

        #[test]
        fn smape_is_bounded_and_tracking_signal_within_n((y, f) in pairs()) {
            let s = smape(&y, &f).expect("ok");
            prop_assert!((0.0..=200.0 + 1e-9).contains(&s));
            let ts = tracking_signal(&y, &f).expect("ok");
            prop_assert!(ts.abs() <= y.len() as f64 + 1e-9);
            prop_assert!((bias(&y, &f).expect("ok") + bias(&f, &y).expect("ok")).abs() < 1e-9);
        }
    }
}
