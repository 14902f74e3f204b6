//! The seasonal branch of R forecast 8.20's `na.interp()` (`R/clean.R`), and the seasonal
//! adjustment step of `tsoutliers()`.
//!
//! **Fill** (`n` points, gaps at the NaN positions, periods `p_j`, `t = 1..n`):
//! 1. A rough fill by least squares on the observed points of
//!    `y_t ~ 1 + Σ_j Σ_{k ≤ K_j} [sin(2π k t / p_j), cos(2π k t / p_j)] + poly(t, d)`, with
//!    `K = min(⌊p/2⌋, 5)` for a single period (an R `ts`), `K_j = min(⌊p_j/2⌋, 20)` for several
//!    (an R `msts`), and `d = min(max(⌊n/10⌋, 1), 6)`. As R's `fourier()`, a frequency `k/p` already
//!    present is dropped and the sine is omitted where it vanishes (`2k/p` an integer). The fitted
//!    values of a least-squares fit do not depend on the basis, so the polynomial is spanned by
//!    Chebyshev polynomials of the rescaled time (well conditioned) and the fit is a modified
//!    Gram-Schmidt over the observed rows, skipping a column whose remaining norm is below `1e-7`
//!    of its own (the tolerance of R's `lm` / `dqrdc2` for collinear columns).
//! 2. A robust MSTL ([`crate::models::Mstl`], R `mstl(x, robust = TRUE)`) of the roughly filled
//!    series; the seasonally adjusted series is interpolated linearly (R `approx(rule = 2)`) from
//!    the observed positions, and the sum of the seasonal components is added back at the gaps.
//! 3. If the result leaves `[min − r/2, max + r/2]` (`min`, `max`, `r` = range of the observed
//!    values), `na.interp` falls back to linear interpolation; the caller does that (`None` here).
//!
//! **Adjustment** (`tsoutliers`): robust MSTL of the filled series; with the seasonal strength
//! `F = 1 − var(remainder) / var(x − trend)` at least 0.6 the seasonally adjusted series
//! (trend + remainder) replaces the data.

use super::rstats::approx_rule2;
use crate::error::Result;
use crate::models::Mstl;

/// R's seasonal strength threshold in `tsoutliers`.
const STRENGTH_THRESHOLD: f64 = 0.6;
/// Relative column-norm tolerance below which a regressor is treated as collinear (R `lm`).
const COLLINEAR_TOLERANCE: f64 = 1e-7;

/// The seasonal structure of a series as R sees it: the periods (> 1, as given) and whether it is an
/// `msts` object (several periods) rather than a `ts`.
#[derive(Debug, Clone)]
pub(crate) struct Periods {
    /// Periods above 1, deduplicated, increasing.
    pub(crate) periods: Vec<usize>,
}

impl Periods {
    pub(crate) fn new(seasons: &[usize]) -> Periods {
        let mut periods: Vec<usize> = seasons.iter().copied().filter(|&p| p > 1).collect();
        periods.sort_unstable();
        periods.dedup();
        Periods { periods }
    }

    /// R's `frequency(x)`: the longest period (an `msts` object's frequency), 1 for none.
    pub(crate) fn frequency(&self) -> usize {
        self.periods.last().copied().unwrap_or(1)
    }

    fn is_msts(&self) -> bool {
        self.periods.len() > 1
    }

    /// Fourier terms per period: `min(⌊p/2⌋, 5)` for a `ts`, `min(⌊p/2⌋, 20)` for an `msts`.
    fn fourier_orders(&self) -> Vec<(usize, usize)> {
        let cap = if self.is_msts() { 20 } else { 5 };
        self.periods.iter().map(|&p| (p, (p / 2).min(cap))).collect()
    }
}

/// `na.interp`'s seasonal fill of the NaN positions of `y`; `None` when the result fails R's range
/// check (the caller then interpolates linearly, as R does).
pub(crate) fn seasonal_fill(y: &[f64], periods: &Periods) -> Result<Option<Vec<f64>>> {
    let n = y.len();
    let observed: Vec<usize> = (0..n).filter(|&i| !y[i].is_nan()).collect();
    let rough = regression_fill(y, &observed, periods);
    let dec = Mstl::new(&periods.periods).robust(true).decompose(&rough)?;
    let adjusted = dec.seasonally_adjusted();
    let xs: Vec<f64> = observed.iter().map(|&i| (i + 1) as f64).collect();
    let ys: Vec<f64> = observed.iter().map(|&i| adjusted[i]).collect();
    let at: Vec<f64> = (1..=n).map(|t| t as f64).collect();
    let interpolated = approx_rule2(&xs, &ys, &at);
    let mut out = y.to_vec();
    for i in (0..n).filter(|&i| y[i].is_nan()) {
        out[i] = interpolated[i] + dec.seasonals.iter().map(|s| s[i]).sum::<f64>();
    }
    let (lo, hi) =
        observed.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| (lo.min(y[i]), hi.max(y[i])));
    let slack = 0.5 * (hi - lo);
    let stable = out.iter().all(|&v| v <= hi + slack && v >= lo - slack);
    Ok(stable.then_some(out))
}

/// `tsoutliers`' seasonal adjustment of the gap-free `x`: the seasonally adjusted series when the
/// seasonal strength is at least 0.6, otherwise `x` unchanged.
pub(crate) fn adjust_if_seasonal(x: &[f64], periods: &Periods) -> Result<Vec<f64>> {
    let dec = Mstl::new(&periods.periods).robust(true).decompose(x)?;
    let detrended: Vec<f64> = x.iter().zip(&dec.trend).map(|(v, t)| v - t).collect();
    let strength = 1.0 - sample_variance(&dec.remainder) / sample_variance(&detrended);
    // A NaN strength (constant detrended series) is not "at least 0.6".
    Ok(if strength >= STRENGTH_THRESHOLD { dec.seasonally_adjusted() } else { x.to_vec() })
}

/// R `var(x)`: `Σ (x − mean)² / (n − 1)`.
fn sample_variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)
}

/// Step 1: `y` with its gaps set to the least-squares prediction from Fourier terms and a polynomial
/// trend fitted on the observed points (R `lm(x ~ X, na.action = na.exclude)` + `predict`).
fn regression_fill(y: &[f64], observed: &[usize], periods: &Periods) -> Vec<f64> {
    let columns = design_columns(y.len(), periods);
    let prediction = least_squares_prediction(&columns, y, observed);
    y.iter().zip(&prediction).map(|(&v, &p)| if v.is_nan() { p } else { v }).collect()
}

/// The regressors over all `n` rows: intercept, Fourier terms (R `fourier(x, K)`), polynomial trend
/// of degree `min(max(⌊n/10⌋, 1), 6)`.
fn design_columns(n: usize, periods: &Periods) -> Vec<Vec<f64>> {
    let mut columns = vec![vec![1.0; n]];
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for (p, order) in periods.fourier_orders() {
        for k in 1..=order {
            // k/p equal to an earlier k'/p' (e.g. 7/336 = 1/48) gives the same column: R drops it.
            if seen.iter().any(|&(k2, p2)| k * p2 == k2 * p) {
                continue;
            }
            seen.push((k, p));
            if (2 * k) % p != 0 {
                columns.push(harmonic(n, k, p, f64::sin));
            }
            columns.push(harmonic(n, k, p, f64::cos));
        }
    }
    let degree = (n / 10).clamp(1, 6);
    columns.extend(chebyshev_columns(n, degree));
    columns
}

/// `f(2π k t / p)` for `t = 1..n`, with the phase reduced exactly (`k t mod p`) before scaling.
fn harmonic(n: usize, k: usize, p: usize, f: fn(f64) -> f64) -> Vec<f64> {
    (1..=n).map(|t| f(std::f64::consts::TAU * ((k * t) % p) as f64 / p as f64)).collect()
}

/// Chebyshev polynomials `T_1..T_degree` of `u = 2 (t − 1) / (n − 1) − 1 ∈ [−1, 1]`: the same span
/// as R's `poly(t, degree)` together with the intercept.
fn chebyshev_columns(n: usize, degree: usize) -> Vec<Vec<f64>> {
    let scale = (n.max(2) - 1) as f64;
    let u: Vec<f64> = (0..n).map(|i| 2.0 * i as f64 / scale - 1.0).collect();
    let mut out: Vec<Vec<f64>> = Vec::with_capacity(degree);
    let mut previous = vec![1.0; n];
    let mut current = u.clone();
    for _ in 0..degree {
        out.push(current.clone());
        let next: Vec<f64> = (0..n).map(|i| 2.0 * u[i] * current[i] - previous[i]).collect();
        previous = std::mem::replace(&mut current, next);
    }
    out
}

/// Least-squares prediction at every row from the fit on the `observed` rows: modified Gram-Schmidt
/// (twice, for stability) orthonormalises the columns in the observed-row inner product while
/// carrying the unobserved rows along, so the prediction is `Σ_j q_j <q_j, y>`. A column left with
/// less than `1e-7` of its norm is collinear with earlier ones and skipped (as `lm` does).
fn least_squares_prediction(columns: &[Vec<f64>], y: &[f64], observed: &[usize]) -> Vec<f64> {
    let dot = |a: &[f64], b: &[f64]| observed.iter().map(|&i| a[i] * b[i]).sum::<f64>();
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for column in columns {
        let original = dot(column, column).sqrt();
        let mut v = column.clone();
        for _ in 0..2 {
            for q in &basis {
                let c = dot(&v, q);
                v.iter_mut().zip(q).for_each(|(a, b)| *a -= c * b);
            }
        }
        let norm = dot(&v, &v).sqrt();
        if original > 0.0 && norm > COLLINEAR_TOLERANCE * original {
            v.iter_mut().for_each(|a| *a /= norm);
            basis.push(v);
        }
    }
    let mut prediction = vec![0.0; y.len()];
    for q in &basis {
        let c = observed.iter().map(|&i| q[i] * y[i]).sum::<f64>();
        prediction.iter_mut().zip(q).for_each(|(p, b)| *p += c * b);
    }
    prediction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regression_reproduces_a_series_in_its_span() {
        // A seasonal-plus-quadratic series lies in the regressors' span: the gaps get it back.
        let n = 60;
        let truth: Vec<f64> = (1..=n)
            .map(|t| {
                let t = t as f64;
                5.0 + 0.3 * t - 0.002 * t * t + 2.0 * (std::f64::consts::TAU * t / 12.0).sin()
            })
            .collect();
        let mut holed = truth.clone();
        for i in [3, 17, 30, 44] {
            holed[i] = f64::NAN;
        }
        let observed: Vec<usize> = (0..n).filter(|&i| !holed[i].is_nan()).collect();
        let filled = regression_fill(&holed, &observed, &Periods::new(&[12]));
        for i in 0..n {
            assert!((filled[i] - truth[i]).abs() < 1e-9, "{i}: {} vs {}", filled[i], truth[i]);
        }
    }

    #[test]
    fn duplicate_and_vanishing_harmonics_are_dropped() {
        // Period 4 with K = 2: the sine of k = 2 vanishes. Periods 2 and 4 (msts): 1/2 = 2/4.
        assert_eq!(design_columns(40, &Periods::new(&[4])).len(), 1 + 3 + 4);
        assert_eq!(design_columns(40, &Periods::new(&[2, 4])).len(), 1 + 1 + 2 + 4);
    }
}
