internal import CFisherKernels

/// The Swift side of the C calls: every `fk_*` call of the library goes through here.
enum Kernels {
    enum Failure: Error {
        case nonFinite(row: Int), overflow(row: Int), unsupported, noMemory
    }

    /// One pass of `fk_moments_*` over `view`: per-row Σx and Σx² (overwritten, `view.rows` entries each)
    /// and per-column Σx and Σx² (accumulated into, `view.columns` entries each). Any output may be nil.
    static func moments(
        _ view: MatrixView, options: ComputeOptions,
        rowSums: UnsafeMutablePointer<Double>? = nil, rowSquares: UnsafeMutablePointer<Double>? = nil,
        columnSums: UnsafeMutablePointer<Double>? = nil, columnSquares: UnsafeMutablePointer<Double>? = nil
    ) throws(Failure) {
        var config = options.config
        var badRow = -1
        let n = view.rows, d = view.columns, ld = max(view.rowStride, 1)
        let status: fk_status = withUnsafeMutablePointer(to: &badRow) { bad in
            withUnsafePointer(to: &config) { cfg in
                let base = view.baseAddress
                switch view.elementType {
                case .float32:
                    return fk_moments_f32(n, d, base?.assumingMemoryBound(to: Float.self), ld,
                                          rowSums, rowSquares, columnSums, columnSquares, bad, cfg)
                case .float64:
                    return fk_moments_f64(n, d, base?.assumingMemoryBound(to: Double.self), ld,
                                          rowSums, rowSquares, columnSums, columnSquares, bad, cfg)
                case .float16:
                    return fk_moments_f16(n, d, base?.assumingMemoryBound(to: UInt16.self), ld,
                                          rowSums, rowSquares, columnSums, columnSquares, bad, cfg)
                case .bfloat16:
                    return fk_moments_bf16(n, d, base?.assumingMemoryBound(to: UInt16.self), ld,
                                           rowSums, rowSquares, columnSums, columnSquares, bad, cfg)
                }
            }
        }
        try check(status, badRow: badRow)
    }

    static func check(_ status: fk_status, badRow: Int = -1) throws(Failure) {
        switch status {
        case FK_OK: return
        case FK_NONFINITE: throw .nonFinite(row: badRow)
        case FK_OVERFLOW: throw .overflow(row: badRow)
        case FK_UNSUPPORTED: throw .unsupported
        case FK_NO_MEMORY: throw .noMemory
        default: preconditionFailure("fisher kernels rejected their arguments (status \(status.rawValue))")
        }
    }
}
