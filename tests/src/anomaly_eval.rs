//! The anomaly evaluation set: clean bases (the public series and seeded synthetic families) with
//! spikes and dips injected the way the project's held-out benchmark builds them, and the pooled
//! precision / recall / F1 / clean-series flag rate of a detector on it.

use forestock::random::Rng;

/// One base series of the evaluation set.
#[derive(Debug, Clone)]
pub struct EvalBase {
    /// Family and number, e.g. `synthetic.seasonal.3` or a public id.
    pub id: String,
    /// Family name (`public`, `seasonal`, `multiplicative`, `random_walk`, `noisy_level`,
    /// `shifting`, `intermittent`).
    pub family: &'static str,
    /// Season length (1 for none).
    pub season_length: usize,
    /// The clean series.
    pub y: Vec<f64>,
}

/// One contaminated copy of a base.
#[derive(Debug, Clone)]
pub struct EvalCase {
    /// Index into the bases.
    pub base: usize,
    /// The contaminated series.
    pub y: Vec<f64>,
    /// Positions that were changed (ascending).
    pub injected: Vec<usize>,
}

/// Robust SD of the first differences (MAD x 1.4826), falling back to their SD when the MAD is 0.
pub fn diff_scale(y: &[f64]) -> f64 {
    let d: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return 0.0;
    }
    let med = median(&d);
    let mad = 1.482_602_218_505_602 * median(&d.iter().map(|v| (v - med).abs()).collect::<Vec<_>>());
    if mad > 0.0 {
        return mad;
    }
    let mean = d.iter().sum::<f64>() / d.len() as f64;
    (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d.len().max(2).saturating_sub(1) as f64).sqrt()
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

/// Seeded synthetic bases: 6 families x `per_family` series.
pub fn synthetic_bases(per_family: usize, seed: u64) -> Vec<EvalBase> {
    let mut out = Vec::new();
    for i in 0..per_family {
        let mut rng = Rng::stream(seed, i as u64);
        let m = if i % 2 == 0 { 12 } else { 4 };
        let n = 36 + (rng.uniform() * 150.0) as usize;
        let level = 50.0 + 500.0 * rng.uniform();
        let slope = level * 0.01 * (rng.uniform() - 0.3);
        let amp = level * (0.1 + 0.3 * rng.uniform());
        let noise = level * (0.02 + 0.06 * rng.uniform());
        let phase: Vec<f64> = (0..m).map(|_| rng.normal()).collect();
        // Additive seasonality with a trend.
        let y = (0..n).map(|t| level + slope * t as f64 + amp * phase[t % m] * 0.5 + noise * rng.normal()).collect();
        out.push(EvalBase { id: format!("synthetic.seasonal.{i}"), family: "seasonal", season_length: m, y });
        // Multiplicative seasonality with growth (amplitude grows with the level).
        let growth = 1.0 + 0.015 * rng.uniform();
        let y = (0..n)
            .map(|t| {
                let l = level * growth.powi(t as i32);
                l * (1.0 + 0.25 * (2.0 * std::f64::consts::PI * (t % m) as f64 / m as f64).sin())
                    * (1.0 + 0.03 * rng.normal())
            })
            .collect();
        out.push(EvalBase {
            id: format!("synthetic.multiplicative.{i}"),
            family: "multiplicative",
            season_length: m,
            y,
        });
        // Random walk with drift (yearly-like).
        let n_rw = 20 + (rng.uniform() * 60.0) as usize;
        let mut v = level;
        let y = (0..n_rw)
            .map(|_| {
                v += slope + noise * rng.normal();
                v
            })
            .collect();
        out.push(EvalBase { id: format!("synthetic.random_walk.{i}"), family: "random_walk", season_length: 1, y });
        // Noisy level.
        let y = (0..n).map(|_| level + 3.0 * noise * rng.normal()).collect();
        out.push(EvalBase { id: format!("synthetic.noisy_level.{i}"), family: "noisy_level", season_length: 1, y });
        // Seasonal series with a level shift and a trend change halfway.
        let shift_at = n / 3 + (rng.uniform() * (n / 3) as f64) as usize;
        let y = (0..n)
            .map(|t| {
                let base = level + slope * t as f64 + if t >= shift_at { 8.0 * noise } else { 0.0 };
                base + amp * phase[t % m] * 0.5 + noise * rng.normal()
            })
            .collect();
        out.push(EvalBase { id: format!("synthetic.shifting.{i}"), family: "shifting", season_length: m, y });
        // Intermittent demand: Bernoulli occurrence, Poisson sizes.
        let p = 0.15 + 0.5 * rng.uniform();
        let size = 1.0 + 8.0 * rng.uniform();
        let y = (0..n).map(|_| if rng.uniform() < p { 1.0 + rng.poisson(size) as f64 } else { 0.0 }).collect();
        out.push(EvalBase { id: format!("synthetic.intermittent.{i}"), family: "intermittent", season_length: 1, y });
    }
    out
}

/// Replace 5% of the points (at least one) of `y` by spikes or dips of 4-8 robust SDs of its first
/// differences, at distinct random positions with random signs.
pub fn inject(y: &[f64], rng: &mut Rng) -> (Vec<f64>, Vec<usize>) {
    let n = y.len();
    let count = ((0.05 * n as f64).round() as usize).max(1).min(n);
    let scale = diff_scale(y);
    let mut positions: Vec<usize> = Vec::with_capacity(count);
    while positions.len() < count {
        let p = (rng.uniform() * n as f64) as usize % n;
        if !positions.contains(&p) {
            positions.push(p);
        }
    }
    positions.sort_unstable();
    let mut out = y.to_vec();
    for &p in &positions {
        let size = (4.0 + 4.0 * rng.uniform()) * scale;
        let sign = if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
        out[p] += sign * size;
    }
    (out, positions)
}

/// Contaminated copies: `replicates` per base.
pub fn cases(bases: &[EvalBase], replicates: usize, seed: u64) -> Vec<EvalCase> {
    let mut out = Vec::new();
    for (b, base) in bases.iter().enumerate() {
        for r in 0..replicates {
            let mut rng = Rng::stream(seed, (b * 1000 + r) as u64);
            let (y, injected) = inject(&base.y, &mut rng);
            out.push(EvalCase { base: b, y, injected });
        }
    }
    out
}

/// Pooled detection figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Flagged and injected.
    pub true_positives: usize,
    /// Flagged, not injected.
    pub false_positives: usize,
    /// Injected, not flagged.
    pub false_negatives: usize,
}

impl Scores {
    /// Add one series' outcome.
    pub fn add(&mut self, flagged: &[usize], injected: &[usize]) {
        let tp = flagged.iter().filter(|i| injected.contains(i)).count();
        self.true_positives += tp;
        self.false_positives += flagged.len() - tp;
        self.false_negatives += injected.len() - tp;
    }
    /// TP / (TP + FP).
    pub fn precision(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_positives).max(1) as f64
    }
    /// TP / (TP + FN).
    pub fn recall(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_negatives).max(1) as f64
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}
