//! Purchase orders per supplier: the day's recommendations grouped into one order per supplier,
//! honouring pack sizes, MOQs, maximum orders and the supplier's minimum order value.
//!
//! **Input.** One [`OrderNeed`] per planned SKU (the parts of its
//! [`Recommendation`](crate::inventory::recommend::Recommendation) that matter here, see [`OrderNeed::from_plan`]),
//! the item master (supplier, unit cost, `lot_size` = pack size, `moq`, `max_order`) and the suppliers'
//! [`SupplierTerms`].
//!
//! **Lines.** A SKU with `order_quantity > 0` gets a line of that quantity rounded up to a pack
//! multiple, raised to the MOQ (rounded up to a pack) and capped at the largest pack multiple not above
//! `max_order` (the rule of [`crate::inventory::recommend`](fn@crate::inventory::recommend)); its reason is [`LineReason::Recommended`], or
//! [`LineReason::PackRounded`] when that changed the quantity.
//!
//! **Top-up.** A supplier's target is `max(min_order_value, free_freight_threshold)` (a free-freight
//! threshold is a target worth reaching too). While the order value `Σ quantity × unit_cost` is below it,
//! items of that supplier are brought forward in order of urgency: fewest periods until stockout
//! (`periods_until_stockout`), then the smallest ratio of inventory position to reorder point (closest to
//! reordering), then SKU. Passes run over that ranking; each pass adds one pack to every item that still
//! has room under its maximum (an item without a line starts at its MOQ rounded up to a pack, at least one
//! pack), stopping as soon as the target is reached, so the soonest items are brought forward first and
//! every item's quantity stays a pack multiple not above its maximum. Items with no projected stockout
//! (no demand) are never brought forward. Lines that grew are [`LineReason::ToppedUp`]; new lines are
//! [`LineReason::BroughtForward`]. When every item is at its maximum before the target is reached, the
//! order says so ([`PurchaseOrder::meets_min_order_value`] false, a `shortfall` and a `note`); this is
//! not an error. Orders without any recommended line are not placed (nothing is bought only to reach a
//! minimum).
//!
//! **Without a supplier.** Items without a `supplier` go into one order with `supplier: None` (the
//! unassigned group), which is never topped up. A supplier that has no [`SupplierTerms`] gets an order
//! without a minimum, with a note.
//!
//! **Failures.** A need without item master data, a duplicate need, or bad numbers (quantity, unit
//! cost, pack rules) put that SKU into [`PurchaseOrderReport::failures`]; the other SKUs are ordered.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inventory::non_negative;
use crate::inventory::recommend::LotRules;
use crate::plan::{ItemMaster, PlanOutput, SkuFailure, SkuPlan};

/// A supplier's ordering terms (currency-free: values are in the unit of `ItemMaster::unit_cost`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierTerms {
    /// Supplier identifier (matches `ItemMaster::supplier`).
    pub id: String,
    /// Smallest order value the supplier accepts (0 = none).
    #[serde(default)]
    pub min_order_value: f64,
    /// Order value from which freight is free, if the supplier offers it.
    #[serde(default)]
    pub free_freight_threshold: Option<f64>,
}

/// What the purchase orders need from one SKU's recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderNeed {
    /// SKU identifier.
    pub sku: String,
    /// Recommended order quantity (0 = no order now).
    pub order_quantity: f64,
    /// Periods until the stock runs out (`None`: never, no demand); the old name
    /// `days_until_stockout` is still read (deprecated).
    #[serde(default, alias = "days_until_stockout")]
    pub periods_until_stockout: Option<f64>,
    /// Inventory position.
    pub inventory_position: f64,
    /// Reorder point.
    pub reorder_point: f64,
}

impl OrderNeed {
    /// The need of one SKU plan of [`crate::plan::run_plan`].
    pub fn from_plan(plan: &SkuPlan) -> Self {
        let r = &plan.recommendation;
        OrderNeed {
            sku: plan.sku.clone(),
            order_quantity: if r.should_reorder { r.order_quantity } else { 0.0 },
            periods_until_stockout: r.periods_until_stockout,
            inventory_position: r.inventory_position,
            reorder_point: r.reorder_point,
        }
    }
}

/// Why a line has its quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineReason {
    /// The recommended quantity, unchanged.
    Recommended,
    /// The recommended quantity rounded to the pack size, raised to the MOQ or capped at the maximum.
    PackRounded,
    /// A recommended line increased to reach the supplier's target value.
    ToppedUp,
    /// An item not due yet, ordered early to reach the supplier's target value.
    BroughtForward,
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrderLine {
    /// SKU identifier.
    pub sku: String,
    /// Units ordered: `recommended_quantity` after pack rules, plus `top_up_quantity`.
    pub quantity: f64,
    /// Units the plan recommended (0 for an item brought forward).
    pub recommended_quantity: f64,
    /// Units added to reach the supplier's target value.
    pub top_up_quantity: f64,
    /// Pack size (the item's `lot_size`).
    pub pack_size: f64,
    /// Cost of one unit.
    pub unit_cost: f64,
    /// `quantity × unit_cost`.
    pub value: f64,
    /// Periods until stockout at forecast demand (`None`: never).
    pub periods_until_stockout: Option<f64>,
    /// Why the line has this quantity.
    pub reason: LineReason,
}

/// One order to one supplier (or the unassigned group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    /// Supplier identifier (`None`: items without a supplier).
    pub supplier: Option<String>,
    /// Lines, most urgent first.
    pub lines: Vec<PurchaseOrderLine>,
    /// Units over all lines.
    pub total_quantity: f64,
    /// Value over all lines.
    pub total_value: f64,
    /// Value of the recommended lines before any top-up.
    pub recommended_value: f64,
    /// The supplier's minimum order value (0 without terms).
    pub min_order_value: f64,
    /// The supplier's free-freight threshold.
    pub free_freight_threshold: Option<f64>,
    /// The value the top-up aimed for: `max(min_order_value, free_freight_threshold)`.
    pub target_value: f64,
    /// Whether `total_value >= min_order_value`.
    pub meets_min_order_value: bool,
    /// Whether `total_value >= free_freight_threshold` (`None` without a threshold).
    pub meets_free_freight: Option<bool>,
    /// `max(target_value - total_value, 0)`.
    pub shortfall: f64,
    /// Anything the buyer should know (unreachable target, unknown terms, unassigned items).
    pub note: Option<String>,
}

/// The day's purchase orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrderReport {
    /// Orders sorted by supplier, the unassigned group last.
    pub orders: Vec<PurchaseOrder>,
    /// SKUs that could not be ordered, with reasons.
    pub failures: Vec<SkuFailure>,
}

/// A validated need with its item's data.
struct Candidate<'a> {
    need: &'a OrderNeed,
    unit_cost: f64,
    pack: f64,
    rules: LotRules,
    /// Recommended quantity after pack rules (0 when not due).
    base: f64,
    /// Packs added by the top-up.
    packs: u64,
    /// First top-up quantity of an item without a line (MOQ rounded, at least one pack).
    first: f64,
    /// Whether the base line was added as a first top-up (item not due).
    brought_forward: bool,
}

impl Candidate<'_> {
    fn quantity(&self) -> f64 {
        let added = if self.brought_forward { self.first } else { 0.0 };
        self.base + added + self.packs as f64 * self.pack
    }

    /// Units the next top-up step adds, or `None` when the item is at its maximum.
    fn next_step(&self) -> Option<f64> {
        let step = if self.base == 0.0 && !self.brought_forward { self.first } else { self.pack };
        match self.rules.max {
            Some(cap) if self.quantity() + step > cap * (1.0 + 1e-12) => None,
            _ => Some(step),
        }
    }

    /// Take the next top-up step (the caller checked [`Self::next_step`]).
    fn step(&mut self) {
        if self.base == 0.0 && !self.brought_forward {
            self.brought_forward = true;
        } else {
            self.packs += 1;
        }
    }

    /// Whole passes of one pack each before the item reaches its maximum (`u64::MAX`: unlimited).
    fn packs_left(&self) -> u64 {
        match self.rules.max {
            Some(cap) => ((cap - self.quantity()) / self.pack + 1e-9).floor().max(0.0) as u64,
            None => u64::MAX,
        }
    }
}

fn check_number(name: &str, value: f64, positive: bool) -> Result<f64> {
    if positive {
        crate::inventory::positive(name, value)
    } else {
        non_negative(name, value)
    }
}

/// Validate one need against its item.
fn candidate<'a>(need: &'a OrderNeed, item: &ItemMaster) -> Result<Candidate<'a>> {
    check_number("order_quantity", need.order_quantity, false)?;
    if let Some(d) = need.periods_until_stockout {
        check_number("periods_until_stockout", d, false)?;
    }
    if !need.inventory_position.is_finite() {
        return Err(Error::invalid_parameter("inventory_position", need.inventory_position, "must be finite"));
    }
    if !need.reorder_point.is_finite() {
        return Err(Error::invalid_parameter("reorder_point", need.reorder_point, "must be finite"));
    }
    let unit_cost = check_number("unit_cost", item.unit_cost, true)?;
    let rules = LotRules::from_parts(Some(item.lot_size), item.moq, item.max_order)?;
    let pack = item.lot_size;
    let base = if need.order_quantity > 0.0 { rules.apply(need.order_quantity) } else { 0.0 };
    Ok(Candidate { need, unit_cost, pack, rules, base, packs: 0, first: rules.min.max(pack), brought_forward: false })
}

/// Urgency order: fewest periods until stockout, then closest to the reorder point, then SKU.
fn urgency(a: &Candidate<'_>, b: &Candidate<'_>) -> std::cmp::Ordering {
    let days = |c: &Candidate<'_>| c.need.periods_until_stockout.unwrap_or(f64::INFINITY);
    let cover = |c: &Candidate<'_>| {
        if c.need.reorder_point > 0.0 {
            c.need.inventory_position / c.need.reorder_point
        } else {
            f64::INFINITY
        }
    };
    days(a).total_cmp(&days(b)).then(cover(a).total_cmp(&cover(b))).then(a.need.sku.cmp(&b.need.sku))
}

/// Largest number of single top-up steps per order (a guard against absurd targets).
pub const MAX_TOP_UP_STEPS: usize = 1_000_000;

/// Bring items forward (in `order`, most urgent first) until `target` is reached or no item has room.
/// Returns whether the target was reached.
fn top_up(cands: &mut [Candidate<'_>], target: f64) -> bool {
    let value = |cands: &[Candidate<'_>]| cands.iter().map(|c| c.quantity() * c.unit_cost).sum::<f64>();
    let mut current = value(cands);
    let eligible: Vec<usize> = (0..cands.len()).filter(|&i| cands[i].need.periods_until_stockout.is_some()).collect();
    let mut steps = 0;
    while current < target && steps < MAX_TOP_UP_STEPS {
        // Skip whole passes at once when every eligible item with room already has a line.
        let open: Vec<usize> = eligible.iter().copied().filter(|&i| cands[i].next_step().is_some()).collect();
        if open.is_empty() {
            return false;
        }
        if open.iter().all(|&i| cands[i].base > 0.0 || cands[i].brought_forward) {
            let pass_value: f64 = open.iter().map(|&i| cands[i].pack * cands[i].unit_cost).sum();
            let needed = ((target - current) / pass_value).floor();
            let room = open.iter().map(|&i| cands[i].packs_left()).min().unwrap_or(0);
            let passes = (needed.max(0.0) as u64).min(room);
            if passes > 0 {
                for &i in &open {
                    cands[i].packs += passes;
                }
                current = value(cands);
                continue;
            }
        }
        for &i in &open {
            if current >= target {
                break;
            }
            if cands[i].next_step().is_some() {
                cands[i].step();
                steps += 1;
            }
            current = value(cands);
        }
    }
    current >= target
}

/// The lines and totals of one order.
fn order(supplier: Option<String>, terms: Option<&SupplierTerms>, mut cands: Vec<Candidate<'_>>) -> PurchaseOrder {
    cands.sort_by(urgency);
    let recommended_value: f64 = cands.iter().map(|c| c.base * c.unit_cost).sum();
    let min_order_value = terms.map_or(0.0, |t| t.min_order_value);
    let free_freight_threshold = terms.and_then(|t| t.free_freight_threshold);
    let target_value = min_order_value.max(free_freight_threshold.unwrap_or(0.0));
    let mut note = match (&supplier, terms) {
        (None, _) => Some("items without a supplier: grouped, never topped up".to_string()),
        (Some(_), None) => Some("no terms for this supplier: no minimum order value applied".to_string()),
        _ => None,
    };
    if supplier.is_some() && recommended_value < target_value && !top_up(&mut cands, target_value) {
        note = Some(format!(
            "cannot reach the target value {target_value}: every item that could be brought forward is at its \
             maximum order or has no projected demand"
        ));
    }
    let lines: Vec<PurchaseOrderLine> = cands
        .iter()
        .filter(|c| c.quantity() > 0.0)
        .map(|c| {
            let quantity = c.quantity();
            let reason = if c.base == 0.0 {
                LineReason::BroughtForward
            } else if c.packs > 0 {
                LineReason::ToppedUp
            } else if c.base != c.need.order_quantity {
                LineReason::PackRounded
            } else {
                LineReason::Recommended
            };
            PurchaseOrderLine {
                sku: c.need.sku.clone(),
                quantity,
                recommended_quantity: c.need.order_quantity,
                top_up_quantity: quantity - c.base,
                pack_size: c.pack,
                unit_cost: c.unit_cost,
                value: quantity * c.unit_cost,
                periods_until_stockout: c.need.periods_until_stockout,
                reason,
            }
        })
        .collect();
    let total_value: f64 = lines.iter().map(|l| l.value).sum();
    PurchaseOrder {
        supplier,
        total_quantity: lines.iter().map(|l| l.quantity).sum(),
        lines,
        total_value,
        recommended_value,
        min_order_value,
        free_freight_threshold,
        target_value,
        meets_min_order_value: total_value >= min_order_value,
        meets_free_freight: free_freight_threshold.map(|t| total_value >= t),
        shortfall: (target_value - total_value).max(0.0),
        note,
    }
}

/// Validate the supplier terms: ids unique and non-empty, values finite and `>= 0`.
fn terms_index(suppliers: &[SupplierTerms]) -> Result<HashMap<&str, &SupplierTerms>> {
    let mut index = HashMap::with_capacity(suppliers.len());
    for (i, s) in suppliers.iter().enumerate() {
        if s.id.trim().is_empty() {
            return Err(Error::invalid_parameter(format!("suppliers[{i}].id"), "\"\"", "must not be empty"));
        }
        non_negative(&format!("suppliers[{i}].min_order_value"), s.min_order_value)?;
        if let Some(t) = s.free_freight_threshold {
            non_negative(&format!("suppliers[{i}].free_freight_threshold"), t)?;
        }
        if index.insert(s.id.as_str(), s).is_some() {
            return Err(Error::invalid_parameter(format!("suppliers[{i}].id"), &s.id, "duplicate supplier id"));
        }
    }
    Ok(index)
}

/// Group the day's needs into one purchase order per supplier (see the module docs for every rule).
///
/// Fails only on bad supplier terms (empty or duplicate id, negative or non-finite values); a bad SKU
/// goes into [`PurchaseOrderReport::failures`]. Deterministic.
///
/// ```
/// use forestock::supply::purchase_orders::{purchase_orders, OrderNeed, SupplierTerms, LineReason};
/// use forestock::plan::ItemMaster;
/// let item = |sku: &str, cost: f64| -> Result<ItemMaster, forestock::Error> {
///     Ok(serde_json::from_value(serde_json::json!({
///         "sku": sku, "unit_cost": cost, "lead_time": 2, "lot_size": 6, "supplier": "acme"}))?)
/// };
/// let need = |sku: &str, q: f64, days: f64| OrderNeed {
///     sku: sku.into(), order_quantity: q, periods_until_stockout: Some(days),
///     inventory_position: 10.0, reorder_point: 20.0,
/// };
/// let items = vec![item("a", 5.0)?, item("b", 2.0)?];
/// let needs = vec![need("a", 10.0, 1.5), need("b", 0.0, 4.0)];
/// let terms = vec![SupplierTerms { id: "acme".into(), min_order_value: 100.0, free_freight_threshold: None }];
/// let report = purchase_orders(&needs, &items, &terms)?;
/// let po = &report.orders[0];
/// assert!(po.meets_min_order_value && po.total_value >= 100.0);
/// assert_eq!(po.lines[0].quantity % 6.0, 0.0);
/// assert_eq!(po.lines[0].reason, LineReason::ToppedUp);  // 12 -> 18 (a, due soonest)
/// assert_eq!(po.lines[1].reason, LineReason::BroughtForward);  // b: one pack
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn purchase_orders(
    needs: &[OrderNeed],
    items: &[ItemMaster],
    suppliers: &[SupplierTerms],
) -> Result<PurchaseOrderReport> {
    let terms = terms_index(suppliers)?;
    let mut item_index: HashMap<&str, &ItemMaster> = HashMap::with_capacity(items.len());
    let mut duplicate_items: HashMap<&str, ()> = HashMap::new();
    for item in items {
        if item_index.insert(item.sku.as_str(), item).is_some() {
            duplicate_items.insert(item.sku.as_str(), ());
        }
    }
    let mut need_count: HashMap<&str, usize> = HashMap::with_capacity(needs.len());
    for need in needs {
        *need_count.entry(need.sku.as_str()).or_default() += 1;
    }
    let mut failures = Vec::new();
    // Group key: Some(supplier) sorted, None (unassigned) last.
    let mut groups: BTreeMap<(bool, String), Vec<Candidate<'_>>> = BTreeMap::new();
    for need in needs {
        let sku = need.sku.as_str();
        let checked = if need_count.get(sku).copied().unwrap_or(0) > 1 {
            Err(Error::CorruptRecord { position: sku.to_string(), reason: "duplicate recommendation".into() })
        } else if duplicate_items.contains_key(sku) {
            Err(Error::CorruptRecord { position: sku.to_string(), reason: "duplicate item master row".into() })
        } else {
            match item_index.get(sku) {
                None => Err(Error::MissingData { id: sku.to_string(), what: "no item master data".into() }),
                Some(item) => candidate(need, item).map(|c| (c, *item)),
            }
        };
        match checked {
            Ok((c, item)) => {
                let key = match item.supplier.as_deref().map(str::trim) {
                    Some(s) if !s.is_empty() => (false, s.to_string()),
                    _ => (true, String::new()),
                };
                groups.entry(key).or_default().push(c);
            }
            Err(e) => failures.push(SkuFailure::new(sku, &e)),
        }
    }
    let mut orders = Vec::with_capacity(groups.len());
    for ((unassigned, supplier), cands) in groups {
        // No order is placed only to reach a minimum.
        if cands.iter().all(|c| c.base == 0.0) {
            continue;
        }
        let supplier = (!unassigned).then_some(supplier);
        let t = supplier.as_deref().and_then(|s| terms.get(s).copied());
        orders.push(order(supplier, t, cands));
    }
    Ok(PurchaseOrderReport { orders, failures })
}

/// [`purchase_orders`] for the output of a planning run: every planned SKU is a need.
pub fn purchase_orders_from_plan(
    plan: &PlanOutput,
    items: &[ItemMaster],
    suppliers: &[SupplierTerms],
) -> Result<PurchaseOrderReport> {
    let needs: Vec<OrderNeed> = plan.plans.iter().map(OrderNeed::from_plan).collect();
    purchase_orders(&needs, items, suppliers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(sku: &str, supplier: Option<&str>, cost: f64, lot: f64, moq: f64, max: Option<f64>) -> ItemMaster {
        let mut it: ItemMaster =
            serde_json::from_value(serde_json::json!({"sku": sku, "unit_cost": cost, "lead_time": 2.0})).expect("item");
        it.supplier = supplier.map(str::to_string);
        (it.lot_size, it.moq, it.max_order) = (lot, moq, max);
        it
    }

    fn need(sku: &str, quantity: f64, days: Option<f64>) -> OrderNeed {
        OrderNeed {
            sku: sku.into(),
            order_quantity: quantity,
            periods_until_stockout: days,
            inventory_position: 5.0,
            reorder_point: 10.0,
        }
    }

    fn terms(id: &str, min: f64, free: Option<f64>) -> SupplierTerms {
        SupplierTerms { id: id.into(), min_order_value: min, free_freight_threshold: free }
    }

    fn line<'a>(po: &'a PurchaseOrder, sku: &str) -> Option<&'a PurchaseOrderLine> {
        po.lines.iter().find(|l| l.sku == sku)
    }

    #[test]
    fn recommended_lines_are_pack_rounded() -> Result<()> {
        let items = vec![item("a", Some("s"), 2.0, 12.0, 30.0, None), item("b", Some("s"), 1.0, 5.0, 0.0, None)];
        let needs = vec![need("a", 10.0, Some(3.0)), need("b", 15.0, Some(1.0))];
        let report = purchase_orders(&needs, &items, &[terms("s", 0.0, None)])?;
        let po = &report.orders[0];
        // a: 10 -> MOQ 30 rounded up to the pack of 12 = 36; b: 15 is already 3 packs.
        let a = line(po, "a").expect("a");
        assert_eq!((a.quantity, a.reason, a.top_up_quantity), (36.0, LineReason::PackRounded, 0.0));
        let b = line(po, "b").expect("b");
        assert_eq!((b.quantity, b.reason), (15.0, LineReason::Recommended));
        assert_eq!(po.lines[0].sku, "b", "most urgent first");
        assert_eq!((po.total_quantity, po.total_value, po.recommended_value), (51.0, 87.0, 87.0));
        assert!(po.meets_min_order_value && po.note.is_none() && po.shortfall == 0.0);
        Ok(())
    }

    #[test]
    fn top_up_brings_forward_the_soonest_items_first() -> Result<()> {
        let items = vec![
            item("due", Some("s"), 10.0, 1.0, 0.0, None),
            item("soon", Some("s"), 10.0, 4.0, 0.0, None),
            item("later", Some("s"), 10.0, 4.0, 0.0, None),
            item("never", Some("s"), 10.0, 4.0, 0.0, None),
        ];
        let needs = vec![
            need("later", 0.0, Some(9.0)),
            need("due", 5.0, Some(2.0)),
            need("never", 0.0, None),
            need("soon", 0.0, Some(4.0)),
        ];
        // 50 recommended; 120 needs the due item's next unit (60) and soon's first pack (100), then
        // later's first pack (140) reaches it: later is only brought forward after soon.
        let report = purchase_orders(&needs, &items, &[terms("s", 120.0, None)])?;
        let po = &report.orders[0];
        let skus: Vec<&str> = po.lines.iter().map(|l| l.sku.as_str()).collect();
        assert_eq!(skus, vec!["due", "soon", "later"]);
        assert_eq!(line(po, "due").map(|l| (l.quantity, l.reason)), Some((6.0, LineReason::ToppedUp)));
        assert_eq!(line(po, "soon").map(|l| (l.quantity, l.reason)), Some((4.0, LineReason::BroughtForward)));
        assert_eq!(line(po, "later").map(|l| l.quantity), Some(4.0));
        assert!(line(po, "never").is_none(), "no demand: never brought forward");
        assert_eq!((po.total_value, po.recommended_value), (140.0, 50.0));
        assert!(po.meets_min_order_value && po.shortfall == 0.0);

        // A smaller gap only touches the soonest items.
        let report = purchase_orders(&needs, &items, &[terms("s", 55.0, None)])?;
        let po = &report.orders[0];
        assert_eq!(po.lines.len(), 1);
        assert_eq!((po.lines[0].quantity, po.total_value), (6.0, 60.0));
        Ok(())
    }

    #[test]
    fn top_up_never_exceeds_a_maximum_and_reports_an_unreachable_target() -> Result<()> {
        let items =
            vec![item("a", Some("s"), 1.0, 6.0, 0.0, Some(40.0)), item("b", Some("s"), 2.0, 10.0, 20.0, Some(35.0))];
        let needs = vec![need("a", 6.0, Some(1.0)), need("b", 0.0, Some(2.0))];
        let report = purchase_orders(&needs, &items, &[terms("s", 1000.0, Some(2000.0))])?;
        let po = &report.orders[0];
        // a: largest multiple of 6 <= 40 is 36; b starts at its MOQ 20 and can grow to 30.
        assert_eq!(line(po, "a").map(|l| (l.quantity, l.top_up_quantity)), Some((36.0, 30.0)));
        assert_eq!(line(po, "b").map(|l| (l.quantity, l.reason)), Some((30.0, LineReason::BroughtForward)));
        assert_eq!(po.total_value, 96.0);
        assert_eq!((po.target_value, po.shortfall), (2000.0, 1904.0));
        assert!(!po.meets_min_order_value);
        assert_eq!(po.meets_free_freight, Some(false));
        assert!(po.note.as_deref().is_some_and(|n| n.contains("cannot reach")), "{:?}", po.note);
        Ok(())
    }

    #[test]
    fn large_gaps_skip_whole_passes_and_stay_pack_multiples() -> Result<()> {
        let items =
            vec![item("a", Some("s"), 0.5, 24.0, 0.0, None), item("b", Some("s"), 0.25, 10.0, 0.0, Some(5000.0))];
        let needs = vec![need("a", 24.0, Some(1.0)), need("b", 10.0, Some(1.5))];
        let report = purchase_orders(&needs, &items, &[terms("s", 10_000.0, Some(2_500.0))])?;
        let po = &report.orders[0];
        for l in &po.lines {
            assert_eq!(l.quantity % l.pack_size, 0.0, "{l:?}");
        }
        assert_eq!(line(po, "b").map(|l| l.quantity), Some(5000.0));
        assert!(po.total_value >= 10_000.0 && po.total_value < 10_000.0 + 12.0, "{}", po.total_value);
        assert_eq!(po.meets_free_freight, Some(true));
        Ok(())
    }

    #[test]
    fn unassigned_items_unknown_terms_and_failures() -> Result<()> {
        let items = vec![
            item("a", None, 1.0, 1.0, 0.0, None),
            item("b", Some("nobody"), 1.0, 1.0, 0.0, None),
            item("c", Some("s"), 1.0, 0.0, 0.0, None),
            item("d", Some("s"), 1.0, 1.0, 0.0, None),
            item("e", Some("s"), 1.0, 1.0, 0.0, None),
        ];
        let needs = vec![
            need("a", 3.0, Some(1.0)),
            need("b", 3.0, Some(1.0)),
            need("c", 3.0, Some(1.0)),
            need("d", 0.0, Some(1.0)),
            need("x", 3.0, Some(1.0)),
            need("e", f64::NAN, Some(1.0)),
        ];
        let report = purchase_orders(&needs, &items, &[terms("s", 100.0, None)])?;
        let suppliers: Vec<Option<&str>> = report.orders.iter().map(|o| o.supplier.as_deref()).collect();
        // s has no recommended line left (c failed, d not due): no order is placed only for a minimum.
        assert_eq!(suppliers, vec![Some("nobody"), None]);
        assert!(report.orders[0].note.as_deref().is_some_and(|n| n.contains("no terms")));
        assert_eq!(report.orders[1].lines[0].sku, "a");
        let failed: Vec<(&str, &str)> = report.failures.iter().map(|f| (f.sku.as_str(), f.code.as_str())).collect();
        assert_eq!(
            failed,
            vec![("c", "ERR_INVALID_PARAMETER"), ("x", "ERR_MISSING_DATA"), ("e", "ERR_INVALID_PARAMETER")]
        );
        assert!(report.failures[0].message.contains("lot_size"));
        assert!(report.failures[2].message.contains("order_quantity"));
        Ok(())
    }

    #[test]
    fn duplicates() -> Result<()> {
        let items = vec![item("a", Some("s"), 1.0, 1.0, 0.0, None), item("b", Some("s"), 1.0, 1.0, 0.0, None)];
        let needs = vec![need("a", 1.0, Some(1.0)), need("a", 2.0, Some(1.0)), need("b", 1.0, Some(1.0))];
        let report = purchase_orders(&needs, &items, &[])?;
        assert_eq!(report.failures.len(), 2);
        assert_eq!(report.orders[0].lines.len(), 1);
        let bad = purchase_orders(&needs, &items, &[terms("s", 1.0, None), terms("s", 2.0, None)]);
        assert!(matches!(bad, Err(Error::InvalidParameter { ref name, .. }) if name == "suppliers[1].id"), "{bad:?}");
        let bad = purchase_orders(&needs, &items, &[terms("s", f64::NAN, None)]);
        assert!(matches!(bad, Err(Error::InvalidParameter { ref name, .. }) if name == "suppliers[0].min_order_value"));
        Ok(())
    }
}
