/// The element types the kernels read. Half-precision data is passed as raw 16-bit patterns.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable {
    case float32, float64
    /// IEEE 754 binary16.
    case float16
    /// bfloat16: the upper 16 bits of a binary32.
    case bfloat16

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float64: 8
        case .float32: 4
        case .float16, .bfloat16: 2
        }
    }
}

/// A read-only, row-major view of an N×D matrix in memory the caller owns: one row per sample, one column
/// per gradient coordinate. No data is copied.
///
/// Element (i, j) lives at `base + (i·rowStride + j)·elementType.byteCount`. `rowStride ≥ columns` lets a
/// view skip padding or select a column range of a wider matrix (`columns(_:)`), so a layer is a view.
///
/// The view does not keep its memory alive: use it inside the `withUnsafe…` closure that produced the
/// pointer, or over memory whose lifetime you manage (a memory-mapped file).
public struct MatrixView: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// Elements between the starts of consecutive rows.
    public let rowStride: Int
    public let elementType: ElementType
    /// First element; nil only for an empty view.
    public let baseAddress: UnsafeRawPointer?

    /// A view over raw memory. Preconditions: non-negative sizes, `rowStride ≥ columns` when there is more
    /// than one row, and a non-nil base for a non-empty view.
    public init(baseAddress: UnsafeRawPointer?, elementType: ElementType, rows: Int, columns: Int, rowStride: Int? = nil) {
        let stride = rowStride ?? columns
        precondition(rows >= 0 && columns >= 0, "MatrixView: negative size \(rows)×\(columns)")
        precondition(rows <= 1 || stride >= columns, "MatrixView: row stride \(stride) < columns \(columns)")
        precondition(rows == 0 || columns == 0 || baseAddress != nil, "MatrixView: nil base for a non-empty view")
        self.baseAddress = baseAddress
        self.elementType = elementType
        self.rows = rows
        self.columns = columns
        self.rowStride = stride
    }

    /// A view over a buffer of `Float`. Precondition: the buffer holds every element the view covers.
    public init(_ buffer: UnsafeBufferPointer<Float>, rows: Int, columns: Int, rowStride: Int? = nil) {
        Self.checkExtent(buffer.count, rows: rows, columns: columns, rowStride: rowStride ?? columns)
        self.init(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: .float32,
                  rows: rows, columns: columns, rowStride: rowStride)
    }

    /// A view over a buffer of `Double`. Precondition: the buffer holds every element the view covers.
    public init(_ buffer: UnsafeBufferPointer<Double>, rows: Int, columns: Int, rowStride: Int? = nil) {
        Self.checkExtent(buffer.count, rows: rows, columns: columns, rowStride: rowStride ?? columns)
        self.init(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: .float64,
                  rows: rows, columns: columns, rowStride: rowStride)
    }

    /// A view over 16-bit patterns interpreted as `elementType` (`.float16` or `.bfloat16`).
    public init(bits buffer: UnsafeBufferPointer<UInt16>, elementType: ElementType, rows: Int, columns: Int,
                rowStride: Int? = nil) {
        precondition(elementType.byteCount == 2, "MatrixView(bits:): \(elementType) is not a 16-bit type")
        Self.checkExtent(buffer.count, rows: rows, columns: columns, rowStride: rowStride ?? columns)
        self.init(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: elementType,
                  rows: rows, columns: columns, rowStride: rowStride)
    }

    /// The rows in `range`, sharing memory.
    public func rows(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "MatrixView: rows \(range) out of 0..<\(rows)")
        return MatrixView(baseAddress: range.isEmpty ? baseAddress : element(range.lowerBound, 0),
                          elementType: elementType, rows: range.count, columns: columns, rowStride: rowStride)
    }

    /// The columns in `range` (a layer), sharing memory.
    public func columns(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns,
                     "MatrixView: columns \(range) out of 0..<\(columns)")
        return MatrixView(baseAddress: rows == 0 ? baseAddress : element(0, range.lowerBound),
                          elementType: elementType, rows: rows, columns: range.count, rowStride: rowStride)
    }

    func element(_ row: Int, _ column: Int) -> UnsafeRawPointer? {
        baseAddress.map { $0 + (row * rowStride + column) * elementType.byteCount }
    }

    private static func checkExtent(_ count: Int, rows: Int, columns: Int, rowStride: Int) {
        let needed = rows == 0 || columns == 0 ? 0 : (rows - 1) * rowStride + columns
        precondition(count >= needed, "MatrixView: buffer of \(count) elements, view needs \(needed)")
    }
}
