//! Inventory functions: argument conversion around `forestock::inventory` (no formulas here).

use forestock::inventory::abc::{abc_classify as core_abc_classify, classify_demand as core_classify_demand, AbcThresholds};
use forestock::inventory::lot_sizing::eoq as core_eoq;
use forestock::inventory::policy::{continuous_review, DemandDistribution, DemandModel, LeadTime};
use forestock::inventory::{
    recommend as core_recommend, simulate, DemandProcess, ItemPolicyInput, LeadTimeProcess, ServiceTarget,
    SimPolicy, SimulationConfig,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::errors::{guarded, invalid_parameter};
use crate::fitted::as_series;
use crate::json::{core, from_json, to_json, with_defaults};

/// The service target named by `method` (`"cycle"` or `"fill_rate"`).
fn service_target(py: Python<'_>, method: &str, service_level: f64) -> PyResult<ServiceTarget> {
    match method {
        "cycle" => Ok(ServiceTarget::CycleService(service_level)),
        "fill_rate" => Ok(ServiceTarget::FillRate(service_level)),
        other => Err(invalid_parameter(py, "method", other, "must be \"cycle\" or \"fill_rate\"")),
    }
}

/// Continuous-review (r, Q) policy for stationary normal demand: JSON of the core's
/// `ContinuousReviewPolicy` (`reorder_point`, `safety_stock`, `order_quantity`, `lead_time_demand`).
///
/// A cycle service target does not involve Q; when `order_quantity` is None the core is given
/// Q = 1, which only fills the (unused) field. A fill-rate target needs `order_quantity`.
#[pyfunction]
#[pyo3(signature = (demand_mean, demand_sd, lead_time, lead_time_sd, service_level, method, order_quantity=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn reorder_policy(
    py: Python<'_>,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    lead_time_sd: f64,
    service_level: f64,
    method: &str,
    order_quantity: Option<f64>,
) -> PyResult<String> {
    let target = service_target(py, method, service_level)?;
    let q = match (target, order_quantity) {
        (_, Some(q)) => q,
        (ServiceTarget::CycleService(_), None) => 1.0,
        (ServiceTarget::FillRate(_), None) => {
            return Err(invalid_parameter(py, "order_quantity", "None", "a fill-rate target needs the order quantity"));
        }
    };
    let demand = core(py, guarded(|| DemandModel::stationary(demand_mean, demand_sd)))?;
    let lead = core(py, guarded(|| LeadTime::new(lead_time, lead_time_sd)))?;
    let policy = core(py, guarded(|| continuous_review(&demand, lead, q, target, DemandDistribution::Normal)))?;
    to_json(py, &policy)
}

/// Economic order quantity: JSON `{"order_quantity", "cost"}` (core `lot_sizing::eoq`).
#[pyfunction]
pub(crate) fn eoq(py: Python<'_>, ordering_cost: f64, holding_cost: f64, demand_rate: f64) -> PyResult<String> {
    let result = core(py, guarded(|| core_eoq(ordering_cost, holding_cost, demand_rate)))?;
    to_json(py, &result)
}

/// ABC classification by value share: JSON list of the core's `AbcItem`, in input order.
#[pyfunction]
pub(crate) fn abc_classify(py: Python<'_>, values: PyReadonlyArray1<'_, f64>, a: f64, b: f64) -> PyResult<String> {
    let values = as_series(py, "values", &values)?;
    let thresholds = core(py, guarded(|| AbcThresholds::new(a, b)))?;
    let items = core(py, guarded(|| core_abc_classify(values, thresholds)))?;
    to_json(py, &items)
}

/// Syntetos-Boylan demand classification: JSON of the core's `DemandClassification`.
#[pyfunction]
pub(crate) fn classify_demand(py: Python<'_>, demand: PyReadonlyArray1<'_, f64>) -> PyResult<String> {
    let demand = as_series(py, "demand", &demand)?;
    let classification = core(py, guarded(|| core_classify_demand(demand)))?;
    to_json(py, &classification)
}

/// One item's reorder recommendation: JSON `ItemPolicyInput` in, JSON `Recommendation` out.
#[pyfunction]
pub(crate) fn recommend(py: Python<'_>, item: &str) -> PyResult<String> {
    let item: ItemPolicyInput = from_json(py, "item", item)?;
    let recommendation = core(py, guarded(|| core_recommend(&item)))?;
    to_json(py, &recommendation)
}

/// Closed-loop policy simulation (GIL released): JSON `SimPolicy`, `DemandProcess`,
/// `LeadTimeProcess` and a partial `SimulationConfig` (missing fields take the core's defaults);
/// returns JSON `SimulationReport`.
#[pyfunction]
pub(crate) fn simulate_policy(
    py: Python<'_>,
    policy: &str,
    demand: &str,
    lead_time: &str,
    config: &str,
) -> PyResult<String> {
    let policy: SimPolicy = from_json(py, "policy", policy)?;
    let demand: DemandProcess = from_json(py, "demand", demand)?;
    let lead_time: LeadTimeProcess = from_json(py, "lead_time", lead_time)?;
    let config = with_defaults(py, "config", &SimulationConfig::default(), config)?;
    let report = core(py, guarded(|| py.detach(|| simulate(policy, demand, &lead_time, config))))?;
    to_json(py, &report)
}
