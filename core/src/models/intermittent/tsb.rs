//! Teunter-Syntetos-Babai (TSB, 2011) as statsforecast's `_tsb`.
//!
//! The occurrence indicator `d_t` is smoothed every period with `α_p` (probability `p̂`) and the
//! non-zero sizes with `α_d` (size `ẑ`), both by SES started at their first value; the rate is
//! `p̂ · ẑ`. An all-zero series forecasts 0.
//!
//! When a constant is not given, forestock chooses it (statsforecast requires both): each by
//! golden section on `[0.1, 0.3]` minimising the one-step SSE of its own component — the sizes for
//! `α_d`, the 0/1 occurrence series (a Brier score) for `α_p` — the rule statsforecast's
//! `CrostonOptimized` applies to Croston's two components.

use super::components::{demand_sizes, expand_fitted_demand, occurrence};
use super::ses::{golden_section_alpha, ses_forecast, ALPHA_LOWER, ALPHA_UPPER};
use super::Estimate;

/// TSB with the given (or optimised, when `None`) smoothing constants.
pub(crate) fn tsb(y: &[f64], alpha_d: Option<f64>, alpha_p: Option<f64>) -> Estimate {
    let sizes = demand_sizes(y);
    if sizes.is_empty() {
        let mut fitted = vec![0.0; y.len()];
        if let Some(first) = fitted.first_mut() {
            *first = f64::NAN;
        }
        return Estimate {
            rate: 0.0,
            fitted,
            alpha_demand: alpha_d,
            alpha_probability: alpha_p,
            ..Estimate::default()
        };
    }
    let d = occurrence(y);
    let alpha_d = alpha_d.unwrap_or_else(|| golden_section_alpha(&sizes, ALPHA_LOWER, ALPHA_UPPER));
    let alpha_p = alpha_p.unwrap_or_else(|| golden_section_alpha(&d, ALPHA_LOWER, ALPHA_UPPER));
    let (p_next, p_fitted) = ses_forecast(&d, alpha_p);
    let (z_next, mut z_fitted) = ses_forecast(&sizes, alpha_d);
    z_fitted.push(z_next);
    let z = expand_fitted_demand(&z_fitted, y);
    Estimate {
        rate: p_next * z_next,
        fitted: p_fitted.iter().zip(&z).map(|(p, z)| p * z).collect(),
        alpha_demand: Some(alpha_d),
        alpha_probability: Some(alpha_p),
        ..Estimate::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsb_by_hand() {
        // d = [1, 0, 1]: p1 = 1, p2 = 0.5*0 + 0.5*1 = 0.5, next = 0.5*1 + 0.5*0.5 = 0.75
        // sizes [2, 4]: next = 0.5*4 + 0.5*2 = 3
        let e = tsb(&[2.0, 0.0, 4.0], Some(0.5), Some(0.5));
        assert!((e.rate - 2.25).abs() < 1e-15);
        assert_eq!(tsb(&[0.0; 5], None, None).rate, 0.0);
        let auto = tsb(&[0.0, 3.0, 0.0, 0.0, 5.0, 0.0, 2.0], None, None);
        let (ad, ap) = (auto.alpha_demand.unwrap_or(0.0), auto.alpha_probability.unwrap_or(0.0));
        assert!((0.1..=0.3).contains(&ad) && (0.1..=0.3).contains(&ap));
    }
}
