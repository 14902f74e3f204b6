//! Catalogue classification: the planner's ABC step on its own, with per-SKU service-level
//! overrides, for callers that forecast and plan the catalogue in partitions (Dask, Ray, Spark:
//! `forestock.dask.plan`, docs/python.md) but must rank every SKU against the whole catalogue.
//!
//! Each SKU's annual consumption value is its mean demand over the last `periods_per_year`
//! periods times `periods_per_year` times its unit cost (the value [`super::run_plan`] ranks);
//! the SKUs are ranked by [`abc_classify`] with the run's thresholds, in input order for ties, and
//! each gets the cycle service level of its class unless the item overrides it
//! ([`crate::inventory::ServiceLevels::for_class`]). So the classes equal those of
//! [`super::run_plan`] over the same SKUs whenever every SKU's forecast succeeds there (the plan
//! ranks only the SKUs it could forecast). A SKU without an item, without history, with a
//! duplicate history or item, with bad demand values, a bad unit cost or a bad override fails alone.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{PlanConfig, SkuFailure, SkuHistory};
use crate::error::{Error, Result};
use crate::inventory::abc::{abc_classify, annual_consumption_value, AbcClass, AbcThresholds};
use crate::inventory::service::ServiceLevels;
use crate::series::validate_non_negative;

/// The item data a catalogue classification reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueItem {
    /// SKU identifier (joins with the demand histories).
    pub sku: String,
    /// Cost of one unit.
    pub unit_cost: f64,
    /// The item's own cycle service level, overriding its class's.
    #[serde(default)]
    pub service_level: Option<f64>,
}

/// The class of one SKU in its catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueClass {
    /// SKU identifier.
    pub sku: String,
    /// ABC class by annual consumption value.
    pub abc_class: AbcClass,
    /// Rank by annual consumption value (1 = highest).
    pub usage_rank: usize,
    /// Annual consumption value (annual usage × unit cost).
    pub annual_value: f64,
    /// Cycle service level targeted: the item's override, else its class's.
    pub service_level: f64,
}

/// Result of [`classify_catalogue`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogueClassification {
    /// One entry per classified SKU, in history input order.
    pub classes: Vec<CatalogueClass>,
    /// SKUs that could not be classified (at most one entry each).
    pub failures: Vec<SkuFailure>,
}

/// Annual consumption value of one SKU as the planner computes it: mean demand over the last
/// `periods_per_year` periods, times `periods_per_year`, times the unit cost.
pub(crate) fn annual_value(demand: &[f64], unit_cost: f64, periods_per_year: f64) -> Result<f64> {
    let recent = &demand[demand.len().saturating_sub(periods_per_year as usize)..];
    let usage = recent.iter().sum::<f64>() / recent.len() as f64 * periods_per_year;
    annual_consumption_value(usage, unit_cost)
}

/// Record `sku`'s failure unless it already failed (at most one failure per SKU: the first wins).
fn fail(out: &mut CatalogueClassification, failed: &mut HashSet<String>, sku: &str, e: &Error) {
    if failed.insert(sku.to_string()) {
        out.failures.push(SkuFailure::new(sku, e));
    }
}

/// One SKU's item and annual consumption value, or why it has none (the checks of the plan's
/// forecasting pass that come before the model).
fn value_of<'a>(
    h: &SkuHistory,
    items: &HashMap<&str, &'a CatalogueItem>,
    seen: &HashMap<&str, usize>,
    periods_per_year: f64,
) -> Result<(&'a CatalogueItem, f64)> {
    let sku = h.sku.as_str();
    if seen.get(sku).copied().unwrap_or(0) > 1 {
        return Err(Error::CorruptRecord { position: sku.to_string(), reason: "duplicate demand history".into() });
    }
    let item = *items
        .get(sku)
        .ok_or_else(|| Error::MissingData { id: sku.to_string(), what: "no item master data".into() })?;
    if h.demand.is_empty() {
        return Err(Error::MissingData { id: sku.to_string(), what: "no demand history".into() });
    }
    validate_non_negative(&h.demand, 1, "demand history")?;
    Ok((item, annual_value(&h.demand, item.unit_cost, periods_per_year)?))
}

/// Classify a catalogue: ABC class, usage rank and service level of every SKU (see the module
/// docs). `config` supplies `periods_per_year`, `abc` and `service_levels` (its other fields are
/// not read). Errors only on a bad `config`; bad SKUs go to `failures`.
///
/// ```
/// use forestock::inventory::AbcClass;
/// use forestock::plan::{classify_catalogue, CatalogueItem, PlanConfig, SkuHistory};
/// let histories: Vec<SkuHistory> = [("a", 70.0), ("b", 20.0), ("c", 10.0)]
///     .iter()
///     .map(|&(sku, level)| SkuHistory { sku: sku.into(), demand: vec![level; 8] })
///     .collect();
/// let items = vec![
///     CatalogueItem { sku: "a".into(), unit_cost: 1.0, service_level: None },
///     CatalogueItem { sku: "b".into(), unit_cost: 1.0, service_level: Some(0.97) },
///     CatalogueItem { sku: "c".into(), unit_cost: 1.0, service_level: None },
/// ];
/// let out = classify_catalogue(&histories, &items, &PlanConfig::default())?;
/// let classes: Vec<_> = out.classes.iter().map(|c| (c.abc_class, c.usage_rank, c.service_level)).collect();
/// assert_eq!(classes, [(AbcClass::A, 1, 0.99), (AbcClass::B, 2, 0.97), (AbcClass::C, 3, 0.90)]);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn classify_catalogue(
    histories: &[SkuHistory],
    items: &[CatalogueItem],
    config: &PlanConfig,
) -> Result<CatalogueClassification> {
    if !(config.periods_per_year.is_finite() && config.periods_per_year > 0.0) {
        return Err(Error::invalid_parameter("periods_per_year", config.periods_per_year, "must be > 0"));
    }
    AbcThresholds::new(config.abc.a, config.abc.b)?;
    ServiceLevels::new(config.service_levels.a, config.service_levels.b, config.service_levels.c)?;

    let mut out = CatalogueClassification::default();
    let mut failed: HashSet<String> = HashSet::new();
    let mut item_rows: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for item in items {
        *item_rows.entry(item.sku.as_str()).or_default() += 1;
    }
    let mut item_index: HashMap<&str, &CatalogueItem> = HashMap::with_capacity(items.len());
    for item in items {
        let rows = item_rows.get(item.sku.as_str()).copied().unwrap_or(0);
        if rows > 1 {
            let reason = format!("{rows} item master rows for one SKU");
            fail(&mut out, &mut failed, &item.sku, &Error::CorruptRecord { position: item.sku.clone(), reason });
        } else {
            item_index.insert(item.sku.as_str(), item);
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(histories.len());
    for h in histories {
        *seen.entry(h.sku.as_str()).or_default() += 1;
    }
    let mut valued: Vec<(&CatalogueItem, f64)> = Vec::with_capacity(histories.len());
    for h in histories {
        let sku = h.sku.as_str();
        if failed.contains(sku) {
            continue;
        }
        match value_of(h, &item_index, &seen, config.periods_per_year) {
            Ok(v) => valued.push(v),
            Err(e) => fail(&mut out, &mut failed, sku, &e),
        }
    }
    for item in items {
        if !seen.contains_key(item.sku.as_str()) {
            let e = Error::MissingData { id: item.sku.clone(), what: "no demand history".into() };
            fail(&mut out, &mut failed, &item.sku, &e);
        }
    }
    let values: Vec<f64> = valued.iter().map(|(_, v)| *v).collect();
    let ranked = abc_classify(&values, config.abc)?;
    for ((item, annual_value), abc) in valued.into_iter().zip(ranked) {
        match config.service_levels.for_class(abc.class, item.service_level) {
            Ok(service_level) => out.classes.push(CatalogueClass {
                sku: item.sku.clone(),
                abc_class: abc.class,
                usage_rank: abc.rank,
                annual_value,
                service_level,
            }),
            Err(e) => fail(&mut out, &mut failed, &item.sku, &e),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{ModelSpec, Naive};
    use crate::plan::{run_plan, ItemMaster};

    #[test]
    fn classes_equal_the_plans_and_bad_skus_fail_alone() {
        let histories: Vec<SkuHistory> = (0..40)
            .map(|i| SkuHistory {
                sku: format!("s{i}"),
                demand: (0..70).map(|t| ((i * 7 + t * 3) % 11) as f64 + (i % 5) as f64).collect(),
            })
            .collect();
        let items: Vec<ItemMaster> = (0..40)
            .map(|i| {
                let item = ItemMaster::new(format!("s{i}"), 1.0 + (i % 7) as f64, 2.0);
                if i % 9 == 0 {
                    item.with_service_level(0.93)
                } else {
                    item
                }
            })
            .collect();
        let config = PlanConfig { model: ModelSpec::Naive(Naive::new()), ..PlanConfig::default() };
        let plan = run_plan(&histories, &items, &config).expect("a value");
        let catalogue: Vec<CatalogueItem> = items
            .iter()
            .map(|i| CatalogueItem { sku: i.sku.clone(), unit_cost: i.unit_cost, service_level: i.service_level })
            .collect();
        let out = classify_catalogue(&histories, &catalogue, &config).expect("a value");
        assert!(out.failures.is_empty());
        let from_plan: Vec<_> =
            plan.plans.iter().map(|p| (p.sku.clone(), p.abc_class, p.usage_rank, p.service_level)).collect();
        let classified: Vec<_> =
            out.classes.iter().map(|c| (c.sku.clone(), c.abc_class, c.usage_rank, c.service_level)).collect();
        assert_eq!(classified, from_plan);

        let mut bad = histories[..3].to_vec();
        bad[1].demand[4] = f64::NAN;
        bad.push(SkuHistory { sku: "orphan-history".into(), demand: vec![1.0; 5] });
        let mut items = catalogue[..3].to_vec();
        items.push(CatalogueItem { sku: "orphan-item".into(), unit_cost: 1.0, service_level: None });
        items[2].service_level = Some(1.5);
        let out = classify_catalogue(&bad, &items, &config).expect("a value");
        let failed: Vec<_> = out.failures.iter().map(|f| (f.sku.as_str(), f.code.as_str())).collect();
        assert_eq!(
            failed,
            [
                ("s1", "ERR_INVALID_SERIES"),
                ("orphan-history", "ERR_MISSING_DATA"),
                ("orphan-item", "ERR_MISSING_DATA"),
                ("s2", "ERR_INVALID_PARAMETER")
            ]
        );
        assert_eq!(out.classes.iter().map(|c| c.sku.as_str()).collect::<Vec<_>>(), ["s0"]);
    }
}
