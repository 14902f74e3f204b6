//! [`Theta`]: the standard Theta method exactly as R `forecast::thetaf()` (8.20) computes it.
//!
//! Hyndman & Billah (2003), "Unmasking the Theta method", IJF 19(2), showed that the method of
//! Assimakopoulos & Nikolopoulos (2000), "The theta model: a decomposition approach to
//! forecasting", IJF 16(4), is simple exponential smoothing with a drift of half the slope of the
//! linear trend. With `x` the seasonally adjusted series (module `seasonality`), `n` its length:
//!
//! ```text
//! SES:    ETS(A,N,N) on x with optimal ℓ₀ and α by in-sample MSE   (R ses() = ets(x, "ANN", opt.crit = "mse"))
//! drift:  b/2, b the least-squares slope of x on t = 0..n-1          (R lsfit)
//! mean:   ŷ_{n+j} = (ℓ_n + b/2 · (j − 1 + (1 − (1−α)^n)/α)) · s_{n+j},   j = 1..h,  α ← max(α, 1e-10)
//! bounds: ŷ_{n+j} ± z · σ √((j−1) α² + 1),  σ² = SSE/(n − 2) of the SES fit
//! ```
//!
//! `s_{n+j}` repeats the last `m` multiplicative indices (1 when not adjusted). As in R, the
//! interval half-width is not reseasonalised, and the fitted values are the SES one-step fitted
//! values times the seasonal indices (without the drift).

use serde::{Deserialize, Serialize};

use super::seasonality::{seasonal_adjustment, Adjustment, SeasonalTest};
use crate::error::Result;
use crate::models::ets::{Criterion, Ets, EtsFit};
use crate::models::{normal_intervals, response_residuals, validate_request, Fitted, Forecast, Forecaster};
use crate::series::{validate_finite, validate_season_length};

/// Fewest observations [`Theta`] accepts (ETS(A,N,N) needs two parameters and two residuals).
pub const THETA_MIN_LENGTH: usize = 4;

/// Standard Theta method (R `forecast::thetaf`): SES with drift on the seasonally adjusted series.
///
/// ```
/// use forestock::models::{Fitted, Forecaster, Theta};
/// let y: Vec<f64> = (0..60).map(|t| 100.0 + 2.0 * t as f64 + 15.0 * ((t % 12) as f64 / 2.0).sin()).collect();
/// let fit = Theta::new(12).fit(&y)?;
/// let fc = fit.predict(12, &[80.0, 95.0])?;
/// assert_eq!(fc.mean.len(), 12);
/// assert!(fit.drift() > 0.0);
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theta {
    /// Season length `m` (1 for non-seasonal data); tested as in `thetaf` before adjusting.
    pub season_length: usize,
}

impl Theta {
    /// A Theta forecaster for data with season length `season_length`.
    pub fn new(season_length: usize) -> Self {
        Theta { season_length }
    }
}

/// A fitted [`Theta`] model.
#[derive(Debug, Clone, PartialEq)]
pub struct ThetaFit {
    season_length: usize,
    adjustment: Adjustment,
    ses: EtsFit,
    alpha: f64,
    drift: f64,
    fitted: Vec<f64>,
    y: Vec<f64>,
}

impl Forecaster for Theta {
    type Model = ThetaFit;

    fn fit(&self, y: &[f64]) -> Result<ThetaFit> {
        let m = self.season_length;
        validate_season_length(m)?;
        validate_finite(y, THETA_MIN_LENGTH, "Theta")?;
        let adjustment = seasonal_adjustment(y, m);
        let x = &adjustment.adjusted;
        let ses = Ets::new("ANN", 1)?.with_criterion(Criterion::Mse).fit(x)?;
        // R guards the division in the drift term of the mean.
        let alpha = ses.alpha().max(1e-10);
        let drift = least_squares_slope(x) / 2.0;
        let fitted = ses.fitted_values().iter().zip(&adjustment.indices).map(|(f, s)| f * s).collect();
        Ok(ThetaFit { season_length: m, adjustment, ses, alpha, drift, fitted, y: y.to_vec() })
    }
}

/// Least-squares slope of `x` on `t = 0..n-1` (R `lsfit(0:(n-1), x)$coef[2]`).
pub(crate) fn least_squares_slope(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let t_mean = (n - 1.0) / 2.0;
    let x_mean = x.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, v) in x.iter().enumerate() {
        let dt = t as f64 - t_mean;
        sxy += dt * (v - x_mean);
        sxx += dt * dt;
    }
    if sxx > 0.0 {
        sxy / sxx
    } else {
        0.0
    }
}

impl ThetaFit {
    /// SES smoothing parameter α (floored at 1e-10 as R does).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Drift `b/2`: half the least-squares slope of the seasonally adjusted series.
    pub fn drift(&self) -> f64 {
        self.drift
    }
    /// Innovation variance of the SES fit, `SSE / (n − 2)`.
    pub fn sigma2(&self) -> f64 {
        self.ses.sigma2()
    }
    /// Initial level `ℓ₀` of the SES fit.
    pub fn initial_level(&self) -> f64 {
        self.ses.initial_states().first().copied().unwrap_or(f64::NAN)
    }
    /// The seasonality test's decision.
    pub fn seasonal_test(&self) -> &SeasonalTest {
        &self.adjustment.test
    }
    /// `true` when the series was divided by multiplicative seasonal indices.
    pub fn seasonally_adjusted(&self) -> bool {
        matches!(self.adjustment.test, SeasonalTest::Adjusted { .. })
    }
    /// The seasonal index of every training observation (all 1 when not adjusted).
    pub fn seasonal_indices(&self) -> &[f64] {
        &self.adjustment.indices
    }
}

impl Fitted for ThetaFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let n = self.y.len();
        let a = self.alpha;
        let level = self.ses.point_forecast(1).first().copied().unwrap_or(f64::NAN);
        let start = (1.0 - (1.0 - a).powf(n as f64)) / a;
        let mean: Vec<f64> = (0..h)
            .map(|j| {
                let s = self.adjustment.future_index(j, self.season_length);
                (level + self.drift * (j as f64 + start)) * s
            })
            .collect();
        let sigma = self.sigma2().max(0.0).sqrt();
        let sd: Vec<f64> = (0..h).map(|j| sigma * (j as f64 * a * a + 1.0).sqrt()).collect();
        let intervals = normal_intervals(&mean, &sd, levels);
        Ok(Forecast { mean, intervals })
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        response_residuals(&self.y, &self.fitted)
    }

    /// The season length when the seasonality test leaves it unused, with the reason.
    fn unused_periods(&self) -> Vec<crate::models::DroppedPeriod> {
        self.adjustment.test.unused(self.season_length)
    }

    fn description(&self) -> String {
        format!(
            "Theta(alpha={:.4}, drift={:.4}; {})",
            self.alpha,
            self.drift,
            self.adjustment.test.phrase(self.season_length)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line() {
        let x: Vec<f64> = (0..10).map(|t| 3.0 - 0.5 * t as f64).collect();
        assert!((least_squares_slope(&x) + 0.5).abs() < 1e-14);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Theta::new(0).fit(&[1.0, 2.0, 3.0, 4.0, 5.0]).is_err());
        assert!(Theta::new(1).fit(&[1.0, 2.0, 3.0]).is_err());
        assert!(Theta::new(1).fit(&[1.0, f64::NAN, 3.0, 4.0, 5.0]).is_err());
        let fit = Theta::new(1).fit(&[1.0, 3.0, 2.0, 4.0, 3.0, 5.0]).expect("fit");
        assert!(fit.predict(0, &[]).is_err());
        assert!(fit.predict(2, &[100.0]).is_err());
    }
}
