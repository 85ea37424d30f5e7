/// The Gram matrix of the samples' gradients: K = G Gᵀ, K_ij = ⟨gᵢ, gⱼ⟩, an N×N symmetric matrix.
///
/// tr K = Σᵢ ‖gᵢ‖² = N·tr(I_F), and K shares its non-zero eigenvalues with N·F: its spectrum shows how
/// redundant the samples are (a few dominant eigenvalues: many samples push the same way). Columns may
/// arrive in blocks (layers) with the same rows: K = Σ_blocks G_b G_bᵀ.
///
/// Units: squared gradient units (not normalized). Cost: N·(N+1)·D flops and N² doubles; only the
/// triangle on and above the diagonal is computed (`fk_gram_f32` / `fk_gram_f64`, register-blocked dot
/// products, threads over output tiles).
///
/// Accuracy: float32 products are summed in float32 over blocks of 1024 columns (64 per SIMD lane) and
/// in double across blocks; measured relative error against float64 ≲ 1e-7. The same input gives the
/// same bits for any thread count.
///
/// Errors: a NaN or ±Inf in row i throws `FisherError.nonFinite(row: i)`, float32 values above ~1e19
/// `.overflow`; the matrix is then invalidated.
public struct GramMatrix: Sendable {
    /// N, the samples (rows of every block).
    public let samples: Int
    /// The gradient coordinates added so far (Σ of the blocks' widths).
    public private(set) var dimension = 0
    /// How the kernels run; not part of the state.
    public var options: ComputeOptions
    /// K on and above the diagonal (row-major N×N).
    var sums: [Double]
    var failure: String?

    /// An empty (all-zero) Gram matrix of N samples.
    public init(samples: Int, options: ComputeOptions = ComputeOptions()) {
        precondition(samples >= 0, "GramMatrix: negative sample count \(samples)")
        self.samples = samples
        self.options = options
        sums = Array(repeating: 0, count: samples * samples)
    }

    /// The Gram matrix of the rows of `gradients`.
    public init(_ gradients: MatrixView, options: ComputeOptions = ComputeOptions()) throws(FisherError) {
        self.init(samples: gradients.rows, options: options)
        try update(gradients)
    }

    /// Adds G_b G_bᵀ for a block of columns of the same N samples. Precondition: N rows, float32 or
    /// float64 elements.
    public mutating func update(_ columns: MatrixView) throws(FisherError) {
        if let failure { throw FisherError.invalidated(by: failure) }
        precondition(columns.rows == samples, "GramMatrix.update: \(columns.rows) rows, expected \(samples)")
        let n = samples, options = options
        do {
            try sums.withUnsafeMutableBufferPointer { buffer throws(Kernels.Failure) in
                guard let base = buffer.baseAddress else { return }
                try Kernels.gram(columns, into: base, ld: max(n, 1), options: options)
            }
        } catch {
            let mapped = error.fisherError(variant: options.variant)
            failure = mapped.description
            throw mapped
        }
        dimension += columns.columns
    }

    /// K_ij = ⟨gᵢ, gⱼ⟩. Precondition: indices in 0..<N.
    public subscript(i: Int, j: Int) -> Double {
        precondition((0..<samples).contains(i) && (0..<samples).contains(j),
                     "GramMatrix: index (\(i), \(j)) out of 0..<\(samples)")
        return UpperTriangle.element(sums, side: samples, i, j)
    }

    /// K as a row-major N×N array (both triangles).
    public var elements: [Double] { UpperTriangle.mirrored(sums, side: samples) }

    /// tr K = Σᵢ ‖gᵢ‖².
    public var trace: Double { UpperTriangle.diagonalSum(sums, side: samples) }

    /// tr K / N = tr(I_F), the empirical Fisher trace. Precondition: N > 0.
    public var fisherTrace: Double {
        precondition(samples > 0, "GramMatrix: no samples")
        return trace / Double(samples)
    }
}
