//! Every cross-cutting integration and fixture-driven parity test, as modules of one test binary:
//! one link of the core instead of one per file keeps a cold `make test` short. Run one file's tests
//! with a filter, e.g. `cargo test -p forestock-tests --test suite stores::`.

mod anomaly_eval;
mod anomaly_parity;
mod audit;
mod backtest;
mod closed_loop;
mod drift_scipy;
mod ensemble_public;
mod ets_gradient;
mod ets_parity;
mod ets_props;
mod ets_short_chain;
mod events;
mod feedback;
mod holt_winters_parity;
mod intermittent_parity;
mod inventory_simulation;
mod long_seasons;
mod metrics_parity;
mod module_graph;
mod mstl_parity;
mod naive_parity;
mod plan;
mod plan_cleaning;
mod plan_inputs;
mod registry;
mod sales_export;
mod schedule;
mod stl_parity;
mod stockpyl_parity;
mod stores;
mod supply;
mod theta_parity;
mod theta_public;
