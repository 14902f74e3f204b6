//! Supply functions: argument conversion around `forestock::supply::receipts` (lead times
//! learned from receipts) and `forestock::supply::purchase_orders` (orders per supplier).

use forestock::plan::ItemMaster;
use forestock::supply::purchase_orders::{purchase_orders as core_purchase_orders, OrderNeed, SupplierTerms};
use forestock::supply::receipts::{fill_item_lead_times, lead_times_from_records, LeadTimeConfig};
use pyo3::prelude::*;

use crate::json::{core, from_py, from_py_keeping_nan, to_py, with_defaults};

/// Lead times from receipts (GIL released): `lines` is a list of receipt records (`sku`,
/// `supplier`, `ordered_at`, `received_at` as a number or `"YYYY-MM-DD"`, `quantity`; a bad record is
/// rejected by the core, not raised), `config` a dict of `LeadTimeConfig` fields. When `items`
/// (list of `ItemMaster`, NaN kept) is given, their lead times are filled from the estimates. Returns the
/// `{"report": LeadTimeReport, "items": [ItemMaster] | null, "fill": LeadTimeFill | null}`.
#[pyfunction]
#[pyo3(signature = (lines, config, items=None))]
pub(crate) fn lead_times_from_receipts(
    py: Python<'_>,
    lines: &Bound<'_, PyAny>,
    config: &Bound<'_, PyAny>,
    items: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let records: Vec<serde_json::Value> = from_py(py, "receipts", lines)?;
    let config = with_defaults(py, "config", &LeadTimeConfig::default(), config)?;
    let mut items: Option<Vec<ItemMaster>> = items.map(|i| from_py_keeping_nan(py, "items", i)).transpose()?;
    let report = core(py, py.detach(|| lead_times_from_records(&records, &config)))?;
    let fill = items.as_mut().map(|items| fill_item_lead_times(items, &report));
    to_py(py, &serde_json::json!({ "report": report, "items": items, "fill": fill }))
}

/// Purchase orders per supplier: lists of `OrderNeed` (the planned SKUs' recommendations),
/// `ItemMaster` and `SupplierTerms`; returns the `PurchaseOrderReport`.
#[pyfunction]
pub(crate) fn purchase_orders(
    py: Python<'_>,
    needs: &Bound<'_, PyAny>,
    items: &Bound<'_, PyAny>,
    suppliers: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let needs: Vec<OrderNeed> = from_py_keeping_nan(py, "plan_result", needs)?;
    let items: Vec<ItemMaster> = from_py_keeping_nan(py, "items", items)?;
    let suppliers: Vec<SupplierTerms> = from_py_keeping_nan(py, "suppliers", suppliers)?;
    let report = core(py, py.detach(|| core_purchase_orders(&needs, &items, &suppliers)))?;
    to_py(py, &report)
}
