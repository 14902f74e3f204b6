//! Nelder-Mead simplex minimisation with the exact rules of R's `optim(method = "Nelder-Mead")`
//! (`nmmin` in R's `src/appl/optim.c`, which R `forecast` copies as `etsNelderMead`).
//!
//! Nelder & Mead (1965) with reflection 1, contraction 0.5, expansion 2; initial simplex built by
//! adding `step = max(0.1 |x_i|)` (0.1 if all zero) to one coordinate at a time; convergence when
//! `f_high <= f_low + reltol (|f_0| + reltol)` with `f_0` the value at the starting point; shrink
//! towards the best vertex when a contraction fails, stopping if the simplex stops shrinking;
//! non-finite values are replaced by `1e35`.
//!
//! Written here rather than taken from `argmin` because parity with R's estimates depends on these
//! precise rules (starting simplex, tolerance, shrink test), and because the ETS objective keeps its
//! own reusable buffers: this minimiser allocates its simplex once and never again.
//!
//! Speed without changing a bit of the result: every iteration of R's `nmmin` evaluates the
//! reflection point and then exactly one of three points (the expansion if the reflection beat the
//! best vertex, otherwise the outside or the inside contraction). The outside contraction is the
//! most frequent (about 6 iterations in 10 on the public series), so it is evaluated together with
//! the reflection through [`BatchObjective::value_pair`] (for the ETS likelihood, one pass for two
//! points: module `lanes`); the other two are evaluated when R's rules ask for them. The rules then
//! pick exactly the points R would, and the evaluation count (`maxit`) counts only those, as R's
//! does. The vertices of a new or shrunk simplex are evaluated in pairs the same way.

/// Value substituted for a non-finite objective (R's `big`).
const BIG: f64 = 1.0e35;

/// An objective that may evaluate two points faster than one after the other.
pub(crate) trait BatchObjective {
    /// Value at `x`.
    fn value(&mut self, x: &[f64]) -> f64;
    /// Values at two points; must equal `[self.value(xs[0]), self.value(xs[1])]`.
    fn value_pair(&mut self, xs: [&[f64]; 2]) -> [f64; 2] {
        [self.value(xs[0]), self.value(xs[1])]
    }
    /// Whether evaluating a point that may not be needed together with one that is costs less
    /// than evaluating the needed one alone and, sometimes, the other one later.
    fn speculation_pays(&self) -> bool {
        false
    }
}

/// A plain function as a [`BatchObjective`] (points evaluated one by one).
#[cfg(test)]
pub(crate) struct OneByOne<F>(pub F);

#[cfg(test)]
impl<F: FnMut(&[f64]) -> f64> BatchObjective for OneByOne<F> {
    fn value(&mut self, x: &[f64]) -> f64 {
        (self.0)(x)
    }
}

/// Outcome of a minimisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    /// Best point found.
    pub x: Vec<f64>,
    /// Objective at `x`.
    pub value: f64,
    /// Number of objective evaluations.
    pub evaluations: usize,
    /// `true` when the tolerance was met (not stopped by `maxit` or a degenerate shrink).
    pub converged: bool,
}

/// R's replacement of a non-finite value.
#[inline]
fn finite_or_big(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        BIG
    }
}

/// Minimise `f` from `start`. Returns `None` when `f(start)` is not finite (R stops with
/// "function cannot be evaluated at initial parameters").
#[allow(clippy::needless_range_loop)] // index loops mirror R's nmmin for auditability
pub(crate) fn nelder_mead<F: BatchObjective>(f: &mut F, start: &[f64], reltol: f64, maxit: usize) -> Option<Minimum> {
    let n = start.len();
    let f0 = f.value(start);
    if !f0.is_finite() {
        return None;
    }
    if n == 0 || maxit == 0 {
        return Some(Minimum { x: start.to_vec(), value: f0, evaluations: 1, converged: true });
    }
    let (alpha, beta, gamma) = (1.0, 0.5, 2.0);
    let n1 = n + 1;
    // Vertices stored row-wise (`n1` rows), then the centroid, reflection, expansion, outside
    // contraction and inside contraction rows.
    let (c, r, e, co, ci) = (n1 * n, (n1 + 1) * n, (n1 + 2) * n, (n1 + 3) * n, (n1 + 4) * n);
    let mut p = vec![0.0; (n1 + 5) * n];
    let mut fv = vec![0.0; n1];
    let mut funcount = 1usize;
    let convtol = reltol * (f0.abs() + reltol);
    fv[0] = f0;
    p[..n].copy_from_slice(start);
    let mut step = 0.0f64;
    for &b in start {
        step = step.max(0.1 * b.abs());
    }
    if step == 0.0 {
        step = 0.1;
    }
    let mut size = 0.0;
    for j in 1..n1 {
        p[j * n..(j + 1) * n].copy_from_slice(start);
        let mut trystep = step;
        while p[j * n + j - 1] == start[j - 1] {
            p[j * n + j - 1] = start[j - 1] + trystep;
            trystep *= 10.0;
        }
        size += trystep;
    }
    let mut oldsize = size;
    let mut calcvert = true;
    let mut low = 0usize;
    let mut converged = false;
    loop {
        if calcvert {
            // Every vertex but the best, two at a time.
            let mut pending: Option<usize> = None;
            for j in (0..n1).filter(|&j| j != low) {
                match pending.take() {
                    None => pending = Some(j),
                    Some(i) => {
                        let [vi, vj] = f.value_pair([&p[i * n..(i + 1) * n], &p[j * n..(j + 1) * n]]);
                        fv[i] = finite_or_big(vi);
                        fv[j] = finite_or_big(vj);
                        funcount += 2;
                    }
                }
            }
            if let Some(i) = pending {
                fv[i] = finite_or_big(f.value(&p[i * n..(i + 1) * n]));
                funcount += 1;
            }
            calcvert = false;
        }
        let mut vl = fv[low];
        let mut vh = vl;
        let mut high = low;
        for j in 0..n1 {
            if j != low {
                let v = fv[j];
                if v < vl {
                    low = j;
                    vl = v;
                }
                if v > vh {
                    high = j;
                    vh = v;
                }
            }
        }
        if vh <= vl + convtol {
            converged = true;
            break;
        }
        // Centroid of all vertices but the highest.
        let h = high * n;
        for i in 0..n {
            let mut temp = -p[h + i];
            for j in 0..n1 {
                temp += p[j * n + i];
            }
            p[c + i] = temp / n as f64;
        }
        // The reflection and the three points R may try after it.
        for i in 0..n {
            let (pc, ph) = (p[c + i], p[h + i]);
            let pr = (1.0 + alpha) * pc - alpha * ph;
            p[r + i] = pr;
            p[e + i] = gamma * pr + (1.0 - gamma) * pc;
            p[co + i] = (1.0 - beta) * pr + beta * pc;
            p[ci + i] = (1.0 - beta) * ph + beta * pc;
        }
        let speculate = f.speculation_pays();
        let (vr, mut fco) = if speculate {
            let [vr, fco] = f.value_pair([&p[r..r + n], &p[co..co + n]]).map(finite_or_big);
            (vr, fco)
        } else {
            (finite_or_big(f.value(&p[r..r + n])), f64::NAN)
        };
        funcount += 2;
        if vr < vl {
            let fe = finite_or_big(f.value(&p[e..e + n]));
            let (from, value) = if fe < vr { (e, fe) } else { (r, vr) };
            p.copy_within(from..from + n, h);
            fv[high] = value;
        } else {
            let (contraction, fc) = if vr < vh {
                p.copy_within(r..r + n, h);
                fv[high] = vr;
                if !speculate {
                    fco = finite_or_big(f.value(&p[co..co + n]));
                }
                (co, fco)
            } else {
                (ci, finite_or_big(f.value(&p[ci..ci + n])))
            };
            if fc < fv[high] {
                p.copy_within(contraction..contraction + n, h);
                fv[high] = fc;
            } else if vr >= vh {
                calcvert = true;
                size = 0.0;
                for j in 0..n1 {
                    if j != low {
                        for i in 0..n {
                            let pl = p[low * n + i];
                            p[j * n + i] = beta * (p[j * n + i] - pl) + pl;
                            size += (p[j * n + i] - pl).abs();
                        }
                    }
                }
                if size < oldsize {
                    oldsize = size;
                } else {
                    break;
                }
            }
        }
        if funcount > maxit {
            break;
        }
    }
    Some(Minimum { x: p[low * n..(low + 1) * n].to_vec(), value: fv[low], evaluations: funcount, converged })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let rosen = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let m = nelder_mead(&mut OneByOne(rosen), &[-1.2, 1.0], 1e-12, 5000).expect("finite start");
        assert!((m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3, "{:?}", m.x);
    }

    /// Evaluates one by one but asks the minimiser to speculate.
    struct Speculating<F>(F);

    impl<F: FnMut(&[f64]) -> f64> BatchObjective for Speculating<F> {
        fn value(&mut self, x: &[f64]) -> f64 {
            (self.0)(x)
        }
        fn speculation_pays(&self) -> bool {
            true
        }
    }

    #[test]
    fn speculation_changes_nothing_but_the_work_done() {
        let rosen = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2) + 0.1 * x[2].abs();
        for maxit in [7, 50, 2000] {
            let plain = nelder_mead(&mut OneByOne(rosen), &[-1.2, 1.0, 0.5], 1e-10, maxit);
            let speculating = nelder_mead(&mut Speculating(rosen), &[-1.2, 1.0, 0.5], 1e-10, maxit);
            assert_eq!(plain, speculating, "maxit {maxit}");
        }
    }

    #[test]
    fn refuses_infinite_start() {
        assert!(nelder_mead(&mut OneByOne(|_: &[f64]| f64::INFINITY), &[1.0], 1e-8, 100).is_none());
    }
}
