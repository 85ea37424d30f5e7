/// A JSON document built in code and written deterministically.
///
/// Chosen over `JSONEncoder` because the tools need three things it does not give directly: keys in the
/// order they were declared (not sorted, not hashed), `null` for an undefined figure (an absent optional or
/// a NaN/∞, where JSONEncoder drops the key or throws), and no `Codable` boilerplate per output type.
/// Doubles are written in Swift's shortest round-trip form (`0.1`, `1e-05`, `3.0`), so parsing the text
/// gives back the same bits.
///
/// ```swift
/// let report: JSONValue = ["samples": 1024, "trace": .number(2.5), "noise_scale": JSONValue(nil as Double?)]
/// print(report.rendered())
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// A finite double; `rendered()` writes NaN and ±∞ as `null`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in order. Precondition when rendering: no key twice.
    case object([Member])

    public struct Member: Sendable, Hashable {
        public let key: String
        public let value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// `.number`, or `null` for nil and for non-finite values.
    public init(_ value: Double?) {
        self = value.map { $0.isFinite ? .number($0) : .null } ?? .null
    }

    /// `.int`, or `null` for nil.
    public init(_ value: Int?) {
        self = value.map(JSONValue.int) ?? .null
    }

    /// `.string`, or `null` for nil.
    public init(_ value: String?) {
        self = value.map(JSONValue.string) ?? .null
    }

    /// The member named `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The text: indented by two spaces per level when `pretty` (arrays of scalars stay on one line), else
    /// compact on one line. No trailing newline.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(n): out += String(n)
        case let .number(x): out += x.isFinite ? String(x) : "null"
        case let .string(s): JSONValue.quote(s, into: &out)
        case let .array(items):
            let inline = indent == nil || items.allSatisfy(\.isScalar)
            writeList(items.map { item in { (o: inout String, i: Int?) in item.write(to: &o, indent: i) } },
                      open: "[", close: "]", inline: inline, indent: indent, to: &out)
        case let .object(members):
            precondition(Set(members.map(\.key)).count == members.count, "JSONValue: duplicate key in object")
            writeList(members.map { member in { (o: inout String, i: Int?) in
                JSONValue.quote(member.key, into: &o)
                o += i == nil ? ":" : ": "
                member.value.write(to: &o, indent: i)
            } }, open: "{", close: "}", inline: indent == nil || members.isEmpty, indent: indent, to: &out)
        }
    }

    private func writeList(_ items: [(inout String, Int?) -> Void], open: String, close: String, inline: Bool,
                           indent: Int?, to out: inout String) {
        out += open
        if inline {
            for (k, item) in items.enumerated() {
                if k > 0 { out += indent == nil ? "," : ", " }
                item(&out, indent)
            }
        } else {
            let inner = (indent ?? 0) + 2
            for (k, item) in items.enumerated() {
                out += (k > 0 ? ",\n" : "\n") + String(repeating: " ", count: inner)
                item(&out, inner)
            }
            out += "\n" + String(repeating: " ", count: indent ?? 0)
        }
        out += close
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with the members in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements.map { Member($0.0, $0.1) }) }
}
