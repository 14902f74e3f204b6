//! The ETS state-space recursions (Hyndman, Koehler, Ord & Snyder 2008, *Forecasting with
//! Exponential Smoothing*, Table 2.1), written in R `forecast`'s error-correction form
//! (`src/etscalc.c`) so that the same parameters give the same numbers:
//!
//! ```text
//! q_t  = l_{t-1}                (N)     l_{t-1} + φ b_{t-1}    (A)     l_{t-1} b_{t-1}^φ   (M)
//! φb   = 0                      (N)     φ b_{t-1}              (A)     b_{t-1}^φ           (M)
//! p_t  = y_t (N)   y_t - s_{t-m} (A)   y_t / s_{t-m} (M)
//! l_t  = q_t + α (p_t - q_t)
//! b_t  = φb + (β/α) (r_t - φb),   r_t = l_t - l_{t-1} (A)  or  l_t / l_{t-1} (M)
//! s_t  = s_{t-m} + γ (u_t - s_{t-m}),  u_t = y_t - q_t (A)  or  y_t / q_t (M)
//! ```
//!
//! The one-step forecast is `μ_t = q_t (+ or ×) s_{t-m}`, the innovation `e_t = y_t - μ_t` (additive
//! error) or `(y_t - μ_t)/μ_t` (multiplicative error). The state vector is stored as R stores it:
//! `(l, b, s_0, …, s_{m-1})` with `s_0` the most recent seasonal index. Internally the seasonal
//! states live in a ring buffer so that one time step costs O(1) instead of R's O(m) shift.
//!
//! Two drivers share these formulas: [`State`] (used for the final pass with the AMSE, forecasting
//! and simulation) and [`likelihood_pass`], the optimiser's inner loop specialised at compile time on
//! the model form; a unit test checks that both give bit-identical innovations and likelihoods.

use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};

pub(crate) mod two_step;

/// Guard against division by (near) zero, as in R's `etscalc.c`.
pub(crate) const TOL: f64 = 1e-10;
/// Value substituted for a ratio with a (near) zero denominator (R's `HUGEN`).
pub(crate) const HUGEN: f64 = 1e10;
/// Largest number of horizons tracked for the AMSE (R caps `nmse` at 30).
pub(crate) const MAX_NMSE: usize = 30;

/// Smoothing parameters with the neutral values of absent components (β = γ = 0, φ = 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Smoothing {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// The state `(l, b, s)` of an ETS model, with the seasonal indices in a ring buffer.
#[derive(Debug, Clone)]
pub(crate) struct State {
    spec: EtsSpec,
    level: f64,
    slope: f64,
    /// Ring buffer of the `m` seasonal indices (empty without a seasonal component).
    season: Vec<f64>,
    /// Position in `season` of `s_0`, the most recent index.
    head: usize,
}

impl State {
    /// A state for `spec` with period `m`, set from R's state vector `(l, b, s_0..s_{m-1})`.
    /// `x` must hold `spec.n_states(m)` values.
    pub(crate) fn new(spec: EtsSpec, m: usize, x: &[f64]) -> State {
        let m = if spec.season == SeasonType::None { 0 } else { m };
        let mut st = State { spec, level: 0.0, slope: 0.0, season: vec![0.0; m], head: 0 };
        st.reset(x);
        st
    }

    /// Reset to R's state vector `(l, b, s_0..s_{m-1})` without allocating.
    pub(crate) fn reset(&mut self, x: &[f64]) {
        self.level = x.first().copied().unwrap_or(f64::NAN);
        let has_trend = self.spec.trend != TrendType::None;
        self.slope = if has_trend { x.get(1).copied().unwrap_or(f64::NAN) } else { 0.0 };
        let offset = 1 + usize::from(has_trend);
        for (k, s) in self.season.iter_mut().enumerate() {
            *s = x.get(offset + k).copied().unwrap_or(f64::NAN);
        }
        self.head = 0;
    }

    /// The error component of the model this state belongs to.
    pub(crate) fn error_type(&self) -> ErrorType {
        self.spec.error
    }

    /// R's state vector `(l, b, s_0..s_{m-1})`.
    pub(crate) fn to_vec(&self) -> Vec<f64> {
        let mut v = vec![self.level];
        if self.spec.trend != TrendType::None {
            v.push(self.slope);
        }
        let m = self.season.len();
        v.extend((0..m).map(|k| self.season[(self.head + k) % m]));
        v
    }

    /// Seasonal index `s_k` in R's order (`k = 0` most recent), for `k < m`.
    #[inline]
    fn season_at(&self, k: usize) -> f64 {
        let m = self.season.len();
        let idx = self.head + k;
        self.season[if idx >= m { idx - m } else { idx }]
    }

    /// Forecasts for horizons `1..=out.len()` from this state (R `etsforecast` / `forecast()` in
    /// `etscalc.c`): `μ_h = (l + φ_h b  |  l b^{φ_h}) (+|×) s_{(m-h) mod m}`, `φ_h = φ + … + φ^h`.
    /// Returns `false` (and fills NaN) when a multiplicative trend has a negative slope.
    pub(crate) fn forecast(&self, phi: f64, out: &mut [f64]) -> bool {
        let m = self.season.len();
        let mut phistar = phi;
        let h = out.len();
        for i in 0..h {
            let base = match self.spec.trend {
                TrendType::None => self.level,
                TrendType::Additive => self.level + phistar * self.slope,
                TrendType::Multiplicative => {
                    if self.slope < 0.0 {
                        out.iter_mut().for_each(|v| *v = f64::NAN);
                        return false;
                    }
                    self.level * self.slope.powf(phistar)
                }
            };
            out[i] = match self.spec.season {
                SeasonType::None => base,
                SeasonType::Additive => base + self.season_at((m - 1) - i % m),
                SeasonType::Multiplicative => base * self.season_at((m - 1) - i % m),
            };
            if i + 1 < h {
                if (phi - 1.0).abs() < TOL {
                    phistar += 1.0;
                } else {
                    phistar += phi.powi(i as i32 + 1);
                }
            }
        }
        true
    }

    /// One-step forecast `μ_{t}` and the pieces the update needs: `(μ, q, φb, s_{t-m})`.
    /// `μ` is NaN when a multiplicative trend has a negative slope.
    #[inline]
    fn one_step(&self, sm: &Smoothing) -> (f64, f64, f64, f64) {
        let (q, phib, mu_base) = match self.spec.trend {
            TrendType::None => (self.level, 0.0, self.level),
            TrendType::Additive => {
                let phib = sm.phi * self.slope;
                (self.level + phib, phib, self.level + phib)
            }
            TrendType::Multiplicative => {
                let phib = if (sm.phi - 1.0).abs() < TOL { self.slope } else { self.slope.powf(sm.phi) };
                let mu = if self.slope < 0.0 { f64::NAN } else { self.level * self.slope.powf(sm.phi) };
                (self.level * phib, phib, mu)
            }
        };
        let m = self.season.len();
        let s_old = if m > 0 { self.season_at(m - 1) } else { 0.0 };
        let mu = match self.spec.season {
            SeasonType::None => mu_base,
            SeasonType::Additive => mu_base + s_old,
            SeasonType::Multiplicative => mu_base * s_old,
        };
        (mu, q, phib, s_old)
    }

    /// Update the state with observation `y` given the pieces from [`State::one_step`].
    #[inline]
    fn update(&mut self, sm: &Smoothing, y: f64, q: f64, phib: f64, s_old: f64) {
        let p = match self.spec.season {
            SeasonType::None => y,
            SeasonType::Additive => y - s_old,
            SeasonType::Multiplicative => {
                if s_old.abs() < TOL {
                    HUGEN
                } else {
                    y / s_old
                }
            }
        };
        let old_level = self.level;
        self.level = q + sm.alpha * (p - q);
        match self.spec.trend {
            TrendType::None => {}
            TrendType::Additive => {
                let r = self.level - old_level;
                self.slope = phib + (sm.beta / sm.alpha) * (r - phib);
            }
            TrendType::Multiplicative => {
                let r = if old_level.abs() < TOL { HUGEN } else { self.level / old_level };
                self.slope = phib + (sm.beta / sm.alpha) * (r - phib);
            }
        }
        let m = self.season.len();
        if m > 0 {
            let u = match self.spec.season {
                SeasonType::Multiplicative => {
                    if q.abs() < TOL {
                        HUGEN
                    } else {
                        y / q
                    }
                }
                _ => y - q,
            };
            let oldest = if self.head == 0 { m - 1 } else { self.head - 1 };
            self.season[oldest] = s_old + sm.gamma * (u - s_old);
            self.head = oldest;
        }
    }

    /// Advance the state by one observation `y`; returns the one-step forecast made before seeing it.
    pub(crate) fn step(&mut self, sm: &Smoothing, y: f64) -> f64 {
        let (mu, q, phib, s_old) = self.one_step(sm);
        self.update(sm, y, q, phib, s_old);
        mu
    }
}

/// How a likelihood pass orders the level and slope updates of a form without multiplicative
/// trend (the multiplicative trend is always R's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Arithmetic {
    /// R's `etscalc.c` operation by operation, `ℓ_t = q_t + α(p_t − q_t)` and
    /// `b_t = φb_{t−1} + (β/α)(ℓ_t − ℓ_{t−1} − φb_{t−1})`: bit for bit R's sums.
    #[default]
    R,
    /// The error-correction form of the same updates, `ℓ_t = (1−α)q_t + αp_t` and
    /// `b_t = φ(1−β)b_{t−1} + β(p_t − ℓ_{t−1})` (Hyndman et al. 2008, ch. 2; substitute `ℓ_t` into
    /// R's slope update): equal in exact arithmetic, with a shorter chain of dependent operations from
    /// one step to the next (`b_t` no longer waits for `ℓ_t`), so a pass runs about a third faster;
    /// its sums differ from R's by rounding only. The passes go further and take two steps at a
    /// time (module `two_step`), about twice as fast again.
    ShortChain,
}

/// Sums produced by one pass of the recursions over the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PassSummary {
    /// `n log(Σ e_t²) + 2 Σ log|μ_t|` (the last term for multiplicative error only); NaN when the
    /// recursion broke down (negative multiplicative slope).
    pub lik: f64,
    /// `Σ e_t²`.
    pub sse: f64,
}

/// Run the recursions over `y` from the state already in `state`, writing innovations into `e`
/// (same length as `y`). When `amse` is given (length `nmse <= 30`), it receives the in-sample
/// mean squared `j`-step forecast errors, `j = 1..=nmse`, computed as R does (running means).
/// Allocation-free: every buffer is supplied by the caller.
pub(crate) fn filter(
    state: &mut State,
    sm: &Smoothing,
    y: &[f64],
    e: &mut [f64],
    mut amse: Option<&mut [f64]>,
) -> PassSummary {
    let n = y.len();
    let mult_error = state.spec.error == ErrorType::Multiplicative;
    let mut sse = 0.0;
    let mut log_abs = LogAbsProduct::default();
    let mut fbuf = [0.0f64; MAX_NMSE];
    let mut denom = [0.0f64; MAX_NMSE];
    if let Some(a) = amse.as_deref_mut() {
        a.iter_mut().for_each(|v| *v = 0.0);
    }
    for i in 0..n {
        let yi = y[i];
        if let Some(a) = amse.as_deref_mut() {
            let nmse = a.len().min(MAX_NMSE);
            state.forecast(sm.phi, &mut fbuf[..nmse]);
            for j in 0..nmse {
                if i + j < n {
                    denom[j] += 1.0;
                    let tmp = y[i + j] - fbuf[j];
                    a[j] = (a[j] * (denom[j] - 1.0) + tmp * tmp) / denom[j];
                }
            }
        }
        let (mu, q, phib, s_old) = state.one_step(sm);
        if !mu.is_finite() {
            return PassSummary { lik: f64::NAN, sse: f64::NAN };
        }
        let ei = if mult_error { (yi - mu) / mu } else { yi - mu };
        e[i] = ei;
        sse += ei * ei;
        if mult_error {
            log_abs.push(mu.abs());
        }
        state.update(sm, yi, q, phib, s_old);
    }
    let mut lik = n as f64 * sse.ln();
    if mult_error {
        lik += 2.0 * log_abs.ln();
    }
    PassSummary { lik, sse }
}

/// `Σ log a_t` accumulated as a running product held as mantissa × 2^exponent, so that the hot
/// loop needs no logarithm per step (one `ln` at the end; relative error ~ n·ε). Values outside
/// `[1e-300, 1e300]` (zero, infinities) fall back to an explicit logarithm.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogAbsProduct {
    /// Running product scaled into `[0.5, 1)`.
    mantissa: f64,
    /// Power of two taken out of the product.
    exponent: i64,
    /// Logarithms of the values outside `[1e-300, 1e300]`.
    extra: f64,
}

impl Default for LogAbsProduct {
    fn default() -> Self {
        LogAbsProduct { mantissa: 1.0, exponent: 0, extra: 0.0 }
    }
}

impl LogAbsProduct {
    /// Multiply the running product by `a` (a logarithm taken instead when out of range).
    #[inline]
    pub(crate) fn push(&mut self, a: f64) {
        if LogAbsProduct::in_range(a) {
            self.scale(a);
        } else {
            self.extra += a.ln();
        }
    }

    /// Whether the running product can take `a` without a logarithm.
    #[inline(always)]
    pub(crate) fn in_range(a: f64) -> bool {
        (1e-300..=1e300).contains(&a)
    }

    /// Multiply the running product by `a`, which must be [`LogAbsProduct::in_range`] (the lane
    /// passes check that themselves, without a branch, and discard the product otherwise).
    #[inline(always)]
    pub(crate) fn scale(&mut self, a: f64) {
        // mantissa in [0.5, 1) times a stays a normal number; renormalise to [0.5, 1).
        let bits = (self.mantissa * a).to_bits();
        self.exponent += ((bits >> 52) & 0x7ff) as i64 - 1022;
        self.mantissa = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    }

    pub(crate) fn ln(&self) -> f64 {
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2 + self.extra
    }
}

/// Component codes for the specialised loop (0 = none, 1 = additive, 2 = multiplicative).
/// Likelihood pass specialised at compile time on the model form, for the optimiser's inner loop.
///
/// Same arithmetic, in the same order, as [`filter`] without the AMSE (so the result is bit-identical
/// to it), but with the component `match`es resolved at compile time and the states kept in
/// registers. `x0` is R's state vector, `ring` a scratch buffer of at least `n + m` values.
/// With [`Arithmetic::ShortChain`] the level and slope updates of a form without multiplicative
/// trend take their error-correction form instead (sums equal to R's up to rounding).
#[allow(clippy::too_many_arguments)]
pub(crate) fn likelihood_pass(
    spec: &EtsSpec,
    m: usize,
    sm: &Smoothing,
    x0: &[f64],
    y: &[f64],
    e: &mut [f64],
    ring: &mut [f64],
    arithmetic: Arithmetic,
) -> PassSummary {
    macro_rules! dispatch {
        ($($e:literal $t:literal $s:literal),*) => {
            match (spec.form_codes(), arithmetic) {
                $((($e, $t, $s), Arithmetic::R) => pass::<$e, $t, $s, false>(m, sm, x0, y, e, ring),
                  (($e, $t, $s), Arithmetic::ShortChain) => pass::<$e, $t, $s, true>(m, sm, x0, y, e, ring),)*
                // A multiplicative trend has no short form: R's order either way.
                ((1, 2, 0), _) => pass::<1, 2, 0, false>(m, sm, x0, y, e, ring),
                ((1, 2, 1), _) => pass::<1, 2, 1, false>(m, sm, x0, y, e, ring),
                ((1, 2, 2), _) => pass::<1, 2, 2, false>(m, sm, x0, y, e, ring),
                ((2, 2, 0), _) => pass::<2, 2, 0, false>(m, sm, x0, y, e, ring),
                ((2, 2, 1), _) => pass::<2, 2, 1, false>(m, sm, x0, y, e, ring),
                ((2, 2, 2), _) => pass::<2, 2, 2, false>(m, sm, x0, y, e, ring),
                _ => PassSummary { lik: f64::NAN, sse: f64::NAN },
            }
        };
    }
    dispatch!(1 0 0, 1 0 1, 1 0 2, 1 1 0, 1 1 1, 1 1 2, 2 0 0, 2 0 1, 2 0 2, 2 1 0, 2 1 1, 2 1 2)
}

#[inline(always)]
fn pass<const E: u8, const T: u8, const S: u8, const SHORT: bool>(
    m: usize,
    sm: &Smoothing,
    x0: &[f64],
    y: &[f64],
    e: &mut [f64],
    ring: &mut [f64],
) -> PassSummary {
    let (alpha, beta, gamma, phi) = (sm.alpha, sm.beta, sm.gamma, sm.phi);
    let beta_over_alpha = beta / alpha;
    let phi_is_one = (phi - 1.0).abs() < TOL;
    let mut level = x0.first().copied().unwrap_or(f64::NAN);
    let mut slope = if T > 0 { x0.get(1).copied().unwrap_or(f64::NAN) } else { 0.0 };
    let offset = 1 + usize::from(T > 0);
    let m = if S > 0 { m.max(1) } else { 1 };
    // Seasonal history laid out oldest first: `hist[t]` is `s_{t-m}` at step `t` and the new index
    // is written to `hist[t + m]` (no wrap-around, no branch in the loop).
    let n = y.len();
    let hist: &mut [f64] = if S > 0 {
        let Some(h) = ring.get_mut(..n + m) else { return PassSummary { lik: f64::NAN, sse: f64::NAN } };
        for (k, v) in h[..m].iter_mut().enumerate() {
            // R order s_0 (most recent) .. s_{m-1} (oldest), reversed.
            *v = x0.get(offset + m - 1 - k).copied().unwrap_or(f64::NAN);
        }
        h
    } else {
        &mut ring[..0]
    };
    if SHORT && T < 2 {
        // Two steps at a time (module `two_step`); one at a time below only when its running
        // product of |μ| leaves range (the history's first m values are still the initial ones).
        let lane = two_step::Lane { alpha, beta, gamma, phi, level, slope, mult: E == 2 };
        if let [Some((lik, sse))] = two_step::sums::<1, T, S, true>(&[lane], m, hist, y, e) {
            return PassSummary { lik, sse };
        }
    }
    let mut sse = 0.0;
    let mut log_abs = LogAbsProduct::default();
    for (t, (&yi, ei)) in y.iter().zip(e.iter_mut()).enumerate() {
        let s_old = if S > 0 { hist[t] } else { 0.0 };
        let (q, phib, mu_base) = match T {
            0 => (level, 0.0, level),
            1 => {
                let phib = phi * slope;
                (level + phib, phib, level + phib)
            }
            _ => {
                let phib = if phi_is_one { slope } else { slope.powf(phi) };
                if slope < 0.0 {
                    return PassSummary { lik: f64::NAN, sse: f64::NAN };
                }
                (level * phib, phib, level * slope.powf(phi))
            }
        };
        let mu = match S {
            0 => mu_base,
            1 => mu_base + s_old,
            _ => mu_base * s_old,
        };
        let err = if E == 2 { (yi - mu) / mu } else { yi - mu };
        *ei = err;
        sse += err * err;
        if E == 2 {
            log_abs.push(mu.abs());
        }
        let p = match S {
            0 => yi,
            1 => yi - s_old,
            _ => {
                if s_old.abs() < TOL {
                    HUGEN
                } else {
                    yi / s_old
                }
            }
        };
        if SHORT {
            // Arithmetic::ShortChain (dispatched for T < 2 only): the slope from the old level.
            if T == 1 {
                slope = phi * (1.0 - beta) * slope + beta * (p - level);
            }
            level = (1.0 - alpha) * q + alpha * p;
        } else {
            let old_level = level;
            level = q + alpha * (p - q);
            match T {
                0 => {}
                1 => slope = phib + beta_over_alpha * ((level - old_level) - phib),
                _ => {
                    let r = if old_level.abs() < TOL { HUGEN } else { level / old_level };
                    slope = phib + beta_over_alpha * (r - phib);
                }
            }
        }
        if S > 0 {
            let u = if S == 2 {
                if q.abs() < TOL {
                    HUGEN
                } else {
                    yi / q
                }
            } else {
                yi - q
            };
            hist[t + m] = s_old + gamma * (u - s_old);
        }
    }
    let mut lik = y.len() as f64 * sse.ln();
    if E == 2 {
        lik += 2.0 * log_abs.ln();
    }
    PassSummary { lik, sse }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(code: &str) -> EtsSpec {
        EtsSpec::parse(code).expect("spec")
    }

    #[test]
    fn ses_with_alpha_one_is_naive() {
        let sm = Smoothing { alpha: 1.0, beta: 0.0, gamma: 0.0, phi: 1.0 };
        let y = [3.0, 5.0, 4.0, 6.0];
        let mut st = State::new(spec("ANN"), 1, &[2.0]);
        let mut e = [0.0; 4];
        let s = filter(&mut st, &sm, &y, &mut e, None);
        assert_eq!(e, [1.0, 2.0, -1.0, 2.0]);
        assert!((s.sse - 10.0).abs() < 1e-12);
        assert!((s.lik - 4.0 * 10f64.ln()).abs() < 1e-12);
        assert_eq!(st.to_vec(), vec![6.0]);
    }

    #[test]
    fn log_product_matches_sum_of_logs() {
        let vals = [3.5, 1e-12, 7e200, 0.25, 1e250, 2.0, 0.0, 9.0];
        let mut acc = LogAbsProduct::default();
        let mut direct = 0.0;
        for &v in &vals[..6] {
            acc.push(v);
            direct += f64::ln(v);
        }
        assert!((acc.ln() - direct).abs() < 1e-12 * direct.abs().max(1.0));
        acc.push(0.0);
        assert_eq!(acc.ln(), f64::NEG_INFINITY);
    }

    #[test]
    fn seasonal_ring_matches_shift_order() {
        // gamma = 1, alpha tiny: seasonal states become y - level, shifted most-recent-first.
        let sm = Smoothing { alpha: 1e-12, beta: 0.0, gamma: 1.0, phi: 1.0 };
        let mut st = State::new(spec("ANA"), 3, &[0.0, 0.3, 0.2, 0.1]);
        let mut e = [0.0; 2];
        filter(&mut st, &sm, &[5.0, 7.0], &mut e, None);
        // one-step forecasts used s_2 = 0.1 then s_1 = 0.2 (R's olds[m-1]).
        assert!((e[0] - (5.0 - 0.1)).abs() < 1e-9);
        assert!((e[1] - (7.0 - 0.2)).abs() < 1e-9);
        let v = st.to_vec();
        assert!((v[1] - 7.0).abs() < 1e-9 && (v[2] - 5.0).abs() < 1e-9 && (v[3] - 0.3).abs() < 1e-12);
        let mut f = [0.0; 4];
        st.forecast(1.0, &mut f);
        assert!((f[0] - v[0] - 0.3).abs() < 1e-12);
        assert!((f[3] - v[0] - 0.3).abs() < 1e-12);
    }

    #[test]
    fn specialised_pass_is_bit_identical_to_the_generic_filter() {
        let y: Vec<f64> = (0..40).map(|t| 50.0 + t as f64 + 5.0 * ((t % 4) as f64 - 1.5).abs()).collect();
        let sm = Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.95 };
        for code in
            ["ANN", "AAN", "AAdN", "MNN", "MAdN", "MMN", "MMdN", "ANA", "AAdA", "MNA", "MNM", "MAdM", "MMdM", "AMA"]
        {
            let sp = spec(code);
            let x0: Vec<f64> = match (sp.trend, sp.season) {
                (TrendType::None, SeasonType::None) => vec![50.0],
                (TrendType::Multiplicative, SeasonType::None) => vec![50.0, 1.02],
                (_, SeasonType::None) => vec![50.0, 1.0],
                (TrendType::None, SeasonType::Additive) => vec![50.0, 1.0, -1.0, 0.5, -0.5],
                (TrendType::None, SeasonType::Multiplicative) => vec![50.0, 1.1, 0.9, 1.05, 0.95],
                (TrendType::Multiplicative, SeasonType::Additive) => vec![50.0, 1.02, 1.0, -1.0, 0.5, -0.5],
                (TrendType::Multiplicative, _) => vec![50.0, 1.02, 1.1, 0.9, 1.05, 0.95],
                (_, SeasonType::Additive) => vec![50.0, 1.0, 1.0, -1.0, 0.5, -0.5],
                (_, SeasonType::Multiplicative) => vec![50.0, 1.0, 1.1, 0.9, 1.05, 0.95],
            };
            let sm = if sp.damped { sm } else { Smoothing { phi: 1.0, ..sm } };
            let mut st = State::new(sp, 4, &x0);
            let (mut e1, mut e2) = (vec![0.0; y.len()], vec![0.0; y.len()]);
            let slow = filter(&mut st, &sm, &y, &mut e1, None);
            let mut ring = [0.0; 44];
            let fast = likelihood_pass(&sp, 4, &sm, &x0, &y, &mut e2, &mut ring, Arithmetic::R);
            assert_eq!(slow.lik.to_bits(), fast.lik.to_bits(), "{code}");
            assert_eq!(e1, e2, "{code}");
        }
    }
}
