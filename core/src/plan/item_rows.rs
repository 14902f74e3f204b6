//! Reading item master rows and demand rows as callers hand them over (data-frame records, JSON),
//! so that one bad row fails its own SKU and never the run.
//!
//! The bindings turn their frames into loosely typed records and call [`read_item_rows`]; demand
//! rows that cannot belong to a series are reported with [`missing_ids`] and [`duplicate_period`].
//! The resulting rejections go to [`super::run_plan_checked`], which reports each rejected SKU once
//! and never plans it. Messages name the row (1-based, as the caller's frame is numbered from the
//! first data row), the SKU and the field as the caller spelled it.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::{ItemMaster, SkuFailure};
use crate::error::Error;

/// How the caller spells field names: `unit_cost` (Rust, Python, CSV) or `unitCost` (Node).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldNames {
    /// snake_case, as the core's `ItemMaster`.
    Snake,
    /// camelCase, as the Node package.
    Camel,
}

/// What a valid value of a numeric item field is.
#[derive(Debug, Clone, Copy)]
enum Domain {
    /// Finite and > 0.
    Positive,
    /// Finite and >= 0.
    NonNegative,
    /// In (0, 1).
    Probability,
}

impl Domain {
    fn accepts(self, v: f64) -> bool {
        match self {
            Domain::Positive => v.is_finite() && v > 0.0,
            Domain::NonNegative => v.is_finite() && v >= 0.0,
            Domain::Probability => v > 0.0 && v < 1.0,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Domain::Positive => "must be a finite number > 0",
            Domain::NonNegative => "must be a finite number >= 0",
            Domain::Probability => "must be a number in (0, 1)",
        }
    }
}

/// The numeric fields of [`ItemMaster`]: (snake_case, camelCase, domain, required).
const FIELDS: [(&str, &str, Domain, bool); 13] = [
    ("unit_cost", "unitCost", Domain::Positive, true),
    ("lead_time", "leadTime", Domain::NonNegative, true),
    ("lead_time_sd", "leadTimeSd", Domain::NonNegative, false),
    ("review_period", "reviewPeriod", Domain::Positive, false),
    ("on_hand", "onHand", Domain::NonNegative, false),
    ("on_order", "onOrder", Domain::NonNegative, false),
    ("backorders", "backorders", Domain::NonNegative, false),
    ("moq", "moq", Domain::NonNegative, false),
    ("lot_size", "lotSize", Domain::Positive, false),
    ("max_order", "maxOrder", Domain::Positive, false),
    ("ordering_cost", "orderingCost", Domain::NonNegative, false),
    ("holding_cost_rate", "holdingCostRate", Domain::Positive, false),
    ("service_level", "serviceLevel", Domain::Probability, false),
];

impl ItemMaster {
    /// Fail on the first numeric field holding NaN or ±inf, named as `names` spells it, as an
    /// [`Error::InvalidParameter`] in this SKU's series (`must be a finite number`).
    ///
    /// [`super::run_plan_checked`] fails such an item's SKU alone; a binding whose transport cannot
    /// carry a non-finite number (JSON) calls it before the conversion, with its own spelling.
    ///
    /// ```
    /// use forestock::plan::{FieldNames, ItemMaster};
    /// let item = ItemMaster::new("A", 1.0, 2.0).with_on_hand(f64::NAN);
    /// let err = item.check_finite(FieldNames::Camel).unwrap_err();
    /// assert!(err.to_string().contains("`onHand`"), "{err}");
    /// assert!(ItemMaster::new("A", 1.0, 2.0).check_finite(FieldNames::Snake).is_ok());
    /// ```
    pub fn check_finite(&self, names: FieldNames) -> Result<(), Error> {
        let values = [
            Some(self.unit_cost),
            Some(self.lead_time),
            Some(self.lead_time_sd),
            Some(self.review_period),
            Some(self.on_hand),
            Some(self.on_order),
            Some(self.backorders),
            Some(self.moq),
            Some(self.lot_size),
            self.max_order,
            Some(self.ordering_cost),
            self.holding_cost_rate,
            self.service_level,
        ];
        let bad = FIELDS.iter().zip(values).find_map(|(&(snake, camel, _, _), value)| {
            let name = match names {
                FieldNames::Snake => snake,
                FieldNames::Camel => camel,
            };
            value.filter(|v| !v.is_finite()).map(|v| (name, v))
        });
        match bad {
            Some((name, value)) => {
                Err(Error::invalid_parameter(name, value, "must be a finite number").in_series(self.sku.as_str()))
            }
            None => Ok(()),
        }
    }
}

/// Item master rows read one by one: the items that could be read, the rows that could not (as
/// failures of their SKU), and notes on values accepted after a conversion.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemRows {
    /// Items read, in row order (a SKU rejected for another of its rows may still be here;
    /// [`super::run_plan_checked`] leaves it out).
    pub items: Vec<ItemMaster>,
    /// One failure per rejected row; `sku` is empty for a row without an id.
    pub rejected: Vec<SkuFailure>,
    /// One line per field where numbers arrived as text and were read as numbers.
    pub notes: Vec<String>,
}

/// Numbers given as text in one field: how many, and the first (row, sku, text).
type TextNumbers = BTreeMap<&'static str, (usize, (usize, String, String))>;

/// Read item master records (JSON objects keyed by field name) into [`ItemMaster`]s, rejecting
/// bad rows one by one instead of failing the whole input.
///
/// `id_field` names the SKU column (`"unique_id"`, `"sku"`, ...). Rules, per row `n` (1-based):
/// - a missing, null or empty id rejects the row (failure with an empty `sku`);
/// - a second row for a SKU rejects the SKU (a duplicate is not resolved by guessing a winner);
/// - a null or absent optional field takes the default of [`ItemMaster::new`]; `unit_cost` and
///   `lead_time` are required;
/// - a number as text (`"5.00"`, as some database drivers return decimals) is read as that number
///   and reported once per field in [`ItemRows::notes`]; text that is not a number, a boolean or a
///   nested value rejects the SKU;
/// - a value outside its domain (NaN, ±inf, negative, zero where it must be > 0, a service level
///   outside (0, 1)) rejects the SKU.
///
/// Fields are looked up and named in the caller's spelling (`names`); other keys are ignored.
///
/// A required field absent from *every* record is a missing column, not a bad row: that is an
/// [`Error::InvalidParameter`] naming it, for the whole input.
pub fn read_item_rows(records: &[Value], id_field: &str, names: FieldNames) -> Result<ItemRows, Error> {
    for &(snake, camel, _, required) in &FIELDS {
        let name = match names {
            FieldNames::Snake => snake,
            FieldNames::Camel => camel,
        };
        if required && !records.is_empty() && records.iter().all(|r| r.get(name).is_none()) {
            return Err(Error::invalid_parameter(name, "absent", "required item master column is missing"));
        }
    }
    let mut out = ItemRows::default();
    let mut first_row: HashMap<String, usize> = HashMap::with_capacity(records.len());
    let mut text_numbers = TextNumbers::new();
    for (i, record) in records.iter().enumerate() {
        let row = i + 1;
        let Some(fields) = record.as_object() else {
            out.rejected.push(SkuFailure::new("", &Error::InvalidRow { row, reason: "not a record".into() }));
            continue;
        };
        let sku = match fields.get(id_field) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                let reason = format!("missing `{id_field}`");
                out.rejected.push(SkuFailure::new("", &Error::InvalidRow { row, reason }));
                continue;
            }
        };
        if let Some(first) = first_row.get(&sku) {
            let reason = format!("`{sku}`: duplicate item master row (first at row {first})");
            out.rejected.push(SkuFailure::new(&sku, &Error::InvalidRow { row, reason }));
            continue;
        }
        first_row.insert(sku.clone(), row);
        match read_item(fields, &sku, row, names, &mut text_numbers) {
            Ok(item) => out.items.push(item),
            Err(e) => out.rejected.push(SkuFailure::new(&sku, &e)),
        }
    }
    out.notes = text_numbers
        .into_iter()
        .map(|(field, (count, (row, sku, text)))| {
            format!(
                "`{field}`: {count} value(s) given as text were read as numbers (first at row {row}, `{sku}`: {text:?})"
            )
        })
        .collect();
    Ok(out)
}

fn read_item(
    fields: &Map<String, Value>,
    sku: &str,
    row: usize,
    names: FieldNames,
    text_numbers: &mut TextNumbers,
) -> Result<ItemMaster, Error> {
    let mut values = [None; FIELDS.len()];
    for (slot, &(snake, camel, domain, required)) in values.iter_mut().zip(FIELDS.iter()) {
        let name = match names {
            FieldNames::Snake => snake,
            FieldNames::Camel => camel,
        };
        let bad =
            |shown: &str, what: &str| Error::InvalidRow { row, reason: format!("`{sku}`: `{name}` = {shown}: {what}") };
        let value = match fields.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(text)) => match text.trim().parse::<f64>() {
                Ok(v) => {
                    if v.is_finite() {
                        let entry = text_numbers.entry(name).or_insert((0, (row, sku.to_string(), text.clone())));
                        entry.0 += 1;
                    }
                    Some(v)
                }
                Err(_) => return Err(bad(&format!("{text:?}"), "not a number")),
            },
            Some(other) => return Err(bad(&other.to_string(), "not a number")),
        };
        match value {
            Some(v) if !domain.accepts(v) => return Err(bad(&v.to_string(), domain.describe())),
            None if required => {
                return Err(Error::InvalidRow { row, reason: format!("`{sku}`: `{name}` is required") });
            }
            _ => *slot = value,
        }
    }
    let [unit_cost, lead_time, lead_time_sd, review_period, on_hand, on_order, backorders, moq, lot_size, max_order, ordering_cost, holding_cost_rate, service_level] =
        values;
    let base = ItemMaster::new(sku, unit_cost.unwrap_or_default(), lead_time.unwrap_or_default());
    Ok(ItemMaster {
        lead_time_sd: lead_time_sd.unwrap_or(base.lead_time_sd),
        review_period: review_period.unwrap_or(base.review_period),
        on_hand: on_hand.unwrap_or(base.on_hand),
        on_order: on_order.unwrap_or(base.on_order),
        backorders: backorders.unwrap_or(base.backorders),
        moq: moq.unwrap_or(base.moq),
        lot_size: lot_size.unwrap_or(base.lot_size),
        max_order,
        ordering_cost: ordering_cost.unwrap_or(base.ordering_cost),
        holding_cost_rate,
        service_level,
        ..base
    })
}

/// The failure for demand rows that have no series id (`rows`, 1-based): one entry, with an empty
/// `sku`, naming the first few rows. `None` when `rows` is empty.
pub fn missing_ids(rows: &[usize], id_field: &str) -> Option<SkuFailure> {
    let first = *rows.first()?;
    let shown: Vec<String> = rows.iter().take(5).map(|r| r.to_string()).collect();
    let more = if rows.len() > 5 { format!(", ... ({} rows)", rows.len()) } else { String::new() };
    let reason = format!("missing `{id_field}` in demand rows {}{more}", shown.join(", "));
    Some(SkuFailure::new("", &Error::InvalidRow { row: first, reason }))
}

/// The failure of SKU `sku` whose demand has two rows (`first_row` and `row`, 1-based) for the same
/// period `period` of the time field `time_field`: which value is right cannot be known.
pub fn duplicate_period(sku: &str, time_field: &str, period: &str, first_row: usize, row: usize) -> SkuFailure {
    let reason = format!("`{sku}`: two demand rows for `{time_field}` = {period} (rows {first_row} and {row})");
    SkuFailure::new(sku, &Error::InvalidRow { row, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn minimal_rows_take_the_defaults() {
        let rows = [json!({"unique_id": "A", "unit_cost": 2.0, "lead_time": 3, "on_hand": 5, "name": "ignored"})];
        let out = read_item_rows(&rows, "unique_id", FieldNames::Snake).expect("columns");
        assert_eq!(out.items, vec![ItemMaster::new("A", 2.0, 3.0).with_on_hand(5.0)]);
        assert!(out.rejected.is_empty() && out.notes.is_empty());
    }

    #[test]
    fn bad_rows_fail_their_sku_only() {
        let rows = [
            json!({"sku": "A", "unit_cost": "inf", "lead_time": 1}),
            json!({"sku": "B", "unit_cost": 1, "lead_time": 1, "on_hand": "lots"}),
            json!({"sku": null, "unit_cost": 1, "lead_time": 1}),
            json!({"sku": "C", "unit_cost": 1, "lead_time": 1}),
            json!({"sku": "C", "unit_cost": 2, "lead_time": 1}),
            json!({"sku": "D", "unit_cost": " 5.00 ", "lead_time": "2", "on_hand": -1}),
            json!({"sku": "E", "lead_time": 2}),
            json!({"sku": "F", "unit_cost": "5.00", "lead_time": "2"}),
        ];
        let out = read_item_rows(&rows, "sku", FieldNames::Snake).expect("columns");
        let msgs: Vec<(&str, &str)> = out.rejected.iter().map(|f| (f.sku.as_str(), f.message.as_str())).collect();
        assert_eq!(
            msgs,
            vec![
                ("A", "row 1: `A`: `unit_cost` = inf: must be a finite number > 0"),
                ("B", "row 2: `B`: `on_hand` = \"lots\": not a number"),
                ("", "row 3: missing `sku`"),
                ("C", "row 5: `C`: duplicate item master row (first at row 4)"),
                ("D", "row 6: `D`: `on_hand` = -1: must be a finite number >= 0"),
                ("E", "row 7: `E`: `unit_cost` is required"),
            ]
        );
        assert!(out.rejected.iter().all(|f| f.code == "ERR_INVALID_ROW"));
        let skus: Vec<&str> = out.items.iter().map(|i| i.sku.as_str()).collect();
        assert_eq!(skus, ["C", "F"]);
        assert_eq!(out.items[1], ItemMaster::new("F", 5.0, 2.0));
        assert_eq!(out.notes.len(), 2, "{:?}", out.notes);
        assert!(out.notes[0].contains("`lead_time`: 2 value(s)") && out.notes[0].contains("row 6"), "{:?}", out.notes);
    }

    #[test]
    fn a_missing_required_column_fails_the_input() {
        let rows = [json!({"sku": "A", "lead_time": 1}), json!({"sku": "B", "lead_time": 2})];
        let e = read_item_rows(&rows, "sku", FieldNames::Snake).expect_err("no unit_cost column");
        assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
        assert!(e.to_string().contains("`unit_cost`"), "{e}");
    }

    #[test]
    fn camel_case_names_are_reported_as_spelled() {
        let rows = [json!({"sku": "A", "unitCost": 1, "leadTime": 1, "onHand": -2})];
        let out = read_item_rows(&rows, "sku", FieldNames::Camel).expect("columns");
        assert_eq!(out.rejected[0].message, "row 1: `A`: `onHand` = -2: must be a finite number >= 0");
    }

    #[test]
    fn demand_row_failures() {
        assert_eq!(missing_ids(&[], "unique_id"), None);
        let f = missing_ids(&[3, 4, 5, 6, 7, 9], "unique_id").expect("failure");
        assert_eq!(f.message, "row 3: missing `unique_id` in demand rows 3, 4, 5, 6, 7, ... (6 rows)");
        let d = duplicate_period("A", "ds", "2024-01-01", 4, 9);
        assert_eq!(
            (d.sku.as_str(), d.message.as_str()),
            ("A", "row 9: `A`: two demand rows for `ds` = 2024-01-01 (rows 4 and 9)")
        );
    }
}
