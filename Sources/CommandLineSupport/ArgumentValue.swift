import Foundation

/// A parsed option value. Byte sizes are `.integer` (bytes), choices are `.text`.
public enum ArgumentValue: Sendable, Hashable {
    case flag
    case text(String)
    case integer(Int)
    case number(Double)
    case list([ArgumentValue])

    /// Converts `raw` to a value of `kind`; nil when it is not one.
    static func parse(_ raw: String, as kind: ValueKind) -> ArgumentValue? {
        switch kind {
        case .text:
            return .text(raw)
        case let .integer(min, max):
            guard let n = Int(raw), n >= min, n <= max else { return nil }
            return .integer(n)
        case let .number(bounds):
            guard let x = Double(raw), x.isFinite, bounds.contains(x), !raw.lowercased().contains("x") else { return nil }
            return .number(x)
        case .byteSize:
            return ByteCount.parse(raw).map { .integer($0) }
        case let .choice(words):
            return words.contains(raw) ? .text(raw) : nil
        case let .list(element):
            var items: [ArgumentValue] = []
            for item in raw.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = parse(String(item), as: element) else { return nil }
                items.append(value)
            }
            return .list(items)
        }
    }

    /// Checks `raw` for option `name` and says precisely what is wrong when it is not valid.
    static func parse(_ raw: String, as kind: ValueKind, option name: String) throws(UsageError) -> ArgumentValue {
        if let value = parse(raw, as: kind) { return value }
        if case let .list(element) = kind {
            let items = raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let bad = items.first(where: { parse($0, as: element) == nil }) {
                let what = bad.isEmpty ? "an empty item" : "invalid item '\(bad)'"
                throw UsageError("--\(name): \(what) in '\(raw)' (expected \(element.expectation)\(hint(bad, kind: element)))")
            }
        }
        throw UsageError("--\(name): invalid value '\(raw)' (expected \(kind.expectation)\(hint(raw, kind: kind)))")
    }

    private static func hint(_ raw: String, kind: ValueKind) -> String {
        guard case let .choice(words) = kind, let near = Spelling.nearest(to: raw, among: words) else { return "" }
        return "; did you mean '\(near)'?"
    }
}

/// Byte counts as people write them.
public enum ByteCount {
    /// Parses `4096`, `4096B`, `512K`, `512KiB`, `24G`, `1.5GiB` (K, M, G, T with or without `iB`: powers of
    /// 1024) and `24KB`, `24MB`, `24GB`, `24TB` (powers of 1000); units are case-insensitive. The result is
    /// rounded to whole bytes and must be ≥ 1; nil otherwise (also on overflow).
    public static func parse(_ text: String) -> Int? {
        let lower = text.lowercased()
        let digits = lower.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = String(lower.dropFirst(digits.count))
        guard !digits.isEmpty, digits.filter({ $0 == "." }).count <= 1, digits != "." else { return nil }
        guard let amount = Double(digits) else { return nil }
        let scales: [String: Double] = [
            "": 1, "b": 1,
            "k": 0x1p10, "kib": 0x1p10, "m": 0x1p20, "mib": 0x1p20, "g": 0x1p30, "gib": 0x1p30, "t": 0x1p40, "tib": 0x1p40,
            "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        ]
        guard let scale = scales[unit] else { return nil }
        let bytes = (amount * scale).rounded()
        guard bytes >= 1, bytes < 0x1p63 else { return nil }
        return Int(bytes)
    }

    /// `1.00 GiB`, `512 MiB`, `4.0 KiB`, `100 B`: three significant digits in powers of 1024.
    public static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let digits = abs(value) >= 100 ? 0 : abs(value) >= 10 ? 1 : 2
        return String(format: "%.\(digits)f", value) + " " + units[unit]
    }
}

/// "Did you mean …?" for mistyped names.
enum Spelling {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d > 0, d <= max(1, min(word.count, best.count) / 3) else { return nil }
        return best
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
