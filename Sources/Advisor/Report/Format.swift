import Foundation

/// Number formatting for the human report: significant digits, not noise.
enum Format {
    /// Four significant digits, plain for 1e-3 ≤ |x| < 1e6, scientific otherwise.
    static func number(_ x: Double, digits: Int = 4) -> String {
        guard x.isFinite else { return x.isNaN ? "undefined" : (x > 0 ? "∞" : "−∞") }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            var text = String(format: "%.\(decimals)f", x)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.\(digits - 1)e", x)
    }

    static func number(_ x: Double?) -> String { x.map { number($0) } ?? "undefined" }

    /// A fraction as a percentage with two decimals: 0.0793 → "7.93 %".
    static func percent(_ fraction: Double) -> String { String(format: "%.2f %%", 100 * fraction) }

    /// Thousands separated by commas: 65536 → "65,536".
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A multiple: 12.6 → "12.6×".
    static func times(_ x: Double) -> String { number(x, digits: 3) + "×" }
}
