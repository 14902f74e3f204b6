//! [`super::AutoTheta`]'s criterion and its search: for one variant, the `(α, ℓ_0, c)` that minimise
//! the sum of squared one-step errors from the fourth observation on.
//!
//! For a given α the errors are linear in `ℓ_0` and in `c = 1 − 1/θ` (module `state_space`):
//! `x_i − μ_i = r_i − ℓ_0 u_i − c d_i`, with `u_i = (1−α)^i` (the weight of `ℓ_0` in `ℓ_i`), `d_i`
//! the trend term and `r_i = x_i − ℓ_i|_{ℓ_0=0}`. The best `(ℓ_0, c)` is a two-column least-squares
//! problem, and α is searched by a grid over `[0.1, 0.99]` (step 0.01) refined by golden-section
//! search.
//!
//! The search needs only the sums of products of `r`, `u` and `d` ([`Moments`]), which one pass
//! accumulates for four values of α at once ([`moments`]); the grid's moments serve both variants of
//! a trend path (STM and OTM, DSTM and DOTM). The estimate at the chosen α is solved again from the
//! columns themselves ([`Criterion::solve`]), where no digits are lost to the cancellation of
//! `Σr² − …`.

use super::state_space::{first_update, start_state, Recursion};

/// Bounds of the smoothing parameter α (statsforecast's).
pub(super) const ALPHA_RANGE: (f64, f64) = (0.1, 0.99);
/// Largest θ (statsforecast's upper bound).
pub(super) const THETA_MAX: f64 = 1e10;
/// Bound on `|ℓ_0|` (statsforecast's).
pub(super) const LEVEL_MAX: f64 = 1e10;
/// Errors left out of the criterion at the start of the series (statsforecast's burn-in).
pub(super) const BURN_IN: usize = 3;
/// Step of the grid over α.
const GRID_STEP: f64 = 0.01;
/// Steps of the golden-section search after the grid.
const GOLDEN_STEPS: usize = 60;
/// Values of α one [`moments`] pass takes.
const LANES: usize = 4;

/// The criterion of one trend path (static or dynamic) over the adjusted series `x`.
pub(super) struct Criterion<'x> {
    x: &'x [f64],
    path: Vec<(f64, f64)>,
    /// Moments at every grid point, computed at the first search.
    grid: Option<Vec<(f64, Moments)>>,
}

impl<'x> Criterion<'x> {
    pub(super) fn new(x: &'x [f64], dynamic: bool) -> Self {
        Criterion { x, path: trend_path(x, dynamic), grid: None }
    }

    /// The α minimising the criterion with `ℓ_0` and `c` at their best (each fixed when given).
    pub(super) fn best_alpha(&mut self, fixed_level: Option<f64>, fixed_c: Option<f64>) -> f64 {
        let (x, path) = (self.x, &self.path);
        let grid = self.grid.get_or_insert_with(|| grid_moments(x, path));
        let value = |m: &Moments| {
            let v = m.sse(fixed_level, fixed_c);
            if v.is_finite() {
                v
            } else {
                f64::INFINITY
            }
        };
        // The first grid point, then any strictly smaller value: ties keep the smaller α.
        let mut best = (grid[0].0, value(&grid[0].1));
        for (a, m) in &grid[1..] {
            let v = value(m);
            if v < best.1 {
                best = (*a, v);
            }
        }
        let (lo, hi) = ALPHA_RANGE;
        let (a, b) = ((best.0 - GRID_STEP).max(lo), (best.0 + GRID_STEP).min(hi));
        let refined = golden_section(a, b, |alpha| value(&moments(x, [alpha], path)[0]));
        if refined.1 <= best.1 {
            refined.0
        } else {
            best.0
        }
    }

    /// The number of errors the criterion sums (at least 1).
    pub(super) fn errors(&self) -> usize {
        self.x.len().saturating_sub(BURN_IN).max(1)
    }

    /// The best `(ℓ_0, c)` at `alpha` (each fixed when given) and the sum of squares, solved from
    /// the regression's columns.
    pub(super) fn solve(&self, alpha: f64, fixed_level: Option<f64>, fixed_c: Option<f64>) -> (f64, f64, f64) {
        let mut des = Design::default();
        design(self.x, alpha, &self.path, &mut des);
        least_squares(&des, fixed_level, fixed_c)
    }
}

/// Golden-section search of `f` on `[a, b]`, [`GOLDEN_STEPS`] steps: the better of its last two points.
fn golden_section(mut a: f64, mut b: f64, mut f: impl FnMut(f64) -> f64) -> (f64, f64) {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = b - g * (b - a);
    let mut x2 = a + g * (b - a);
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..GOLDEN_STEPS {
        if f1 <= f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = f(x2);
        }
    }
    if f1 <= f2 {
        (x1, f1)
    } else {
        (x2, f2)
    }
}

/// The trend line `(A_t, B_t)` of the state after each observation `t = 1..n-1` that the criterion
/// reads. It depends on the data only, not on α, so one path serves every α the search tries (its
/// running mean and slope, with three divisions per step in a dependent chain, were most of the
/// criterion's cost).
fn trend_path(x: &[f64], dynamic: bool) -> Vec<(f64, f64)> {
    // Any α: only the level depends on it, and the level is not kept.
    let rec = Recursion { alpha: 0.5, c: 0.0, dynamic };
    let mut state = first_update(x, &rec, &start_state(x, 0.0, dynamic));
    let mut path = Vec::with_capacity(x.len());
    for (t, &v) in x.iter().enumerate().skip(1) {
        path.push((state.a, state.b));
        state = rec.update(&state, t, v);
    }
    path
}

/// Sums of products of the regression's columns `r`, `u`, `d` at one α: enough for the best
/// `(ℓ_0, c)` and the sum of squares in closed form.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Moments {
    uu: f64,
    ur: f64,
    ud: f64,
    rr: f64,
    rd: f64,
    dd: f64,
}

impl Moments {
    /// The sum of squares at the best `(ℓ_0, c)`, by the rules of [`least_squares`].
    fn sse(&self, fixed_level: Option<f64>, fixed_c: Option<f64>) -> f64 {
        let Moments { uu, ur, ud, rr, rd, dd } = *self;
        let c = fixed_c.unwrap_or_else(|| {
            let (num, den) = match fixed_level {
                Some(l) => (rd - l * ud, dd),
                None if uu > 0.0 => (rd - ur * ud / uu, dd - ud * ud / uu),
                None => (rd, dd),
            };
            clamp_c(num, den)
        });
        let l = fixed_level.unwrap_or_else(|| best_level(uu, ur, ud, c));
        (rr + l * l * uu + c * c * dd - 2.0 * (l * ur + c * rd) + 2.0 * l * c * ud).max(0.0)
    }
}

/// The best `ℓ_0` at a given `c`, `(Σur − c Σud) / Σu²`, within `±LEVEL_MAX`; 0 when `u` vanishes.
fn best_level(uu: f64, ur: f64, ud: f64, c: f64) -> f64 {
    if uu > 0.0 {
        ((ur - c * ud) / uu).clamp(-LEVEL_MAX, LEVEL_MAX)
    } else {
        0.0
    }
}

/// `c = num / den` within `[0, 1 − 1/θ_max]`; 0.5 (θ = 2) when the regression is degenerate.
fn clamp_c(num: f64, den: f64) -> f64 {
    let c_max = 1.0 - 1.0 / THETA_MAX;
    if den > 0.0 && (num / den).is_finite() {
        (num / den).clamp(0.0, c_max)
    } else {
        0.5
    }
}

/// [`Moments`] at every grid point of α.
fn grid_moments(x: &[f64], path: &[(f64, f64)]) -> Vec<(f64, Moments)> {
    let (lo, hi) = ALPHA_RANGE;
    let steps = ((hi - lo) / GRID_STEP).round() as usize;
    let alphas: Vec<f64> = (0..=steps).map(|k| lo + GRID_STEP * k as f64).collect();
    let mut out = Vec::with_capacity(alphas.len());
    for chunk in alphas.chunks(LANES) {
        // A short last chunk repeats its last α in the spare lanes.
        let lanes: [f64; LANES] = std::array::from_fn(|j| chunk[j.min(chunk.len() - 1)]);
        let sums = moments(x, lanes, path);
        out.extend(chunk.iter().copied().zip(sums));
    }
    out
}

/// [`Moments`] at each α of `alphas` in one pass over `x` (the lanes' recursions are independent,
/// so their dependent chains overlap).
fn moments<const L: usize>(x: &[f64], alphas: [f64; L], path: &[(f64, f64)]) -> [Moments; L] {
    let mut out = [Moments::default(); L];
    let Some(&first) = x.first() else {
        return out;
    };
    let q = alphas.map(|a| 1.0 - a);
    let inv_alpha = alphas.map(|a| 1.0 / a);
    // ℓ_1 with ℓ_0 = 0 (`Recursion::next_level`).
    let mut level = alphas.map(|a| a * first + 0.0);
    let mut qt = [1.0; L];
    // Observations before the burn-in move the level and the powers only.
    let warm = BURN_IN.min(x.len());
    for &v in &x[1..warm] {
        for j in 0..L {
            qt[j] *= q[j];
            level[j] = alphas[j] * v + q[j] * level[j];
        }
    }
    for (&v, &(a, b)) in x[warm..].iter().zip(&path[warm - 1..]) {
        for j in 0..L {
            let u = qt[j] * q[j];
            qt[j] = u;
            let r = v - level[j];
            let d = a * u + b * (1.0 - u * q[j]) * inv_alpha[j];
            let m = &mut out[j];
            m.uu += u * u;
            m.ur += u * r;
            m.ud += u * d;
            m.rr += r * r;
            m.rd += r * d;
            m.dd += d * d;
            level[j] = alphas[j] * v + q[j] * level[j];
        }
    }
    out
}

/// The criterion's regression at one α, column by column (`i ≥ 3`).
#[derive(Debug, Default)]
struct Design {
    r: Vec<f64>,
    u: Vec<f64>,
    d: Vec<f64>,
}

/// The design at `alpha` into `out`, from the series `x` and its [`trend_path`].
fn design(x: &[f64], alpha: f64, path: &[(f64, f64)], out: &mut Design) {
    // c = 0 and ℓ_0 = 0 isolate the data part of the level; the trend term does not depend on either.
    let rec = Recursion { alpha, c: 0.0, dynamic: false };
    let mut level = rec.next_level(0.0, x[0]);
    let q = 1.0 - alpha;
    out.r.clear();
    out.u.clear();
    out.d.clear();
    // q^t as a running product: three powers per step were over half of the criterion's cost, and
    // the product's rounding (about t/2 ulps) is far below what the regression can resolve.
    let mut qt = 1.0;
    for ((t, &v), &(a, b)) in x.iter().enumerate().skip(1).zip(path) {
        qt *= q;
        if t >= BURN_IN {
            out.r.push(v - level);
            out.u.push(qt);
            out.d.push(rec.trend_term_at(&super::state_space::ThetaState { level, mean: 0.0, a, b }, qt, qt * q));
        }
        level = rec.next_level(level, v);
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Best `(ℓ_0, c)` for the design (each fixed when given) and the sum of squares.
fn least_squares(des: &Design, fixed_level: Option<f64>, fixed_c: Option<f64>) -> (f64, f64, f64) {
    let uu = dot(&des.u, &des.u);
    let ur = dot(&des.u, &des.r);
    let ud = dot(&des.u, &des.d);
    let c = fixed_c.unwrap_or_else(|| {
        // With ℓ_0 free, profile it out: regress r⊥ on d⊥, the parts orthogonal to u; with ℓ_0
        // fixed, regress r − ℓ_0 u on d.
        let (mut num, mut den) = (0.0, 0.0);
        for ((r, u), d) in des.r.iter().zip(&des.u).zip(&des.d) {
            let (rp, dp) = match fixed_level {
                Some(l) => (r - l * u, *d),
                None if uu > 0.0 => (r - u * ur / uu, d - u * ud / uu),
                None => (*r, *d),
            };
            num += rp * dp;
            den += dp * dp;
        }
        clamp_c(num, den)
    });
    let level = fixed_level.unwrap_or_else(|| best_level(uu, ur, ud, c));
    let sse = des.r.iter().zip(&des.u).zip(&des.d).map(|((r, u), d)| (r - level * u - c * d).powi(2)).sum();
    (level, c, sse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::theta::state_space::ThetaState;

    /// The design at `alpha` computed by running the whole recursion, trend line included, as it
    /// was before [`trend_path`].
    fn design_by_full_recursion(x: &[f64], alpha: f64, dynamic: bool) -> Design {
        let rec = Recursion { alpha, c: 0.0, dynamic };
        let s0 = start_state(x, 0.0, dynamic);
        let mut state: ThetaState = first_update(x, &rec, &s0);
        let q = 1.0 - alpha;
        let mut out = Design::default();
        let mut qt = 1.0;
        for (t, &v) in x.iter().enumerate().skip(1) {
            qt *= q;
            if t >= BURN_IN {
                out.r.push(v - state.level);
                out.u.push(qt);
                out.d.push(rec.trend_term_at(&state, qt, qt * q));
            }
            state = rec.update(&state, t, v);
        }
        out
    }

    fn series() -> Vec<f64> {
        (0..90).map(|t| 40.0 + 0.3 * t as f64 + 7.0 * ((t * 7 % 12) as f64 - 5.5)).collect()
    }

    #[test]
    fn the_design_from_the_trend_path_is_the_full_recursions_bit_for_bit() {
        let y = series();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for dynamic in [false, true] {
            let path = trend_path(&y, dynamic);
            let mut des = Design::default();
            for alpha in [0.1, 0.37, 0.5, 0.83, 0.99] {
                design(&y, alpha, &path, &mut des);
                let full = design_by_full_recursion(&y, alpha, dynamic);
                assert_eq!(bits(&des.r), bits(&full.r), "r at α {alpha}, dynamic {dynamic}");
                assert_eq!(bits(&des.u), bits(&full.u), "u at α {alpha}, dynamic {dynamic}");
                assert_eq!(bits(&des.d), bits(&full.d), "d at α {alpha}, dynamic {dynamic}");
            }
        }
    }

    #[test]
    fn the_moments_give_the_columns_sum_of_squares() {
        let y = series();
        for dynamic in [false, true] {
            let path = trend_path(&y, dynamic);
            let alphas = [0.1, 0.37, 0.83, 0.99];
            let lanes = moments(&y, alphas, &path);
            for (alpha, m) in alphas.into_iter().zip(lanes) {
                assert_eq!(moments(&y, [alpha], &path)[0], m, "one lane = four lanes at α {alpha}");
                let mut des = Design::default();
                design(&y, alpha, &path, &mut des);
                for (level, c) in [(None, None), (Some(12.5), None), (None, Some(0.5)), (Some(-3.0), Some(0.2))] {
                    let exact = least_squares(&des, level, c).2;
                    let fast = m.sse(level, c);
                    assert!(
                        (fast - exact).abs() <= 1e-9 * exact.max(1.0),
                        "α {alpha} {level:?} {c:?}: {fast} vs {exact}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_search_finds_the_grids_best_or_better() {
        let y = series();
        for dynamic in [false, true] {
            let mut criterion = Criterion::new(&y, dynamic);
            for (level, c) in [(None, None), (None, Some(0.5))] {
                let alpha = criterion.best_alpha(level, c);
                let at = criterion.solve(alpha, level, c).2;
                for k in 0..=89 {
                    let a = 0.1 + 0.01 * k as f64;
                    assert!(at <= criterion.solve(a, level, c).2 * (1.0 + 1e-9), "α {alpha} against {a}");
                }
            }
        }
    }
}
