//! The numerical kernels of STL, following the structure of R's Fortran `stl.f` (Cleveland et al.
//! 1990): local regression with tricube weights (`estimate` = `stlest`, `smooth` = `stless`),
//! moving averages (`moving_average` = `stlma`), the low-pass filter (`low_pass` = `stlfts`), the
//! cycle-subseries smoother (`smooth_cycle_subseries` = `stlss`), one inner pass (`inner_pass` =
//! `stlstp`) and the bisquare robustness weights (`robustness_weights` = `stlrwt`).
//!
//! Positions are the 1-based abscissae of the Fortran code (`x_j = j`), so every distance and
//! bandwidth is computed from the same numbers R uses. The Fortran thresholds `.999` and `.001` are
//! single-precision literals promoted to double; they are kept as `f32` constants so that points on
//! the edge of a window fall on the same side as in R.

/// `.999` as the Fortran single-precision literal promoted to double.
const NEAR_ONE: f64 = 0.999_f32 as f64;
/// `.001` as the Fortran single-precision literal promoted to double.
const NEAR_ZERO: f64 = 0.001_f32 as f64;

/// Settings of one loess smoother: span (odd, >= 3), degree (0 or 1) and jump.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Smoother {
    pub span: usize,
    pub degree: u8,
    pub jump: usize,
}

/// Where one loess fit is made: at abscissa `xs` (1-based) from the points `left..=right` (1-based).
#[derive(Debug, Clone, Copy)]
struct Window {
    xs: f64,
    left: usize,
    right: usize,
}

/// Loess fit of `y` in the window `at`.
///
/// Neighbour weights are tricube `(1 - (|j - xs| / h)^3)^3` with `h` the larger distance to the
/// window edges (widened by `(span - n) / 2` when the span exceeds the series), times the robustness
/// weight when one is given. Degree 1 turns the weights into those of a weighted linear fit,
/// unless the weighted spread of the abscissae is negligible. `None` when every weight is zero.
/// `w` is scratch of the length of `y`.
fn estimate(y: &[f64], s: Smoother, at: Window, w: &mut [f64], robustness: Option<&[f64]>) -> Option<f64> {
    let h = neighbour_weights(y.len(), s.span, at, w, robustness)?;
    Some(local_fit(y, s.degree, at, h, w))
}

/// The normalised neighbour weights of [`estimate`] into `w[left - 1..right]`, and the bandwidth
/// `h`; `None` when every weight is zero.
fn neighbour_weights(n: usize, span: usize, at: Window, w: &mut [f64], robustness: Option<&[f64]>) -> Option<f64> {
    let Window { xs, left, right } = at;
    let mut h = (xs - left as f64).max(right as f64 - xs);
    if span > n {
        h += ((span - n) / 2) as f64;
    }
    let h9 = NEAR_ONE * h;
    let h1 = NEAR_ZERO * h;
    let mut total = 0.0;
    for j in left..=right {
        let r = (j as f64 - xs).abs();
        let mut wj = 0.0;
        if r <= h9 {
            wj = if r <= h1 {
                1.0
            } else {
                let q = r / h;
                let t = 1.0 - q * q * q;
                t * t * t
            };
            if let Some(rw) = robustness {
                wj *= rw[j - 1];
            }
            total += wj;
        }
        w[j - 1] = wj;
    }
    if total <= 0.0 {
        return None;
    }
    for wj in w[left - 1..right].iter_mut() {
        *wj /= total;
    }
    Some(h)
}

/// The fit at `xs` from the normalised weights `w[left - 1..right]` with bandwidth `h` (see
/// [`estimate`]).
fn local_fit(y: &[f64], degree: u8, at: Window, h: f64, w: &[f64]) -> f64 {
    let Window { xs, left, right } = at;
    let range = y.len() as f64 - 1.0;
    let window = &w[left - 1..right];
    let values = &y[left - 1..right];
    if h > 0.0 && degree > 0 {
        // Weighted linear fit evaluated at xs, folded into the weights.
        let mean: f64 = window.iter().enumerate().map(|(i, wj)| wj * (left + i) as f64).sum();
        let offset = xs - mean;
        let spread: f64 = window
            .iter()
            .enumerate()
            .map(|(i, wj)| {
                let d = (left + i) as f64 - mean;
                wj * d * d
            })
            .sum();
        if spread.sqrt() > NEAR_ZERO * range {
            // The weights of the linear fit, each applied as it is made (as R folds them into
            // the weights first, then sums: the same operations in the same order).
            let slope = offset / spread;
            return window
                .iter()
                .zip(values)
                .enumerate()
                .map(|(i, (wj, yj))| wj * (slope * ((left + i) as f64 - mean) + 1.0) * yj)
                .sum();
        }
    }
    window.iter().zip(values).map(|(wj, yj)| wj * yj).sum()
}

/// The last window's normalised weights, reused by the next fit whose window has the same length
/// and the same position of `xs` in it: its distances `|j - xs|`, bandwidth and weights are then
/// the same numbers (the sliding windows of the interior points all share one), so the divisions
/// of [`neighbour_weights`] are not repeated. Only without robustness weights, which differ by
/// position.
struct WindowCache {
    /// `(xs - left, right - left)` of the cached window.
    key: Option<(usize, usize)>,
    h: f64,
    weights: Vec<f64>,
}

impl WindowCache {
    fn new() -> WindowCache {
        WindowCache { key: None, h: 0.0, weights: Vec::new() }
    }

    /// [`neighbour_weights`] for the fit at the integer abscissa `x`, from the cache when it holds
    /// this window's pattern.
    fn weights(&mut self, n: usize, span: usize, x: usize, left: usize, right: usize, w: &mut [f64]) -> Option<f64> {
        let key = (x - left, right - left);
        if self.key == Some(key) {
            w[left - 1..right].copy_from_slice(&self.weights);
            return Some(self.h);
        }
        let h = neighbour_weights(n, span, Window { xs: x as f64, left, right }, w, None)?;
        self.key = Some(key);
        self.h = h;
        self.weights.clear();
        self.weights.extend_from_slice(&w[left - 1..right]);
        Some(h)
    }
}

/// Loess smoothing of `y` into `ys` (same length), fitting every `jump`-th point and interpolating
/// linearly in between, as `stless` does. `w` is scratch of the length of `y`.
pub(crate) fn smooth(y: &[f64], s: Smoother, robustness: Option<&[f64]>, ys: &mut [f64], w: &mut [f64]) {
    smooth_with(y, s, robustness, ys, w, true);
}

/// [`smooth`], reusing window weights ([`WindowCache`]) only when `reuse` (the tests compare both).
fn smooth_with(y: &[f64], s: Smoother, robustness: Option<&[f64]>, ys: &mut [f64], w: &mut [f64], reuse: bool) {
    let n = y.len();
    if n < 2 {
        if n == 1 {
            ys[0] = y[0];
        }
        return;
    }
    let jump = s.jump.min(n - 1).max(1);
    let mut cache = WindowCache::new();
    let mut fit = |x: usize, left: usize, right: usize, w: &mut [f64]| {
        // (Every window holds its abscissa: left <= x <= right.)
        let at = Window { xs: x as f64, left, right };
        let h = if robustness.is_none() && reuse {
            cache.weights(n, s.span, x, left, right, w)
        } else {
            neighbour_weights(n, s.span, at, w, robustness)
        };
        h.map_or(y[x - 1], |h| local_fit(y, s.degree, at, h, w))
    };
    // The window of the last fitted point is reused for the end point (as the Fortran does).
    let (mut left, mut right) = (1, n);
    if s.span >= n {
        for i in (1..=n).step_by(jump) {
            ys[i - 1] = fit(i, left, right, w);
        }
    } else if jump == 1 {
        let half = s.span.div_ceil(2);
        left = 1;
        right = s.span;
        for i in 1..=n {
            if i > half && right != n {
                left += 1;
                right += 1;
            }
            ys[i - 1] = fit(i, left, right, w);
        }
    } else {
        let half = s.span.div_ceil(2);
        for i in (1..=n).step_by(jump) {
            if i < half {
                left = 1;
                right = s.span;
            } else if i > n - half {
                left = n - s.span + 1;
                right = n;
            } else {
                left = i - half + 1;
                right = s.span + i - half;
            }
            ys[i - 1] = fit(i, left, right, w);
        }
    }
    if jump != 1 {
        let mut i = 1;
        while i + jump <= n {
            let delta = (ys[i + jump - 1] - ys[i - 1]) / jump as f64;
            for j in i + 1..i + jump {
                ys[j - 1] = ys[i - 1] + delta * (j - i) as f64;
            }
            i += jump;
        }
        let k = ((n - 1) / jump) * jump + 1;
        if k != n {
            ys[n - 1] = fit(n, left, right, w);
            if k != n - 1 {
                let delta = (ys[n - 1] - ys[k - 1]) / (n - k) as f64;
                for j in k + 1..n {
                    ys[j - 1] = ys[k - 1] + delta * (j - k) as f64;
                }
            }
        }
    }
}

/// Running mean of length `len` of `x` into `out` (`x.len() - len + 1` values), updated by adding
/// the entering and subtracting the leaving value, as `stlma` does.
fn moving_average(x: &[f64], len: usize, out: &mut [f64]) {
    let count = x.len() + 1 - len;
    let flen = len as f64;
    let mut v: f64 = x[..len].iter().sum();
    out[0] = v / flen;
    for j in 1..count {
        v = v - x[j - 1] + x[j + len - 1];
        out[j] = v / flen;
    }
}

/// Low-pass filter of the cycle-subseries smooth `c` (length `n + 2 period`): moving averages of
/// lengths `period`, `period`, 3, giving `n` values in `out`; `tmp` is scratch of `c`'s length.
fn low_pass(c: &[f64], period: usize, out: &mut [f64], tmp: &mut [f64]) {
    let len = c.len();
    moving_average(c, period, out);
    moving_average(&out[..len - period + 1], period, tmp);
    moving_average(&tmp[..len - 2 * period + 2], 3, out);
}

/// Reusable buffers for one decomposition (sizes `n + 2 period`), so the loops never allocate.
#[derive(Debug)]
pub(crate) struct Workspace {
    detrended: Vec<f64>,
    cycle: Vec<f64>,
    low: Vec<f64>,
    scratch: Vec<f64>,
    weights: Vec<f64>,
    sub_y: Vec<f64>,
    sub_rw: Vec<f64>,
    sub_fit: Vec<f64>,
}

impl Workspace {
    /// Buffers for a series of length `n` and period `period`.
    pub(crate) fn new(n: usize, period: usize) -> Workspace {
        let big = n + 2 * period;
        let sub = n / period + 3;
        Workspace {
            detrended: vec![0.0; big],
            cycle: vec![0.0; big],
            low: vec![0.0; big],
            scratch: vec![0.0; big],
            weights: vec![0.0; big],
            sub_y: vec![0.0; sub],
            sub_rw: vec![0.0; sub],
            sub_fit: vec![0.0; sub],
        }
    }
}

/// Cycle-subseries smoothing (`stlss`): each of the `period` subseries is loess-smoothed and
/// extended by one point at each end (loess evaluated at 0 and `k + 1`), giving `n + 2 period`
/// values in `ws.cycle`, laid out like the series shifted by one period.
fn smooth_cycle_subseries(period: usize, s: Smoother, robustness: Option<&[f64]>, ws: &mut Workspace, n: usize) {
    for j in 0..period {
        let k = (n - j - 1) / period + 1;
        for i in 0..k {
            ws.sub_y[i] = ws.detrended[i * period + j];
        }
        if let Some(rw) = robustness {
            for i in 0..k {
                ws.sub_rw[i] = rw[i * period + j];
            }
        }
        let sub_rw = robustness.map(|_| &ws.sub_rw[..k]);
        let y = &ws.sub_y[..k];
        smooth(y, s, sub_rw, &mut ws.sub_fit[1..=k], &mut ws.weights[..k]);
        let right = s.span.min(k);
        ws.sub_fit[0] =
            estimate(y, s, Window { xs: 0.0, left: 1, right }, &mut ws.weights[..k], sub_rw).unwrap_or(ws.sub_fit[1]);
        let left = (k + 1).saturating_sub(s.span).max(1);
        ws.sub_fit[k + 1] = estimate(y, s, Window { xs: (k + 1) as f64, left, right: k }, &mut ws.weights[..k], sub_rw)
            .unwrap_or(ws.sub_fit[k]);
        for m in 0..k + 2 {
            ws.cycle[m * period + j] = ws.sub_fit[m];
        }
    }
}

/// Smoothers of one STL run (already made odd and at least 3, as `stl.f` does).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Smoothers {
    pub period: usize,
    pub seasonal: Smoother,
    pub trend: Smoother,
    pub low_pass: Smoother,
}

/// `inner` passes of the inner loop (`stlstp`), updating `seasonal` and `trend` in place:
/// detrend, smooth the cycle-subseries, remove their low-pass part, deseasonalise, smooth the trend.
pub(crate) fn inner_passes(
    y: &[f64],
    sm: &Smoothers,
    inner: usize,
    robustness: Option<&[f64]>,
    seasonal: &mut [f64],
    trend: &mut [f64],
    ws: &mut Workspace,
) {
    let n = y.len();
    let np = sm.period;
    for _ in 0..inner {
        for i in 0..n {
            ws.detrended[i] = y[i] - trend[i];
        }
        smooth_cycle_subseries(np, sm.seasonal, robustness, ws, n);
        low_pass(&ws.cycle[..n + 2 * np], np, &mut ws.detrended, &mut ws.scratch);
        // ws.detrended[..n] now holds the low-pass filter; smooth it into ws.low.
        smooth(&ws.detrended[..n], sm.low_pass, None, &mut ws.low[..n], &mut ws.weights[..n]);
        for ((s, c), l) in seasonal.iter_mut().zip(&ws.cycle[np..np + n]).zip(&ws.low[..n]) {
            *s = c - l;
        }
        for i in 0..n {
            ws.detrended[i] = y[i] - seasonal[i];
        }
        smooth(&ws.detrended[..n], sm.trend, robustness, trend, &mut ws.weights[..n]);
    }
}

/// Bisquare robustness weights (`stlrwt`): `r_i = |y_i - fit_i|`, `h = 6 median(r)`,
/// `w_i = (1 - (r_i / h)^2)^2` (1 below `0.001 h`, 0 above `0.999 h`). `scratch` has `y`'s length.
pub(crate) fn robustness_weights(y: &[f64], fit: &[f64], rw: &mut [f64], scratch: &mut [f64]) {
    let n = y.len();
    for i in 0..n {
        scratch[i] = (y[i] - fit[i]).abs();
    }
    // R's positions n/2 + 1 and n - (n/2 + 1) + 1, found by R's own partial sort (see psort.rs).
    let mid = [n / 2 + 1, n - (n / 2 + 1) + 1];
    super::psort::partial_sort(scratch, &mid);
    let (a, b) = (scratch[mid[0] - 1], scratch[mid[1] - 1]);
    let cmad = 3.0 * (a + b);
    let c9 = NEAR_ONE * cmad;
    let c1 = NEAR_ZERO * cmad;
    for i in 0..n {
        let r = (y[i] - fit[i]).abs();
        rw[i] = if r <= c1 {
            1.0
        } else if r <= c9 {
            let q = r / cmad;
            let t = 1.0 - q * q;
            t * t
        } else {
            0.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_window_weights_give_the_same_smooth_bit_for_bit() {
        let y: Vec<f64> = (0..97).map(|t| 20.0 + 0.4 * t as f64 + 9.0 * ((t * 5 % 13) as f64 - 6.0).sin()).collect();
        let n = y.len();
        for (span, degree, jump) in [(7, 0, 1), (7, 1, 1), (13, 1, 2), (31, 1, 4), (15, 0, 3), (151, 1, 16), (97, 1, 1)]
        {
            let s = Smoother { span, degree, jump };
            let (mut cached, mut plain, mut w) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            smooth_with(&y, s, None, &mut cached, &mut w, true);
            smooth_with(&y, s, None, &mut plain, &mut w, false);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&cached), bits(&plain), "span {span} degree {degree} jump {jump}");
        }
    }
}
