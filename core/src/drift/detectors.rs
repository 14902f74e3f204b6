//! Sequential change detectors on forecast errors `e_t = y_t - ŷ_t`.
//!
//! - **Tracking signal** (Brown 1959; Trigg 1964): `TS = Σ e_t / MAD` with `MAD = mean |e_t|`.
//!   A persistent bias pushes `|TS|` beyond about 4 (the customary control limit, e.g. Silver, Pyke &
//!   Thomas, "Inventory and Production Management in Supply Chains", 4th ed., §4.8).
//! - **Page-Hinkley** (Page 1954, "Continuous inspection schemes", Biometrika 41; in the streaming form
//!   of Gama et al. 2014, "A survey on concept drift adaptation", ACM CSUR 46(4)): with the running
//!   mean `ē_t`, `U_t = Σ_{s<=t} (e_s - ē_s - δ)` detects an increase when `U_t - min_{s<=t} U_s > λ`,
//!   and `L_t = Σ_{s<=t} (e_s - ē_s + δ)` a decrease when `max_{s<=t} L_s - L_t > λ`.
//! - **Two-sided tabular CUSUM** (Page 1954; Montgomery, "Introduction to Statistical Quality
//!   Control", §9.1): with `z_t = (e_t - μ0) / σ`,
//!   `S⁺_t = max(0, S⁺_{t-1} + z_t - k)`, `S⁻_t = max(0, S⁻_{t-1} - z_t - k)`, alarm when either
//!   exceeds `h` (defaults `k = 0.5`, `h = 5`: a one-sigma shift is detected after about 10 periods,
//!   in-control average run length about 465).
//!
//! Every detector returns the whole statistic path so callers can plot or audit it, plus the index of
//! the first alarm.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::series::validate_finite;

/// Which way a detected shift went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftDirection {
    /// Errors increased (actuals above forecasts, i.e. under-forecasting, for `e = y - ŷ`).
    Up,
    /// Errors decreased (over-forecasting).
    Down,
}

/// The first alarm of a detector.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    /// 0-based index of the observation at which the statistic first crossed the threshold.
    pub index: usize,
    /// Direction of the shift.
    pub direction: ShiftDirection,
}

/// Output of a two-sided sequential detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorRun {
    /// First alarm, if any (the statistics keep running after it; see `up`/`down`).
    pub alarm: Option<Alarm>,
    /// Statistic for an upward shift at each index (`U_t - min U` or `S⁺_t`).
    pub up: Vec<f64>,
    /// Statistic for a downward shift at each index (`max L - L_t` or `S⁻_t`).
    pub down: Vec<f64>,
    /// The threshold the statistics were compared with.
    pub threshold: f64,
}

impl DetectorRun {
    /// Largest value reached by either statistic.
    pub fn max_statistic(&self) -> f64 {
        self.up.iter().chain(&self.down).fold(0.0, |m, v| m.max(*v))
    }

    fn from_paths(up: Vec<f64>, down: Vec<f64>, threshold: f64) -> Self {
        let alarm = up.iter().zip(&down).enumerate().find_map(|(index, (u, d))| {
            if *u > threshold {
                Some(Alarm { index, direction: ShiftDirection::Up })
            } else if *d > threshold {
                Some(Alarm { index, direction: ShiftDirection::Down })
            } else {
                None
            }
        });
        DetectorRun { alarm, up, down, threshold }
    }
}

fn positive_finite(name: &str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_parameter(name, value, "must be finite and > 0"))
    }
}

fn non_negative_finite(name: &str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid_parameter(name, value, "must be finite and >= 0"))
    }
}

/// Tracking signal `Σ e / mean|e|` of the forecast errors (`e = actual - forecast`).
///
/// Returns `0.0` when every error is zero (a perfect forecast carries no bias).
///
/// ```
/// let ts = forestock::drift::tracking_signal(&[1.0, 2.0, 1.5, 2.5])?; // all under-forecasts
/// assert!((ts - 4.0).abs() < 1e-12);                                   // = n when all errors share a sign
/// # Ok::<(), forestock::Error>(())
/// ```
pub fn tracking_signal(errors: &[f64]) -> Result<f64> {
    validate_finite(errors, 1, "tracking_signal")?;
    let sum: f64 = errors.iter().sum();
    let mad = errors.iter().map(|e| e.abs()).sum::<f64>() / errors.len() as f64;
    if mad == 0.0 {
        return Ok(0.0);
    }
    let ts = sum / mad;
    if ts.is_finite() {
        Ok(ts)
    } else {
        Err(Error::invalid_parameter("errors", "overflow", "errors too large to sum"))
    }
}

/// Settings of the Page-Hinkley detector.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageHinkley {
    /// Magnitude of change tolerated without alarm (`δ`, in error units, >= 0).
    pub delta: f64,
    /// Alarm threshold (`λ`, in error units, > 0).
    pub threshold: f64,
}

impl PageHinkley {
    /// Detector with tolerance `delta` and threshold `threshold` (validated by [`PageHinkley::run`]).
    pub fn new(delta: f64, threshold: f64) -> Self {
        PageHinkley { delta, threshold }
    }

    /// Run the two-sided test over `errors` (oldest first).
    pub fn run(&self, errors: &[f64]) -> Result<DetectorRun> {
        non_negative_finite("delta", self.delta)?;
        positive_finite("threshold", self.threshold)?;
        validate_finite(errors, 1, "PageHinkley")?;
        let mut mean = 0.0;
        let (mut u, mut u_min) = (0.0f64, 0.0f64);
        let (mut l, mut l_max) = (0.0f64, 0.0f64);
        let mut up = Vec::with_capacity(errors.len());
        let mut down = Vec::with_capacity(errors.len());
        for (t, &e) in errors.iter().enumerate() {
            mean += (e - mean) / (t + 1) as f64;
            u += e - mean - self.delta;
            l += e - mean + self.delta;
            u_min = u_min.min(u);
            l_max = l_max.max(l);
            up.push(u - u_min);
            down.push(l_max - l);
        }
        Ok(DetectorRun::from_paths(up, down, self.threshold))
    }
}

/// Settings of the two-sided tabular CUSUM.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cusum {
    /// In-control mean of the errors (`μ0`; 0 for an unbiased forecast).
    pub target: f64,
    /// In-control standard deviation of the errors (`σ`, > 0), e.g. from a baseline window.
    pub sigma: f64,
    /// Reference value (allowance) in units of `σ` (`k`, >= 0; default 0.5).
    pub k: f64,
    /// Decision interval in units of `σ` (`h`, > 0; default 5).
    pub h: f64,
}

impl Cusum {
    /// CUSUM around `target` with scale `sigma` and the textbook `k = 0.5`, `h = 5`.
    pub fn new(target: f64, sigma: f64) -> Self {
        Cusum { target, sigma, k: 0.5, h: 5.0 }
    }

    /// Run the two-sided CUSUM over `errors` (oldest first); paths are in units of `σ`.
    pub fn run(&self, errors: &[f64]) -> Result<DetectorRun> {
        if !self.target.is_finite() {
            return Err(Error::invalid_parameter("target", self.target, "must be finite"));
        }
        positive_finite("sigma", self.sigma)?;
        non_negative_finite("k", self.k)?;
        positive_finite("h", self.h)?;
        validate_finite(errors, 1, "Cusum")?;
        let (mut s_up, mut s_down) = (0.0f64, 0.0f64);
        let mut up = Vec::with_capacity(errors.len());
        let mut down = Vec::with_capacity(errors.len());
        for &e in errors {
            let z = (e - self.target) / self.sigma;
            s_up = (s_up + z - self.k).max(0.0);
            s_down = (s_down - z - self.k).max(0.0);
            up.push(s_up);
            down.push(s_down);
        }
        Ok(DetectorRun::from_paths(up, down, self.h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tracking_signal_by_hand() {
        // errors 2, -1, 3, 0: sum 4, MAD 6/4 = 1.5, TS = 8/3
        let ts = tracking_signal(&[2.0, -1.0, 3.0, 0.0]).expect("ts");
        assert!((ts - 8.0 / 3.0).abs() < 1e-12);
        assert_eq!(tracking_signal(&[0.0, 0.0]).expect("ts"), 0.0);
        assert!(tracking_signal(&[]).is_err());
        assert!(tracking_signal(&[1.0, f64::NAN]).is_err());
        assert!(tracking_signal(&[f64::MAX, f64::MAX]).is_err());
    }

    #[test]
    fn cusum_by_hand() {
        // z = 1, 1, 1, -3: S+ = 0.5, 1.0, 1.5, 0; S- = 0, 0, 0, 2.5
        let run = Cusum { target: 0.0, sigma: 2.0, k: 0.5, h: 2.0 }.run(&[2.0, 2.0, 2.0, -6.0]).expect("cusum");
        assert_eq!(run.up, vec![0.5, 1.0, 1.5, 0.0]);
        assert_eq!(run.down, vec![0.0, 0.0, 0.0, 2.5]);
        assert_eq!(run.alarm, Some(Alarm { index: 3, direction: ShiftDirection::Down }));
    }

    #[test]
    fn cusum_detects_a_one_sigma_shift_within_about_ten_periods() {
        let mut rng = crate::random::Rng::new(7);
        let mut errors: Vec<f64> = (0..100).map(|_| rng.normal()).collect();
        errors.extend((0..60).map(|_| 1.0 + rng.normal()));
        let run = Cusum::new(0.0, 1.0).run(&errors).expect("cusum");
        let alarm = run.alarm.expect("shift detected");
        assert_eq!(alarm.direction, ShiftDirection::Up);
        assert!((100..125).contains(&alarm.index), "alarm at {}", alarm.index);
    }

    #[test]
    fn page_hinkley_by_hand_and_on_a_shift() {
        // e = 0, 0, 4: means 0, 0, 4/3; U = 0, 0, 8/3 (delta 0) -> up path 0, 0, 8/3.
        let run = PageHinkley::new(0.0, 2.0).run(&[0.0, 0.0, 4.0]).expect("ph");
        assert!((run.up[2] - 8.0 / 3.0).abs() < 1e-12);
        assert_eq!(run.alarm, Some(Alarm { index: 2, direction: ShiftDirection::Up }));
        let mut rng = crate::random::Rng::new(11);
        let mut errors: Vec<f64> = (0..200).map(|_| rng.normal()).collect();
        errors.extend((0..100).map(|_| -2.0 + rng.normal()));
        let run = PageHinkley::new(0.5, 25.0).run(&errors).expect("ph");
        let alarm = run.alarm.expect("shift detected");
        assert_eq!(alarm.direction, ShiftDirection::Down);
        assert!((200..240).contains(&alarm.index), "alarm at {}", alarm.index);
    }

    #[test]
    fn invalid_settings_are_rejected() {
        assert!(Cusum::new(0.0, 0.0).run(&[1.0]).is_err());
        assert!(Cusum { h: f64::NAN, ..Cusum::new(0.0, 1.0) }.run(&[1.0]).is_err());
        assert!(Cusum::new(f64::INFINITY, 1.0).run(&[1.0]).is_err());
        assert!(PageHinkley::new(-1.0, 1.0).run(&[1.0]).is_err());
        assert!(PageHinkley::new(0.0, 0.0).run(&[1.0]).is_err());
        assert!(PageHinkley::new(0.0, 1.0).run(&[]).is_err());
    }

    proptest! {
        #[test]
        fn paths_are_non_negative_and_alarm_is_the_first_crossing(
            errors in proptest::collection::vec(-100.0f64..100.0, 1..200),
            h in 0.5f64..20.0,
        ) {
            for run in [
                Cusum { target: 0.0, sigma: 3.0, k: 0.5, h }.run(&errors).expect("cusum"),
                PageHinkley::new(0.1, h).run(&errors).expect("ph"),
            ] {
                prop_assert_eq!(run.up.len(), errors.len());
                prop_assert!(run.up.iter().chain(&run.down).all(|v| *v >= 0.0));
                let first = run.up.iter().zip(&run.down).position(|(u, d)| *u > h || *d > h);
                prop_assert_eq!(run.alarm.map(|a| a.index), first);
            }
        }
    }
}
