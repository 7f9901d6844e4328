import Foundation

/// A bar chart drawn by Accord itself as inline SVG, for pages and print: one labelled bar per
/// value, its number written beside it (the chart is a picture of the table beside it, so the SVG
/// is hidden from screen readers, which read the table).
struct BarChart: Sendable {
    struct Bar: Sendable {
        let label: String
        let value: Double
        /// The number as written beside the bar ("92.5 %", "3").
        let text: String
    }

    let title: String
    let bars: [Bar]
    /// The value a full bar stands for (100 for percentages; the largest value otherwise).
    let scale: Double?

    /// The chart as an SVG element: bars from left to right, label under each.
    var svg: String {
        let width = 64, gap = 16, height = 120, top = 40, labels = 36
        let maximum = max(scale ?? bars.map(\.value).max() ?? 1, 1)
        // Wide enough for its title (about 7 px a character at 12 px).
        let total = max(max(bars.count, 1) * (width + gap) + gap, title.count * 7 + 8)
        var parts = [#"<svg class="chart" aria-hidden="true" focusable="false" width="\#(total)" height="\#(top + height + labels)" viewBox="0 0 \#(total) \#(top + height + labels)">"#]
        parts.append(#"<text x="0" y="14" class="chart-title">\#(HTMLText.escape(title))</text>"#)
        parts.append(#"<line x1="0" y1="\#(top + height)" x2="\#(total)" y2="\#(top + height)" class="chart-axis"/>"#)
        for (index, bar) in bars.enumerated() {
            let x = gap + index * (width + gap)
            let barHeight = Int((min(bar.value, maximum) / maximum * Double(height)).rounded())
            parts.append(#"<rect x="\#(x)" y="\#(top + height - barHeight)" width="\#(width)" height="\#(barHeight)" class="chart-bar"/>"#)
            parts.append(#"<text x="\#(x + width / 2)" y="\#(top + height - barHeight - 4)" text-anchor="middle" class="chart-value">\#(HTMLText.escape(bar.text))</text>"#)
            parts.append(#"<text x="\#(x + width / 2)" y="\#(top + height + 16)" text-anchor="middle" class="chart-label">\#(HTMLText.escape(bar.label))</text>"#)
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
