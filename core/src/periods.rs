//! Dated demand rows onto one regular grid of periods: the catalogue's frequency, the periods a sales
//! export left out, and the dates that continue the catalogue.
//!
//! Sales exports usually hold one row per SKU and period *with sales*: a week without sales is simply
//! absent. Handing such rows to a model as consecutive values would squeeze the calendar (a
//! sporadic item would look like a steady seller). [`regularize`] puts every series on the
//! catalogue's grid and fills the missing periods with zeros, or fails naming the SKU and the first
//! missing period ([`GapPolicy`]).
//!
//! The rule, one for every binding:
//! - `ds` is an integer period ([`TimeAxis::Periods`]) or wall-clock seconds since 1970-01-01
//!   ([`TimeAxis::Seconds`], a date is its midnight).
//! - The frequency is the catalogue's, not each series' ([`infer_frequency`]): dates that all fall on
//!   one day of the month (or all on month ends) in at least two months step by whole calendar months
//!   (the greatest common divisor of their month distances: 1 monthly, 3 quarterly, 12 yearly);
//!   anything else steps by the greatest common divisor of the distances between all the catalogue's
//!   `ds` values (7 days for weekly rows on one weekday, 1 for consecutive integer periods). A SKU
//!   that sells every other week in a weekly catalogue therefore has gaps; a catalogue where *every*
//!   SKU sells only every other week looks fortnightly (no gaps), as it would to `pandas.infer_freq`.
//! - Dated series ([`TimeAxis::Seconds`]) run from their own first row to the catalogue's last period:
//!   the periods in between without a row are missing, including those after the series' last row (a
//!   SKU that stopped selling has zero demand since, not a shorter history), and every forecast
//!   continues from the catalogue's last period. Integer periods ([`TimeAxis::Periods`]) often count
//!   each series' own time (`0..n` for series of different lengths), so an integer series ends at its
//!   own last row and its forecast continues from there; only the periods missing inside it are gaps.
//!   Periods before a series' first row are never invented (a new product has no history there).
//! - Forecast periods are [`Frequency::future`] of [`RegularSeries::ends`].

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::limits::check_series_length;

const SECONDS_PER_DAY: i64 = 86_400;

/// What the `ds` values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeAxis {
    /// Integer period numbers (week 1, 2, ...).
    Periods,
    /// Wall-clock seconds since 1970-01-01T00:00 (dates at midnight); time zones are the caller's
    /// business (give local wall-clock time, so a daily series keeps midnight across DST).
    Seconds,
}

/// Which day of the month a monthly grid sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthDay {
    /// The same day number every month (1 for month starts).
    Day(u32),
    /// The last day of each month.
    End,
}

/// The catalogue's frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// A fixed step in the axis's unit (periods, or seconds: 86 400 daily, 604 800 weekly).
    Step(i64),
    /// Whole calendar months (1 monthly, 3 quarterly, 12 yearly) on one day of the month.
    Months {
        /// Months per period.
        step: u32,
        /// The day of the month every period sits on.
        day: MonthDay,
    },
}

/// Whether missing periods are filled or fail the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapPolicy {
    /// Fill each missing period with a zero (a period without a sales row sold nothing).
    Fill,
    /// Fail with [`Error::MissingData`] naming the first series with a gap and its first missing period.
    Fail,
}

/// The periods one series was missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesGaps {
    /// Position of the series in the input.
    pub series: usize,
    /// Its identifier.
    pub id: String,
    /// How many periods had no row (filled with zeros).
    pub missing: usize,
    /// The first missing period, as a `ds` value of the input's axis.
    pub first_missing: i64,
    /// The same period as text (`2026-01-12`, or the period number).
    pub first_missing_text: String,
}

/// Series on one regular grid: the filled values, concatenated, with their offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegularSeries {
    /// Values of every series, series `i` at `y[offsets[i]..offsets[i + 1]]`.
    pub y: Vec<f64>,
    /// Offsets into `y`, one per series plus the end.
    pub offsets: Vec<usize>,
    /// The series that had missing periods, in input order.
    pub gaps: Vec<SeriesGaps>,
    /// The catalogue's frequency.
    pub frequency: Frequency,
    /// The catalogue's last period, as a `ds` value.
    pub last: i64,
    /// Where each series ends (its forecast continues from there): the catalogue's last period for
    /// dates, the series' own last row for integer periods.
    pub ends: Vec<i64>,
}

impl RegularSeries {
    /// One sentence for a warning: how many of the `total` series had gaps, the frequency, an example
    /// series with its first missing period, and that the gaps were filled with zeros. `None` without gaps.
    pub fn gaps_summary(&self, axis: TimeAxis) -> Option<String> {
        let first = self.gaps.first()?;
        let periods: usize = self.gaps.iter().map(|g| g.missing).sum();
        Some(format!(
            "{} of {} series had {periods} period(s) without a row at the catalogue's {} frequency, filled with \
             zeros (e.g. `{}` from {}, {} period(s))",
            self.gaps.len(),
            self.offsets.len().saturating_sub(1),
            self.frequency.describe(axis),
            first.id,
            first.first_missing_text,
            first.missing
        ))
    }
}

impl Frequency {
    /// The `ds` value `steps` periods after `instant`, or `None` out of the representable range.
    pub fn advance(&self, instant: i64, steps: i64) -> Option<i64> {
        match *self {
            Frequency::Step(step) => step.checked_mul(steps).and_then(|d| instant.checked_add(d)),
            Frequency::Months { step, day } => {
                let (date, time) = split_seconds(instant)?;
                let months = month_index(date).checked_add(i64::from(step).checked_mul(steps)?)?;
                midnight(date_in_month(months, day)?).checked_add(time)
            }
        }
    }

    /// The `h` periods after `last`: the forecast's `ds` values.
    pub fn future(&self, last: i64, h: usize) -> Result<Vec<i64>> {
        (1..=h as i64)
            .map(|k| {
                self.advance(last, k)
                    .ok_or_else(|| Error::invalid_parameter("h", h, "runs past the representable dates"))
            })
            .collect()
    }

    /// `daily`, `weekly`, `monthly`, `every 3 days`, ...
    pub fn describe(&self, axis: TimeAxis) -> String {
        match (*self, axis) {
            (Frequency::Step(1), TimeAxis::Periods) => "one-period".into(),
            (Frequency::Step(n), TimeAxis::Periods) => format!("{n}-period"),
            (Frequency::Step(SECONDS_PER_DAY), TimeAxis::Seconds) => "daily".into(),
            (Frequency::Step(s), TimeAxis::Seconds) if s == 7 * SECONDS_PER_DAY => "weekly".into(),
            (Frequency::Step(3_600), TimeAxis::Seconds) => "hourly".into(),
            (Frequency::Step(s), TimeAxis::Seconds) if s % SECONDS_PER_DAY == 0 => {
                format!("{}-day", s / SECONDS_PER_DAY)
            }
            (Frequency::Step(s), TimeAxis::Seconds) => format!("{s}-second"),
            (Frequency::Months { step: 1, .. }, _) => "monthly".into(),
            (Frequency::Months { step: 3, .. }, _) => "quarterly".into(),
            (Frequency::Months { step: 12, .. }, _) => "yearly".into(),
            (Frequency::Months { step, .. }, _) => format!("{step}-month"),
        }
    }
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// The [`TimeAxis::Seconds`] value of a date: its midnight, in seconds since 1970-01-01.
pub fn midnight(date: NaiveDate) -> i64 {
    (i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE) * SECONDS_PER_DAY
}

/// A wall-clock instant as (date, seconds into the day).
fn split_seconds(instant: i64) -> Option<(NaiveDate, i64)> {
    let days = instant.div_euclid(SECONDS_PER_DAY);
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days.checked_add(EPOCH_DAYS_FROM_CE)?).ok()?)?;
    Some((date, instant.rem_euclid(SECONDS_PER_DAY)))
}

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt().is_some_and(|next| next.month() != date.month())
}

/// The date of `day` in month number `months` (year * 12 + month0); a day past the month's end
/// is its last day.
fn date_in_month(months: i64, day: MonthDay) -> Option<NaiveDate> {
    let year = i32::try_from(months.div_euclid(12)).ok()?;
    let month = u32::try_from(months.rem_euclid(12)).ok()? + 1;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = next.pred_opt()?;
    match day {
        MonthDay::End => Some(last),
        MonthDay::Day(d) => Some(first.with_day(d).unwrap_or(last)),
    }
}

/// A `ds` value as text: the period number, `YYYY-MM-DD` for a midnight, else `YYYY-MM-DDTHH:MM:SS`.
pub fn format_instant(instant: i64, axis: TimeAxis) -> String {
    match axis {
        TimeAxis::Periods => instant.to_string(),
        TimeAxis::Seconds => match split_seconds(instant) {
            Some((date, 0)) => date.format("%Y-%m-%d").to_string(),
            Some((date, t)) => format!("{}T{:02}:{:02}:{:02}", date.format("%Y-%m-%d"), t / 3600, t / 60 % 60, t % 60),
            None => instant.to_string(),
        },
    }
}

/// A `YYYY-MM-DD` date or a `YYYY-MM-DDTHH:MM:SS` wall-clock time as seconds since 1970-01-01, for
/// callers whose dates arrive as text (Node). `None` if the text is neither.
pub fn parse_instant(text: &str) -> Option<i64> {
    let (date_text, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let shaped = date_text.len() == 10 && date_text.as_bytes()[4] == b'-' && date_text.as_bytes()[7] == b'-';
    if !shaped {
        return None;
    }
    let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").ok()?;
    let seconds = match time {
        None => 0,
        Some(t) => {
            let t = chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").ok()?;
            i64::from(chrono::Timelike::num_seconds_from_midnight(&t))
        }
    };
    midnight(date).checked_add(seconds)
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

/// The catalogue's frequency from all its `ds` values (any order; see the module docs for the rule).
/// When every value is the same (no distance to measure), integer periods step by 1 and dates fail.
pub fn infer_frequency(ds: &[i64], axis: TimeAxis) -> Result<Frequency> {
    let Some(&origin) = ds.iter().min() else {
        return Err(Error::invalid_parameter("ds", "[]", "no rows to infer the frequency from"));
    };
    if axis == TimeAxis::Seconds
        && let Some(monthly) = monthly_frequency(ds)
    {
        return Ok(monthly);
    }
    let step = ds.iter().fold(0, |g, &t| gcd(g, t.saturating_sub(origin)));
    if step == 0 && axis == TimeAxis::Periods {
        return Ok(Frequency::Step(1)); // integer periods count one by one unless the rows say otherwise
    }
    if step == 0 {
        return Err(Error::invalid_parameter(
            "ds",
            format_instant(origin, axis),
            "every row has the same ds: the frequency cannot be inferred",
        ));
    }
    Ok(Frequency::Step(step))
}

/// Whole months when every value is a midnight on one day of the month (or every one a month end)
/// and at least two months appear.
fn monthly_frequency(ds: &[i64]) -> Option<Frequency> {
    let mut dates = Vec::with_capacity(ds.len());
    for &t in ds {
        match split_seconds(t)? {
            (date, 0) => dates.push(date),
            _ => return None,
        }
    }
    let first = *dates.first()?;
    let day = if dates.iter().all(|d| d.day() == first.day()) {
        MonthDay::Day(first.day())
    } else if dates.iter().all(|d| is_month_end(*d)) {
        MonthDay::End
    } else {
        return None;
    };
    let origin = dates.iter().map(|d| month_index(*d)).min()?;
    let step = dates.iter().fold(0, |g, d| gcd(g, month_index(*d) - origin));
    let step = u32::try_from(step).ok().filter(|&s| s > 0)?;
    Some(Frequency::Months { step, day })
}

/// The grid position of `instant` (periods after `origin`).
fn position(frequency: Frequency, origin: i64, instant: i64) -> Option<i64> {
    match frequency {
        Frequency::Step(step) => Some(instant.checked_sub(origin)? / step),
        Frequency::Months { step, .. } => {
            let (a, b) = (split_seconds(origin)?.0, split_seconds(instant)?.0);
            Some((month_index(b) - month_index(a)) / i64::from(step))
        }
    }
}

/// Many series' dated rows, concatenated: series `i` has `ds[offsets[i]..offsets[i + 1]]` (strictly
/// increasing) and the values `y` alongside; `ids` name the series.
#[derive(Debug, Clone, Copy)]
pub struct DatedRows<'a> {
    /// Series identifiers, one per series.
    pub ids: &'a [String],
    /// `ds` of every row.
    pub ds: &'a [i64],
    /// Value of every row.
    pub y: &'a [f64],
    /// Offsets into `ds` and `y`, one per series plus the end.
    pub offsets: &'a [usize],
    /// What `ds` counts.
    pub axis: TimeAxis,
}

/// Put every series of `rows` on the catalogue's grid (module docs). Missing periods are
/// filled with zeros and reported ([`RegularSeries::gaps`]), or, with [`GapPolicy::Fail`], the call
/// fails with [`Error::MissingData`] naming the first series with a gap and its first missing period
/// (`time_field` is the caller's name for `ds`). `frequency` overrides the inferred one; every `ds`
/// must then sit on its grid.
pub fn regularize(
    rows: &DatedRows<'_>,
    frequency: Option<Frequency>,
    policy: GapPolicy,
    time_field: &str,
) -> Result<RegularSeries> {
    regularize_to(rows, frequency, policy, time_field, None)
}

/// [`regularize`] for a part of a catalogue (one partition of a Dask, Ray or Spark frame): with
/// `catalogue_last`, the whole catalogue's last `ds`, every dated series runs to it rather than to
/// the part's own last row, so a part whose SKUs all stopped selling early gets the zeros and the
/// forecast dates the whole catalogue would give them. `catalogue_last` must sit on the grid and
/// not before any row. Integer periods keep their rule (each series ends at its own last row).
pub fn regularize_to(
    rows: &DatedRows<'_>,
    frequency: Option<Frequency>,
    policy: GapPolicy,
    time_field: &str,
    catalogue_last: Option<i64>,
) -> Result<RegularSeries> {
    let DatedRows { ids, ds, y, offsets, axis } = *rows;
    check_layout(ids, ds, y, offsets)?;
    let Some(&origin) = ds.iter().min() else {
        // No rows at all: nothing to fill, and no frequency to infer.
        return Ok(RegularSeries {
            y: Vec::new(),
            offsets: vec![0; offsets.len()],
            gaps: Vec::new(),
            frequency: frequency.unwrap_or(Frequency::Step(1)),
            last: 0,
            ends: vec![0; ids.len()],
        });
    };
    let frequency = match frequency {
        Some(f) => f,
        None => infer_frequency(ds, axis)?,
    };
    check_one_frequency(rows, frequency, time_field)?;
    let off_grid =
        |t: i64| Error::invalid_parameter(time_field, format_instant(t, axis), "is not on the catalogue's grid");
    let mut positions = Vec::with_capacity(ds.len());
    for &t in ds {
        let p = position(frequency, origin, t).ok_or_else(|| off_grid(t))?;
        if frequency.advance(origin, p) != Some(t) {
            return Err(off_grid(t));
        }
        positions.push(p);
    }
    let mut end = positions.iter().copied().max().unwrap_or(0);
    if let Some(t) = catalogue_last {
        let p = position(frequency, origin, t).filter(|&p| frequency.advance(origin, p) == Some(t));
        match p {
            Some(p) if p >= end => end = p,
            Some(_) => {
                let reason = "is before the part's last row: give the whole catalogue's last period";
                return Err(Error::invalid_parameter("catalogue_end", format_instant(t, axis), reason));
            }
            None => {
                return Err(Error::invalid_parameter("catalogue_end", format_instant(t, axis), "is not on the grid"))
            }
        }
    }
    let last = frequency.advance(origin, end).ok_or_else(|| off_grid(origin))?;
    let ends = Vec::with_capacity(ids.len());
    let mut out =
        RegularSeries { y: Vec::with_capacity(y.len()), offsets: vec![0], gaps: Vec::new(), frequency, last, ends };
    for (i, window) in offsets.windows(2).enumerate() {
        let (start, stop) = (window[0], window[1]);
        let series = &positions[start..stop];
        // An empty series ends where the catalogue does (its forecast fails in the model anyway).
        let mut series_end = last;
        if let (Some(&first), Some(&own_last)) = (series.first(), series.last()) {
            let end = if axis == TimeAxis::Seconds { end } else { own_last };
            series_end = frequency.advance(origin, end).ok_or_else(|| off_grid(origin))?;
            let len = end
                .checked_sub(first)
                .and_then(|n| n.checked_add(1))
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| off_grid(ds[start]))?;
            check_series_length(len).map_err(|e| e.in_series(ids[i].as_str()))?;
            let base = out.y.len();
            out.y.resize(base + len, 0.0);
            let mut first_missing = None;
            let mut expected = first;
            for (&p, &v) in series.iter().zip(&y[start..stop]) {
                if p != expected && first_missing.is_none() {
                    first_missing = Some(expected);
                }
                out.y[base + (p - first) as usize] = v;
                expected = p + 1;
            }
            if expected <= end && first_missing.is_none() {
                first_missing = Some(expected);
            }
            if let Some(missing_at) = first_missing {
                let instant = frequency.advance(origin, missing_at).ok_or_else(|| off_grid(origin))?;
                let gap = SeriesGaps {
                    series: i,
                    id: ids[i].clone(),
                    missing: len - series.len(),
                    first_missing: instant,
                    first_missing_text: format_instant(instant, axis),
                };
                if policy == GapPolicy::Fail {
                    return Err(gap_error(&gap, frequency, axis, time_field));
                }
                out.gaps.push(gap);
            }
        }
        out.ends.push(series_end);
        out.offsets.push(out.y.len());
    }
    Ok(out)
}

/// Rows that follow a calendar-month grid on their own (at least three) while the catalogue's grid is a
/// fixed step: the frame mixes frequencies (a monthly series among daily ones would be read as a daily
/// series with a month of zeros between sales). An error naming the series.
fn check_one_frequency(rows: &DatedRows<'_>, catalogue: Frequency, time_field: &str) -> Result<()> {
    if rows.axis != TimeAxis::Seconds || matches!(catalogue, Frequency::Months { .. }) {
        return Ok(());
    }
    for (i, w) in rows.offsets.windows(2).enumerate() {
        let own = &rows.ds[w[0]..w[1]];
        if own.len() >= 3
            && let Some(monthly) = monthly_frequency(own)
        {
            let reason = format!(
                "are {} on their own, but the frame's other series make its grid {}: give one frequency per frame",
                monthly.describe(rows.axis),
                catalogue.describe(rows.axis)
            );
            let e = Error::invalid_parameter(time_field, format_instant(own[0], rows.axis), reason);
            return Err(e.in_series(rows.ids[i].as_str()));
        }
    }
    Ok(())
}

fn gap_error(gap: &SeriesGaps, frequency: Frequency, axis: TimeAxis, time_field: &str) -> Error {
    Error::MissingData {
        id: gap.id.clone(),
        what: format!(
            "no row for {time_field} = {} ({} {} period(s) missing up to the catalogue's last period; a sales \
             export that leaves out zero-sales periods can have them filled with zeros)",
            gap.first_missing_text,
            gap.missing,
            frequency.describe(axis)
        ),
    }
}

fn check_layout(ids: &[String], ds: &[i64], y: &[f64], offsets: &[usize]) -> Result<()> {
    if ds.len() != y.len() {
        return Err(Error::invalid_parameter("ds", ds.len(), format!("must have one value per y ({})", y.len())));
    }
    let well_formed = offsets.len() == ids.len() + 1
        && offsets.first() == Some(&0)
        && offsets.last() == Some(&y.len())
        && offsets.windows(2).all(|w| w[0] <= w[1]);
    if !well_formed {
        return Err(Error::invalid_parameter(
            "offsets",
            offsets.len(),
            "must run from 0 to len(y), one per series + 1",
        ));
    }
    for (i, w) in offsets.windows(2).enumerate() {
        if let Some(k) = ds[w[0]..w[1]].windows(2).position(|p| p[0] >= p[1]) {
            let e =
                Error::invalid_parameter(format!("ds[{}]", k + 1), ds[w[0] + k + 1], "must increase within a series");
            return Err(e.in_series(ids[i].as_str()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i64 {
        parse_instant(text).expect("date")
    }

    fn rows<'a>(ids: &'a [String], ds: &'a [i64], y: &'a [f64], offsets: &'a [usize], axis: TimeAxis) -> DatedRows<'a> {
        DatedRows { ids, ds, y, offsets, axis }
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("s{i}")).collect()
    }

    #[test]
    fn a_part_of_a_catalogue_is_filled_to_the_whole_catalogues_end() {
        // A partition whose only SKU stopped selling two weeks before the catalogue's last week.
        let weeks: Vec<i64> = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"].iter().map(|d| day(d)).collect();
        let one = ids(1);
        let part = rows(&one, &weeks[..2], &[3.0, 4.0], &[0, 2], TimeAxis::Seconds);
        let frequency = Some(Frequency::Step(7 * SECONDS_PER_DAY));
        let out = regularize_to(&part, frequency, GapPolicy::Fill, "ds", Some(weeks[3])).expect("ok");
        assert_eq!(
            (out.y.as_slice(), out.last, out.ends.as_slice()),
            ([3.0, 4.0, 0.0, 0.0].as_slice(), weeks[3], [weeks[3]].as_slice())
        );
        assert_eq!(out.gaps[0].missing, 2);
        // Without it the part ends at its own last row; an end before a row or off the grid is an error.
        assert_eq!(regularize(&part, frequency, GapPolicy::Fill, "ds").expect("ok").last, weeks[1]);
        let early = regularize_to(&part, frequency, GapPolicy::Fill, "ds", Some(weeks[0])).expect_err("early");
        assert!(early.to_string().contains("catalogue_end"), "{early}");
        assert!(regularize_to(&part, frequency, GapPolicy::Fill, "ds", Some(weeks[3] + 3600)).is_err());
    }

    #[test]
    fn weekly_rows_with_a_left_out_week_are_filled_to_the_catalogue_end() {
        // s0 sells every week for 4 weeks; s1 skips the second week and stops after the third.
        let weeks: Vec<i64> = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"].iter().map(|d| day(d)).collect();
        let ds = [weeks[0], weeks[1], weeks[2], weeks[3], weeks[0], weeks[2]];
        let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let out = regularize(&rows(&ids(2), &ds, &y, &[0, 4, 6], TimeAxis::Seconds), None, GapPolicy::Fill, "ds")
            .expect("ok");
        assert_eq!(out.frequency, Frequency::Step(7 * SECONDS_PER_DAY));
        assert_eq!(out.y, vec![1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 6.0, 0.0]);
        assert_eq!(out.offsets, vec![0, 4, 8]);
        assert_eq!(out.last, weeks[3]);
        assert_eq!(out.ends, vec![weeks[3], weeks[3]]);
        assert_eq!(out.gaps.len(), 1);
        assert_eq!((out.gaps[0].series, out.gaps[0].missing), (1, 2));
        assert_eq!(out.gaps[0].first_missing_text, "2026-01-12");
        let summary = out.gaps_summary(TimeAxis::Seconds).expect("ok");
        assert!(summary.contains("1 of 2 series had 2 period(s)") && summary.contains("weekly"), "{summary}");
        assert_eq!(out.frequency.future(out.last, 2).expect("ok"), vec![day("2026-02-02"), day("2026-02-09")]);

        let err = regularize(&rows(&ids(2), &ds, &y, &[0, 4, 6], TimeAxis::Seconds), None, GapPolicy::Fail, "ds")
            .expect_err("an error");
        assert_eq!(err.code(), "ERR_MISSING_DATA");
        let message = err.to_string();
        assert!(message.contains("`s1`") && message.contains("ds = 2026-01-12"), "{message}");
    }

    #[test]
    fn month_starts_and_month_ends_step_by_calendar_months() {
        let starts: Vec<i64> = ["2025-11-01", "2025-12-01", "2026-02-01"].iter().map(|d| day(d)).collect();
        let out = regularize(
            &rows(&ids(1), &starts, &[1.0, 2.0, 3.0], &[0, 3], TimeAxis::Seconds),
            None,
            GapPolicy::Fill,
            "ds",
        )
        .expect("ok");
        assert_eq!(out.frequency, Frequency::Months { step: 1, day: MonthDay::Day(1) });
        assert_eq!(out.y, vec![1.0, 2.0, 0.0, 3.0]);
        assert_eq!(out.gaps[0].first_missing_text, "2026-01-01");
        // A monthly series in a weekly frame: one frequency per frame.
        let weekly: Vec<i64> = (0..6).map(|k| day("2025-11-03") + k * 7 * SECONDS_PER_DAY).collect();
        let mixed: Vec<i64> = weekly.iter().copied().chain(starts.iter().copied()).collect();
        let e =
            regularize(&rows(&ids(2), &mixed, &[1.0; 9], &[0, 6, 9], TimeAxis::Seconds), None, GapPolicy::Fill, "ds")
                .expect_err("an error");
        assert!(e.to_string().contains("`s1`") && e.to_string().contains("monthly on their own"), "{e}");
        let ends: Vec<i64> = ["2025-12-31", "2026-03-31", "2026-06-30"].iter().map(|d| day(d)).collect();
        let f = infer_frequency(&ends, TimeAxis::Seconds).expect("ok");
        assert_eq!(f, Frequency::Months { step: 3, day: MonthDay::End });
        assert_eq!(f.future(ends[2], 2).expect("ok"), vec![day("2026-09-30"), day("2026-12-31")]);
        assert_eq!(f.describe(TimeAxis::Seconds), "quarterly");
    }

    #[test]
    fn integer_periods_use_the_catalogue_step_and_each_series_keeps_its_ends() {
        // s1 starts later (a new product): nothing is invented before its first row. s2 ends early
        // and skips period 2: only that inner period is a gap.
        let ds = [0, 2, 4, 6, 4, 6, 0, 4];
        let out =
            regularize(&rows(&ids(3), &ds, &[1.0; 8], &[0, 4, 6, 8], TimeAxis::Periods), None, GapPolicy::Fill, "ds")
                .expect("ok");
        assert_eq!(out.offsets, vec![0, 4, 6, 9]);
        assert_eq!(out.ends, vec![6, 6, 4]);
        assert_eq!(out.gaps.len(), 1);
        assert_eq!((out.gaps[0].series, out.gaps[0].missing, out.gaps[0].first_missing_text.as_str()), (2, 1, "2"));
        let ds = [0, 2, 4, 6, 4, 6];
        let out =
            regularize(&rows(&ids(2), &ds, &[1.0; 6], &[0, 4, 6], TimeAxis::Periods), None, GapPolicy::Fill, "ds")
                .expect("ok");
        assert_eq!(out.frequency, Frequency::Step(2));
        assert!(out.gaps.is_empty());
        assert_eq!(out.offsets, vec![0, 4, 6]);
        assert_eq!(out.frequency.future(out.last, 1).expect("ok"), vec![8]);
        assert_eq!(infer_frequency(&[3, 3], TimeAxis::Periods).expect("ok"), Frequency::Step(1));
        let same = infer_frequency(&[day("2026-01-05")], TimeAxis::Seconds).expect_err("an error");
        assert!(same.to_string().contains("same ds"), "{same}");
    }

    #[test]
    fn bad_layouts_and_unordered_rows_are_errors_not_panics() {
        assert!(regularize(&rows(&ids(1), &[1, 2], &[1.0], &[0, 1], TimeAxis::Periods), None, GapPolicy::Fill, "ds")
            .is_err());
        assert!(regularize(
            &rows(&ids(2), &[1, 2], &[1.0, 2.0], &[0, 2], TimeAxis::Periods),
            None,
            GapPolicy::Fill,
            "ds"
        )
        .is_err());
        let e =
            regularize(&rows(&ids(1), &[2, 1], &[1.0, 2.0], &[0, 2], TimeAxis::Periods), None, GapPolicy::Fill, "ds")
                .expect_err("an error");
        assert!(e.to_string().contains("must increase"), "{e}");
        let huge = regularize(
            &rows(&ids(1), &[0, i64::MAX], &[1.0, 1.0], &[0, 2], TimeAxis::Periods),
            Some(Frequency::Step(1)),
            GapPolicy::Fill,
            "ds",
        );
        assert!(huge.is_err());
        assert!(parse_instant("2026-1-05").is_none() && parse_instant("2026-02-30").is_none());
        assert_eq!(format_instant(day("2026-03-01T06:30:00"), TimeAxis::Seconds), "2026-03-01T06:30:00");
    }
}
