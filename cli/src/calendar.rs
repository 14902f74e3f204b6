//! The dates of each SKU's periods, for the report's date axis: the demand file's frequency and
//! where each history ends, as the core's gap rule ([`forestock::periods::regularize`]) found them.

use std::collections::HashMap;

use forestock::periods::{format_instant, midnight, Frequency, TimeAxis};

/// Where each SKU's history ends on the catalogue's grid, and the grid's step.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    axis: TimeAxis,
    frequency: Frequency,
    ends: HashMap<String, i64>,
}

impl Calendar {
    /// A calendar of histories ending at `ends` (SKU, last period as a `ds` value of `axis`).
    pub fn new(axis: TimeAxis, frequency: Frequency, ends: impl IntoIterator<Item = (String, i64)>) -> Self {
        Calendar { axis, frequency, ends: ends.into_iter().collect() }
    }

    /// Weekly histories that all end in the week of `last` (the demo catalogue).
    pub fn weekly_until<'a>(last: chrono::NaiveDate, skus: impl IntoIterator<Item = &'a str>) -> Self {
        let end = midnight(last);
        Calendar::new(TimeAxis::Seconds, Frequency::Step(7 * 86_400), skus.into_iter().map(|s| (s.to_string(), end)))
    }

    /// Labels (`2026-01-05`, or the period number) of the last `history` periods of `sku`'s history
    /// followed by its `horizon` forecast periods; `None` for a SKU the calendar does not know or
    /// dates out of range.
    pub fn labels(&self, sku: &str, history: usize, horizon: usize) -> Option<Vec<String>> {
        let end = *self.ends.get(sku)?;
        let first = 1 - history as i64;
        (first..=horizon as i64).map(|k| self.frequency.advance(end, k).map(|t| format_instant(t, self.axis))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_and_forecast_labels_continue_the_grid() {
        let last = chrono::NaiveDate::from_ymd_opt(2026, 1, 26).expect("date");
        let weekly = Calendar::weekly_until(last, ["A"]);
        assert_eq!(
            weekly.labels("A", 3, 2).expect("known SKU"),
            ["2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09"]
        );
        assert_eq!(weekly.labels("B", 3, 2), None);
        let periods = Calendar::new(TimeAxis::Periods, Frequency::Step(1), [("A".to_string(), 60)]);
        assert_eq!(periods.labels("A", 2, 1).expect("known SKU"), ["59", "60", "61"]);
    }
}
