//! The baseline of a series with event periods: what it would have been without the events.
//!
//! Event periods are set missing and filled the way R forecast's `na.interp()` fills a seasonal
//! series (Hyndman, `R/clean.R`): estimate the seasonal component, interpolate the seasonally
//! adjusted series linearly across the gaps, and add the seasonal component back. Two differences,
//! both because the gaps here are *recurring* events rather than random missing values:
//! - the seasonal term ignores the event periods: a trend by a centred running median over one cycle
//!   of the linearly filled series, then `s_t` = the median of the detrended values at the same phase
//!   in the [`SEASONAL_CYCLES`] nearest non-event periods of that phase (a promotion held every
//!   December would otherwise become part of December's seasonal term);
//! - the linear fill is forecast's non-seasonal `na.interp` ([`crate::anomaly::na_interp`] with
//!   period 1, R's `approx(rule = 2)`), used on the seasonally adjusted series.
//!
//! The seasonal step uses the longest given period with at least two full cycles of data and
//! at least one non-event value per phase; otherwise the fill is linear. A non-negative series keeps
//! a non-negative baseline.

use crate::anomaly::na_interp;
use crate::anomaly::robust::{median_in_place, running_median};
use crate::error::{Error, Result};

/// Same-phase non-event values behind each seasonal term.
pub const SEASONAL_CYCLES: usize = 6;

/// `y` with the periods where `is_event` is true replaced by the baseline (see the module docs);
/// other periods are returned unchanged. `periods` are the seasonal periods (empty or `[1]`: none).
pub fn event_baseline(y: &[f64], is_event: &[bool], periods: &[usize]) -> Result<Vec<f64>> {
    let n = y.len();
    if is_event.len() != n {
        return Err(Error::invalid_parameter(
            "events",
            format!("{} labels", is_event.len()),
            format!("must have one label per period of the series ({n})"),
        ));
    }
    if !is_event.iter().any(|&e| e) {
        return Ok(y.to_vec());
    }
    let free = is_event.iter().filter(|&&e| !e).count();
    if free < 2 {
        return Err(Error::TooShort {
            len: free,
            min: 2,
            context: "the event baseline (periods without an event to interpolate between)".to_string(),
        });
    }
    let masked: Vec<f64> = y.iter().zip(is_event).map(|(&v, &e)| if e { f64::NAN } else { v }).collect();
    let linear = na_interp(&masked, &[1])?;
    let seasonal = match season_for(n, is_event, periods) {
        Some(m) => seasonal_terms(y, &linear, is_event, m),
        None => vec![0.0; n],
    };
    let adjusted: Vec<f64> = masked.iter().zip(&seasonal).map(|(v, s)| v - s).collect();
    let filled = na_interp(&adjusted, &[1])?;
    let non_negative = y.iter().all(|&v| v >= 0.0);
    Ok((0..n)
        .map(|t| {
            if !is_event[t] {
                return y[t];
            }
            let b = filled[t] + seasonal[t];
            if non_negative {
                b.max(0.0)
            } else {
                b
            }
        })
        .collect())
}

/// The longest period `m >= 2` with at least two full cycles and a non-event value at every phase.
fn season_for(n: usize, is_event: &[bool], periods: &[usize]) -> Option<usize> {
    let mut candidates: Vec<usize> = periods.iter().copied().filter(|&m| m >= 2 && n >= 2 * m).collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    candidates.into_iter().find(|&m| (0..m).all(|phase| (phase..n).step_by(m).any(|t| !is_event[t])))
}

/// Seasonal term per period from the non-event periods (see the module docs), centred on zero
/// over one cycle so the level stays in the adjusted series.
fn seasonal_terms(y: &[f64], linear: &[f64], is_event: &[bool], m: usize) -> Vec<f64> {
    let n = y.len();
    let trend = running_median(linear, m / 2);
    let detrended: Vec<Option<f64>> = (0..n).map(|t| (!is_event[t]).then(|| y[t] - trend[t])).collect();
    let mut buf = Vec::with_capacity(SEASONAL_CYCLES);
    let mut terms: Vec<f64> = (0..n)
        .map(|t| {
            buf.clear();
            // Nearest same-phase periods first: t itself, then t - m, t + m, t - 2m, ...
            if let Some(d) = detrended[t] {
                buf.push(d);
            }
            let mut step = 1;
            while buf.len() < SEASONAL_CYCLES && (step * m <= t || t + step * m < n) {
                if step * m <= t
                    && let Some(d) = detrended[t - step * m]
                {
                    buf.push(d);
                }
                if buf.len() < SEASONAL_CYCLES
                    && t + step * m < n
                    && let Some(d) = detrended[t + step * m]
                {
                    buf.push(d);
                }
                step += 1;
            }
            if buf.is_empty() {
                0.0
            } else {
                median_in_place(&mut buf)
            }
        })
        .collect();
    // Remove the mean of each cycle's terms so the seasonal term carries no level.
    let mean_by_phase: Vec<f64> = (0..m)
        .map(|phase| {
            let v: Vec<f64> = (phase..n).step_by(m).map(|t| terms[t]).collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        })
        .collect();
    let offset = mean_by_phase.iter().sum::<f64>() / m as f64;
    terms.iter_mut().for_each(|s| *s -= offset);
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seasonal(n: usize) -> Vec<f64> {
        (0..n).map(|t| 100.0 + 0.5 * t as f64 + [0.0, 20.0, 40.0, 10.0, -10.0, -30.0][t % 6]).collect()
    }

    #[test]
    fn event_periods_get_the_seasonal_value_back() {
        let clean = seasonal(60);
        let mut y = clean.clone();
        let mut is_event = vec![false; 60];
        // A promotion at the same phase every cycle: the seasonal term must not absorb it.
        for t in (2..60).step_by(12) {
            y[t] *= 2.0;
            is_event[t] = true;
        }
        let b = event_baseline(&y, &is_event, &[6]).expect("a baseline");
        let errors: Vec<f64> = (0..60).map(|t| (b[t] - clean[t]).abs()).collect();
        eprintln!("baseline errors at the events: {:?}", (2..60).step_by(12).map(|t| errors[t]).collect::<Vec<_>>());
        // Off the event periods nothing changes; at them the error is at most 1.5 (three periods of
        // trend), reached in the first cycle where the running-median trend is one-sided.
        assert!(errors.iter().enumerate().all(|(t, &e)| is_event[t] || e == 0.0));
        assert!(errors.iter().all(|&e| e <= 1.5 + 1e-9), "{errors:?}");
    }

    #[test]
    fn without_a_season_the_fill_is_linear_and_ends_are_held() {
        let y = [10.0, 50.0, 12.0, 14.0, 60.0];
        let b = event_baseline(&y, &[false, true, false, false, true], &[1]).expect("a baseline");
        assert_eq!(b, vec![10.0, 11.0, 12.0, 14.0, 14.0]);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(event_baseline(&[1.0, 2.0], &[false], &[1]), Err(Error::InvalidParameter { .. })));
        assert!(matches!(event_baseline(&[1.0, 2.0], &[true, false], &[1]), Err(Error::TooShort { .. })));
        assert_eq!(event_baseline(&[1.0, 2.0], &[false, false], &[1]).expect("unchanged"), vec![1.0, 2.0]);
    }
}
