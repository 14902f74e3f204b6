//! Service levels and the standard normal loss function.
//!
//! - Standard normal loss `G(z) = E[(Z - z)^+] = φ(z) - z (1 - Φ(z))` and its complement
//!   `Ḡ(z) = E[(z - Z)^+] = z + G(z)`; second-order loss
//!   `G₂(z) = ½ E[((Z - z)^+)²] = ½ [(z² + 1)(1 - Φ(z)) - z φ(z)]`, `Ḡ₂(z) = ½(z² + 1) - G₂(z)`
//!   (Snyder & Shen, *Fundamentals of Supply Chain Theory*, 2nd ed., §C.3; same conventions as
//!   stockpyl 1.0.2 `loss_functions`).
//! - Cycle service level α (probability of no stockout in a replenishment cycle) → `z = Φ⁻¹(α)`,
//!   computed with statrs' inverse normal CDF (no tables).
//! - Fill rate β (fraction of demand met from stock) → safety factor `k` solving the exact
//!   expected-shortage-per-cycle equation for (r, Q) with normal lead-time demand
//!   `σ [G(k) - G(k + Q/σ)] = (1 - β) Q` (Hadley & Whitin 1963; Silver, Pyke & Thomas 2017 §7.3,
//!   whose textbook form `G(k) = Q(1 - β)/σ` drops the second term, harmless when `Q ≫ σ`).
//!   Solved with a bracketing bisection to machine precision.
//! - Per-class default targets A 0.99, B 0.95, C 0.90 ([`ServiceLevels`]), overridable per item.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::abc::AbcClass;
use super::{bracketed_root, open_probability, positive};
use crate::error::{Error, Result};

fn standard_normal() -> Result<Normal> {
    Normal::new(0.0, 1.0).map_err(|e| Error::invalid_parameter("normal", "N(0,1)", e.to_string()))
}

/// Standard normal density φ(z).
fn pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Upper tail `1 - Φ(z)`, accurate in the far tail (via erfc).
fn upper_tail(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
}

/// Standard normal CDF Φ(z).
pub fn standard_normal_cdf(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

/// Standard normal loss `G(z) = E[(Z - z)^+] = φ(z) - z (1 - Φ(z))`.
///
/// ```
/// let g = forestock::inventory::service::standard_normal_loss(0.0);
/// assert!((g - 0.398_942_280_401_432_7).abs() < 1e-15);
/// ```
pub fn standard_normal_loss(z: f64) -> f64 {
    pdf(z) - z * upper_tail(z)
}

/// Complementary standard normal loss `Ḡ(z) = E[(z - Z)^+] = z + G(z)`.
pub fn complementary_standard_normal_loss(z: f64) -> f64 {
    z + standard_normal_loss(z)
}

/// Second-order standard normal loss `G₂(z) = ½[(z² + 1)(1 - Φ(z)) - z φ(z)] = ∫_z^∞ G(t) dt`.
pub fn standard_normal_second_loss(z: f64) -> f64 {
    0.5 * ((z * z + 1.0) * upper_tail(z) - z * pdf(z))
}

/// Complementary second-order loss `Ḡ₂(z) = ½(z² + 1) - G₂(z)`.
pub fn complementary_standard_normal_second_loss(z: f64) -> f64 {
    0.5 * (z * z + 1.0) - standard_normal_second_loss(z)
}

/// Normal loss `n(x) = E[(X - x)^+] = σ G((x - μ)/σ)` for `X ~ N(μ, σ²)`; `σ = 0` gives `(μ - x)^+`.
pub fn normal_loss(x: f64, mean: f64, sd: f64) -> f64 {
    if sd <= 0.0 {
        return (mean - x).max(0.0);
    }
    sd * standard_normal_loss((x - mean) / sd)
}

/// Second-order normal loss `n₂(x) = ½ E[((X - x)^+)²] = σ² G₂((x - μ)/σ)`.
pub fn normal_second_loss(x: f64, mean: f64, sd: f64) -> f64 {
    if sd <= 0.0 {
        let d = (mean - x).max(0.0);
        return 0.5 * d * d;
    }
    sd * sd * standard_normal_second_loss((x - mean) / sd)
}

/// Safety factor `z = Φ⁻¹(α)` for a cycle service level α in (0, 1).
///
/// ```
/// let z = forestock::inventory::service::z_for_cycle_service(0.95)?;
/// assert!((z - 1.644_853_626_951_472).abs() < 1e-9);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn z_for_cycle_service(service_level: f64) -> Result<f64> {
    let alpha = open_probability("service_level", service_level)?;
    Ok(standard_normal()?.inverse_cdf(alpha))
}

/// Safety factor `k` achieving fill rate β in an (r, Q) system with normal lead-time demand of
/// standard deviation `sigma`: the root of `G(k) - G(k + Q/σ) = Q (1 - β) / σ`.
///
/// The left side decreases from `Q/σ` (k → -∞) to 0 (k → +∞), so a root exists for every
/// β in (0, 1) and is unique. Requires `order_quantity > 0`, `sigma > 0`.
///
/// ```
/// use forestock::inventory::service::{k_for_fill_rate, standard_normal_loss};
/// let k = k_for_fill_rate(0.98, 300.0, 100.0)?;
/// let shortage = 100.0 * (standard_normal_loss(k) - standard_normal_loss(k + 3.0));
/// assert!((shortage - 0.02 * 300.0).abs() < 1e-9);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn k_for_fill_rate(fill_rate: f64, order_quantity: f64, sigma: f64) -> Result<f64> {
    let beta = open_probability("fill_rate", fill_rate)?;
    let q = positive("order_quantity", order_quantity)?;
    let sigma = positive("sigma", sigma)?;
    let ratio = q / sigma;
    let target = ratio * (1.0 - beta);
    let f = |k: f64| standard_normal_loss(k) - standard_normal_loss(k + ratio) - target;
    bracketed_root(f, -1.0, 1.0, true)
        .ok_or_else(|| Error::invalid_parameter("fill_rate", fill_rate, "no safety factor reaches this fill rate"))
}

/// What a service level means.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ServiceTarget {
    /// Cycle service level α: probability that a replenishment cycle has no stockout.
    CycleService(f64),
    /// Fill rate β: expected fraction of demand met immediately from stock.
    FillRate(f64),
}

impl ServiceTarget {
    /// The target value (α or β).
    pub fn value(&self) -> f64 {
        match self {
            ServiceTarget::CycleService(v) | ServiceTarget::FillRate(v) => *v,
        }
    }

    /// Check the target lies strictly inside (0, 1).
    pub fn validate(&self) -> Result<Self> {
        match self {
            ServiceTarget::CycleService(v) => open_probability("service_level", *v)?,
            ServiceTarget::FillRate(v) => open_probability("fill_rate", *v)?,
        };
        Ok(*self)
    }
}

/// Default cycle service level per ABC class (A 0.99, B 0.95, C 0.90).
///
/// Read from a partial mapping too: a missing class keeps its default, and the classes may be
/// written in capitals as ABC classes are printed (`{"A": 0.98}` is A 0.98, B 0.95, C 0.90).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceLevels {
    /// Target for class A items.
    #[serde(alias = "A")]
    pub a: f64,
    /// Target for class B items.
    #[serde(alias = "B")]
    pub b: f64,
    /// Target for class C items.
    #[serde(alias = "C")]
    pub c: f64,
}

impl Default for ServiceLevels {
    fn default() -> Self {
        ServiceLevels { a: 0.99, b: 0.95, c: 0.90 }
    }
}

impl ServiceLevels {
    /// Per-class levels, each strictly inside (0, 1).
    pub fn new(a: f64, b: f64, c: f64) -> Result<Self> {
        Ok(ServiceLevels {
            a: open_probability("service_level_a", a)?,
            b: open_probability("service_level_b", b)?,
            c: open_probability("service_level_c", c)?,
        })
    }

    /// The level for `class`, unless `item_override` is given (then that, validated).
    pub fn for_class(&self, class: AbcClass, item_override: Option<f64>) -> Result<f64> {
        match item_override {
            Some(v) => open_probability("service_level", v),
            None => Ok(match class {
                AbcClass::A => self.a,
                AbcClass::B => self.b,
                AbcClass::C => self.c,
            }),
        }
    }
}

/// Expected shortage per cycle `σ [G(k) - G(k + Q/σ)]` of an (r, Q) policy with safety factor `k`
/// (useful to report the fill rate `1 - ESC/Q` a given reorder point achieves).
///
/// ```
/// use forestock::inventory::service::{expected_shortage_per_cycle, k_for_fill_rate};
/// let k = k_for_fill_rate(0.95, 50.0, 40.0)?;
/// let esc = expected_shortage_per_cycle(k, 50.0, 40.0)?;
/// assert!((1.0 - esc / 50.0 - 0.95).abs() < 1e-12);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn expected_shortage_per_cycle(k: f64, order_quantity: f64, sigma: f64) -> Result<f64> {
    let q = positive("order_quantity", order_quantity)?;
    let sigma = positive("sigma", sigma)?;
    if !k.is_finite() {
        return Err(Error::invalid_parameter("k", k, "must be finite"));
    }
    Ok(sigma * (standard_normal_loss(k) - standard_normal_loss(k + q / sigma)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_identities() {
        for z in [-3.0, -1.0, 0.0, 0.5, 2.0] {
            // G(z) - G(-z) = -z
            assert!((standard_normal_loss(z) - standard_normal_loss(-z) + z).abs() < 1e-14);
            assert!(complementary_standard_normal_second_loss(z) >= 0.0);
        }
        assert!(standard_normal_loss(40.0) >= 0.0);
        let d = standard_normal();
        assert!(d.is_ok());
    }

    #[test]
    fn service_levels_read_a_partial_mapping_in_either_case() {
        let partial: ServiceLevels = serde_json::from_str(r#"{"A": 0.98}"#).expect("ok");
        assert_eq!(partial, ServiceLevels { a: 0.98, ..ServiceLevels::default() });
        let lower: ServiceLevels = serde_json::from_str(r#"{"c": 0.8}"#).expect("ok");
        assert_eq!(lower, ServiceLevels { c: 0.8, ..ServiceLevels::default() });
    }

    #[test]
    fn errors_name_the_argument_the_caller_passed() {
        let e = crate::inventory::lot_sizing::eoq(0.0, 1.0, 100.0).expect_err("an error");
        assert!(matches!(&e, Error::InvalidParameter { name, .. } if name == "ordering_cost"), "{e}");
        let mut request = crate::inventory::SafetyStockRequest::new(10.0, 3.0, 2.0, 1.2);
        request.method = crate::inventory::safety_stock::ServiceMethod::FillRate;
        request.order_quantity = Some(10.0);
        let e = crate::inventory::safety_stock::safety_stock(&request).expect_err("an error");
        assert_eq!(
            e.to_string(),
            "invalid parameter `service_level` = 1.2: must lie strictly between 0 and 1 (a fill rate)"
        );
    }

    #[test]
    fn bad_service_levels_are_typed_errors() {
        for v in [0.0, 1.0, -0.1, f64::NAN, 1.5] {
            match z_for_cycle_service(v) {
                Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "service_level"),
                other => panic!("{other:?}"),
            }
        }
        assert!(k_for_fill_rate(0.9, 0.0, 1.0).is_err());
        assert!(k_for_fill_rate(0.9, 1.0, f64::INFINITY).is_err());
    }

    #[test]
    fn class_defaults_and_override() -> Result<()> {
        let s = ServiceLevels::default();
        assert_eq!(s.for_class(AbcClass::A, None)?, 0.99);
        assert_eq!(s.for_class(AbcClass::C, Some(0.8))?, 0.8);
        assert!(s.for_class(AbcClass::C, Some(1.0)).is_err());
        Ok(())
    }

    #[test]
    fn fill_rate_k_is_extreme_but_finite() -> Result<()> {
        let k = k_for_fill_rate(0.999_999, 1.0, 1000.0)?;
        assert!(k.is_finite() && k > 3.0);
        let k = k_for_fill_rate(0.01, 1000.0, 1.0)?;
        assert!(k.is_finite());
        Ok(())
    }
}
