//! A self-contained HTML report: inline CSS, inline SVG charts and a small inline script (sorting and
//! filtering the orders table); no network access, no external assets.

use std::fmt::Write as _;

use crate::format::{money, thousands};

/// One row of the orders table.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    /// SKU identifier.
    pub sku: String,
    /// ABC class (`A`, `B`, `C`).
    pub class: String,
    /// Priority (`urgent`, `high`, `medium`, `low`).
    pub priority: String,
    /// Units to order now.
    pub order_quantity: f64,
    /// Order quantity × unit cost.
    pub order_value: f64,
    /// Units on hand.
    pub on_hand: f64,
    /// Reorder point (units of inventory position).
    pub reorder_point: f64,
    /// Safety stock (units).
    pub safety_stock: f64,
    /// Mean lead time in periods (`None` without an item row).
    pub lead_time: Option<f64>,
    /// Why the SKU orders or not.
    pub reason: String,
}

/// The projected inventory position over the forecast horizon against the reorder point.
#[derive(Debug, Clone, PartialEq)]
pub struct StockProjection {
    /// Position now and after each forecast period, without a new order.
    pub without_order: Vec<f64>,
    /// The same with the recommended order placed now.
    pub with_order: Vec<f64>,
    /// Reorder point.
    pub reorder_point: f64,
    /// Safety stock.
    pub safety_stock: f64,
}

/// One SKU chart: history, forecast with one interval, and the stock projection, on a date axis.
#[derive(Debug, Clone, PartialEq)]
pub struct SkuChart {
    /// Chart title (SKU and headline facts).
    pub title: String,
    /// Axis labels (dates or period numbers): one per history period, then one per forecast period.
    pub labels: Vec<String>,
    /// Demand history.
    pub history: Vec<f64>,
    /// Point forecast.
    pub mean: Vec<f64>,
    /// Lower bound of the interval.
    pub lower: Vec<f64>,
    /// Upper bound of the interval.
    pub upper: Vec<f64>,
    /// Interval level in percent.
    pub level: f64,
    /// Projected stock against the reorder point.
    pub stock: StockProjection,
}

/// A SKU that could not be planned.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureRow {
    /// SKU identifier.
    pub sku: String,
    /// Stable error code.
    pub code: String,
    /// What went wrong.
    pub message: String,
}

/// Everything the report shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// Currency symbol or code of the amounts.
    pub currency: String,
    /// Summary lines (key: value).
    pub summary: Vec<(String, String)>,
    /// Counts by ABC class.
    pub abc_counts: Vec<(String, usize)>,
    /// Counts by priority.
    pub priority_counts: Vec<(String, usize)>,
    /// The orders table, in the planner's order.
    pub orders: Vec<OrderRow>,
    /// How many rows qualified for the table (more than `orders` when it was cut).
    pub orders_total: usize,
    /// Charts of the first orders.
    pub charts: Vec<SkuChart>,
    /// SKUs that failed.
    pub failures: Vec<FailureRow>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\
td.text,th.text{text-align:left}td:first-child{white-space:nowrap}th{background:#eee;cursor:pointer;user-select:none;white-space:nowrap}\
th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}\
tr.urgent td:nth-child(3){color:#b00020;font-weight:600}\
figure{display:inline-block;margin:0.5em 1em 0.5em 0;vertical-align:top}figcaption{font-weight:600}\
.legend{font-size:11px;color:#555}.controls{margin:0.5em 0}.controls input{width:18em}\
dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dd{margin:0}";

/// Sorting (click a header; again to reverse) and filtering (text box, class select) of the orders
/// table. Numbers sort by the cell's `data-sort` value, text case-insensitively.
const SCRIPT: &str = r#"(function () {
  var table = document.getElementById('orders');
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sorted = { column: -1, ascending: true };
  heads.forEach(function (th, column) {
    th.addEventListener('click', function () {
      var ascending = sorted.column === column ? !sorted.ascending : true;
      sorted = { column: column, ascending: ascending };
      var numeric = th.dataset.type === 'number';
      var key = function (row) {
        var cell = row.cells[column];
        if (!numeric) return cell.textContent.toLowerCase();
        var v = parseFloat(cell.dataset.sort);
        return isNaN(v) ? Infinity : v;
      };
      // Keys computed once per row, not per comparison; rows moved back in one fragment.
      var keyed = Array.prototype.map.call(body.rows, function (row) { return { row: row, key: key(row) }; });
      keyed.sort(function (a, b) {
        var x = a.key, y = b.key;
        var d = numeric ? (x === y ? 0 : (x < y ? -1 : 1)) : (x < y ? -1 : (x > y ? 1 : 0));
        return ascending ? d : -d;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (k) { fragment.appendChild(k.row); });
      body.appendChild(fragment);
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    });
  });
  var text = document.getElementById('filter');
  var abc = document.getElementById('class-filter');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var c = abc.value;
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var keep = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) && (!c || row.dataset.class === c);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    document.getElementById('shown').textContent = String(shown);
  }
  text.addEventListener('input', apply);
  abc.addEventListener('change', apply);
})();"#;

fn bar_chart(title: &str, counts: &[(String, usize)]) -> String {
    let (w, h, pad) = (360.0, 200.0, 30.0);
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1) as f64;
    let n = counts.len().max(1) as f64;
    let bw = (w - 2.0 * pad) / n;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg class=\"bars\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        escape(title)
    );
    for (i, (label, count)) in counts.iter().enumerate() {
        let bh = (h - 2.0 * pad) * (*count as f64) / max;
        let x = pad + i as f64 * bw + 4.0;
        let y = h - pad - bh;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4a7ab5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            bw - 8.0,
            x + (bw - 8.0) / 2.0,
            y - 3.0,
            thousands(*count as f64, 0),
            x + (bw - 8.0) / 2.0,
            h - pad + 14.0,
            escape(label)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

fn polyline(points: &[(f64, f64)], color: &str, dash: &str) -> String {
    let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
    format!("<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{dash} points=\"{}\"/>", pts.join(" "))
}

/// The finite range of `values`, widened to include 0, never empty.
fn range<'a>(values: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if lo.is_finite() && hi > lo.min(0.0) {
        (lo.min(0.0), hi)
    } else {
        (0.0, 1.0)
    }
}

/// A panel's vertical scale: value -> y between `top` and `bottom`.
fn scale(lo: f64, hi: f64, top: f64, bottom: f64) -> impl Fn(f64) -> f64 {
    move |v| bottom - (bottom - top) * (v - lo) / (hi - lo)
}

fn sku_chart(chart: &SkuChart) -> String {
    let (w, left, right) = (640.0, 48.0, 12.0);
    let (demand_top, demand_bottom, stock_top, stock_bottom, axis) = (14.0, 170.0, 196.0, 276.0, 292.0);
    let h = 316.0;
    let n_hist = chart.history.len();
    let total = chart.labels.len().max(n_hist + chart.mean.len()).max(2);
    let x = |i: usize| left + (w - left - right) * i as f64 / (total - 1) as f64;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg class=\"sku-chart\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\">",
        escape(&chart.title)
    );
    // Date axis: about six labelled ticks, the last history period (now) always among them.
    let step = total.div_ceil(6).max(1);
    let now = n_hist.saturating_sub(1);
    let mut ticks: Vec<usize> = (0..total).step_by(step).filter(|i| i.abs_diff(now) * 2 >= step).collect();
    ticks.push(now);
    for i in ticks {
        let label = chart.labels.get(i).map(String::as_str).unwrap_or("");
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" y1=\"{demand_top}\" x2=\"{0:.1}\" y2=\"{stock_bottom}\" stroke=\"#eee\"/>\
             <text class=\"tick\" x=\"{0:.1}\" y=\"{axis}\" font-size=\"10\" text-anchor=\"middle\">{1}</text>",
            x(i),
            escape(label)
        );
    }
    // Demand panel: history, forecast and its interval band.
    let all = chart.history.iter().chain(&chart.lower).chain(&chart.upper).chain(&chart.mean);
    let (lo, hi) = range(all);
    let y = scale(lo, hi, demand_top, demand_bottom);
    let history: Vec<(f64, f64)> = chart.history.iter().enumerate().map(|(i, v)| (x(i), y(*v))).collect();
    let mean: Vec<(f64, f64)> = chart.mean.iter().enumerate().map(|(i, v)| (x(n_hist + i), y(*v))).collect();
    let mut band: Vec<String> =
        chart.upper.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(n_hist + i), y(*v))).collect();
    band.extend(chart.lower.iter().enumerate().rev().map(|(i, v)| format!("{:.1},{:.1}", x(n_hist + i), y(*v))));
    let _ = write!(
        svg,
        "<text x=\"2\" y=\"{:.1}\" font-size=\"10\">{}</text><text x=\"2\" y=\"{demand_bottom}\" font-size=\"10\">{}</text>\
         <line x1=\"{left}\" y1=\"{demand_bottom}\" x2=\"{:.1}\" y2=\"{demand_bottom}\" stroke=\"#999\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#555\">demand (units)</text>\
         <polygon class=\"interval\" fill=\"#f2b36b\" fill-opacity=\"0.45\" points=\"{}\"/>{}{}",
        demand_top + 8.0,
        thousands(hi, 0),
        thousands(lo, 0),
        w - right,
        left + 6.0,
        demand_top + 10.0,
        band.join(" "),
        polyline(&history, "#2b5c9e", ""),
        polyline(&mean, "#d9711c", "4 2")
    );
    // Stock panel: projected position from now over the horizon, with and without the order.
    let s = &chart.stock;
    let levels = [s.reorder_point, s.safety_stock];
    let (lo, hi) = range(s.without_order.iter().chain(&s.with_order).chain(&levels));
    let y = scale(lo, hi, stock_top, stock_bottom);
    let points = |v: &[f64]| -> Vec<(f64, f64)> { v.iter().enumerate().map(|(i, v)| (x(now + i), y(*v))).collect() };
    let _ = write!(
        svg,
        "<text x=\"2\" y=\"{:.1}\" font-size=\"10\">{}</text><text x=\"2\" y=\"{stock_bottom}\" font-size=\"10\">{}</text>\
         <line x1=\"{left}\" y1=\"{stock_bottom}\" x2=\"{:.1}\" y2=\"{stock_bottom}\" stroke=\"#999\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#555\">inventory position (units) against the \
         reorder point</text><line class=\"reorder-point\" x1=\"{left}\" y1=\"{rp:.1}\" x2=\"{:.1}\" y2=\"{rp:.1}\" stroke=\"#b00020\" \
         stroke-dasharray=\"6 3\"/><line x1=\"{left}\" y1=\"{ss:.1}\" x2=\"{:.1}\" y2=\"{ss:.1}\" stroke=\"#888\" \
         stroke-dasharray=\"2 3\"/>{}{}",
        stock_top + 8.0,
        thousands(hi, 0),
        thousands(lo, 0),
        w - right,
        left + 6.0,
        stock_top + 10.0,
        w - right,
        w - right,
        polyline(&points(&s.without_order), "#2b5c9e", ""),
        polyline(&points(&s.with_order), "#2e8b57", "5 2"),
        rp = y(s.reorder_point),
        ss = y(s.safety_stock),
    );
    let _ = write!(
        svg,
        "</svg><div class=\"legend\">top: demand history (blue), forecast (orange, dashed), {:.0}% interval (band); \
         bottom: projected inventory position without the order (blue) and with it (green, dashed), reorder point \
         {} (red, dashed), safety stock {} (grey)</div></figure>",
        chart.level,
        thousands(s.reorder_point, 0),
        thousands(s.safety_stock, 0)
    );
    svg
}

/// `<td>` with the shown text and, for numbers, the value the table sorts by.
fn number_cell(value: f64, shown: String) -> String {
    let sort = if value.is_finite() { format!("{value}") } else { String::new() };
    format!("<td data-sort=\"{sort}\">{}</td>", escape(&shown))
}

fn orders_table(report: &Report) -> String {
    let mut html = String::new();
    let classes: std::collections::BTreeSet<&str> = report.orders.iter().map(|o| o.class.as_str()).collect();
    let _ = write!(
        html,
        "<div class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter: SKU, priority, reason\" \
         aria-label=\"filter the orders\"> <select id=\"class-filter\" aria-label=\"ABC class\">\
         <option value=\"\">all classes</option>{}</select> <span id=\"shown\">{}</span> of {} rows shown{}</div>",
        classes.iter().map(|c| format!("<option value=\"{0}\">class {0}</option>", escape(c))).collect::<String>(),
        report.orders.len(),
        report.orders.len(),
        if report.orders_total > report.orders.len() {
            format!(" (the first {} of {})", report.orders.len(), thousands(report.orders_total as f64, 0))
        } else {
            String::new()
        }
    );
    let header = [
        ("SKU", "text"),
        ("class", "text"),
        ("priority", "number"),
        ("order qty", "number"),
        ("order value", "number"),
        ("on hand", "number"),
        ("reorder point", "number"),
        ("safety stock", "number"),
        ("lead time", "number"),
        ("reason", "text"),
    ];
    html.push_str("<table id=\"orders\"><thead><tr>");
    for (name, kind) in header {
        let class = if kind == "text" { " class=\"text\"" } else { "" };
        let _ = write!(html, "<th data-type=\"{kind}\"{class}>{name}</th>");
    }
    html.push_str("</tr></thead><tbody>");
    for o in &report.orders {
        let rank = ["urgent", "high", "medium", "low"].iter().position(|p| *p == o.priority).unwrap_or(4);
        let _ = write!(
            html,
            "<tr class=\"{0}\" data-class=\"{1}\"><td class=\"text\">{2}</td><td class=\"text\">{1}</td>\
             <td data-sort=\"{rank}\">{0}</td>{3}{4}{5}{6}{7}{8}<td class=\"text\">{9}</td></tr>",
            escape(&o.priority),
            escape(&o.class),
            escape(&o.sku),
            number_cell(o.order_quantity, thousands(o.order_quantity, 0)),
            number_cell(o.order_value, money(o.order_value, &report.currency)),
            number_cell(o.on_hand, thousands(o.on_hand, 0)),
            number_cell(o.reorder_point, thousands(o.reorder_point, 1)),
            number_cell(o.safety_stock, thousands(o.safety_stock, 1)),
            number_cell(o.lead_time.unwrap_or(f64::NAN), o.lead_time.map_or("-".into(), |l| thousands(l, 1))),
            escape(&o.reason)
        );
    }
    html.push_str("</tbody></table>");
    html
}

fn failures_section(failures: &[FailureRow]) -> String {
    let mut html = format!("<section id=\"failures\"><h2>Failures ({})</h2>", thousands(failures.len() as f64, 0));
    if failures.is_empty() {
        html.push_str("<p>Every SKU was planned.</p>");
    } else {
        html.push_str(
            "<table><thead><tr><th class=\"text\">SKU</th><th class=\"text\">code</th><th class=\"text\">message</th>\
             </tr></thead><tbody>",
        );
        for f in failures {
            let _ = write!(
                html,
                "<tr><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td></tr>",
                escape(&f.sku),
                escape(&f.code),
                escape(&f.message)
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>");
    html
}

/// Render the report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>\
         <link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style></head><body><h1>{0}</h1><dl>",
        escape(&report.title)
    );
    for (k, v) in &report.summary {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    }
    html.push_str("</dl><h2>Catalogue</h2>");
    html.push_str(&bar_chart("SKUs by ABC class", &report.abc_counts));
    html.push_str(&bar_chart("SKUs by priority", &report.priority_counts));
    html.push_str(
        "<h2>Orders</h2><p>Class A first, then by priority, then by order value. Click a header to sort, \
         type to filter.</p>",
    );
    html.push_str(&orders_table(report));
    html.push_str("<h2>Forecasts and stock of the first orders</h2>");
    for chart in &report.charts {
        html.push_str(&sku_chart(chart));
    }
    html.push_str(&failures_section(&report.failures));
    let _ = writeln!(html, "<script>{SCRIPT}</script></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            title: "Plan <demo>".into(),
            currency: "EUR".into(),
            summary: vec![("SKUs".into(), "3".into())],
            abc_counts: vec![("A".into(), 1), ("B".into(), 2)],
            priority_counts: vec![("urgent".into(), 1)],
            orders: vec![OrderRow {
                sku: "X&Y".into(),
                class: "A".into(),
                priority: "urgent".into(),
                order_quantity: 1_200.0,
                order_value: 123_456.5,
                on_hand: 3.0,
                reorder_point: 40.25,
                safety_stock: 10.0,
                lead_time: Some(3.0),
                reason: "order now".into(),
            }],
            orders_total: 1,
            charts: vec![SkuChart {
                title: "SKU-1".into(),
                labels: ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"]
                    .map(String::from)
                    .to_vec(),
                history: vec![1.0, 2.0, 3.0],
                mean: vec![3.0, 3.0],
                lower: vec![2.0, 1.5],
                upper: vec![4.0, 4.5],
                level: 95.0,
                stock: StockProjection {
                    without_order: vec![5.0, 2.0, -1.0],
                    with_order: vec![9.0, 6.0, 3.0],
                    reorder_point: 6.0,
                    safety_stock: 1.0,
                },
            }],
            failures: vec![FailureRow {
                sku: "BAD".into(),
                code: "ERR_INVALID_ROW".into(),
                message: "row 3: <x>".into(),
            }],
        }
    }

    #[test]
    fn renders_table_charts_failures_and_escapes_text() {
        let html = render(&report());
        assert!(html.contains("Plan &lt;demo&gt;"));
        assert!(html.contains("<td class=\"text\">X&amp;Y</td>"));
        assert!(html.contains("<td data-sort=\"123456.5\">EUR 123,456.50</td>"), "currency in the table");
        assert!(html.contains("<td data-sort=\"1200\">1,200</td>"), "thousands separators");
        assert_eq!(html.matches("<svg").count(), 3);
        assert_eq!(html.matches("class=\"sku-chart\"").count(), 1);
        assert!(html.contains(">2026-01-26</text>"), "the date axis marks now");
        assert!(html.contains("class=\"interval\"") && html.contains("class=\"reorder-point\""));
        assert!(html.contains("<section id=\"failures\"><h2>Failures (1)</h2>"));
        assert!(html.contains("row 3: &lt;x&gt;"));
        // Self-contained: no external resource of any kind.
        for external in ["http://", "https://", "src=", "<link rel=\"stylesheet\""] {
            assert!(!html.contains(external), "{external}");
        }
    }
}
