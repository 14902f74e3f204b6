//! Fitting several models to the same series without doing any work twice.
//!
//! Two AutoETS models with the same season and estimation settings (AutoETS and damped AutoETS,
//! as the ensemble's members or as MSTL trend forecasters) share their common candidate forms
//! ([`AutoEts::fit_pair`]); MSTL models that differ only in their trend forecaster share one
//! decomposition ([`Mstl::fit_sharing`]). Every fit equals the model fitted alone, bit for bit.

use rayon::prelude::*;

use crate::control::Control;
use crate::error::Result;
use crate::models::{Fitted, ModelSpec, Mstl};

/// `specs`' indices grouped so that the members of a group share work when fitted together
/// ([`fit_group`]): the first two AutoETS models with equal settings; every MSTL model with the
/// same decomposition as the first; everything else alone. Groups are in the order of their first
/// member.
pub(crate) fn groups(specs: &[ModelSpec]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut taken = vec![false; specs.len()];
    for (i, spec) in specs.iter().enumerate() {
        if taken[i] {
            continue;
        }
        taken[i] = true;
        let mut group = vec![i];
        for (j, other) in specs.iter().enumerate().skip(i + 1) {
            let joins = !taken[j]
                && match (spec, other) {
                    (ModelSpec::AutoEts(a), ModelSpec::AutoEts(b)) => group.len() < 2 && a.shares_forms_with(b),
                    (ModelSpec::Mstl(a), ModelSpec::Mstl(b)) => a.same_decomposition(b),
                    _ => false,
                };
            if joins {
                taken[j] = true;
                group.push(j);
            }
        }
        out.push(group);
    }
    out
}

/// The fits of `specs[i]` for each `i` of `group` (one of [`groups`]) on `y`, in group order.
pub(crate) fn fit_group(
    specs: &[ModelSpec],
    group: &[usize],
    y: &[f64],
    control: &Control<'_>,
) -> Vec<Result<Box<dyn Fitted>>> {
    if let [i, j] = group
        && let (ModelSpec::AutoEts(a), ModelSpec::AutoEts(b)) = (&specs[*i], &specs[*j])
    {
        return a.fit_pair(b, y, control).into_iter().map(boxed).collect();
    }
    match mstl_members(specs, group) {
        Some(mstl) if mstl.len() > 1 => Mstl::fit_sharing(&mstl, y, control).into_iter().map(boxed).collect(),
        _ => group.iter().map(|&i| specs[i].fit_with(y, control)).collect(),
    }
}

/// A fit as a [`Fitted`] trait object.
pub(crate) fn boxed<F: Fitted + 'static>(fit: Result<F>) -> Result<Box<dyn Fitted>> {
    fit.map(|f| Box::new(f) as Box<dyn Fitted>)
}

/// The MSTL settings of every member of `group`; `None` when one of them is not MSTL.
pub(crate) fn mstl_members<'s>(specs: &'s [ModelSpec], group: &[usize]) -> Option<Vec<&'s Mstl>> {
    group
        .iter()
        .map(|&i| match &specs[i] {
            ModelSpec::Mstl(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// Every spec fitted to `y`, groups of [`groups`] fitted together and in parallel; results in the
/// order of `specs`.
pub(crate) fn fit_all(specs: &[ModelSpec], y: &[f64], control: &Control<'_>) -> Vec<Result<Box<dyn Fitted>>> {
    let mut fits: Vec<(usize, Result<Box<dyn Fitted>>)> = groups(specs)
        .par_iter()
        .flat_map_iter(|group| group.iter().copied().zip(fit_group(specs, group, y, control)).collect::<Vec<_>>())
        .collect();
    fits.sort_by_key(|(i, _)| *i);
    fits.into_iter().map(|(_, fit)| fit).collect()
}
