//! Friedman's super smoother, as R's `stats::supsmu(x, y)` computes it with its defaults
//! (`span = "cv"`, `bass = 0`, unit weights, non-periodic x).
//!
//! Source: J. H. Friedman (1984), "A variable span smoother", Stanford LCS Technical Report 5; the
//! behaviour follows R's Fortran `supsmu` / `smooth` in `stats/src/ppr.f`:
//!
//! 1. Three running-lines smoothers with spans 0.05 (tweeter), 0.2 (midrange) and 0.5 (woofer) of
//!    the observations; each also gives leave-one-out residuals `|y_j - s_j| / (1 - h_j)` with the
//!    local-line leverage `h_j = 1/W + (x_j - x̄)^2 / S_xx`.
//! 2. Those absolute cross-validated residuals are smoothed with the midrange span; at each point the
//!    span with the smallest smoothed residual is chosen.
//! 3. The chosen spans are smoothed (midrange), clipped to [0.05, 0.5], and each point's value is
//!    interpolated linearly between the two fixed-span smooths that bracket its span.
//! 4. The result is smoothed once more with the tweeter span.
//!
//! A running line over a window of `2k + 1` points (`k = floor(span n / 2 + 1/2)`, at least 2) is
//! updated incrementally: the weighted means `x̄, ȳ`, `S_xx` and `S_xy` change by rank-one terms when
//! a point enters or leaves; the fit is `ȳ + (S_xy / S_xx)(x_j - x̄)`. The window stops moving near
//! the ends (it stays the first / last `2k + 1` points).

/// R keeps the three spans, `eps` and `big` in a Fortran `DATA` statement with single-precision
/// literals, so the double-precision values it computes with are the `f32` roundings.
const SPANS: [f64; 3] = [0.05f32 as f64, 0.2f32 as f64, 0.5f32 as f64];
const EPS: f64 = 1.0e-3f32 as f64;
const BIG: f64 = 1.0e20f32 as f64;

/// Super smoother of `y` against the strictly ordered `x` with unit weights; returns the smoothed
/// values (`supsmu(x, y)$y` in R when `x` has no ties). Empty input gives an empty result.
pub(crate) fn supsmu(x: &[f64], y: &[f64]) -> Vec<f64> {
    let n = x.len().min(y.len());
    if n == 0 {
        return Vec::new();
    }
    let (x, y) = (&x[..n], &y[..n]);
    let w = vec![1.0; n];
    if x[n - 1] <= x[0] {
        // All abscissae equal: the weighted mean everywhere.
        let mean = y.iter().sum::<f64>() / n as f64;
        return vec![mean; n];
    }
    // Scale of x from the inter-quartile positions (1-based i = n/4, j = 3i), widened until positive.
    let mut i = (n / 4).max(1);
    let mut j = (3 * i).clamp(1, n);
    let mut scale = x[j - 1] - x[i - 1];
    while scale <= 0.0 {
        if j < n {
            j += 1;
        }
        if i > 1 {
            i -= 1;
        }
        scale = x[j - 1] - x[i - 1];
    }
    let vsmlsq = (EPS * scale) * (EPS * scale);

    // smooths[k]: fixed-span smooth k; cv[k]: its smoothed absolute cross-validated residuals.
    let mut smooths: Vec<Vec<f64>> = Vec::with_capacity(3);
    let mut cv: Vec<Vec<f64>> = Vec::with_capacity(3);
    for &span in &SPANS {
        let (smo, resid) = running_lines(x, y, &w, span, vsmlsq, true);
        cv.push(running_lines(x, &resid, &w, SPANS[1], vsmlsq, false).0);
        smooths.push(smo);
    }
    let best_span: Vec<f64> = (0..n)
        .map(|j| {
            let mut resmin = BIG;
            let mut best = 0.0;
            for (k, c) in cv.iter().enumerate() {
                if c[j] < resmin {
                    resmin = c[j];
                    best = SPANS[k];
                }
            }
            best
        })
        .collect();
    let smoothed_span = running_lines(x, &best_span, &w, SPANS[1], vsmlsq, false).0;
    let blended: Vec<f64> = (0..n)
        .map(|j| {
            let mut s = smoothed_span[j];
            s = s.clamp(SPANS[0], SPANS[2]);
            let f = s - SPANS[1];
            if f < 0.0 {
                let f = -f / (SPANS[1] - SPANS[0]);
                (1.0 - f) * smooths[1][j] + f * smooths[0][j]
            } else {
                let f = f / (SPANS[2] - SPANS[1]);
                (1.0 - f) * smooths[1][j] + f * smooths[2][j]
            }
        })
        .collect();
    running_lines(x, &blended, &w, SPANS[0], vsmlsq, false).0
}

/// Running-lines smoother with a symmetric window of `span * n` points (R's `smooth`). With
/// `with_cv`, also returns the absolute leave-one-out residuals; otherwise the second vector is empty.
fn running_lines(x: &[f64], y: &[f64], w: &[f64], span: f64, vsmlsq: f64, with_cv: bool) -> (Vec<f64>, Vec<f64>) {
    let n = x.len();
    let mut acc = Window::default();
    // Half-width: Fortran truncates 0.5 * span * n + 0.5 to an integer.
    let ibw = ((0.5 * span * n as f64 + 0.5) as usize).max(2);
    // The first window holds 2 * ibw + 1 points (fewer when the series is shorter).
    let first = (2 * ibw + 1).min(n);
    for j in 0..first {
        acc.add(x[j], y[j], w[j]);
    }
    let mut smo = vec![0.0; n];
    let mut acvr = if with_cv { vec![0.0; n] } else { Vec::new() };
    for j in 0..n {
        // 1-based: out = j - ibw - 1, in = j + ibw; the window moves only when both are inside.
        if j > ibw && j + ibw < n {
            let out = j - ibw - 1;
            let inn = j + ibw;
            acc.remove(x[out], y[out], w[out]);
            acc.add(x[inn], y[inn], w[inn]);
        }
        let slope = if acc.var > vsmlsq { acc.cvar / acc.var } else { 0.0 };
        smo[j] = slope * (x[j] - acc.xm) + acc.ym;
        if with_cv {
            let mut h = if acc.fbw > 0.0 { 1.0 / acc.fbw } else { 0.0 };
            if acc.var > vsmlsq {
                h += (x[j] - acc.xm) * (x[j] - acc.xm) / acc.var;
            }
            let a = 1.0 - w[j] * h;
            acvr[j] = if a > 0.0 {
                (y[j] - smo[j]).abs() / a
            } else if j >= 1 {
                acvr[j - 1]
            } else {
                0.0
            };
        }
    }
    average_ties(x, w, &mut smo);
    (smo, acvr)
}

/// Points with equal x get the weighted mean of their smoothed values.
fn average_ties(x: &[f64], w: &[f64], smo: &mut [f64]) {
    let n = x.len();
    let mut j = 0;
    while j < n {
        let j0 = j;
        let mut sy = smo[j] * w[j];
        let mut fbw = w[j];
        while j + 1 < n && x[j + 1] <= x[j] {
            j += 1;
            sy += w[j] * smo[j];
            fbw += w[j];
        }
        if j > j0 {
            let a = if fbw > 0.0 { sy / fbw } else { 0.0 };
            smo[j0..=j].iter_mut().for_each(|s| *s = a);
        }
        j += 1;
    }
}

/// Weighted running sums of a window: total weight, means and centred cross products.
#[derive(Default)]
struct Window {
    fbw: f64,
    xm: f64,
    ym: f64,
    var: f64,
    cvar: f64,
}

impl Window {
    fn add(&mut self, xi: f64, yi: f64, wt: f64) {
        let fbo = self.fbw;
        self.fbw += wt;
        if self.fbw > 0.0 {
            self.xm = (fbo * self.xm + wt * xi) / self.fbw;
            self.ym = (fbo * self.ym + wt * yi) / self.fbw;
        }
        let tmp = if fbo > 0.0 { self.fbw * wt * (xi - self.xm) / fbo } else { 0.0 };
        self.var += tmp * (xi - self.xm);
        self.cvar += tmp * (yi - self.ym);
    }

    fn remove(&mut self, xo: f64, yo: f64, wt: f64) {
        let fbo = self.fbw;
        self.fbw -= wt;
        let tmp = if self.fbw > 0.0 { fbo * wt * (xo - self.xm) / self.fbw } else { 0.0 };
        self.var -= tmp * (xo - self.xm);
        self.cvar -= tmp * (yo - self.ym);
        if self.fbw > 0.0 {
            self.xm = (fbo * self.xm - wt * xo) / self.fbw;
            self.ym = (fbo * self.ym - wt * yo) / self.fbw;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_line_is_reproduced() {
        let x: Vec<f64> = (1..=60).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|t| 3.0 + 0.5 * t).collect();
        let s = supsmu(&x, &y);
        for (a, b) in s.iter().zip(&y) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn short_and_degenerate_inputs_do_not_panic() {
        assert!(supsmu(&[], &[]).is_empty());
        assert_eq!(supsmu(&[1.0], &[4.0]), vec![4.0]);
        assert_eq!(supsmu(&[1.0, 1.0], &[2.0, 4.0]), vec![3.0, 3.0]);
        let s = supsmu(&[1.0, 2.0, 3.0], &[1.0, 5.0, 2.0]);
        assert!(s.iter().all(|v| v.is_finite()));
    }
}
