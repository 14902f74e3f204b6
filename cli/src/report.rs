//! A self-contained HTML report (inline SVG charts, no scripts, no external assets).

use std::fmt::Write as _;

/// One SKU chart: history, point forecast and one prediction interval.
#[derive(Debug, Clone)]
pub struct SkuChart {
    /// Chart title (SKU and headline facts).
    pub title: String,
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
}

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// Summary lines (key: value).
    pub summary: Vec<(String, String)>,
    /// Counts by ABC class.
    pub abc_counts: Vec<(String, usize)>,
    /// Counts by priority.
    pub priority_counts: Vec<(String, usize)>,
    /// Table of the most urgent orders: header then rows.
    pub table_header: Vec<String>,
    /// Table rows.
    pub table_rows: Vec<Vec<String>>,
    /// Charts of the most urgent SKUs.
    pub charts: Vec<SkuChart>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn bar_chart(title: &str, counts: &[(String, usize)]) -> String {
    let (w, h, pad) = (360.0, 200.0, 30.0);
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1) as f64;
    let n = counts.len().max(1) as f64;
    let bw = (w - 2.0 * pad) / n;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        escape(title)
    );
    for (i, (label, count)) in counts.iter().enumerate() {
        let bh = (h - 2.0 * pad) * (*count as f64) / max;
        let x = pad + i as f64 * bw + 4.0;
        let y = h - pad - bh;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4a7ab5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            bw - 8.0,
            x + (bw - 8.0) / 2.0,
            y - 3.0,
            x + (bw - 8.0) / 2.0,
            h - pad + 14.0,
            escape(label)
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

fn polyline(points: &[(f64, f64)], color: &str, dash: bool) -> String {
    let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    format!(
        "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{} points=\"{}\"/>",
        if dash { " stroke-dasharray=\"4 2\"" } else { "" },
        pts.join(" ")
    )
}

fn sku_chart(chart: &SkuChart) -> String {
    let (w, h, pad) = (520.0, 200.0, 28.0);
    let n_hist = chart.history.len();
    let total = (n_hist + chart.mean.len()).max(2) as f64;
    let all = chart.history.iter().chain(&chart.lower).chain(&chart.upper).chain(&chart.mean);
    let (lo, hi) =
        all.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() && hi > lo { (lo.min(0.0), hi) } else { (0.0, 1.0) };
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (total - 1.0);
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / (hi - lo);
    let history: Vec<(f64, f64)> = chart.history.iter().enumerate().map(|(i, v)| (x(i), y(*v))).collect();
    let mean: Vec<(f64, f64)> = chart.mean.iter().enumerate().map(|(i, v)| (x(n_hist + i), y(*v))).collect();
    let mut band: Vec<String> =
        chart.upper.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(n_hist + i), y(*v))).collect();
    band.extend(chart.lower.iter().enumerate().rev().map(|(i, v)| format!("{:.1},{:.1}", x(n_hist + i), y(*v))));
    format!(
        "<figure><figcaption>{}</figcaption><svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <line x1=\"{pad}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\"/>\
         <text x=\"2\" y=\"{:.1}\" font-size=\"10\">{hi:.0}</text><text x=\"2\" y=\"{:.1}\" font-size=\"10\">{lo:.0}</text>\
         <polygon fill=\"#f2b36b\" fill-opacity=\"0.45\" points=\"{}\"/>{}{}</svg>\
         <div class=\"legend\">history (blue), forecast (orange, dashed), {:.0}% interval (band)</div></figure>",
        escape(&chart.title),
        h - pad,
        w - pad,
        h - pad,
        pad,
        h - pad,
        band.join(" "),
        polyline(&history, "#2b5c9e", false),
        polyline(&mean, "#d9711c", true),
        chart.level
    )
}

/// Render the report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{0}</title><style>\
         body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}th{{background:#eee}}\
         figure{{display:inline-block;margin:0.5em 1em 0.5em 0}}figcaption{{font-weight:600}}\
         .legend{{font-size:11px;color:#555}}</style></head><body><h1>{0}</h1><dl>",
        escape(&report.title)
    );
    for (k, v) in &report.summary {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    }
    html.push_str("</dl><h2>Catalogue</h2>");
    html.push_str(&bar_chart("SKUs by ABC class", &report.abc_counts));
    html.push_str(&bar_chart("SKUs by priority", &report.priority_counts));
    html.push_str("<h2>Most urgent orders</h2><table><tr>");
    for h in &report.table_header {
        let _ = write!(html, "<th>{}</th>", escape(h));
    }
    html.push_str("</tr>");
    for row in &report.table_rows {
        html.push_str("<tr>");
        for cell in row {
            let _ = write!(html, "<td>{}</td>", escape(cell));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table><h2>Forecasts of the most urgent SKUs</h2>");
    for chart in &report.charts {
        html.push_str(&sku_chart(chart));
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_charts_and_escapes_text() {
        let report = Report {
            title: "Plan <demo>".into(),
            summary: vec![("SKUs".into(), "3".into())],
            abc_counts: vec![("A".into(), 1), ("B".into(), 2)],
            priority_counts: vec![("urgent".into(), 1)],
            table_header: vec!["sku".into()],
            table_rows: vec![vec!["X&Y".into()]],
            charts: vec![SkuChart {
                title: "SKU-1".into(),
                history: vec![1.0, 2.0, 3.0],
                mean: vec![3.0, 3.0],
                lower: vec![2.0, 1.5],
                upper: vec![4.0, 4.5],
                level: 95.0,
            }],
        };
        let html = render(&report);
        assert!(html.contains("Plan &lt;demo&gt;"));
        assert!(html.contains("X&amp;Y"));
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(html.contains("<polygon"));
    }
}
