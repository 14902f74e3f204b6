//! The CSV layouts the job reads: one table of columns per input file. The loaders
//! ([`crate::io`], [`crate::purchasing`]) check their required columns against these tables and
//! `--help` prints them, so the documentation cannot drift from what is read; the tests of this
//! module check the optional columns' defaults against the core's serde defaults.

use std::fmt::Write as _;

/// What an absent (or empty) cell of a column becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Absent {
    /// The column must be present and every cell filled.
    Required,
    /// This number.
    Number(f64),
    /// No value (`None` in the core's record), described in words.
    Unset(&'static str),
}

/// One column of an input file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Header name, exactly as the file spells it.
    pub name: &'static str,
    /// The cell's type, in words.
    pub kind: &'static str,
    /// What an absent column or an empty cell becomes.
    pub absent: Absent,
    /// What the column means.
    pub meaning: &'static str,
}

const fn required(name: &'static str, kind: &'static str, meaning: &'static str) -> Column {
    Column { name, kind, absent: Absent::Required, meaning }
}

const fn number(name: &'static str, default: f64, meaning: &'static str) -> Column {
    Column { name, kind: "number", absent: Absent::Number(default), meaning }
}

const fn unset(name: &'static str, kind: &'static str, default: &'static str, meaning: &'static str) -> Column {
    Column { name, kind, absent: Absent::Unset(default), meaning }
}

/// The demand file (`--demand`): one row per SKU and period, in any order.
pub const DEMAND: [Column; 3] = [
    required("sku", "text", "SKU identifier (a row without one fails the whole file)"),
    required(
        "period",
        "integer or YYYY-MM-DD",
        "period number or ISO date, one kind per SKU; periods without a row are filled with 0",
    ),
    required("demand", "number >= 0", "units demanded in the period"),
];

/// The item master (`--items`): the fields of [`forestock::plan::ItemMaster`], one row per SKU.
pub const ITEMS: [Column; 15] = [
    required("sku", "text", "SKU identifier (joins the demand file)"),
    required("unit_cost", "number > 0", "purchase cost of one unit"),
    required("lead_time", "number >= 0", "mean replenishment lead time, in periods"),
    number("lead_time_sd", 0.0, "standard deviation of the lead time, in periods"),
    number("review_period", 1.0, "periods between reviews (1 = every period)"),
    number("on_hand", 0.0, "units on hand"),
    number("on_order", 0.0, "units ordered and not yet received"),
    number("backorders", 0.0, "units of unmet demand waiting to be filled"),
    number("moq", 0.0, "minimum order quantity (0 = none)"),
    number("lot_size", 1.0, "orders are rounded up to a multiple of this"),
    unset("max_order", "number", "unlimited", "largest quantity one order may have"),
    number("ordering_cost", 0.0, "fixed cost of placing one order (0 = no EOQ term)"),
    unset(
        "holding_cost_rate",
        "number > 0",
        "25% a year over the periods per year",
        "holding cost per unit per period, as a fraction of the unit cost",
    ),
    unset("service_level", "number in (0, 1)", "the ABC class's level", "target cycle service level"),
    unset("supplier", "text", "none (unassigned)", "supplier id (groups purchase orders)"),
];

/// The supplier terms (`--suppliers`): the fields of
/// [`forestock::supply::purchase_orders::SupplierTerms`].
pub const SUPPLIERS: [Column; 3] = [
    required("id", "text", "supplier id, as in the item master's `supplier` column"),
    number("min_order_value", 0.0, "smallest order value the supplier accepts (0 = none)"),
    unset("free_freight_threshold", "number", "none", "order value from which freight is free"),
];

/// The first required column of `columns` that `headers` lacks.
pub fn missing_required<'a>(
    columns: &[Column],
    headers: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'static str> {
    columns
        .iter()
        .filter(|c| c.absent == Absent::Required)
        .find(|c| !headers.clone().into_iter().any(|h| h == c.name))
        .map(|c| c.name)
}

/// A file's layout as help text: one line per column with its type and default.
pub fn describe(title: &str, columns: &[Column]) -> String {
    let mut text = format!("{title}\n");
    for c in columns {
        let absent = match c.absent {
            Absent::Required => "required".to_string(),
            Absent::Number(v) => format!("optional, default {v}"),
            Absent::Unset(words) => format!("optional, default {words}"),
        };
        let _ = writeln!(text, "  {:<23}{} ({}; {absent})", c.name, c.meaning, c.kind);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use forestock::plan::ItemMaster;
    use forestock::supply::purchase_orders::SupplierTerms;

    /// A record deserialized from the required columns only, as JSON, against the table: every
    /// field of the record has a column, and every optional column's default is the record's value.
    fn check<T: serde::de::DeserializeOwned + serde::Serialize>(columns: &[Column], values: &[&str]) {
        let names: Vec<&str> = columns.iter().filter(|c| c.absent == Absent::Required).map(|c| c.name).collect();
        assert_eq!(names.len(), values.len());
        let record: T = csv::StringRecord::from(values.to_vec())
            .deserialize(Some(&csv::StringRecord::from(names)))
            .expect("the required columns alone make a record");
        let json = serde_json::to_value(&record).expect("json");
        let fields = json.as_object().expect("a record");
        let mut documented: Vec<&str> = columns.iter().map(|c| c.name).collect();
        let mut actual: Vec<&str> = fields.keys().map(String::as_str).collect();
        documented.sort_unstable();
        actual.sort_unstable();
        assert_eq!(documented, actual, "every field has a documented column");
        for c in columns {
            match c.absent {
                Absent::Required => {}
                Absent::Number(v) => assert_eq!(fields[c.name].as_f64(), Some(v), "default of {}", c.name),
                Absent::Unset(_) => assert!(fields[c.name].is_null(), "default of {}", c.name),
            }
        }
    }

    #[test]
    fn the_item_layout_states_the_core_defaults() {
        check::<ItemMaster>(&ITEMS, &["S1", "2.5", "3"]);
    }

    #[test]
    fn the_supplier_layout_states_the_core_defaults() {
        check::<SupplierTerms>(&SUPPLIERS, &["SUP-1"]);
    }

    #[test]
    fn missing_required_names_the_first_absent_column() {
        assert_eq!(missing_required(&ITEMS, ["sku", "lead_time"]), Some("unit_cost"));
        assert_eq!(missing_required(&DEMAND, ["period", "demand", "sku"]), None);
    }
}
