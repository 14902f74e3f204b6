//! Building an [`ItemMaster`] from the three fields without a default, and the defaults of the rest.
//!
//! There is no `Default` for `ItemMaster`: a unit cost and a lead time have no sensible default
//! (a made-up cost would mis-rank the ABC classes; a made-up lead time would mis-size every order).
//! Every other field has one under which the item plans.

use super::ItemMaster;

/// Default holding cost rate, as a fraction of the unit cost per **year** (25%: the usual textbook
/// figure for capital, storage, insurance and obsolescence, e.g. Silver, Pyke & Thomas 2017,
/// "Inventory and Production Management in Supply Chains", ch. 2). An item without its own
/// `holding_cost_rate` is charged `DEFAULT_ANNUAL_HOLDING_RATE / periods_per_year` per period
/// ([`ItemMaster::holding_rate_per_period`]).
pub const DEFAULT_ANNUAL_HOLDING_RATE: f64 = 0.25;

impl ItemMaster {
    /// An item with the three required fields and the defaults of the others: no lead-time
    /// variability, reviewed every period, nothing on hand, on order or backordered, no MOQ, lot
    /// size 1, no order cap, no ordering cost, the default holding cost rate (25% a year, see
    /// [`DEFAULT_ANNUAL_HOLDING_RATE`]) and the service level of the item's ABC class.
    ///
    /// ```
    /// use forestock::plan::ItemMaster;
    /// let item = ItemMaster::new("SKU-1", 12.5, 3.0).with_on_hand(40.0).with_lot_size(6.0);
    /// assert_eq!(item.review_period, 1.0);
    /// assert_eq!(item.holding_rate_per_period(52.0), 0.25 / 52.0);
    /// ```
    pub fn new(sku: impl Into<String>, unit_cost: f64, lead_time: f64) -> Self {
        ItemMaster {
            sku: sku.into(),
            unit_cost,
            lead_time,
            lead_time_sd: 0.0,
            review_period: 1.0,
            on_hand: 0.0,
            on_order: 0.0,
            backorders: 0.0,
            moq: 0.0,
            lot_size: 1.0,
            max_order: None,
            ordering_cost: 0.0,
            holding_cost_rate: None,
            service_level: None,
            supplier: None,
        }
    }

    /// Holding cost per unit per period as a fraction of the unit cost: the item's own
    /// `holding_cost_rate`, else [`DEFAULT_ANNUAL_HOLDING_RATE`]` / periods_per_year`.
    pub fn holding_rate_per_period(&self, periods_per_year: f64) -> f64 {
        self.holding_cost_rate.unwrap_or(DEFAULT_ANNUAL_HOLDING_RATE / periods_per_year)
    }

    /// Sets the standard deviation of the lead time (periods).
    pub fn with_lead_time_sd(mut self, lead_time_sd: f64) -> Self {
        self.lead_time_sd = lead_time_sd;
        self
    }

    /// Sets the review period R (periods).
    pub fn with_review_period(mut self, review_period: f64) -> Self {
        self.review_period = review_period;
        self
    }

    /// Sets the units on hand.
    pub fn with_on_hand(mut self, on_hand: f64) -> Self {
        self.on_hand = on_hand;
        self
    }

    /// Sets the units on order.
    pub fn with_on_order(mut self, on_order: f64) -> Self {
        self.on_order = on_order;
        self
    }

    /// Sets the backordered units.
    pub fn with_backorders(mut self, backorders: f64) -> Self {
        self.backorders = backorders;
        self
    }

    /// Sets the minimum order quantity.
    pub fn with_moq(mut self, moq: f64) -> Self {
        self.moq = moq;
        self
    }

    /// Sets the lot size (orders are multiples of it).
    pub fn with_lot_size(mut self, lot_size: f64) -> Self {
        self.lot_size = lot_size;
        self
    }

    /// Sets the largest quantity of one order.
    pub fn with_max_order(mut self, max_order: f64) -> Self {
        self.max_order = Some(max_order);
        self
    }

    /// Sets the fixed cost of placing one order.
    pub fn with_ordering_cost(mut self, ordering_cost: f64) -> Self {
        self.ordering_cost = ordering_cost;
        self
    }

    /// Sets the holding cost rate per period (fraction of the unit cost).
    pub fn with_holding_cost_rate(mut self, rate_per_period: f64) -> Self {
        self.holding_cost_rate = Some(rate_per_period);
        self
    }

    /// Sets the target cycle service level, overriding the ABC class default.
    pub fn with_service_level(mut self, service_level: f64) -> Self {
        self.service_level = Some(service_level);
        self
    }

    /// Sets the supplier the item is bought from (purchase orders, lead times from receipts).
    pub fn with_supplier(mut self, supplier: impl Into<String>) -> Self {
        self.supplier = Some(supplier.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_defaults_match_new() {
        let parsed: ItemMaster =
            serde_json::from_str(r#"{"sku": "A", "unit_cost": 2.0, "lead_time": 3.0}"#).expect("json");
        assert_eq!(parsed, ItemMaster::new("A", 2.0, 3.0));
    }

    #[test]
    fn holding_rate_default_follows_the_period() {
        let item = ItemMaster::new("A", 2.0, 3.0);
        assert_eq!(item.holding_rate_per_period(12.0), 0.25 / 12.0);
        assert_eq!(item.with_holding_cost_rate(0.01).holding_rate_per_period(12.0), 0.01);
    }
}
