//! The planning job and rolling-origin backtests: conversion around `forestock::plan::run_plan`
//! and `forestock::backtest::backtest`, both run with the GIL released.

use forestock::backtest::{backtest as core_backtest, BacktestConfig};
use forestock::plan::{run_plan_with, ItemMaster, PlanConfig};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::errors::guarded;

use crate::batch::sku_histories;
use crate::fitted::as_series;
use crate::interrupt::interruptible;
use crate::json::{core, from_json, to_json, with_defaults};
use crate::spec::parse_spec;

/// Run the planning job. Demand histories arrive concatenated (`y`, `offsets` of length
/// `len(skus) + 1`, as in `forecast_batch`); `items` is a JSON list of the core's `ItemMaster`;
/// `config` a JSON object of `PlanConfig` fields (missing ones take the core's defaults).
/// Returns JSON `PlanOutput` (`plans`, `failures`, `stats`).
#[pyfunction]
pub(crate) fn plan(
    py: Python<'_>,
    skus: Vec<String>,
    y: PyReadonlyArray1<'_, f64>,
    offsets: PyReadonlyArray1<'_, i64>,
    items: &str,
    config: &str,
) -> PyResult<String> {
    let histories = sku_histories(py, &skus, &y, &offsets)?;
    let items: Vec<ItemMaster> = from_json(py, "items", items)?;
    let config = with_defaults(py, "config", &PlanConfig::default(), config)?;
    let output = core(py, interruptible(py, |control| run_plan_with(&histories, &items, &config, control))?)?;
    to_json(py, &output)
}

/// Rolling-origin backtest of the JSON model `spec` on `y` with a JSON `BacktestConfig`;
/// returns JSON `BacktestResult`.
#[pyfunction]
pub(crate) fn backtest(py: Python<'_>, spec: &str, y: PyReadonlyArray1<'_, f64>, config: &str) -> PyResult<String> {
    let spec = core(py, guarded(|| parse_spec(spec)))?;
    let values = as_series(py, "y", &y)?;
    let config: BacktestConfig = from_json(py, "config", config)?;
    let result = core(py, guarded(|| py.detach(|| core_backtest(values, &spec, &config))))?;
    to_json(py, &result)
}
