//! Run metrics of plans, retrains and scheduled jobs, and their Prometheus text exposition.
//!
//! Every run yields one [`RunMetrics`] record: what ran (`kind`, `job`), how it ended (`status`),
//! when and for how long, and the counts an operator alerts on: SKUs planned and failed (by error
//! code), orders by priority and by ABC class, the order value, champions promoted, and — once the
//! actual demand of the planned periods is known — the realised MAPE and MASE of the forecasts by ABC
//! class ([`realised_accuracy`]).
//!
//! [`to_prometheus`] renders any number of records in the Prometheus text exposition format
//! (version 0.0.4), one gauge family per quantity, labelled by `job` and, where it applies, by
//! `code`, `priority`, `class` or `status`:
//!
//! ```text
//! # HELP forestock_plan_duration_seconds Wall-clock duration of the last planning run.
//! # TYPE forestock_plan_duration_seconds gauge
//! forestock_plan_duration_seconds{job="daily_plan"} 12.5
//! forestock_plan_skus{job="daily_plan",state="failed"} 3
//! forestock_plan_orders{job="daily_plan",priority="urgent"} 41
//! ```
//!
//! The main job writes them to `metrics.prom` (for node_exporter's textfile collector); the Python
//! and Node schedulers keep the last record of each job and render them for a `/metrics` endpoint
//! (docs/operations.md).
//!
//! ```
//! use forestock::plan::RunStats;
//! use forestock::telemetry::{to_prometheus, RunMetrics};
//! let mut stats = RunStats::default();
//! stats.skus = 3;
//! stats.planned = 2;
//! stats.failed = 1;
//! stats.failures_by_code.insert("ERR_TOO_SHORT".into(), 1);
//! let run = RunMetrics::of_plan("daily_plan", &stats, 1.5, 1_764_633_600.0);
//! let text = to_prometheus(&[run])?;
//! assert!(text.contains("forestock_plan_skus{job=\"daily_plan\",state=\"failed\"} 1\n"));
//! assert!(text.contains("forestock_plan_failures{job=\"daily_plan\",code=\"ERR_TOO_SHORT\"} 1\n"));
//! # Ok::<(), forestock::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::metrics;
use crate::plan::{RetrainReport, RunStats, SkuHistory, SkuPlan};

/// What kind of run a record describes; it names the metric families (`forestock_<kind>_...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// A planning run (`run_plan`, `fs.plan`, Node `plan`, the daily plan job).
    Plan,
    /// A retraining run (`run_retrain`, the weekly retrain job).
    Retrain,
    /// Any other scheduled job: only its status and duration are known.
    Job,
}

impl RunKind {
    fn as_str(self) -> &'static str {
        match self {
            RunKind::Plan => "plan",
            RunKind::Retrain => "retrain",
            RunKind::Job => "job",
        }
    }
}

/// Realised accuracy of one ABC class's forecasts against the demand that followed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassAccuracy {
    /// SKUs of the class with actuals.
    pub skus: usize,
    /// Mean of the SKUs' MAPE (percent) over the periods with non-zero actual demand; `None` when
    /// no SKU of the class had one.
    pub mape: Option<f64>,
    /// Mean of the SKUs' MASE (seasonal-naive scale of each SKU's history); `None` when no SKU of
    /// the class has a defined scale.
    pub mase: Option<f64>,
}

/// The metrics record of one run (module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMetrics {
    /// What ran.
    pub kind: RunKind,
    /// The job's name (the `job` label), e.g. `daily_plan`.
    pub job: String,
    /// How it ended: `ok`, `degraded` or `failed` (the core's [`crate::plan::RunStatus`]) for a
    /// plan, `ok`/`failed` otherwise.
    pub status: String,
    /// When the run finished, in seconds since the Unix epoch.
    pub finished_at: f64,
    /// Wall-clock duration in seconds.
    pub duration_seconds: f64,
    /// SKUs seen (plan, retrain).
    #[serde(default)]
    pub skus: usize,
    /// SKUs planned or retrained.
    #[serde(default)]
    pub succeeded: usize,
    /// SKUs that failed.
    #[serde(default)]
    pub failed: usize,
    /// Failed SKUs by error code.
    #[serde(default)]
    pub failures_by_code: BTreeMap<String, usize>,
    /// SKUs that should reorder now (plan).
    #[serde(default)]
    pub orders: usize,
    /// Value of the recommended orders (plan).
    #[serde(default)]
    pub order_value: f64,
    /// Orders by priority (plan).
    #[serde(default)]
    pub orders_by_priority: BTreeMap<String, usize>,
    /// Orders by ABC class (plan).
    #[serde(default)]
    pub orders_by_class: BTreeMap<String, usize>,
    /// Champions replaced (retrain).
    #[serde(default)]
    pub promoted: usize,
    /// Realised accuracy by ABC class, once actuals exist ([`realised_accuracy`]).
    #[serde(default)]
    pub realised: BTreeMap<String, ClassAccuracy>,
}

impl RunMetrics {
    /// A run of `kind` with only its outcome known (a scheduled job of any kind).
    pub fn of_job(job: &str, ok: bool, duration_seconds: f64, finished_at: f64) -> RunMetrics {
        RunMetrics {
            kind: RunKind::Job,
            job: job.to_string(),
            status: if ok { "ok" } else { "failed" }.to_string(),
            finished_at,
            duration_seconds,
            skus: 0,
            succeeded: 0,
            failed: 0,
            failures_by_code: BTreeMap::new(),
            orders: 0,
            order_value: 0.0,
            orders_by_priority: BTreeMap::new(),
            orders_by_class: BTreeMap::new(),
            promoted: 0,
            realised: BTreeMap::new(),
        }
    }

    /// The record of a planning run from its statistics ([`crate::plan::PlanOutput::stats`]).
    pub fn of_plan(job: &str, stats: &RunStats, duration_seconds: f64, finished_at: f64) -> RunMetrics {
        RunMetrics {
            kind: RunKind::Plan,
            status: stats.status.as_str().to_string(),
            skus: stats.skus,
            succeeded: stats.planned,
            failed: stats.failed,
            failures_by_code: stats.failures_by_code.clone(),
            orders: stats.orders,
            order_value: stats.order_value,
            orders_by_priority: stats.orders_by_priority.clone(),
            orders_by_class: stats.orders_by_abc.clone(),
            ..RunMetrics::of_job(job, true, duration_seconds, finished_at)
        }
    }

    /// The record of a retraining run. Its status is `failed` when no SKU was retrained and some
    /// failed, `ok` otherwise.
    pub fn of_retrain(job: &str, report: &RetrainReport, duration_seconds: f64, finished_at: f64) -> RunMetrics {
        let mut failures_by_code = BTreeMap::new();
        for f in &report.failures {
            *failures_by_code.entry(f.code.clone()).or_default() += 1;
        }
        let (succeeded, failed) = (report.outcomes.len(), report.failures.len());
        RunMetrics {
            kind: RunKind::Retrain,
            skus: succeeded + failed,
            succeeded,
            failed,
            failures_by_code,
            promoted: report.promoted(),
            ..RunMetrics::of_job(job, succeeded > 0 || failed == 0, duration_seconds, finished_at)
        }
    }

    /// The record of a run of `kind` from its JSON summary, as the bindings' jobs and schedulers
    /// hold it: a plan's `stats` ([`RunStats`]), a retrain's report ([`RetrainReport`]), or nothing
    /// (`null`) for a job, whose status is `ok` (`failed` when `ok` is false; a failed plan or
    /// retrain with a summary keeps the summary's counts and is marked `failed`).
    pub fn of_summary(
        kind: RunKind,
        job: &str,
        ok: bool,
        summary: &serde_json::Value,
        duration_seconds: f64,
        finished_at: f64,
    ) -> Result<RunMetrics> {
        for (field, value) in [("duration_seconds", duration_seconds), ("finished_at", finished_at)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::invalid_parameter(field, value, "must be a finite number >= 0"));
            }
        }
        let parse_error = |what: &str, e: serde_json::Error| Error::invalid_parameter("summary", what, e.to_string());
        let mut metrics = match (kind, summary.is_null()) {
            (RunKind::Job, _) | (_, true) => {
                let mut m = RunMetrics::of_job(job, ok, duration_seconds, finished_at);
                m.kind = kind;
                return Ok(m);
            }
            (RunKind::Plan, false) => {
                let stats: RunStats =
                    serde_json::from_value(summary.clone()).map_err(|e| parse_error("plan statistics", e))?;
                RunMetrics::of_plan(job, &stats, duration_seconds, finished_at)
            }
            (RunKind::Retrain, false) => {
                let report: RetrainReport =
                    serde_json::from_value(summary.clone()).map_err(|e| parse_error("retrain report", e))?;
                RunMetrics::of_retrain(job, &report, duration_seconds, finished_at)
            }
        };
        if !ok {
            metrics.status = "failed".to_string();
        }
        Ok(metrics)
    }

    /// The same record with the realised accuracy by class.
    pub fn with_realised(mut self, realised: BTreeMap<String, ClassAccuracy>) -> RunMetrics {
        self.realised = realised;
        self
    }
}

/// Realised MAPE and MASE of each plan's forecast against `actuals` (the demand of the periods
/// after the plan, per SKU), averaged per ABC class. `histories` are the series the plans were made
/// from (each SKU's MASE is scaled by the in-sample seasonal-naive MAE of its history with period
/// `season_length`). Each SKU is scored on the first `min(actuals, forecast)` periods; SKUs without
/// actuals or history are left out.
///
/// MAPE (Hyndman & Koehler 2006): `100/n Σ |y − ŷ| / |y|` over periods with `y ≠ 0`; MASE:
/// `mean |y − ŷ| / (1/(T−m) Σ_{t>m} |y_t − y_{t−m}|)`.
pub fn realised_accuracy(
    plans: &[SkuPlan],
    histories: &[SkuHistory],
    actuals: &[SkuHistory],
    season_length: usize,
) -> Result<BTreeMap<String, ClassAccuracy>> {
    let planned: Vec<PlannedForecast> = plans
        .iter()
        .map(|p| PlannedForecast { sku: p.sku.clone(), abc_class: p.abc_class, mean: p.forecast.mean.clone() })
        .collect();
    realised_accuracy_of(&planned, histories, actuals, season_length)
}

/// The part of a plan that [`realised_accuracy`] scores: a SKU's ABC class and point forecast (what
/// a binding holds of a plan: its recommendations' `abc_class` and its forecasts' `mean`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedForecast {
    /// The SKU.
    pub sku: String,
    /// Its ABC class in the plan.
    pub abc_class: crate::inventory::abc::AbcClass,
    /// The plan's point forecast, from the period after the history.
    pub mean: Vec<f64>,
}

/// [`realised_accuracy`] on the plans' forecasts alone.
pub fn realised_accuracy_of(
    plans: &[PlannedForecast],
    histories: &[SkuHistory],
    actuals: &[SkuHistory],
    season_length: usize,
) -> Result<BTreeMap<String, ClassAccuracy>> {
    if season_length == 0 {
        return Err(Error::invalid_parameter("season_length", 0, "must be at least 1"));
    }
    let history: BTreeMap<&str, &[f64]> = histories.iter().map(|h| (h.sku.as_str(), h.demand.as_slice())).collect();
    let actual: BTreeMap<&str, &[f64]> = actuals.iter().map(|h| (h.sku.as_str(), h.demand.as_slice())).collect();
    // Per class: (SKUs, MAPE sum, MAPE count, MASE sum, MASE count).
    let mut sums: BTreeMap<String, (usize, f64, usize, f64, usize)> = BTreeMap::new();
    for plan in plans {
        let (Some(y), Some(insample)) = (actual.get(plan.sku.as_str()), history.get(plan.sku.as_str())) else {
            continue;
        };
        let n = y.len().min(plan.mean.len());
        if n == 0 {
            continue;
        }
        let (y, f) = (&y[..n], &plan.mean[..n]);
        crate::series::validate_finite(f, 1, "forecast").map_err(|e| e.in_series(&plan.sku))?;
        crate::series::validate_finite(y, 1, "actuals").map_err(|e| e.in_series(&plan.sku))?;
        let entry = sums.entry(format!("{:?}", plan.abc_class)).or_default();
        entry.0 += 1;
        if let Ok(m) = metrics::mape(y, f)
            && m.value.is_finite()
        {
            entry.1 += m.value;
            entry.2 += 1;
        }
        if let Ok(m) = metrics::mase(y, f, insample, season_length)
            && m.is_finite()
        {
            entry.3 += m;
            entry.4 += 1;
        }
    }
    let mean = |sum: f64, count: usize| (count > 0).then(|| sum / count as f64);
    Ok(sums
        .into_iter()
        .map(|(class, (skus, mape, n_mape, mase, n_mase))| {
            (class, ClassAccuracy { skus, mape: mean(mape, n_mape), mase: mean(mase, n_mase) })
        })
        .collect())
}

/// One gauge family being written: its samples, each a label set and a value.
struct Family<'a> {
    name: String,
    help: &'a str,
    samples: Vec<(Vec<(&'a str, String)>, f64)>,
}

/// Render `runs` in the Prometheus text exposition format 0.0.4 (module docs). Records of the
/// same kind share their metric families; each record contributes its samples labelled with its
/// `job`. A non-finite duration, timestamp or order value is an [`Error::InvalidParameter`].
pub fn to_prometheus(runs: &[RunMetrics]) -> Result<String> {
    let mut families: Vec<Family<'_>> = Vec::new();
    let mut add = |name: String, help: &'static str, labels: Vec<(&'static str, String)>, value: f64| match families
        .iter_mut()
        .find(|f| f.name == name)
    {
        Some(family) => family.samples.push((labels, value)),
        None => families.push(Family { name, help, samples: vec![(labels, value)] }),
    };
    for run in runs {
        for (field, value) in [
            ("duration_seconds", run.duration_seconds),
            ("finished_at", run.finished_at),
            ("order_value", run.order_value),
        ] {
            if !value.is_finite() {
                return Err(Error::invalid_parameter(field, value, format!("run metrics of job `{}`", run.job)));
            }
        }
        let kind = run.kind.as_str();
        let job = || vec![("job", run.job.clone())];
        let with = |key: &'static str, value: &str| vec![("job", run.job.clone()), (key, value.to_string())];
        add(
            format!("forestock_{kind}_duration_seconds"),
            "Wall-clock duration of the last run.",
            job(),
            run.duration_seconds,
        );
        add(
            format!("forestock_{kind}_last_run_timestamp_seconds"),
            "When the last run finished, in seconds since the Unix epoch.",
            job(),
            run.finished_at,
        );
        for status in ["ok", "degraded", "failed"] {
            if run.kind != RunKind::Plan && status == "degraded" {
                continue;
            }
            let value = f64::from(u8::from(run.status == status));
            add(
                format!("forestock_{kind}_status"),
                "1 for the status of the last run, 0 for the others.",
                with("status", status),
                value,
            );
        }
        // Realised accuracy by class, whichever run computed it (a plan job, or a job that scores
        // the last plan once its periods' demand is known).
        for (class, accuracy) in &run.realised {
            if let Some(mape) = accuracy.mape {
                add(
                    "forestock_plan_realised_mape".into(),
                    "Realised MAPE (percent) of the forecasts by ABC class.",
                    with("class", class),
                    mape,
                );
            }
            if let Some(mase) = accuracy.mase {
                add(
                    "forestock_plan_realised_mase".into(),
                    "Realised MASE of the forecasts by ABC class.",
                    with("class", class),
                    mase,
                );
            }
        }
        if run.kind == RunKind::Job {
            continue;
        }
        for (state, count) in [("succeeded", run.succeeded), ("failed", run.failed)] {
            add(
                format!("forestock_{kind}_skus"),
                "SKUs of the last run by outcome.",
                with("state", state),
                count as f64,
            );
        }
        for (code, count) in &run.failures_by_code {
            add(
                format!("forestock_{kind}_failures"),
                "Failed SKUs of the last run by error code.",
                with("code", code),
                *count as f64,
            );
        }
        if run.kind == RunKind::Retrain {
            add("forestock_retrain_promoted".into(), "Champions replaced by the last run.", job(), run.promoted as f64);
            continue;
        }
        add("forestock_plan_orders_total".into(), "SKUs that should reorder now.", job(), run.orders as f64);
        add(
            "forestock_plan_order_value".into(),
            "Value of the recommended orders (quantity x unit cost).",
            job(),
            run.order_value,
        );
        for (priority, count) in &run.orders_by_priority {
            add(
                "forestock_plan_orders".into(),
                "Orders of the last run by priority.",
                with("priority", priority),
                *count as f64,
            );
        }
        for (class, count) in &run.orders_by_class {
            add(
                "forestock_plan_orders_by_class".into(),
                "Orders of the last run by ABC class.",
                with("class", class),
                *count as f64,
            );
        }
    }
    let mut out = String::new();
    for family in &families {
        let _ = writeln!(out, "# HELP {} {}", family.name, family.help);
        let _ = writeln!(out, "# TYPE {} gauge", family.name);
        for (labels, value) in &family.samples {
            let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", escape_label(v))).collect();
            let _ = writeln!(out, "{}{{{}}} {}", family.name, labels.join(","), format_value(*value));
        }
    }
    Ok(out)
}

/// A label value with `\`, `"` and newlines escaped, as the exposition format requires.
fn escape_label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Integers without a fractional part, other values in Rust's shortest round-trip form.
fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> RunStats {
        let mut s = RunStats { skus: 5, planned: 4, failed: 1, orders: 2, order_value: 1234.5, ..RunStats::default() };
        s.failures_by_code.insert("ERR_TOO_SHORT".into(), 1);
        s.orders_by_priority.insert("urgent".into(), 2);
        s.orders_by_abc.insert("A".into(), 2);
        s
    }

    #[test]
    fn renders_every_family_once_with_one_sample_per_job() {
        let a = RunMetrics::of_plan("daily \"eu\"", &stats(), 2.25, 1_764_633_600.0);
        let b = RunMetrics::of_plan("daily_us", &stats(), 3.0, 1_764_633_601.0);
        let text = to_prometheus(&[a, b]).expect("render");
        assert_eq!(text.matches("# TYPE forestock_plan_duration_seconds gauge").count(), 1);
        assert!(text.contains("forestock_plan_duration_seconds{job=\"daily \\\"eu\\\"\"} 2.25\n"), "{text}");
        assert!(text.contains("forestock_plan_duration_seconds{job=\"daily_us\"} 3\n"));
        assert!(text.contains("forestock_plan_status{job=\"daily_us\",status=\"ok\"} 1\n"));
        assert!(text.contains("forestock_plan_status{job=\"daily_us\",status=\"degraded\"} 0\n"));
        assert!(text.contains("forestock_plan_orders{job=\"daily_us\",priority=\"urgent\"} 2\n"));
        assert!(text.contains("forestock_plan_orders_by_class{job=\"daily_us\",class=\"A\"} 2\n"));
        assert!(text.contains("forestock_plan_order_value{job=\"daily_us\"} 1234.5\n"));
        assert!(text.contains("forestock_plan_last_run_timestamp_seconds{job=\"daily_us\"} 1764633601\n"));
        // Every sample line belongs to a family declared before it.
        let mut declared = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                declared.push(rest.split(' ').next().expect("name").to_string());
            } else if !line.starts_with('#') {
                let name = line.split('{').next().expect("name");
                assert_eq!(declared.last().map(String::as_str), Some(name), "{line}");
            }
        }
    }

    #[test]
    fn realised_accuracy_by_class_from_a_real_plan() {
        use crate::plan::{run_plan, ItemMaster, PlanConfig};
        let histories: Vec<SkuHistory> = (0..6)
            .map(|i| SkuHistory {
                sku: format!("s{i}"),
                demand: (0..60).map(|t| (10 * (i + 1)) as f64 + ((t * 7 + i) % 5) as f64).collect(),
            })
            .collect();
        let items: Vec<ItemMaster> = histories.iter().map(|h| ItemMaster::new(h.sku.clone(), 2.0, 2.0)).collect();
        let config = PlanConfig { horizon: 4, ..PlanConfig::default() };
        let out = run_plan(&histories, &items, &config).expect("plan");
        // Actual demand 10% above every forecast: a MAPE of 100/1.1 = 9.09% in every class.
        let actuals: Vec<SkuHistory> = out
            .plans
            .iter()
            .map(|p| SkuHistory { sku: p.sku.clone(), demand: p.forecast.mean.iter().map(|f| f * 1.1).collect() })
            .collect();
        let realised = realised_accuracy(&out.plans, &histories, &actuals, 1).expect("accuracy");
        assert_eq!(realised.values().map(|c| c.skus).sum::<usize>(), 6);
        for accuracy in realised.values() {
            let mape = accuracy.mape.expect("mape");
            assert!((mape - 100.0 / 11.0).abs() < 1e-9, "{mape}");
            assert!(accuracy.mase.expect("mase") > 0.0);
        }
        let exact: Vec<SkuHistory> =
            out.plans.iter().map(|p| SkuHistory { sku: p.sku.clone(), demand: p.forecast.mean.clone() }).collect();
        let perfect = realised_accuracy(&out.plans, &histories, &exact, 1).expect("accuracy");
        assert!(perfect.values().all(|c| c.mape == Some(0.0) && c.mase == Some(0.0)));
        let metrics = RunMetrics::of_plan("daily", &out.stats, 1.0, 0.0).with_realised(realised);
        let text = to_prometheus(&[metrics]).expect("render");
        assert!(text.contains("forestock_plan_realised_mape{job=\"daily\",class=\""), "{text}");
        assert!(realised_accuracy(&out.plans, &histories, &actuals, 0).is_err());
    }

    #[test]
    fn retrain_and_job_records_and_bad_values() {
        let job = RunMetrics::of_job("backup", false, 0.5, 10.0);
        let text = to_prometheus(std::slice::from_ref(&job)).expect("render");
        assert!(text.contains("forestock_job_status{job=\"backup\",status=\"failed\"} 1\n"));
        assert!(!text.contains("skus"));
        let report = RetrainReport { outcomes: Vec::new(), failures: Vec::new() };
        let retrain = RunMetrics::of_retrain("weekly", &report, 1.0, 10.0);
        assert_eq!(retrain.status, "ok");
        assert!(to_prometheus(&[retrain]).expect("render").contains("forestock_retrain_promoted{job=\"weekly\"} 0\n"));
        let stats = serde_json::to_value(stats()).expect("json");
        let plan = RunMetrics::of_summary(RunKind::Plan, "p", true, &stats, 1.0, 2.0).expect("plan");
        assert_eq!((plan.succeeded, plan.failed, plan.orders), (4, 1, 2));
        let crashed = RunMetrics::of_summary(RunKind::Plan, "p", false, &stats, 1.0, 2.0).expect("plan");
        assert_eq!(crashed.status, "failed");
        let bare = RunMetrics::of_summary(RunKind::Retrain, "r", false, &serde_json::Value::Null, 1.0, 2.0);
        assert_eq!(bare.expect("bare").kind, RunKind::Retrain);
        let nan = RunMetrics::of_summary(RunKind::Job, "j", true, &serde_json::Value::Null, f64::NAN, 2.0);
        assert!(matches!(nan, Err(Error::InvalidParameter { name, .. }) if name == "duration_seconds"));
        let wrong = RunMetrics::of_summary(RunKind::Plan, "p", true, &serde_json::json!({"skus": "x"}), 1.0, 2.0);
        assert!(matches!(wrong, Err(Error::InvalidParameter { .. })));
        let bad = RunMetrics { duration_seconds: f64::NAN, ..job };
        assert!(matches!(to_prometheus(&[bad]), Err(Error::InvalidParameter { .. })));
    }
}
