//! The one bar chart of the pages (the service desk's SLA, the security
//! audit's compliance): horizontal bars from 0 to 100 %, each labelled
//! with its figure, as inline SVG a screen reader can read (`role="img"`,
//! every bar with its `<title>`).

/// One bar.
pub struct Bar {
    pub label: String,
    /// Percent; `None` draws no bar and prints "—".
    pub value: Option<f64>,
    /// Added to the bar's tooltip (e.g. "12/15").
    pub detail: String,
    /// An earlier value, drawn as a thin mark with its caption.
    pub before: Option<(f64, String)>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart, green from `good`, amber from `fair`, red below.
pub fn bars(
    title: &str,
    bars: &[Bar],
    pct: impl Fn(f64) -> String,
    good: f64,
    fair: f64,
) -> String {
    let (w, label_w, row_h, top) = (640.0, 300.0, 26.0, 10.0);
    let bar_w = w - label_w - 70.0;
    let h = top * 2.0 + row_h * bars.len().max(1) as f64 + 16.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}" class="chart" font-family="sans-serif" font-size="13">"#,
        esc(title)
    );
    for mark in [0.0, 50.0, 100.0] {
        let x = label_w + bar_w * mark / 100.0;
        svg.push_str(&format!(r##"<line x1="{x:.1}" x2="{x:.1}" y1="{top}" y2="{:.1}" stroke="#bbb"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"##, h - 16.0, h - 3.0, esc(&pct(mark))));
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let v = b.value.unwrap_or(0.0).clamp(0.0, 100.0);
        let bw = bar_w * v / 100.0;
        let fill = if v >= good {
            "#2e7d32"
        } else if v >= fair {
            "#f9a825"
        } else {
            "#c62828"
        };
        let figure = b.value.map(&pct).unwrap_or_else(|| "—".to_owned());
        let label: String = if b.label.chars().count() > 46 {
            let cut: String = b.label.chars().take(45).collect();
            format!("{}…", cut.trim_end())
        } else {
            b.label.clone()
        };
        let detail = if b.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", b.detail)
        };
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_w}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="{fill}"><title>{}: {}{}</title></rect><text x="{:.1}" y="{:.1}">{}</text>"#,
            label_w - 8.0,
            y + row_h * 0.65,
            esc(&label),
            y + 4.0,
            row_h - 8.0,
            esc(&b.label),
            esc(&figure),
            esc(&detail),
            label_w + bw + 6.0,
            y + row_h * 0.65,
            esc(&figure)
        ));
        if let Some((p, caption)) = &b.before {
            let px = label_w + bar_w * p.clamp(0.0, 100.0) / 100.0;
            svg.push_str(&format!(
                r##"<line x1="{px:.1}" x2="{px:.1}" y1="{:.1}" y2="{:.1}" stroke="#000" stroke-width="2"><title>{}: {}</title></line>"##,
                y + 1.0,
                y + row_h - 3.0,
                esc(caption),
                esc(&pct(*p))
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each bar shows its figure and has a tooltip; no value prints "—";
    /// text is escaped; the earlier value is marked.
    #[test]
    fn bars_carry_their_figures() {
        let svg = bars(
            "Uyum <test>",
            &[
                Bar {
                    label: "Bölüm 3 & 4".into(),
                    value: Some(75.0),
                    detail: "3/4".into(),
                    before: Some((50.0, "Önceki".into())),
                },
                Bar {
                    label: "Boş".into(),
                    value: None,
                    detail: String::new(),
                    before: None,
                },
            ],
            |v| format!("%{v}"),
            90.0,
            70.0,
        );
        assert!(svg.contains(r#"aria-label="Uyum &lt;test&gt;""#));
        assert!(svg.contains("Bölüm 3 &amp; 4: %75 (3/4)"));
        assert!(svg.contains("#f9a825"), "75 % is amber between 70 and 90");
        assert!(svg.contains("<title>Önceki: %50</title>"));
        assert!(svg.contains(">—</text>"));
    }
}
