//! Input validation shared by every model and every public entry point.
//!
//! Each check returns a typed [`Error`] naming the offending index or parameter, so that bad input is
//! reported the same way whatever the model.

use crate::error::{Error, Result};
use crate::limits::{check_at_most, check_series_length, MAX_HORIZON, MAX_LEVELS, MAX_SEASON_LENGTH};

/// Check that every value is finite and the series has at least `min_len` observations.
///
/// `context` names the method that imposes the minimum (it appears in the error message). A series
/// longer than [`crate::limits::MAX_SERIES_LENGTH`] is rejected before any work is done on it.
pub fn validate_finite(y: &[f64], min_len: usize, context: &str) -> Result<()> {
    if y.is_empty() {
        return Err(Error::EmptySeries);
    }
    check_series_length(y.len())?;
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFinite { index, value });
    }
    if y.len() < min_len {
        return Err(Error::TooShort { len: y.len(), min: min_len, context: context.to_string() });
    }
    Ok(())
}

/// [`validate_finite`] plus: every value is `>= 0` (demand data for intermittent methods).
pub fn validate_non_negative(y: &[f64], min_len: usize, context: &str) -> Result<()> {
    validate_finite(y, min_len, context)?;
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(Error::Negative { index, value, context: context.to_string() });
    }
    Ok(())
}

/// Check that every value is strictly positive (multiplicative error or season).
/// Assumes the values are already known to be finite.
pub fn validate_positive(y: &[f64], context: &str) -> Result<()> {
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| **v <= 0.0) {
        return Err(Error::NonPositive { index, value, context: context.to_string() });
    }
    Ok(())
}

/// `true` when all values are equal (up to a relative tolerance of 1e-12 of the scale).
pub fn is_constant(y: &[f64]) -> bool {
    let Some(&first) = y.first() else { return true };
    let scale = first.abs().max(1.0);
    y.iter().all(|v| (v - first).abs() <= 1e-12 * scale)
}

/// Check a forecast horizon: `1 <= h <= MAX_HORIZON` ([`crate::limits::MAX_HORIZON`]).
pub fn validate_horizon(h: usize) -> Result<()> {
    if h == 0 {
        return Err(Error::invalid_parameter("h", h, "the forecast horizon must be at least 1"));
    }
    check_at_most("h", h, MAX_HORIZON)
}

/// Check prediction-interval levels: each strictly inside (0, 100), given in percent, and at most
/// [`crate::limits::MAX_LEVELS`] of them.
pub fn validate_levels(levels: &[f64]) -> Result<()> {
    if levels.len() > MAX_LEVELS {
        return Err(Error::invalid_parameter(
            "level",
            format!("{} levels", levels.len()),
            format!("at most {MAX_LEVELS} interval levels per request (see forestock::limits)"),
        ));
    }
    for &level in levels {
        if !(level.is_finite() && level > 0.0 && level < 100.0) {
            return Err(Error::invalid_parameter(
                "level",
                level,
                "interval levels are percentages strictly between 0 and 100",
            ));
        }
    }
    Ok(())
}

/// Check a season length: `1 <= m <= MAX_SEASON_LENGTH` (1 means no seasonality;
/// [`crate::limits::MAX_SEASON_LENGTH`]).
pub fn validate_season_length(m: usize) -> Result<()> {
    if m == 0 {
        return Err(Error::invalid_parameter("season_length", m, "must be at least 1 (use 1 for non-seasonal data)"));
    }
    check_at_most("season_length", m, MAX_SEASON_LENGTH)
}

/// Check that a named scalar parameter is finite and within `[lo, hi]`.
pub fn validate_in_range(name: &str, value: f64, lo: f64, hi: f64) -> Result<()> {
    if !(value.is_finite() && value >= lo && value <= hi) {
        return Err(Error::invalid_parameter(name, value, format!("must be within [{lo}, {hi}]")));
    }
    Ok(())
}

/// Every element finite and `>= 0`; the error names `name[index]`.
pub(crate) fn non_negative_slice(name: &str, values: &[f64]) -> Result<()> {
    for (i, &v) in values.iter().enumerate() {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::invalid_parameter(format!("{name}[{i}]"), v, "must be a finite number >= 0"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_checks_name_the_index() {
        assert_eq!(validate_finite(&[], 1, "x"), Err(Error::EmptySeries));
        match validate_finite(&[1.0, f64::NAN], 1, "x") {
            Err(Error::NonFinite { index: 1, .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(validate_finite(&[1.0, 2.0], 3, "ETS"), Err(Error::TooShort { len: 2, min: 3, .. })));
    }

    #[test]
    fn sign_checks() {
        assert!(matches!(validate_non_negative(&[1.0, -2.0], 1, "Croston"), Err(Error::Negative { index: 1, .. })));
        assert!(matches!(validate_positive(&[1.0, 0.0], "MNM"), Err(Error::NonPositive { index: 1, .. })));
    }

    #[test]
    fn parameters() {
        assert!(validate_horizon(0).is_err());
        assert!(validate_levels(&[80.0, 95.0]).is_ok());
        assert!(validate_levels(&[0.0]).is_err());
        assert!(validate_levels(&[100.0]).is_err());
        assert!(validate_levels(&[f64::NAN]).is_err());
        assert!(validate_season_length(0).is_err());
        assert!(validate_horizon(crate::limits::MAX_HORIZON).is_ok());
        assert!(validate_horizon(crate::limits::MAX_HORIZON + 1).is_err());
        assert!(validate_levels(&[95.0; crate::limits::MAX_LEVELS + 1]).is_err());
        assert!(validate_season_length(usize::MAX).is_err());
        assert!(is_constant(&[3.0, 3.0, 3.0]));
        assert!(!is_constant(&[3.0, 3.1]));
    }
}
