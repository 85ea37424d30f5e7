extension TensorView {
    /// Calls `body` with rows `range` (samples) as a native, row-major N×M matrix: the stored bytes when the
    /// kernels can read them, else a converted copy of just those rows (same element type), valid only
    /// during the call.
    public func withRows<R>(_ range: Range<Int>, _ body: (MatrixView) throws -> R) rethrows -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "TensorView.withRows: \(range) out of 0..<\(rows)")
        return try withExtendedLifetime(owner) {
            if storage.isDirect { return try body(storage.view(rows: range)) }
            return try ChunkBuffer.withMaterialized(storage, rows: range, body)
        }
    }

    /// Rows `range` as doubles in C (row-major) order: exact for every element type. For kernels that
    /// read only float32 and float64 (the ghost norms) when the stored data is half precision or
    /// byte-swapped.
    public func doubles(rows range: Range<Int>) -> [Double] {
        withRows(range) { view in
            var out: [Double] = []
            out.reserveCapacity(view.rows * view.columns)
            for i in 0..<view.rows {
                for j in 0..<view.columns { out.append(view.value(i, j)) }
            }
            return out
        }
    }
}
