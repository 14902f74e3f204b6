//! Known events (promotions, holidays, one-time orders): past event periods taken out of the fit,
//! future ones put back into the forecast.
//!
//! 1. **Past.** A series may carry one label per period ([`SeriesEvents::past`]: an event name, or
//!    `None` / empty for an ordinary period). The labelled periods are replaced by the baseline
//!    ([`event_baseline`]: a seasonal interpolation that ignores the event periods) before the model
//!    is fitted, so a promotion neither inflates the level nor the error variance.
//! 2. **Uplift.** Each past event's uplift is learned as the median of actual / baseline over its
//!    occurrences ([`learn_uplifts`]).
//! 3. **Future.** Each [`FutureEvent`] at a forecast period scales the mean by its uplift (given, or
//!    learned when not given) and widens the intervals by the spread of a learned uplift (formula in
//!    [`uplift`]). A future event never seen in the series' past and without an uplift is an
//!    [`Error::MissingData`] naming the event (and, through the caller, the series).
//!
//! The planner ([`crate::plan`]) takes [`PlanEvents`], so the demand over the protection period
//! includes the events in it. `docs/events.md` gives the method, the formulas and measured figures.
//!
//! ```
//! use forestock::events::{forecast_with_events, FutureEvent, SeriesEvents};
//! use forestock::models::{ModelSpec, SeasonalNaive};
//! use forestock::control::Control;
//! // Weekly demand of 100 with a promotion doubling it in weeks 10 and 30.
//! let mut y = vec![100.0; 40];
//! let mut past = vec![None; 40];
//! for t in [10, 30] {
//!     y[t] = 200.0;
//!     past[t] = Some("promo".to_string());
//! }
//! let events = SeriesEvents {
//!     past,
//!     future: vec![FutureEvent { period: 2, event: "promo".into(), uplift: None }],
//! };
//! let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(1));
//! let (out, _) = forecast_with_events(&spec, &y, &[1], &events, 3, &[95.0], &Control::new())?;
//! assert_eq!(out.forecast.mean, vec![100.0, 200.0, 100.0]);
//! assert_eq!(out.applied[0].uplift, 2.0);
//! # Ok::<(), forestock::Error>(())
//! ```

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::control::Control;
use crate::error::{Error, Result};
use crate::models::{DroppedPeriod, Forecast, ModelSpec, Periods};

mod baseline;
pub mod uplift;

pub use baseline::{event_baseline, SEASONAL_CYCLES};
use uplift::{apply_factors, Factor};
pub use uplift::{learn_uplifts, AppliedEvent, LearnedUplift, UpliftSource};

/// An event in a series' future.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FutureEvent {
    /// Forecast period the event falls on: 1 = the first period after the history.
    pub period: usize,
    /// Event name, as in the past labels.
    pub event: String,
    /// Factor on the demand (1.5 = half as much again); `None` = learned from the event's past.
    #[serde(default)]
    pub uplift: Option<f64>,
}

/// The events of one series.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeriesEvents {
    /// One label per period of the history (`None` or `""`: no event); empty when the series has no
    /// labels at all.
    #[serde(default)]
    pub past: Vec<Option<String>>,
    /// Events in the forecast periods.
    #[serde(default)]
    pub future: Vec<FutureEvent>,
}

impl SeriesEvents {
    /// Whether there is nothing to do (no labelled past period, no future event).
    pub fn is_empty(&self) -> bool {
        self.future.is_empty() && !self.past.iter().any(is_label)
    }
}

fn is_label(label: &Option<String>) -> bool {
    label.as_deref().is_some_and(|s| !s.is_empty())
}

/// A series made ready for fitting: the baseline to fit and the factors to apply afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedEvents {
    /// The history with event periods replaced by the baseline (the history itself without events).
    pub baseline: Vec<f64>,
    /// The uplift of every past event.
    pub learned: Vec<LearnedUplift>,
    factors: Vec<(usize, String, f64, f64, UpliftSource)>,
}

/// Check `events` against the history `y` and prepare it: the baseline to fit (seasonal `periods`,
/// see [`event_baseline`]) and the uplift of every future event. Errors: labels not one per period
/// (`events`), a future `period` of 0, an empty `event` name, an `uplift` that is negative or not
/// finite, a future event with neither an uplift nor a past occurrence with a positive baseline.
pub fn prepare_events(y: &[f64], events: &SeriesEvents, periods: &[usize]) -> Result<PreparedEvents> {
    if !events.past.is_empty() && events.past.len() != y.len() {
        return Err(Error::invalid_parameter(
            "events",
            format!("{} labels", events.past.len()),
            format!("must have one label (or null) per value of the series ({} values)", y.len()),
        ));
    }
    for f in &events.future {
        if f.period == 0 {
            return Err(Error::invalid_parameter(
                "period",
                0,
                format!("event `{}`: 1 is the first forecast period", f.event),
            ));
        }
        if f.event.is_empty() {
            return Err(Error::invalid_parameter("event", "\"\"", "a future event needs a name"));
        }
        if let Some(u) = f.uplift
            && !(u.is_finite() && u >= 0.0)
        {
            return Err(Error::invalid_parameter(
                "uplift",
                u,
                format!("event `{}`: must be a finite factor >= 0 (1 = no change)", f.event),
            ));
        }
    }
    let is_event: Vec<bool> =
        if events.past.is_empty() { vec![false; y.len()] } else { events.past.iter().map(is_label).collect() };
    let baseline = event_baseline(y, &is_event, periods)?;
    let learned = if events.past.is_empty() { Vec::new() } else { learn_uplifts(y, &baseline, &events.past) };
    let mut factors = Vec::with_capacity(events.future.len());
    for f in &events.future {
        let factor = match f.uplift {
            Some(u) => (f.period, f.event.clone(), u, 0.0, UpliftSource::Given),
            None => {
                let known = learned.iter().find(|l| l.event == f.event && l.occurrences > 0).ok_or_else(|| {
                    Error::MissingData {
                        id: f.event.clone(),
                        what: "its uplift: the event has no past period (with a positive baseline) in this \
                               series and no uplift was given"
                            .to_string(),
                    }
                })?;
                let n = known.occurrences as f64;
                let spread = known.spread * (1.0 + std::f64::consts::PI / (2.0 * n)).sqrt();
                (f.period, f.event.clone(), known.uplift, spread, UpliftSource::Learned)
            }
        };
        factors.push(factor);
    }
    Ok(PreparedEvents { baseline, learned, factors })
}

impl PreparedEvents {
    /// Apply the future events to a forecast of the baseline (mean and every interval; see
    /// [`uplift`]); events beyond the forecast's length are skipped. Returns the events applied.
    pub fn apply(&self, forecast: &mut Forecast) -> Vec<AppliedEvent> {
        let factors: Vec<Factor> = self
            .factors
            .iter()
            .map(|(period, event, uplift, spread, source)| Factor {
                period: *period,
                event: event.clone(),
                uplift: *uplift,
                spread: *spread,
                source: *source,
            })
            .collect();
        apply_factors(forecast, &factors)
    }
}

/// A forecast with its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventForecast {
    /// The forecast after the future events.
    pub forecast: Forecast,
    /// The future events applied, with the uplift used.
    pub applied: Vec<AppliedEvent>,
    /// What the past said about each event.
    pub learned: Vec<LearnedUplift>,
}

/// Fit `spec` on the baseline of `y` (its event periods replaced) and forecast `h` periods with
/// `levels`, then apply the future events. Also returns the periods the model did not use.
pub fn forecast_with_events(
    spec: &ModelSpec,
    y: &[f64],
    periods: &[usize],
    events: &SeriesEvents,
    h: usize,
    levels: &[f64],
    control: &Control<'_>,
) -> Result<(EventForecast, Vec<DroppedPeriod>)> {
    crate::series::validate_finite(y, 1, "events")?;
    let prepared = prepare_events(y, events, periods)?;
    let fit = spec.fit_with(&prepared.baseline, control)?;
    let mut forecast = fit.predict(h, levels)?;
    let applied = prepared.apply(&mut forecast);
    Ok((EventForecast { forecast, applied, learned: prepared.learned }, fit.unused_periods()))
}

/// One series' result in [`forecast_batch_events`].
pub type SeriesEventForecast = (EventForecast, Vec<DroppedPeriod>);

/// [`forecast_with_events`] for many series in parallel (rayon), `events[i]` for `series[i]` (a
/// missing entry = no events); failures are per series ([`Error::InSeries`]), the output is in input
/// order and does not depend on the thread count.
pub fn forecast_batch_events(
    series: &[(&str, &[f64])],
    events: &[SeriesEvents],
    periods: &[usize],
    spec: &ModelSpec,
    h: usize,
    levels: &[f64],
    control: &Control<'_>,
) -> Result<Vec<Result<SeriesEventForecast>>> {
    crate::limits::check_batch_size(series.len(), h, levels.len())?;
    if events.len() > series.len() {
        return Err(Error::invalid_parameter(
            "events",
            events.len(),
            format!("more entries than series ({})", series.len()),
        ));
    }
    let none = SeriesEvents::default();
    let results = series
        .par_iter()
        .enumerate()
        .map(|(i, (id, y))| {
            control.run(|| {
                let e = events.get(i).unwrap_or(&none);
                forecast_with_events(spec, y, periods, e, h, levels, control).map_err(|err| err.in_series(*id))
            })
        })
        .collect();
    control.finish(results)
}

/// A future event of the planning run: for one SKU, or for every SKU when `sku` is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedEvent {
    /// The SKU it applies to (`None`: every SKU).
    #[serde(default)]
    pub sku: Option<String>,
    /// Forecast period: 1 = the first period after the history.
    pub period: usize,
    /// Event name.
    pub event: String,
    /// Factor on the demand; `None` = learned from the SKU's past.
    #[serde(default)]
    pub uplift: Option<f64>,
}

/// The events of a planning run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanEvents {
    /// Seasonal period(s) of the demand, for the baseline ([`event_baseline`]).
    pub season_length: Periods,
    /// Past labels per SKU, one per period of its history.
    pub past: BTreeMap<String, Vec<Option<String>>>,
    /// Future events.
    pub future: Vec<PlannedEvent>,
}

impl PlanEvents {
    /// Whether the run has no events at all.
    pub fn is_empty(&self) -> bool {
        self.past.is_empty() && self.future.is_empty()
    }

    /// The events of one SKU (its labels, its own future events and those for every SKU).
    pub fn for_sku(&self, sku: &str) -> SeriesEvents {
        SeriesEvents {
            past: self.past.get(sku).cloned().unwrap_or_default(),
            future: self
                .future
                .iter()
                .filter(|e| e.sku.as_deref().is_none_or(|s| s == sku))
                .map(|e| FutureEvent { period: e.period, event: e.event.clone(), uplift: e.uplift })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::SeasonalNaive;

    fn promo_series() -> (Vec<f64>, Vec<Option<String>>) {
        let mut y = vec![50.0; 30];
        let mut past = vec![None; 30];
        for t in [5, 15, 25] {
            y[t] = 150.0;
            past[t] = Some("promo".into());
        }
        (y, past)
    }

    #[test]
    fn bad_events_are_typed_errors() {
        let (y, past) = promo_series();
        let unknown = SeriesEvents {
            past: past.clone(),
            future: vec![FutureEvent { period: 1, event: "sale".into(), uplift: None }],
        };
        let err = prepare_events(&y, &unknown, &[1]).expect_err("unknown event").in_series("sku-9");
        assert_eq!(err.code(), "ERR_MISSING_DATA");
        assert!(err.to_string().contains("sku-9") && err.to_string().contains("`sale`"), "{err}");
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let e = SeriesEvents {
                past: past.clone(),
                future: vec![FutureEvent { period: 1, event: "promo".into(), uplift: Some(bad) }],
            };
            assert!(
                matches!(prepare_events(&y, &e, &[1]), Err(Error::InvalidParameter { ref name, .. }) if name == "uplift")
            );
        }
        let short = SeriesEvents { past: past[..10].to_vec(), future: vec![] };
        assert!(
            matches!(prepare_events(&y, &short, &[1]), Err(Error::InvalidParameter { ref name, .. }) if name == "events")
        );
        let zero = SeriesEvents {
            past: vec![],
            future: vec![FutureEvent { period: 0, event: "x".into(), uplift: Some(2.0) }],
        };
        assert!(
            matches!(prepare_events(&y, &zero, &[1]), Err(Error::InvalidParameter { ref name, .. }) if name == "period")
        );
        // A new event with its uplift given is fine.
        let given =
            SeriesEvents { past, future: vec![FutureEvent { period: 1, event: "sale".into(), uplift: Some(1.2) }] };
        assert_eq!(prepare_events(&y, &given, &[1]).expect("given").factors[0].2, 1.2);
    }

    #[test]
    fn past_events_leave_the_fit_and_future_ones_come_back() {
        let (y, past) = promo_series();
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(1));
        let events =
            SeriesEvents { past, future: vec![FutureEvent { period: 2, event: "promo".into(), uplift: None }] };
        let (out, _) = forecast_with_events(&spec, &y, &[1], &events, 3, &[80.0], &Control::new()).expect("forecast");
        assert_eq!(out.forecast.mean, vec![50.0, 150.0, 50.0]);
        assert_eq!(out.learned[0].occurrences, 3);
        assert_eq!(out.applied.len(), 1);
        assert_eq!(out.applied[0].source, UpliftSource::Learned);
    }

    #[test]
    fn the_batch_names_the_failing_series() {
        let (y, past) = promo_series();
        let spec = ModelSpec::SeasonalNaive(SeasonalNaive::new(1));
        let bad = SeriesEvents { past, future: vec![FutureEvent { period: 1, event: "new".into(), uplift: None }] };
        let out = forecast_batch_events(
            &[("a", &y), ("b", &y)],
            &[SeriesEvents::default(), bad],
            &[1],
            &spec,
            2,
            &[],
            &Control::new(),
        )
        .expect("batch");
        assert!(out[0].is_ok());
        assert!(out[1].as_ref().expect_err("b fails").to_string().starts_with("series `b`"));
    }

    #[test]
    fn plan_events_split_by_sku() {
        let mut plan = PlanEvents::default();
        plan.future.push(PlannedEvent { sku: None, period: 1, event: "x".into(), uplift: Some(2.0) });
        plan.future.push(PlannedEvent { sku: Some("a".into()), period: 2, event: "y".into(), uplift: Some(3.0) });
        assert_eq!(plan.for_sku("a").future.len(), 2);
        assert_eq!(plan.for_sku("b").future.len(), 1);
    }
}
