import Foundation

/// SVG figures: the batch-size trade-offs on a log axis with the regimes shaded, and the noise scale
/// over training. Plain SVG 1.1 with inline styles, so any browser renders it.
struct Plot {
    /// A series over training: (step, value), drawn on a log y axis.
    struct Series {
        let name: String
        let color: String
        let points: [(x: Double, y: Double)]
    }

    let criticalBatch: Double
    let noiseScale: Double?
    let tolerance: Double
    let batch: Int?
    let title: String
    /// Optional second panel: series against training steps.
    var training: [Series] = []

    private static let width = 860.0, panelHeight = 300.0
    private static let left = 70.0, right = 240.0, top = 40.0, bottom = 45.0

    func svg() -> String {
        let height = Self.top + Self.panelHeight + Self.bottom + (training.isEmpty ? 0 : Self.panelHeight + Self.bottom + 30)
        var body = tradeOffPanel()
        if !training.isEmpty { body += trainingPanel(offset: Self.top + Self.panelHeight + Self.bottom + 30) }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(height))" viewBox="0 0 \(Int(Self.width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Self.left)" y="22" font-size="15" font-weight="bold">\(escape(title))</text>
        \(body)</svg>

        """
    }

    // MARK: - Panel 1: efficiency, quality and the steps/examples trade-off against B

    private func tradeOffPanel() -> String {
        let bc = criticalBatch, bn = noiseScale ?? criticalBatch
        var lowB = bc / 100, highB = bc * 100
        if let batch { lowB = min(lowB, Double(batch) / 3); highB = max(highB, Double(batch) * 3) }
        let x = LogAxis(low: max(lowB, 1e-300), high: highB, from: Self.left, to: Self.width - Self.right)
        let y = { (v: Double) in Self.top + Self.panelHeight * (1 - v) }
        var out = ""
        // Regimes.
        let bands: [(Double, Double, String, String)] = [
            (x.low, bc * tolerance, "#e3f2fd", "liquid"), (bc * tolerance, bc / tolerance, "#fff8e1", "critical"),
            (bc / tolerance, x.high, "#fdecea", "gas"),
        ]
        for (a, b, color, name) in bands where b > a {
            let x0 = x(max(a, x.low)), x1 = x(min(b, x.high))
            out += rect(x0, Self.top, x1 - x0, Self.panelHeight, fill: color)
            // Narrow bands get their name above the frame.
            let inside = x1 - x0 > 50
            out += text(name, (x0 + x1) / 2, inside ? Self.top + 16 : Self.top - 4, anchor: "middle", color: "#666")
        }
        out += frame(top: Self.top, height: Self.panelHeight)
        for v in stride(from: 0.0, through: 1.0, by: 0.25) {
            out += line(Self.left - 4, y(v), Self.left, y(v)) + text(String(format: "%.2f", v), Self.left - 8, y(v) + 4, anchor: "end")
        }
        out += x.ticks(y: Self.top + Self.panelHeight)
        out += text("batch size B (log scale)", (Self.left + Self.width - Self.right) / 2, Self.top + Self.panelHeight + 36, anchor: "middle")
        let curves: [(String, String, (Double) -> Double)] = [
            ("efficiency min(1, B_crit/B)", "#1565c0", { min(1, bc / $0) }),
            ("quality Q = min(1, √(B_crit/B))", "#2e7d32", { min(1, (bc / $0).squareRoot()) }),
            ("step efficiency S_min/S", "#ef6c00", { 1 / (1 + bn / $0) }),
            ("data efficiency E_min/E", "#6a1b9a", { 1 / (1 + $0 / bn) }),
        ]
        for (k, (name, color, f)) in curves.enumerated() {
            let points = (0...200).map { i -> (Double, Double) in
                let b = x.value(atFraction: Double(i) / 200)
                return (x(b), y(f(b)))
            }
            out += polyline(points, color: color, dashed: k >= 2)
            out += legend(name, color: color, dashed: k >= 2, row: k, top: Self.top)
        }
        out += line(x(bc), Self.top, x(bc), Self.top + Self.panelHeight, color: "#b71c1c", width: 1.5)
        out += text("B_crit = \(Format.number(bc))", x(bc) + 4, Self.top + 32, color: "#b71c1c")
        if let batch, Double(batch) >= x.low, Double(batch) <= x.high {
            out += line(x(Double(batch)), Self.top, x(Double(batch)), Self.top + Self.panelHeight, color: "#000", width: 1, dashed: true)
            out += text("your B = \(batch)", x(Double(batch)) + 4, Self.top + 48)
        }
        return out
    }

    // MARK: - Panel 2: the noise scale over training

    private func trainingPanel(offset: Double) -> String {
        let all = training.flatMap { $0.points }.filter { $0.y > 0 && $0.y.isFinite }
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let minY = all.map(\.y).min(), let maxY = all.map(\.y).max() else { return "" }
        let xs = (minX, maxX > minX ? maxX : minX + 1)
        let yAxis = LogAxis(low: minY / 1.5, high: maxY * 1.5, from: offset + Self.panelHeight, to: offset)
        let xOf = { (v: Double) in Self.left + (Self.width - Self.right - Self.left) * (v - xs.0) / (xs.1 - xs.0) }
        var out = frame(top: offset, height: Self.panelHeight)
        out += yAxis.ticks(x: Self.left)
        for k in 0...4 {
            let v = xs.0 + (xs.1 - xs.0) * Double(k) / 4
            out += line(xOf(v), offset + Self.panelHeight, xOf(v), offset + Self.panelHeight + 4)
            out += text(Format.number(v.rounded(), digits: 4), xOf(v), offset + Self.panelHeight + 18, anchor: "middle")
        }
        out += text("training step", (Self.left + Self.width - Self.right) / 2, offset + Self.panelHeight + 36, anchor: "middle")
        out += text("over training (samples, log scale)", Self.left, offset - 8, color: "#333")
        for (k, series) in training.enumerated() {
            let points = series.points.filter { $0.y > 0 && $0.y.isFinite }.map { (xOf($0.x), yAxis($0.y)) }
            out += polyline(points, color: series.color, dashed: false)
            for p in points { out += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"\(series.color)\"/>\n" }
            out += legend(series.name, color: series.color, dashed: false, row: k, top: offset)
        }
        return out
    }

    // MARK: - Drawing

    private struct LogAxis {
        let low: Double, high: Double, from: Double, to: Double
        init(low: Double, high: Double, from: Double, to: Double) {
            self.low = low
            self.high = max(high, low * 10)
            self.from = from
            self.to = to
        }
        func callAsFunction(_ v: Double) -> Double { from + (to - from) * log10(v / low) / log10(high / low) }
        func value(atFraction t: Double) -> Double { low * pow(high / low, t) }
        private var decades: [Double] {
            stride(from: ceil(log10(low)), through: floor(log10(high)), by: 1).map { pow(10, $0) }
        }
        func ticks(y: Double) -> String {
            decades.map { v in
                "<line x1=\"\(f(self(v)))\" y1=\"\(f(y))\" x2=\"\(f(self(v)))\" y2=\"\(f(y + 4))\" stroke=\"#000\"/>\n"
                    + "<text x=\"\(f(self(v)))\" y=\"\(f(y + 18))\" text-anchor=\"middle\">\(Format.number(v))</text>\n"
            }.joined()
        }
        func ticks(x: Double) -> String {
            decades.map { v in
                "<line x1=\"\(f(x - 4))\" y1=\"\(f(self(v)))\" x2=\"\(f(x))\" y2=\"\(f(self(v)))\" stroke=\"#000\"/>\n"
                    + "<text x=\"\(f(x - 8))\" y=\"\(f(self(v) + 4))\" text-anchor=\"end\">\(Format.number(v))</text>\n"
            }.joined()
        }
    }

    private func frame(top: Double, height: Double) -> String {
        rect(Self.left, top, Self.width - Self.right - Self.left, height, fill: "none", stroke: "#000")
    }

    private func legend(_ name: String, color: String, dashed: Bool, row: Int, top: Double) -> String {
        let x = Self.width - Self.right + 12, y = top + 14 + Double(row) * 34
        return line(x, y, x + 22, y, color: color, width: 2.5, dashed: dashed)
            + "<text x=\"\(f(x))\" y=\"\(f(y + 16))\" font-size=\"10.5\">\(escape(name))</text>\n"
    }

    private func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"\(fill)\"" + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>\n"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String = "#000", width: Double = 1,
                      dashed: Bool = false) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\" stroke-width=\"\(width)\""
            + (dashed ? " stroke-dasharray=\"5,4\"" : "") + "/>\n"
    }

    private func polyline(_ points: [(Double, Double)], color: String, dashed: Bool) -> String {
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\"" + (dashed ? " stroke-dasharray=\"7,4\"" : "")
            + " points=\"" + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
    }

    private func text(_ s: String, _ x: Double, _ y: Double, anchor: String = "start", color: String = "#000") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" fill=\"\(color)\">\(escape(s))</text>\n"
    }
}

private func f(_ x: Double) -> String { String(format: "%.1f", x) }

private func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}
