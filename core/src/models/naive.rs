//! Naive and seasonal naive forecasts (random walk and seasonal random walk).
//!
//! `ŷ_{T+h} = y_{T+h-m(⌊(h-1)/m⌋+1)}`: the last observed value of the same season. With `m = 1` this is
//! the naive (random walk) forecast. Prediction intervals follow Hyndman & Athanasopoulos, *Forecasting:
//! Principles and Practice* (3rd ed., §5.5) and R's `forecast::snaive`:
//! `σ̂_h = σ̂ √(⌊(h-1)/m⌋ + 1)`, with `σ̂² = mean of squared one-step residuals`.

use serde::{Deserialize, Serialize};

use super::{finite_forecast, normal_intervals, response_residuals, validate_request, Fitted, Forecast, Forecaster};
use crate::error::Result;
use crate::series::{validate_finite, validate_season_length};

/// Naive (random walk) forecaster: every future value equals the last observation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Naive {}

impl Naive {
    /// A naive forecaster.
    pub fn new() -> Self {
        Naive {}
    }
}

/// Seasonal naive forecaster: every future value equals the last observation of the same season.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SeasonalNaive {
    /// Number of periods in a season (12 for monthly data with yearly seasonality).
    pub season_length: usize,
}

impl SeasonalNaive {
    /// A seasonal naive forecaster with the given season length.
    pub fn new(season_length: usize) -> Self {
        SeasonalNaive { season_length }
    }
}

/// A fitted seasonal random walk (the naive model is the case `m = 1`).
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonalNaiveFit {
    season_length: usize,
    last_season: Vec<f64>,
    fitted: Vec<f64>,
    residuals: Vec<f64>,
    sigma: f64,
}

/// A fitted naive model.
pub type NaiveFit = SeasonalNaiveFit;

impl SeasonalNaiveFit {
    fn estimate(y: &[f64], m: usize, context: &str) -> Result<Self> {
        validate_season_length(m)?;
        validate_finite(y, m + 1, context)?;
        let fitted: Vec<f64> = (0..y.len()).map(|t| if t >= m { y[t - m] } else { f64::NAN }).collect();
        let residuals = response_residuals(y, &fitted);
        let defined: Vec<f64> = residuals.iter().copied().filter(|r| r.is_finite()).collect();
        let sigma = (defined.iter().map(|r| r * r).sum::<f64>() / defined.len() as f64).sqrt();
        Ok(SeasonalNaiveFit { season_length: m, last_season: y[y.len() - m..].to_vec(), fitted, residuals, sigma })
    }

    /// Residual standard deviation `σ̂` of the one-step forecasts.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

impl Forecaster for Naive {
    type Model = NaiveFit;
    fn fit(&self, y: &[f64]) -> Result<NaiveFit> {
        SeasonalNaiveFit::estimate(y, 1, "Naive")
    }
}

impl Forecaster for SeasonalNaive {
    type Model = SeasonalNaiveFit;
    fn fit(&self, y: &[f64]) -> Result<SeasonalNaiveFit> {
        SeasonalNaiveFit::estimate(y, self.season_length, "SeasonalNaive")
    }
}

impl Fitted for SeasonalNaiveFit {
    fn predict(&self, h: usize, levels: &[f64]) -> Result<Forecast> {
        validate_request(h, levels)?;
        let m = self.season_length;
        let mean: Vec<f64> = (0..h).map(|i| self.last_season[i % m]).collect();
        let sd: Vec<f64> = (0..h).map(|i| self.sigma * ((i / m + 1) as f64).sqrt()).collect();
        let intervals = normal_intervals(&mean, &sd, levels);
        finite_forecast(&self.description(), Forecast { mean, intervals })
    }

    fn fitted_values(&self) -> &[f64] {
        &self.fitted
    }

    fn residuals(&self) -> Vec<f64> {
        self.residuals.clone()
    }

    fn description(&self) -> String {
        if self.season_length == 1 {
            "Naive".to_string()
        } else {
            format!("SeasonalNaive(m={})", self.season_length)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_repeats_last_season() {
        let y = [1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 5.0];
        let fc = SeasonalNaive::new(4).fit(&y).expect("fit").predict(6, &[95.0]).expect("predict");
        assert_eq!(fc.mean, vec![2.0, 3.0, 4.0, 5.0, 2.0, 3.0]);
        let iv = &fc.intervals[0];
        // sigma = 1 (every residual is 1); step 5 has sqrt(2) the width of step 1.
        let w1 = iv.upper[0] - iv.lower[0];
        let w5 = iv.upper[4] - iv.lower[4];
        assert!((w5 / w1 - 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(Naive::new().fit(&[1.0]).is_err());
        assert!(SeasonalNaive::new(0).fit(&[1.0, 2.0]).is_err());
        assert!(SeasonalNaive::new(4).fit(&[1.0, 2.0, 3.0, 4.0]).is_err());
        let fit = Naive::new().fit(&[1.0, 2.0]).expect("fit");
        assert!(fit.predict(0, &[]).is_err());
        assert!(fit.predict(1, &[100.0]).is_err());
    }
}
