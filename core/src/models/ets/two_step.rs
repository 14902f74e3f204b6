//! The likelihood sums of a non-seasonal form without multiplicative trend (`ANN`, `AAN`, `AAdN`
//! and their multiplicative-error twins), two time steps at a time.
//!
//! In the error-correction form of [`super::state_space::Arithmetic::ShortChain`] the level and
//! slope of these forms follow a linear recursion driven by the data alone (the error type changes
//! only the innovation, not the states):
//!
//! ```text
//! x_t = D x_{t-1} + g y_t,   x = (l, b),   D = | 1-α   (1-α)φ |,   g = | α |
//!                                              | -β    φ(1-β) |        | β |
//! so  x_{t+1} = D² x_{t-1} + (D g) y_t + g y_{t+1}
//! ```
//!
//! (without a trend, `D = 1-α` and `g = α`). A step of the one-step pass waits for the previous
//! step's level and slope through four dependent operations; here the state jumps two steps with
//! `D²` through two, and the intermediate state `x_t`, which the forecast `μ_{t+1} = l_t + φb_t`
//! needs, is computed off that chain. So the pass is bound by half as many latencies (one lane on
//! 104 points: 396 -> 193 ns). The sums equal the one-step pass's in exact arithmetic and differ
//! by rounding only.
//!
//! The multiplicative-error term `Σ log|μ_t|` is kept, as in the one-step passes, as a running
//! product in mantissa × 2^exponent form, one factor `|μ_t μ_{t+1}|` per pair; a lane whose factor
//! leaves `[1e-300, 1e300]` reports `None` (the caller re-runs it one step at a time, where such
//! values take an explicit logarithm). An odd last point is a single step.
//!
//! The module names nothing of its siblings: the one-step pass (module `state_space`) and the
//! lane pass (module `lanes`) both hand their non-seasonal short-chain work to [`sums`].

/// One lane's parameters and starting states.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lane {
    pub alpha: f64,
    pub beta: f64,
    pub phi: f64,
    /// Initial level `l_0`.
    pub level: f64,
    /// Initial slope `b_0` (ignored without a trend).
    pub slope: f64,
    /// Multiplicative error: the innovation is `(y - μ)/μ` and the sums include `Σ log|μ|`.
    pub mult: bool,
}

/// `(n log Σe² + 2 Σ log|μ|, Σe²)` of each lane over `y` (the log term for multiplicative-error
/// lanes only), or `None` for a multiplicative-error lane whose forecasts leave the running
/// product's range. `T` is the trend (0 none, 1 additive). With `WRITE`, lane 0's innovations go to
/// `e` (at least `y.len()` long).
#[inline(always)]
pub(crate) fn sums<const L: usize, const T: u8, const WRITE: bool>(
    lanes: &[Lane; L],
    y: &[f64],
    e: &mut [f64],
) -> [Option<(f64, f64)>; L] {
    let n = y.len();
    if WRITE && e.len() < n {
        return [None; L];
    }
    let trend = T == 1;
    let alpha: [f64; L] = each(|k| lanes[k].alpha);
    let beta: [f64; L] = each(|k| if trend { lanes[k].beta } else { 0.0 });
    let phi: [f64; L] = each(|k| if trend { lanes[k].phi } else { 0.0 });
    // D and D g (module docs); D² below.
    let a11: [f64; L] = each(|k| 1.0 - alpha[k]);
    let a12: [f64; L] = each(|k| a11[k] * phi[k]);
    let a21: [f64; L] = each(|k| -beta[k]);
    let a22: [f64; L] = each(|k| phi[k] * (1.0 - beta[k]));
    let c11: [f64; L] = each(|k| if trend { a11[k] * a11[k] + a12[k] * a21[k] } else { a11[k] * a11[k] });
    let c12: [f64; L] = each(|k| a11[k] * a12[k] + a12[k] * a22[k]);
    let c21: [f64; L] = each(|k| a21[k] * a11[k] + a22[k] * a21[k]);
    let c22: [f64; L] = each(|k| a21[k] * a12[k] + a22[k] * a22[k]);
    let gl: [f64; L] = each(|k| if trend { a11[k] * alpha[k] + a12[k] * beta[k] } else { a11[k] * alpha[k] });
    let gb: [f64; L] = each(|k| a21[k] * alpha[k] + a22[k] * beta[k]);
    let mult: [bool; L] = each(|k| lanes[k].mult);
    let any_mult = mult.iter().any(|&b| b);
    let mut level: [f64; L] = each(|k| lanes[k].level);
    let mut slope: [f64; L] = each(|k| if trend { lanes[k].slope } else { 0.0 });
    let mut sse = [0.0f64; L];
    let mut product = [Product::default(); L];
    let pairs = y.chunks_exact(2);
    let last = pairs.remainder().first().copied();
    for (i, pair) in pairs.enumerate() {
        let (y1, y2) = (pair[0], pair[1]);
        let mu1: [f64; L] = each(|k| if trend { level[k] + phi[k] * slope[k] } else { level[k] });
        // x_t, off the chain: only the forecast of the second step needs it.
        let level1: [f64; L] = each(|k| a11[k] * mu1[k] + alpha[k] * y1);
        let slope1: [f64; L] = each(|k| if trend { a22[k] * slope[k] + beta[k] * (y1 - level[k]) } else { 0.0 });
        let mu2: [f64; L] = each(|k| if trend { level1[k] + phi[k] * slope1[k] } else { level1[k] });
        // x_{t+1} = D² x_{t-1} + (D g) y_t + g y_{t+1}.
        let kl: [f64; L] = each(|k| gl[k] * y1 + alpha[k] * y2);
        let kb: [f64; L] = each(|k| gb[k] * y1 + beta[k] * y2);
        if trend {
            let l = level;
            level = each(|k| c11[k] * l[k] + (c12[k] * slope[k] + kl[k]));
            slope = each(|k| c21[k] * l[k] + (c22[k] * slope[k] + kb[k]));
        } else {
            level = each(|k| c11[k] * level[k] + kl[k]);
        }
        let scale1: [f64; L] = each(|k| if mult[k] { mu1[k] } else { 1.0 });
        let scale2: [f64; L] = each(|k| if mult[k] { mu2[k] } else { 1.0 });
        let e1: [f64; L] = each(|k| (y1 - mu1[k]) / scale1[k]);
        let e2: [f64; L] = each(|k| (y2 - mu2[k]) / scale2[k]);
        if WRITE {
            e[2 * i] = e1[0];
            e[2 * i + 1] = e2[0];
        }
        for k in 0..L {
            sse[k] += e1[k] * e1[k];
            sse[k] += e2[k] * e2[k];
        }
        if any_mult {
            for k in 0..L {
                product[k].push(mu1[k].abs() * mu2[k].abs());
            }
        }
    }
    if let Some(yn) = last {
        let mu: [f64; L] = each(|k| if trend { level[k] + phi[k] * slope[k] } else { level[k] });
        let scale: [f64; L] = each(|k| if mult[k] { mu[k] } else { 1.0 });
        let err: [f64; L] = each(|k| (yn - mu[k]) / scale[k]);
        if WRITE {
            e[n - 1] = err[0];
        }
        for k in 0..L {
            sse[k] += err[k] * err[k];
            if any_mult {
                product[k].push(mu[k].abs());
            }
        }
    }
    each(|k| {
        if !mult[k] {
            return Some((n as f64 * sse[k].ln(), sse[k]));
        }
        product[k].in_range.then(|| (n as f64 * sse[k].ln() + 2.0 * product[k].ln(), sse[k]))
    })
}

/// `[f(0), .., f(L - 1)]`.
#[inline(always)]
fn each<T, const L: usize>(f: impl FnMut(usize) -> T) -> [T; L] {
    std::array::from_fn(f)
}

/// A running product held as mantissa in `[0.5, 1)` × 2^exponent; `in_range` turns false for good
/// once a factor leaves `[1e-300, 1e300]` (zero, infinite, NaN or extreme).
#[derive(Debug, Clone, Copy)]
struct Product {
    mantissa: f64,
    exponent: i64,
    in_range: bool,
}

impl Default for Product {
    fn default() -> Self {
        Product { mantissa: 1.0, exponent: 0, in_range: true }
    }
}

impl Product {
    #[inline(always)]
    fn push(&mut self, a: f64) {
        self.in_range &= (1e-300..=1e300).contains(&a);
        let bits = (self.mantissa * a).to_bits();
        self.exponent += ((bits >> 52) & 0x7ff) as i64 - 1022;
        self.mantissa = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    }

    fn ln(&self) -> f64 {
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-step short-chain recursion written out plainly, for comparison.
    fn one_step(lane: &Lane, trend: bool, y: &[f64]) -> (f64, f64, Vec<f64>) {
        let (mut l, mut b) = (lane.level, if trend { lane.slope } else { 0.0 });
        let phi = if trend { lane.phi } else { 0.0 };
        let (mut sse, mut log_mu, mut e) = (0.0, 0.0, Vec::new());
        for &yt in y {
            let mu = l + phi * b;
            let err = if lane.mult { (yt - mu) / mu } else { yt - mu };
            e.push(err);
            sse += err * err;
            log_mu += mu.abs().ln();
            if trend {
                b = phi * (1.0 - lane.beta) * b + lane.beta * (yt - l);
            }
            l = (1.0 - lane.alpha) * mu + lane.alpha * yt;
        }
        let n = y.len() as f64;
        let lik = n * sse.ln() + if lane.mult { 2.0 * log_mu } else { 0.0 };
        (lik, sse, e)
    }

    fn series(n: usize) -> Vec<f64> {
        (0..n).map(|t| 50.0 + 0.7 * t as f64 + 6.0 * ((t * 7 % 11) as f64 - 5.0)).collect()
    }

    fn lane(alpha: f64, beta: f64, phi: f64, mult: bool) -> Lane {
        Lane { alpha, beta, phi, level: 48.0, slope: 0.5, mult }
    }

    #[test]
    fn two_steps_at_once_equal_one_step_at_a_time_up_to_rounding() {
        for n in [3, 4, 41, 104] {
            let y = series(n);
            for mult in [false, true] {
                for (alpha, beta, phi) in [(0.3, 0.05, 0.95), (0.9, 0.4, 0.8), (0.02, 0.001, 0.98), (0.5, 0.2, 1.0)] {
                    let ln = lane(alpha, beta, phi, mult);
                    for trend in [false, true] {
                        let (lik, sse, e) = one_step(&ln, trend, &y);
                        let mut e2 = vec![0.0; n];
                        let got = if trend {
                            sums::<1, 1, true>(&[ln], &y, &mut e2)
                        } else {
                            sums::<1, 0, true>(&[ln], &y, &mut e2)
                        };
                        let (glik, gsse) = got[0].expect("in range");
                        assert!(
                            (glik - lik).abs() <= 1e-11 * lik.abs().max(1.0),
                            "n {n} {ln:?} {trend}: {glik} vs {lik}"
                        );
                        assert!((gsse - sse).abs() <= 1e-11 * sse, "n {n} {ln:?} {trend}");
                        for (a, b) in e.iter().zip(&e2) {
                            assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "n {n} {ln:?} {trend}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_lane_is_bit_identical_to_a_lane_alone() {
        let y = series(51);
        let lanes = [
            lane(0.3, 0.05, 0.95, false),
            lane(0.7, 0.2, 0.85, true),
            lane(0.05, 0.01, 0.98, true),
            lane(0.5, 0.3, 0.9, false),
        ];
        let together = sums::<4, 1, false>(&lanes, &y, &mut []);
        for (k, ln) in lanes.iter().enumerate() {
            let alone = sums::<1, 1, false>(&[*ln], &y, &mut []);
            let (a, b) = (alone[0].expect("alone"), together[k].expect("together"));
            assert_eq!((a.0.to_bits(), a.1.to_bits()), (b.0.to_bits(), b.1.to_bits()), "lane {k}");
        }
    }

    #[test]
    fn forecasts_out_of_range_send_only_their_multiplicative_lane_back() {
        let y = series(20);
        let zero = Lane { level: 0.0, slope: 0.0, ..lane(0.3, 0.0, 1.0, true) };
        let additive_zero = Lane { mult: false, ..zero };
        let out = sums::<3, 0, false>(&[zero, additive_zero, lane(0.3, 0.0, 1.0, true)], &y, &mut []);
        assert!(out[0].is_none());
        assert!(out[1].is_some() && out[2].is_some());
    }
}
