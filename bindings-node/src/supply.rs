//! `leadTimesFromReceipts` and `purchaseOrders`: conversion around `forestock::supply::receipts`
//! (lead times learned from receipts) and `forestock::supply::purchase_orders` (one order per
//! supplier). Objects in and out use camelCase keys; every rule and number is the core's.

use forestock::plan::ItemMaster as CoreItemMaster;
use forestock::supply::purchase_orders::{purchase_orders as core_purchase_orders, OrderNeed, SupplierTerms};
use forestock::supply::receipts::{fill_item_lead_times, lead_times_from_records, LeadTimeConfig};
use forestock::Error;
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::convert::{from_js, from_options, to_core_json, to_js_json};
use crate::errors::to_js_error;
use crate::plan::ItemMaster;

fn js<T>(result: Result<T, Error>) -> napi::Result<T, String> {
    result.map_err(|e| to_js_error(&e))
}

fn core_items(items: Option<Vec<ItemMaster>>) -> Result<Option<Vec<CoreItemMaster>>, Error> {
    items
        .map(|items| items.iter().map(|item| from_options(&format!("items[{}]", item.sku), item)).collect())
        .transpose()
}

fn lead_times(receipts: Vec<Value>, options: Option<Value>, items: Option<Vec<ItemMaster>>) -> Result<Value, Error> {
    let records: Vec<Value> = receipts.into_iter().map(to_core_json).collect();
    let config: LeadTimeConfig = match options {
        None | Some(Value::Null) => LeadTimeConfig::default(),
        Some(o) => from_js("options", o)?,
    };
    let mut items = core_items(items)?;
    let report = lead_times_from_records(&records, &config)?;
    let mut out = serde_json::to_value(&report)?;
    if let (Some(items), Value::Object(fields)) = (items.as_mut(), &mut out) {
        let fill = fill_item_lead_times(items, &report);
        fields.insert("items".into(), serde_json::to_value(&*items)?);
        fields.insert("fill".into(), serde_json::to_value(&fill)?);
    }
    Ok(to_js_json(out))
}

/// Lead-time mean and sd per (SKU, supplier) learned from purchase-order receipts, shrunk towards
/// each supplier's mean, with outliers flagged and bad lines rejected per line (see docs/inventory.md).
/// `receipts`: `{ sku, supplier, orderedAt, receivedAt, quantity }` with period numbers or
/// `'YYYY-MM-DD'` dates; `options`: `{ daysPerPeriod, credibilityK, outlierMads, minRelativeSpread,
/// minReceiptsForOutliers }` (all optional); with `items`, also returns them with `leadTime` and
/// `leadTimeSd` filled (`items`, `fill`).
#[napi(
    ts_args_type = "receipts: Array<{ sku: string, supplier: string, orderedAt: number | string, receivedAt: number | string, quantity: number }>, options?: { daysPerPeriod?: number, credibilityK?: number, outlierMads?: number, minRelativeSpread?: number, minReceiptsForOutliers?: number } | null, items?: Array<ItemMaster> | null",
    ts_return_type = "{ estimates: Array<{ sku: string, supplier: string, receipts: number, rawMean: number, rawSd: number, credibility: number, mean: number, sd: number }>, suppliers: Array<{ supplier: string, receipts: number, mean: number, sd: number, median: number, mad: number, lowerFence?: number, upperFence?: number }>, outliers: Array<{ row: number, sku: string, supplier: string, leadTime: number, reason: string }>, rejected: Array<{ row: number, field: string, code: string, message: string }>, items?: Array<ItemMaster>, fill?: { filled: string[], withoutEstimate: Array<{ sku: string, reason: string }> } }"
)]
pub fn lead_times_from_receipts(
    receipts: Vec<Value>,
    options: Option<Value>,
    items: Option<Vec<ItemMaster>>,
) -> napi::Result<Value, String> {
    js(lead_times(receipts, options, items))
}

/// The needs of a `plan` result (`{ plans: [{ sku, recommendation }] }` or the `plans` array).
fn needs(plan_result: Value) -> Result<Vec<OrderNeed>, Error> {
    let plans = match plan_result {
        Value::Object(mut fields) => fields.remove("plans").unwrap_or(Value::Null),
        other => other,
    };
    let Value::Array(plans) = plans else {
        return Err(Error::invalid_parameter("planResult", "?", "must be the result of plan() or its plans array"));
    };
    plans
        .into_iter()
        .enumerate()
        .map(|(i, plan)| {
            let mut need = Map::new();
            if let Value::Object(mut fields) = plan {
                if let Some(Value::Object(r)) = fields.remove("recommendation") {
                    need.extend(r);
                }
                need.extend(fields);
            }
            from_js(&format!("planResult.plans[{i}]"), Value::Object(need))
        })
        .collect()
}

fn orders(plan_result: Value, suppliers: Vec<Value>, items: Vec<ItemMaster>) -> Result<Value, Error> {
    let needs = needs(plan_result)?;
    let suppliers: Vec<SupplierTerms> = from_js("suppliers", Value::Array(suppliers))?;
    let items = core_items(Some(items))?.unwrap_or_default();
    let report = core_purchase_orders(&needs, &items, &suppliers)?;
    Ok(to_js_json(serde_json::to_value(&report)?))
}

/// Group the day's recommendations (`plan()`'s result) into one purchase order per supplier:
/// pack sizes, MOQ, maximums, and a top-up to each supplier's minimum order value / free-freight
/// threshold by bringing forward the items due soonest (see docs/inventory.md). `items` gives each
/// SKU its `supplier`, `unitCost`, `lotSize`, `moq` and `maxOrder`.
#[napi(
    ts_args_type = "planResult: { plans: Array<{ sku: string, recommendation: Recommendation }> } | Array<{ sku: string, recommendation: Recommendation }>, suppliers: Array<{ id: string, minOrderValue?: number, freeFreightThreshold?: number }>, items: Array<ItemMaster>",
    ts_return_type = "{ orders: Array<{ supplier?: string, lines: Array<{ sku: string, quantity: number, recommendedQuantity: number, topUpQuantity: number, packSize: number, unitCost: number, value: number, periodsUntilStockout?: number, reason: 'recommended' | 'pack_rounded' | 'topped_up' | 'brought_forward' }>, totalQuantity: number, totalValue: number, recommendedValue: number, minOrderValue: number, freeFreightThreshold?: number, targetValue: number, meetsMinOrderValue: boolean, meetsFreeFreight?: boolean, shortfall: number, note?: string }>, failures: Array<{ sku: string, code: string, message: string }> }"
)]
pub fn purchase_orders(
    plan_result: Value,
    suppliers: Vec<Value>,
    items: Vec<ItemMaster>,
) -> napi::Result<Value, String> {
    js(orders(plan_result, suppliers, items))
}
