//! A compact box-constrained Nelder-Mead minimiser with restarts and multiple starts.
//!
//! R's `HoltWinters` minimises the SSE with `optim(method = "L-BFGS-B")` from `(0.3, 0.1, 0.1)`,
//! which stops at the first local minimum it meets. Here every trial point of a Nelder-Mead simplex
//! (Nelder & Mead 1965; coefficients 1, 2, ½, ½ as in Lagarias et al. 1998) is projected onto the box
//! `[lo, hi]^d`; a run is restarted from its best vertex until a restart no longer improves the value
//! (this re-inflates simplices that collapsed on a face of the box). Starting points are R's start
//! plus the best points of a coarse grid, so the result is never worse than the best local
//! minimum found from those points; ties keep the earliest start, so the result is deterministic.
//!
//! The searches from the different starts are independent, so they run in lockstep (each run is a
//! state machine asking for one point at a time) and the filter evaluates their points, and the
//! grid's, up to four in one pass (`filter::sse_lanes`). Every search sees the values it would see
//! alone: the result is the same bit for bit as running them one after the other.

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

/// Most points one objective call evaluates together (the filter's lanes).
pub(crate) const LANES: usize = 4;

fn project(p: &mut [f64], lo: f64, hi: f64) {
    for v in p.iter_mut() {
        *v = v.clamp(lo, hi);
    }
}

/// NaN compares as +inf so that it is never chosen.
fn key(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// What a Nelder-Mead run waits for: the value of its pending point.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Vertex `i` of the initial simplex.
    Vertex(usize),
    Reflect,
    /// The expansion; `fr` is the reflection's value.
    Expand {
        fr: f64,
    },
    /// The contraction (outside the simplex when the reflection beat the worst vertex).
    Contract {
        outside: bool,
        fr: f64,
    },
    /// Vertex `i` shrunk towards the best one.
    Shrink(usize),
}

/// One Nelder-Mead run from a start, as a state machine that asks for one point at a time, so that
/// several runs can share the filter's passes. The sequence of points is that of the plain loop.
struct Run {
    simplex: Vec<Vec<f64>>,
    values: Vec<f64>,
    centroid: Vec<f64>,
    reflected: Vec<f64>,
    pending: Vec<f64>,
    step: Step,
    iterations: usize,
    lo: f64,
    hi: f64,
}

impl Run {
    fn new(x0: &[f64], lo: f64, hi: f64) -> Self {
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
        Run {
            pending: simplex[0].clone(),
            values: vec![f64::NAN; d + 1],
            simplex,
            centroid: Vec::new(),
            reflected: Vec::new(),
            step: Step::Vertex(0),
            iterations: 0,
            lo,
            hi,
        }
    }

    fn dim(&self) -> usize {
        self.simplex.len() - 1
    }

    /// The point `centroid + t (centroid - worst)`, projected onto the box.
    fn along(&self, t: f64) -> Vec<f64> {
        let worst = &self.simplex[self.dim()];
        let mut p: Vec<f64> = self.centroid.iter().zip(worst).map(|(c, w)| c + t * (c - w)).collect();
        project(&mut p, self.lo, self.hi);
        p
    }

    fn shrunk(&self, i: usize) -> Vec<f64> {
        self.simplex[i].iter().zip(&self.simplex[0]).map(|(v, b)| b + 0.5 * (v - b)).collect()
    }

    /// Takes the value of the pending point; `Some((best point, best value))` once the run is over.
    fn tell(&mut self, value: f64) -> Option<(Vec<f64>, f64)> {
        let d = self.dim();
        match self.step {
            Step::Vertex(i) => {
                self.values[i] = value;
                if i < d {
                    self.ask(Step::Vertex(i + 1), self.simplex[i + 1].clone());
                    return None;
                }
            }
            Step::Reflect => {
                let fr = value;
                if key(fr) < key(self.values[0]) {
                    self.reflected = std::mem::take(&mut self.pending);
                    self.ask(Step::Expand { fr }, self.along(2.0));
                    return None;
                }
                if key(fr) >= key(self.values[d - 1]) {
                    let outside = key(fr) < key(self.values[d]);
                    self.ask(Step::Contract { outside, fr }, self.along(if outside { 0.5 } else { -0.5 }));
                    return None;
                }
                self.simplex[d] = std::mem::take(&mut self.pending);
                self.values[d] = fr;
            }
            Step::Expand { fr } => {
                let fe = value;
                if key(fe) < key(fr) {
                    self.simplex[d] = std::mem::take(&mut self.pending);
                    self.values[d] = fe;
                } else {
                    self.simplex[d] = std::mem::take(&mut self.reflected);
                    self.values[d] = fr;
                }
            }
            Step::Contract { outside, fr } => {
                let fc = value;
                let accept = if outside { key(fc) <= key(fr) } else { key(fc) < key(self.values[d]) };
                if !accept {
                    self.ask(Step::Shrink(1), self.shrunk(1));
                    return None;
                }
                self.simplex[d] = std::mem::take(&mut self.pending);
                self.values[d] = fc;
            }
            Step::Shrink(i) => {
                self.values[i] = value;
                self.simplex[i] = std::mem::take(&mut self.pending);
                if i < d {
                    self.ask(Step::Shrink(i + 1), self.shrunk(i + 1));
                    return None;
                }
            }
        }
        self.iterate()
    }

    fn ask(&mut self, step: Step, point: Vec<f64>) {
        self.step = step;
        self.pending = point;
    }

    /// One iteration's start: order the simplex, stop on convergence or after `2000 d` iterations,
    /// else ask for the reflection of the worst vertex.
    fn iterate(&mut self) -> Option<(Vec<f64>, f64)> {
        let d = self.dim();
        if self.iterations == 2000 * d {
            return Some(self.best());
        }
        self.iterations += 1;
        // Order vertices by value (stable, NaN treated as +inf).
        let mut order: Vec<usize> = (0..=d).collect();
        order.sort_by(|&a, &b| key(self.values[a]).total_cmp(&key(self.values[b])));
        self.simplex = order.iter().map(|&i| self.simplex[i].clone()).collect();
        self.values = order.iter().map(|&i| self.values[i]).collect();
        let (best, worst) = (self.values[0], self.values[d]);
        let spread = (key(worst) - key(best)).abs();
        let size = self.simplex[1..]
            .iter()
            .flat_map(|v| v.iter().zip(&self.simplex[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if spread <= 1e-13 * key(best).abs().max(1e-300) && size < 1e-9 || size < 1e-12 {
            return Some(self.best());
        }
        self.centroid = (0..d).map(|j| self.simplex[..d].iter().map(|v| v[j]).sum::<f64>() / d as f64).collect();
        self.ask(Step::Reflect, self.along(1.0));
        None
    }

    fn best(&self) -> (Vec<f64>, f64) {
        let d = self.dim();
        let best = (0..=d).min_by(|&a, &b| key(self.values[a]).total_cmp(&key(self.values[b]))).unwrap_or(0);
        (self.simplex[best].clone(), self.values[best])
    }
}

/// Nelder-Mead from a start, restarted from its own optimum (at most 20 times) until the value
/// stops improving: the restarts re-inflate simplices that collapsed on a face of the box.
struct Restarted {
    run: Run,
    /// The best of the finished runs.
    best: Option<(Vec<f64>, f64)>,
    restarts: usize,
}

impl Restarted {
    fn new(x0: &[f64], lo: f64, hi: f64) -> Self {
        Restarted { run: Run::new(x0, lo, hi), best: None, restarts: 0 }
    }

    fn pending(&self) -> &[f64] {
        &self.run.pending
    }

    /// Takes the value of the pending point; `Some((point, value))` once the search is over.
    fn tell(&mut self, value: f64) -> Option<(Vec<f64>, f64)> {
        let (x2, f2) = self.run.tell(value)?;
        let best = match self.best.take() {
            None => (x2, f2),
            Some((x, fx)) => {
                let improved = key(f2) < key(fx) - 1e-12 * key(fx).abs();
                let best = if key(f2) < key(fx) { (x2, f2) } else { (x, fx) };
                self.restarts += 1;
                if !improved || self.restarts == 20 {
                    return Some(best);
                }
                best
            }
        };
        self.run = Run::new(&best.0, self.run.lo, self.run.hi);
        self.best = Some(best);
        None
    }
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

/// Minimise over the box: the best of the restarted Nelder-Mead runs from every start.
///
/// `f(points, values)` writes the value of each of at most [`LANES`] points. The grid's points go
/// to it in groups, and the searches from the starts run in lockstep, each round passing every
/// unfinished search's next point together; each search sees exactly the values it would see
/// alone, so the result does not depend on the grouping.
pub(crate) fn minimise(mut f: impl FnMut(&[&[f64]], &mut [f64]), problem: &BoxProblem) -> (Vec<f64>, f64) {
    let d = problem.starts.first().map_or(0, Vec::len);
    let mut starts = problem.starts.clone();
    let mut values = [0.0; LANES];
    if problem.grid_starts > 0 && d > 0 {
        let points = grid_points(&problem.grid, d);
        let mut scored: Vec<(f64, Vec<f64>)> = Vec::with_capacity(points.len());
        for group in points.chunks(LANES) {
            let batch: Vec<&[f64]> = group.iter().map(Vec::as_slice).collect();
            f(&batch, &mut values[..group.len()]);
            scored.extend(group.iter().zip(values).map(|(p, v)| (key(v), p.clone())));
        }
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        starts.extend(scored.into_iter().take(problem.grid_starts).map(|(_, p)| p));
    }
    let mut searches: Vec<Restarted> = starts
        .iter()
        .map(|s| {
            let mut s = s.clone();
            project(&mut s, problem.lo, problem.hi);
            Restarted::new(&s, problem.lo, problem.hi)
        })
        .collect();
    let mut results: Vec<Option<(Vec<f64>, f64)>> = vec![None; searches.len()];
    loop {
        let active: Vec<usize> = (0..searches.len()).filter(|&i| results[i].is_none()).collect();
        if active.is_empty() {
            break;
        }
        for group in active.chunks(LANES) {
            let batch: Vec<&[f64]> = group.iter().map(|&i| searches[i].pending()).collect();
            f(&batch, &mut values[..group.len()]);
            for (&i, &v) in group.iter().zip(&values) {
                results[i] = searches[i].tell(v);
            }
        }
    }
    let mut best: Option<(Vec<f64>, f64)> = None;
    for (x, fx) in results.into_iter().flatten() {
        if best.as_ref().is_none_or(|(_, fb)| key(fx) < key(*fb)) {
            best = Some((x, fx));
        }
    }
    best.unwrap_or((Vec::new(), f64::NAN))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch objective that evaluates a scalar function point by point.
    fn each(f: impl Fn(&[f64]) -> f64) -> impl FnMut(&[&[f64]], &mut [f64]) {
        move |points, values| {
            for (p, v) in points.iter().zip(values.iter_mut()) {
                *v = f(p);
            }
        }
    }

    #[test]
    fn finds_interior_and_boundary_minima() {
        let problem = BoxProblem {
            lo: 0.0,
            hi: 1.0,
            starts: vec![vec![0.3, 0.1, 0.1]],
            grid: vec![0.2, 0.5, 0.8],
            grid_starts: 2,
        };
        let (x, fx) = minimise(each(|p| (p[0] - 0.7).powi(2) + (p[1] - 0.25).powi(2) + (p[2] + 0.5).powi(2)), &problem);
        assert!((x[0] - 0.7).abs() < 1e-6 && (x[1] - 0.25).abs() < 1e-6 && x[2].abs() < 1e-9, "{x:?}");
        assert!((fx - 0.25).abs() < 1e-10);
    }

    #[test]
    fn rosenbrock_in_box() {
        let problem = BoxProblem { lo: -2.0, hi: 2.0, starts: vec![vec![-1.2, 1.0]], grid: vec![], grid_starts: 0 };
        let (x, _) = minimise(each(|p| 100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2)), &problem);
        assert!((x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5, "{x:?}");
    }
}
