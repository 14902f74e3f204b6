//! The Syntetos-Boylan demand pattern of a history (Syntetos, Boylan & Croston 2005, *JORS*
//! 56:495-503): `ADI = n / m`, the number of periods `n` in the history divided by the number of
//! non-zero demand periods `m` (the average inter-demand interval, counting the history as a whole),
//! and `CV²` of the non-zero demand sizes (population variance / mean²). Cut-offs ADI 1.32 and CV²
//! 0.49: smooth (ADI < 1.32, CV² < 0.49), erratic (ADI < 1.32, CV² >= 0.49), intermittent (ADI >=
//! 1.32, CV² < 0.49), lumpy (ADI >= 1.32, CV² >= 0.49).
//!
//! A module of its own, below the models (`AutoModel` routes on the pattern) and inventory (which
//! re-exports it in `inventory::abc` beside ABC and XYZ), so neither imports the other for it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::series::non_negative_slice;

/// Syntetos-Boylan demand pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandPattern {
    /// Frequent demand of regular size (ADI < 1.32, CV² < 0.49).
    Smooth,
    /// Frequent demand of irregular size (ADI < 1.32, CV² >= 0.49).
    Erratic,
    /// Infrequent demand of regular size (ADI >= 1.32, CV² < 0.49).
    Intermittent,
    /// Infrequent demand of irregular size (ADI >= 1.32, CV² >= 0.49).
    Lumpy,
    /// No demand at all in the history (ADI undefined).
    NoDemand,
}

impl DemandPattern {
    /// The serialized name: `"smooth"`, `"erratic"`, `"intermittent"`, `"lumpy"` or `"no_demand"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DemandPattern::Smooth => "smooth",
            DemandPattern::Erratic => "erratic",
            DemandPattern::Intermittent => "intermittent",
            DemandPattern::Lumpy => "lumpy",
            DemandPattern::NoDemand => "no_demand",
        }
    }

    /// Intermittent or lumpy: normal theory is a poor model for these.
    pub fn is_sporadic(&self) -> bool {
        matches!(self, DemandPattern::Intermittent | DemandPattern::Lumpy)
    }
}

/// Syntetos-Boylan classification with the statistics it used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DemandClassification {
    /// Average demand interval `n / m` (`+∞` without demand).
    pub adi: f64,
    /// Squared CV of the non-zero demand sizes (0 without demand).
    pub cv2: f64,
    /// Number of periods with non-zero demand.
    pub nonzero_periods: usize,
    /// The resulting pattern.
    pub pattern: DemandPattern,
}

/// Syntetos-Boylan cut-off on the average demand interval.
pub const ADI_CUTOFF: f64 = 1.32;
/// Syntetos-Boylan cut-off on the squared CV of demand sizes.
pub const CV2_CUTOFF: f64 = 0.49;

/// Syntetos-Boylan classification of a demand history (module docs give the definitions).
///
/// ```
/// use forestock::demand::{classify_demand, DemandPattern};
/// let c = classify_demand(&[0.0, 3.0, 0.0, 0.0, 3.0, 0.0, 4.0, 0.0])?;
/// assert_eq!(c.adi, 8.0 / 3.0);
/// assert_eq!(c.pattern, DemandPattern::Intermittent);
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn classify_demand(demand: &[f64]) -> Result<DemandClassification> {
    if demand.is_empty() {
        return Err(Error::EmptySeries);
    }
    non_negative_slice("demand", demand)?;
    let sizes: Vec<f64> = demand.iter().copied().filter(|&v| v > 0.0).collect();
    if sizes.is_empty() {
        return Ok(DemandClassification {
            adi: f64::INFINITY,
            cv2: 0.0,
            nonzero_periods: 0,
            pattern: DemandPattern::NoDemand,
        });
    }
    let adi = demand.len() as f64 / sizes.len() as f64;
    let (mean, var) = mean_and_population_variance(&sizes);
    let cv2 = var / (mean * mean);
    let pattern = match (adi < ADI_CUTOFF, cv2 < CV2_CUTOFF) {
        (true, true) => DemandPattern::Smooth,
        (true, false) => DemandPattern::Erratic,
        (false, true) => DemandPattern::Intermittent,
        (false, false) => DemandPattern::Lumpy,
    };
    Ok(DemandClassification { adi, cv2, nonzero_periods: sizes.len(), pattern })
}

pub(crate) fn mean_and_population_variance(y: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var)
}
