//! The optimiser's inner loop for several parameter sets at once ("lanes"), specialised at compile
//! time on the model's trend and season.
//!
//! One likelihood pass is a chain of dependent operations (`l_t` needs `b_{t-1}` needs `l_{t-1}`)
//! with up to three divisions per step, so a single pass leaves the processor waiting on
//! latencies and on its divider. Up to four independent passes written operation by operation over
//! `[f64; L]` let the compiler issue the lanes together (packed SIMD on x86-64; where the processor
//! has AVX2, checked at run time, four lanes fill one 256-bit register), so a pass for four
//! parameter sets costs little more than one. The Nelder-Mead searches (module `optimizer`)
//! supply the lanes: the reflection point with the outside contraction it most often needs next,
//! the vertices of a new simplex, and the points of the forms searched in lockstep (module
//! `together`).
//!
//! Each lane performs exactly the arithmetic of [`super::state_space::likelihood_pass`], in the
//! same order (formulas in module `state_space`, after R `forecast`'s `etscalc.c`; in
//! [`Arithmetic::ShortChain`], module `two_step`'s two steps at a time), so its sums
//! are bit-identical to a single pass; an additive-error lane divides its innovation by exactly
//! 1.0, which changes no bit. The rare cases that single pass handles with a branch are not
//! reproduced here: a lane whose `|μ_t|` leaves `[1e-300, 1e300]` (multiplicative error) reports
//! `None` and the caller re-runs it with the single pass; forms with a multiplicative trend (which
//! need `powf` and can break down) are not handled here at all. A unit test checks the
//! bit-identity for every supported form, in both [`Arithmetic`]s.

use super::spec::{EtsSpec, TrendType};
use super::state_space::{two_step, Arithmetic, LogAbsProduct, PassSummary, Smoothing, HUGEN, TOL};

/// Most parameter sets one [`likelihood_lanes`] pass evaluates.
pub(crate) const MAX_LANES: usize = 4;

/// `true` when [`likelihood_lanes`] handles the form (no multiplicative trend).
pub(crate) fn supports(spec: &EtsSpec) -> bool {
    spec.trend != TrendType::Multiplicative
}

/// Run the recursions over `y` for the `L` parameter sets `sms`, lane `k` in the form `specs[k]`.
///
/// The forms must share their trend and season (the error type may differ: the additive and
/// multiplicative error forms run the same state recursion and differ only in the innovation; a
/// damped and an undamped trend differ only in φ); other sets give `None` in every lane. `x0`
/// holds the `L` state vectors in R's order `(l, b, s_0..s_{m-1})`, one after the other
/// (`n_states(m)` values each); `ring` is scratch space of at least `L (n + m)` values. Lane `k`
/// gives `None` when it must be recomputed with the single pass (see the module docs). Every lane
/// follows `arithmetic` (the single pass's, for the bit-identity).
pub(crate) fn likelihood_lanes<const L: usize>(
    specs: [&EtsSpec; L],
    m: usize,
    sms: &[Smoothing; L],
    x0: &[f64],
    y: &[f64],
    ring: &mut [f64],
    arithmetic: Arithmetic,
) -> [Option<PassSummary>; L] {
    let (_, t, s) = specs[0].form_codes();
    if L > MAX_LANES || t == 2 || specs.iter().any(|sp| sp.form_codes().1 != t || sp.form_codes().2 != s) {
        // Not handled here (see `supports`): the caller uses the single pass.
        return [None; L];
    }
    let mult = lanes(|k| specs[k].form_codes().0 == 2);
    let inputs = Pass { mult, trend: t, season: s, m, sms, x0, y, ring, arithmetic };
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has just been checked for AVX2.
        return unsafe { dispatch_avx2(inputs) };
    }
    dispatch(inputs)
}

/// One lane pass's inputs, as [`likelihood_lanes`] checked them.
struct Pass<'a, const L: usize> {
    mult: [bool; L],
    trend: u8,
    season: u8,
    m: usize,
    sms: &'a [Smoothing; L],
    x0: &'a [f64],
    y: &'a [f64],
    ring: &'a mut [f64],
    arithmetic: Arithmetic,
}

/// [`dispatch`] compiled for AVX2, where four lanes fill one 256-bit register: the same IEEE
/// operations (no fused multiply-add), so the same bits as the portable build.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dispatch_avx2<const L: usize>(inputs: Pass<'_, L>) -> [Option<PassSummary>; L] {
    dispatch(inputs)
}

/// The pass specialised on the trend, the season and the arithmetic.
#[inline(always)]
fn dispatch<const L: usize>(inputs: Pass<'_, L>) -> [Option<PassSummary>; L] {
    let Pass { mult, trend, season, m, sms, x0, y, ring, arithmetic } = inputs;
    macro_rules! dispatch {
        ($($t:literal $s:literal),*) => {
            match (trend, season, arithmetic) {
                $(($t, $s, Arithmetic::R) => pass::<L, $t, $s, false>(mult, m, sms, x0, y, ring),
                  ($t, $s, Arithmetic::ShortChain) => pass::<L, $t, $s, true>(mult, m, sms, x0, y, ring),)*
                _ => [None; L],
            }
        };
    }
    dispatch!(0 0, 0 1, 0 2, 1 0, 1 1, 1 2)
}

/// `true` when lanes of the forms `a` and `b` can share a [`likelihood_lanes`] pass.
pub(crate) fn can_pair(a: &EtsSpec, b: &EtsSpec) -> bool {
    let ((_, ta, sa), (_, tb, sb)) = (a.form_codes(), b.form_codes());
    supports(a) && supports(b) && (ta, sa) == (tb, sb)
}

/// `[f(0), .., f(L - 1)]`.
#[inline(always)]
fn lanes<T, const L: usize>(f: impl FnMut(usize) -> T) -> [T; L] {
    std::array::from_fn(f)
}

/// `L` passes of the forms `(E_k, T, S)` (trend 0/1 = N/A, season 0/1/2 = N/A/M; lane `k` has a
/// multiplicative error when `mult[k]`; `SHORT`: [`Arithmetic::ShortChain`]).
#[inline(always)]
fn pass<const L: usize, const T: u8, const S: u8, const SHORT: bool>(
    mult: [bool; L],
    m: usize,
    sms: &[Smoothing; L],
    x0: &[f64],
    y: &[f64],
    ring: &mut [f64],
) -> [Option<PassSummary>; L] {
    let any_mult = mult.iter().any(|&b| b);
    let m = if S > 0 { m.max(1) } else { 1 };
    let offset = 1 + usize::from(T > 0);
    let nstate = offset + if S > 0 { m } else { 0 };
    if x0.len() < L * nstate {
        return [None; L];
    }
    let alpha: [f64; L] = lanes(|k| sms[k].alpha);
    let beta_over_alpha: [f64; L] = lanes(|k| sms[k].beta / sms[k].alpha);
    let beta: [f64; L] = lanes(|k| sms[k].beta);
    let gamma: [f64; L] = lanes(|k| sms[k].gamma);
    let phi: [f64; L] = lanes(|k| sms[k].phi);
    let mut level: [f64; L] = lanes(|k| x0[k * nstate]);
    let mut slope: [f64; L] = lanes(|k| if T > 0 { x0[k * nstate + 1] } else { 0.0 });
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
    if SHORT {
        // Two steps at a time, as the single pass does it (module `two_step`).
        let two = lanes(|k| two_step::Lane {
            alpha: alpha[k],
            beta: beta[k],
            gamma: gamma[k],
            phi: phi[k],
            level: level[k],
            slope: slope[k],
            mult: mult[k],
        });
        return two_step::sums::<L, T, S, false>(&two, m, hist, y, &mut [])
            .map(|s| s.map(|(lik, sse)| PassSummary { lik, sse }));
    }
    let mut sse = [0.0f64; L];
    let mut product = [LogAbsProduct::default(); L];
    let mut in_range = [true; L];
    for (t, &yi) in y.iter().enumerate() {
        let s_old: [f64; L] = if S > 0 { lanes(|k| hist[t * L + k]) } else { [0.0; L] };
        let phib: [f64; L] = lanes(|k| if T == 1 { phi[k] * slope[k] } else { 0.0 });
        let q: [f64; L] = lanes(|k| if T == 1 { level[k] + phib[k] } else { level[k] });
        let mu: [f64; L] = lanes(|k| match S {
            0 => q[k],
            1 => q[k] + s_old[k],
            _ => q[k] * s_old[k],
        });
        // x / 1.0 is x exactly: one branch-free formula for both error types.
        let scale: [f64; L] = lanes(|k| if mult[k] { mu[k] } else { 1.0 });
        let err: [f64; L] = lanes(|k| (yi - mu[k]) / scale[k]);
        for k in 0..L {
            sse[k] += err[k] * err[k];
        }
        if any_mult {
            // `LogAbsProduct::push` for values in range (the others send the lane back); computed
            // for every lane, used for the multiplicative ones.
            for k in 0..L {
                let a = mu[k].abs();
                in_range[k] &= LogAbsProduct::in_range(a);
                product[k].scale(a);
            }
        }
        let p: [f64; L] = lanes(|k| match S {
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
        // R's arithmetic (the short chain returned above).
        let old_level = level;
        level = lanes(|k| q[k] + alpha[k] * (p[k] - q[k]));
        if T == 1 {
            slope = lanes(|k| phib[k] + beta_over_alpha[k] * ((level[k] - old_level[k]) - phib[k]));
        }
        if S > 0 {
            let u: [f64; L] = lanes(|k| {
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
        if mult[k] && !in_range[k] {
            return None;
        }
        let mut lik = n as f64 * sse[k].ln();
        if mult[k] {
            lik += 2.0 * product[k].ln();
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

    fn single(sp: &EtsSpec, sm: &Smoothing, x0: &[f64], y: &[f64], arithmetic: Arithmetic) -> PassSummary {
        let mut e = vec![0.0; y.len()];
        let mut ring = vec![0.0; y.len() + 4];
        likelihood_pass(sp, 4, sm, x0, y, &mut e, &mut ring, arithmetic)
    }

    fn series() -> Vec<f64> {
        (0..40).map(|t| 50.0 + t as f64 + 5.0 * ((t % 4) as f64 - 1.5).abs()).collect()
    }

    /// Run `L` lanes (lane k: form `specs[k]`, smoothing `sms[k]`, states `states(specs[k], 3k)`)
    /// and check each against the single pass bit for bit, in each [`Arithmetic`].
    fn assert_lanes_match_single_passes<const L: usize>(specs: [&EtsSpec; L], sms: &[Smoothing; L], label: &str) {
        let y = series();
        let x0: Vec<f64> = (0..L).flat_map(|k| states(specs[k], 3.0 * k as f64)).collect();
        let mut ring = vec![0.0; L * 44];
        for arithmetic in [Arithmetic::R, Arithmetic::ShortChain] {
            let out = likelihood_lanes(specs, 4, sms, &x0, &y, &mut ring, arithmetic);
            for k in 0..L {
                let slow = single(specs[k], &sms[k], &states(specs[k], 3.0 * k as f64), &y, arithmetic);
                let fast = out[k].unwrap_or_else(|| panic!("{label} lane {k} fell back"));
                assert_eq!(slow.lik.to_bits(), fast.lik.to_bits(), "{label} lane {k} {arithmetic:?}");
                assert_eq!(slow.sse.to_bits(), fast.sse.to_bits(), "{label} lane {k} {arithmetic:?}");
            }
        }
    }

    fn undamped_unless(sp: &EtsSpec, sm: Smoothing) -> Smoothing {
        if sp.damped {
            sm
        } else {
            Smoothing { phi: 1.0, ..sm }
        }
    }

    const SETS: [Smoothing; 4] = [
        Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95 },
        Smoothing { alpha: 0.7, beta: 0.2, gamma: 0.05, phi: 0.85 },
        Smoothing { alpha: 0.05, beta: 0.01, gamma: 0.4, phi: 0.98 },
        Smoothing { alpha: 0.5, beta: 0.3, gamma: 0.2, phi: 0.9 },
    ];

    #[test]
    fn every_lane_is_bit_identical_to_the_single_pass() {
        let codes = [
            "ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN", "ANA", "AAA", "AAdA", "MNA", "MAdA", "MNM", "MAM", "MAdM",
            "ANM",
        ];
        for code in codes {
            let sp = spec(code);
            assert!(supports(&sp));
            for pair in [[SETS[0], SETS[1]], [SETS[2], SETS[3]]] {
                assert_lanes_match_single_passes([&sp, &sp], &pair.map(|sm| undamped_unless(&sp, sm)), code);
            }
            assert_lanes_match_single_passes([&sp; 4], &SETS.map(|sm| undamped_unless(&sp, sm)), code);
        }
    }

    #[test]
    fn the_short_chain_differs_from_r_by_rounding_only() {
        let y = series();
        for code in
            ["ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN", "ANA", "AAA", "AAdA", "MNA", "MAdA", "MNM", "MAM", "MAdM"]
        {
            let sp = spec(code);
            for sm in SETS.map(|sm| undamped_unless(&sp, sm)) {
                let x0 = states(&sp, 0.0);
                let r = single(&sp, &sm, &x0, &y, Arithmetic::R);
                let short = single(&sp, &sm, &x0, &y, Arithmetic::ShortChain);
                assert!((r.sse - short.sse).abs() <= 1e-12 * r.sse, "{code} {sm:?}: {} vs {}", r.sse, short.sse);
                assert!((r.lik - short.lik).abs() <= 1e-12 * r.lik.abs().max(1.0), "{code} {sm:?}");
            }
        }
    }

    #[test]
    fn lanes_of_different_forms_are_bit_identical_to_the_single_pass() {
        let pairs =
            [("ANN", "MNN"), ("MAN", "AAdN"), ("AAdA", "MAdA"), ("MNA", "ANA"), ("ANM", "MNM"), ("AAdM", "MAM")];
        for (a, b) in pairs {
            let specs = [spec(a), spec(b)];
            assert!(can_pair(&specs[0], &specs[1]));
            let sms = [undamped_unless(&specs[0], SETS[0]), undamped_unless(&specs[1], SETS[1])];
            assert_lanes_match_single_passes([&specs[0], &specs[1]], &sms, &format!("{a}/{b}"));
        }
        // The four forms of a non-seasonal and of a seasonal additive trend in one pass.
        for codes in [["AAN", "MAN", "AAdN", "MAdN"], ["MAdA", "AAA", "AAdA", "MAA"], ["MAM", "AAdM", "MAdM", "AAM"]] {
            let specs = codes.map(spec);
            let sms: [Smoothing; 4] = std::array::from_fn(|k| undamped_unless(&specs[k], SETS[k]));
            assert_lanes_match_single_passes([&specs[0], &specs[1], &specs[2], &specs[3]], &sms, &codes.join("/"));
        }
        assert!(!can_pair(&spec("ANN"), &spec("AAN")));
        assert!(!can_pair(&spec("MNA"), &spec("MNM")));
        let mut ring = vec![0.0; 2 * 44];
        let y = series();
        let sms = [SETS[0], SETS[1]];
        let mismatched =
            likelihood_lanes([&spec("ANN"), &spec("AAN")], 1, &sms, &[50.0, 50.0, 1.0], &y, &mut ring, Arithmetic::R);
        assert_eq!(mismatched, [None, None]);
    }

    #[test]
    fn out_of_range_forecasts_send_only_their_lane_back() {
        // MNN with a zero level in lane 1: |μ_1| = 0 is outside the running product's range.
        let sp = spec("MNN");
        let y: Vec<f64> = (0..20).map(|t| 20.0 + t as f64).collect();
        let sm = Smoothing { alpha: 0.3, beta: 0.0, gamma: 0.0, phi: 1.0 };
        let mut ring = vec![0.0; 4 * 21];
        let out = likelihood_lanes([&sp; 4], 1, &[sm; 4], &[20.0, 0.0, 21.0, 22.0], &y, &mut ring, Arithmetic::R);
        assert!(out[1].is_none());
        let slow = single(&sp, &sm, &[20.0], &y, Arithmetic::R);
        assert_eq!(out[0].map(|s| s.lik.to_bits()), Some(slow.lik.to_bits()));
        assert!(out[2].is_some() && out[3].is_some());
        // An additive-error lane with a zero forecast stays in the pass.
        let mixed = likelihood_lanes([&spec("ANN"), &sp], 1, &[sm; 2], &[0.0, 20.0], &y, &mut ring, Arithmetic::R);
        assert!(mixed[0].is_some());
        assert_eq!(mixed[1].map(|s| s.lik.to_bits()), Some(slow.lik.to_bits()));
    }

    #[test]
    fn multiplicative_trends_are_left_to_the_single_pass() {
        let sp = spec("MMN");
        assert!(!supports(&sp));
        let sm = Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.0, phi: 1.0 };
        let out = likelihood_lanes(
            [&sp, &sp],
            1,
            &[sm; 2],
            &[20.0, 1.01, 20.0, 1.02],
            &[21.0, 22.0, 23.0],
            &mut [0.0; 8],
            Arithmetic::R,
        );
        assert_eq!(out, [None, None]);
    }
}
