//! Detection quality of the default detector and of the tsoutliers port on the evaluation set of
//! `forestock_tests::anomaly_eval`: the 29 public series (training parts) and 120 seeded synthetic
//! series (seasonal, multiplicative, random walk, noisy level, shifting, intermittent), each
//! contaminated 3 times with 5% spikes/dips of 4-8 robust SDs of the first differences.
//!
//! Run `cargo test -p forestock-tests --test suite anomaly_eval:: -- --nocapture` to see the figures.

use forestock::anomaly::{detect_anomalies, detect_anomalies_with, tsoutliers, DetectorConfig};
use forestock_tests::anomaly_eval::{cases, synthetic_bases, EvalBase, Scores};
use forestock_tests::public_series;

const SEED: u64 = 20_261_201;

fn bases() -> Vec<EvalBase> {
    let mut out: Vec<EvalBase> = public_series()
        .into_iter()
        .map(|s| EvalBase { id: s.id.clone(), family: "public", season_length: s.season_length, y: s.train().to_vec() })
        .collect();
    out.extend(synthetic_bases(20, SEED));
    out
}

struct Figures {
    scores: Scores,
    clean_flagged: usize,
    clean_points: usize,
}

impl Figures {
    fn clean_rate(&self) -> f64 {
        self.clean_flagged as f64 / self.clean_points.max(1) as f64
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<28} precision {:.3} recall {:.3} F1 {:.3} clean flag rate {:.4} (TP {} FP {} FN {})",
            self.scores.precision(),
            self.scores.recall(),
            self.scores.f1(),
            self.clean_rate(),
            self.scores.true_positives,
            self.scores.false_positives,
            self.scores.false_negatives
        )
    }
}

/// A detector under evaluation: the flagged indices of a series of a given period, or None when it
/// cannot handle that series.
type Detector<'a> = &'a dyn Fn(&[f64], usize) -> Option<Vec<usize>>;

/// Run a detector over the bases whose family passes `keep`.
fn evaluate(bases: &[EvalBase], keep: &dyn Fn(&EvalBase) -> bool, detector: Detector<'_>) -> Figures {
    let mut fig = Figures { scores: Scores::default(), clean_flagged: 0, clean_points: 0 };
    for case in cases(bases, 3, SEED) {
        let base = &bases[case.base];
        if !keep(base) {
            continue;
        }
        if let Some(flagged) = detector(&case.y, base.season_length) {
            fig.scores.add(&flagged, &case.injected);
        }
    }
    for base in bases.iter().filter(|b| keep(b)) {
        if let Some(flagged) = detector(&base.y, base.season_length) {
            fig.clean_flagged += flagged.len();
            fig.clean_points += base.y.len();
        }
    }
    fig
}

fn ours(y: &[f64], m: usize) -> Option<Vec<usize>> {
    Some(detect_anomalies(y, m).expect("detect").indices())
}

/// The tsoutliers port (R forecast 8.20's numbers, seasonal series included).
fn r_tsoutliers(y: &[f64], m: usize) -> Option<Vec<usize>> {
    tsoutliers(y, &[m]).ok().map(|r| r.index)
}

#[test]
fn default_detector_beats_tsoutliers_and_meets_the_target() {
    let bases = bases();
    let all = |_: &EvalBase| true;
    let fig = evaluate(&bases, &all, &ours);
    println!("{}", fig.line("detect_anomalies, all"));
    for family in ["public", "seasonal", "multiplicative", "random_walk", "noisy_level", "shifting", "intermittent"] {
        let f = evaluate(&bases, &|b: &EvalBase| b.family == family, &ours);
        println!("{}", f.line(&format!("  {family}")));
    }
    let non_seasonal = |b: &EvalBase| b.season_length == 1;
    let mine_ns = evaluate(&bases, &non_seasonal, &ours);
    let r_ns = evaluate(&bases, &non_seasonal, &r_tsoutliers);
    println!("{}", mine_ns.line("detect_anomalies, m = 1"));
    println!("{}", r_ns.line("tsoutliers port, m = 1"));
    let public_ns = |b: &EvalBase| b.season_length == 1 && b.family == "public";
    println!("{}", evaluate(&bases, &public_ns, &ours).line("detect_anomalies, public m=1"));
    println!("{}", evaluate(&bases, &public_ns, &r_tsoutliers).line("tsoutliers port, public m=1"));
    let r_all = evaluate(&bases, &all, &r_tsoutliers);
    println!("{}", r_all.line("tsoutliers port, all"));
    // Guards: the figures measured when the detector was tuned (docs/anomalies.md), with a small
    // margin. The project's held-out target is F1 >= 0.85 with at most 2% of clean points flagged.
    assert!(fig.scores.f1() >= 0.93 && fig.clean_rate() <= 0.004, "{}", fig.line("all"));
    let public = evaluate(&bases, &|b: &EvalBase| b.family == "public", &ours);
    assert!(public.scores.f1() >= 0.89 && public.clean_rate() <= 0.012, "{}", public.line("public"));
    let intermittent = evaluate(&bases, &|b: &EvalBase| b.family == "intermittent", &ours);
    assert_eq!(intermittent.clean_flagged, 0, "normal non-zero periods of intermittent series flagged");
    assert!(intermittent.scores.f1() >= 0.95, "{}", intermittent.line("intermittent"));
    assert!(mine_ns.scores.f1() >= 0.91 && mine_ns.clean_rate() <= 0.002, "{}", mine_ns.line("m = 1"));
    // The port reproduces R, so its figures are R's on this set: F1 0.808, 1.87% of clean points.
    assert!((r_ns.scores.f1() - 0.808).abs() < 0.01 && r_ns.clean_rate() > 0.015, "{}", r_ns.line("tsoutliers"));
    // On every family, seasonal ones included (the port is R's method there too): F1 0.798 and 2.04%
    // of clean points flagged, against the default detector's 0.942 and 0.29%.
    assert!((r_all.scores.f1() - 0.798).abs() < 0.01 && r_all.clean_rate() > 0.019, "{}", r_all.line("R, all"));
    if std::env::var("ANOMALY_SWEEP").is_ok() {
        for threshold in [3.5, 4.0, 4.5] {
            for side_threshold in [2.0, 2.5, 3.0] {
                let config = DetectorConfig { threshold, side_threshold };
                let det = |y: &[f64], m: usize| Some(detect_anomalies_with(y, m, &config).expect("detect").indices());
                let name = format!("t {threshold} side {side_threshold}");
                println!("{}", evaluate(&bases, &all, &det).line(&format!("{name} all")));
                println!(
                    "{}",
                    evaluate(&bases, &|b: &EvalBase| b.family == "public", &det).line(&format!("{name} public"))
                );
            }
        }
    }
}
