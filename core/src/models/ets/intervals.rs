//! Analytic forecast means and variances of R `forecast.ets` (`R/forecast.ets.R`: `class1`,
//! `class2`, `class3`), from Hyndman, Koehler, Ord & Snyder (2008), *Forecasting with Exponential
//! Smoothing*, ch. 6.
//!
//! With the linear form `y_t = w' x_{t-1} + ε_t`, `x_t = F x_{t-1} + g ε_t` and
//! `c_j = w' F^{j-1} g`:
//!
//! * **Class 1** (additive error, trend N/A/Ad, season N/A): `μ_h = w' F^{h-1} x_n`,
//!   `v_h = σ² (1 + Σ_{j=1}^{h-1} c_j²)`.
//! * **Class 2** (multiplicative error, trend N/A/Ad, season N/A): with `θ_1 = μ_1²`,
//!   `θ_h = μ_h² + σ² Σ_{j=1}^{h-1} c_j² θ_{h-j}`, `v_h = (1 + σ²) θ_h - μ_h²`.
//! * **Class 3** (multiplicative error and season, trend N/A/Ad): the level-trend block and the
//!   seasonal block evolve as a matrix `M_h` with second moments `V_h` (Kronecker recursion of
//!   Hyndman et al. 2008, §6.4); `μ_h = H_1 M_h H_2'`,
//!   `v_h = (1 + σ²) H_{21} V_h H_{21}' + σ² μ_h²`. The mean includes the `σ²` correction of the
//!   seasonal-level interaction, exactly as R returns it (R also uses `F_1 = [[1, 1], [0, φ]]`).
//!
//! Intervals are `μ_h ± z_{(1+level)/2} √v_h`. (As in R's `class1`, the γ entry of `g` is placed at
//! the third state, which for the non-trended seasonal forms is `s_1` — reproduced for parity.)

use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};
use super::state_space::Smoothing;

/// The analytic classes of R `forecast.ets` (forms with multiplicative trend have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalyticClass {
    /// Additive error, trend N/A/Ad, season N/A.
    Class1,
    /// Multiplicative error, trend N/A/Ad, season N/A.
    Class2,
    /// Multiplicative error and season, trend N/A/Ad.
    Class3,
}

impl AnalyticClass {
    /// The class of `spec`, or `None` when intervals must be simulated.
    pub fn of(spec: &EtsSpec) -> Option<AnalyticClass> {
        let trend_ok = spec.trend != TrendType::Multiplicative;
        match (spec.error, spec.season) {
            (ErrorType::Additive, SeasonType::None | SeasonType::Additive) if trend_ok => Some(AnalyticClass::Class1),
            (ErrorType::Multiplicative, SeasonType::None | SeasonType::Additive) if trend_ok => {
                Some(AnalyticClass::Class2)
            }
            (ErrorType::Multiplicative, SeasonType::Multiplicative) if trend_ok => Some(AnalyticClass::Class3),
            _ => None,
        }
    }
}

/// Forecast means and, when `variances`, variances for horizons `1..=h` from the last state `x`
/// (R order); the variances are empty otherwise. A forecast without intervals (e.g. at each window
/// of a backtest) needs the means alone, which for the multiplicative class 3 skips the
/// `(2m)²`-sized covariance recursion, most of its cost; the means are the same either way.
#[allow(clippy::too_many_arguments)]
pub(crate) fn analytic_moments(
    class: AnalyticClass,
    spec: &EtsSpec,
    m: usize,
    sm: &Smoothing,
    x: &[f64],
    sigma2: f64,
    h: usize,
    variances: bool,
) -> (Vec<f64>, Vec<f64>) {
    match class {
        AnalyticClass::Class1 => {
            let (mu, var, _) = class1(spec, m, sm, x, sigma2, h);
            (mu, if variances { var } else { Vec::new() })
        }
        AnalyticClass::Class2 if variances => class2(spec, m, sm, x, sigma2, h),
        AnalyticClass::Class2 => (class1(spec, m, sm, x, sigma2, h).0, Vec::new()),
        AnalyticClass::Class3 => class3(spec, m, sm, x, sigma2, h, variances),
    }
}

/// Class 1: returns `(μ, v, c)` with `c_j = w' F^{j-1} g`, `j = 1..h-1`.
#[allow(clippy::needless_range_loop)] // horizon index used for both mu and the c_j recursion
fn class1(
    spec: &EtsSpec,
    m: usize,
    sm: &Smoothing,
    x: &[f64],
    sigma2: f64,
    h: usize,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let p = x.len();
    let has_trend = spec.trend != TrendType::None;
    let seasonal = spec.season != SeasonType::None;
    let phi = if spec.damped { sm.phi } else { 1.0 };
    let mut w = vec![0.0; p];
    w[0] = 1.0;
    if seasonal {
        w[p - 1] = 1.0;
    }
    if has_trend {
        w[1] = phi;
    }
    let mut f = vec![0.0; p * p];
    f[0] = 1.0;
    if has_trend {
        f[1] = phi;
        f[p + 1] = phi;
    }
    if seasonal {
        let s0 = p - m;
        f[s0 * p + (p - 1)] = 1.0;
        for k in 1..m {
            f[(s0 + k) * p + (s0 + k - 1)] = 1.0;
        }
    }
    let mut g = vec![0.0; p];
    g[0] = sm.alpha;
    if has_trend {
        g[1] = sm.beta;
    }
    if seasonal && p > 2 {
        g[2] = sm.gamma;
    }
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>();
    // r = w' F^j, advanced one step at a time.
    let mut r = w.clone();
    let mut next = vec![0.0; p];
    let mut mu = vec![0.0; h];
    let mut c = Vec::with_capacity(h.saturating_sub(1));
    for i in 0..h {
        mu[i] = dot(&r, x);
        if i + 1 < h {
            c.push(dot(&r, &g));
            for (col, nv) in next.iter_mut().enumerate() {
                *nv = (0..p).map(|k| r[k] * f[k * p + col]).sum();
            }
            std::mem::swap(&mut r, &mut next);
        }
    }
    let mut var = Vec::with_capacity(h);
    let mut cum = 0.0;
    var.push(sigma2);
    for cj in &c {
        cum += cj * cj;
        var.push(sigma2 * (1.0 + cum));
    }
    (mu, var, c)
}

fn class2(spec: &EtsSpec, m: usize, sm: &Smoothing, x: &[f64], sigma2: f64, h: usize) -> (Vec<f64>, Vec<f64>) {
    let (mu, _, c) = class1(spec, m, sm, x, sigma2, h);
    let mut theta = vec![0.0; h];
    for j in 0..h {
        let mut s = 0.0;
        for k in 0..j {
            s += c[k] * c[k] * theta[j - 1 - k];
        }
        theta[j] = mu[j] * mu[j] + sigma2 * s;
    }
    let var = theta.iter().zip(&mu).map(|(t, u)| (1.0 + sigma2) * t - u * u).collect();
    (mu, var)
}

/// Dense row-major matrix for the small Kronecker computations of class 3.
#[derive(Debug, Clone)]
struct Mat {
    r: usize,
    c: usize,
    d: Vec<f64>,
}

impl Mat {
    fn zeros(r: usize, c: usize) -> Mat {
        Mat { r, c, d: vec![0.0; r * c] }
    }
    fn at(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.c + j]
    }
    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.d[i * self.c + j] = v;
    }
    fn mul(&self, o: &Mat) -> Mat {
        let mut out = Mat::zeros(self.r, o.c);
        for i in 0..self.r {
            for k in 0..self.c {
                let a = self.at(i, k);
                if a == 0.0 {
                    continue;
                }
                for j in 0..o.c {
                    out.d[i * o.c + j] += a * o.d[k * o.c + j];
                }
            }
        }
        out
    }
    fn t(&self) -> Mat {
        let mut out = Mat::zeros(self.c, self.r);
        for i in 0..self.r {
            for j in 0..self.c {
                out.set(j, i, self.at(i, j));
            }
        }
        out
    }
    fn add(&self, o: &Mat) -> Mat {
        Mat { r: self.r, c: self.c, d: self.d.iter().zip(&o.d).map(|(a, b)| a + b).collect() }
    }
    fn scale(&self, s: f64) -> Mat {
        Mat { r: self.r, c: self.c, d: self.d.iter().map(|a| a * s).collect() }
    }
    fn kron(&self, o: &Mat) -> Mat {
        let mut out = Mat::zeros(self.r * o.r, self.c * o.c);
        for ia in 0..self.r {
            for ja in 0..self.c {
                let a = self.at(ia, ja);
                for ib in 0..o.r {
                    for jb in 0..o.c {
                        out.set(ia * o.r + ib, ja * o.c + jb, a * o.at(ib, jb));
                    }
                }
            }
        }
        out
    }
    /// Column-major vectorisation (R's `c(M)`) as a column matrix.
    fn vec(&self) -> Mat {
        let mut out = Mat::zeros(self.r * self.c, 1);
        for j in 0..self.c {
            for i in 0..self.r {
                out.d[j * self.r + i] = self.at(i, j);
            }
        }
        out
    }
}

/// Class 3 means and, when `full`, variances (empty otherwise; the means do not depend on them);
/// `s2` is σ².
fn class3(spec: &EtsSpec, m: usize, sm: &Smoothing, x: &[f64], s2: f64, h: usize, full: bool) -> (Vec<f64>, Vec<f64>) {
    let has_trend = spec.trend != TrendType::None;
    let q = 1 + usize::from(has_trend);
    let phi = if spec.damped { sm.phi } else { 1.0 };
    let mut h1 = Mat::zeros(1, q);
    h1.d.iter_mut().for_each(|v| *v = 1.0);
    let mut h2 = Mat::zeros(1, m);
    h2.set(0, m - 1, 1.0);
    let (f1, g1) = if has_trend {
        (
            Mat { r: 2, c: 2, d: vec![1.0, 1.0, 0.0, phi] },
            Mat { r: 2, c: 2, d: vec![sm.alpha, sm.alpha, sm.beta, sm.beta] },
        )
    } else {
        (Mat { r: 1, c: 1, d: vec![1.0] }, Mat { r: 1, c: 1, d: vec![sm.alpha] })
    };
    let mut f2 = Mat::zeros(m, m);
    f2.set(0, m - 1, 1.0);
    for k in 1..m {
        f2.set(k, k - 1, 1.0);
    }
    let mut g2 = Mat::zeros(m, m);
    g2.set(0, m - 1, sm.gamma);
    let lt = Mat { r: q, c: 1, d: x[..q].to_vec() };
    let st = Mat { r: 1, c: m, d: x[q..q + m].to_vec() };
    let mut mh = lt.mul(&st);
    let qm = q * m;
    let mut vh = Mat::zeros(qm, qm);
    let h21 = h2.kron(&h1);
    let f21 = f2.kron(&f1);
    let g21 = g2.kron(&g1);
    let k = g2.kron(&f1).add(&f2.kron(&g1));
    let (f21t, g21t, kt, h21t) = (f21.t(), g21.t(), k.t(), h21.t());
    let (f2t, g2t) = (f2.t(), g2.t());
    let mut mu = vec![0.0; h];
    let mut var = vec![0.0; if full { h } else { 0 }];
    for i in 0..h {
        mu[i] = h1.mul(&mh).mul(&h2.t()).at(0, 0);
        if full {
            var[i] = (1.0 + s2) * h21.mul(&vh).mul(&h21t).at(0, 0) + s2 * mu[i] * mu[i];
            let v = mh.vec();
            let vv = v.mul(&v.t());
            let inner = f21
                .mul(&vh)
                .mul(&g21t)
                .add(&g21.mul(&vh).mul(&f21t))
                .add(&k.mul(&vh.add(&vv)).mul(&kt))
                .add(&g21.mul(&vh.scale(3.0).add(&vv.scale(2.0))).mul(&g21t).scale(s2));
            vh = f21.mul(&vh).mul(&f21t).add(&inner.scale(s2));
        }
        mh = f1.mul(&mh).mul(&f2t).add(&g1.mul(&mh).mul(&g2t).scale(s2));
    }
    (mu, var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_variance_grows_linearly_in_alpha_squared() {
        let spec = EtsSpec::parse("ANN").expect("spec");
        let sm = Smoothing { alpha: 0.5, beta: 0.0, gamma: 0.0, phi: 1.0 };
        let (mu, var) = analytic_moments(AnalyticClass::Class1, &spec, 1, &sm, &[10.0], 2.0, 4, true);
        assert_eq!(mu, vec![10.0; 4]);
        for (j, v) in var.iter().enumerate() {
            assert!((v - 2.0 * (1.0 + 0.25 * j as f64)).abs() < 1e-12);
        }
    }

    #[test]
    fn the_means_alone_equal_the_means_with_variances() {
        let x = [100.0, 2.0, 1.1, 0.9, 1.2, 0.8];
        let sm = Smoothing { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 0.9 };
        for (code, class) in
            [("MAdM", AnalyticClass::Class3), ("MNM", AnalyticClass::Class3), ("MAA", AnalyticClass::Class2)]
        {
            let spec = EtsSpec::parse(code).expect("spec");
            let x: Vec<f64> = if spec.trend == TrendType::None { [&x[..1], &x[2..]].concat() } else { x.to_vec() };
            let (mu, var) = analytic_moments(class, &spec, 4, &sm, &x, 0.01, 9, true);
            let (means, none) = analytic_moments(class, &spec, 4, &sm, &x, 0.01, 9, false);
            assert_eq!(means, mu, "{code}");
            assert!(none.is_empty());
            assert!(var.iter().all(|v| *v > 0.0), "{code}");
        }
    }

    #[test]
    fn class3_without_noise_is_the_point_forecast() {
        let spec = EtsSpec::parse("MAM").expect("spec");
        let sm = Smoothing { alpha: 0.3, beta: 0.1, gamma: 0.1, phi: 1.0 };
        let x = [100.0, 2.0, 1.1, 0.9, 1.2, 0.8];
        let (mu, var) = analytic_moments(AnalyticClass::Class3, &spec, 4, &sm, &x, 0.0, 5, true);
        // s_{m-1} = 0.8 is used first, then s_{m-2} = 1.2, ...
        assert!((mu[0] - 102.0 * 0.8).abs() < 1e-9);
        assert!((mu[1] - 104.0 * 1.2).abs() < 1e-9);
        assert!((mu[4] - 110.0 * 0.8).abs() < 1e-9);
        assert!(var.iter().all(|v| v.abs() < 1e-9));
    }
}
