//! Item classification: ABC (Pareto on annual consumption value), XYZ (demand variability) and the
//! Syntetos-Boylan demand pattern.
//!
//! - **ABC** (Silver, Pyke & Thomas 2017, §2.4): items sorted by annual consumption value
//!   (annual usage × unit cost), descending; ties keep input order (stable sort). With cumulative
//!   share `c_i` *including* item i, an item is A while `c_i <= a` (default 0.80), B while
//!   `c_i <= b` (default 0.95), else C. The top item is always A, whatever its share. When the total
//!   value is zero (nothing consumed) every item is C.
//! - **XYZ**: coefficient of variation `CV = s / ȳ` of per-period demand, with the population standard
//!   deviation `s = sqrt(Σ(y - ȳ)² / n)`; X when `CV <= 0.5`, Y when `CV <= 1.0`, else Z (defaults,
//!   overridable). A series with zero mean is Z (CV = ∞).
//! - **Syntetos-Boylan** (Syntetos, Boylan & Croston 2005, *JORS* 56:495-503): `ADI = n / m`,
//!   the number of periods `n` in the history divided by the number of non-zero demand periods `m`
//!   (the average inter-demand interval, counting the history as a whole), and `CV²` of the non-zero
//!   demand sizes (population variance / mean²). Cut-offs ADI 1.32 and CV² 0.49:
//!   smooth (ADI < 1.32, CV² < 0.49), erratic (ADI < 1.32, CV² >= 0.49),
//!   intermittent (ADI >= 1.32, CV² < 0.49), lumpy (ADI >= 1.32, CV² >= 0.49).

use serde::{Deserialize, Serialize};

use super::{non_negative, non_negative_slice};
use crate::demand::mean_and_population_variance;
/// The Syntetos-Boylan demand pattern, defined in [`crate::demand`] (below both the models, which
/// route on it, and inventory), re-exported here beside ABC and XYZ.
pub use crate::demand::{classify_demand, DemandClassification, DemandPattern, ADI_CUTOFF, CV2_CUTOFF};
use crate::error::{Error, Result};

/// ABC class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AbcClass {
    /// High consumption value (the few items making most of the value).
    A,
    /// Intermediate.
    B,
    /// Low consumption value (the many).
    C,
}

/// Cumulative-share cut-offs of the ABC classes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcThresholds {
    /// Upper cumulative share of class A (default 0.80).
    pub a: f64,
    /// Upper cumulative share of class B (default 0.95).
    pub b: f64,
}

impl Default for AbcThresholds {
    fn default() -> Self {
        AbcThresholds { a: 0.80, b: 0.95 }
    }
}

impl AbcThresholds {
    /// Validated cut-offs: `0 < a <= b <= 1`.
    pub fn new(a: f64, b: f64) -> Result<Self> {
        if !(a.is_finite() && a > 0.0 && a <= 1.0) {
            return Err(Error::invalid_parameter("abc_threshold_a", a, "must lie in (0, 1]"));
        }
        if !(b.is_finite() && b >= a && b <= 1.0) {
            return Err(Error::invalid_parameter("abc_threshold_b", b, "must lie in [a, 1]"));
        }
        Ok(AbcThresholds { a, b })
    }
}

/// ABC result for one item (same order as the input).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AbcItem {
    /// The item's class.
    pub class: AbcClass,
    /// Usage rank, 1 = largest consumption value (ties: earlier input first).
    pub rank: usize,
    /// Annual consumption value supplied.
    pub value: f64,
    /// Share of the total value.
    pub share: f64,
    /// Cumulative share including this item, in rank order.
    pub cumulative_share: f64,
}

/// Annual consumption value `annual_usage × unit_cost` (both finite, >= 0).
pub fn annual_consumption_value(annual_usage: f64, unit_cost: f64) -> Result<f64> {
    Ok(non_negative("annual_usage", annual_usage)? * non_negative("unit_cost", unit_cost)?)
}

/// ABC classification of items by annual consumption value (see the module docs for the rule).
///
/// ```
/// use forestock::inventory::abc::{abc_classify, AbcClass, AbcThresholds};
/// let items = abc_classify(&[10.0, 700.0, 150.0, 90.0, 50.0], AbcThresholds::default())?;
/// let classes: Vec<AbcClass> = items.iter().map(|i| i.class).collect();
/// // shares in rank order: 0.70, 0.85, 0.94, 0.99, 1.00
/// assert_eq!(classes, [AbcClass::C, AbcClass::A, AbcClass::B, AbcClass::B, AbcClass::C]);
/// assert_eq!(items[1].rank, 1);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn abc_classify(values: &[f64], thresholds: AbcThresholds) -> Result<Vec<AbcItem>> {
    non_negative_slice("annual_value", values)?;
    let thresholds = AbcThresholds::new(thresholds.a, thresholds.b)?;
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Stable sort: equal values keep input order.
    order.sort_by(|&i, &j| values[j].total_cmp(&values[i]));
    let total: f64 = order.iter().map(|&i| values[i]).sum();
    let mut out =
        vec![AbcItem { class: AbcClass::C, rank: 0, value: 0.0, share: 0.0, cumulative_share: 0.0 }; values.len()];
    let mut cumulative = 0.0;
    for (pos, &i) in order.iter().enumerate() {
        let value = values[i];
        cumulative += value;
        let (share, cumulative_share) =
            if total > 0.0 { (value / total, (cumulative / total).min(1.0)) } else { (0.0, 0.0) };
        let class = if total <= 0.0 {
            AbcClass::C
        } else if pos == 0 || cumulative_share <= thresholds.a {
            AbcClass::A
        } else if cumulative_share <= thresholds.b {
            AbcClass::B
        } else {
            AbcClass::C
        };
        out[i] = AbcItem { class, rank: pos + 1, value, share, cumulative_share };
    }
    Ok(out)
}

/// XYZ class by coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum XyzClass {
    /// Stable demand (CV <= x threshold).
    X,
    /// Variable demand.
    Y,
    /// Highly variable or sporadic demand.
    Z,
}

/// CV cut-offs of the XYZ classes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct XyzThresholds {
    /// Largest CV of class X (default 0.5).
    pub x: f64,
    /// Largest CV of class Y (default 1.0).
    pub y: f64,
}

impl Default for XyzThresholds {
    fn default() -> Self {
        XyzThresholds { x: 0.5, y: 1.0 }
    }
}

/// Coefficient of variation `s / ȳ` (population sd); `+∞` when the mean is zero.
pub fn coefficient_of_variation(demand: &[f64]) -> Result<f64> {
    if demand.is_empty() {
        return Err(Error::EmptySeries);
    }
    non_negative_slice("demand", demand)?;
    let (mean, var) = mean_and_population_variance(demand);
    Ok(if mean > 0.0 { var.sqrt() / mean } else { f64::INFINITY })
}

/// XYZ class of a demand history.
pub fn xyz_classify(demand: &[f64], thresholds: XyzThresholds) -> Result<XyzClass> {
    if !(thresholds.x.is_finite() && thresholds.x >= 0.0) {
        return Err(Error::invalid_parameter("xyz_threshold_x", thresholds.x, "must be finite and >= 0"));
    }
    if !(thresholds.y.is_finite() && thresholds.y >= thresholds.x) {
        return Err(Error::invalid_parameter("xyz_threshold_y", thresholds.y, "must be finite and >= x"));
    }
    let cv = coefficient_of_variation(demand)?;
    Ok(if cv <= thresholds.x {
        XyzClass::X
    } else if cv <= thresholds.y {
        XyzClass::Y
    } else {
        XyzClass::Z
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_rule_including_item_and_ties() -> Result<()> {
        // shares 0.5, 0.3 -> cumulative 0.5, 0.8 (A, A inclusive), 0.15 -> 0.95 B, 0.05 -> 1.0 C
        let r = abc_classify(&[30.0, 50.0, 15.0, 5.0], AbcThresholds::default())?;
        let c: Vec<_> = r.iter().map(|i| i.class).collect();
        assert_eq!(c, [AbcClass::A, AbcClass::A, AbcClass::B, AbcClass::C]);
        // The top item is A even with 90% of the value.
        let r = abc_classify(&[1.0, 90.0, 9.0], AbcThresholds::default())?;
        assert_eq!(r[1].class, AbcClass::A);
        // 9 more makes 0.99 > 0.95: C
        assert_eq!(r[2].class, AbcClass::C);
        // Ties: input order decides the rank.
        let r = abc_classify(&[5.0, 5.0, 5.0], AbcThresholds::default())?;
        assert_eq!((r[0].rank, r[1].rank, r[2].rank), (1, 2, 3));
        // Nothing consumed: all C.
        let r = abc_classify(&[0.0, 0.0], AbcThresholds::default())?;
        assert!(r.iter().all(|i| i.class == AbcClass::C));
        assert!(abc_classify(&[], AbcThresholds::default())?.is_empty());
        Ok(())
    }

    #[test]
    fn bad_values_are_named() {
        match abc_classify(&[1.0, f64::NAN], AbcThresholds::default()) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "annual_value[1]"),
            other => panic!("{other:?}"),
        }
        assert!(abc_classify(&[1.0, -2.0], AbcThresholds::default()).is_err());
        assert!(abc_classify(&[1.0], AbcThresholds { a: 0.9, b: 0.8 }).is_err());
        assert!(classify_demand(&[1.0, -1.0]).is_err());
        assert!(classify_demand(&[]).is_err());
        assert!(coefficient_of_variation(&[f64::INFINITY]).is_err());
        assert!(annual_consumption_value(-1.0, 2.0).is_err());
    }

    #[test]
    fn xyz_and_patterns() -> Result<()> {
        assert_eq!(xyz_classify(&[10.0, 10.0, 10.0], XyzThresholds::default())?, XyzClass::X);
        assert_eq!(xyz_classify(&[0.0, 0.0], XyzThresholds::default())?, XyzClass::Z);
        // sd 5, mean 10 -> CV 0.5 -> X (inclusive); sd 10 -> CV 1.0 -> Y
        assert_eq!(xyz_classify(&[5.0, 15.0], XyzThresholds::default())?, XyzClass::X);
        assert_eq!(xyz_classify(&[0.0, 20.0], XyzThresholds::default())?, XyzClass::Y);
        assert_eq!(xyz_classify(&[0.0, 0.0, 0.0, 40.0], XyzThresholds::default())?, XyzClass::Z);
        assert_eq!(classify_demand(&[5.0, 6.0, 5.0, 4.0])?.pattern, DemandPattern::Smooth);
        assert_eq!(classify_demand(&[1.0, 20.0, 2.0, 30.0])?.pattern, DemandPattern::Erratic);
        assert_eq!(classify_demand(&[0.0, 1.0, 0.0, 30.0, 0.0])?.pattern, DemandPattern::Lumpy);
        assert_eq!(classify_demand(&[0.0, 0.0])?.pattern, DemandPattern::NoDemand);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn classes_follow_rank_and_ranks_are_a_permutation(values in proptest::collection::vec(0.0f64..1e6, 1..60)) {
            let items = abc_classify(&values, AbcThresholds::default()).unwrap();
            let mut by_rank = items.clone();
            by_rank.sort_by_key(|i| i.rank);
            for (pos, item) in by_rank.iter().enumerate() {
                prop_assert_eq!(item.rank, pos + 1);
            }
            for w in by_rank.windows(2) {
                prop_assert!(w[0].class <= w[1].class);
                prop_assert!(w[0].value >= w[1].value);
            }
            if values.iter().sum::<f64>() > 0.0 {
                prop_assert_eq!(by_rank[0].class, AbcClass::A);
            }
        }

        #[test]
        fn demand_classification_is_total_on_valid_input(y in proptest::collection::vec(prop_oneof![Just(0.0), 0.0f64..100.0], 1..80)) {
            let c = classify_demand(&y).unwrap();
            prop_assert!(c.adi >= 1.0);
            prop_assert!(c.cv2 >= 0.0);
            prop_assert_eq!(c.pattern == DemandPattern::NoDemand, c.nonzero_periods == 0);
        }
    }
}
