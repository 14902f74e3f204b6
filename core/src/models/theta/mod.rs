//! The Theta family: [`Theta`] (R `forecast::thetaf`, at parity) and [`AutoTheta`] (the four
//! state-space theta models of Fiorucci et al. 2016, selected by in-sample MSE).
//!
//! * `seasonality`: `thetaf`'s seasonality test and the multiplicative seasonal adjustment, shared
//!   by both models;
//! * `standard`: [`Theta`], SES with drift (Hyndman & Billah 2003);
//! * `state_space`: the recursions of the standard / dynamic, fixed / optimised theta models;
//! * `criterion`: [`AutoTheta`]'s least-squares criterion and its search over α;
//! * `auto`: [`AutoTheta`], estimation of each variant and selection.
//!
//! See `docs/models.md` for the formulas.

mod auto;
mod criterion;
pub(crate) mod seasonality;
mod standard;
mod state_space;

pub use auto::{AutoTheta, AutoThetaFit, ThetaVariant, VariantEstimate, AUTO_THETA_MAX_HORIZON, AUTO_THETA_MIN_LENGTH};
pub use seasonality::SeasonalTest;
pub use standard::{Theta, ThetaFit, THETA_MIN_LENGTH};
