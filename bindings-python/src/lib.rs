//! `forestock._native`: the compiled half of the Python package `forestock`.
//!
//! This crate converts types and errors and nothing else: every number comes from the core crate
//! `forestock`. A model is named by a [`forestock::ModelSpec`] dict (`{"model": "seasonal_naive",
//! "season_length": 12}`) that the Python classes build from their settings, so exposing a new core
//! model needs no Rust change here. Heavy work runs with the GIL released (`Python::detach`); the
//! long batch calls (forecast batch, plan, retrain) also stop on Ctrl-C (`interrupt`).
#![deny(missing_docs)]

use pyo3::prelude::*;

mod anomaly;
mod args;
mod audit;
mod batch;
mod decompose;
mod drift;
mod errors;
mod feedback;
mod fitted;
mod instant;
mod interrupt;
mod inventory;
mod json;
mod periods;
mod planning;
mod registry;
mod retrain;
mod schedule;
mod spec;
mod stats;
mod supply;
mod telemetry;

/// The extension module, imported as `forestock._native`.
#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    // Chain-violation context (set on the instances `AuditLog.verify` raises), None elsewhere.
    let corrupt = m.getattr("CorruptRecordError")?;
    corrupt.setattr("position", m.py().None())?;
    corrupt.setattr("violation", m.py().None())?;
    m.add_class::<fitted::FittedModel>()?;
    m.add_function(wrap_pyfunction!(fitted::fit, m)?)?;
    m.add_function(wrap_pyfunction!(batch::forecast_batch, m)?)?;
    m.add_function(wrap_pyfunction!(batch::forecast_batch_with_events, m)?)?;
    m.add_function(wrap_pyfunction!(spec::normalize_spec, m)?)?;
    m.add_function(wrap_pyfunction!(decompose::stl_decompose, m)?)?;
    m.add_function(wrap_pyfunction!(decompose::mstl_decompose, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::safety_stock, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::eoq, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::abc_classify, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::classify_demand, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::recommend, m)?)?;
    m.add_function(wrap_pyfunction!(inventory::simulate_policy, m)?)?;
    m.add_function(wrap_pyfunction!(supply::lead_times_from_receipts, m)?)?;
    m.add_function(wrap_pyfunction!(supply::purchase_orders, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly::detect_anomalies, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly::tsoutliers, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly::na_interp, m)?)?;
    m.add_function(wrap_pyfunction!(stats::accuracy, m)?)?;
    m.add_function(wrap_pyfunction!(stats::mase, m)?)?;
    m.add_function(wrap_pyfunction!(telemetry::run_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(telemetry::prometheus_text, m)?)?;
    m.add_function(wrap_pyfunction!(feedback::record_decision, m)?)?;
    m.add_function(wrap_pyfunction!(feedback::record_actuals, m)?)?;
    m.add_function(wrap_pyfunction!(feedback::adapted_weights, m)?)?;
    m.add_function(wrap_pyfunction!(feedback::feedback_report, m)?)?;
    m.add_function(wrap_pyfunction!(feedback::realised_accuracy, m)?)?;
    m.add_function(wrap_pyfunction!(stats::welch_t_test, m)?)?;
    m.add_function(wrap_pyfunction!(stats::ks_2samp, m)?)?;
    m.add_function(wrap_pyfunction!(periods::regularize, m)?)?;
    m.add_function(wrap_pyfunction!(periods::future_periods, m)?)?;
    m.add_function(wrap_pyfunction!(planning::plan, m)?)?;
    m.add_function(wrap_pyfunction!(planning::backtest, m)?)?;
    m.add_function(wrap_pyfunction!(planning::classify_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(schedule::cron_next, m)?)?;
    m.add_function(wrap_pyfunction!(schedule::schedule_plan, m)?)?;
    m.add_function(wrap_pyfunction!(schedule::schedule_on_due, m)?)?;
    m.add_function(wrap_pyfunction!(drift::page_hinkley, m)?)?;
    m.add_function(wrap_pyfunction!(drift::cusum, m)?)?;
    m.add_function(wrap_pyfunction!(drift::default_cusum, m)?)?;
    m.add_function(wrap_pyfunction!(drift::default_retrain_policy, m)?)?;
    m.add_function(wrap_pyfunction!(drift::retrain_decision, m)?)?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_class::<audit::PyAuditLog>()?;
    m.add_function(wrap_pyfunction!(retrain::weekly_retrain_config, m)?)?;
    m.add_function(wrap_pyfunction!(retrain::retrain, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
