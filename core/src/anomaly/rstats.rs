//! The few R `stats` helpers that `tsoutliers` / `na.interp` rely on, written to give R's numbers:
//! `approx(rule = 2)`, `quantile(type = 7)` and forecast's `is.constant` (an `all.equal` test).

/// Linear interpolation of the points `(x[i], y[i])` (x strictly increasing) at `at`, holding the end
/// values beyond the range: R `stats::approx(x, y, xout = at, rule = 2)$y`.
///
/// Formula (R's `approx1`): for `x[i] <= v <= x[j]`, `y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))`,
/// with the end points returned exactly.
pub(crate) fn approx_rule2(x: &[f64], y: &[f64], at: &[f64]) -> Vec<f64> {
    at.iter().map(|&v| approx_one(x, y, v)).collect()
}

fn approx_one(x: &[f64], y: &[f64], v: f64) -> f64 {
    let n = x.len();
    if n == 0 {
        return f64::NAN;
    }
    if v <= x[0] {
        return y[0];
    }
    if v >= x[n - 1] {
        return y[n - 1];
    }
    // Bisection as in R: keep x[i] <= v < x[j].
    let (mut i, mut j) = (0usize, n - 1);
    while i + 1 < j {
        let mid = (i + j) / 2;
        if v < x[mid] {
            j = mid;
        } else {
            i = mid;
        }
    }
    if v == x[j] {
        return y[j];
    }
    if v == x[i] {
        return y[i];
    }
    y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))
}

/// Sample quantile of type 7 (R's default): with `h = (n - 1) p`, `lo = floor(h)`,
/// `Q(p) = (1 - (h - lo)) x_(lo) + (h - lo) x_(lo+1)` on the sorted values (0-based order statistics).
/// `sorted` must be sorted ascending and non-empty.
pub(crate) fn quantile7_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let index = (n.saturating_sub(1)) as f64 * p;
    let lo = index.floor();
    let lo_i = lo as usize;
    let hi_i = (index.ceil() as usize).min(n - 1);
    let q = sorted[lo_i];
    if index > lo && sorted[hi_i] != q {
        let h = index - lo;
        (1.0 - h) * q + h * sorted[hi_i]
    } else {
        q
    }
}

/// Sort a copy of the finite values ascending.
pub(crate) fn sorted_copy(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// forecast's `is.constant(x)`: `isTRUE(all.equal(x, rep(x[1], n)))`, i.e. the mean absolute
/// difference to the first value, relative to the mean absolute value when that exceeds the
/// tolerance, is at most `1.5e-8` (R `all.equal.numeric`).
pub(crate) fn r_is_constant(x: &[f64]) -> bool {
    let Some(&first) = x.first() else { return true };
    let tolerance = 1.5e-8;
    let n = x.len() as f64;
    let mut diff = x.iter().map(|v| (v - first).abs()).sum::<f64>() / n;
    let scale = x.iter().map(|v| v.abs()).sum::<f64>() / n;
    if scale.is_finite() && scale > tolerance {
        diff /= scale;
    }
    diff <= tolerance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approx_interpolates_and_holds_the_ends() {
        let x = [2.0, 4.0, 7.0];
        let y = [10.0, 20.0, 5.0];
        let out = approx_rule2(&x, &y, &[1.0, 2.0, 3.0, 4.0, 5.5, 7.0, 9.0]);
        assert_eq!(out, vec![10.0, 10.0, 15.0, 20.0, 12.5, 5.0, 5.0]);
    }

    #[test]
    fn quantile_type7_matches_r() {
        // R: quantile(c(1, 2, 4, 8, 16), c(0.25, 0.75, 0.1)) = 2, 8, 1.4
        let s = [1.0, 2.0, 4.0, 8.0, 16.0];
        assert_eq!(quantile7_sorted(&s, 0.25), 2.0);
        assert_eq!(quantile7_sorted(&s, 0.75), 8.0);
        assert!((quantile7_sorted(&s, 0.1) - 1.4).abs() < 1e-15);
    }

    #[test]
    fn constant_test_uses_a_relative_tolerance() {
        assert!(r_is_constant(&[5.0, 5.0, 5.0]));
        assert!(r_is_constant(&[1e6, 1e6 + 1e-4]));
        assert!(!r_is_constant(&[1.0, 1.1]));
    }
}
