//! Discrete demand distributions for slow-moving and intermittent items.
//!
//! Normal theory gives nonsense for an item selling 0.3 units a period (fractional, often negative
//! "safety stock" quantiles). Following Silver, Pyke & Thomas (2017, §8.4) and Syntetos & Boylan's
//! recommendation for intermittent demand, lead-time demand is modelled as
//!
//! - Poisson(μ) when the variance does not exceed the mean (pure random arrivals of unit demand), or
//! - negative binomial with the same mean μ and variance V > μ (a gamma-Poisson mixture, the usual
//!   model of lumpy demand): `r = μ² / (V - μ)`, `p = μ / V`, `P(X = x) = C(x + r - 1, x) p^r (1-p)^x`.
//!
//! Loss functions follow stockpyl 1.0.2 (`poisson_loss`, `negative_binomial_loss`):
//! `n(x) = E[(X - x)^+]`, `n̄(x) = E[(x - X)^+] = x - μ + n(x)`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Discrete, DiscreteCDF, NegativeBinomial, Poisson};

use super::non_negative;
use crate::error::{Error, Result};

/// Largest mean accepted by the discrete models (far beyond any intermittent item; keeps integer
/// levels representable).
pub const MAX_DISCRETE_MEAN: f64 = 1e12;

/// A non-negative integer demand distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "snake_case")]
pub enum DiscreteDemand {
    /// Demand identically zero.
    Zero,
    /// Poisson with the given mean.
    Poisson {
        /// Mean (= variance).
        mean: f64,
    },
    /// Negative binomial (number of failures before `r` successes with success probability `p`).
    NegativeBinomial {
        /// Shape `r > 0`.
        r: f64,
        /// Success probability `p` in (0, 1).
        p: f64,
    },
}

impl DiscreteDemand {
    /// Poisson when `variance <= mean`, otherwise the negative binomial matching both moments;
    /// [`DiscreteDemand::Zero`] for zero mean.
    pub fn from_moments(mean: f64, variance: f64) -> Result<Self> {
        let mean = non_negative("demand_mean", mean)?;
        let variance = non_negative("demand_variance", variance)?;
        if mean == 0.0 {
            return Ok(DiscreteDemand::Zero);
        }
        if variance <= mean * (1.0 + 1e-9) {
            return Ok(DiscreteDemand::Poisson { mean });
        }
        Ok(DiscreteDemand::NegativeBinomial { r: mean * mean / (variance - mean), p: mean / variance })
    }

    /// Mean of the distribution.
    pub fn mean(&self) -> f64 {
        match *self {
            DiscreteDemand::Zero => 0.0,
            DiscreteDemand::Poisson { mean } => mean,
            DiscreteDemand::NegativeBinomial { r, p } => r * (1.0 - p) / p,
        }
    }

    /// Variance of the distribution.
    pub fn variance(&self) -> f64 {
        match *self {
            DiscreteDemand::Zero => 0.0,
            DiscreteDemand::Poisson { mean } => mean,
            DiscreteDemand::NegativeBinomial { r, p } => r * (1.0 - p) / (p * p),
        }
    }

    fn evaluator(&self) -> Result<Evaluator> {
        let bad = |e: String| Error::invalid_parameter("demand_distribution", format!("{self:?}"), e);
        if !(self.mean() <= MAX_DISCRETE_MEAN && self.variance() <= MAX_DISCRETE_MEAN * MAX_DISCRETE_MEAN) {
            return Err(bad(format!("mean must be at most {MAX_DISCRETE_MEAN:e} for a discrete model")));
        }
        Ok(match *self {
            DiscreteDemand::Zero => Evaluator::Zero,
            DiscreteDemand::Poisson { mean } => Evaluator::Poisson(Poisson::new(mean).map_err(|e| bad(e.to_string()))?),
            DiscreteDemand::NegativeBinomial { r, p } => {
                Evaluator::NegBin(NegativeBinomial::new(r, p).map_err(|e| bad(e.to_string()))?)
            }
        })
    }

    /// `P(X = x)`.
    pub fn pmf(&self, x: u64) -> Result<f64> {
        Ok(self.evaluator()?.pmf(x))
    }

    /// `P(X <= x)`.
    pub fn cdf(&self, x: u64) -> Result<f64> {
        Ok(self.evaluator()?.cdf(x))
    }

    /// Smallest integer `x` with `P(X <= x) >= prob` (prob in (0, 1)).
    pub fn quantile(&self, prob: f64) -> Result<u64> {
        super::open_probability("probability", prob)?;
        let ev = self.evaluator()?;
        // Bracket then bisect: smallest x with F(x) >= prob (F is non-decreasing).
        let sd = self.variance().sqrt();
        let mut hi = (self.mean() + 6.0 * sd).ceil().max(1.0) as u64;
        let mut doublings = 0;
        while ev.cdf(hi) < prob {
            hi = hi.saturating_mul(2);
            doublings += 1;
            if doublings > 64 {
                return Err(Error::invalid_parameter("probability", prob, "quantile search did not end"));
            }
        }
        let mut lo = (self.mean() - 6.0 * sd).floor().max(0.0) as u64;
        if lo > hi || ev.cdf(lo) >= prob {
            lo = 0;
        }
        if ev.cdf(lo) >= prob {
            return Ok(lo);
        }
        // Invariant: F(lo) < prob <= F(hi).
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ev.cdf(mid) >= prob {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }

    /// First-order loss `n(x) = E[(X - x)^+]` at integer `x` (any sign), with its complement
    /// `n̄(x) = E[(x - X)^+] = x - μ + n(x)`; returned as `(n, n̄)`.
    pub fn loss(&self, x: i64) -> Result<(f64, f64)> {
        let ev = self.evaluator()?;
        let mu = self.mean();
        if x < 0 {
            let n = mu - x as f64;
            return Ok((n, 0.0));
        }
        // n̄(x) = Σ_{k<=x} (x - k) P(k) = Σ_{j<x} F(j): robust for every distribution.
        let xu = x as u64;
        let n_bar = match *self {
            DiscreteDemand::Zero => x as f64,
            // Closed forms (stockpyl conventions): Poisson n = -(x-μ)(1-F) + μ f.
            DiscreteDemand::Poisson { mean } => (x as f64 - mean) * ev.cdf(xu) + mean * ev.pmf(xu),
            DiscreteDemand::NegativeBinomial { r, p } => {
                let beta = (1.0 - p) / p;
                let n = -(x as f64 - r * beta) * (1.0 - ev.cdf(xu)) + (x as f64 + r) * beta * ev.pmf(xu);
                return Ok((n.max(0.0), (x as f64 - mu + n).max(0.0)));
            }
        };
        let n = (n_bar - x as f64 + mu).max(0.0);
        Ok((n, n_bar.max(0.0)))
    }
}

enum Evaluator {
    Zero,
    Poisson(Poisson),
    NegBin(NegativeBinomial),
}

impl Evaluator {
    fn pmf(&self, x: u64) -> f64 {
        match self {
            Evaluator::Zero => f64::from(u8::from(x == 0)),
            Evaluator::Poisson(d) => d.pmf(x),
            Evaluator::NegBin(d) => d.pmf(x),
        }
    }
    fn cdf(&self, x: u64) -> f64 {
        match self {
            Evaluator::Zero => 1.0,
            Evaluator::Poisson(d) => d.cdf(x),
            Evaluator::NegBin(d) => d.cdf(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_round_trip_and_quantiles() -> Result<()> {
        let d = DiscreteDemand::from_moments(2.0, 6.0)?;
        assert!((d.mean() - 2.0).abs() < 1e-12 && (d.variance() - 6.0).abs() < 1e-12);
        let q = d.quantile(0.9)?;
        assert!(d.cdf(q)? >= 0.9 && (q == 0 || d.cdf(q - 1)? < 0.9));
        let p = DiscreteDemand::from_moments(3.0, 2.0)?;
        assert_eq!(p, DiscreteDemand::Poisson { mean: 3.0 });
        assert_eq!(DiscreteDemand::from_moments(0.0, 0.0)?.quantile(0.99)?, 0);
        let big = DiscreteDemand::from_moments(2000.0, 2000.0)?;
        let q = big.quantile(0.5)?;
        assert!((q as f64 - 2000.0).abs() < 2.0);
        assert!(DiscreteDemand::from_moments(f64::NAN, 1.0).is_err());
        Ok(())
    }

    #[test]
    fn loss_matches_direct_sum() -> Result<()> {
        for d in [DiscreteDemand::from_moments(2.5, 2.5)?, DiscreteDemand::from_moments(1.2, 5.0)?] {
            for x in [-2i64, 0, 1, 4, 9] {
                let direct: f64 = (0..400u64).map(|k| (k as f64 - x as f64).max(0.0) * d.pmf(k).unwrap_or(0.0)).sum();
                let (n, _) = d.loss(x)?;
                assert!((n - direct).abs() < 1e-10, "{d:?} x={x}: {n} vs {direct}");
            }
        }
        Ok(())
    }
}
