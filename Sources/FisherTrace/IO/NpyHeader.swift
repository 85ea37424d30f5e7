/// The header of a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0), validated against the file's size.
///
/// Layout: the magic `\x93NUMPY`, major and minor version bytes, the header length (2 bytes little-endian
/// in 1.0, 4 bytes in 2.0 and 3.0), then a Python dict literal with exactly the keys `descr`,
/// `fortran_order` and `shape` (Latin-1 text in 1.0/2.0, UTF-8 in 3.0), then the data.
///
/// Accepted `descr`: `<f4 >f4 <f8 >f8 <f2 >f2` (float32/64/16 in either byte order) and bfloat16, which
/// NumPy cannot name: `ml_dtypes.bfloat16` arrays (what JAX produces) are saved as a raw 2-byte void
/// field, `<V2` or `|V2`. The rule: a 2-byte void field is read as little-endian bfloat16 (`>V2` as
/// big-endian bfloat16), and the descriptor `'bfloat16'` is accepted as the same thing. Integer, bool,
/// complex, object, string, structured and other void dtypes are rejected. Shapes have 1 to 3
/// dimensions; 3-dimensional arrays must be in C order.
public struct NpyHeader: Sendable, Hashable {
    public let majorVersion: Int
    public let minorVersion: Int
    /// The `descr` string as written.
    public let descriptor: String
    public let elementType: ElementType
    public let byteOrder: ByteOrder
    public let fortranOrder: Bool
    public let shape: [Int]
    /// Bytes before the data.
    public let dataOffset: Int
    /// Bytes of data: the product of the shape times the element size.
    public let dataByteCount: Int

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    static let descriptors: [(String, ElementType, ByteOrder)] = [
        ("<f4", .float32, .little), (">f4", .float32, .big), ("<f8", .float64, .little), (">f8", .float64, .big),
        ("<f2", .float16, .little), (">f2", .float16, .big),
        ("<V2", .bfloat16, .little), ("|V2", .bfloat16, .little), (">V2", .bfloat16, .big), ("bfloat16", .bfloat16, .little),
    ]
    static let expectedDescriptors = "one of '<f4', '>f4', '<f8', '>f8', '<f2', '>f2', bfloat16 as '<V2' or '|V2' or '>V2' or 'bfloat16'"

    /// Parses and validates the header at the start of `file`, the whole file's bytes.
    /// - Parameter name: the path, for error messages.
    public init(parsing file: UnsafeRawBufferPointer, name: String) throws(FileError) {
        guard file.count >= 10, file.prefix(6).elementsEqual(Self.magic) else {
            throw FileError(.notFormat, file: name, "not a NumPy .npy file (starts with \(quoted(bytes: file.prefix(8), limit: 8)), expected the magic '\\x93NUMPY')")
        }
        majorVersion = Int(file[6])
        minorVersion = Int(file[7])
        guard (1...3).contains(majorVersion), minorVersion == 0 else {
            throw .field(name, "format version", is: "\(majorVersion).\(minorVersion)", expected: "1.0, 2.0 or 3.0")
        }
        let lengthBytes = majorVersion == 1 ? 2 : 4
        guard file.count >= 8 + lengthBytes else {
            throw FileError(.truncated, file: name, "the file ends inside the header length (\(file.count) bytes)")
        }
        var headerLength = 0
        for k in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(file[8 + k]) }
        dataOffset = 8 + lengthBytes + headerLength
        guard dataOffset <= file.count else {
            throw FileError(.truncated, file: name, "header length \(headerLength) runs past the end of the file (\(file.count) bytes)")
        }
        let text = Array(file[(8 + lengthBytes)..<dataOffset])
        if majorVersion == 3, String(validating: text, as: UTF8.self) == nil {
            throw .field(name, "header", is: "not valid UTF-8", expected: "UTF-8 text in format 3.0")
        }
        var parser = PythonLiteralParser(text, utf8: majorVersion == 3)
        let literal: PythonLiteral
        do {
            literal = try parser.parseAll()
        } catch {
            throw .field(name, "header", is: "not a Python literal: \(error.reason)", expected: "a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }")
        }
        let fields = try Self.fields(of: literal, name: name)
        (descriptor, elementType, byteOrder) = try Self.dtype(fields["descr"]!, name: name)
        guard case let .bool(fortran) = fields["fortran_order"]! else {
            throw .field(name, "header field 'fortran_order'", is: printable(fields["fortran_order"]!.source), expected: "True or False")
        }
        fortranOrder = fortran
        shape = try Self.shape(fields["shape"]!, name: name)
        if fortranOrder && shape.count == 3 {
            throw .field(name, "header field 'fortran_order'", is: "True for a 3-dimensional array", expected: "False (C order) for 3-D arrays")
        }
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw .field(name, "header field 'shape'", is: printable(fields["shape"]!.source), expected: "a size that fits in memory") }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementType.byteCount)
        guard !overflow else { throw .field(name, "header field 'shape'", is: printable(fields["shape"]!.source), expected: "a size that fits in memory") }
        dataByteCount = bytes
        // Trailing bytes after the data are ignored, as numpy.load does.
        guard file.count - dataOffset >= dataByteCount else {
            throw FileError(.truncated, file: name, "data is truncated: shape \(fields["shape"]!.source) of \(descriptor) needs \(dataByteCount) bytes after the \(dataOffset)-byte header, the file has \(file.count - dataOffset) (expected a file of \(dataOffset + dataByteCount) bytes)")
        }
    }

    private static func fields(of literal: PythonLiteral, name: String) throws(FileError) -> [String: PythonLiteral] {
        let expected = "exactly the keys 'descr', 'fortran_order', 'shape'"
        guard case let .dict(pairs) = literal else {
            throw .field(name, "header", is: printable(literal.source), expected: "a dict with \(expected)")
        }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in pairs {
            guard case let .string(k) = key, ["descr", "fortran_order", "shape"].contains(k) else {
                throw .field(name, "header key \(printable(key.source))", is: "not allowed", expected: expected)
            }
            guard fields[k] == nil else { throw .field(name, "header key '\(k)'", is: "repeated", expected: expected) }
            fields[k] = value
        }
        for k in ["descr", "fortran_order", "shape"] where fields[k] == nil {
            throw .field(name, "header key '\(k)'", is: "missing", expected: expected)
        }
        return fields
    }

    private static func dtype(_ literal: PythonLiteral, name: String) throws(FileError) -> (String, ElementType, ByteOrder) {
        guard case let .string(descr) = literal else {
            let what = if case .list = literal { "a structured dtype \(printable(literal.source))" } else { quoted(literal.source) }
            throw .field(name, "header field 'descr'", is: what, expected: expectedDescriptors)
        }
        guard let match = descriptors.first(where: { $0.0 == descr }) else {
            throw .field(name, "header field 'descr'", is: quoted(descr) + kindHint(descr), expected: expectedDescriptors)
        }
        return match
    }

    /// A word on what a rejected descriptor is, from its NumPy kind character.
    private static func kindHint(_ descr: String) -> String {
        let body = descr.drop { "<>|=".contains($0) }
        switch body.first {
        case "i", "u": return " (integers)"
        case "b": return " (booleans)"
        case "c": return " (complex)"
        case "O": return " (Python objects)"
        case "S", "U", "a": return " (strings)"
        case "V": return " (raw bytes other than 2-byte bfloat16)"
        case "M", "m": return " (dates or times)"
        case "f": return " (a float width other than 2, 4, 8)"
        default: return ""
        }
    }

    private static func shape(_ literal: PythonLiteral, name: String) throws(FileError) -> [Int] {
        let expected = "a tuple of 1 to 3 non-negative integers"
        guard case let .tuple(items) = literal, (1...3).contains(items.count) else {
            throw .field(name, "header field 'shape'", is: printable(literal.source), expected: expected)
        }
        var shape: [Int] = []
        for item in items {
            guard case let .integer(_, value?) = item, value >= 0 else {
                throw .field(name, "header field 'shape'", is: printable(literal.source), expected: expected)
            }
            shape.append(value)
        }
        return shape
    }
}

/// The order of bytes within one stored element.
public enum ByteOrder: String, Sendable, Hashable, Codable {
    case little, big
    /// This machine's order.
    public static var native: ByteOrder { 1.littleEndian == 1 ? .little : .big }
}
