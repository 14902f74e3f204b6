//! The planning job and rolling-origin backtests: conversion around `forestock::plan::run_plan`
//! and `forestock::backtest::backtest`, both run with the GIL released.

use forestock::backtest::{backtest_with, BacktestConfig};
use forestock::plan::{
    classify_catalogue as core_classify_catalogue, duplicate_period, missing_ids, read_item_rows, run_plan_events,
    CatalogueItem, FieldNames, PlanConfig, SkuFailure,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::errors::guarded;

use crate::batch::sku_histories;
use crate::fitted::as_series;
use crate::interrupt::{interruptible, interruptible_reporting, progress_callback};
use crate::json::{core, from_py, to_py, with_defaults};
use crate::spec::parse_spec;

/// Run the planning job. Demand histories arrive concatenated (`y`, `offsets` of length
/// `len(skus) + 1`, as in `forecast_batch`); `items` is a list of item records keyed by the
/// core's snake_case field names, the SKU under `id_field` (read row by row by the core's
/// `read_item_rows`: a bad row fails its SKU only); `config` a dict of `PlanConfig` fields
/// (missing ones take the core's defaults). Demand rows the frame conversion could not attach to a
/// series are reported through the core: `missing_id_rows` (1-based rows without an id) and
/// `duplicate_periods` (`(sku, period, first_row, row)`: two rows for one period fail that SKU).
/// `events` (optional) is the dict of the core's `events::PlanEvents` (season_length, past labels
/// per SKU, future events by SKU and period).
/// Returns the `PlanOutput` (`plans`, `failures`, `stats`, `notes`) and `audit`, the core's audit
/// records of the run (`PlanOutput::audit_entries`).
#[pyfunction]
#[pyo3(signature = (skus, y, offsets, items, config, id_field = "sku", time_field = "ds", missing_id_rows = Vec::new(), duplicate_periods = Vec::new(), progress = None, events = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn plan(
    py: Python<'_>,
    skus: Vec<String>,
    y: PyReadonlyArray1<'_, f64>,
    offsets: PyReadonlyArray1<'_, i64>,
    items: &Bound<'_, PyAny>,
    config: &Bound<'_, PyAny>,
    id_field: &str,
    time_field: &str,
    missing_id_rows: Vec<usize>,
    duplicate_periods: Vec<(String, String, usize, usize)>,
    progress: Option<Bound<'_, PyAny>>,
    events: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let progress = progress_callback(py, progress)?;
    let events: forestock::events::PlanEvents = match events {
        Some(events) => from_py(py, "events", events)?,
        None => forestock::events::PlanEvents::default(),
    };
    let histories = sku_histories(py, &skus, &y, &offsets)?;
    let records: Vec<serde_json::Value> = from_py(py, "items", items)?;
    let config = with_defaults(py, "config", &PlanConfig::default(), config)?;
    let rows = core(py, read_item_rows(&records, id_field, FieldNames::Snake))?;
    let mut rejected: Vec<SkuFailure> = missing_ids(&missing_id_rows, id_field).into_iter().collect();
    rejected.extend(
        duplicate_periods
            .iter()
            .map(|(sku, period, first, row)| duplicate_period(sku, time_field, period, *first, *row)),
    );
    rejected.extend(rows.rejected);
    let mut output = core(
        py,
        interruptible_reporting(py, histories.len(), progress, |control| {
            run_plan_events(&histories, &rows.items, &rejected, &events, &config, control)
        })?,
    )?;
    // The item rows' notes first, then the run's own (e.g. implausible lead times).
    output.notes.splice(0..0, rows.notes);
    let audit = output.audit_entries(&config);
    to_py(py, &PlanReply { output: &output, audit })
}

/// What `plan` returns: the core's `PlanOutput` and the audit records the daily job appends.
#[derive(serde::Serialize)]
struct PlanReply<'a> {
    #[serde(flatten)]
    output: &'a forestock::plan::PlanOutput,
    audit: Vec<forestock::audit::AuditEntry>,
}

/// Catalogue classification (`forestock::plan::classify_catalogue`, GIL released): ABC class,
/// usage rank, annual value and service level of every SKU. Histories arrive concatenated (`y`,
/// `offsets`, as in `plan`); items as parallel columns `item_skus`, `unit_costs` and
/// `service_levels` (NaN = no override, a frame's empty cell); `config` a dict of
/// `PlanConfig` fields (`periods_per_year`, `abc`, `service_levels`; missing ones take the
/// core's defaults). Returns the `CatalogueClassification` (`classes`, `failures`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn classify_catalogue(
    py: Python<'_>,
    skus: Vec<String>,
    y: PyReadonlyArray1<'_, f64>,
    offsets: PyReadonlyArray1<'_, i64>,
    item_skus: Vec<String>,
    unit_costs: PyReadonlyArray1<'_, f64>,
    service_levels: PyReadonlyArray1<'_, f64>,
    config: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let histories = sku_histories(py, &skus, &y, &offsets)?;
    let config = with_defaults(py, "config", &PlanConfig::default(), config)?;
    let (unit_costs, service_levels) = (unit_costs.as_array(), service_levels.as_array());
    if unit_costs.len() != item_skus.len() || service_levels.len() != item_skus.len() {
        let reason = "item_skus, unit_costs and service_levels must have one entry per item";
        return Err(crate::errors::invalid_parameter(py, "items", unit_costs.len(), reason));
    }
    let items: Vec<CatalogueItem> = item_skus
        .into_iter()
        .zip(unit_costs.iter().zip(service_levels.iter()))
        .map(|(sku, (&unit_cost, &level))| CatalogueItem {
            sku,
            unit_cost,
            service_level: (!level.is_nan()).then_some(level),
        })
        .collect();
    let out = core(py, guarded(|| py.detach(|| core_classify_catalogue(&histories, &items, &config))))?;
    to_py(py, &out)
}

/// Rolling-origin backtest of the model `spec` (dict or JSON text) on `y` with a `BacktestConfig` dict;
/// returns the `BacktestResult`. Interruptible by Ctrl-C, inside each window's fit.
#[pyfunction]
pub(crate) fn backtest(
    py: Python<'_>,
    spec: &Bound<'_, PyAny>,
    y: PyReadonlyArray1<'_, f64>,
    config: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let spec = parse_spec(py, spec)?;
    let values = as_series(py, "y", &y)?;
    let config: BacktestConfig = from_py(py, "config", config)?;
    let result = core(py, interruptible(py, |control| backtest_with(values, &spec, &config, control))?)?;
    to_py(py, &result)
}
