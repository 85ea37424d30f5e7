import FisherTrace

/// Seeded test matrices whose values are exactly representable in the element type under test, with a
/// float64 copy of the same values for references.
struct TestMatrix {
    let rows: Int
    let columns: Int
    let rowStride: Int
    let type: ElementType
    /// The stored elements (row stride included), as the type's raw storage.
    var float32: [Float] = []
    var float64: [Double] = []
    var bits: [UInt16] = []
    /// The same values in double (row stride included), NaN-free unless injected.
    var values: [Double]

    init(rows: Int, columns: Int, rowStride: Int? = nil, type: ElementType = .float32, seed: UInt64,
         scale: Double = 1, offset: Double = 0) {
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride ?? columns
        self.type = type
        var generator = SeededGenerator(seed: seed)
        let count = rows == 0 ? 0 : (rows - 1) * self.rowStride + columns
        values = (0..<count).map { _ in offset + scale * generator.nextGaussian() }
        for i in values.indices { store(i, values[i]) }
    }

    /// Stores v at flat index i, rounding it to the element type and keeping the rounded value in `values`.
    mutating func set(_ i: Int, _ v: Double) { store(i, v) }

    private mutating func store(_ i: Int, _ v: Double) {
        switch type {
        case .float32:
            if float32.count <= i { float32 = Array(repeating: 0, count: values.count) }
            float32[i] = Float(v)
            values[i] = Double(float32[i])
        case .float64:
            if float64.count <= i { float64 = Array(repeating: 0, count: values.count) }
            float64[i] = v
            values[i] = v
        case .float16:
            if bits.count <= i { bits = Array(repeating: 0, count: values.count) }
            let h = Float16(Float(v))
            bits[i] = h.bitPattern
            values[i] = Double(Float(h))
        case .bfloat16:
            if bits.count <= i { bits = Array(repeating: 0, count: values.count) }
            let b = UInt16(truncatingIfNeeded: Float(v).bitPattern >> 16)  // truncation: still an exact bf16
            bits[i] = b
            values[i] = Double(Float(bitPattern: UInt32(b) << 16))
        }
    }

    func value(_ i: Int, _ j: Int) -> Double { values[i * rowStride + j] }

    /// Calls body with a view of the stored matrix.
    func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
        switch type {
        case .float32: try float32.withUnsafeBufferPointer { try body(MatrixView($0, rows: rows, columns: columns, rowStride: rowStride)) }
        case .float64: try float64.withUnsafeBufferPointer { try body(MatrixView($0, rows: rows, columns: columns, rowStride: rowStride)) }
        case .float16, .bfloat16:
            try bits.withUnsafeBufferPointer {
                try body(MatrixView(bits: $0, elementType: type, rows: rows, columns: columns, rowStride: rowStride))
            }
        }
    }

    /// Float64 references computed by the plainest loops.
    var reference: (rowSums: [Double], rowSquares: [Double], columnSums: [Double], columnSquares: [Double], absoluteRowSums: [Double], absoluteColumnSums: [Double]) {
        var rs = [Double](repeating: 0, count: rows), rq = rs, ra = rs
        var cs = [Double](repeating: 0, count: columns), cq = cs, ca = cs
        for i in 0..<rows {
            for j in 0..<columns {
                let v = value(i, j)
                rs[i] += v; rq[i] += v * v; ra[i] += abs(v)
                cs[j] += v; cq[j] += v * v; ca[j] += abs(v)
            }
        }
        return (rs, rq, cs, cq, ra, ca)
    }
}

/// |a − b| ≤ tolerance·scale, with scale the magnitude the rounding error is relative to.
func close(_ a: Double, _ b: Double, tolerance: Double, scale: Double? = nil) -> Bool {
    abs(a - b) <= tolerance * max(scale ?? max(abs(a), abs(b)), Double.leastNormalMagnitude)
}

func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
