//! Distribution of the one-sample Kolmogorov statistic `D_n = sup |F_n - F|`, used by the
//! asymptotic branch of the two-sample test.
//!
//! [`kolmogorov_sf`] computes `P(D_n >= x)` with the method selection of R. Simard and P. L'Ecuyer
//! (2011), "Computing the two-sided Kolmogorov-Smirnov distribution", Journal of Statistical Software
//! 39(11), as `scipy.stats.kstwo.sf` does:
//!
//! - Ruben & Gambino (1982) closed forms for `n x <= 1` (`P(D_n <= x) = n!/n^n (2nx - 1)^n`) and
//!   `n x >= n - 1` (`P(D_n >= x) = 2 (1 - x)^n`);
//! - `2 · P(D_n^+ >= x)` (Smirnov's one-sided tail, Birnbaum & Tingey 1951) when `x >= 1/2` and in the
//!   far tail (`n x² >= 2.2` for `n > 140`, `n x² > 4` for `n <= 140`), zero when `n x² >= 370`;
//! - the Durbin (1968) matrix method, computed as in Marsaglia, Tsang & Wang (2003), "Evaluating
//!   Kolmogorov's distribution", JSS 8(18), for small `n x²` (`n <= 140`, where Simard-L'Ecuyer use
//!   Pomeranz's recursion in the middle range: both are exact, forestock uses Durbin's for both) and for
//!   `n <= 100000` with `n x^{3/2} <= 1.4`;
//! - the Pelz & Good (1976) asymptotic series otherwise.

/// `2^128`, the rescaling step that keeps intermediate products in range.
const SCALE_EXP: i32 = 128;

fn ldexp(x: f64, e: i32) -> f64 {
    // Split the exponent so that 2^e never overflows on its own.
    let mut out = x;
    let mut rem = e;
    while rem != 0 {
        let step = rem.clamp(-1000, 1000);
        out *= 2f64.powi(step);
        rem -= step;
    }
    out
}

/// `ln(n! / n^n)` by Stirling's series (Abramowitz & Stegun 6.1.40) with 8 correction terms.
fn ln_factorial_over_power(n: f64) -> f64 {
    // Coefficients B_{2k} / (2k (2k-1)), k = 8 down to 1, for Horner evaluation in 1/n².
    const STIRLING: [f64; 8] = [
        -3617.0 / 122_400.0,
        1.0 / 156.0,
        -691.0 / 360_360.0,
        1.0 / 1188.0,
        -1.0 / 1680.0,
        1.0 / 1260.0,
        -1.0 / 360.0,
        1.0 / 12.0,
    ];
    let r = 1.0 / n;
    let series = STIRLING.iter().fold(0.0, |acc, c| acc * (r * r) + c);
    n.ln() / 2.0 - n + (2.0 * std::f64::consts::PI).ln() / 2.0 + r * series
}

/// Smirnov's one-sided tail `P(D_n^+ >= x)` (Birnbaum & Tingey 1951):
/// `x Σ_{j=0}^{⌊n(1-x)⌋} C(n, j) (x + j/n)^{j-1} (1 - x - j/n)^{n-j}`, summed in log space.
pub(crate) fn smirnov_sf(n: u64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x >= 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    let last = (nf * (1.0 - x)).floor() as u64;
    let mut ln_binom = 0.0; // ln C(n, 0)
    let mut sum = 0.0;
    for j in 0..=last.min(n) {
        if j > 0 {
            ln_binom += ((nf - j as f64 + 1.0) / j as f64).ln();
        }
        let jf = j as f64;
        let up = x + jf / nf;
        let down = 1.0 - up;
        let remaining = nf - jf;
        if down <= 0.0 && remaining > 0.0 {
            continue;
        }
        let ln_term = ln_binom + (jf - 1.0) * up.ln() + if remaining > 0.0 { remaining * down.ln() } else { 0.0 };
        sum += ln_term.exp();
    }
    (x * sum).clamp(0.0, 1.0)
}

fn mat_mul(a: &[f64], b: &[f64], m: usize) -> Vec<f64> {
    let mut out = vec![0.0; m * m];
    for i in 0..m {
        for k in 0..m {
            let aik = a[i * m + k];
            if aik == 0.0 {
                continue;
            }
            for j in 0..m {
                out[i * m + j] += aik * b[k * m + j];
            }
        }
    }
    out
}

/// Durbin's matrix formula for `P(D_n < x)` (Marsaglia, Tsang & Wang 2003): with `k = ⌈n x⌉`,
/// `h = k - n x`, `m = 2k - 1`, `P = n!/n^n · (H^n)_{k,k}` for the `m × m` matrix `H` of that paper.
fn durbin_cdf(n: u64, x: f64) -> f64 {
    let nx = n as f64 * x;
    if x >= 1.0 {
        return 1.0;
    }
    if nx <= 0.5 {
        return 0.0;
    }
    let k = nx.ceil() as usize;
    let h = k as f64 - nx;
    let m = 2 * k - 1;
    // w[j] = 1/j!, v[j] = (1 - h^{j+1}) / (j+1)!
    let mut w = vec![0.0; m];
    let mut v = vec![0.0; m];
    let mut fact_inv = 1.0;
    for j in 0..m {
        w[j] = fact_inv;
        fact_inv /= (j + 1) as f64;
        v[j] = (1.0 - h.powi(j as i32 + 1)) * fact_inv;
    }
    let corner = (2.0 * h - 1.0).max(0.0).powi(m as i32) - 2.0 * h.powi(m as i32);
    v[m - 1] = (1.0 + corner) * fact_inv;
    let mut hm = vec![0.0; m * m];
    // H[i][j] = 1/(i-j+1)! for i >= j-1 (sub-diagonal band), first column v, last row v reversed.
    for col in 1..m {
        for row in (col - 1)..m {
            hm[row * m + col] = w[row + 1 - col];
        }
    }
    for row in 0..m {
        hm[row * m] = v[row];
    }
    for col in 0..m {
        hm[(m - 1) * m + col] = v[m - 1 - col];
    }
    // Binary powering with a separate binary exponent to avoid overflow.
    let mut result = vec![0.0; m * m];
    for i in 0..m {
        result[i * m + i] = 1.0;
    }
    let (mut result_exp, mut base_exp) = (0i32, 0i32);
    let mut power = n;
    let big = ldexp(1.0, SCALE_EXP);
    while power > 0 {
        if power % 2 == 1 {
            result = mat_mul(&result, &hm, m);
            result_exp += base_exp;
        }
        hm = mat_mul(&hm, &hm, m);
        base_exp *= 2;
        if hm[(k - 1) * m + k - 1].abs() > big {
            hm.iter_mut().for_each(|e| *e /= big);
            base_exp += SCALE_EXP;
        }
        power /= 2;
    }
    let mut p = result[(k - 1) * m + k - 1];
    let small = ldexp(1.0, -SCALE_EXP);
    for i in 1..=n {
        p = i as f64 * p / n as f64;
        if p.abs() < small {
            p *= big;
            result_exp -= SCALE_EXP;
        }
    }
    ldexp(p, result_exp).clamp(0.0, 1.0)
}

/// Pelz & Good (1976) series for `P(D_n <= x)`: `K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2}`,
/// `z = x √n`, each term written with Jacobi theta transforms suited to small `z`.
fn pelz_good_cdf(n: u64, x: f64) -> f64 {
    use std::f64::consts::PI;
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let z = nf.sqrt() * x;
    let (z2, z3, z4, z6) = (z * z, z * z * z, z.powi(4), z.powi(6));
    let (pi2, pi4, pi6) = (PI * PI, PI.powi(4), PI.powi(6));
    let qlog = -pi2 / 8.0 / z2;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();
    let sqrt_2pi = (2.0 * PI).sqrt();
    let k1a = -z2;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * z6 + 2.0 * z4;
    let k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    let k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    let k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    let k3a = -30.0 * z6 - 90.0 * z.powi(8);
    let terms = (16.0 * z / PI).ceil().max(1.0) as u64;
    let mut k = [0.0f64; 4];
    for kk in (1..=terms).rev() {
        let m = (2 * kk - 1) as f64;
        let (m2, m4, m6) = (m * m, m.powi(4), m.powi(6));
        let qpow = q.powf(8.0 * kk as f64);
        let coeffs = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
        for (acc, c) in k.iter_mut().zip(coeffs) {
            *acc = *acc * qpow + c;
        }
    }
    let denominators = [z, 6.0 * z4, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (acc, d) in k.iter_mut().zip(denominators) {
        *acc = *acc * q * sqrt_2pi / d;
    }
    let q2 = (-pi2 / 2.0 / z2).exp();
    let (mut extra2, mut extra3) = (0.0, 0.0);
    let sqrt3z = 3f64.sqrt() * z;
    for kk in (1..=terms).rev() {
        let kf = kk as f64;
        let ksq = kf * kf;
        let qp = q2.powf(ksq);
        extra2 += ksq * qp;
        let kpi = PI * kf;
        extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * ksq * qp;
    }
    k[2] += extra2 * pi2 * sqrt_2pi / (-36.0 * z3);
    k[3] += extra3 * pi2 * sqrt_2pi / (216.0 * z6);
    k.iter().enumerate().map(|(i, v)| v / nf.powf(i as f64 / 2.0)).sum()
}

/// `P(D_n >= x)` for the two-sided one-sample Kolmogorov statistic with `n >= 1` observations.
pub(crate) fn kolmogorov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() {
        return f64::NAN;
    }
    if x >= 1.0 {
        return 0.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let nf = n as f64;
    let t = nf * x;
    if t <= 1.0 {
        if t <= 0.5 {
            return 1.0;
        }
        let cdf = if n <= 140 {
            (1..=n).fold(1.0, |acc, i| acc * (i as f64 * (1.0 / nf) * (2.0 * t - 1.0)))
        } else {
            (ln_factorial_over_power(nf) + nf * (2.0 * t - 1.0).ln()).exp()
        };
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    if t >= nf - 1.0 {
        return (2.0 * (1.0 - x).powf(nf)).clamp(0.0, 1.0);
    }
    if x >= 0.5 {
        return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
    }
    let nx2 = t * x;
    if n <= 140 {
        if nx2 <= 4.0 {
            return (1.0 - durbin_cdf(n, x)).clamp(0.0, 1.0);
        }
        return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
    }
    if nx2 >= 370.0 {
        return 0.0;
    }
    if nx2 >= 2.2 {
        return (2.0 * smirnov_sf(n, x)).clamp(0.0, 1.0);
    }
    let cdf = if n <= 100_000 && nf * x.powf(1.5) <= 1.4 { durbin_cdf(n, x) } else { pelz_good_cdf(n, x) };
    (1.0 - cdf).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::function::gamma::ln_gamma;

    #[test]
    fn closed_forms_and_limits() {
        assert_eq!(kolmogorov_sf(10, 0.0), 1.0);
        assert_eq!(kolmogorov_sf(10, 1.0), 0.0);
        assert_eq!(kolmogorov_sf(10, 0.04), 1.0); // n x <= 1/2
                                                  // n x >= n - 1: 2 (1-x)^n
        assert!((kolmogorov_sf(5, 0.9) - 2.0 * 0.1f64.powi(5)).abs() < 1e-15);
        // n = 1: D_1 is uniform on [1/2, 1], P(D_1 >= x) = 2 (1 - x).
        assert!((kolmogorov_sf(1, 0.7) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn methods_agree_where_their_ranges_meet() {
        // Durbin (exact) against the Pelz-Good series for a large n, and against 2·Smirnov in the tail.
        for &(n, x) in &[(2000u64, 0.02), (5000, 0.015), (400, 0.05)] {
            let d = 1.0 - durbin_cdf(n, x);
            let pg = 1.0 - pelz_good_cdf(n, x);
            assert!((d - pg).abs() < 1e-6, "n={n} x={x}: durbin {d} pelz-good {pg}");
        }
        for &(n, x) in &[(100u64, 0.2), (300, 0.1)] {
            let d = 1.0 - durbin_cdf(n, x);
            let s = 2.0 * smirnov_sf(n, x);
            assert!((d - s).abs() < 1e-6, "n={n} x={x}: durbin {d} 2*smirnov {s}");
        }
    }

    #[test]
    fn stirling_matches_log_gamma() {
        for n in [141.0f64, 500.0, 5000.0] {
            let exact = ln_gamma(n + 1.0) - n * n.ln();
            assert!((ln_factorial_over_power(n) - exact).abs() < 1e-9);
        }
    }
}
