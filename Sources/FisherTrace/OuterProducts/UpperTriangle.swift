/// Symmetric matrices kept as the triangle on and above the diagonal of a row-major side×side array, as
/// the SYRK, Gram and K-FAC kernels write them (`FK_FILL_UPPER`).
enum UpperTriangle {
    /// Entry (i, j), read from the stored triangle.
    static func element(_ upper: [Double], side: Int, _ i: Int, _ j: Int) -> Double {
        upper[min(i, j) * side + max(i, j)]
    }

    /// The full matrix, both triangles, every entry divided by `divisor`.
    static func mirrored(_ upper: [Double], side: Int, dividedBy divisor: Double = 1) -> [Double] {
        var out = [Double](repeating: 0, count: side * side)
        for i in 0..<side {
            for j in i..<side {
                let v = upper[i * side + j] / divisor
                out[i * side + j] = v
                out[j * side + i] = v
            }
        }
        return out
    }

    /// Σᵢ of the diagonal, correctly rounded from an exact sum.
    static func diagonalSum(_ upper: [Double], side: Int) -> Double {
        var exact = ExactSum()
        for i in 0..<side { exact.add(upper[i * side + i]) }
        return exact.value
    }
}
