/// The header of a Hugging Face `.safetensors` file, validated against the file's size.
///
/// Layout: an 8-byte little-endian header length H, H bytes of JSON (an object mapping tensor names to
/// `{"dtype", "shape", "data_offsets": [begin, end]}`, plus an optional `"__metadata__"` object), then
/// the data buffer; offsets are relative to the buffer. Checked here: H within 2…100,000,000 and the
/// file, strict JSON (UTF-8, no repeated keys), dtypes `F32 F64 F16 BF16`, shapes of non-negative
/// integers, each tensor's byte count equal to its element count times its element size, and the
/// tensors covering the buffer exactly: sorted by offset, no overlap, no gap, nothing after the last.
/// All data is little-endian.
public struct SafetensorsHeader: Sendable, Hashable {
    /// One tensor's entry.
    public struct Entry: Sendable, Hashable {
        public let name: String
        /// The dtype as written (`F32`, `F64`, `F16`, `BF16`).
        public let dtype: String
        public let elementType: ElementType
        public let shape: [Int]
        /// Byte range within the data buffer.
        public let dataOffsets: Range<Int>
    }

    /// The tensors in file order (by offset).
    public let tensors: [Entry]
    /// The `__metadata__` entries whose values are strings.
    public let metadata: [String: String]
    /// Bytes before the data buffer: 8 + H.
    public let dataOffset: Int

    static let maximumHeaderLength = 100_000_000
    static let dtypes: [String: ElementType] = ["F32": .float32, "F64": .float64, "F16": .float16, "BF16": .bfloat16]
    static let expectedDtypes = "one of 'F32', 'F64', 'F16', 'BF16'"

    /// Parses and validates the header at the start of `file`, the whole file's bytes.
    /// - Parameter name: the path, for error messages.
    public init(parsing file: UnsafeRawBufferPointer, name: String) throws(FileError) {
        guard file.count >= 8 else {
            throw FileError(.notFormat, file: name, "not a safetensors file (\(file.count) bytes, expected an 8-byte header length and a JSON header)")
        }
        var length: UInt64 = 0
        for k in (0..<8).reversed() { length = length << 8 | UInt64(file[k]) }
        guard length <= UInt64(file.count - 8) else {
            throw FileError(.notFormat, file: name, "not a safetensors file (its first 8 bytes give a header length of \(length), but only \(file.count - 8) bytes follow)")
        }
        let headerLength = Int(length)
        guard headerLength >= 2, file[8] == UInt8(ascii: "{") else {
            throw FileError(.notFormat, file: name, "not a safetensors file (the header starts with \(quoted(bytes: file[8..<min(file.count, 8 + max(headerLength, 1))], limit: 8)), expected a JSON object '{…}')")
        }
        guard headerLength <= Self.maximumHeaderLength else {
            throw .field(name, "header length", is: "\(headerLength) bytes", expected: "at most \(Self.maximumHeaderLength)")
        }
        dataOffset = 8 + headerLength
        var parser = JSONParser(UnsafeRawBufferPointer(rebasing: file[8..<dataOffset]))
        let document: JSONValue
        do {
            document = try parser.parseDocument()
        } catch {
            throw .field(name, "header", is: "not valid JSON: \(error.reason) at byte \(8 + error.offset)", expected: "a JSON object of tensor entries")
        }
        guard case let .object(pairs) = document else { throw .field(name, "header", is: "not a JSON object", expected: "a JSON object of tensor entries") }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (key, value) in pairs {
            if key == "__metadata__" {
                guard case let .object(items) = value else {
                    throw .field(name, "header field '__metadata__'", is: printable(value.text), expected: "an object of strings")
                }
                for case let (k, .string(v)) in items { metadata[k] = v }
            } else {
                entries.append(try Self.entry(key, value, file: name))
            }
        }
        self.metadata = metadata
        tensors = entries.sorted { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        try Self.checkCoverage(tensors, bufferLength: file.count - dataOffset, file: name)
    }

    private static func entry(_ name: String, _ value: JSONValue, file: String) throws(FileError) -> Entry {
        let tensor = "tensor \(quoted(name))"
        guard case let .object(fields) = value else {
            throw .field(file, "\(tensor) entry", is: printable(value.text), expected: "an object with 'dtype', 'shape', 'data_offsets'")
        }
        func field(_ key: String) throws(FileError) -> JSONValue {
            guard let v = fields.first(where: { $0.key == key })?.value else {
                throw .field(file, "\(tensor) field '\(key)'", is: "missing", expected: "'dtype', 'shape' and 'data_offsets'")
            }
            return v
        }
        let dtypeValue = try field("dtype")
        guard case let .string(dtype) = dtypeValue, let elementType = dtypes[dtype] else {
            throw .field(file, "\(tensor) field 'dtype'", is: printable(dtypeValue.text), expected: expectedDtypes)
        }
        let shapeValue = try field("shape")
        guard case let .array(extents) = shapeValue else {
            throw .field(file, "\(tensor) field 'shape'", is: printable(shapeValue.text), expected: "an array of non-negative integers")
        }
        var shape: [Int] = []
        var count = 1
        for extent in extents {
            guard let n = extent.nonNegativeInteger else {
                throw .field(file, "\(tensor) field 'shape'", is: printable(shapeValue.text), expected: "an array of non-negative integers")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow else { throw .field(file, "\(tensor) field 'shape'", is: printable(shapeValue.text), expected: "a size that fits in memory") }
            shape.append(n)
            count = product
        }
        let offsetsValue = try field("data_offsets")
        guard case let .array(offsets) = offsetsValue, offsets.count == 2,
              let begin = offsets[0].nonNegativeInteger, let end = offsets[1].nonNegativeInteger, begin <= end else {
            throw .field(file, "\(tensor) field 'data_offsets'", is: printable(offsetsValue.text), expected: "[begin, end] with 0 ≤ begin ≤ end")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementType.byteCount)
        guard !overflow, end - begin == bytes else {
            throw .field(file, "\(tensor) field 'data_offsets'", is: "[\(begin), \(end)]",
                         expected: "\(overflow ? "a size that fits in memory" : "\(bytes) bytes for shape \(shapeValue.text) of \(dtype)")")
        }
        return Entry(name: name, dtype: dtype, elementType: elementType, shape: shape, dataOffsets: begin..<end)
    }

    /// The tensors, sorted by offset, must tile 0..<bufferLength.
    private static func checkCoverage(_ tensors: [Entry], bufferLength: Int, file: String) throws(FileError) {
        var next = 0
        var previous: Entry?
        for entry in tensors {
            let range = entry.dataOffsets
            if range.lowerBound < next, let previous {
                throw .field(file, "tensor \(quoted(entry.name)) field 'data_offsets'", is: "[\(range.lowerBound), \(range.upperBound)]",
                             expected: "no overlap with tensor \(quoted(previous.name)) at [\(previous.dataOffsets.lowerBound), \(previous.dataOffsets.upperBound)]")
            }
            if range.lowerBound > next {
                throw .field(file, "tensor \(quoted(entry.name)) field 'data_offsets'", is: "[\(range.lowerBound), \(range.upperBound)]",
                             expected: "to start at \(next): bytes \(next)..<\(range.lowerBound) of the data belong to no tensor")
            }
            if range.upperBound > bufferLength {
                throw FileError(.truncated, file: file, "data is truncated: tensor \(quoted(entry.name)) field 'data_offsets' is [\(range.lowerBound), \(range.upperBound)], the data buffer has \(bufferLength) bytes")
            }
            next = range.upperBound
            previous = entry
        }
        if next < bufferLength {
            throw FileError(.invalidHeader, file: file, "bytes \(next)..<\(bufferLength) of the data belong to no tensor (expected the tensors to cover the data buffer exactly)")
        }
    }
}
