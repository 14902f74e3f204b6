//! The optimiser's inner loop for two parameter sets at once ("lanes"), specialised at compile
//! time on the model form.
//!
//! One likelihood pass is a chain of dependent operations (`l_t` needs `b_{t-1}` needs `l_{t-1}`)
//! with up to three divisions per step, so a single pass leaves the processor waiting on
//! latencies and on its divider. Two independent passes written operation by operation over
//! `[f64; 2]` let the compiler issue both lanes together (packed SIMD on x86-64). The Nelder-Mead
//! search (module `optimizer`) supplies the pairs: the reflection point with the outside
//! contraction it most often needs next, and the vertices of a new simplex.
//!
//! Each lane performs exactly the arithmetic of [`super::state_space::likelihood_pass`], in the
//! same order (formulas in module `state_space`, after R `forecast`'s `etscalc.c`), so its sums
//! are bit-identical to a single pass. The rare cases that single pass handles with a branch are
//! not reproduced here: a lane whose `|μ_t|` leaves `[1e-300, 1e300]` (multiplicative error)
//! reports `None` and the caller re-runs it with the single pass; forms with a multiplicative
//! trend (which need `powf` and can break down) are not handled here at all. A unit test checks
//! the bit-identity for every supported form.

use super::spec::{EtsSpec, TrendType};
use super::state_space::{LogAbsProduct, PassSummary, Smoothing, HUGEN, TOL};

/// Number of parameter sets evaluated by one [`likelihood_pair`] pass.
pub(crate) const LANES: usize = 2;

/// `true` when [`likelihood_pair`] handles the form (no multiplicative trend).
pub(crate) fn supports(spec: &EtsSpec) -> bool {
    spec.trend != TrendType::Multiplicative
}

/// Run the recursions over `y` for the two parameter sets `sms`, lane `k` in the form `specs[k]`.
///
/// The two forms must share their trend and season (the error type may differ: the additive and
/// multiplicative error forms run the same state recursion and differ only in the innovation);
/// other pairs give `[None, None]`. `x0` holds the two state vectors in R's order
/// `(l, b, s_0..s_{m-1})`, one after the other (`n_states(m)` values each); `ring` is scratch
/// space of at least `2 (n + m)` values. Lane `k` gives `None` when it must be recomputed with the
/// single pass (see the module docs).
pub(crate) fn likelihood_pair(
    specs: [&EtsSpec; LANES],
    m: usize,
    sms: &[Smoothing; LANES],
    x0: &[f64],
    y: &[f64],
    ring: &mut [f64],
) -> [Option<PassSummary>; LANES] {
    let (e0, t, s) = specs[0].form_codes();
    let (e1, t1, s1) = specs[1].form_codes();
    if t == 2 || (t, s) != (t1, s1) {
        // Not handled here (see `supports`): the caller uses the single pass.
        return [None; LANES];
    }
    macro_rules! dispatch {
        ($($e0:literal $e1:literal $t:literal $s:literal),*) => {
            match (e0, e1, t, s) {
                $(($e0, $e1, $t, $s) => pair::<$e0, $e1, $t, $s>(m, sms, x0, y, ring),)*
                _ => [None; LANES],
            }
        };
    }
    dispatch!(1 1 0 0, 1 1 0 1, 1 1 0 2, 1 1 1 0, 1 1 1 1, 1 1 1 2,
              2 2 0 0, 2 2 0 1, 2 2 0 2, 2 2 1 0, 2 2 1 1, 2 2 1 2,
              1 2 0 0, 1 2 0 1, 1 2 0 2, 1 2 1 0, 1 2 1 1, 1 2 1 2,
              2 1 0 0, 2 1 0 1, 2 1 0 2, 2 1 1 0, 2 1 1 1, 2 1 1 2)
}

/// `true` when lanes of the forms `a` and `b` can share a [`likelihood_pair`] pass.
pub(crate) fn can_pair(a: &EtsSpec, b: &EtsSpec) -> bool {
    let ((_, ta, sa), (_, tb, sb)) = (a.form_codes(), b.form_codes());
    supports(a) && supports(b) && (ta, sa) == (tb, sb)
}

/// `[f(0), f(1)]`.
#[inline(always)]
fn lanes<T>(f: impl FnMut(usize) -> T) -> [T; LANES] {
    std::array::from_fn(f)
}

/// Two passes of the forms `(E0, T, S)` and `(E1, T, S)` (error 1/2 = A/M, trend 0/1 = N/A,
/// season 0/1/2 = N/A/M).
#[inline(always)]
fn pair<const E0: u8, const E1: u8, const T: u8, const S: u8>(
    m: usize,
    sms: &[Smoothing; LANES],
    x0: &[f64],
    y: &[f64],
    ring: &mut [f64],
) -> [Option<PassSummary>; LANES] {
    const L: usize = LANES;
    // Lane k's error type (resolved at compile time once `lanes` is unrolled).
    let mult = |k: usize| (if k == 0 { E0 } else { E1 }) == 2;
    let any_mult = E0 == 2 || E1 == 2;
    let m = if S > 0 { m.max(1) } else { 1 };
    let offset = 1 + usize::from(T > 0);
    let nstate = offset + if S > 0 { m } else { 0 };
    if x0.len() < L * nstate {
        return [None; L];
    }
    let alpha = lanes(|k| sms[k].alpha);
    let beta_over_alpha = lanes(|k| sms[k].beta / sms[k].alpha);
    let gamma = lanes(|k| sms[k].gamma);
    let phi = lanes(|k| sms[k].phi);
    let mut level = lanes(|k| x0[k * nstate]);
    let mut slope = lanes(|k| if T > 0 { x0[k * nstate + 1] } else { 0.0 });
    // Seasonal history laid out oldest first, lanes interleaved: `hist[t L + k]` is lane k's
    // `s_{t-m}` at step `t`, and the new index goes to `hist[(t + m) L + k]` (no wrap-around).
    let n = y.len();
    let hist: &mut [f64] = if S > 0 {
        let Some(h) = ring.get_mut(..(n + m) * L) else { return [None; L] };
        for j in 0..m {
            for k in 0..L {
                // R order s_0 (most recent) .. s_{m-1} (oldest), reversed.
                h[j * L + k] = x0[k * nstate + offset + m - 1 - j];
            }
        }
        h
    } else {
        &mut ring[..0]
    };
    let mut sse = [0.0f64; L];
    let mut mantissa = [1.0f64; L];
    let mut exponent = [0i64; L];
    let mut in_range = [true; L];
    for (t, &yi) in y.iter().enumerate() {
        let s_old: [f64; L] = if S > 0 { lanes(|k| hist[t * L + k]) } else { [0.0; L] };
        let phib = lanes(|k| if T == 1 { phi[k] * slope[k] } else { 0.0 });
        let q = lanes(|k| if T == 1 { level[k] + phib[k] } else { level[k] });
        let mu = lanes(|k| match S {
            0 => q[k],
            1 => q[k] + s_old[k],
            _ => q[k] * s_old[k],
        });
        let err = lanes(|k| if mult(k) { (yi - mu[k]) / mu[k] } else { yi - mu[k] });
        for k in 0..L {
            sse[k] += err[k] * err[k];
        }
        if any_mult {
            // `LogAbsProduct::push` for values in range (the others send the lane back); computed
            // for both lanes, used for the multiplicative ones.
            for k in 0..L {
                let a = mu[k].abs();
                in_range[k] &= (1e-300..=1e300).contains(&a);
                let bits = (mantissa[k] * a).to_bits();
                exponent[k] += ((bits >> 52) & 0x7ff) as i64 - 1022;
                mantissa[k] = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
            }
        }
        let p = lanes(|k| match S {
            0 => yi,
            1 => yi - s_old[k],
            _ => {
                let ratio = yi / s_old[k];
                if s_old[k].abs() < TOL {
                    HUGEN
                } else {
                    ratio
                }
            }
        });
        let old_level = level;
        level = lanes(|k| q[k] + alpha[k] * (p[k] - q[k]));
        if T == 1 {
            slope = lanes(|k| phib[k] + beta_over_alpha[k] * ((level[k] - old_level[k]) - phib[k]));
        }
        if S > 0 {
            let u = lanes(|k| {
                if S == 2 {
                    let ratio = yi / q[k];
                    if q[k].abs() < TOL {
                        HUGEN
                    } else {
                        ratio
                    }
                } else {
                    yi - q[k]
                }
            });
            for k in 0..L {
                hist[(t + m) * L + k] = s_old[k] + gamma[k] * (u[k] - s_old[k]);
            }
        }
    }
    lanes(|k| {
        if mult(k) && !in_range[k] {
            return None;
        }
        let mut lik = n as f64 * sse[k].ln();
        if mult(k) {
            let product = LogAbsProduct { mantissa: mantissa[k], exponent: exponent[k], extra: 0.0 };
            lik += 2.0 * product.ln();
        }
        Some(PassSummary { lik, sse: sse[k] })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ets::spec::SeasonType;
    use crate::models::ets::state_space::likelihood_pass;

    fn spec(code: &str) -> EtsSpec {
        EtsSpec::parse(code).expect("spec")
    }

    fn states(sp: &EtsSpec, shift: f64) -> Vec<f64> {
        let mut x0: Vec<f64> = match (sp.trend, sp.season) {
            (TrendType::None, SeasonType::None) => vec![50.0],
            (_, SeasonType::None) => vec![50.0, 1.0],
            (TrendType::None, SeasonType::Additive) => vec![50.0, 1.0, -1.0, 0.5, -0.5],
            (TrendType::None, SeasonType::Multiplicative) => vec![50.0, 1.1, 0.9, 1.05, 0.95],
            (_, SeasonType::Additive) => vec![50.0, 1.0, 1.0, -1.0, 0.5, -0.5],
            (_, SeasonType::Multiplicative) => vec![50.0, 1.0, 1.1, 0.9, 1.05, 0.95],
        };
        x0[0] += shift;
        x0
    }

    fn single(sp: &EtsSpec, sm: &Smoothing, x0: &[f64], y: &[f64]) -> PassSummary {
        let mut e = vec![0.0; y.len()];
        let mut ring = vec![0.0; y.len() + 4];
        likelihood_pass(sp, 4, sm, x0, y, &mut e, &mut ring)
    }

    /// Each lane of `out` (lane k: form `specs[k]`, states `states(specs[k], 3k)`) equals the
    /// single pass bit for bit.
    fn assert_lanes_match_single_passes(
        specs: [&EtsSpec; LANES],
        sms: &[Smoothing; LANES],
        y: &[f64],
        out: [Option<PassSummary>; LANES],
        label: &str,
    ) {
        for k in 0..LANES {
            let slow = single(specs[k], &sms[k], &states(specs[k], 3.0 * k as f64), y);
            let fast = out[k].unwrap_or_else(|| panic!("{label} lane {k} fell back"));
            assert_eq!(slow.lik.to_bits(), fast.lik.to_bits(), "{label} lane {k}");
            assert_eq!(slow.sse.to_bits(), fast.sse.to_bits(), "{label} lane {k}");
        }
    }

    #[test]
    fn both_lanes_are_bit_identical_to_the_single_pass() {
        let y: Vec<f64> = (0..40).map(|t| 50.0 + t as f64 + 5.0 * ((t % 4) as f64 - 1.5).abs()).collect();
        let pairs = [
            [
                Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95 },
                Smoothing { alpha: 0.7, beta: 0.2, gamma: 0.05, phi: 0.85 },
            ],
            [
                Smoothing { alpha: 0.05, beta: 0.01, gamma: 0.4, phi: 0.98 },
                Smoothing { alpha: 0.5, beta: 0.3, gamma: 0.2, phi: 0.9 },
            ],
        ];
        let codes = [
            "ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN", "ANA", "AAA", "AAdA", "MNA", "MAdA", "MNM", "MAM", "MAdM",
            "ANM",
        ];
        for code in codes {
            let sp = spec(code);
            assert!(supports(&sp));
            for pair_sm in pairs {
                let sms = pair_sm.map(|sm| if sp.damped { sm } else { Smoothing { phi: 1.0, ..sm } });
                let x0: Vec<f64> = (0..LANES).flat_map(|k| states(&sp, 3.0 * k as f64)).collect();
                let mut ring = vec![0.0; LANES * 44];
                let out = likelihood_pair([&sp, &sp], 4, &sms, &x0, &y, &mut ring);
                assert_lanes_match_single_passes([&sp, &sp], &sms, &y, out, code);
            }
        }
    }

    #[test]
    fn lanes_of_different_error_types_are_bit_identical_to_the_single_pass() {
        let y: Vec<f64> = (0..40).map(|t| 50.0 + t as f64 + 5.0 * ((t % 4) as f64 - 1.5).abs()).collect();
        let sms = [
            Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95 },
            Smoothing { alpha: 0.7, beta: 0.2, gamma: 0.05, phi: 1.0 },
        ];
        let pairs =
            [("ANN", "MNN"), ("MAN", "AAdN"), ("AAdA", "MAdA"), ("MNA", "ANA"), ("ANM", "MNM"), ("AAdM", "MAM")];
        for (a, b) in pairs {
            let specs = [spec(a), spec(b)];
            assert!(can_pair(&specs[0], &specs[1]));
            let x0: Vec<f64> = (0..LANES).flat_map(|k| states(&specs[k], 3.0 * k as f64)).collect();
            let mut ring = vec![0.0; LANES * 44];
            let out = likelihood_pair([&specs[0], &specs[1]], 4, &sms, &x0, &y, &mut ring);
            assert_lanes_match_single_passes([&specs[0], &specs[1]], &sms, &y, out, &format!("{a}/{b}"));
        }
        assert!(!can_pair(&spec("ANN"), &spec("AAN")));
        assert!(!can_pair(&spec("MNA"), &spec("MNM")));
        let mut ring = vec![0.0; LANES * 44];
        let mismatched = likelihood_pair([&spec("ANN"), &spec("AAN")], 1, &sms, &[50.0, 50.0, 1.0], &y, &mut ring);
        assert_eq!(mismatched, [None, None]);
    }

    #[test]
    fn out_of_range_forecasts_send_only_their_lane_back() {
        // MNN with a zero level in lane 1: |μ_1| = 0 is outside the running product's range.
        let sp = spec("MNN");
        let y: Vec<f64> = (0..20).map(|t| 20.0 + t as f64).collect();
        let sm = Smoothing { alpha: 0.3, beta: 0.0, gamma: 0.0, phi: 1.0 };
        let mut ring = vec![0.0; 2 * 21];
        let out = likelihood_pair([&sp, &sp], 1, &[sm; 2], &[20.0, 0.0], &y, &mut ring);
        assert!(out[1].is_none());
        let slow = single(&sp, &sm, &[20.0], &y);
        assert_eq!(out[0].map(|s| s.lik.to_bits()), Some(slow.lik.to_bits()));
    }

    #[test]
    fn multiplicative_trends_are_left_to_the_single_pass() {
        let sp = spec("MMN");
        assert!(!supports(&sp));
        let sm = Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.0, phi: 1.0 };
        let out =
            likelihood_pair([&sp, &sp], 1, &[sm; 2], &[20.0, 1.01, 20.0, 1.02], &[21.0, 22.0, 23.0], &mut [0.0; 8]);
        assert_eq!(out, [None, None]);
    }
}
