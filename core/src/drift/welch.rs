//! Welch's unequal-variance t-test.
//!
//! For samples `a` (size `n_a`, mean `ā`, variance `s_a²` with `n_a - 1` in the denominator) and `b`:
//!
//! ```text
//! t  = (ā - b̄) / sqrt(s_a²/n_a + s_b²/n_b)
//! ν  = (s_a²/n_a + s_b²/n_b)² / ( (s_a²/n_a)²/(n_a-1) + (s_b²/n_b)²/(n_b-1) )     (Welch-Satterthwaite)
//! p_two_sided = 2 · P(T_ν > |t|),  p_greater = P(T_ν > t),  p_less = P(T_ν < t)
//! ```
//!
//! Source: B. L. Welch (1947), "The generalization of Student's problem when several different
//! population variances are involved", Biometrika 34; identical to `scipy.stats.ttest_ind(a, b,
//! equal_var=False)` (checked in `tests/tests/suite/drift_scipy.rs`). The Student t tail uses `statrs`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{Error, Result};
use crate::series::validate_finite;

/// Result of [`welch_t_test`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WelchTest {
    /// The t statistic `(mean(a) - mean(b)) / standard error`.
    pub statistic: f64,
    /// Welch-Satterthwaite degrees of freedom (not an integer in general).
    pub df: f64,
    /// `mean(a) - mean(b)`.
    pub mean_difference: f64,
    /// Two-sided p-value: the means differ.
    pub p_two_sided: f64,
    /// One-sided p-value for the alternative `mean(a) > mean(b)`.
    pub p_greater: f64,
    /// One-sided p-value for the alternative `mean(a) < mean(b)`.
    pub p_less: f64,
}

/// Mean and unbiased variance (denominator `n - 1`), two-pass for accuracy.
pub(crate) fn mean_and_variance(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, ss / (n - 1.0))
}

/// Welch's t-test of `mean(a) = mean(b)` without assuming equal variances.
///
/// Each sample needs at least 2 finite values; at least one sample must have a positive variance
/// (otherwise the statistic is 0/0 and an [`Error::InvalidParameter`] is returned).
/// Errors about a sample are wrapped with [`Error::InSeries`] naming `a` or `b`.
///
/// ```
/// let baseline = [1.0, 1.2, 0.9, 1.1, 1.0, 0.95];
/// let recent = [1.6, 1.8, 1.5, 1.7, 1.9, 1.65];
/// let t = forestock::drift::welch_t_test(&recent, &baseline)?;
/// assert!(t.statistic > 0.0 && t.p_greater < 0.001);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn welch_t_test(a: &[f64], b: &[f64]) -> Result<WelchTest> {
    validate_finite(a, 2, "welch_t_test").map_err(|e| e.in_series("a"))?;
    validate_finite(b, 2, "welch_t_test").map_err(|e| e.in_series("b"))?;
    let (mean_a, var_a) = mean_and_variance(a);
    let (mean_b, var_b) = mean_and_variance(b);
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (sa, sb) = (var_a / na, var_b / nb);
    let se2 = sa + sb;
    if !(se2 > 0.0 && se2.is_finite()) {
        return Err(Error::invalid_parameter(
            "a, b",
            format!("variances {var_a}, {var_b}"),
            "both samples have zero variance (or overflow): the t statistic is undefined",
        ));
    }
    let mean_difference = mean_a - mean_b;
    let statistic = mean_difference / se2.sqrt();
    let df = se2 * se2 / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df)
        .map_err(|e| Error::invalid_parameter("df", df, format!("Student t distribution: {e}")))?;
    let p_greater = dist.sf(statistic);
    let p_less = dist.cdf(statistic);
    let p_two_sided = (2.0 * dist.sf(statistic.abs())).min(1.0);
    Ok(WelchTest { statistic, df, mean_difference, p_two_sided, p_greater, p_less })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_short_non_finite_and_degenerate_samples() {
        assert!(matches!(welch_t_test(&[1.0], &[1.0, 2.0]), Err(Error::InSeries { .. })));
        let e = welch_t_test(&[1.0, f64::NAN], &[1.0, 2.0]).expect_err("should fail");
        assert_eq!(e.code(), "ERR_INVALID_SERIES");
        assert!(e.to_string().contains("`a`"));
        assert!(welch_t_test(&[], &[1.0, 2.0]).is_err());
        assert!(matches!(welch_t_test(&[3.0, 3.0], &[3.0, 3.0, 3.0]), Err(Error::InvalidParameter { .. })));
        assert!(welch_t_test(&[1e308, -1e308], &[1.0, 2.0]).is_err());
    }

    #[test]
    fn one_constant_sample_is_fine() {
        let t = welch_t_test(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0, 4.0]).expect("test");
        assert!(t.statistic.is_finite() && t.p_two_sided > 0.0);
    }

    proptest! {
        #[test]
        fn p_values_are_probabilities_and_consistent(
            a in proptest::collection::vec(-1e3f64..1e3, 2..40),
            b in proptest::collection::vec(-1e3f64..1e3, 2..40),
        ) {
            if let Ok(t) = welch_t_test(&a, &b) {
                for p in [t.p_two_sided, t.p_greater, t.p_less] {
                    prop_assert!((0.0..=1.0).contains(&p));
                }
                prop_assert!((t.p_greater + t.p_less - 1.0).abs() < 1e-9);
                prop_assert!((t.p_two_sided - 2.0 * t.p_greater.min(t.p_less)).abs() < 1e-9);
                // Swapping the samples flips the sign.
                let s = welch_t_test(&b, &a).expect("swapped");
                prop_assert!((s.statistic + t.statistic).abs() <= 1e-9 * t.statistic.abs().max(1.0));
            }
        }
    }
}
