//! Purchase orders of the daily job: supplier terms from a CSV file and `purchase_orders.csv`.
//!
//! Supplier file columns: `id,min_order_value,free_freight_threshold` (the fields of
//! [`forestock::supply::purchase_orders::SupplierTerms`], listed in [`crate::layout::SUPPLIERS`];
//! empty cells take the defaults: no minimum, no free-freight threshold). The item master's
//! `supplier` column assigns items to suppliers.

use std::path::Path;

use forestock::supply::purchase_orders::{LineReason, PurchaseOrderReport, SupplierTerms};
use forestock::Error;

fn csv_err(e: csv::Error) -> Error {
    Error::Io(e.to_string())
}

/// Read the supplier terms file; a malformed row is an error naming the row (the terms of every
/// supplier decide its orders, so the job does not guess).
pub fn read_suppliers_csv(path: &Path) -> Result<Vec<SupplierTerms>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let headers = reader.headers().map_err(csv_err)?.clone();
    if let Some(name) = crate::layout::missing_required(&crate::layout::SUPPLIERS, headers.iter()) {
        let reason = format!("{}: missing column `{name}`", path.display());
        return Err(Error::InvalidRow { row: 0, reason });
    }
    let mut terms = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::InvalidRow { row: i + 1, reason: e.to_string() })?;
        // Empty cells mean "use the default".
        let (names, values): (csv::StringRecord, csv::StringRecord) =
            headers.iter().zip(record.iter()).filter(|(_, v)| !v.is_empty()).unzip();
        let t: SupplierTerms = values
            .deserialize(Some(&names))
            .map_err(|e| Error::InvalidRow { row: i + 1, reason: format!("{}: {e}", path.display()) })?;
        terms.push(t);
    }
    Ok(terms)
}

/// Write one row per purchase-order line, with its order's totals; the file is replaced atomically
/// ([`forestock::store::write_atomic`]) like the job's other outputs.
pub fn write_purchase_orders(path: &Path, report: &PurchaseOrderReport) -> Result<(), Error> {
    let bytes = purchase_orders_csv(report)?;
    forestock::store::write_atomic(path, &bytes)
}

/// The purchase-order lines as CSV bytes.
fn purchase_orders_csv(report: &PurchaseOrderReport) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "supplier",
        "sku",
        "quantity",
        "recommended_quantity",
        "top_up_quantity",
        "pack_size",
        "unit_cost",
        "value",
        "periods_until_stockout",
        "reason",
        "order_value",
        "min_order_value",
        "free_freight_threshold",
        "meets_min_order_value",
        "shortfall",
        "note",
    ])
    .map_err(csv_err)?;
    let reason =
        |r: LineReason| serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    for po in &report.orders {
        for l in &po.lines {
            w.write_record([
                po.supplier.clone().unwrap_or_default(),
                l.sku.clone(),
                format!("{}", l.quantity),
                format!("{}", l.recommended_quantity),
                format!("{}", l.top_up_quantity),
                format!("{}", l.pack_size),
                format!("{:.4}", l.unit_cost),
                format!("{:.2}", l.value),
                l.periods_until_stockout.map(|d| format!("{d:.3}")).unwrap_or_default(),
                reason(l.reason),
                format!("{:.2}", po.total_value),
                format!("{}", po.min_order_value),
                po.free_freight_threshold.map(|t| t.to_string()).unwrap_or_default(),
                format!("{}", po.meets_min_order_value),
                format!("{:.2}", po.shortfall),
                po.note.clone().unwrap_or_default(),
            ])
            .map_err(csv_err)?;
        }
    }
    w.into_inner().map_err(|e| Error::Io(e.to_string()))
}

/// One summary line per order for the console.
pub fn print_purchase_orders(report: &PurchaseOrderReport) {
    let topped = report.orders.iter().filter(|o| o.total_value > o.recommended_value).count();
    let short = report.orders.iter().filter(|o| !o.meets_min_order_value).count();
    say!(
        "\npurchase orders: {} ({} topped up to a supplier minimum, {} below it), {} SKUs not ordered",
        report.orders.len(),
        topped,
        short,
        report.failures.len()
    );
    for po in &report.orders {
        say!(
            "  {:<10} {:>4} lines  value {:>14} (recommended {:>14}, target {:>11}){}",
            po.supplier.as_deref().unwrap_or("unassigned"),
            po.lines.len(),
            crate::format::thousands(po.total_value, 2),
            crate::format::thousands(po.recommended_value, 2),
            crate::format::thousands(po.target_value, 2),
            po.note.as_deref().map(|n| format!("  note: {n}")).unwrap_or_default()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppliers_file_with_defaults() -> Result<(), Error> {
        let dir = std::env::temp_dir().join(format!("forestock-suppliers-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("suppliers.csv");
        std::fs::write(&path, "id,min_order_value,free_freight_threshold\nA,100,\nB,,500\n")?;
        let terms = read_suppliers_csv(&path)?;
        assert_eq!(terms.len(), 2);
        assert_eq!((terms[0].min_order_value, terms[0].free_freight_threshold), (100.0, None));
        assert_eq!((terms[1].min_order_value, terms[1].free_freight_threshold), (0.0, Some(500.0)));
        std::fs::write(&path, "id,min_order_value\nA,lots\n")?;
        assert!(matches!(read_suppliers_csv(&path), Err(Error::InvalidRow { row: 1, .. })));
        Ok(())
    }
}
