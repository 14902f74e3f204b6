//! Classical decomposition as R's `stats::decompose()` computes it, shared by the ETS initial states
//! (`forecast:::initstate`) and the Holt-Winters start values (`stats::HoltWinters`).
//!
//! Trend: centred moving average with weights `1/m` (odd `m`) or `(½, 1, …, 1, ½)/m` (even `m`),
//! undefined for the first and last `⌊len/2⌋` points. Seasonal figure: the mean of the detrended
//! values (`x − trend` additive, `x / trend` multiplicative) of each season position, normalised to
//! sum to 0 (additive) or average 1 (multiplicative).

/// Centred moving average of `x` with the weights of R's `decompose()`; `None` where undefined.
pub(crate) fn centred_moving_average(x: &[f64], m: usize) -> Vec<Option<f64>> {
    let weights: Vec<f64> = if m.is_multiple_of(2) {
        let mut w = vec![1.0 / m as f64; m + 1];
        w[0] = 0.5 / m as f64;
        w[m] = 0.5 / m as f64;
        w
    } else {
        vec![1.0 / m as f64; m]
    };
    let half = weights.len() / 2;
    (0..x.len())
        .map(|t| {
            if t < half || t + half >= x.len() {
                return None;
            }
            let window = &x[t - half..=t + half];
            Some(window.iter().zip(&weights).map(|(v, w)| v * w).sum())
        })
        .collect()
}

/// Seasonal figure (`m` values, position `k` = season of observation `k`) and the trend of `x`.
/// A season position without any defined detrended value gets NaN.
pub(crate) fn seasonal_figure(x: &[f64], m: usize, multiplicative: bool) -> (Vec<f64>, Vec<Option<f64>>) {
    let trend = centred_moving_average(x, m);
    let detrended: Vec<Option<f64>> =
        x.iter().zip(&trend).map(|(v, t)| t.map(|t| if multiplicative { v / t } else { v - t })).collect();
    let mut figure: Vec<f64> = (0..m)
        .map(|i| {
            let values: Vec<f64> = detrended.iter().skip(i).step_by(m).filter_map(|v| *v).collect();
            if values.is_empty() {
                f64::NAN
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        })
        .collect();
    let mean = figure.iter().sum::<f64>() / m as f64;
    for f in &mut figure {
        if multiplicative {
            *f /= mean;
        } else {
            *f -= mean;
        }
    }
    (figure, trend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_average_matches_hand_values() {
        // m = 4 (even): weights 1/8, 1/4, 1/4, 1/4, 1/8; defined for t = 2..=5 of 8 points.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let ma = centred_moving_average(&x, 4);
        assert_eq!(ma.iter().filter(|v| v.is_some()).count(), 4);
        assert!((ma[2].expect("defined") - 3.0).abs() < 1e-12);
        // m = 3 (odd): plain mean of 3, defined for t = 1..=4 of 6 points.
        let ma3 = centred_moving_average(&x[..6], 3);
        assert_eq!(ma3.iter().filter(|v| v.is_some()).count(), 4);
        assert!((ma3[1].expect("defined") - 2.0).abs() < 1e-12);
    }

    #[test]
    fn figure_recovers_an_exact_season() {
        let season = [3.0, -1.0, -2.0, 0.0];
        let x: Vec<f64> = (0..16).map(|t| 5.0 + 0.5 * t as f64 + season[t % 4]).collect();
        let (fig, _) = seasonal_figure(&x, 4, false);
        for (f, s) in fig.iter().zip(season) {
            assert!((f - s).abs() < 1e-12, "{fig:?}");
        }
    }
}
