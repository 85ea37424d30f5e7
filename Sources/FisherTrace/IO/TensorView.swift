/// A read-only view of one array stored in a mapped file: its name, shape, element type, byte order and
/// raw memory. The view keeps the mapping alive.
///
/// For the kernels a tensor is an N×M matrix: N = the first dimension (the samples), M = the product of
/// the others (1 for a 1-D tensor). `matrix` exposes it without a copy when the kernels can read it as
/// stored; `withMatrix` converts it when they cannot (other byte order, misaligned, Fortran order).
public struct TensorView: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    public let elementType: ElementType
    public let byteOrder: ByteOrder
    /// Fortran (column-major) order, as `.npy` files may be; never for 3-D tensors.
    public let isColumnMajor: Bool
    /// The first element; nil for an empty tensor.
    public let baseAddress: UnsafeRawPointer?
    let owner: AnyObject

    init(name: String, shape: [Int], elementType: ElementType, byteOrder: ByteOrder, isColumnMajor: Bool,
         baseAddress: UnsafeRawPointer?, owner: AnyObject) {
        self.name = name
        self.shape = shape
        self.elementType = elementType
        self.byteOrder = byteOrder
        self.isColumnMajor = isColumnMajor && shape.count > 1
        self.baseAddress = baseAddress
        self.owner = owner
    }

    /// N, the first dimension (1 for a 0-D tensor).
    public var rows: Int { shape.first ?? 1 }
    /// The product of the dimensions after the first.
    public var columns: Int { shape.dropFirst().reduce(1, *) }
    public var elementCount: Int { shape.reduce(1, *) }
    public var byteCount: Int { elementCount * elementType.byteCount }

    /// Whether the kernels can read the stored bytes as they are: native byte order, aligned to the
    /// element size, row-major.
    public var isKernelReadable: Bool { storage.isDirect }

    /// The N×M matrix over the stored bytes, when `isKernelReadable`; nil otherwise. Valid while this
    /// view or its file is alive.
    public var matrix: MatrixView? { storage.isDirect ? storage.view(rows: 0..<rows) : nil }

    /// Calls `body` with the N×M matrix, converted into a temporary native, row-major copy only when the
    /// stored bytes are not kernel-readable.
    public func withMatrix<R>(_ body: (MatrixView) throws -> R) rethrows -> R { try withRows(0..<rows, body) }

    /// Every element as a Double, in C (row-major) order. For small tensors: allocates 8 bytes per element.
    public func doubles() -> [Double] { elementCount == 0 ? [] : doubles(rows: 0..<rows) }

    var storage: StoredMatrix {
        StoredMatrix(base: baseAddress, elementType: elementType, byteSwapped: byteOrder != .native,
                     rows: rows, columns: columns, isColumnMajor: isColumnMajor)
    }
}

extension MatrixView {
    /// Element (i, j) converted to Double (the view must be in native byte order).
    func value(_ i: Int, _ j: Int) -> Double {
        let p = element(i, j)!
        switch elementType {
        case .float32: return Double(p.load(as: Float.self))
        case .float64: return p.load(as: Double.self)
        case .float16: return Double(halfToFloat(p.load(as: UInt16.self)))
        case .bfloat16: return Double(Float(bitPattern: UInt32(p.load(as: UInt16.self)) << 16))
        }
    }
}

/// IEEE binary16 bits to Float, exactly (subnormals, infinities and NaN included).
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x03FF)
    switch exponent {
    case 0: return Float(bitPattern: sign) + (sign != 0 ? -1 : 1) * Float(mantissa) * 0x1p-24
    case 31: return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default: return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
    }
}
