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
pub(crate) fn nelder_mead<F: BatchObjective>(f: &mut F, start: &[f64], reltol: f64, maxit: usize) -> Option<Minimum> {
    let mut run = NelderMead::new(start, reltol, maxit);
    let speculate = f.speculation_pays();
    let mut values = Vec::with_capacity(start.len() + 1);
    while !run.is_done() {
        values.clear();
        let points: Vec<&[f64]> = run.points().collect();
        for chunk in points.chunks(2) {
            match *chunk {
                [a, b] => values.extend(f.value_pair([a, b])),
                [a] => values.push(f.value(a)),
                _ => {}
            }
        }
        run.tell(&values, speculate);
    }
    run.into_result()
}

/// Several objectives whose points can be evaluated together: the members of a group of
/// Nelder-Mead searches run in lockstep by [`nelder_mead_lockstep`].
pub(crate) trait GroupObjective {
    /// Values of `points[i] = (member, x)`, written to `out[i]`; each must equal what member
    /// `member` alone gives at `x`.
    fn values(&mut self, points: &[(usize, &[f64])], out: &mut [f64]);
    /// Members with the same key can share a pass; `None` = evaluated alone.
    fn lane_key(&self, member: usize) -> Option<u64>;
    /// Whether member `member`, with no partner left, gains from speculative pairs
    /// ([`BatchObjective::speculation_pays`]).
    fn speculation_pays(&self, member: usize) -> bool;
}

/// Minimise every member of `group` from its start (`starts[i]` for member `i`), all searches
/// advancing together: each round gathers the points every unfinished search needs next and
/// evaluates them in one call, so that points of members sharing a lane key share passes. Each
/// search follows R's rules exactly as [`nelder_mead`] alone would (the same points, the same
/// values, the same result); only the grouping of evaluations changes. A search left without
/// partners speculates as [`nelder_mead`] does.
pub(crate) fn nelder_mead_lockstep<G: GroupObjective>(
    group: &mut G,
    starts: &[Vec<f64>],
    reltol: f64,
    maxit: usize,
) -> Vec<Option<Minimum>> {
    let mut runs: Vec<NelderMead> = starts.iter().map(|s| NelderMead::new(s, reltol, maxit)).collect();
    let keys: Vec<Option<u64>> = (0..runs.len()).map(|i| group.lane_key(i)).collect();
    let mut out = Vec::new();
    loop {
        let points: Vec<(usize, &[f64])> = runs
            .iter()
            .enumerate()
            .filter(|(_, run)| !run.is_done())
            .flat_map(|(i, run)| run.points().map(move |x| (i, x)))
            .collect();
        if points.is_empty() {
            break;
        }
        out.clear();
        out.resize(points.len(), f64::NAN);
        group.values(&points, &mut out);
        drop(points);
        let mut k = 0;
        for i in 0..runs.len() {
            // The points a search named this round are still pending (a finished search has none).
            let count = runs[i].pending.len();
            if count == 0 {
                continue;
            }
            let alone =
                keys[i].is_none() || !(0..runs.len()).any(|j| j != i && !runs[j].is_done() && keys[j] == keys[i]);
            let speculate = alone && group.speculation_pays(i);
            runs[i].tell(&out[k..k + count], speculate);
            k += count;
        }
    }
    runs.into_iter().map(NelderMead::into_result).collect()
}

/// What a search waits for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// The value at the starting point.
    Start,
    /// The values of the vertices listed in `pending`.
    Vertices,
    /// The reflection point's value, and the outside contraction's when speculated.
    Reflection { speculated: bool },
    /// The expansion point's value.
    Expansion,
    /// The value of the contraction point at row offset `row`.
    Contraction { row: usize },
    /// Finished.
    Done,
}

/// One Nelder-Mead search as a state machine: it names the points it needs ([`NelderMead::points`])
/// and continues when given their values ([`NelderMead::tell`]). Its rules are R's `nmmin`, in the
/// order the module docs give.
struct NelderMead {
    n: usize,
    reltol: f64,
    maxit: usize,
    /// Vertices row-wise (`n + 1` rows), then the centroid, reflection, expansion, outside and
    /// inside contraction rows.
    p: Vec<f64>,
    fv: Vec<f64>,
    funcount: usize,
    convtol: f64,
    size: f64,
    oldsize: f64,
    calcvert: bool,
    low: usize,
    high: usize,
    vl: f64,
    vh: f64,
    vr: f64,
    converged: bool,
    phase: Phase,
    /// Row offsets into `p` of the points awaiting values.
    pending: Vec<usize>,
    result: Option<Minimum>,
}

#[allow(clippy::needless_range_loop)] // index loops mirror R's nmmin for auditability
impl NelderMead {
    fn new(start: &[f64], reltol: f64, maxit: usize) -> NelderMead {
        let n = start.len();
        let mut p = vec![0.0; (n + 6) * n.max(1)];
        p[..n].copy_from_slice(start);
        NelderMead {
            n,
            reltol,
            maxit,
            p,
            fv: vec![0.0; n + 1],
            funcount: 1,
            convtol: 0.0,
            size: 0.0,
            oldsize: 0.0,
            calcvert: true,
            low: 0,
            high: 0,
            vl: 0.0,
            vh: 0.0,
            vr: 0.0,
            converged: false,
            phase: Phase::Start,
            pending: vec![0],
            result: None,
        }
    }

    /// Finished; a finished search has no pending points.
    fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The points whose values the search needs next, in the order [`NelderMead::tell`] takes them.
    fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.pending.iter().map(move |&o| &self.p[o..o + self.n])
    }

    fn into_result(self) -> Option<Minimum> {
        self.result
    }

    fn row(&self, j: usize) -> usize {
        j * self.n
    }

    /// Take the values of the pending points (in order) and run R's rules up to the next points
    /// needed. `speculate`: evaluate the outside contraction together with the next reflection.
    fn tell(&mut self, values: &[f64], speculate: bool) {
        let n = self.n;
        let n1 = n + 1;
        match self.phase {
            Phase::Done => {}
            Phase::Start => {
                let f0 = values.first().copied().unwrap_or(f64::NAN);
                if !f0.is_finite() {
                    self.pending.clear();
                    self.phase = Phase::Done;
                    return;
                }
                if n == 0 || self.maxit == 0 {
                    self.result = Some(Minimum { x: self.p[..n].to_vec(), value: f0, evaluations: 1, converged: true });
                    self.pending.clear();
                    self.phase = Phase::Done;
                    return;
                }
                self.convtol = self.reltol * (f0.abs() + self.reltol);
                self.fv[0] = f0;
                let mut step = 0.0f64;
                for i in 0..n {
                    step = step.max(0.1 * self.p[i].abs());
                }
                if step == 0.0 {
                    step = 0.1;
                }
                let mut size = 0.0;
                for j in 1..n1 {
                    self.p.copy_within(0..n, j * n);
                    let mut trystep = step;
                    while self.p[j * n + j - 1] == self.p[j - 1] {
                        self.p[j * n + j - 1] = self.p[j - 1] + trystep;
                        trystep *= 10.0;
                    }
                    size += trystep;
                }
                self.size = size;
                self.oldsize = size;
                self.calcvert = true;
                self.low = 0;
                self.top(speculate);
            }
            Phase::Vertices => {
                for (k, &o) in self.pending.iter().enumerate() {
                    self.fv[o / n] = finite_or_big(values.get(k).copied().unwrap_or(f64::NAN));
                }
                self.funcount += self.pending.len();
                self.calcvert = false;
                self.iterate(speculate);
            }
            Phase::Reflection { speculated } => {
                let vr = finite_or_big(values.first().copied().unwrap_or(f64::NAN));
                let fco = if speculated { finite_or_big(values.get(1).copied().unwrap_or(f64::NAN)) } else { f64::NAN };
                self.vr = vr;
                self.funcount += 2;
                let (h, r) = (self.row(self.high), self.row(n1 + 1));
                let (e, co, ci) = (self.row(n1 + 2), self.row(n1 + 3), self.row(n1 + 4));
                if vr < self.vl {
                    self.request(&[e], Phase::Expansion);
                } else if vr < self.vh {
                    self.p.copy_within(r..r + n, h);
                    self.fv[self.high] = vr;
                    if speculated {
                        self.contracted(co, fco, speculate);
                    } else {
                        self.request(&[co], Phase::Contraction { row: co });
                    }
                } else {
                    self.request(&[ci], Phase::Contraction { row: ci });
                }
            }
            Phase::Expansion => {
                let fe = finite_or_big(values.first().copied().unwrap_or(f64::NAN));
                let (e, r) = (self.row(n1 + 2), self.row(n1 + 1));
                let (from, value) = if fe < self.vr { (e, fe) } else { (r, self.vr) };
                let h = self.row(self.high);
                self.p.copy_within(from..from + n, h);
                self.fv[self.high] = value;
                self.end_iteration(speculate);
            }
            Phase::Contraction { row } => {
                let fc = finite_or_big(values.first().copied().unwrap_or(f64::NAN));
                self.contracted(row, fc, speculate);
            }
        }
    }

    fn request(&mut self, rows: &[usize], phase: Phase) {
        self.pending.clear();
        self.pending.extend_from_slice(rows);
        self.phase = phase;
    }

    /// The start of R's loop: new vertex values when the simplex was rebuilt, else an iteration.
    fn top(&mut self, speculate: bool) {
        if self.calcvert {
            let rows: Vec<usize> = (0..self.n + 1).filter(|&j| j != self.low).map(|j| self.row(j)).collect();
            self.request(&rows, Phase::Vertices);
        } else {
            self.iterate(speculate);
        }
    }

    /// Best and worst vertices, the convergence test, the centroid and the candidate points.
    fn iterate(&mut self, speculate: bool) {
        let n = self.n;
        let n1 = n + 1;
        let mut low = self.low;
        let mut vl = self.fv[low];
        let mut vh = vl;
        let mut high = low;
        for j in 0..n1 {
            if j != low {
                let v = self.fv[j];
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
        (self.low, self.high, self.vl, self.vh) = (low, high, vl, vh);
        if vh <= vl + self.convtol {
            self.converged = true;
            self.finish();
            return;
        }
        let (alpha, beta, gamma) = (1.0, 0.5, 2.0);
        let (r, co) = (self.row(n1 + 1), self.row(n1 + 3));
        // Slices of the vertex rows and of the five work rows, so the loops below index without
        // bounds checks.
        let (vertices, work) = self.p.split_at_mut(n1 * n);
        let (centroid, work) = work.split_at_mut(n);
        let (reflection, work) = work.split_at_mut(n);
        let (expansion, work) = work.split_at_mut(n);
        let (outside, inside) = work.split_at_mut(n);
        let worst = &vertices[high * n..(high + 1) * n];
        // Centroid of all vertices but the highest (R's order of additions).
        for (i, (pc, &ph)) in centroid.iter_mut().zip(worst).enumerate() {
            let mut temp = -ph;
            for vertex in vertices.chunks_exact(n) {
                temp += vertex[i];
            }
            *pc = temp / n as f64;
        }
        // The reflection and the three points R may try after it.
        for i in 0..n {
            let (pc, ph) = (centroid[i], worst[i]);
            let pr = (1.0 + alpha) * pc - alpha * ph;
            reflection[i] = pr;
            expansion[i] = gamma * pr + (1.0 - gamma) * pc;
            outside[i] = (1.0 - beta) * pr + beta * pc;
            inside[i] = (1.0 - beta) * ph + beta * pc;
        }
        if speculate {
            self.request(&[r, co], Phase::Reflection { speculated: true });
        } else {
            self.request(&[r], Phase::Reflection { speculated: false });
        }
    }

    /// After a contraction with value `fc` at row offset `row`: keep it, or shrink the simplex.
    fn contracted(&mut self, row: usize, fc: f64, speculate: bool) {
        let n = self.n;
        let n1 = n + 1;
        let beta = 0.5;
        let h = self.row(self.high);
        if fc < self.fv[self.high] {
            self.p.copy_within(row..row + n, h);
            self.fv[self.high] = fc;
        } else if self.vr >= self.vh {
            self.calcvert = true;
            let low = self.low;
            let mut size = 0.0;
            for j in 0..n1 {
                if j != low {
                    for i in 0..n {
                        let pl = self.p[low * n + i];
                        self.p[j * n + i] = beta * (self.p[j * n + i] - pl) + pl;
                        size += (self.p[j * n + i] - pl).abs();
                    }
                }
            }
            self.size = size;
            if size < self.oldsize {
                self.oldsize = size;
            } else {
                self.finish();
                return;
            }
        }
        self.end_iteration(speculate);
    }

    fn end_iteration(&mut self, speculate: bool) {
        if self.funcount > self.maxit {
            self.finish();
        } else {
            self.top(speculate);
        }
    }

    fn finish(&mut self) {
        let (n, low) = (self.n, self.low);
        self.result = Some(Minimum {
            x: self.p[low * n..(low + 1) * n].to_vec(),
            value: self.fv[low],
            evaluations: self.funcount,
            converged: self.converged,
        });
        self.pending.clear();
        self.phase = Phase::Done;
    }
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

    /// Members evaluated one by one, keyed so that the driver may pair them; counts the calls.
    struct Members {
        fns: Vec<fn(&[f64]) -> f64>,
        keys: Vec<Option<u64>>,
        calls: usize,
    }

    impl GroupObjective for Members {
        fn values(&mut self, points: &[(usize, &[f64])], out: &mut [f64]) {
            self.calls += 1;
            for (k, &(member, x)) in points.iter().enumerate() {
                out[k] = (self.fns[member])(x);
            }
        }
        fn lane_key(&self, member: usize) -> Option<u64> {
            self.keys[member]
        }
        fn speculation_pays(&self, _member: usize) -> bool {
            true
        }
    }

    fn rosen3(x: &[f64]) -> f64 {
        100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2) + 0.1 * x[2].abs()
    }

    fn bowl(x: &[f64]) -> f64 {
        x.iter().enumerate().map(|(i, v)| (i + 1) as f64 * (v - 0.3).powi(2)).sum()
    }

    fn infinite(_: &[f64]) -> f64 {
        f64::INFINITY
    }

    fn empty(_: &[f64]) -> f64 {
        4.0
    }

    #[test]
    fn lockstep_searches_equal_the_searches_alone() {
        let fns: Vec<fn(&[f64]) -> f64> = vec![rosen3, bowl, rosen3, infinite, empty, bowl];
        let starts = vec![
            vec![-1.2, 1.0, 0.5],
            vec![2.0, -1.0, 0.0, 4.0],
            vec![0.5, 0.5, 0.5],
            vec![1.0],
            vec![],
            vec![0.0, 0.0],
        ];
        let keys = vec![Some(1), Some(1), None, Some(1), Some(2), Some(2)];
        for maxit in [0, 1, 7, 50, 2000] {
            let mut group = Members { fns: fns.clone(), keys: keys.clone(), calls: 0 };
            let together = nelder_mead_lockstep(&mut group, &starts, 1e-10, maxit);
            let mut alone_evaluations = 0;
            for (i, f) in fns.iter().enumerate() {
                let alone = nelder_mead(&mut OneByOne(f), &starts[i], 1e-10, maxit);
                alone_evaluations += alone.as_ref().map_or(1, |m| m.evaluations);
                assert_eq!(together[i], alone, "member {i}, maxit {maxit}");
            }
            assert!(together[3].is_none());
            // Rounds are shared: far fewer calls than evaluations.
            assert!(group.calls < alone_evaluations, "maxit {maxit}: {} calls", group.calls);
        }
    }

    #[test]
    fn refuses_infinite_start() {
        assert!(nelder_mead(&mut OneByOne(|_: &[f64]| f64::INFINITY), &[1.0], 1e-8, 100).is_none());
    }
}
