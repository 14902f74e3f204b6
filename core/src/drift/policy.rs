//! The retrain decision: should a SKU's model be re-estimated now?
//!
//! [`RetrainPolicy::decide`] checks, in this order, and reports every rule that fires:
//!
//! 1. accuracy: recent MAPE above `max_mape` percent (default 30), recent MASE above `max_mase`
//!    (off by default);
//! 2. drift: the recent forecast errors differ from the baseline errors at level `drift_alpha`
//!    (default 0.05). The default test is Welch's one-sided t-test that the recent **absolute** errors
//!    are larger on average than the baseline ones ("recent worse than baseline"); the two-sample KS test
//!    on the signed errors (any change of the error distribution, bias included) can be chosen instead
//!    or in addition. The check is skipped (and reported in `skipped`) when either window has fewer
//!    than `min_drift_window` errors or the test is undefined (all errors identical);
//! 3. age: the model was estimated more than `max_model_age_days` days (default 7) before `now`.
//!
//! Times are supplied by the caller (the core never reads a clock), so a decision is reproducible.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ks_two_sample, welch_t_test};
use crate::error::{Error, Result};

/// Which statistical test the drift rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DriftTest {
    /// Welch one-sided t-test: mean recent |error| > mean baseline |error|.
    #[default]
    WelchRecentWorse,
    /// Two-sample Kolmogorov-Smirnov test on the signed errors.
    KolmogorovSmirnov,
    /// Both tests; the rule fires if either rejects.
    Both,
}

/// Thresholds of the retrain decision. `None` disables a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetrainPolicy {
    /// Retrain when the recent MAPE (percent) exceeds this. Default `Some(30.0)`.
    pub max_mape: Option<f64>,
    /// Retrain when the recent MASE exceeds this. Default `None`.
    pub max_mase: Option<f64>,
    /// Significance level of the drift test. Default `Some(0.05)`.
    pub drift_alpha: Option<f64>,
    /// Which drift test to run. Default [`DriftTest::WelchRecentWorse`].
    pub drift_test: DriftTest,
    /// Minimum number of errors in each window for the drift test to run. Default 5.
    pub min_drift_window: usize,
    /// Retrain when the model is older than this many days. Default `Some(7.0)`.
    pub max_model_age_days: Option<f64>,
}

impl Default for RetrainPolicy {
    fn default() -> Self {
        RetrainPolicy {
            max_mape: Some(30.0),
            max_mase: None,
            drift_alpha: Some(0.05),
            drift_test: DriftTest::WelchRecentWorse,
            min_drift_window: 5,
            max_model_age_days: Some(7.0),
        }
    }
}

/// What the policy looks at for one SKU.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelHealth<'a> {
    /// MAPE (percent) of the current model over the recent window, if defined.
    pub mape: Option<f64>,
    /// MASE of the current model over the recent window, if computed.
    pub mase: Option<f64>,
    /// Forecast errors (`actual - forecast`) of a reference period, e.g. the backtest.
    pub baseline_errors: &'a [f64],
    /// Forecast errors of the most recent periods.
    pub recent_errors: &'a [f64],
    /// When the current model was estimated.
    pub trained_at: DateTime<Utc>,
    /// The decision time (given by the caller: no clock is read).
    pub now: DateTime<Utc>,
}

/// The test that detected drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftTestKind {
    /// Welch one-sided t-test on absolute errors.
    WelchRecentWorse,
    /// Two-sample Kolmogorov-Smirnov on signed errors.
    KolmogorovSmirnov,
}

/// Why a retrain was recommended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Recent MAPE above the threshold.
    MapeAboveThreshold {
        /// Observed MAPE (percent).
        mape: f64,
        /// Policy threshold (percent).
        threshold: f64,
    },
    /// Recent MASE above the threshold.
    MaseAboveThreshold {
        /// Observed MASE.
        mase: f64,
        /// Policy threshold.
        threshold: f64,
    },
    /// Recent errors differ significantly from the baseline errors.
    ErrorDrift {
        /// Which test rejected.
        test: DriftTestKind,
        /// Its statistic (t or D).
        statistic: f64,
        /// Its p-value.
        p_value: f64,
        /// The significance level it was compared with.
        alpha: f64,
    },
    /// The model is older than the maximum age.
    ModelTooOld {
        /// Age in days at decision time.
        age_days: f64,
        /// Policy maximum (days).
        max_age_days: f64,
    },
}

/// A rule that could not be evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum SkippedCheck {
    /// The drift test needs `min` errors in each window.
    DriftInsufficientData {
        /// Baseline window length.
        baseline: usize,
        /// Recent window length.
        recent: usize,
        /// Required minimum.
        min: usize,
    },
    /// The drift test statistic is undefined (e.g. all absolute errors identical in both windows).
    DriftUndefined {
        /// Explanation.
        detail: String,
    },
}

/// The outcome of [`RetrainPolicy::decide`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainDecision {
    /// `true` when at least one rule fired.
    pub retrain: bool,
    /// Every rule that fired, in evaluation order.
    pub reasons: Vec<Reason>,
    /// Rules that could not be evaluated (always present, empty when every rule ran: the same
    /// JSON in Python and Node).
    #[serde(default)]
    pub skipped: Vec<SkippedCheck>,
}

fn check_threshold(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && v > 0.0) => Err(Error::invalid_parameter(name, v, "must be finite and > 0")),
        _ => Ok(()),
    }
}

fn check_metric(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && v >= 0.0) => {
            Err(Error::invalid_parameter(name, v, "must be finite and >= 0 (pass None when the metric is undefined)"))
        }
        _ => Ok(()),
    }
}

impl RetrainPolicy {
    /// Check the policy's own settings.
    pub fn validate(&self) -> Result<()> {
        check_threshold("max_mape", self.max_mape)?;
        check_threshold("max_mase", self.max_mase)?;
        check_threshold("max_model_age_days", self.max_model_age_days)?;
        if let Some(alpha) = self.drift_alpha
            && !(alpha > 0.0 && alpha < 1.0)
        {
            return Err(Error::invalid_parameter("drift_alpha", alpha, "must be in (0, 1)"));
        }
        if self.min_drift_window < 2 {
            return Err(Error::invalid_parameter(
                "min_drift_window",
                self.min_drift_window,
                "the tests need at least 2 errors per window",
            ));
        }
        Ok(())
    }

    /// Decide whether to retrain. Errors: invalid policy settings, a non-finite or negative metric,
    /// `now` earlier than `trained_at`, non-finite errors in either window (named `baseline_errors` /
    /// `recent_errors`).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use forestock::drift::{ModelHealth, Reason, RetrainPolicy};
    /// let health = ModelHealth {
    ///     mape: Some(42.0),
    ///     mase: None,
    ///     baseline_errors: &[1.0, -1.0, 0.5, -0.5, 1.0, -1.0],
    ///     recent_errors: &[1.1, -0.9, 0.6, -0.4, 1.0, -1.2],
    ///     trained_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    ///     now: Utc.with_ymd_and_hms(2026, 1, 3, 0, 0, 0).unwrap(),
    /// };
    /// let d = RetrainPolicy::default().decide(&health)?;
    /// assert!(d.retrain);
    /// assert_eq!(d.reasons, vec![Reason::MapeAboveThreshold { mape: 42.0, threshold: 30.0 }]);
    /// # Ok::<(), forestock::Error>(())
    /// ```
    pub fn decide(&self, health: &ModelHealth<'_>) -> Result<RetrainDecision> {
        self.validate()?;
        check_metric("mape", health.mape)?;
        check_metric("mase", health.mase)?;
        // Empty windows are allowed (the drift rule is then skipped); values must be finite.
        for (name, errors) in [("baseline_errors", health.baseline_errors), ("recent_errors", health.recent_errors)] {
            if !errors.is_empty() {
                crate::series::validate_finite(errors, 1, "RetrainPolicy").map_err(|e| e.in_series(name))?;
            }
        }
        if health.now < health.trained_at {
            return Err(Error::invalid_parameter(
                "now",
                health.now.to_rfc3339(),
                format!("precedes trained_at {}", health.trained_at.to_rfc3339()),
            ));
        }

        let mut reasons = Vec::new();
        let mut skipped = Vec::new();
        if let (Some(mape), Some(threshold)) = (health.mape, self.max_mape)
            && mape > threshold
        {
            reasons.push(Reason::MapeAboveThreshold { mape, threshold });
        }
        if let (Some(mase), Some(threshold)) = (health.mase, self.max_mase)
            && mase > threshold
        {
            reasons.push(Reason::MaseAboveThreshold { mase, threshold });
        }
        if let Some(alpha) = self.drift_alpha {
            self.drift_rule(health, alpha, &mut reasons, &mut skipped);
        }
        if let Some(max_age_days) = self.max_model_age_days {
            let age_days = (health.now - health.trained_at).num_milliseconds() as f64 / 86_400_000.0;
            if age_days > max_age_days {
                reasons.push(Reason::ModelTooOld { age_days, max_age_days });
            }
        }
        Ok(RetrainDecision { retrain: !reasons.is_empty(), reasons, skipped })
    }

    fn drift_rule(
        &self,
        health: &ModelHealth<'_>,
        alpha: f64,
        reasons: &mut Vec<Reason>,
        skipped: &mut Vec<SkippedCheck>,
    ) {
        let (baseline, recent) = (health.baseline_errors, health.recent_errors);
        if baseline.len() < self.min_drift_window || recent.len() < self.min_drift_window {
            skipped.push(SkippedCheck::DriftInsufficientData {
                baseline: baseline.len(),
                recent: recent.len(),
                min: self.min_drift_window,
            });
            return;
        }
        let run_welch = matches!(self.drift_test, DriftTest::WelchRecentWorse | DriftTest::Both);
        let run_ks = matches!(self.drift_test, DriftTest::KolmogorovSmirnov | DriftTest::Both);
        if run_welch {
            let abs_recent: Vec<f64> = recent.iter().map(|e| e.abs()).collect();
            let abs_baseline: Vec<f64> = baseline.iter().map(|e| e.abs()).collect();
            match welch_t_test(&abs_recent, &abs_baseline) {
                Ok(t) if t.p_greater < alpha => reasons.push(Reason::ErrorDrift {
                    test: DriftTestKind::WelchRecentWorse,
                    statistic: t.statistic,
                    p_value: t.p_greater,
                    alpha,
                }),
                Ok(_) => {}
                Err(e) => skipped.push(SkippedCheck::DriftUndefined { detail: e.to_string() }),
            }
        }
        if run_ks {
            match ks_two_sample(recent, baseline) {
                Ok(t) if t.p_value < alpha => reasons.push(Reason::ErrorDrift {
                    test: DriftTestKind::KolmogorovSmirnov,
                    statistic: t.statistic,
                    p_value: t.p_value,
                    alpha,
                }),
                Ok(_) => {}
                Err(e) => skipped.push(SkippedCheck::DriftUndefined { detail: e.to_string() }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, d, 0, 0, 0).single().expect("valid time")
    }

    fn calm(n: usize, seed: u64, scale: f64) -> Vec<f64> {
        let mut rng = crate::random::Rng::new(seed);
        (0..n).map(|_| scale * rng.normal()).collect()
    }

    fn health<'a>(baseline: &'a [f64], recent: &'a [f64]) -> ModelHealth<'a> {
        ModelHealth {
            mape: Some(12.0),
            mase: Some(0.8),
            baseline_errors: baseline,
            recent_errors: recent,
            trained_at: day(1),
            now: day(3),
        }
    }

    #[test]
    fn healthy_model_is_kept() {
        let (b, r) = (calm(40, 1, 1.0), calm(12, 2, 1.0));
        let d = RetrainPolicy::default().decide(&health(&b, &r)).expect("decide");
        assert!(!d.retrain, "{d:?}");
        assert!(d.reasons.is_empty() && d.skipped.is_empty());
    }

    #[test]
    fn every_rule_fires_and_is_reported_in_order() {
        let b = calm(40, 3, 1.0);
        let r: Vec<f64> = calm(12, 4, 2.0).iter().map(|e| e + 5.0).collect(); // biased and noisier
        let policy = RetrainPolicy { max_mase: Some(1.0), drift_test: DriftTest::Both, ..RetrainPolicy::default() };
        let h = ModelHealth { mape: Some(35.0), mase: Some(1.4), now: day(10), ..health(&b, &r) };
        let d = policy.decide(&h).expect("decide");
        assert!(d.retrain);
        let kinds: Vec<&str> = d
            .reasons
            .iter()
            .map(|r| match r {
                Reason::MapeAboveThreshold { .. } => "mape",
                Reason::MaseAboveThreshold { .. } => "mase",
                Reason::ErrorDrift { test: DriftTestKind::WelchRecentWorse, .. } => "welch",
                Reason::ErrorDrift { test: DriftTestKind::KolmogorovSmirnov, .. } => "ks",
                Reason::ModelTooOld { .. } => "age",
            })
            .collect();
        assert_eq!(kinds, vec!["mape", "mase", "welch", "ks", "age"]);
        assert!(
            matches!(d.reasons[4], Reason::ModelTooOld { age_days, max_age_days } if age_days == 9.0 && max_age_days == 7.0)
        );
        // Serializable with a tag per reason.
        let json = serde_json::to_value(&d).expect("json");
        assert_eq!(json["reasons"][0]["reason"], "mape_above_threshold");
        let back: RetrainDecision = serde_json::from_value(json).expect("back");
        assert_eq!(back, d);
    }

    #[test]
    fn short_or_degenerate_windows_skip_the_drift_rule() {
        let b = calm(40, 5, 1.0);
        let d = RetrainPolicy::default().decide(&health(&b, &[1.0, 2.0])).expect("decide");
        assert!(matches!(d.skipped[0], SkippedCheck::DriftInsufficientData { recent: 2, min: 5, .. }));
        let d = RetrainPolicy::default().decide(&health(&[0.0; 6], &[0.0; 6])).expect("decide");
        assert!(matches!(d.skipped[0], SkippedCheck::DriftUndefined { .. }));
        assert!(!d.retrain);
        let d = RetrainPolicy::default().decide(&health(&[], &[])).expect("decide");
        assert!(!d.retrain && d.skipped.len() == 1);
    }

    #[test]
    fn disabled_rules_do_not_fire() {
        let policy =
            RetrainPolicy { max_mape: None, drift_alpha: None, max_model_age_days: None, ..RetrainPolicy::default() };
        let b = calm(40, 6, 1.0);
        let r = calm(12, 7, 10.0);
        let h = ModelHealth { mape: Some(500.0), now: day(30), ..health(&b, &r) };
        assert!(!policy.decide(&h).expect("decide").retrain);
    }

    #[test]
    fn invalid_input_is_a_typed_error() {
        let b = calm(10, 8, 1.0);
        let p = RetrainPolicy::default();
        let bad_mape = ModelHealth { mape: Some(f64::NAN), ..health(&b, &b) };
        assert!(matches!(p.decide(&bad_mape), Err(Error::InvalidParameter { ref name, .. }) if name == "mape"));
        let back_in_time = ModelHealth { now: day(1), trained_at: day(2), ..health(&b, &b) };
        assert!(p.decide(&back_in_time).is_err());
        let nan_errors = [1.0, f64::NAN];
        let e = p.decide(&health(&b, &nan_errors)).expect_err("should fail");
        assert!(e.to_string().contains("recent_errors") && e.to_string().contains("index 1"), "{e}");
        for bad in [
            RetrainPolicy { drift_alpha: Some(1.5), ..RetrainPolicy::default() },
            RetrainPolicy { max_mape: Some(-1.0), ..RetrainPolicy::default() },
            RetrainPolicy { max_model_age_days: Some(f64::INFINITY), ..RetrainPolicy::default() },
            RetrainPolicy { min_drift_window: 1, ..RetrainPolicy::default() },
        ] {
            assert_eq!(bad.decide(&health(&b, &b)).expect_err("should fail").code(), "ERR_INVALID_PARAMETER");
        }
    }

    #[test]
    fn policy_round_trips_and_fills_defaults() {
        let p: RetrainPolicy = serde_json::from_str(r#"{"max_mase": 1.2}"#).expect("policy");
        assert_eq!(p, RetrainPolicy { max_mase: Some(1.2), ..RetrainPolicy::default() });
        let text = serde_json::to_string(&p).expect("json");
        assert_eq!(serde_json::from_str::<RetrainPolicy>(&text).expect("back"), p);
    }
}
