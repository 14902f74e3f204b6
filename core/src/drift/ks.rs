//! Two-sample Kolmogorov-Smirnov test.
//!
//! Statistic: `D = sup_x |F_a(x) - F_b(x)|` over the right-continuous empirical distribution functions,
//! evaluated at every observed value (ties handled by counting all equal values at once).
//! Writing `g = gcd(n_a, n_b)` and `L = n_a n_b / g`, `D = h / L` for an integer `h`, which forestock
//! computes exactly in integers.
//!
//! p-value (two-sided), following `scipy.stats.ks_2samp(method="auto")`:
//!
//! - **exact** when `max(n_a, n_b) <= 10000`: `P(D >= h/L)` under H0 by counting lattice paths from
//!   `(0,0)` to `(n_a,n_b)` that touch the band `|x/n_a - y/n_b| >= h/L` (Hodges 1958, "The significance
//!   probability of the Smirnov two-sample test", Arkiv för Matematik 3). For `n_a = n_b = n` the
//!   reflection formula `2 Σ_{k>=1} (-1)^{k+1} C(2n, n-kh) / C(2n, n)` is used, in nested (Horner)
//!   form; otherwise the path proportions are propagated column by column as probabilities
//!   (`A(i,j) = (i A(i-1,j) + j A(i,j-1)) / (i+j)`, `A = 1` outside the band), the numerically stable
//!   recursion of Viehmann (2021), arXiv:2102.08037. If rounding pushes the exact value outside
//!   `[0, 1]` (possible for tiny samples with the alternating series) the asymptotic branch is used,
//!   exactly as scipy does.
//! - **asymptotic** otherwise: `P(D_m >= D)` for the one-sample Kolmogorov distribution with
//!   `m = round(n_a n_b / (n_a + n_b))` (round half to even), see [`super::kolmogorov`].

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::series::validate_finite;

/// Largest sample size for which the exact p-value is attempted (scipy's `MAX_AUTO_N`).
pub const KS_EXACT_MAX_N: usize = 10_000;

/// How the p-value of a [`KsTest`] was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KsMethod {
    /// Exact null distribution (lattice path counting).
    Exact,
    /// Kolmogorov distribution with the effective sample size `n_a n_b / (n_a + n_b)`.
    Asymptotic,
}

/// Result of [`ks_two_sample`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KsTest {
    /// The statistic `D = sup |F_a - F_b|`, in `[0, 1]`.
    pub statistic: f64,
    /// Two-sided p-value, in `[0, 1]`.
    pub p_value: f64,
    /// Which computation produced the p-value.
    pub method: KsMethod,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Largest ECDF gap in units of `1/L`: returns `(h, i, j)` with `h = |i n_b/g - j n_a/g|` maximal
/// over the merged sorted samples (`i`, `j` the counts of `a` and `b` values `<=` the current value).
fn max_gap(a: &mut [f64], b: &mut [f64], ag: u64, bg: u64) -> (u64, u64, u64) {
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (mut i, mut j) = (0usize, 0usize);
    let mut best = (0u64, 0u64, 0u64);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) => x,
            (None, Some(&y)) => y,
            (None, None) => break,
        };
        while a.get(i).is_some_and(|&x| x <= next) {
            i += 1;
        }
        while b.get(j).is_some_and(|&y| y <= next) {
            j += 1;
        }
        let left = i as u64 * bg;
        let right = j as u64 * ag;
        let h = left.abs_diff(right);
        if h > best.0 {
            best = (h, i as u64, j as u64);
        }
    }
    best
}

/// `P(D_{n,n} >= h/n)` by the reflection formula in nested form.
fn exact_equal_sizes(n: u64, h: u64) -> f64 {
    let nf = n as f64;
    let mut nested = 0.0;
    let mut k = n / h;
    loop {
        let kh = (k * h) as f64;
        let mut ratio = 1.0;
        for step in 0..h {
            let s = step as f64;
            ratio = (nf - kh - s) * ratio / (nf + kh + s + 1.0);
        }
        nested = ratio * (1.0 - nested);
        if k == 0 {
            break;
        }
        k -= 1;
    }
    2.0 * nested
}

/// `P(D_{m,n} >= h/L)` by propagating exit probabilities along lattice columns (Viehmann 2021).
fn exact_unequal_sizes(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let (mg, ng) = (m / g, n / g);
    let (hi, h, mgi, ngi) = (i128::from(n), i128::from(h), i128::from(mg), i128::from(ng));
    let mut column = vec![1.0f64; n as usize + 1];
    // Column 0: A(0, j) = 0 inside the band (the path has not left it), 1 outside.
    let first_hi = ((h + mgi - 1) / mgi).min(hi + 1) as usize;
    column.iter_mut().take(first_hi).for_each(|v| *v = 0.0);
    let mut prev_lo = 0usize;
    for i in 1..=i128::from(m) {
        // Inside the band: |ng i - mg j| < h  <=>  lo <= j < hi_excl.
        let lo = ((ngi * i - h).div_euclid(mgi) + 1).clamp(0, hi) as usize;
        let hi_excl = (ngi * i + h + mgi - 1).div_euclid(mgi).min(hi + 1) as usize;
        if hi_excl <= lo {
            return 1.0;
        }
        column.iter_mut().take(lo).skip(prev_lo).for_each(|v| *v = 1.0);
        let fi = i as f64;
        let mut below = if lo == 0 { 0.0 } else { 1.0 };
        for (j, slot) in column.iter_mut().enumerate().take(hi_excl).skip(lo) {
            let fj = j as f64;
            below = (*slot * fi + below * fj) / (fi + fj);
            *slot = below;
        }
        prev_lo = lo;
    }
    column.last().copied().unwrap_or(f64::NAN)
}

/// Two-sample Kolmogorov-Smirnov test of "`a` and `b` come from the same continuous distribution".
///
/// Samples must be non-empty and finite ([`crate::Error::InSeries`] names `a` or `b` otherwise).
/// Matches `scipy.stats.ks_2samp(a, b)` (two-sided, `method="auto"`) to 1e-8 on the fixtures of
/// `tests/tests/suite/drift_scipy.rs`.
///
/// ```
/// use forestock::drift::{ks_two_sample, KsMethod};
/// let t = ks_two_sample(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0, 9.0])?;
/// assert_eq!(t.statistic, 1.0);
/// assert_eq!(t.method, KsMethod::Exact);
/// assert!((t.p_value - 2.0 / 126.0).abs() < 1e-12); // 2 of the C(9,4) = 126 orderings
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> Result<KsTest> {
    validate_finite(a, 1, "ks_two_sample").map_err(|e| e.in_series("a"))?;
    validate_finite(b, 1, "ks_two_sample").map_err(|e| e.in_series("b"))?;
    let (na, nb) = (a.len() as u64, b.len() as u64);
    let g = gcd(na, nb);
    let (ag, bg) = (na / g, nb / g);
    let lcm = ag * nb;
    let (h, i, j) = max_gap(&mut a.to_vec(), &mut b.to_vec(), ag, bg);
    if a.len().max(b.len()) <= KS_EXACT_MAX_N {
        let statistic = h as f64 / lcm as f64;
        if h == 0 {
            return Ok(KsTest { statistic, p_value: 1.0, method: KsMethod::Exact });
        }
        let p = if na == nb { exact_equal_sizes(na, h) } else { exact_unequal_sizes(na, nb, g, h) };
        if (0.0..=1.0).contains(&p) {
            return Ok(KsTest { statistic, p_value: p, method: KsMethod::Exact });
        }
        return Ok(asymptotic(statistic, na, nb));
    }
    let statistic = (i as f64 / na as f64 - j as f64 / nb as f64).abs();
    Ok(asymptotic(statistic, na, nb))
}

fn asymptotic(statistic: f64, na: u64, nb: u64) -> KsTest {
    let (m, n) = if na >= nb { (na as f64, nb as f64) } else { (nb as f64, na as f64) };
    let effective = (m * n / (m + n)).round_ties_even().max(1.0) as u64;
    let p_value = super::kolmogorov::kolmogorov_sf(effective, statistic).clamp(0.0, 1.0);
    KsTest { statistic, p_value, method: KsMethod::Asymptotic }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use proptest::prelude::*;

    /// Brute force: enumerate every assignment of the pooled ranks (continuous data, no ties).
    fn brute_force_p(na: usize, nb: usize, d_obs: u64) -> f64 {
        let total = na + nb;
        let (ag, bg) = {
            let g = gcd(na as u64, nb as u64);
            (na as u64 / g, nb as u64 / g)
        };
        let (mut hits, mut count) = (0u64, 0u64);
        for mask in 0u32..(1 << total) {
            if mask.count_ones() as usize != na {
                continue;
            }
            count += 1;
            let (mut i, mut j, mut best) = (0u64, 0u64, 0u64);
            for bit in 0..total {
                if mask & (1 << bit) != 0 {
                    i += 1
                } else {
                    j += 1
                }
                best = best.max((i * bg).abs_diff(j * ag));
            }
            if best >= d_obs {
                hits += 1;
            }
        }
        hits as f64 / count as f64
    }

    #[test]
    fn exact_matches_enumeration() {
        for (na, nb) in [(3usize, 4usize), (4, 4), (5, 7), (6, 6), (2, 9), (8, 5)] {
            let g = gcd(na as u64, nb as u64);
            let lcm = na as u64 / g * nb as u64;
            for h in 1..=lcm {
                let p = if na == nb {
                    exact_equal_sizes(na as u64, h)
                } else {
                    exact_unequal_sizes(na as u64, nb as u64, g, h)
                };
                let bf = brute_force_p(na, nb, h);
                if (0.0..=1.0).contains(&p) {
                    assert!((p - bf).abs() < 1e-12, "na={na} nb={nb} h={h}: {p} vs {bf}");
                }
            }
        }
    }

    #[test]
    fn largest_exact_case_with_a_large_gap() {
        // Worst case of the column recursion: unequal sizes at the exact limit, large D.
        let a: Vec<f64> = (0..KS_EXACT_MAX_N).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..KS_EXACT_MAX_N - 1).map(|i| i as f64 + 3000.5).collect();
        let t = ks_two_sample(&a, &b).expect("ks");
        assert_eq!(t.method, KsMethod::Exact);
        assert!(t.statistic > 0.29 && t.p_value < 1e-100);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert!(matches!(ks_two_sample(&[], &[1.0]), Err(Error::InSeries { .. })));
        let e = ks_two_sample(&[1.0], &[2.0, f64::INFINITY]).expect_err("should fail");
        assert!(e.to_string().contains("`b`") && e.to_string().contains("index 1"));
    }

    #[test]
    fn identical_and_constant_samples() {
        let t = ks_two_sample(&[2.0; 5], &[2.0; 7]).expect("ks");
        assert_eq!((t.statistic, t.p_value), (0.0, 1.0));
        let t = ks_two_sample(&[1.0, 1e300, -1e300], &[0.0]).expect("ks");
        assert!(t.statistic > 0.0 && t.p_value <= 1.0);
    }

    proptest! {
        #[test]
        fn statistic_and_p_value_are_in_unit_interval(
            a in proptest::collection::vec(-1e6f64..1e6, 1..60),
            b in proptest::collection::vec(-1e6f64..1e6, 1..60),
        ) {
            let t = ks_two_sample(&a, &b).expect("finite input");
            prop_assert!((0.0..=1.0).contains(&t.statistic));
            prop_assert!((0.0..=1.0).contains(&t.p_value));
            let s = ks_two_sample(&b, &a).expect("finite input");
            prop_assert_eq!(s.statistic, t.statistic);
            prop_assert!((s.p_value - t.p_value).abs() < 1e-12);
        }

        #[test]
        fn tied_integer_samples_stay_in_range_and_match_the_brute_force_statistic(
            a in proptest::collection::vec(0u8..5, 1..40),
            b in proptest::collection::vec(0u8..5, 1..40),
        ) {
            let (fa, fb): (Vec<f64>, Vec<f64>) =
                (a.iter().map(|&v| f64::from(v)).collect(), b.iter().map(|&v| f64::from(v)).collect());
            let t = ks_two_sample(&fa, &fb).expect("finite input");
            let ecdf = |s: &[f64], x: f64| s.iter().filter(|&&v| v <= x).count() as f64 / s.len() as f64;
            let d = (0..5).map(|x| (ecdf(&fa, f64::from(x)) - ecdf(&fb, f64::from(x))).abs()).fold(0.0, f64::max);
            prop_assert!((t.statistic - d).abs() < 1e-12);
            prop_assert!((0.0..=1.0).contains(&t.p_value));
        }

        #[test]
        fn asymptotic_p_value_is_a_probability(n in 1u64..20_000, x in 0.0f64..1.0) {
            let p = super::super::kolmogorov::kolmogorov_sf(n, x);
            prop_assert!((0.0..=1.0).contains(&p), "n={} x={} p={}", n, x, p);
        }
    }
}
