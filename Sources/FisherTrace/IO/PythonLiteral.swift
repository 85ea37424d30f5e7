/// The subset of Python literal syntax that NumPy writes in a .npy header: a dict of strings, booleans,
/// None, integers and tuples/lists of them, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case none
    /// The digits as written; `value` is nil when they do not fit an Int.
    case integer(text: String, value: Int?)
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool { a.source == b.source }

    /// The literal written back in Python syntax, for error messages.
    var source: String {
        switch self {
        case let .string(s): return "'" + s + "'"
        case let .bool(b): return b ? "True" : "False"
        case .none: return "None"
        case let .integer(text, _): return text
        case let .tuple(items): return "(" + items.map(\.source).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case let .list(items): return "[" + items.map(\.source).joined(separator: ", ") + "]"
        case let .dict(pairs): return "{" + pairs.map { $0.key.source + ": " + $0.value.source }.joined(separator: ", ") + "}"
        }
    }
}

/// A recursive-descent parser over the header bytes. Strings decode as UTF-8 (format 3.0) or Latin-1
/// (formats 1.0 and 2.0). Nesting is limited so that hostile input cannot exhaust the stack.
struct PythonLiteralParser {
    struct Failure: Error { let reason: String }

    private let bytes: [UInt8]
    private let utf8: Bool
    private var index = 0
    private static let maximumDepth = 16

    init(_ bytes: [UInt8], utf8: Bool) {
        self.bytes = bytes
        self.utf8 = utf8
    }

    /// Parses one literal followed only by whitespace.
    mutating func parseAll() throws(Failure) -> PythonLiteral {
        let value = try parseValue(depth: 0)
        skipSpace()
        guard index == bytes.count else { throw Failure(reason: "unexpected \(describeHere()) after the literal") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> PythonLiteral {
        guard depth < Self.maximumDepth else { throw Failure(reason: "nesting deeper than \(Self.maximumDepth)") }
        skipSpace()
        guard index < bytes.count else { throw Failure(reason: "the header ends inside a value") }
        switch bytes[index] {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "("):
            index += 1
            let (items, trailingComma) = try parseItems(until: UInt8(ascii: ")"), depth: depth)
            // `(x)` is x in parentheses, `(x,)` a 1-tuple.
            return items.count == 1 && !trailingComma ? items[0] : .tuple(items)
        case UInt8(ascii: "["):
            index += 1
            return .list(try parseItems(until: UInt8(ascii: "]"), depth: depth).items)
        case UInt8(ascii: "{"):
            index += 1
            return try parseDict(depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseInteger()
        default:
            let word = parseWord()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default: throw Failure(reason: "unexpected \(word.isEmpty ? describeHere() : quoted(word))")
            }
        }
    }

    private mutating func parseItems(until close: UInt8, depth: Int) throws(Failure) -> (items: [PythonLiteral], trailingComma: Bool) {
        var items: [PythonLiteral] = []
        var trailingComma = false
        while true {
            skipSpace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                return (items, trailingComma)
            }
            if !items.isEmpty && !trailingComma { throw Failure(reason: "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describeHere())") }
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            trailingComma = index < bytes.count && bytes[index] == UInt8(ascii: ",")
            if trailingComma { index += 1 }
        }
    }

    private mutating func parseDict(depth: Int) throws(Failure) -> PythonLiteral {
        var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
        var separated = true
        while true {
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .dict(pairs)
            }
            guard separated else { throw Failure(reason: "expected ',' or '}', found \(describeHere())") }
            let key = try parseValue(depth: depth + 1)
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure(reason: "expected ':' after key \(key.source), found \(describeHere())") }
            index += 1
            let value = try parseValue(depth: depth + 1)
            pairs.append((key, value))
            skipSpace()
            separated = index < bytes.count && bytes[index] == UInt8(ascii: ",")
            if separated { index += 1 }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let quote = bytes[index]
        index += 1
        var raw: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            if b == quote { return decode(raw) }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\") {
                guard index < bytes.count else { break }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): raw.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): raw.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): raw.append(escaped)
                default: raw += [UInt8(ascii: "\\"), escaped]
                }
            } else {
                raw.append(b)
            }
        }
        throw Failure(reason: "a string is not closed")
    }

    private mutating func parseInteger() throws(Failure) -> PythonLiteral {
        let start = index
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw Failure(reason: "a sign without digits") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // Python 2 headers wrote long integers with an L suffix: (3L, 4L).
        if index < bytes.count, bytes[index] == UInt8(ascii: "L") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            throw Failure(reason: "a non-integer number at \(quoted(text))")
        }
        return .integer(text: text, value: Int(text))
    }

    private mutating func parseWord() -> String {
        let start = index
        while index < bytes.count, bytes[index] < 0x80,
              Character(Unicode.Scalar(bytes[index])).isLetter || Character(Unicode.Scalar(bytes[index])).isNumber || bytes[index] == UInt8(ascii: "_") {
            index += 1
        }
        return decode(Array(bytes[start..<index]))
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 || bytes[index] == 0x0D {
            index += 1
        }
    }

    private func describeHere() -> String {
        index < bytes.count ? quoted(decode(Array(bytes[index..<min(bytes.count, index + 12)]))) : "the end of the header"
    }

    private func decode(_ raw: [UInt8]) -> String {
        utf8 ? String(decoding: raw, as: UTF8.self) : String(raw.map { Character(Unicode.Scalar($0)) })
    }
}
