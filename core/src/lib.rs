//! # forestock
//!
//! Embeddable demand forecasting and reorder decisions in pure Rust.
//!
//! - [`models`]: seasonal naive, the ETS family with automatic selection, Holt-Winters, intermittent
//!   demand methods, behind the [`Forecaster`] / [`Fitted`] traits and the serializable [`ModelSpec`].
//! - [`inventory`]: classification, service levels, safety stock, reorder points, lot sizing, simulation.
//! - [`drift`], [`registry`], [`audit`], [`schedule`], [`plan`]: the operational side.
//!
//! ```
//! use forestock::models::{Forecaster, Fitted, SeasonalNaive};
//! let y: Vec<f64> = (0..48).map(|t| 100.0 + 10.0 * ((t % 12) as f64)).collect();
//! let fit = SeasonalNaive::new(12).fit(&y)?;
//! let fc = fit.predict(6, &[80.0, 95.0])?;
//! assert_eq!(fc.mean.len(), 6);
//! assert!(fc.intervals[1].lower[0] <= fc.intervals[0].lower[0]);
//! # Ok::<(), forestock::Error>(())
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod anomaly;
pub mod audit;
/// Rolling-origin evaluation of models, which lives under [`models`] because the ensemble (itself a
/// model) weights its members by it; re-exported here so `forestock::backtest` keeps its path.
pub use models::backtest;
pub mod control;
pub mod demand;
pub mod drift;
/// The ensemble and conformal wrappers, which live under [`models`] (they are models built from
/// models); re-exported here so `forestock::ensemble::Ensemble` keeps its path.
pub use models::ensemble;
pub mod error;
pub mod events;
pub mod feedback;
pub mod inventory;
pub mod limits;
pub mod metrics;
pub mod models;
pub mod options;
pub mod periods;
pub mod plan;
pub mod random;
pub mod registry;
pub mod schedule;
pub mod series;
pub mod store;
pub mod supply;
pub mod telemetry;

pub use error::{Error, Result};
pub use models::{Fitted, Forecast, Forecaster, ModelSpec, PredictionInterval};
