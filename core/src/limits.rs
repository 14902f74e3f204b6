//! Size limits on every number a caller controls that decides how much memory or time a call uses.
//!
//! A horizon of `10^9` or a season length of `2^63` must not reach an allocation: the allocator
//! aborts the whole host process (a Python or Node server) when it cannot satisfy a request, and no
//! `Result` can catch that. So each size is checked against the limit below *before* anything is
//! allocated, by the shared validators in [`crate::series`] (`validate_horizon`, `validate_levels`,
//! `validate_season_length`, `validate_finite`) that every model, batch, plan, backtest and
//! simulation path already calls. Exceeding a limit is an [`crate::Error::InvalidParameter`] naming
//! the parameter as the caller spells it (`h`, `level`, `season_length`, `y`, ...), never a panic.
//!
//! The values are far above any planning use and far below what would exhaust a server; they are
//! documented with their reasons in `docs/reliability.md`.

use crate::error::{Error, Result};

/// Largest forecast horizon, in periods: 100,000.
///
/// Why: a forecast holds `(1 + 2·levels)` vectors of `h` floats, and a plan holds one per SKU. Even
/// half-hourly data over five years is under 90,000 periods; beyond that a forecast carries no
/// information (every model's intervals have long converged or diverged) and the memory of one
/// call, `h · (1 + 2·MAX_LEVELS) · 8` bytes, stays under 35 MB.
pub const MAX_HORIZON: usize = 100_000;

/// Largest number of prediction-interval levels in one request: 20.
///
/// Why: each level adds two vectors of `h` floats; a handful (80, 90, 95, 99) is the common use,
/// 20 leaves room for quantile grids (5, 10, ..., 95) without multiplying memory unboundedly.
pub const MAX_LEVELS: usize = 20;

/// Largest season length, in periods: 10,000.
///
/// Why: the longest cycle a forecaster meets in practice is a yearly cycle of hourly data (8,766
/// periods). Seasonal models hold `m` states and need at least one or two full seasons of data, so
/// a larger `m` can never be fitted and a huge one (`2^63`) overflows the arithmetic on `m`.
pub const MAX_SEASON_LENGTH: usize = 10_000;

/// Largest number of observations in one series: 1,000,000.
///
/// Why: fitting cost grows linearly with the length and with the number of optimizer steps; a
/// million points (114 years of hourly data) fits in seconds for the simple models, while the
/// automatic ETS selection over ten million points ran for minutes without a way to stop it. Longer
/// series should be aggregated or truncated to their recent history by the caller.
pub const MAX_SERIES_LENGTH: usize = 1_000_000;

/// Largest number of simulated periods per trial (warm-up plus measured periods): 10,000,000.
///
/// Why: the simulator keeps the demand history of a trial (8 bytes per period, 80 MB at the
/// limit); a million measured periods already estimates a service level to three decimals.
pub const MAX_SIMULATION_PERIODS: usize = 10_000_000;

/// Largest number of simulation trials: 10,000.
///
/// Why: trials run one after the other; results converge long before, and the product with
/// [`MAX_SIMULATION_PERIODS`] bounds the run time of one call.
pub const MAX_SIMULATION_TRIALS: usize = 10_000;

/// Most loess passes of an STL run (`inner`, `outer`) and rounds of an MSTL decomposition
/// (`iterate`). R uses 1-2 inner, 0 or 15 outer passes and 2 rounds; each pass costs a smoothing of
/// the whole series, so an unbounded count is an unbounded run time.
pub const MAX_STL_PASSES: usize = 1_000;

/// Widest loess span of an STL run (`s_window`, `t_window`, `l_window`) and largest jump. A
/// periodic seasonal uses `10 n + 1`, at most `10 MAX_SERIES_LENGTH + 1`; wider spans smooth the
/// same as that one, and spans near `usize::MAX` would overflow the span arithmetic.
pub const MAX_STL_SPAN: usize = 10 * MAX_SERIES_LENGTH + 1;

/// Largest number of forecast values one batch call may produce: 100,000,000 (800 MB of f64).
///
/// Why: a batch (`forecast_batch_with`, `run_plan_with`) holds every series' forecast at once,
/// `series · h · (1 + 2·levels)` values. Each factor may be within its own limit while the product
/// exhausts memory (100,000 series at the horizon limit would need 80 GB). A million SKUs planned
/// 13 weeks ahead with two interval levels is 65 million values, inside the limit.
pub const MAX_BATCH_VALUES: usize = 100_000_000;

/// Reject a batch whose forecasts would hold more than [`MAX_BATCH_VALUES`] values
/// (an [`Error::InvalidParameter`] on `h`, the factor a caller most often sets too large).
pub fn check_batch_size(series: usize, h: usize, levels: usize) -> Result<()> {
    let values = series.saturating_mul(h).saturating_mul(levels.saturating_mul(2).saturating_add(1));
    if values > MAX_BATCH_VALUES {
        return Err(Error::invalid_parameter(
            "h",
            h,
            format!(
                "{series} series × {h} steps × (1 + 2 × {levels} levels) = {values} forecast values, more than \
                 the {MAX_BATCH_VALUES} one batch may hold (see forestock::limits); split the batch"
            ),
        ));
    }
    Ok(())
}

/// Reject `value` above `max` for the parameter `name` (as the caller spells it).
pub fn check_at_most(name: &str, value: usize, max: usize) -> Result<()> {
    if value > max {
        return Err(Error::invalid_parameter(
            name,
            value,
            format!("must be at most {max} (see forestock::limits and docs/reliability.md)"),
        ));
    }
    Ok(())
}

/// Reject a series longer than [`MAX_SERIES_LENGTH`] (an [`Error::InvalidParameter`] on `y`).
pub fn check_series_length(len: usize) -> Result<()> {
    if len > MAX_SERIES_LENGTH {
        return Err(Error::invalid_parameter(
            "y",
            format!("{len} observations"),
            format!(
                "a series holds at most {MAX_SERIES_LENGTH} observations (see forestock::limits); \
                 aggregate or keep the recent history"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_parameter() {
        assert!(check_at_most("h", MAX_HORIZON, MAX_HORIZON).is_ok());
        match check_at_most("h", MAX_HORIZON + 1, MAX_HORIZON) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "h"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(check_series_length(MAX_SERIES_LENGTH).is_ok());
        assert!(matches!(check_series_length(MAX_SERIES_LENGTH + 1), Err(Error::InvalidParameter { .. })));
        assert!(check_batch_size(1_000_000, 13, 2).is_ok());
        assert!(check_batch_size(100_000, MAX_HORIZON, 0).is_err());
        assert!(check_batch_size(usize::MAX, usize::MAX, usize::MAX).is_err());
    }
}
