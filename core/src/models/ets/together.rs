//! The forms of an AutoETS search on one series, estimated together.
//!
//! Each form's Nelder-Mead search is inherently sequential, and one likelihood pass is bound by
//! the latency of its recursion (module `lanes`), so a pass for up to four parameter sets costs
//! little more than one. Forms that share a state recursion (the same trend and season: a damped
//! and an undamped trend differ only in φ, an additive and a multiplicative error only in the
//! innovation) can therefore run their searches in lockstep ([`nelder_mead_lockstep`]), each
//! round's points going through passes of up to four lanes (the four forms of an additive trend,
//! damped or not, with either error, fill one). Every search
//! follows R's rules exactly as it would alone: the estimates are bit for bit those of
//! [`estimate`] one form at a time; only the work is shared.

use super::fit::{estimate, nelder_mead_reltol, EstimationOptions, EtsFit, Problem, MAX_EVALUATIONS};
use super::gradient_fit::polish;
use super::lanes::MAX_LANES;
use super::likelihood::{Checked, Objective};
use super::optimizer::{nelder_mead_lockstep, BatchObjective, GroupObjective};
use super::spec::{EtsSpec, SeasonType};
use rayon::prelude::*;

use crate::control::Control;
use crate::error::{Error, Result};

/// Estimate every form in `specs` on `y` (validated), results in the order given: forms sharing a
/// recursion are estimated together, the groups in parallel when `parallel` (rayon; only for a
/// search with seasonal forms and with more than one thread) or one after the other. The results
/// equal those of [`estimate`] form by form, whatever the thread count.
pub(crate) fn estimate_all(
    y: &[f64],
    specs: &[EtsSpec],
    m: usize,
    opts: &EstimationOptions,
    control: &Control<'_>,
    parallel: bool,
) -> Vec<Result<EtsFit>> {
    let mut groups: Vec<(EtsSpec, Vec<usize>)> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        match groups.iter_mut().find(|(first, _)| super::lanes::can_pair(first, spec)) {
            Some((_, members)) => members.push(i),
            None => groups.push((*spec, vec![i])),
        }
    }
    let run = |(_, members): &(EtsSpec, Vec<usize>)| {
        let forms: Vec<EtsSpec> = members.iter().map(|&i| specs[i]).collect();
        estimate_forms(y, &forms, m, opts, control)
    };
    // Threads pay for seasonal forms only: the groups of a non-seasonal search take a fraction of
    // a millisecond, about what handing one to another thread costs (50 to 2,000 points measured,
    // docs/benchmarks.md), and with one thread the hand-over is all cost.
    let parallel = parallel
        && groups.len() > 1
        && rayon::current_num_threads() > 1
        && specs.iter().any(|spec| spec.season != SeasonType::None);
    let estimates: Vec<Vec<Result<EtsFit>>> =
        if parallel { groups.par_iter().map(run).collect() } else { groups.iter().map(run).collect() };
    let mut results: Vec<Option<Result<EtsFit>>> = specs.iter().map(|_| None).collect();
    for ((_, members), fits) in groups.iter().zip(estimates) {
        for (&i, fit) in members.iter().zip(fits) {
            results[i] = Some(fit);
        }
    }
    results.into_iter().map(|r| r.unwrap_or(Err(Error::Cancelled))).collect()
}

/// Estimate the forms in `specs` on `y` together (one lockstep group); results in the order given.
fn estimate_forms(
    y: &[f64],
    specs: &[EtsSpec],
    m: usize,
    opts: &EstimationOptions,
    control: &Control<'_>,
) -> Vec<Result<EtsFit>> {
    // (A group's forms share their season, so they all take one minimiser.)
    let gradient = specs.iter().any(|spec| opts.optimizer.uses_gradient(spec, opts.criterion));
    if gradient || specs.len() < 2 {
        return specs.iter().map(|spec| estimate(y, *spec, m, opts, control)).collect();
    }
    if let Err(e) = control.check() {
        return specs.iter().map(|_| Err(e.clone())).collect();
    }
    let mut results: Vec<Option<Result<EtsFit>>> = specs.iter().map(|_| None).collect();
    let mut problems = Vec::with_capacity(specs.len());
    let mut members = Vec::with_capacity(specs.len());
    let mut owners = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        match Problem::new(y, *spec, m, opts) {
            Ok((problem, objective)) => {
                problems.push(problem);
                members.push(objective);
                owners.push(i);
            }
            Err(e) => results[i] = Some(Err(e)),
        }
    }
    let starts: Vec<Vec<f64>> = problems.iter().map(|p| p.start.clone()).collect();
    let keys = members.iter().map(Objective::lane_key).collect();
    // (A group's forms share their season, so they are all polished or none.)
    let polishes = specs.iter().any(|spec| opts.optimizer.polishes(spec, opts.criterion));
    let mut group = Together { members, keys, control };
    let minima = nelder_mead_lockstep(&mut group, &starts, nelder_mead_reltol(polishes), MAX_EVALUATIONS);
    for (((problem, rough), i), objective) in problems.into_iter().zip(minima).zip(owners).zip(group.members) {
        let best = match rough {
            Some(rough) if polishes => Some(polish(objective, control, rough)),
            other => other,
        };
        results[i] = Some(problem.finish(best, opts, control));
    }
    results.into_iter().map(|r| r.unwrap_or(Err(Error::Cancelled))).collect()
}

/// The objectives of several forms over one series under one cancellation flag: once the flag is
/// set every value is NaN, as for a single form (`fit::Cancellable`).
struct Together<'o, 'c> {
    members: Vec<Objective<'o>>,
    /// Each member's [`Objective::lane_key`], computed once (it is asked for every point).
    keys: Vec<Option<u64>>,
    control: &'c Control<'c>,
}

impl GroupObjective for Together<'_, '_> {
    fn values(&mut self, points: &[(usize, &[f64])], out: &mut [f64]) {
        if self.control.is_cancelled() {
            out.fill(f64::NAN);
            return;
        }
        // The members of a group share one lane key (`estimate_all`), so their points fill
        // passes of up to `MAX_LANES` lanes in the order they come. A point outside the bounds
        // costs no pass (its value is infinite), so it takes no lane: each point is checked once,
        // and the pass takes the checked point.
        let mut batch: [Option<(usize, usize, Checked<'_>)>; MAX_LANES] = [None; MAX_LANES];
        let mut filled = 0;
        for (k, &(member, x)) in points.iter().enumerate() {
            if self.keys[member].is_none() {
                out[k] = self.members[member].value(x);
                continue;
            }
            let Some(point) = self.members[member].check(x) else {
                out[k] = f64::INFINITY;
                continue;
            };
            batch[filled] = Some((k, member, point));
            filled += 1;
            if filled == MAX_LANES {
                self.run(&batch, out);
                filled = 0;
            }
        }
        self.run(&batch[..filled], out);
    }

    fn lane_key(&self, member: usize) -> Option<u64> {
        self.keys[member]
    }

    fn speculation_pays(&self, member: usize) -> bool {
        BatchObjective::speculation_pays(&self.members[member])
    }
}

impl Together<'_, '_> {
    /// Values of `batch[j] = Some((k, member, point))` (points of one lane key, at most
    /// `MAX_LANES`) written to `out[k]`, in one pass.
    fn run(&mut self, batch: &[Option<(usize, usize, Checked<'_>)>], out: &mut [f64]) {
        let lane = |j: usize| batch.get(j).copied().flatten().map(|(_, member, point)| (member, point));
        let values: &[f64] = match (batch.len(), lane(0), lane(1), lane(2), lane(3)) {
            (1, Some((i, p)), ..) => &[self.members[i].value_checked(p)],
            (2, Some(a), Some(b), ..) => &Objective::values_across(&mut self.members, &[a, b]),
            (3, Some(a), Some(b), Some(c), _) => &Objective::values_across(&mut self.members, &[a, b, c]),
            (4, Some(a), Some(b), Some(c), Some(d)) => &Objective::values_across(&mut self.members, &[a, b, c, d]),
            _ => &[],
        };
        for (&(k, _, _), &v) in batch.iter().flatten().zip(values) {
            out[k] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ets::spec::{Bounds, Criterion, ErrorType, EtsOptimizer, SeasonType, TrendType};
    use crate::models::ets::AutoEts;

    fn options(optimizer: EtsOptimizer, criterion: Criterion, bounds: Bounds) -> EstimationOptions {
        let d = AutoEts::new(1);
        EstimationOptions { bounds, criterion, fixed: [None; 4], lower: d.lower, upper: d.upper, optimizer }
    }

    /// Every form R's search tries on positive data (multiplicative trends included).
    fn forms(seasonal: bool) -> Vec<EtsSpec> {
        let mut out = Vec::new();
        for error in [ErrorType::Additive, ErrorType::Multiplicative] {
            for trend in [TrendType::None, TrendType::Additive, TrendType::Multiplicative] {
                let seasons: &[SeasonType] = if seasonal {
                    &[SeasonType::None, SeasonType::Additive, SeasonType::Multiplicative]
                } else {
                    &[SeasonType::None]
                };
                for &season in seasons {
                    for damped in [false, true] {
                        if trend != TrendType::None || !damped {
                            out.push(EtsSpec { error, trend, season, damped });
                        }
                    }
                }
            }
        }
        out
    }

    fn series(n: usize, m: usize) -> Vec<f64> {
        (0..n)
            .map(|t| {
                let tf = t as f64;
                let phase = (t % m.max(1)) as f64 / m.max(1) as f64;
                100.0 + 0.4 * tf + 12.0 * (std::f64::consts::TAU * phase).sin() + 3.0 * (1.7 * tf).sin()
            })
            .collect()
    }

    #[test]
    fn forms_estimated_together_equal_forms_estimated_alone() {
        let control = Control::new();
        let cases = [(series(60, 4), 4, true), (series(96, 12), 12, true), (series(40, 1), 1, false)];
        let settings = [
            options(EtsOptimizer::NelderMeadR, Criterion::Likelihood, Bounds::Both),
            options(EtsOptimizer::NelderMeadR, Criterion::Mse, Bounds::Usual),
            options(EtsOptimizer::NelderMeadR, Criterion::Sigma, Bounds::Admissible),
            options(EtsOptimizer::NelderMead, Criterion::Likelihood, Bounds::Both),
            // Non-seasonal forms polished by the gradient after the lockstep search.
            options(EtsOptimizer::Hybrid, Criterion::Likelihood, Bounds::Both),
        ];
        for (y, m, seasonal) in &cases {
            let specs = forms(*seasonal);
            for opts in &settings {
                let alone: Vec<String> =
                    specs.iter().map(|s| format!("{:?}", estimate(y, *s, *m, opts, &control))).collect();
                for parallel in [false, true] {
                    let together = estimate_all(y, &specs, *m, opts, &control, parallel);
                    assert_eq!(together.len(), specs.len());
                    for (k, fit) in together.iter().enumerate() {
                        assert_eq!(format!("{fit:?}"), alone[k], "{} m={m} parallel={parallel}", specs[k].method());
                    }
                }
            }
        }
    }

    #[test]
    fn a_cancelled_search_reports_every_form_cancelled() {
        let flag = std::sync::atomic::AtomicBool::new(true);
        let control = Control::new().with_cancel(&flag);
        let y = series(60, 4);
        let opts = options(EtsOptimizer::NelderMeadR, Criterion::Likelihood, Bounds::Both);
        for fit in estimate_all(&y, &forms(true), 4, &opts, &control, false) {
            assert!(matches!(fit, Err(Error::Cancelled)));
        }
    }
}
