//! A compact box-constrained Nelder-Mead minimiser with restarts and multiple starts.
//!
//! R's `HoltWinters` minimises the SSE with `optim(method = "L-BFGS-B")` from `(0.3, 0.1, 0.1)`,
//! which stops at the first local minimum it meets. Here every trial point of a Nelder-Mead simplex
//! (Nelder & Mead 1965; coefficients 1, 2, ½, ½ as in Lagarias et al. 1998) is projected onto the box
//! `[lo, hi]^d`; a run is restarted from its best vertex until a restart no longer improves the value
//! (this re-inflates simplices that collapsed on a face of the box). Starting points are R's start
//! plus the best points of a coarse grid, so the result is never worse than the best local
//! minimum found from those points; ties keep the earliest start, so the result is deterministic.

/// Settings of one minimisation.
#[derive(Debug, Clone)]
pub(crate) struct BoxProblem {
    /// Lower bound of every coordinate.
    pub lo: f64,
    /// Upper bound of every coordinate.
    pub hi: f64,
    /// Starting points tried first (e.g. R's default start).
    pub starts: Vec<Vec<f64>>,
    /// Grid values per coordinate used to pick extra starting points.
    pub grid: Vec<f64>,
    /// How many of the best grid points to use as extra starts.
    pub grid_starts: usize,
}

fn project(p: &mut [f64], lo: f64, hi: f64) {
    for v in p.iter_mut() {
        *v = v.clamp(lo, hi);
    }
}

/// One Nelder-Mead run from `x0`; returns `(best point, best value)`.
fn nelder_mead(f: &mut impl FnMut(&[f64]) -> f64, x0: &[f64], lo: f64, hi: f64) -> (Vec<f64>, f64) {
    let d = x0.len();
    let step = 0.1 * (hi - lo);
    let mut simplex: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..d {
        let mut v = x0.to_vec();
        // Step inwards when the start sits on the upper half of the box.
        v[i] = if v[i] + step <= hi { v[i] + step } else { v[i] - step };
        project(&mut v, lo, hi);
        simplex.push(v);
    }
    let mut values: Vec<f64> = simplex.iter().map(|v| f(v)).collect();
    for _ in 0..2000 * d {
        // Order vertices by value (stable, NaN treated as +inf).
        let mut order: Vec<usize> = (0..=d).collect();
        order.sort_by(|&a, &b| key(values[a]).total_cmp(&key(values[b])));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let (best, worst) = (values[0], values[d]);
        let spread = (key(worst) - key(best)).abs();
        let size =
            simplex[1..].iter().flat_map(|v| v.iter().zip(&simplex[0]).map(|(a, b)| (a - b).abs())).fold(0.0, f64::max);
        if spread <= 1e-13 * key(best).abs().max(1e-300) && size < 1e-9 || size < 1e-12 {
            break;
        }
        let centroid: Vec<f64> = (0..d).map(|j| simplex[..d].iter().map(|v| v[j]).sum::<f64>() / d as f64).collect();
        let along = |t: f64| -> Vec<f64> {
            let mut p: Vec<f64> = centroid.iter().zip(&simplex[d]).map(|(c, w)| c + t * (c - w)).collect();
            project(&mut p, lo, hi);
            p
        };
        let reflected = along(1.0);
        let fr = f(&reflected);
        if key(fr) < key(values[0]) {
            let expanded = along(2.0);
            let fe = f(&expanded);
            if key(fe) < key(fr) {
                simplex[d] = expanded;
                values[d] = fe;
            } else {
                simplex[d] = reflected;
                values[d] = fr;
            }
            continue;
        }
        if key(fr) < key(values[d - 1]) {
            simplex[d] = reflected;
            values[d] = fr;
            continue;
        }
        // Outside contraction when the reflection beat the worst vertex, inside otherwise.
        let outside = key(fr) < key(values[d]);
        let contracted = along(if outside { 0.5 } else { -0.5 });
        let fc = f(&contracted);
        let accept = if outside { key(fc) <= key(fr) } else { key(fc) < key(values[d]) };
        if accept {
            simplex[d] = contracted;
            values[d] = fc;
            continue;
        }
        // Shrink towards the best vertex.
        for i in 1..=d {
            let shrunk: Vec<f64> = simplex[i].iter().zip(&simplex[0]).map(|(v, b)| b + 0.5 * (v - b)).collect();
            values[i] = f(&shrunk);
            simplex[i] = shrunk;
        }
    }
    let best = (0..=d).min_by(|&a, &b| key(values[a]).total_cmp(&key(values[b]))).unwrap_or(0);
    (simplex[best].clone(), values[best])
}

/// NaN compares as +inf so that it is never chosen.
fn key(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// Nelder-Mead from `x0`, restarted from its own optimum until the value stops improving.
fn restarted(f: &mut impl FnMut(&[f64]) -> f64, x0: &[f64], lo: f64, hi: f64) -> (Vec<f64>, f64) {
    let (mut x, mut fx) = nelder_mead(f, x0, lo, hi);
    for _ in 0..20 {
        let (x2, f2) = nelder_mead(f, &x, lo, hi);
        let improved = key(f2) < key(fx) - 1e-12 * key(fx).abs();
        if key(f2) < key(fx) {
            x = x2;
            fx = f2;
        }
        if !improved {
            break;
        }
    }
    (x, fx)
}

/// All points of the grid `values^d`, in lexicographic order.
fn grid_points(values: &[f64], d: usize) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::with_capacity(d)];
    for _ in 0..d {
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    points
}

/// Minimise `f` over the box: the best of the restarted Nelder-Mead runs from every start.
pub(crate) fn minimise(mut f: impl FnMut(&[f64]) -> f64, problem: &BoxProblem) -> (Vec<f64>, f64) {
    let d = problem.starts.first().map_or(0, Vec::len);
    let mut starts = problem.starts.clone();
    if problem.grid_starts > 0 && d > 0 {
        let mut scored: Vec<(f64, Vec<f64>)> =
            grid_points(&problem.grid, d).into_iter().map(|p| (key(f(&p)), p)).collect();
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        starts.extend(scored.into_iter().take(problem.grid_starts).map(|(_, p)| p));
    }
    let mut best: Option<(Vec<f64>, f64)> = None;
    for s in &starts {
        let mut s = s.clone();
        project(&mut s, problem.lo, problem.hi);
        let (x, fx) = restarted(&mut f, &s, problem.lo, problem.hi);
        if best.as_ref().is_none_or(|(_, fb)| key(fx) < key(*fb)) {
            best = Some((x, fx));
        }
    }
    best.unwrap_or((Vec::new(), f64::NAN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_interior_and_boundary_minima() {
        let problem = BoxProblem {
            lo: 0.0,
            hi: 1.0,
            starts: vec![vec![0.3, 0.1, 0.1]],
            grid: vec![0.2, 0.5, 0.8],
            grid_starts: 2,
        };
        let (x, fx) = minimise(|p| (p[0] - 0.7).powi(2) + (p[1] - 0.25).powi(2) + (p[2] + 0.5).powi(2), &problem);
        assert!((x[0] - 0.7).abs() < 1e-6 && (x[1] - 0.25).abs() < 1e-6 && x[2].abs() < 1e-9, "{x:?}");
        assert!((fx - 0.25).abs() < 1e-10);
    }

    #[test]
    fn rosenbrock_in_box() {
        let problem = BoxProblem { lo: -2.0, hi: 2.0, starts: vec![vec![-1.2, 1.0]], grid: vec![], grid_starts: 0 };
        let (x, _) = minimise(|p| 100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2), &problem);
        assert!((x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5, "{x:?}");
    }
}
