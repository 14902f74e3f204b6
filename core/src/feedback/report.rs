//! The feedback report: what planners did with the recommendations, and whether it helped.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::records::{load_actuals, load_decisions, ActualRecord, DecisionKind, DecisionRecord};
use crate::error::Result;

/// Significance level of the sign test that calls a planner's overrides biased.
pub const BIAS_SIGNIFICANCE: f64 = 0.05;

/// Whether overrides came closer to the realised demand than the recommendations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideVerdict {
    /// The overrides' implied forecasts had the smaller mean absolute error.
    Right,
    /// The recommendations' forecasts had the smaller mean absolute error.
    Wrong,
    /// Equal errors.
    Even,
    /// No adjusted decision could be judged (no actuals with the plan's forecast after it).
    NotJudged,
}

/// Decisions of one SKU, one ABC class, or all of them.
///
/// An adjustment is `quantity − recommendation` of an `adjusted` decision, its relative size
/// `quantity / recommendation − 1` (recommendation > 0). **Override bias** is the mean relative
/// adjustment; the overrides are called `biased` when they go one way more often than chance allows:
/// the two-sided sign test (Conover 1999, "Practical Nonparametric Statistics", §3.4) of the number
/// of increases among the `n` adjustments that changed the quantity, `p = min(1, 2 P(X ≤ min(adds,
/// cuts)))` with `X ~ Binomial(n, 1/2)`, below [`BIAS_SIGNIFICANCE`].
///
/// **Judged against actuals:** an adjusted decision with `recommendation > 0` is matched to the
/// SKU's first actual at or after the decision that carries the plan's forecast `f`; the override
/// implies the forecast `f · quantity / recommendation` (the planner scaled the order as if demand
/// were that much higher or lower). Its absolute error against the realised demand is compared with
/// the recommendation's `|f − actual|`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSummary {
    /// Decisions.
    pub decisions: usize,
    /// Approved as recommended.
    pub approved: usize,
    /// Rejected.
    pub rejected: usize,
    /// Adjusted.
    pub adjusted: usize,
    /// `approved / decisions` (0 without decisions).
    pub approval_rate: f64,
    /// Mean adjustment in units over the adjusted decisions (`None` without any).
    pub mean_adjustment: Option<f64>,
    /// Override bias: mean relative adjustment (`None` without an adjustment of a positive
    /// recommendation).
    pub bias: Option<f64>,
    /// Adjustments that increased the quantity.
    pub adds: usize,
    /// Adjustments that decreased it.
    pub cuts: usize,
    /// Two-sided sign-test p-value of adds against cuts (1 without any).
    pub bias_p_value: f64,
    /// `bias_p_value < BIAS_SIGNIFICANCE`: the planners consistently add (bias > 0) or cut.
    pub biased: bool,
    /// Adjusted decisions judged against actuals.
    pub judged: usize,
    /// Judged overrides whose implied forecast was closer to the demand than the recommendation's.
    pub overrides_closer: usize,
    /// Mean absolute error of the overrides' implied forecasts (judged decisions).
    pub override_mae: Option<f64>,
    /// Mean absolute error of the plan's forecasts for the same decisions.
    pub recommendation_mae: Option<f64>,
    /// Were the overrides right?
    pub verdict: OverrideVerdict,
}

/// The report per SKU, per ABC class and overall ([`feedback_report`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackReport {
    /// Per SKU.
    pub by_sku: BTreeMap<String, FeedbackSummary>,
    /// Per ABC class (`unclassified` for SKUs without a class).
    pub by_class: BTreeMap<String, FeedbackSummary>,
    /// Every decision.
    pub overall: FeedbackSummary,
}

/// Class of SKUs that `classes` does not name.
pub const UNCLASSIFIED: &str = "unclassified";

/// The report of the decision store at `decisions` judged against the actuals store at `actuals`
/// (when given), with each SKU's ABC class from `classes` (SKU → class, e.g. from a plan's
/// `abc_class`). See [`FeedbackSummary`] for every figure.
pub fn feedback_report(
    decisions: impl AsRef<Path>,
    actuals: Option<&Path>,
    classes: &BTreeMap<String, String>,
) -> Result<FeedbackReport> {
    let decisions = load_decisions(decisions)?;
    let actuals = match actuals {
        Some(path) => load_actuals(path)?,
        None => Vec::new(),
    };
    Ok(report_from(&decisions, &actuals, classes))
}

/// [`feedback_report`] on records already loaded.
pub fn report_from(
    decisions: &[DecisionRecord],
    actuals: &[ActualRecord],
    classes: &BTreeMap<String, String>,
) -> FeedbackReport {
    let mut by_sku: BTreeMap<String, Accumulator> = BTreeMap::new();
    let mut by_class: BTreeMap<String, Accumulator> = BTreeMap::new();
    let mut overall = Accumulator::default();
    for d in decisions {
        let judged = judge(d, actuals);
        let class = classes.get(&d.sku).map_or(UNCLASSIFIED, String::as_str);
        for acc in
            [by_sku.entry(d.sku.clone()).or_default(), by_class.entry(class.to_string()).or_default(), &mut overall]
        {
            acc.add(d, judged);
        }
    }
    FeedbackReport {
        by_sku: by_sku.into_iter().map(|(k, a)| (k, a.summary())).collect(),
        by_class: by_class.into_iter().map(|(k, a)| (k, a.summary())).collect(),
        overall: overall.summary(),
    }
}

/// `(override error, recommendation error)` of an adjusted decision, when it can be judged.
fn judge(d: &DecisionRecord, actuals: &[ActualRecord]) -> Option<(f64, f64)> {
    if d.decision != DecisionKind::Adjusted || d.recommendation <= 0.0 {
        return None;
    }
    let (actual, forecast) = actuals
        .iter()
        .filter(|a| a.sku == d.sku && a.at >= d.at)
        .filter_map(|a| a.forecast.map(|f| (a.at, a.actual, f)))
        .min_by_key(|(at, _, _)| *at)
        .map(|(_, y, f)| (y, f))?;
    let implied = forecast * d.quantity / d.recommendation;
    Some(((implied - actual).abs(), (forecast - actual).abs()))
}

#[derive(Default)]
struct Accumulator {
    decisions: usize,
    approved: usize,
    rejected: usize,
    adjusted: usize,
    adjustment_sum: f64,
    relative_sum: f64,
    relative_n: usize,
    adds: usize,
    cuts: usize,
    judged: usize,
    closer: usize,
    override_error: f64,
    recommendation_error: f64,
}

impl Accumulator {
    fn add(&mut self, d: &DecisionRecord, judged: Option<(f64, f64)>) {
        self.decisions += 1;
        match d.decision {
            DecisionKind::Approved => self.approved += 1,
            DecisionKind::Rejected => self.rejected += 1,
            DecisionKind::Adjusted => {
                self.adjusted += 1;
                let change = d.quantity - d.recommendation;
                self.adjustment_sum += change;
                if d.recommendation > 0.0 {
                    self.relative_sum += change / d.recommendation;
                    self.relative_n += 1;
                }
                if change > 0.0 {
                    self.adds += 1;
                } else if change < 0.0 {
                    self.cuts += 1;
                }
            }
        }
        if let Some((ours, theirs)) = judged {
            self.judged += 1;
            self.closer += usize::from(ours < theirs);
            self.override_error += ours;
            self.recommendation_error += theirs;
        }
    }

    fn summary(&self) -> FeedbackSummary {
        let mean = |sum: f64, n: usize| (n > 0).then(|| sum / n as f64);
        let p = sign_test(self.adds, self.cuts);
        let (override_mae, recommendation_mae) =
            (mean(self.override_error, self.judged), mean(self.recommendation_error, self.judged));
        let verdict = match (override_mae, recommendation_mae) {
            (Some(o), Some(r)) if o < r => OverrideVerdict::Right,
            (Some(o), Some(r)) if o > r => OverrideVerdict::Wrong,
            (Some(_), Some(_)) => OverrideVerdict::Even,
            _ => OverrideVerdict::NotJudged,
        };
        FeedbackSummary {
            decisions: self.decisions,
            approved: self.approved,
            rejected: self.rejected,
            adjusted: self.adjusted,
            approval_rate: if self.decisions > 0 { self.approved as f64 / self.decisions as f64 } else { 0.0 },
            mean_adjustment: mean(self.adjustment_sum, self.adjusted),
            bias: mean(self.relative_sum, self.relative_n),
            adds: self.adds,
            cuts: self.cuts,
            bias_p_value: p,
            biased: p < BIAS_SIGNIFICANCE,
            judged: self.judged,
            overrides_closer: self.closer,
            override_mae,
            recommendation_mae,
            verdict,
        }
    }
}

/// Two-sided sign test: `min(1, 2 P(X ≤ min(a, b)))`, `X ~ Binomial(a + b, 1/2)` (1 when `a + b = 0`).
fn sign_test(a: usize, b: usize) -> f64 {
    let n = a + b;
    if n == 0 {
        return 1.0;
    }
    // P(X ≤ m) = Σ_{j ≤ m} C(n, j) / 2^n, with C(n, j) built up in logs so large n cannot overflow.
    let m = a.min(b);
    let mut log_c = 0.0f64; // ln C(n, 0)
    let mut tail = 0.0;
    for j in 0..=m {
        if j > 0 {
            log_c += ((n - j + 1) as f64).ln() - (j as f64).ln();
        }
        tail += (log_c - n as f64 * std::f64::consts::LN_2).exp();
    }
    (2.0 * tail).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 6, 0, 0).single().expect("valid time")
    }

    /// A planner who adds 20% to every recommendation over 12 periods; the demand is the plan's
    /// forecast times `demand_factor` (the plan sized each order from its forecast 10 + period).
    fn always_adds_20(demand_factor: f64) -> FeedbackReport {
        let mut decisions = Vec::new();
        let mut actuals = Vec::new();
        for day in 1..=12u32 {
            let forecast = 10.0 + day as f64;
            let recommendation = 2.0 * forecast;
            decisions.push(DecisionRecord {
                sku: "A-1".into(),
                recommendation,
                decision: DecisionKind::Adjusted,
                quantity: 1.2 * recommendation,
                by: "ana".into(),
                at: t(day),
            });
            actuals.push(ActualRecord {
                sku: "A-1".into(),
                at: t(day),
                actual: forecast * demand_factor,
                forecast: Some(forecast),
                forecasts: BTreeMap::new(),
                errors: BTreeMap::new(),
            });
        }
        decisions.push(DecisionRecord {
            sku: "B-2".into(),
            recommendation: 5.0,
            decision: DecisionKind::Approved,
            quantity: 5.0,
            by: "bo".into(),
            at: t(1),
        });
        let classes = [("A-1".to_string(), "A".to_string())].into_iter().collect();
        report_from(&decisions, &actuals, &classes)
    }

    #[test]
    fn a_planner_who_always_adds_20_percent_is_biased_and_judged_both_ways() {
        // Demand came in 25% above the forecast: the planner was right every time.
        let right = always_adds_20(1.25);
        let a = &right.by_sku["A-1"];
        assert_eq!((a.decisions, a.adjusted, a.adds, a.cuts), (12, 12, 12, 0));
        assert!((a.bias.expect("bias") - 0.2).abs() < 1e-12);
        assert!(a.biased);
        assert!((a.bias_p_value - 2.0 / 4096.0).abs() < 1e-15, "{}", a.bias_p_value);
        assert_eq!((a.judged, a.overrides_closer, a.verdict), (12, 12, OverrideVerdict::Right));
        assert_eq!(right.by_class["A"].verdict, OverrideVerdict::Right);
        // Demand came in as forecast: every override was wrong.
        let wrong = always_adds_20(1.0);
        let a = &wrong.by_sku["A-1"];
        assert!(a.biased);
        assert_eq!((a.judged, a.overrides_closer, a.verdict), (12, 0, OverrideVerdict::Wrong));
        assert_eq!(a.recommendation_mae, Some(0.0));
        // The approving planner's SKU: no bias, nothing to judge, unclassified.
        let b = &wrong.by_class[UNCLASSIFIED];
        assert_eq!((b.approved, b.approval_rate, b.biased, b.verdict), (1, 1.0, false, OverrideVerdict::NotJudged));
        assert_eq!(wrong.overall.decisions, 13);
        assert!((wrong.overall.approval_rate - 1.0 / 13.0).abs() < 1e-12);
    }

    #[test]
    fn sign_test_matches_the_binomial_tail() {
        assert_eq!(sign_test(0, 0), 1.0);
        assert!((sign_test(5, 0) - 0.0625).abs() < 1e-15);
        // scipy.stats.binomtest(8, 10).pvalue = 0.109375
        assert!((sign_test(8, 2) - 0.109375).abs() < 1e-12);
        assert_eq!(sign_test(3, 3), 1.0);
    }
}
