//! The supply side of a plan: lead times learned from receipts, and the day's orders grouped into
//! one purchase order per supplier.
//!
//! | module | job |
//! |---|---|
//! | [`receipts`] | lead-time mean and sd per (SKU, supplier) learned from receipts, shrunk to the supplier; written into the item master |
//! | [`purchase_orders`](mod@purchase_orders) | one order per supplier: pack sizes, MOQ, maximums, minimum order value top-up |
//!
//! Both read and write the planner's types ([`crate::plan::ItemMaster`], [`crate::plan::PlanOutput`])
//! and the inventory's lot rules, so this module sits above [`crate::plan`] and
//! [`crate::inventory`], and neither imports it. See `docs/inventory.md` for the rules and sources.

pub mod purchase_orders;
pub mod receipts;

pub use purchase_orders::{purchase_orders, purchase_orders_from_plan, OrderNeed, PurchaseOrderReport, SupplierTerms};
pub use receipts::{
    fill_item_lead_times, lead_times_from_receipts, lead_times_from_records, LeadTimeConfig, LeadTimeReport,
    ReceiptLine, Stamp,
};
