//! forestock's default anomaly detector: robust two-sided residuals on the seasonally adjusted
//! series, and a separate rule for intermittent demand.
//!
//! **Regular demand** (fewer than 30% zeros):
//! 1. Seasonal adjustment (season length `m >= 2`, at least `2m + 1` points): a trend by a centred
//!    running median over one cycle, then for each `t` the seasonal term `s_t` = median of the
//!    detrended values at the same phase in the 6 nearest *other* cycles (leaving `t` out keeps a
//!    spike from hiding in its own seasonal estimate; nearby cycles let the pattern evolve).
//!    `z_t = y_t - s_t`.
//! 2. Each point is predicted from each side separately: `L_t = median_j (z_{t-j} + j g_t)` and
//!    `R_t = median_j (z_{t+j} - j g_t)`, `j = 1..k`, where `g_t` is a robust slope (none, the median
//!    first difference of the whole series, or of the 25 nearest differences). Residuals
//!    `a_t = z_t - L_t`, `b_t = z_t - R_t`; their robust SDs `σ_L`, `σ_R` (MAD × 1.4826) give the scales.
//! 3. The score is `sign(a_t) min(|a_t| / σ_L, |b_t| / σ_R)` when both residuals have the same sign,
//!    0 otherwise (at the two ends, the one available side). A spike or dip stands out against both
//!    of its neighbourhoods; a level shift or the turn of a trend only against one, so it scores 0.
//! 4. The settings (seasonal adjustment on/off, `k` in 1..3, the slope rule) are chosen per series as
//!    the ones with the smallest `σ_L + σ_R`: the sharpest prediction of each point from its
//!    neighbours, so a given anomaly size gives the largest score (a random walk wants `k = 1`, a
//!    noisy level a wider `k`).
//! 5. `|score| >= threshold` (default 4) is flagged: a spike above, a dip below. The suggested
//!    replacement is `s_t + (L_t + R_t) / 2` (clipped at 0 for non-negative series).
//!
//! **Intermittent demand** (30% zeros or more): zeros and ordinary non-zero periods are normal. Only
//! a non-zero size far above the typical size is a spike: score `(y_t - median⁺) / σ⁺` over the
//! non-zero sizes (`σ⁺` their robust SD, at least `sqrt(median⁺)` — a Poisson-like floor — and at
//! least 1/2), flagged at `threshold + 1`; replaced by the median non-zero size. A negative value in
//! an otherwise non-negative history is a dip (replaced by 0).

use super::robust::{median, median_in_place, robust_sd, running_median, same_phase_median};
use crate::error::{Error, Result};

/// Largest accepted season length (one cycle per period of a 10-year daily history, and more).
pub const MAX_ANOMALY_SEASON_LENGTH: usize = 10_000;
/// Fewest points the detector looks at; shorter series get an empty report.
pub const MIN_ANOMALY_POINTS: usize = 5;
/// Share of zero periods from which a series is treated as intermittent.
pub const INTERMITTENT_ZERO_SHARE: f64 = 0.3;
/// Default score threshold, in robust standard deviations.
pub const DEFAULT_THRESHOLD: f64 = 4.0;
/// Default one-sided threshold (see [`DetectorConfig::side_threshold`]).
pub const DEFAULT_SIDE_THRESHOLD: f64 = 2.5;

/// Whether an anomaly lies above (spike) or below (dip) what its neighbours predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// Above the expected value.
    Spike,
    /// Below the expected value.
    Dip,
}

impl AnomalyKind {
    /// `"spike"` or `"dip"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnomalyKind::Spike => "spike",
            AnomalyKind::Dip => "dip",
        }
    }
}

/// One flagged point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Anomaly {
    /// 0-based position in the series.
    pub index: usize,
    /// The observed value.
    pub value: f64,
    /// Signed score in robust standard deviations (positive for a spike, negative for a dip).
    pub score: f64,
    /// Spike or dip.
    pub kind: AnomalyKind,
    /// Suggested replacement: the value the point's neighbours (and season) predict.
    pub replacement: f64,
    /// Human-readable reason, e.g. `"spike: 6.3 robust SD above the expected 120.5"`.
    pub reason: String,
}

impl Anomaly {
    fn new(index: usize, value: f64, score: f64, replacement: f64) -> Self {
        let kind = if score > 0.0 { AnomalyKind::Spike } else { AnomalyKind::Dip };
        let side = if kind == AnomalyKind::Spike { "above" } else { "below" };
        let expected = (replacement * 1e4).round() / 1e4;
        let reason = format!("{}: {:.1} robust SD {side} the expected {expected}", kind.as_str(), score.abs());
        Anomaly { index, value, score, kind, replacement, reason }
    }
}

/// Which rule the detector applied to the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandRegime {
    /// Two-sided robust residuals (with or without seasonal adjustment).
    Regular,
    /// Many zero periods: only outsized non-zero demands (and negative values) are flagged.
    Intermittent,
    /// Fewer than [`MIN_ANOMALY_POINTS`] points: nothing is flagged.
    TooShort,
}

impl DemandRegime {
    /// `"regular"`, `"intermittent"` or `"too_short"` (the serde names).
    pub fn as_str(self) -> &'static str {
        match self {
            DemandRegime::Regular => "regular",
            DemandRegime::Intermittent => "intermittent",
            DemandRegime::TooShort => "too_short",
        }
    }
}

/// The detector's result for one series.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnomalyReport {
    /// Flagged points, by position.
    pub anomalies: Vec<Anomaly>,
    /// The rule applied.
    pub regime: DemandRegime,
    /// Whether the series was seasonally adjusted before scoring.
    pub seasonally_adjusted: bool,
    /// Points used on each side to predict a point (regular regime; 0 otherwise).
    pub neighbours: usize,
    /// The robust scale one score unit stands for (mean of the two side scales, or the non-zero
    /// sizes' scale for intermittent demand).
    pub scale: f64,
    /// The threshold applied to `|score|`.
    pub threshold: f64,
}

impl AnomalyReport {
    /// 0-based positions of the flagged points.
    pub fn indices(&self) -> Vec<usize> {
        self.anomalies.iter().map(|a| a.index).collect()
    }
}

/// Settings of [`detect_anomalies_with`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DetectorConfig {
    /// Flag points with `|score| >= threshold` (robust SDs). Default 4.
    pub threshold: f64,
    /// A point is scored only when it stands out from *each* side by at least this many robust SDs
    /// of that side (protects level shifts and trend turns). Default 2.5.
    pub side_threshold: f64,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig { threshold: DEFAULT_THRESHOLD, side_threshold: DEFAULT_SIDE_THRESHOLD }
    }
}

/// Detect spikes and dips in `y` with the default settings (see the module docs for the method).
/// `season_length` is 1 for non-seasonal data.
pub fn detect_anomalies(y: &[f64], season_length: usize) -> Result<AnomalyReport> {
    detect_anomalies_with(y, season_length, &DetectorConfig::default())
}

/// [`detect_anomalies`] with explicit settings.
pub fn detect_anomalies_with(y: &[f64], season_length: usize, config: &DetectorConfig) -> Result<AnomalyReport> {
    crate::series::validate_finite(y, 1, "detect_anomalies")?;
    if season_length == 0 || season_length > MAX_ANOMALY_SEASON_LENGTH {
        return Err(Error::invalid_parameter(
            "season_length",
            season_length,
            format!("must be within [1, {MAX_ANOMALY_SEASON_LENGTH}] (1 for non-seasonal data)"),
        ));
    }
    if !(config.threshold.is_finite() && config.threshold > 0.0) {
        return Err(Error::invalid_parameter("threshold", config.threshold, "must be a positive number"));
    }
    if !(config.side_threshold.is_finite() && config.side_threshold >= 0.0) {
        return Err(Error::invalid_parameter("side_threshold", config.side_threshold, "must be a number >= 0"));
    }
    let n = y.len();
    if n < MIN_ANOMALY_POINTS {
        return Ok(AnomalyReport {
            anomalies: Vec::new(),
            regime: DemandRegime::TooShort,
            seasonally_adjusted: false,
            neighbours: 0,
            scale: 0.0,
            threshold: config.threshold,
        });
    }
    let zeros = y.iter().filter(|&&v| v == 0.0).count();
    if zeros as f64 >= INTERMITTENT_ZERO_SHARE * n as f64 {
        Ok(intermittent(y, config.threshold + 1.0))
    } else {
        Ok(regular(y, season_length, config))
    }
}

/// The slope rules tried in step 2.
#[derive(Clone, Copy)]
enum Slope {
    None,
    Global,
    Local,
}

/// Half-width of the window of first differences behind the local slope.
const LOCAL_SLOPE_HALF: usize = 12;
/// Other cycles whose same-phase values give the seasonal term.
const SEASONAL_CYCLES: usize = 6;

struct Scored {
    left: Vec<Option<f64>>,
    right: Vec<Option<f64>>,
    sd_left: f64,
    sd_right: f64,
    sd_both: f64,
}

fn regular(y: &[f64], m: usize, config: &DetectorConfig) -> AnomalyReport {
    let threshold = config.threshold;
    let n = y.len();
    let mut options: Vec<(bool, Vec<f64>)> = vec![(false, vec![0.0; n])];
    if m >= 2 && n > 2 * m {
        options.push((true, seasonal_terms(y, m)));
    }
    // Choose the sharpest neighbour prediction over all settings.
    let mut best: Option<(f64, bool, usize, Scored, usize)> = None;
    for (oi, (_, seasonal)) in options.iter().enumerate() {
        let z: Vec<f64> = y.iter().zip(seasonal).map(|(a, s)| a - s).collect();
        let diffs: Vec<f64> = z.windows(2).map(|w| w[1] - w[0]).collect();
        let global = median(&diffs);
        let local = local_slopes(&diffs, n);
        for slope in [Slope::None, Slope::Global, Slope::Local] {
            let g: Vec<f64> = match slope {
                Slope::None => vec![0.0; n],
                Slope::Global => vec![global; n],
                Slope::Local => local.clone(),
            };
            for k in 1..=3 {
                let scored = side_predictions(&z, &g, k);
                let spread = scored.sd_both;
                if best.as_ref().is_none_or(|b| spread < b.0) {
                    best = Some((spread, options[oi].0, k, scored, oi));
                }
            }
        }
    }
    let Some((_, adjusted, k, scored, oi)) = best else {
        return empty_regular(threshold);
    };
    let seasonal = &options[oi].1;
    let non_negative = y.iter().all(|&v| v >= 0.0);
    let z: Vec<f64> = y.iter().zip(seasonal).map(|(a, s)| a - s).collect();
    let tiny = 1e-9 * y.iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1e-300);
    let (sl, sr, sb) = (scored.sd_left.max(tiny), scored.sd_right.max(tiny), scored.sd_both.max(tiny));
    let mut anomalies = Vec::new();
    for t in 0..n {
        let a = scored.left[t].map(|p| z[t] - p);
        let b = scored.right[t].map(|p| z[t] - p);
        let score = match (a, b) {
            // One neighbour per side (random-walk-like series): the two sides' errors are
            // independent, so their mean is the sharper statistic; wider sides share the point's
            // own noise and the weaker side is the safer score.
            (Some(a), Some(b))
                if a * b > 0.0 && k == 1 && (a.abs() / sl).min(b.abs() / sr) >= config.side_threshold =>
            {
                (a + b) / (2.0 * sb)
            }
            (Some(a), Some(b)) if a * b > 0.0 && k > 1 => a.signum() * (a.abs() / sl).min(b.abs() / sr),
            (Some(_), Some(_)) => 0.0,
            (Some(a), None) => a / sl,
            (None, Some(b)) => b / sr,
            (None, None) => 0.0,
        };
        if score.abs() >= threshold {
            let level = match (scored.left[t], scored.right[t]) {
                (Some(l), Some(r)) => 0.5 * (l + r),
                (Some(l), None) => l,
                (None, Some(r)) => r,
                (None, None) => z[t],
            };
            let mut replacement = seasonal[t] + level;
            if non_negative {
                replacement = replacement.max(0.0);
            }
            anomalies.push(Anomaly::new(t, y[t], score, replacement));
        }
    }
    AnomalyReport {
        anomalies,
        regime: DemandRegime::Regular,
        seasonally_adjusted: adjusted,
        neighbours: k,
        scale: 0.5 * (sl + sr),
        threshold,
    }
}

fn empty_regular(threshold: f64) -> AnomalyReport {
    AnomalyReport {
        anomalies: Vec::new(),
        regime: DemandRegime::Regular,
        seasonally_adjusted: false,
        neighbours: 0,
        scale: 0.0,
        threshold,
    }
}

/// Step 1: seasonal terms from a running-median trend and same-phase medians of other cycles.
fn seasonal_terms(y: &[f64], m: usize) -> Vec<f64> {
    let trend = running_median(y, m / 2);
    let detrended: Vec<f64> = y.iter().zip(&trend).map(|(a, b)| a - b).collect();
    same_phase_median(&detrended, m, SEASONAL_CYCLES)
}

/// Median of the first differences within `LOCAL_SLOPE_HALF` of each point.
fn local_slopes(diffs: &[f64], n: usize) -> Vec<f64> {
    let mut buf = Vec::with_capacity(2 * LOCAL_SLOPE_HALF);
    (0..n)
        .map(|t| {
            if diffs.is_empty() {
                return 0.0;
            }
            // diffs[i] = z[i+1] - z[i]; the differences i in [t - H, t + H) that exist.
            let hi = (t + LOCAL_SLOPE_HALF).min(diffs.len());
            let lo = t.saturating_sub(LOCAL_SLOPE_HALF).min(hi - 1);
            buf.clear();
            buf.extend_from_slice(&diffs[lo..hi]);
            median_in_place(&mut buf)
        })
        .collect()
}

/// Step 2: one-sided predictions from `k` neighbours with slope correction, and their residual scales.
fn side_predictions(z: &[f64], g: &[f64], k: usize) -> Scored {
    let n = z.len();
    let mut buf = Vec::with_capacity(k);
    let mut left = Vec::with_capacity(n);
    let mut right = Vec::with_capacity(n);
    for t in 0..n {
        buf.clear();
        buf.extend((1..=k.min(t)).map(|j| z[t - j] + j as f64 * g[t]));
        left.push(if buf.is_empty() { None } else { Some(median_in_place(&mut buf)) });
        buf.clear();
        buf.extend((1..=k.min(n - 1 - t)).map(|j| z[t + j] - j as f64 * g[t]));
        right.push(if buf.is_empty() { None } else { Some(median_in_place(&mut buf)) });
    }
    let resid =
        |side: &[Option<f64>]| -> Vec<f64> { side.iter().zip(z).filter_map(|(p, v)| p.map(|p| v - p)).collect() };
    let sd_left = robust_sd(&resid(&left));
    let sd_right = robust_sd(&resid(&right));
    let both: Vec<f64> = (0..n)
        .filter_map(|t| match (left[t], right[t]) {
            (Some(l), Some(r)) => Some(z[t] - 0.5 * (l + r)),
            _ => None,
        })
        .collect();
    let sd_both = robust_sd(&both);
    Scored { left, right, sd_left, sd_right, sd_both }
}

/// The intermittent rule (module docs).
fn intermittent(y: &[f64], threshold: f64) -> AnomalyReport {
    let sizes: Vec<f64> = y.iter().copied().filter(|&v| v > 0.0).collect();
    let typical = median(&sizes);
    let scale = if sizes.is_empty() { 1.0 } else { robust_sd(&sizes).max(typical.sqrt()).max(0.5) };
    let mostly_non_negative = y.iter().filter(|&&v| v < 0.0).count() * 10 < y.len();
    let mut anomalies = Vec::new();
    for (t, &v) in y.iter().enumerate() {
        if v > 0.0 && sizes.len() >= MIN_ANOMALY_POINTS {
            let score = (v - typical) / scale;
            if score >= threshold {
                anomalies.push(Anomaly::new(t, v, score, typical));
            }
        } else if v < 0.0 && mostly_non_negative {
            anomalies.push(Anomaly::new(t, v, (v / scale).min(-f64::MIN_POSITIVE), 0.0));
        }
    }
    AnomalyReport {
        anomalies,
        regime: DemandRegime::Intermittent,
        seasonally_adjusted: false,
        neighbours: 0,
        scale,
        threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| {
                100.0
                    + 0.5 * t as f64
                    + 20.0 * ((t % 12) as f64 * std::f64::consts::FRAC_PI_6).sin()
                    + ((t * 7919) % 13) as f64 * 0.3
            })
            .collect()
    }

    #[test]
    fn finds_a_spike_and_a_dip_in_a_seasonal_trending_series() {
        let mut y = wave(96);
        y[30] += 40.0;
        y[61] -= 40.0;
        let r = detect_anomalies(&y, 12).expect("a value");
        assert_eq!(r.indices(), vec![30, 61]);
        assert_eq!(r.anomalies[0].kind, AnomalyKind::Spike);
        assert_eq!(r.anomalies[1].kind, AnomalyKind::Dip);
        assert!((r.anomalies[0].replacement - (y[30] - 40.0)).abs() < 5.0);
        assert!(r.anomalies[0].reason.starts_with("spike: "));
    }

    #[test]
    fn a_level_shift_is_not_an_anomaly() {
        let y: Vec<f64> = (0..60).map(|t| if t < 30 { 10.0 } else { 50.0 } + ((t * 37) % 7) as f64 * 0.2).collect();
        assert!(detect_anomalies(&y, 1).expect("a value").anomalies.is_empty());
    }

    #[test]
    fn intermittent_demand_keeps_its_ordinary_non_zero_periods() {
        let mut y: Vec<f64> = (0..80).map(|t| if t % 3 == 0 { 2.0 + (t % 4) as f64 } else { 0.0 }).collect();
        assert!(detect_anomalies(&y, 1).expect("a value").anomalies.is_empty());
        y[40] = 60.0;
        let r = detect_anomalies(&y, 1).expect("a value");
        assert_eq!(r.regime, DemandRegime::Intermittent);
        assert_eq!(r.indices(), vec![40]);
    }

    #[test]
    fn bad_input_is_an_error_and_short_input_is_not() {
        assert!(matches!(detect_anomalies(&[1.0, f64::NAN], 1), Err(Error::NonFinite { index: 1, .. })));
        assert!(matches!(detect_anomalies(&[1.0; 10], 0), Err(Error::InvalidParameter { .. })));
        assert_eq!(detect_anomalies(&[1.0, 50.0], 1).expect("a value").regime, DemandRegime::TooShort);
        assert!(detect_anomalies(&[7.0; 30], 12).expect("a value").anomalies.is_empty());
    }
}
