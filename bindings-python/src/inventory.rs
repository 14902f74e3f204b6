//! Inventory functions: argument conversion around `forestock::inventory` (no formulas here).

use forestock::inventory::abc::{
    abc_classify as core_abc_classify, classify_demand as core_classify_demand, AbcThresholds,
};
use forestock::inventory::lot_sizing::eoq as core_eoq;
use forestock::inventory::{
    recommend as core_recommend, safety_stock as core_safety_stock, simulate, DemandProcess, ItemPolicyInput,
    LeadTimeProcess, SafetyStockRequest, SimPolicy, SimulationConfig,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::errors::guarded;
use crate::fitted::as_series;
use crate::json::{core, from_py_keeping_nan, to_py, with_defaults};

/// Safety stock and level of one request: the core's `SafetyStockLevels` (`safety_stock`,
/// `reorder_point`, `protection_mean`, `protection_sd`). Conversion only: the arguments fill the
/// core's `SafetyStockRequest` (`method` and `distribution` are parsed by the core, which owns
/// their vocabulary and aliases) and `forestock::inventory::safety_stock` does the rest.
#[pyfunction]
#[pyo3(signature = (demand_mean, demand_sd, lead_time, lead_time_sd, service_level, method, order_quantity=None, review_period=None, distribution=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn safety_stock(
    py: Python<'_>,
    demand_mean: f64,
    demand_sd: f64,
    lead_time: f64,
    lead_time_sd: f64,
    service_level: f64,
    method: &str,
    order_quantity: Option<f64>,
    review_period: Option<f64>,
    distribution: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let mut request = SafetyStockRequest::new(demand_mean, demand_sd, lead_time, service_level);
    request.lead_time_sd = lead_time_sd;
    request.method = core(py, method.parse())?;
    request.order_quantity = order_quantity;
    request.review_period = review_period;
    request.distribution = core(py, distribution.map(str::parse).transpose())?.unwrap_or(request.distribution);
    let levels = core(py, guarded(|| core_safety_stock(&request)))?;
    to_py(py, &levels)
}

/// Economic order quantity: `{"order_quantity", "cost"}` (core `lot_sizing::eoq`).
#[pyfunction]
pub(crate) fn eoq(py: Python<'_>, ordering_cost: f64, holding_cost: f64, demand_rate: f64) -> PyResult<Py<PyAny>> {
    let result = core(py, guarded(|| core_eoq(ordering_cost, holding_cost, demand_rate)))?;
    to_py(py, &result)
}

/// ABC classification by value share: list of the core's `AbcItem`, in input order.
#[pyfunction]
pub(crate) fn abc_classify(py: Python<'_>, values: PyReadonlyArray1<'_, f64>, a: f64, b: f64) -> PyResult<Py<PyAny>> {
    let values = as_series(py, "values", &values)?;
    let thresholds = core(py, guarded(|| AbcThresholds::new(a, b)))?;
    let items = core(py, guarded(|| core_abc_classify(values, thresholds)))?;
    to_py(py, &items)
}

/// Syntetos-Boylan demand classification: the core's `DemandClassification`.
#[pyfunction]
pub(crate) fn classify_demand(py: Python<'_>, demand: PyReadonlyArray1<'_, f64>) -> PyResult<Py<PyAny>> {
    let demand = as_series(py, "demand", &demand)?;
    let classification = core(py, guarded(|| core_classify_demand(demand)))?;
    to_py(py, &classification)
}

/// One item's reorder recommendation: an `ItemPolicyInput` dict in (NaN and ±inf reach the core's checks), the `Recommendation` out.
#[pyfunction]
pub(crate) fn recommend(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let item: ItemPolicyInput = from_py_keeping_nan(py, "item", item)?;
    let recommendation = core(py, guarded(|| core_recommend(&item)))?;
    to_py(py, &recommendation)
}

/// Closed-loop policy simulation (GIL released): dicts of `SimPolicy`, `DemandProcess`,
/// `LeadTimeProcess` and a partial `SimulationConfig` (missing fields take the core's defaults);
/// returns the `SimulationReport`.
#[pyfunction]
pub(crate) fn simulate_policy(
    py: Python<'_>,
    policy: &Bound<'_, PyAny>,
    demand: &Bound<'_, PyAny>,
    lead_time: &Bound<'_, PyAny>,
    config: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let policy: SimPolicy = from_py_keeping_nan(py, "policy", policy)?;
    let demand: DemandProcess = from_py_keeping_nan(py, "demand", demand)?;
    let lead_time: LeadTimeProcess = from_py_keeping_nan(py, "lead_time", lead_time)?;
    let config = with_defaults(py, "config", &SimulationConfig::default(), config)?;
    let report = core(py, guarded(|| py.detach(|| simulate(policy, demand, &lead_time, config))))?;
    to_py(py, &report)
}
