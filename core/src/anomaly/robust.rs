//! Robust location and scale helpers of the default detector (medians, MAD, same-phase medians).

/// Consistency factor of the MAD for the normal distribution: `1 / Phi^-1(3/4)`.
pub(crate) const MAD_TO_SD: f64 = 1.482_602_218_505_602;

/// Median of the values (sorted copy; the mean of the two middle values for an even count);
/// NaN for none.
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    median_in_place(&mut v)
}

/// Median that reorders its argument.
pub(crate) fn median_in_place(v: &mut [f64]) -> f64 {
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Robust standard deviation: `1.4826 * median(|v - median(v)|)`; when that is zero (more than half
/// the values equal), `1.2533 * mean(|v - median(v)|)` (the mean absolute deviation scaled to the
/// normal SD); zero only when every value is equal. Non-finite values are ignored.
pub(crate) fn robust_sd(values: &[f64]) -> f64 {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    let center = median(&v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - center).abs()).collect();
    let mad = MAD_TO_SD * median_in_place(&mut dev);
    if mad > 0.0 {
        return mad;
    }
    let mean_abs = dev.iter().sum::<f64>() / dev.len() as f64;
    mean_abs * (std::f64::consts::PI / 2.0).sqrt()
}

/// Centred running median with half-width `half` (the window shrinks symmetrically near the ends so
/// it stays centred).
pub(crate) fn running_median(y: &[f64], half: usize) -> Vec<f64> {
    let n = y.len();
    let mut buf = Vec::with_capacity(2 * half + 1);
    (0..n)
        .map(|t| {
            let h = half.min(t).min(n - 1 - t);
            buf.clear();
            buf.extend_from_slice(&y[t - h..=t + h]);
            median_in_place(&mut buf)
        })
        .collect()
}

/// For each t, the median of `d` at the same phase in the `count` nearest other cycles
/// (`t ± m, t ± 2m, ...`, nearest first, earlier first on ties). Leaving `t` itself out keeps an
/// anomaly from being absorbed into its own seasonal estimate.
pub(crate) fn same_phase_median(d: &[f64], m: usize, count: usize) -> Vec<f64> {
    let n = d.len();
    let mut buf = Vec::with_capacity(count);
    (0..n)
        .map(|t| {
            buf.clear();
            let mut step = 1;
            while buf.len() < count && (step * m <= t || t + step * m < n) {
                if step * m <= t {
                    buf.push(d[t - step * m]);
                }
                if buf.len() < count && t + step * m < n {
                    buf.push(d[t + step * m]);
                }
                step += 1;
            }
            if buf.is_empty() {
                0.0
            } else {
                median_in_place(&mut buf)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_scales() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert!((robust_sd(&[1.0, 2.0, 3.0, 4.0, 100.0]) - MAD_TO_SD).abs() < 1e-12);
        assert_eq!(robust_sd(&[5.0; 4]), 0.0);
        assert!(robust_sd(&[0.0, 0.0, 0.0, 4.0]) > 0.0);
    }

    #[test]
    fn running_and_phase_medians() {
        assert_eq!(running_median(&[1.0, 9.0, 2.0, 3.0, 4.0], 1), vec![1.0, 2.0, 3.0, 3.0, 4.0]);
        let d = [0.0, 10.0, 1.0, 11.0, 2.0, 12.0, 3.0, 13.0];
        let s = same_phase_median(&d, 2, 2);
        assert_eq!(s[0], 1.5); // d[2], d[4]
        assert_eq!(s[3], 11.0); // d[1], d[5]
    }
}
