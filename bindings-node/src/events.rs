//! Known events (core `forestock::events`): the `events` option of `forecastBatch` and `plan`
//! (future events by forecast period) and the per-series `events` labels of past periods, converted
//! to the core's types. The rules (baseline, uplift, intervals) are the core's.

use forestock::events::{AppliedEvent, PlannedEvent, UpliftSource};
use forestock::models::Periods;
use forestock::periods::{regularize, DatedRows, GapPolicy, TimeAxis};
use forestock::Error;
use napi_derive::napi;
use serde_json::Value;

/// One future event of the `events` option (declared for the TypeScript types; read from JSON).
#[napi(object)]
#[allow(dead_code)]
pub struct EventOption {
    /// The series (SKU) it applies to; absent or `null`: every series.
    pub id: Option<String>,
    /// Forecast period: 1 = the first period after the history.
    pub period: f64,
    /// Event name, as in the series' past `events` labels.
    pub event: String,
    /// Factor on the demand (1.5 = half as much again); absent or `null`: learned as the median
    /// actual / baseline over the event's past periods in that series.
    pub uplift: Option<f64>,
}

/// A future event applied to a forecast, with the uplift used.
#[napi(object, object_from_js = false)]
pub struct AppliedEventOutput {
    /// Forecast period (1 = the first after the history).
    pub period: u32,
    /// Event name.
    pub event: String,
    /// Factor applied to the mean (and the bounds).
    pub uplift: f64,
    /// Relative spread of a learned uplift that widened the intervals (0 when given).
    pub spread: f64,
    /// `'given'` or `'learned'`.
    #[napi(ts_type = "'given' | 'learned'")]
    pub source: String,
}

impl From<AppliedEvent> for AppliedEventOutput {
    fn from(a: AppliedEvent) -> Self {
        let source = match a.source {
            UpliftSource::Given => "given",
            UpliftSource::Learned => "learned",
        };
        AppliedEventOutput {
            period: u32::try_from(a.period).unwrap_or(u32::MAX),
            event: a.event,
            uplift: a.uplift,
            spread: a.spread,
            source: source.to_string(),
        }
    }
}

/// The `events` option as the core's planned events (`id` -> `sku`). A missing option is none.
pub(crate) fn future_events(value: Option<Value>) -> Result<Vec<PlannedEvent>, Error> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(Error::invalid_parameter(
                "events",
                other,
                "must be an array of { id?, period, event, uplift? }",
            ))
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(mut fields) = item else {
                return Err(Error::invalid_parameter(
                    format!("events[{i}]"),
                    item,
                    "must be an object { id?, period, event, uplift? }",
                ));
            };
            forestock::options::check_known(fields.keys().map(String::as_str), &["id", "period", "event", "uplift"])?;
            let sku = match fields.remove("id") {
                None | Some(Value::Null) => None,
                Some(Value::String(id)) => Some(id),
                Some(other) => {
                    return Err(Error::invalid_parameter(format!("events[{i}].id"), other, "must be a string"))
                }
            };
            let period = match fields.remove("period") {
                Some(Value::Number(n)) => n.as_u64().and_then(|p| usize::try_from(p).ok()),
                _ => None,
            };
            let Some(period) = period.filter(|&p| p >= 1) else {
                let reason = "must be an integer >= 1 (1 = the first forecast period)";
                return Err(Error::invalid_parameter(format!("events[{i}].period"), "?", reason));
            };
            let event = match fields.remove("event") {
                Some(Value::String(name)) if !name.is_empty() => name,
                other => {
                    return Err(Error::invalid_parameter(
                        format!("events[{i}].event"),
                        format!("{other:?}"),
                        "must be an event name",
                    ));
                }
            };
            let uplift = match fields.remove("uplift") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => n.as_f64(),
                Some(other) => {
                    return Err(Error::invalid_parameter(format!("events[{i}].uplift"), other, "must be a number"))
                }
            };
            Ok(PlannedEvent { sku, period, event, uplift })
        })
        .collect()
}

/// The model's `seasonLength` setting (a number or an array), for the baseline; 1 when absent.
pub(crate) fn season_length(settings: Option<&Value>) -> Result<Periods, Error> {
    match settings {
        None | Some(Value::Null) => Ok(Periods::none()),
        Some(value) => serde_json::from_value(value.clone())
            .map_err(|_| Error::invalid_parameter("seasonLength", value, "must be a period or an array of periods")),
    }
}

/// Past labels given per series must match its values one to one; named as the caller spells it.
pub(crate) fn check_labels(id: &str, labels: &[Option<String>], len: usize) -> Result<(), Error> {
    if labels.is_empty() || labels.len() == len {
        return Ok(());
    }
    let reason = format!("must have one label (or null) per value ({len} values)");
    Err(Error::invalid_parameter("events", format!("{} labels", labels.len()), reason).in_series(id))
}

/// Past labels of dated rows put on the catalogue's grid by the core's `regularize`, the way the
/// demand is: the labels travel as codes (0 = no event), so a filled gap has no event.
/// `rows[i]` is the number of rows of series `i` (a series without labels has no event).
pub(crate) fn labels_on_grid(
    ids: &[String],
    ds: &[i64],
    labels: &[Vec<Option<String>>],
    rows: &[usize],
    axis: TimeAxis,
) -> Result<Vec<Vec<Option<String>>>, Error> {
    let mut names: Vec<String> = Vec::new();
    let mut codes = Vec::with_capacity(ds.len());
    let mut offsets = vec![0];
    for (series, &count) in labels.iter().zip(rows) {
        if series.is_empty() {
            codes.extend(std::iter::repeat_n(0.0, count));
        }
        for label in series {
            let code = match label.as_deref().filter(|s| !s.is_empty()) {
                None => 0.0,
                Some(name) => match names.iter().position(|n| n == name) {
                    Some(k) => (k + 1) as f64,
                    None => {
                        names.push(name.to_string());
                        names.len() as f64
                    }
                },
            };
            codes.push(code);
        }
        offsets.push(codes.len());
    }
    let rows = DatedRows { ids, ds, y: &codes, offsets: &offsets, axis };
    let grid = regularize(&rows, None, GapPolicy::Fill, "ds")?;
    Ok(grid
        .offsets
        .windows(2)
        .map(|w| {
            grid.y[w[0]..w[1]]
                .iter()
                .map(|&c| if c >= 1.0 { names.get(c as usize - 1).cloned() } else { None })
                .collect()
        })
        .collect())
}
