//! Projected BFGS with box bounds: a bounded quasi-Newton minimiser for smooth objectives that may
//! also reject points (return `+∞`) inside the box.
//!
//! The method is the projected quasi-Newton iteration of Bertsekas (1982, "Projected Newton methods
//! for optimization problems with simple constraints", SIAM J. Control Optim. 20(2)) in the form
//! given by Kelley (1999, *Iterative Methods for Optimization*, SIAM, §5.5), with the BFGS update of
//! Nocedal & Wright (2006, *Numerical Optimization*, 2nd ed., ch. 6; box constraints as in
//! L-BFGS-B, Byrd, Lu, Nocedal & Zhu 1995, SIAM J. Sci. Comput. 16(5)):
//!
//! ```text
//! P(x)       = clamp(x, lower, upper)                       (projection on the box)
//! ε_k        = min(ε₀, ‖x_k - P(x_k - g_k)‖)                (width of the binding band)
//! A_k        = { i : x_i ≤ l_i + ε_k and g_i > 0,  or  x_i ≥ u_i - ε_k and g_i < 0 }
//! d_F        = -(B_k)_FF⁻¹ g_F  on the free set F,   d_A = -g_A  on A_k
//!              (with coupled bounds, in the reduced coordinates of `newton_direction`)
//! x_{k+1}    = P(x_k + t d),  t = 1, ½, ¼, … until f(x_{k+1}) ≤ f(x_k) + c₁ g_kᵀ(x_{k+1} - x_k)
//! B_{k+1}    = B_k + y yᵀ/(yᵀs) - B s sᵀB/(sᵀB s),  s = x_{k+1} - x_k,  y = g_{k+1} - g_k
//! ```
//!
//! `B` is a dense Hessian approximation (the ETS problems have at most 29 variables), scaled after
//! the first step by `yᵀy / yᵀs` (Nocedal & Wright eq. 6.20) and reset to that scaling when an
//! update would lose positive definiteness (`yᵀs ≤ 1e-10 ‖s‖‖y‖`) or the reduced system fails its
//! Cholesky factorisation. Points the objective rejects (`+∞`, e.g. outside the ETS admissible
//! region) simply shorten the step, as in a barrier-free line search. The iteration stops when the
//! projected gradient `‖x - P(x - g)‖∞` or the relative decrease of `f` over an iteration falls
//! below its tolerance (the `factr` test of L-BFGS-B), or the line search cannot decrease `f`.

// Index loops mirror the formulas above coordinate by coordinate.
#![allow(clippy::needless_range_loop)]

use super::optimizer::Minimum;

/// A smooth objective with its gradient; `+∞` marks a rejected point.
pub(crate) trait SmoothObjective {
    /// Value at `x` (`+∞` or NaN when the point is rejected).
    fn value(&mut self, x: &[f64]) -> f64;
    /// Value at `x` and its gradient written into `g`.
    fn value_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64;
}

/// A coupled upper bound `x[dependent] ≤ offset + slope · x[on]` (ETS: `β ≤ α`, `γ ≤ 1 - α`), with
/// `on` itself only box-bounded. The projection clamps `x[on]` into its box first, then
/// `x[dependent]` into `[lower, min(upper, offset + slope · x[on])]`: a feasible retraction onto
/// the polytope (not the orthogonal projection), which lets a dependent coordinate resting on its
/// coupled bound follow `x[on]` along that bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Coupling {
    pub dependent: usize,
    pub on: usize,
    pub offset: f64,
    pub slope: f64,
}

/// The feasible set of [`projected_bfgs`]: a box and coupled upper bounds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Feasible {
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub couplings: Vec<Coupling>,
}

impl Feasible {
    /// Upper bound of coordinate `i` at `x` (the box, tightened by a coupling).
    fn upper_at(&self, x: &[f64], i: usize) -> f64 {
        let mut u = self.upper[i];
        for c in self.couplings.iter().filter(|c| c.dependent == i) {
            u = u.min(c.offset + c.slope * x[c.on]);
        }
        u
    }

    /// Retract `x` onto the feasible set (see [`Coupling`]).
    pub(crate) fn project(&self, x: &mut [f64]) {
        for i in 0..x.len() {
            x[i] = x[i].max(self.lower[i]).min(self.upper[i]);
        }
        for c in &self.couplings {
            let u = self.upper_at(x, c.dependent);
            x[c.dependent] = x[c.dependent].min(u).max(self.lower[c.dependent]);
        }
    }
}

/// Stopping rules of [`projected_bfgs`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct BfgsSettings {
    /// Stop when `‖x - P(x - g)‖∞ ≤ gtol`.
    pub gtol: f64,
    /// Stop when `(f_k - f_{k+1}) ≤ ftol · max(|f_k|, |f_{k+1}|, 1)`.
    pub ftol: f64,
    /// Largest number of iterations.
    pub max_iterations: usize,
}

/// Sufficient-decrease constant of the line search (Nocedal & Wright's `c₁`).
const ARMIJO: f64 = 1e-4;
/// Largest number of step halvings per line search.
const MAX_HALVINGS: usize = 40;
/// Longest step (max norm) of an iteration, and of the first one (before `B` has a scale).
const MAX_STEP: f64 = 1.0;
const FIRST_STEP: f64 = 0.1;
/// Initial width of the binding band.
const BAND: f64 = 1e-3;

/// Minimise `f` over the box `[lower, upper]` from `start` (projected onto the box first). Returns
/// `None` when the objective is not finite at the starting point.
pub(crate) fn projected_bfgs<F: SmoothObjective>(
    f: &mut F,
    start: &[f64],
    feasible: &Feasible,
    settings: BfgsSettings,
) -> Option<Minimum> {
    let n = start.len();
    let project = |x: &mut [f64]| feasible.project(x);
    let lower = &feasible.lower;
    let mut x = start.to_vec();
    project(&mut x);
    let mut g = vec![0.0; n];
    let mut fx = f.value_gradient(&x, &mut g);
    let mut evaluations = 1usize;
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut b = identity(n, 1.0);
    // Its inverse, updated beside it: most directions need only `H g` (see `inverse_direction`).
    let mut h = identity(n, 1.0);
    let mut hy = vec![0.0; n];
    let mut masked = vec![0.0; n];
    let mut scaled = false;
    let mut d = vec![0.0; n];
    let mut xt = vec![0.0; n];
    let mut gt = vec![0.0; n];
    let mut s = vec![0.0; n];
    let mut yv = vec![0.0; n];
    let mut bs = vec![0.0; n];
    let mut free = vec![false; n];
    let mut follow: Vec<Option<(usize, f64)>> = vec![None; n];
    let mut reduced = Reduced::default();
    let mut converged = false;
    for _ in 0..settings.max_iterations {
        // Projected gradient and the binding set.
        let mut pg = 0.0f64;
        for i in 0..n {
            let moved = (x[i] - g[i]).max(lower[i]).min(feasible.upper_at(&x, i));
            pg = pg.max((x[i] - moved).abs());
        }
        if pg <= settings.gtol {
            converged = true;
            break;
        }
        let band = BAND.min(pg);
        for i in 0..n {
            let at_lower = x[i] <= lower[i] + band && g[i] > 0.0;
            let at_upper = x[i] >= feasible.upper_at(&x, i) - band && g[i] < 0.0;
            free[i] = !(at_lower || at_upper);
        }
        // A dependent coordinate resting on its coupled bound moves with `x[on]` (along the
        // bound), so the quasi-Newton step is taken in the reduced coordinates of the free set.
        follow.iter_mut().for_each(|f| *f = None);
        for c in &feasible.couplings {
            let bound = c.offset + c.slope * x[c.on];
            if free[c.on] && !free[c.dependent] && bound < feasible.upper[c.dependent] && x[c.dependent] >= bound - band
            {
                follow[c.dependent] = Some((c.on, c.slope));
            }
        }
        if !inverse_direction(&h, &g, &free, &follow, &mut d, &mut masked)
            && !newton_direction(&b, &g, &free, &follow, &mut d, &mut reduced)
        {
            let scale = diagonal_scale(&b);
            b = identity(n, scale);
            h = identity(n, 1.0 / scale);
            if !newton_direction(&b, &g, &free, &follow, &mut d, &mut reduced) {
                break;
            }
        }
        // Backtracking along the projected path, from a step no longer than `max_step` (in the
        // max norm) so that a poorly scaled first direction cannot leap into a far basin.
        let max_step = if scaled { MAX_STEP } else { FIRST_STEP };
        // (Bound coordinates are held by the projection, so only the moving ones count.)
        let longest = (0..n).filter(|&i| free[i] || follow[i].is_some()).fold(0.0f64, |a, i| a.max(d[i].abs()));
        let mut t = if longest > max_step { max_step / longest } else { 1.0 };
        let mut accepted = None;
        for halving in 0..MAX_HALVINGS {
            for i in 0..n {
                xt[i] = x[i] + t * d[i];
            }
            project(&mut xt);
            let decrease: f64 = (0..n).map(|i| g[i] * (xt[i] - x[i])).sum();
            if decrease >= 0.0 && xt == x {
                break;
            }
            // The first trial is usually accepted, so it is evaluated with its gradient (about two
            // passes of the recursion against one for the value: module `gradient`).
            let with_gradient = halving == 0;
            let ft = if with_gradient { f.value_gradient(&xt, &mut gt) } else { f.value(&xt) };
            evaluations += 1;
            if ft.is_finite() && ft <= fx + ARMIJO * decrease.min(0.0) && ft <= fx {
                accepted = Some((ft, with_gradient));
                break;
            }
            t *= 0.5;
        }
        let Some((ft, has_gradient)) = accepted else {
            break;
        };
        let ft_checked = if has_gradient {
            ft
        } else {
            evaluations += 1;
            f.value_gradient(&xt, &mut gt)
        };
        if !ft_checked.is_finite() || gt.iter().any(|v| !v.is_finite()) {
            break;
        }
        for i in 0..n {
            s[i] = xt[i] - x[i];
            yv[i] = gt[i] - g[i];
        }
        let sy: f64 = dot(&s, &yv);
        let yy: f64 = dot(&yv, &yv);
        let ss: f64 = dot(&s, &s);
        if sy > 1e-10 * (ss * yy).sqrt() {
            if !scaled {
                b = identity(n, yy / sy);
                h = identity(n, sy / yy);
                scaled = true;
            }
            for (bsi, row) in bs.iter_mut().zip(b.chunks_exact(n)) {
                *bsi = dot(row, &s);
            }
            let sbs = dot(&s, &bs);
            if sbs > 0.0 {
                for ((row, &yi), &bsi) in b.chunks_exact_mut(n).zip(&yv).zip(&bs) {
                    let (yi_sy, bsi_sbs) = (yi / sy, bsi / sbs);
                    for ((bij, &yj), &bsj) in row.iter_mut().zip(&yv).zip(&bs) {
                        *bij += yi_sy * yj - bsi_sbs * bsj;
                    }
                }
                // H' = H - ρ(H y sᵀ + s yᵀ H) + (ρ² yᵀHy + ρ) s sᵀ, ρ = 1/sᵀy (Nocedal & Wright
                // 2006, eq. 6.17).
                for (hyi, row) in hy.iter_mut().zip(h.chunks_exact(n)) {
                    *hyi = dot(row, &yv);
                }
                let rho = 1.0 / sy;
                let coef = rho * rho * dot(&yv, &hy) + rho;
                for ((row, &si), &hyi) in h.chunks_exact_mut(n).zip(&s).zip(&hy) {
                    let (a, c) = (rho * hyi, rho * si);
                    let e = coef * si;
                    for ((hij, &sj), &hyj) in row.iter_mut().zip(&s).zip(&hy) {
                        *hij += e * sj - a * sj - c * hyj;
                    }
                }
            }
        }
        let drop = fx - ft_checked;
        x.copy_from_slice(&xt);
        g.copy_from_slice(&gt);
        fx = ft_checked;
        if drop <= settings.ftol * fx.abs().max(1.0) {
            converged = true;
            break;
        }
    }
    Some(Minimum { x, value: fx, evaluations, converged })
}

/// Most bound coordinates [`inverse_direction`] handles (a small dense solve each).
const MAX_BOUND: usize = 4;

/// The quasi-Newton direction from the inverse `H = B⁻¹` when no coordinate follows a coupled
/// bound and at most [`MAX_BOUND`] are bound: with all free, `d = -H g`; with the set `A` bound,
/// the inverse of the reduced `B_FF` is the Schur complement `H_FF - H_FA H_AA⁻¹ H_AF`, and
/// `d_A = -g_A` (the projection holds them). The same direction as [`newton_direction`] up to
/// rounding, in `O(n²)` independent operations instead of a Cholesky factorisation's chains.
/// Returns `false` when it does not apply or `d` is not a descent direction (the caller then
/// factorises `B`).
fn inverse_direction(
    h: &[f64],
    g: &[f64],
    free: &[bool],
    follow: &[Option<(usize, f64)>],
    d: &mut [f64],
    masked: &mut [f64],
) -> bool {
    let n = g.len();
    if follow.iter().any(Option::is_some) {
        return false;
    }
    let mut bound = [0usize; MAX_BOUND];
    let mut k = 0;
    for i in (0..n).filter(|&i| !free[i]) {
        if k == MAX_BOUND {
            return false;
        }
        bound[k] = i;
        k += 1;
    }
    for ((m, &gi), &fi) in masked.iter_mut().zip(g).zip(free) {
        *m = if fi { gi } else { 0.0 };
    }
    for ((di, row), (&gi, &fi)) in d.iter_mut().zip(h.chunks_exact(n)).zip(g.iter().zip(free)) {
        *di = if fi { -dot(row, masked) } else { -gi };
    }
    if k > 0 {
        // Solve H_AA w = H_AF g_F by Gaussian elimination (H_AA is positive definite: no pivoting).
        let mut haa = [[0.0; MAX_BOUND]; MAX_BOUND];
        let mut w = [0.0; MAX_BOUND];
        for r in 0..k {
            for c in 0..k {
                haa[r][c] = h[bound[r] * n + bound[c]];
            }
            w[r] = dot(&h[bound[r] * n..(bound[r] + 1) * n], masked);
        }
        for c in 0..k {
            let p = haa[c][c];
            if !(p > 0.0 && p.is_finite()) {
                return false;
            }
            for r in c + 1..k {
                let f = haa[r][c] / p;
                for j in c..k {
                    haa[r][j] -= f * haa[c][j];
                }
                w[r] -= f * w[c];
            }
        }
        for c in (0..k).rev() {
            let tail: f64 = (c + 1..k).map(|j| haa[c][j] * w[j]).sum();
            w[c] = (w[c] - tail) / haa[c][c];
        }
        for i in (0..n).filter(|&i| free[i]) {
            d[i] += (0..k).map(|r| h[i * n + bound[r]] * w[r]).sum::<f64>();
        }
    }
    is_descent(g, d)
}

/// Whether `d` is a finite descent direction at gradient `g`.
fn is_descent(g: &[f64], d: &[f64]) -> bool {
    dot(g, d) < 0.0 && d.iter().all(|v| v.is_finite())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `scale · I` as a dense row-major matrix.
fn identity(n: usize, scale: f64) -> Vec<f64> {
    let mut b = vec![0.0; n * n];
    for i in 0..n {
        b[i * n + i] = scale;
    }
    b
}

/// Mean diagonal of `b` (a positive scale for a reset), 1 when it is not positive and finite.
fn diagonal_scale(b: &[f64]) -> f64 {
    let n = (b.len() as f64).sqrt() as usize;
    let mean = (0..n).map(|i| b[i * n + i]).sum::<f64>() / n.max(1) as f64;
    if mean.is_finite() && mean > 0.0 {
        mean
    } else {
        1.0
    }
}

/// Reusable buffers of [`newton_direction`].
#[derive(Debug, Default)]
struct Reduced {
    /// Entries `(coordinate, weight)` of the columns of `V`, column `r` at
    /// `entries[starts[r]..starts[r + 1]]`.
    entries: Vec<(usize, f64)>,
    starts: Vec<usize>,
    /// Cholesky factor (row-major `k×k`, lower triangle) of `Vᵀ B V`.
    chol: Vec<f64>,
    z: Vec<f64>,
}

/// The quasi-Newton direction in the reduced coordinates of the free set `F`.
///
/// Each free coordinate `r` moves the full point along `v_r = e_r + Σ slope · e_dep` over the
/// dependents that follow it on their coupled bound (`follow[dep] = Some((r, slope))`); with
/// `V = [v_r]`, the reduced system `(Vᵀ B V) z = -Vᵀ g` is solved by Cholesky and `d = V z`, while the
/// other bound coordinates take `d_i = -g_i` (the projection then holds them on their bound).
/// Returns `false` when `Vᵀ B V` is not numerically positive definite or `d` is not a descent
/// direction.
fn newton_direction(
    b: &[f64],
    g: &[f64],
    free: &[bool],
    follow: &[Option<(usize, f64)>],
    d: &mut [f64],
    work: &mut Reduced,
) -> bool {
    let n = g.len();
    let Reduced { entries, starts, chol, z } = work;
    entries.clear();
    starts.clear();
    for r in (0..n).filter(|&i| free[i]) {
        starts.push(entries.len());
        entries.push((r, 1.0));
        entries.extend((0..n).filter_map(|i| match follow[i] {
            Some((on, slope)) if on == r => Some((i, slope)),
            _ => None,
        }));
    }
    let k = starts.len();
    starts.push(entries.len());
    let column = |r: usize| &entries[starts[r]..starts[r + 1]];
    let quad = |a: &[(usize, f64)], c: &[(usize, f64)]| -> f64 {
        match (a, c) {
            ([(i, _)], [(j, _)]) => b[i * n + j],
            _ => a.iter().map(|&(i, wi)| c.iter().map(|&(j, wj)| wi * wj * b[i * n + j]).sum::<f64>()).sum(),
        }
    };
    chol.clear();
    chol.resize(k * k, 0.0);
    for r in 0..k {
        for c in 0..=r {
            let mut sum = quad(column(r), column(c));
            for p in 0..c {
                sum -= chol[r * k + p] * chol[c * k + p];
            }
            if r == c {
                if !(sum > 0.0 && sum.is_finite()) {
                    return false;
                }
                chol[r * k + r] = sum.sqrt();
            } else {
                chol[r * k + c] = sum / chol[c * k + c];
            }
        }
    }
    // Solve L w = -Vᵀ g, then Lᵀ z = w.
    z.clear();
    z.resize(k, 0.0);
    for r in 0..k {
        let mut sum = -column(r).iter().map(|&(i, w)| w * g[i]).sum::<f64>();
        for p in 0..r {
            sum -= chol[r * k + p] * z[p];
        }
        z[r] = sum / chol[r * k + r];
    }
    for r in (0..k).rev() {
        let mut sum = z[r];
        for p in r + 1..k {
            sum -= chol[p * k + r] * z[p];
        }
        z[r] = sum / chol[r * k + r];
    }
    for i in 0..n {
        d[i] = -g[i];
    }
    for r in 0..k {
        for &(i, w) in column(r) {
            d[i] = w * z[r];
        }
    }
    is_descent(g, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;

    impl SmoothObjective for Rosenbrock {
        fn value(&mut self, x: &[f64]) -> f64 {
            100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2)
        }
        fn value_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
            g[0] = -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]);
            g[1] = 200.0 * (x[1] - x[0] * x[0]);
            self.value(x)
        }
    }

    fn boxed(lower: [f64; 2], upper: [f64; 2]) -> Feasible {
        Feasible { lower: lower.to_vec(), upper: upper.to_vec(), couplings: Vec::new() }
    }

    const SETTINGS: BfgsSettings = BfgsSettings { gtol: 1e-9, ftol: 0.0, max_iterations: 500 };

    /// The direction from the inverse equals the Cholesky solve of the reduced system with none,
    /// one or several (up to four) coordinates bound; with a follower or five bound it declines.
    #[test]
    fn inverse_direction_equals_the_reduced_newton_direction() {
        let n = 5;
        // B = MᵀM + I (positive definite) and H = B⁻¹ by Gauss-Jordan.
        let m: Vec<f64> = (0..n * n).map(|k| ((k * 7 % 11) as f64 - 5.0) / 3.0).collect();
        let mut b = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                b[i * n + j] = (0..n).map(|k| m[k * n + i] * m[k * n + j]).sum::<f64>() + f64::from(u8::from(i == j));
            }
        }
        let mut a = b.clone();
        let mut h = identity(n, 1.0);
        for c in 0..n {
            let p = a[c * n + c];
            for j in 0..n {
                a[c * n + j] /= p;
                h[c * n + j] /= p;
            }
            for r in (0..n).filter(|&r| r != c) {
                let f = a[r * n + c];
                for j in 0..n {
                    a[r * n + j] -= f * a[c * n + j];
                    h[r * n + j] -= f * h[c * n + j];
                }
            }
        }
        let g = [0.3, -1.2, 0.7, 2.0, -0.4];
        let none = vec![None; n];
        let (mut d1, mut d2, mut masked) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for bound in [vec![], vec![0], vec![3], vec![1, 3, 4], vec![0, 1, 2, 4]] {
            let free: Vec<bool> = (0..n).map(|i| !bound.contains(&i)).collect();
            assert!(inverse_direction(&h, &g, &free, &none, &mut d1, &mut masked));
            assert!(newton_direction(&b, &g, &free, &none, &mut d2, &mut Reduced::default()));
            for (x, y) in d1.iter().zip(&d2) {
                assert!((x - y).abs() <= 1e-10 * y.abs().max(1.0), "{bound:?}: {d1:?} vs {d2:?}");
            }
        }
        assert!(!inverse_direction(&h, &g, &[false; 5], &none, &mut d1, &mut masked));
        let mut follow = none.clone();
        follow[1] = Some((0, 1.0));
        assert!(!inverse_direction(&h, &g, &[true, false, true, true, true], &follow, &mut d1, &mut masked));
    }

    #[test]
    fn minimises_rosenbrock_unbounded() {
        let inf = f64::INFINITY;
        let m = projected_bfgs(&mut Rosenbrock, &[-1.2, 1.0], &boxed([-inf; 2], [inf; 2]), SETTINGS).expect("finite");
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6, "{:?}", m);
    }

    #[test]
    fn stops_on_the_bound_with_the_bound_constrained_minimum() {
        // With x₀ ≤ 0.5 the minimum of Rosenbrock is at (0.5, 0.25).
        let m = projected_bfgs(&mut Rosenbrock, &[-1.2, 1.0], &boxed([-2.0; 2], [0.5, 2.0]), SETTINGS).expect("finite");
        assert!((m.x[0] - 0.5).abs() < 1e-9 && (m.x[1] - 0.25).abs() < 1e-6, "{:?}", m);
    }

    /// Rejected points (here `x₀ + x₁ > 1.5`) only shorten steps.
    struct Fenced;

    impl SmoothObjective for Fenced {
        fn value(&mut self, x: &[f64]) -> f64 {
            if x[0] + x[1] > 1.5 {
                f64::INFINITY
            } else {
                Rosenbrock.value(x)
            }
        }
        fn value_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
            let v = Rosenbrock.value_gradient(x, g);
            if x[0] + x[1] > 1.5 {
                f64::INFINITY
            } else {
                v
            }
        }
    }

    #[test]
    fn rejected_points_keep_the_iterate_feasible() {
        let inf = f64::INFINITY;
        let m = projected_bfgs(&mut Fenced, &[-1.2, 1.0], &boxed([-inf; 2], [inf; 2]), SETTINGS).expect("finite");
        assert!(m.x[0] + m.x[1] <= 1.5 && m.value.is_finite(), "{:?}", m);
        assert!(m.value < 0.2, "{:?}", m);
    }

    #[test]
    fn follows_a_coupled_bound() {
        // Rosenbrock with x₁ ≤ x₀ - 0.5: the minimum lies on the coupled bound, which the iterate
        // reaches and then slides along.
        let inf = f64::INFINITY;
        let feasible = Feasible {
            lower: vec![-inf; 2],
            upper: vec![inf; 2],
            couplings: vec![Coupling { dependent: 1, on: 0, offset: -0.5, slope: 1.0 }],
        };
        let m = projected_bfgs(&mut Rosenbrock, &[-1.2, -2.0], &feasible, SETTINGS).expect("finite");
        // On x₁ = x₀ - 0.5: minimise 100 (x₀ - 0.5 - x₀²)² + (1 - x₀)².
        let on_line = |a: f64| 100.0 * (a - 0.5 - a * a).powi(2) + (1.0 - a).powi(2);
        let best = (0..200_000).map(|k| on_line(-1.0 + k as f64 * 1e-5)).fold(f64::INFINITY, f64::min);
        assert!((m.x[1] - (m.x[0] - 0.5)).abs() < 1e-9, "{:?}", m);
        assert!(m.value <= best + 1e-8, "{:?} vs {best}", m);
    }

    #[test]
    fn refuses_a_rejected_start() {
        assert!(projected_bfgs(&mut Fenced, &[1.0, 1.0], &boxed([-5.0; 2], [5.0; 2]), SETTINGS).is_none());
    }
}
