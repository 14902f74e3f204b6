//! The estimation objective (R `forecast`, `src/etsTargetFunction.cpp`) and the parameter-space
//! checks (`check.param`, `admissible` in `R/ets.R`).
//!
//! With innovations `e_t` from [`super::state_space`], the concentrated log-likelihood of
//! Hyndman et al. (2008, §5.2) is, up to a constant,
//!
//! ```text
//! log L = -½ [ n log Σ e_t²  +  2 Σ log|μ_t| ]        (the second term for multiplicative error only)
//! ```
//!
//! and the optimiser minimises `-2 log L` (or the MSE / AMSE / σ / MAE criterion). The parameter
//! vector is `(α, β, γ, φ)` (those estimated) followed by the initial states `(l, b, s_0..s_{m-2})`;
//! `s_{m-1}` is implied (`-Σ s_j` for additive, `m - Σ s_j` for multiplicative seasonality).
//! Points outside the bounds, negative multiplicative seasonal states, or a broken recursion give
//! `+∞`.
//!
//! **Usual bounds**: `l ≤ α ≤ u`, `l ≤ β ≤ min(α, u)`, `l ≤ γ ≤ min(1 - α, u)`, `l ≤ φ ≤ u`.
//! **Admissible region** (Hyndman et al. 2008, ch. 10): `0 ≤ φ ≤ 1`; non-seasonal
//! `1 - 1/φ < α < 1 + 1/φ`, `α(φ - 1) < β < (1 + φ)(2 - α)`; seasonal additionally requires
//! `max(1 - 1/φ - α, 0) < γ < 1 + 1/φ - α`, two linear conditions, and all roots of
//! `z^{m+1} + (α+β-φ) z^m + (α+β-αφ) (z^{m-1}+…+z^2) + (α+β-αφ+γ-1) z + φ(1-α-γ)` inside the unit
//! circle (tolerance 1e-10), checked here with the Schur-Cohn recursion instead of R's root finder.

use super::lanes::{likelihood_lanes, MAX_LANES};
use super::optimizer::BatchObjective;
use super::spec::{Bounds, Criterion, EtsSpec, SeasonType, TrendType};
use super::state_space::{filter, likelihood_pass, Arithmetic, PassSummary, Smoothing, State, MAX_NMSE};

/// Which smoothing parameters are estimated and the values of those that are fixed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ParamLayout {
    /// Fixed values of (α, β, γ, φ); `None` = estimated (when the component exists).
    pub fixed: [Option<f64>; 4],
    pub has_trend: bool,
    pub has_season: bool,
    pub damped: bool,
}

impl ParamLayout {
    pub(crate) fn new(spec: &EtsSpec, fixed: [Option<f64>; 4]) -> ParamLayout {
        let has_trend = spec.trend != TrendType::None;
        let damped = spec.damped && has_trend;
        ParamLayout {
            fixed: [
                fixed[0],
                if has_trend { fixed[1] } else { None },
                if spec.season != SeasonType::None { fixed[2] } else { None },
                if damped { fixed[3] } else { None },
            ],
            has_trend,
            has_season: spec.season != SeasonType::None,
            damped,
        }
    }

    /// Flags: is parameter k (α, β, γ, φ) estimated?
    pub(crate) fn estimated(&self) -> [bool; 4] {
        [
            self.fixed[0].is_none(),
            self.has_trend && self.fixed[1].is_none(),
            self.has_season && self.fixed[2].is_none(),
            self.damped && self.fixed[3].is_none(),
        ]
    }

    /// Number of estimated smoothing parameters.
    pub(crate) fn n_estimated(&self) -> usize {
        self.estimated().iter().filter(|&&b| b).count()
    }

    /// Smoothing parameters from the leading entries of `par`.
    pub(crate) fn smoothing(&self, par: &[f64]) -> Smoothing {
        let est = self.estimated();
        let mut it = par.iter().copied();
        let mut take = |k: usize, default: f64| -> f64 {
            if est[k] {
                it.next().unwrap_or(f64::NAN)
            } else {
                self.fixed[k].unwrap_or(default)
            }
        };
        let alpha = take(0, f64::NAN);
        let beta = take(1, 0.0);
        let gamma = take(2, 0.0);
        let phi = take(3, 1.0);
        Smoothing {
            alpha,
            beta: if self.has_trend { beta } else { 0.0 },
            gamma: if self.has_season { gamma } else { 0.0 },
            phi: if self.damped { phi } else { 1.0 },
        }
    }
}

/// Usual and/or admissible bounds check of R `check.param` / `etsTargetFunction::check_params`.
pub(crate) fn parameters_ok(
    sm: &Smoothing,
    layout: &ParamLayout,
    lower: &[f64; 4],
    upper: &[f64; 4],
    bounds: Bounds,
    m: usize,
) -> bool {
    let est = layout.estimated();
    if bounds != Bounds::Admissible {
        if est[0] && (sm.alpha < lower[0] || sm.alpha > upper[0]) {
            return false;
        }
        if est[1] && (sm.beta < lower[1] || sm.beta > sm.alpha || sm.beta > upper[1]) {
            return false;
        }
        if est[3] && (sm.phi < lower[3] || sm.phi > upper[3]) {
            return false;
        }
        if est[2] && (sm.gamma < lower[2] || sm.gamma > 1.0 - sm.alpha || sm.gamma > upper[2]) {
            return false;
        }
    }
    if bounds != Bounds::Usual && !admissible(sm, layout, m) {
        return false;
    }
    true
}

/// The admissible (forecastable) region of Hyndman et al. (2008, ch. 10), as R checks it.
pub(crate) fn admissible(sm: &Smoothing, layout: &ParamLayout, m: usize) -> bool {
    let (alpha, phi, gamma) = (sm.alpha, sm.phi, sm.gamma);
    let beta = if layout.has_trend { sm.beta } else { 0.0 };
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    if !layout.has_season {
        if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
            return false;
        }
        if layout.has_trend && (beta < alpha * (phi - 1.0) || beta > (1.0 + phi) * (2.0 - alpha)) {
            return false;
        }
        return true;
    }
    if m <= 1 {
        return true;
    }
    let mf = m as f64;
    let d = 1.0 - 1.0 / phi - alpha;
    if gamma < d.max(0.0) || gamma > 1.0 + 1.0 / phi - alpha {
        return false;
    }
    if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - mf + phi + phi * mf) / (2.0 * phi * mf) {
        return false;
    }
    if beta < -(1.0 - phi) * (gamma / mf + alpha) {
        return false;
    }
    // Characteristic polynomial, coefficients of z^0 .. z^{m+1}.
    let mut coef = [0.0f64; 26];
    let deg = m + 1;
    if deg >= coef.len() {
        return true;
    }
    coef[0] = phi * (1.0 - alpha - gamma);
    coef[1] = alpha + beta - alpha * phi + gamma - 1.0;
    for c in coef.iter_mut().take(m).skip(2) {
        *c = alpha + beta - alpha * phi;
    }
    coef[m] = alpha + beta - phi;
    coef[m + 1] = 1.0;
    roots_within(&mut coef[..=deg], 1.0 + 1e-10)
}

/// `true` when every root of `Σ c_k z^k` has modulus below `radius` (Schur-Cohn recursion on the
/// monic polynomial rescaled to the unit disc). `c` is used as scratch space.
///
/// For a monic `p` of degree `d` with constant term `a_0`, all roots lie inside the unit disc iff
/// `|a_0| < 1` and the monic degree-`d-1` polynomial `(p(z) - a_0 z^d p(1/z)) / (z (1 - a_0²))` has
/// all its roots inside too. Degrees above 26 are not supported (`false`; ETS needs `m + 1 ≤ 25`).
fn roots_within(c: &mut [f64], radius: f64) -> bool {
    let Some(&lead) = c.last() else { return true };
    if c.len() > 27 {
        return false;
    }
    if !(lead.is_finite() && lead != 0.0) {
        return false;
    }
    // Rescale (p(r w) has coefficients c_k r^k) and make monic.
    let mut deg = c.len() - 1;
    let inv_lead = 1.0 / (lead * radius.powi(deg as i32));
    let mut rk = inv_lead;
    for ck in c.iter_mut() {
        *ck *= rk;
        rk *= radius;
    }
    c[deg] = 1.0;
    // Each step reads one buffer and writes the other (no copy back).
    let mut tmp = [0.0f64; 26];
    let mut src: &mut [f64] = c;
    let mut dst: &mut [f64] = &mut tmp;
    while deg > 0 {
        let a0 = src[0];
        if a0.is_nan() || a0.abs() >= 1.0 {
            return false;
        }
        let inv = 1.0 / (1.0 - a0 * a0);
        for k in 1..=deg {
            dst[k - 1] = (src[k] - a0 * src[deg - k]) * inv;
        }
        deg -= 1;
        std::mem::swap(&mut src, &mut dst);
    }
    true
}

/// A point that passed [`Objective::check`]: its smoothing parameters (computed once) and its
/// parameter vector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked<'p> {
    par: &'p [f64],
    sm: Smoothing,
}

/// The ETS estimation objective with its reusable buffers.
pub(crate) struct Objective<'a> {
    pub y: &'a [f64],
    pub spec: EtsSpec,
    pub m: usize,
    pub layout: ParamLayout,
    /// `layout.n_estimated()`, asked for at every point.
    n_estimated: usize,
    pub lower: [f64; 4],
    pub upper: [f64; 4],
    pub bounds: Bounds,
    pub criterion: Criterion,
    state: State,
    x0: Vec<f64>,
    e: Vec<f64>,
    amse: Vec<f64>,
    /// Seasonal history of a pass, room for [`MAX_LANES`] lanes.
    ring: Vec<f64>,
    /// State vectors of the lanes of [`likelihood_lanes`].
    lane_x0: Vec<f64>,
    /// Order of the level and slope updates in the likelihood passes (R's unless
    /// [`Objective::with_arithmetic`] says otherwise).
    arithmetic: Arithmetic,
}

impl<'a> Objective<'a> {
    /// An objective for `y` (`m` = season length, 1 when non-seasonal).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        y: &'a [f64],
        spec: EtsSpec,
        m: usize,
        layout: ParamLayout,
        lower: [f64; 4],
        upper: [f64; 4],
        bounds: Bounds,
        criterion: Criterion,
    ) -> Objective<'a> {
        let nstate = spec.n_states(m);
        let nmse = match criterion {
            Criterion::Amse { nmse } => nmse.clamp(1, MAX_NMSE),
            Criterion::Mse => 1,
            _ => 0,
        };
        Objective {
            y,
            spec,
            m,
            layout,
            n_estimated: layout.n_estimated(),
            lower,
            upper,
            bounds,
            criterion,
            state: State::new(spec, m, &vec![0.0; nstate]),
            x0: vec![0.0; nstate],
            e: vec![0.0; y.len()],
            amse: vec![0.0; nmse],
            ring: vec![0.0; MAX_LANES * (y.len() + m.max(1))],
            lane_x0: vec![0.0; MAX_LANES * nstate],
            arithmetic: Arithmetic::R,
        }
    }

    /// The same objective with its likelihood passes in `arithmetic` (the full filter of the MSE
    /// and AMSE criteria stays R's).
    pub(crate) fn with_arithmetic(mut self, arithmetic: Arithmetic) -> Self {
        self.arithmetic = arithmetic;
        self
    }

    /// Expand the free initial states `(l, b, s_0..s_{m-2})` into the full state vector.
    /// Returns `false` when a multiplicative seasonal state is negative.
    pub(crate) fn fill_states(spec: &EtsSpec, m: usize, free: &[f64], x0: &mut [f64]) -> bool {
        let nfree = free.len().min(x0.len());
        x0[..nfree].copy_from_slice(&free[..nfree]);
        if spec.season != SeasonType::None {
            let start = 1 + usize::from(spec.trend != TrendType::None);
            let total: f64 = free.get(start..).map(|s| s.iter().sum()).unwrap_or(0.0);
            let target = if spec.season == SeasonType::Multiplicative { m as f64 } else { 0.0 };
            if let Some(last) = x0.last_mut() {
                *last = target - total;
            }
            if spec.season == SeasonType::Multiplicative && x0[start..].iter().any(|&s| s < 0.0) {
                return false;
            }
        }
        true
    }

    /// Smoothing parameters at `par` when they pass the bounds checks.
    fn checked_smoothing(&self, par: &[f64]) -> Option<Smoothing> {
        let sm = self.layout.smoothing(par);
        parameters_ok(&sm, &self.layout, &self.lower, &self.upper, self.bounds, self.m).then_some(sm)
    }

    /// The point `par` when its value needs a pass: its smoothing parameters pass the bounds checks
    /// and its initial states are admissible. `None` when [`Objective::value`] is infinite without a
    /// pass. Lets a caller pair only the points that need a pass, and check each point once.
    pub(crate) fn check<'p>(&mut self, par: &'p [f64]) -> Option<Checked<'p>> {
        let sm = self.checked_smoothing(par)?;
        let k = self.n_estimated;
        Self::fill_states(&self.spec, self.m, &par[k..], &mut self.x0).then_some(Checked { par, sm })
    }

    /// Objective value at `par` (estimated smoothing parameters then free initial states).
    pub(crate) fn value(&mut self, par: &[f64]) -> f64 {
        match self.check(par) {
            Some(point) => self.value_checked(point),
            None => f64::INFINITY,
        }
    }

    /// [`Objective::value`] at a point [`Objective::check`] passed.
    pub(crate) fn value_checked(&mut self, point: Checked<'_>) -> f64 {
        let k = self.n_estimated;
        // The states of another point may have been filled in since the check.
        Self::fill_states(&self.spec, self.m, &point.par[k..], &mut self.x0);
        let summary: PassSummary = if self.amse.is_empty() {
            likelihood_pass(
                &self.spec,
                self.m,
                &point.sm,
                &self.x0,
                self.y,
                &mut self.e,
                &mut self.ring,
                self.arithmetic,
            )
        } else {
            self.state.reset(&self.x0);
            filter(&mut self.state, &point.sm, self.y, &mut self.e, Some(&mut self.amse))
        };
        self.criterion_value(summary)
    }

    /// Objective values at two points, each exactly what [`Objective::value`] gives, from one
    /// [`likelihood_lanes`] pass when both points pass the bounds checks and the criterion needs
    /// only the likelihood sums (and the form has no multiplicative trend).
    pub(crate) fn value_pair(&mut self, pars: [&[f64]; 2]) -> [f64; 2] {
        match (self.check(pars[0]), self.check(pars[1])) {
            (Some(p0), Some(p1)) => Objective::values_across(std::slice::from_mut(self), &[(0, p0), (0, p1)]),
            // At most one pass to run: the single pass does it.
            (p0, p1) => [p0, p1].map(|p| p.map_or(f64::INFINITY, |p| self.value_checked(p))),
        }
    }

    /// Which pass of several lanes this objective's points can share with other objectives' over
    /// the same series (equal keys: the same trend, season, season length and arithmetic; the error
    /// type and the damping may differ, see [`super::lanes::likelihood_lanes`]); `None` when its
    /// points are evaluated one by one (a multiplicative trend, or a criterion other than the
    /// likelihood or σ, which need the full filter).
    pub(crate) fn lane_key(&self) -> Option<u64> {
        let paired =
            matches!(self.criterion, Criterion::Likelihood | Criterion::Sigma) && super::lanes::supports(&self.spec);
        let (_, t, s) = self.spec.form_codes();
        let short = u64::from(self.arithmetic == Arithmetic::ShortChain);
        paired.then(|| short << 48 | (self.m as u64) << 16 | u64::from(t) << 8 | u64::from(s))
    }

    /// Values at `points[k] = (i, x)` for `objs[i]` at `x` (a point [`Objective::check`] passed),
    /// each exactly what [`Objective::value`] gives, from one [`likelihood_lanes`] pass when the
    /// objectives share a [`Objective::lane_key`] and a series (`L` at most [`MAX_LANES`]).
    pub(crate) fn values_across<const L: usize>(
        objs: &mut [Objective<'_>],
        points: &[(usize, Checked<'_>); L],
    ) -> [f64; L] {
        let first = &objs[points[0].0];
        let key = first.lane_key();
        let shared = L <= MAX_LANES
            && key.is_some()
            && points.iter().all(|&(i, _)| objs[i].lane_key() == key && std::ptr::eq(objs[i].y, first.y));
        if !shared {
            return std::array::from_fn(|lane| objs[points[lane].0].value_checked(points[lane].1));
        }
        // Each lane's form and number of estimated parameters (small: no layouts copied per pass).
        let forms: [(EtsSpec, usize); L] = std::array::from_fn(|lane| {
            let obj = &objs[points[lane].0];
            (obj.spec, obj.n_estimated)
        });
        let sums = objs[points[0].0].pass_lanes(&forms, points);
        let mut out = [f64::INFINITY; L];
        for (lane, &(i, point)) in points.iter().enumerate() {
            out[lane] = match sums[lane] {
                Some(summary) => objs[i].criterion_value(summary),
                None => objs[i].value_checked(point),
            };
        }
        out
    }

    /// One [`likelihood_lanes`] pass over this objective's series in its buffers, lane `k` the
    /// point `points[k].1` of the form `forms[k].0` with `forms[k].1` estimated smoothing
    /// parameters, sharing this objective's [`Objective::lane_key`].
    fn pass_lanes<const L: usize>(
        &mut self,
        forms: &[(EtsSpec, usize); L],
        points: &[(usize, Checked<'_>); L],
    ) -> [Option<PassSummary>; L] {
        let nstate = self.x0.len();
        for (lane, ((spec, k), (_, p))) in forms.iter().zip(points).enumerate() {
            Self::fill_states(spec, self.m, &p.par[*k..], &mut self.lane_x0[lane * nstate..(lane + 1) * nstate]);
        }
        let specs = std::array::from_fn(|lane| &forms[lane].0);
        let sms = std::array::from_fn(|lane| points[lane].1.sm);
        likelihood_lanes(specs, self.m, &sms, &self.lane_x0, self.y, &mut self.ring, self.arithmetic)
    }

    /// The criterion from one pass's sums (and, for MSE / AMSE / MAE, the buffers it filled).
    fn criterion_value(&self, summary: PassSummary) -> f64 {
        let mut lik = summary.lik;
        if lik < -1e10 {
            lik = -1e10;
        }
        if lik.is_nan() {
            return f64::INFINITY;
        }
        let n = self.y.len() as f64;
        match self.criterion {
            Criterion::Likelihood => lik,
            Criterion::Mse => self.amse.first().copied().unwrap_or(f64::INFINITY),
            Criterion::Amse { .. } => self.amse.iter().sum::<f64>() / self.amse.len() as f64,
            Criterion::Sigma => summary.sse / n,
            Criterion::Mae => self.e.iter().map(|v| v.abs()).sum::<f64>() / n,
        }
    }
}

impl BatchObjective for Objective<'_> {
    fn value(&mut self, x: &[f64]) -> f64 {
        Objective::value(self, x)
    }
    fn value_pair(&mut self, xs: [&[f64]; 2]) -> [f64; 2] {
        Objective::value_pair(self, xs)
    }
    fn speculation_pays(&self) -> bool {
        self.spec.season != SeasonType::None && super::lanes::supports(&self.spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schur_cohn_agrees_with_known_roots() {
        // (z - 0.5)(z + 0.9) = z^2 + 0.4 z - 0.45: inside.
        assert!(roots_within(&mut [-0.45, 0.4, 1.0], 1.0));
        // (z - 1.1)(z + 0.2) = z^2 - 0.9 z - 0.22: outside.
        assert!(!roots_within(&mut [-0.22, -0.9, 1.0], 1.0));
        // complex pair with modulus 0.95: z^2 - 2 (0.95 cos 1) z + 0.9025
        let c1 = -2.0 * 0.95 * 1f64.cos();
        assert!(roots_within(&mut [0.9025, c1, 1.0], 1.0));
        let c2 = -2.0 * 1.05 * 1f64.cos();
        assert!(!roots_within(&mut [1.1025, c2, 1.0], 1.0));
    }

    #[test]
    fn admissible_region_seasonal() {
        let layout = ParamLayout { fixed: [None; 4], has_trend: true, has_season: true, damped: false };
        let ok = Smoothing { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 1.0 };
        assert!(admissible(&ok, &layout, 12));
        let bad = Smoothing { alpha: 1.9, beta: 0.05, gamma: 0.5, phi: 1.0 };
        assert!(!admissible(&bad, &layout, 12));
    }
}
