//! The likelihood sums of a form without multiplicative trend (`ANN`, `AAdN`, `MAM`, ...), two
//! time steps at a time.
//!
//! In the error-correction form of [`super::state_space::Arithmetic::ShortChain`] the level and
//! slope of these forms follow a linear recursion driven by the seasonally adjusted observation
//! `p_t` (`y_t`, `y_t - s_{t-m}` or `y_t / s_{t-m}`; the error type changes only the innovation,
//! not the states):
//!
//! ```text
//! x_t = D x_{t-1} + g p_t,   x = (l, b),   D = | 1-α   (1-α)φ |,   g = | α |
//!                                              | -β    φ(1-β) |        | β |
//! so  x_{t+1} = D² x_{t-1} + (D g) p_t + g p_{t+1}
//! ```
//!
//! (without a trend, `D = 1-α` and `g = α`). `p_t` and `p_{t+1}` need only seasonal indices set at
//! least a step earlier (`s_{t-m}`, `s_{t+1-m}`, `m ≥ 2`), so they are known when the pair starts.
//! A step of the one-step pass waits for the previous step's level and slope through four
//! dependent operations; here the state jumps two steps with `D²` through two, and the intermediate
//! state `x_t`, which the forecast `μ_{t+1}` and the seasonal update need, is computed off that
//! chain. So the pass is bound by half as many latencies (one lane of `AAdN` on 104 points: 396 ->
//! 193 ns). The sums equal the one-step pass's in exact arithmetic and differ by rounding only;
//! every other operation (forecast, innovation, seasonal update, the guards against division by
//! zero) is the one-step pass's.
//!
//! The multiplicative-error term `Σ log|μ_t|` is kept, as in the one-step passes, as a running
//! product in mantissa × 2^exponent form, one factor `|μ_t μ_{t+1}|` per pair; a lane whose factor
//! leaves `[1e-300, 1e300]` reports `None` (the caller re-runs it one step at a time, where such
//! values take an explicit logarithm). An odd last point is a single step.
//!
//! A part of module `state_space` (its guards and running product), used by the one-step pass
//! there and by the lane pass (module `lanes`), which both hand their short-chain work to [`sums`].

use super::{LogAbsProduct, HUGEN, TOL};

/// One lane's parameters and starting level and slope (its seasonal indices are in the history
/// [`sums`] takes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lane {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
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
/// product's range. `T` is the trend (0 none, 1 additive), `S` the season (0 none, 1 additive, 2
/// multiplicative) with period `m ≥ 2`. `hist` is the seasonal history laid out oldest first, lanes
/// interleaved: `hist[t L + k]` is lane k's `s_{t-m}` at step `t`, the first `m L` values set by the
/// caller, room for `(n + m) L` (empty without a season). With `WRITE`, lane 0's innovations go to
/// `e` (at least `y.len()` long). Every lane `None` when the buffers are too short.
#[inline(always)]
pub(crate) fn sums<const L: usize, const T: u8, const S: u8, const WRITE: bool>(
    lanes: &[Lane; L],
    m: usize,
    hist: &mut [f64],
    y: &[f64],
    e: &mut [f64],
) -> [Option<(f64, f64)>; L] {
    let n = y.len();
    if (WRITE && e.len() < n) || (S > 0 && (m < 2 || hist.len() < (n + m) * L)) {
        return [None; L];
    }
    let gamma: [f64; L] = each(|k| lanes[k].gamma);
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
    let mut product = [LogAbsProduct::default(); L];
    let mut in_range = [true; L];
    // The one-step pass's forecast, adjusted observation and seasonal update (module `state_space`).
    let forecast = |q: f64, s_old: f64| match S {
        0 => q,
        1 => q + s_old,
        _ => q * s_old,
    };
    let adjusted = |yt: f64, s_old: f64| match S {
        0 => yt,
        1 => yt - s_old,
        _ => {
            let ratio = yt / s_old;
            if s_old.abs() < TOL {
                HUGEN
            } else {
                ratio
            }
        }
    };
    let new_index = |yt: f64, q: f64, s_old: f64, gamma: f64| {
        let u = if S == 2 {
            let ratio = yt / q;
            if q.abs() < TOL {
                HUGEN
            } else {
                ratio
            }
        } else {
            yt - q
        };
        s_old + gamma * (u - s_old)
    };
    let pairs = y.chunks_exact(2);
    let last = pairs.remainder().first().copied();
    for (i, pair) in pairs.enumerate() {
        let (t, y1, y2) = (2 * i, pair[0], pair[1]);
        let (s1, s2): ([f64; L], [f64; L]) =
            if S > 0 { (row(hist, t), row(hist, t + 1)) } else { ([0.0; L], [0.0; L]) };
        let p1: [f64; L] = each(|k| adjusted(y1, s1[k]));
        let p2: [f64; L] = each(|k| adjusted(y2, s2[k]));
        let q1: [f64; L] = each(|k| if trend { level[k] + phi[k] * slope[k] } else { level[k] });
        let mu1: [f64; L] = each(|k| forecast(q1[k], s1[k]));
        // x_t, off the chain: the second step's forecast and seasonal update need it.
        let level1: [f64; L] = each(|k| a11[k] * q1[k] + alpha[k] * p1[k]);
        let slope1: [f64; L] = each(|k| if trend { a22[k] * slope[k] + beta[k] * (p1[k] - level[k]) } else { 0.0 });
        let q2: [f64; L] = each(|k| if trend { level1[k] + phi[k] * slope1[k] } else { level1[k] });
        let mu2: [f64; L] = each(|k| forecast(q2[k], s2[k]));
        if S > 0 {
            let new1: [f64; L] = each(|k| new_index(y1, q1[k], s1[k], gamma[k]));
            let new2: [f64; L] = each(|k| new_index(y2, q2[k], s2[k], gamma[k]));
            hist[(t + m) * L..(t + m + 1) * L].copy_from_slice(&new1);
            hist[(t + m + 1) * L..(t + m + 2) * L].copy_from_slice(&new2);
        }
        // x_{t+1} = D² x_{t-1} + (D g) p_t + g p_{t+1}.
        let kl: [f64; L] = each(|k| gl[k] * p1[k] + alpha[k] * p2[k]);
        let kb: [f64; L] = each(|k| gb[k] * p1[k] + beta[k] * p2[k]);
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
                let a = mu1[k].abs() * mu2[k].abs();
                in_range[k] &= LogAbsProduct::in_range(a);
                product[k].scale(a);
            }
        }
    }
    if let Some(yn) = last {
        let s_old: [f64; L] = if S > 0 { row(hist, n - 1) } else { [0.0; L] };
        let q: [f64; L] = each(|k| if trend { level[k] + phi[k] * slope[k] } else { level[k] });
        let mu: [f64; L] = each(|k| forecast(q[k], s_old[k]));
        let scale: [f64; L] = each(|k| if mult[k] { mu[k] } else { 1.0 });
        let err: [f64; L] = each(|k| (yn - mu[k]) / scale[k]);
        if WRITE {
            e[n - 1] = err[0];
        }
        for k in 0..L {
            sse[k] += err[k] * err[k];
            if any_mult {
                let a = mu[k].abs();
                in_range[k] &= LogAbsProduct::in_range(a);
                product[k].scale(a);
            }
        }
    }
    each(|k| {
        if !mult[k] {
            return Some((n as f64 * sse[k].ln(), sse[k]));
        }
        in_range[k].then(|| (n as f64 * sse[k].ln() + 2.0 * product[k].ln(), sse[k]))
    })
}

/// The `L` lanes' values of step `t` in an interleaved history (one bounds check).
#[inline(always)]
fn row<const L: usize>(hist: &[f64], t: usize) -> [f64; L] {
    let mut out = [0.0; L];
    out.copy_from_slice(&hist[t * L..(t + 1) * L]);
    out
}

/// `[f(0), .., f(L - 1)]`.
#[inline(always)]
fn each<T, const L: usize>(f: impl FnMut(usize) -> T) -> [T; L] {
    std::array::from_fn(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: usize = 4;

    /// Initial seasonal indices, oldest first, for season `S`.
    fn initial_season(season: u8) -> Vec<f64> {
        match season {
            0 => Vec::new(),
            1 => vec![-3.0, 2.0, -1.0, 2.0],
            _ => vec![0.9, 1.1, 0.95, 1.05],
        }
    }

    /// The one-step short-chain recursion written out plainly, for comparison.
    fn one_step(lane: &Lane, trend: bool, season: u8, y: &[f64]) -> (f64, f64, Vec<f64>) {
        let (mut l, mut b) = (lane.level, if trend { lane.slope } else { 0.0 });
        let phi = if trend { lane.phi } else { 0.0 };
        let mut hist = initial_season(season);
        let (mut sse, mut log_mu, mut e) = (0.0, 0.0, Vec::new());
        for (t, &yt) in y.iter().enumerate() {
            let s_old = hist.get(t).copied().unwrap_or(0.0);
            let q = l + phi * b;
            let (mu, p, u) = match season {
                0 => (q, yt, 0.0),
                1 => (q + s_old, yt - s_old, yt - q),
                _ => (q * s_old, yt / s_old, yt / q),
            };
            let err = if lane.mult { (yt - mu) / mu } else { yt - mu };
            e.push(err);
            sse += err * err;
            log_mu += mu.abs().ln();
            if trend {
                b = phi * (1.0 - lane.beta) * b + lane.beta * (p - l);
            }
            l = (1.0 - lane.alpha) * q + lane.alpha * p;
            if season > 0 {
                hist.push(s_old + lane.gamma * (u - s_old));
            }
        }
        let n = y.len() as f64;
        let lik = n * sse.ln() + if lane.mult { 2.0 * log_mu } else { 0.0 };
        (lik, sse, e)
    }

    /// [`sums`] for lanes of one form (trend, season), lane 0's innovations in `e`.
    fn run<const L: usize>(
        lanes: &[Lane; L],
        trend: bool,
        season: u8,
        y: &[f64],
        e: &mut [f64],
    ) -> [Option<(f64, f64)>; L] {
        let mut hist = vec![0.0; (y.len() + M) * L];
        for (j, &s) in initial_season(season).iter().enumerate() {
            hist[j * L..(j + 1) * L].fill(s);
        }
        macro_rules! go {
            ($t:literal, $s:literal) => {
                if e.is_empty() {
                    sums::<L, $t, $s, false>(lanes, M, &mut hist, y, e)
                } else {
                    sums::<L, $t, $s, true>(lanes, M, &mut hist, y, e)
                }
            };
        }
        match (trend, season) {
            (false, 0) => go!(0, 0),
            (false, 1) => go!(0, 1),
            (false, _) => go!(0, 2),
            (true, 0) => go!(1, 0),
            (true, 1) => go!(1, 1),
            (true, _) => go!(1, 2),
        }
    }

    fn series(n: usize) -> Vec<f64> {
        (0..n).map(|t| 50.0 + 0.7 * t as f64 + 6.0 * ((t * 7 % 11) as f64 - 5.0)).collect()
    }

    fn lane(alpha: f64, beta: f64, phi: f64, mult: bool) -> Lane {
        Lane { alpha, beta, gamma: 0.2, phi, level: 48.0, slope: 0.5, mult }
    }

    #[test]
    fn two_steps_at_once_equal_one_step_at_a_time_up_to_rounding() {
        for n in [3, 4, 41, 104] {
            let y = series(n);
            for mult in [false, true] {
                for (alpha, beta, phi) in [(0.3, 0.05, 0.95), (0.9, 0.4, 0.8), (0.02, 0.001, 0.98), (0.5, 0.2, 1.0)] {
                    let ln = lane(alpha, beta, phi, mult);
                    for trend in [false, true] {
                        for season in [0, 1, 2] {
                            let label = format!("n {n} {ln:?} trend {trend} season {season}");
                            let (lik, sse, e) = one_step(&ln, trend, season, &y);
                            let mut e2 = vec![0.0; n];
                            let (glik, gsse) = run(&[ln], trend, season, &y, &mut e2)[0].expect("in range");
                            assert!((glik - lik).abs() <= 1e-11 * lik.abs().max(1.0), "{label}: {glik} vs {lik}");
                            assert!((gsse - sse).abs() <= 1e-11 * sse, "{label}");
                            for (a, b) in e.iter().zip(&e2) {
                                assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{label}");
                            }
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
            Lane { gamma: 0.05, ..lane(0.05, 0.01, 0.98, true) },
            lane(0.5, 0.3, 0.9, false),
        ];
        for season in [0, 1, 2] {
            let together = run(&lanes, true, season, &y, &mut []);
            for (k, ln) in lanes.iter().enumerate() {
                let alone = run(&[*ln], true, season, &y, &mut []);
                let (a, b) = (alone[0].expect("alone"), together[k].expect("together"));
                assert_eq!((a.0.to_bits(), a.1.to_bits()), (b.0.to_bits(), b.1.to_bits()), "lane {k} season {season}");
            }
        }
    }

    #[test]
    fn forecasts_out_of_range_send_only_their_multiplicative_lane_back() {
        let y = series(20);
        let zero = Lane { level: 0.0, slope: 0.0, ..lane(0.3, 0.0, 1.0, true) };
        let additive_zero = Lane { mult: false, ..zero };
        let out = run(&[zero, additive_zero, lane(0.3, 0.0, 1.0, true)], false, 0, &y, &mut []);
        assert!(out[0].is_none());
        assert!(out[1].is_some() && out[2].is_some());
    }

    #[test]
    fn a_season_shorter_than_two_or_short_buffers_are_refused() {
        let y = series(10);
        let ln = lane(0.3, 0.1, 0.9, false);
        assert!(sums::<1, 1, 1, false>(&[ln], 1, &mut [0.0; 11], &y, &mut [])[0].is_none());
        assert!(sums::<1, 1, 1, false>(&[ln], 4, &mut [0.0; 13], &y, &mut [])[0].is_none());
        assert!(sums::<1, 1, 0, true>(&[ln], 1, &mut [], &y, &mut [0.0; 9])[0].is_none());
    }
}
