//! The seasonality test and the seasonal adjustment shared by [`super::Theta`] and
//! [`super::AutoTheta`], as R `forecast::thetaf()` (8.20) does them.
//!
//! **Test** (Assimakopoulos & Nikolopoulos 2000, as coded in `thetaf`): only when `m > 1`, the
//! series is not constant and `n > 2m`. With `r_k` the sample autocorrelations of R `acf()`
//! (demeaned, denominator `n`), the series is seasonal when
//! `|r_m| / √((1 + 2 Σ_{k=1}^{m-1} r_k²) / n) > Φ⁻¹(0.95) = 1.645`.
//!
//! **Adjustment**: R `decompose(x, type = "multiplicative")` (module `decompose`), then
//! `x_t / s_t`. R falls back to the non-seasonal method when an index is below `1e-4` in absolute
//! value; the same fallback is taken here when an index is not finite (a series with zero or
//! negative values, where R would divide by a zero trend).

use serde::{Deserialize, Serialize};

use crate::models::decompose::seasonal_figure;
use crate::models::z_for_level;
use crate::series::is_constant;

/// Smallest absolute seasonal index R accepts before falling back to the non-seasonal method.
const MIN_SEASONAL_INDEX: f64 = 1e-4;

/// What the seasonality test and the decomposition decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SeasonalTest {
    /// `season_length` is 1: nothing to test.
    NotApplicable,
    /// The series is constant or has `n ≤ 2m` points, so the test was not run (R's rule).
    TooShortOrConstant,
    /// The test ran and found no significant autocorrelation at lag `m`.
    NotSignificant {
        /// `|r_m| / se` of the test.
        statistic: f64,
    },
    /// Significant, but the multiplicative indices were unusable (|s| < 1e-4 or not finite).
    UnusableIndices {
        /// `|r_m| / se` of the test.
        statistic: f64,
    },
    /// Significant: the series was divided by the multiplicative seasonal indices.
    Adjusted {
        /// `|r_m| / se` of the test.
        statistic: f64,
    },
}

impl SeasonalTest {
    /// The season length `m`, when the decision leaves it unused, with the reason
    /// ([`crate::models::Fitted::unused_periods`] of `Theta` and `AutoTheta`).
    pub(crate) fn unused(&self, m: usize) -> Vec<crate::models::DroppedPeriod> {
        let reason = match self {
            SeasonalTest::NotApplicable | SeasonalTest::Adjusted { .. } => return Vec::new(),
            SeasonalTest::TooShortOrConstant => {
                format!("the seasonality test needs a non-constant series of more than 2 * {m} observations")
            }
            SeasonalTest::NotSignificant { statistic } => {
                format!("no significant autocorrelation at lag {m} (test statistic {statistic:.2} < 1.645)")
            }
            SeasonalTest::UnusableIndices { .. } => {
                "significant, but the multiplicative seasonal indices are unusable (near 0 or not finite)".to_string()
            }
        };
        vec![crate::models::DroppedPeriod { period: m, reason }]
    }

    /// A short phrase for model descriptions.
    pub(crate) fn phrase(&self, m: usize) -> String {
        match self {
            SeasonalTest::NotApplicable => "non-seasonal".to_string(),
            SeasonalTest::TooShortOrConstant => format!("season {m} not tested: constant or n <= 2m"),
            SeasonalTest::NotSignificant { statistic } => {
                format!("season {m} not significant (stat {statistic:.2})")
            }
            SeasonalTest::UnusableIndices { .. } => format!("season {m} significant but indices unusable"),
            SeasonalTest::Adjusted { .. } => format!("multiplicative season {m}"),
        }
    }
}

/// The outcome of [`seasonal_adjustment`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Adjustment {
    /// What was decided.
    pub test: SeasonalTest,
    /// The seasonal index of every observation (all 1 when the series was not adjusted).
    pub indices: Vec<f64>,
    /// The series divided by `indices`.
    pub adjusted: Vec<f64>,
}

impl Adjustment {
    /// Seasonal factor of forecast step `j` (0-based): R repeats the last `m` indices.
    pub fn future_index(&self, j: usize, m: usize) -> f64 {
        match self.test {
            SeasonalTest::Adjusted { .. } => {
                let n = self.indices.len();
                self.indices[n - m + j % m]
            }
            _ => 1.0,
        }
    }
}

/// Sample autocorrelations `r_1..=r_max_lag` as R `acf()` computes them.
pub(crate) fn autocorrelations(x: &[f64], max_lag: usize) -> Vec<f64> {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let dev: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let c0: f64 = dev.iter().map(|d| d * d).sum();
    (1..=max_lag)
        .map(|k| {
            if k >= n {
                return 0.0;
            }
            let ck: f64 = dev[..n - k].iter().zip(&dev[k..]).map(|(a, b)| a * b).sum();
            ck / c0
        })
        .collect()
}

/// The statistic of `thetaf`'s seasonality test at lag `m` (`2 ≤ m < n`):
/// `|r_m| / √((1 + 2 Σ_{k<m} r_k²) / n)` (Bartlett's standard error of `r_m` under no
/// autocorrelation beyond lag `m - 1`).
pub(crate) fn seasonality_statistic(x: &[f64], m: usize) -> f64 {
    let n = x.len();
    let r = autocorrelations(x, m);
    let se = ((1.0 + 2.0 * r[..m - 1].iter().map(|v| v * v).sum::<f64>()) / n as f64).sqrt();
    r[m - 1].abs() / se
}

/// Whether a [`seasonality_statistic`] is significant: above `Φ⁻¹(0.95) = 1.645`, the one-sided 5%
/// critical value of A&N's test (R `qnorm(0.95)`); a NaN statistic counts as not significant.
pub(crate) fn is_significant(statistic: f64) -> bool {
    statistic > z_for_level(90.0)
}

/// `thetaf`'s seasonality test and, when seasonal, the multiplicative adjustment of `x`.
pub(crate) fn seasonal_adjustment(x: &[f64], m: usize) -> Adjustment {
    let unadjusted = |test| Adjustment { test, indices: vec![1.0; x.len()], adjusted: x.to_vec() };
    if m <= 1 {
        return unadjusted(SeasonalTest::NotApplicable);
    }
    let n = x.len();
    if is_constant(x) || n <= 2 * m {
        return unadjusted(SeasonalTest::TooShortOrConstant);
    }
    let statistic = seasonality_statistic(x, m);
    let significant = is_significant(statistic);
    if !significant {
        return unadjusted(SeasonalTest::NotSignificant { statistic });
    }
    let (figure, _) = seasonal_figure(x, m, true);
    if figure.iter().any(|s| !s.is_finite() || s.abs() < MIN_SEASONAL_INDEX) {
        return unadjusted(SeasonalTest::UnusableIndices { statistic });
    }
    let indices: Vec<f64> = (0..n).map(|t| figure[t % m]).collect();
    let adjusted = x.iter().zip(&indices).map(|(v, s)| v / s).collect();
    Adjustment { test: SeasonalTest::Adjusted { statistic }, indices, adjusted }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autocorrelation_of_a_alternating_series() {
        let x = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0];
        let r = autocorrelations(&x, 2);
        // R: acf(c(1,-1,1,-1,1,-1))$acf[2:3] = -5/6, 4/6.
        assert!((r[0] + 5.0 / 6.0).abs() < 1e-15);
        assert!((r[1] - 4.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn detects_a_strong_season_and_skips_short_series() {
        let y: Vec<f64> = (0..48).map(|t| 100.0 * [1.2, 0.8, 1.0, 1.0][t % 4] + t as f64).collect();
        let adj = seasonal_adjustment(&y, 4);
        assert!(matches!(adj.test, SeasonalTest::Adjusted { .. }), "{:?}", adj.test);
        assert!((adj.future_index(0, 4) - adj.indices[44]).abs() < 1e-15);
        assert_eq!(seasonal_adjustment(&y[..8], 4).test, SeasonalTest::TooShortOrConstant);
        assert_eq!(seasonal_adjustment(&y, 1).test, SeasonalTest::NotApplicable);
    }
}
