/// A file that cannot be read as a data set: unreadable, of another format, a malformed or unsupported
/// header, truncated data, shards that do not fit together, a missing tensor, a bad log line.
///
/// `description` is one line: the file, the field, what was found and what was expected, e.g.
/// `grads.npy: header field 'descr' is '<i1' (expected one of '<f4', '>f4', …)`.
public struct FileError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The path cannot be opened or mapped (missing, a directory, no permission).
        case unreadable
        /// The bytes are not of the expected format at all.
        case notFormat
        /// A header field is malformed or holds a value the reader does not accept.
        case invalidHeader
        /// The file holds fewer bytes than its header promises.
        case truncated
        /// Shards of one data set disagree (columns, dtype, layers).
        case mismatch
        /// A requested tensor or column is absent.
        case missing
        /// A value in a text file (the training log) is malformed.
        case invalidValue
    }

    /// The path as the caller gave it.
    public let file: String
    public let kind: Kind
    /// Everything after `file: `.
    public let message: String

    public var description: String { "\(file): \(message)" }

    init(_ kind: Kind, file: String, _ message: String) {
        self.kind = kind
        self.file = file
        self.message = message
    }

    static func unreadable(_ file: String, _ reason: String) -> FileError {
        FileError(.unreadable, file: file, "cannot be read (\(reason))")
    }

    /// `<field> is <found> (expected <expected>)`.
    static func field(_ file: String, _ field: String, is found: String, expected: String,
                      kind: Kind = .invalidHeader) -> FileError {
        FileError(kind, file: file, "\(field) is \(found) (expected \(expected))")
    }
}

/// Bad numbers inside well-formed data: a NaN or an infinity, or float64 values whose squares overflow.
/// `row` counts from the first row of `file`.
public struct DataError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case nonFinite, overflow }

    public let file: String
    public let row: Int
    /// The tensor (layer) holding the value, for files with several.
    public let tensor: String?
    public let kind: Kind

    public var description: String {
        let place = "row \(row)" + (tensor.map { " of tensor '\($0)'" } ?? "")
        switch kind {
        case .nonFinite: return "\(file): \(place) holds a NaN or infinite value (expected finite gradients)"
        case .overflow: return "\(file): \(place) overflows double precision when squared (expected |values| < 1e154)"
        }
    }
}

/// A value from a file in single quotes for an error message; see `printable`.
func quoted(_ text: some StringProtocol, limit: Int = 60) -> String { "'" + printable(text, limit: limit) + "'" }

/// Text from a file made safe for a one-line message: control and non-ASCII characters escaped
/// (\xNN, \u{N}), cut at `limit` characters with an ellipsis, whatever the file holds.
func printable(_ text: some StringProtocol, limit: Int = 60) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
        if count >= limit {
            out += "…"
            break
        }
        count += 1
        switch scalar.value {
        case 0x20..<0x7F: out.unicodeScalars.append(scalar)
        default: out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, digits: 2) : "\\u{" + hex(scalar.value, digits: 1) + "}"
        }
    }
    return out
}

/// Raw bytes quoted like `quoted`, each byte outside printable ASCII as \xNN, an ellipsis when cut.
func quoted(bytes: some Collection<UInt8>, limit: Int = 16) -> String {
    let text = quoted(String(bytes.prefix(limit).map { Character(Unicode.Scalar($0)) }))
    return bytes.count > limit ? text.dropLast() + "…'" : text
}

func hex(_ value: UInt32, digits: Int) -> String {
    let s = String(value, radix: 16, uppercase: false)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}
