//! R-compatible outlier detection and missing-value interpolation: forecast 8.20's `tsoutliers()` and
//! `na.interp()` (Hyndman et al., `R/clean.R`), with R's numbers.
//!
//! `na.interp(x)`: for a non-seasonal series (frequency 1, or at most `2 * frequency` observed values)
//! the gaps are filled by linear interpolation between the nearest observed neighbours, ends held at
//! the first / last observed value (R `approx(rule = 2)`).
//!
//! `tsoutliers(x)`: gaps are filled with `na.interp`; a seasonal series (`frequency > 1` and
//! `n > 2 * frequency`) is seasonally adjusted by a robust MSTL when the seasonal strength
//! `1 - var(remainder) / var(x - trend)` is at least 0.6; Friedman's super smoother
//! ([`super::supsmu`]) is fitted against time; residuals outside `[Q1 - 3 IQR, Q3 + 3 IQR]` (type-7
//! quartiles) are outliers. The outliers are set missing and re-filled with `na.interp`, and the whole
//! procedure runs once more on the cleaned series (two passes at most): the union of both passes'
//! indices is returned with the values `na.interp` gives them.
//!
//! For a seasonal series (`frequency > 1` and more than `2 * frequency` observed values)
//! `na.interp` fills the gaps from a Fourier + polynomial regression refined by a robust MSTL, and
//! `tsoutliers` adjusts seasonally with a robust MSTL: see [`super::seasonal_fill`]. Several periods
//! make an R `msts` series (its frequency is the longest period).

use super::rstats::{approx_rule2, quantile7_sorted, r_is_constant, sorted_copy};
use super::seasonal_fill::{adjust_if_seasonal, seasonal_fill, Periods};
use super::supsmu::supsmu;
use crate::error::{Error, Result};

/// Outliers found by [`tsoutliers`]: 0-based positions (ascending) and suggested replacements.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TsOutliers {
    /// 0-based positions of the outliers, ascending (R's `index` minus one).
    pub index: Vec<usize>,
    /// The value `na.interp` puts at each outlier once all outliers are removed (R's `replacements`).
    pub replacements: Vec<f64>,
}

fn validate(y: &[f64], seasons: &[usize]) -> Result<()> {
    if y.is_empty() {
        return Err(Error::EmptySeries);
    }
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| v.is_infinite()) {
        return Err(Error::NonFinite { index, value });
    }
    if let Some(&m) = seasons.iter().find(|&&m| m == 0) {
        return Err(Error::invalid_parameter(
            "season_length",
            m,
            "every period must be at least 1 (use 1 for non-seasonal data)",
        ));
    }
    Ok(())
}

/// R forecast's `na.interp(x)`: `y` with its missing values (NaN) filled; `seasons` are the seasonal
/// periods (`[1]` or `[]` for none). Infinite values are rejected; at least two observed values are
/// needed (as in R's `approx`).
pub fn na_interp(y: &[f64], seasons: &[usize]) -> Result<Vec<f64>> {
    validate(y, seasons)?;
    na_interp_checked(y, &Periods::new(seasons))
}

fn na_interp_checked(y: &[f64], periods: &Periods) -> Result<Vec<f64>> {
    let observed: Vec<usize> = (0..y.len()).filter(|&i| !y[i].is_nan()).collect();
    if observed.len() == y.len() {
        return Ok(y.to_vec());
    }
    if observed.len() < 2 {
        return Err(Error::TooShort {
            len: observed.len(),
            min: 2,
            context: "na_interp (observed values to interpolate between)".to_string(),
        });
    }
    let freq = periods.frequency();
    if freq > 1
        && observed.len() > 2 * freq
        && let Some(filled) = seasonal_fill(y, periods)?
    {
        return Ok(filled);
    }
    let xs: Vec<f64> = observed.iter().map(|&i| (i + 1) as f64).collect();
    let ys: Vec<f64> = observed.iter().map(|&i| y[i]).collect();
    let at: Vec<f64> = (1..=y.len()).map(|t| t as f64).collect();
    Ok(approx_rule2(&xs, &ys, &at))
}

/// R forecast's `tsoutliers(x)` (defaults `iterate = 2`, no Box-Cox): outliers of `y` (NaN marks a
/// missing value, never reported as an outlier) and their replacements. `seasons` are the seasonal
/// periods (`[1]` or `[]` for none; several for an `msts` series).
pub fn tsoutliers(y: &[f64], seasons: &[usize]) -> Result<TsOutliers> {
    validate(y, seasons)?;
    if y.iter().filter(|v| !v.is_nan()).count() < 2 {
        return Err(Error::TooShort {
            len: y.iter().filter(|v| !v.is_nan()).count(),
            min: 2,
            context: "tsoutliers (observed values)".to_string(),
        });
    }
    one_pass(y, &Periods::new(seasons), 2)
}

fn one_pass(x: &[f64], periods: &Periods, iterate: u32) -> Result<TsOutliers> {
    let n = x.len();
    let missing: Vec<bool> = x.iter().map(|v| v.is_nan()).collect();
    let mut xx = na_interp_checked(x, periods)?;
    if r_is_constant(&xx) {
        return Ok(TsOutliers::default());
    }
    let freq = periods.frequency();
    if freq > 1 && n > 2 * freq {
        xx = adjust_if_seasonal(&xx, periods)?;
    }
    let tt: Vec<f64> = (1..=n).map(|t| t as f64).collect();
    let smooth = supsmu(&tt, &xx);
    let resid: Vec<f64> = (0..n).map(|i| if missing[i] { f64::NAN } else { xx[i] - smooth[i] }).collect();
    let sorted = sorted_copy(&resid);
    let (q1, q3) = (quantile7_sorted(&sorted, 0.25), quantile7_sorted(&sorted, 0.75));
    let iqr = q3 - q1;
    let (lo, hi) = (q1 - 3.0 * iqr, q3 + 3.0 * iqr);
    let mut outliers: Vec<usize> =
        if hi - lo > 1e-14 { (0..n).filter(|&i| resid[i] < lo || resid[i] > hi).collect() } else { Vec::new() };
    let mut cleaned = refill(x, &outliers, periods)?;
    if iterate > 1 {
        let again = one_pass(&cleaned, periods, 1)?;
        if !again.index.is_empty() {
            outliers.extend(again.index);
            outliers.sort_unstable();
            outliers.dedup();
            let mut blanked = cleaned.clone();
            outliers.iter().for_each(|&i| blanked[i] = f64::NAN);
            let observed: Vec<f64> = blanked.iter().copied().filter(|v| !v.is_nan()).collect();
            cleaned = if observed.len() == 1 { vec![observed[0]; n] } else { na_interp_checked(&blanked, periods)? };
        }
    }
    let replacements = outliers.iter().map(|&i| cleaned[i]).collect();
    Ok(TsOutliers { index: outliers, replacements })
}

/// `x` with the given positions set missing, then every gap filled by `na.interp`.
fn refill(x: &[f64], positions: &[usize], periods: &Periods) -> Result<Vec<f64>> {
    let mut blanked = x.to_vec();
    positions.iter().for_each(|&i| blanked[i] = f64::NAN);
    na_interp_checked(&blanked, periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_fill_holds_the_ends() {
        let y = [f64::NAN, 2.0, f64::NAN, 4.0, f64::NAN];
        assert_eq!(na_interp(&y, &[1]).expect("a value"), vec![2.0, 2.0, 3.0, 4.0, 4.0]);
    }

    #[test]
    fn a_spike_on_a_line_is_found_and_replaced() {
        let mut y: Vec<f64> = (0..40).map(|t| 10.0 + t as f64 + if t % 2 == 0 { 0.3 } else { -0.3 }).collect();
        y[20] += 25.0;
        let out = tsoutliers(&y, &[1]).expect("a value");
        assert_eq!(out.index, vec![20]);
        assert!((out.replacements[0] - 30.0).abs() < 1.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(tsoutliers(&[], &[1]), Err(Error::EmptySeries));
        assert!(matches!(tsoutliers(&[1.0, f64::INFINITY], &[1]), Err(Error::NonFinite { index: 1, .. })));
        assert!(matches!(na_interp(&[f64::NAN, 1.0], &[1]), Err(Error::TooShort { .. })));
        assert!(matches!(tsoutliers(&[1.0, 2.0], &[0]), Err(Error::InvalidParameter { .. })));
        assert_eq!(tsoutliers(&[3.0; 10], &[1]).expect("a value"), TsOutliers::default());
    }
}
