//! Node bindings of forestock (package `forestock`, napi 3).
//!
//! This crate converts types and errors and moves heavy work to the libuv pool; every number comes
//! from the core crate `forestock`. A model class turns its options into a JSON
//! [`forestock::ModelSpec`] (`{"model":"seasonal_naive","season_length":12}`) that the core
//! deserialises, so exposing a new core model is one line in [`models`] plus its options struct.
//! Errors are JS `Error`s whose `code` is the core's stable [`forestock::Error::code`].
//!
//! | module | JS API |
//! |---|---|
//! | [`models`] | model classes (`AutoETS`, `ETS`, `HoltWinters`, Croston family, `TSB`, `ADIDA`, `IMAPA`, `AutoModel`, `Ensemble`, `Conformal`, ...): `fit`, `fitAsync`, `forecast` |
//! | [`decompose`] | `STL` (`decompose`), the results of `STL#decompose` and `MSTL#decompose` |
//! | `batch` | `forecastBatch` (Promise) |
//! | [`backtest`] | `backtest`, `backtestBatch` (Promises) |
//! | [`control`] | `signal` (AbortSignal) and `onProgress` options of the Promise-returning batch calls |
//! | [`inventory`] | `safetyStock`, `reorderPoint`, `eoq`, `abcClassify`, `recommend`, `simulatePolicy` |
//! | [`metrics`] | `mae`, `rmse`, `mape`, `smape`, `mase`, `bias`, `trackingSignal`, `welchTTest`, `ksTwoSample` |
//! | [`drift`] | `pageHinkley`, `cusum`, `retrainDecision` |
//! | [`plan`] | `plan` (Promise) |
//! | [`supply`] | `leadTimesFromReceipts`, `purchaseOrders` |
//! | [`telemetry`] | `runMetrics`, `prometheusText` (run metrics; the scheduler makes one per run) |
//! | [`registry`] | `Registry` (champion/challenger records), `retrain` (Promise) |
//! | [`audit`] | `AuditLog` (hash-chained log) |
//! | [`schedule`] | `cronNext`, `cronDescribe`, `schedulePlan`, `scheduleOnDue` (the decisions of the package's `scheduler.js`) |
//!
//! The package's hand-written `jobs.js` (`require('forestock/jobs')`) builds the scheduler's daily
//! planning and weekly retraining jobs from `plan` and `retrain`.
//!
//! Nested core inputs (demand models, service targets, policies) are read by the core's own serde
//! types after a camelCase -> snake_case key conversion (`convert`); see docs/node.md.
#![deny(missing_docs)]
// Under `cargo test` napi registers no exports, so the exported items look unused.
#![cfg_attr(test, allow(dead_code))]

pub mod anomaly;
pub mod audit;
pub mod backtest;
mod batch;
pub mod control;
mod convert;
pub mod decompose;
pub mod drift;
mod errors;
pub mod events;
pub mod feedback;
mod fitted;
pub mod inventory;
mod js_json;
pub mod metrics;
pub mod models;
mod option_keys;
pub mod plan;
pub mod registry;
pub mod schedule;
mod spec;
pub mod supply;
pub mod telemetry;
mod values;
