/// The Fisher information block of a set of gradient coordinates: F = (1/N) Σᵢ gᵢ gᵢᵀ = GᵀG/N, a D×D
/// symmetric matrix, from per-sample gradients given as the rows of an N×D matrix G (a layer is a column
/// range: `MatrixView.columns(_:)`).
///
/// Shape `init / update / merge`: rows may arrive in chunks; value semantics. Its trace is the empirical
/// Fisher trace tr(I_F) = (1/N) Σᵢ ‖gᵢ‖² that `FisherAccumulator` reports for the same columns.
///
/// Units: squared gradient units. Cost: N·D·(D+1) flops per update and D² doubles of state; only the
/// triangle on and above the diagonal is computed (`fk_syrk_f32` / `fk_syrk_f64`, packed register-blocked
/// micro-kernels, threads over output tiles).
///
/// Accuracy: float32 products are summed in float32 over blocks of 256 rows and in double across blocks,
/// so the error does not grow with N: measured Frobenius relative error against float64 2–3e-8 at
/// N = 10⁵ (D = 256 and 1024); the worst case is ≈ 1.5e-5 of a block's Σ|products|. float64 input is
/// summed in double. The same rows give the same bits for any thread count; different chunkings into
/// updates (or merged shards) agree to float32 rounding, ≲ 1e-6 of √(F_ii·F_jj), since each update starts
/// its 256-row blocks afresh.
///
/// Errors: a NaN or ±Inf throws `FisherError.nonFinite` (row counted from the first row ever added);
/// float32 values above ~1e19 throw `.overflow`. The block is then invalidated (`.invalidated`).
public struct FisherBlock: Sendable {
    /// D, the gradient coordinates.
    public let dimension: Int
    /// N, the rows added so far.
    public private(set) var samples = 0
    /// How the kernels run; not part of the state.
    public var options: ComputeOptions
    /// Σᵢ gᵢ gᵢᵀ, row-major D×D; only entries on and above the diagonal are kept up to date.
    var sums: [Double]
    var failure: String?

    /// An empty block for D-dimensional gradients.
    public init(dimension: Int, options: ComputeOptions = ComputeOptions()) {
        precondition(dimension >= 0, "FisherBlock: negative dimension \(dimension)")
        self.dimension = dimension
        self.options = options
        sums = Array(repeating: 0, count: dimension * dimension)
    }

    /// The Fisher block of the rows of `gradients` (one row per sample).
    public init(_ gradients: MatrixView, options: ComputeOptions = ComputeOptions()) throws(FisherError) {
        self.init(dimension: gradients.columns, options: options)
        try update(gradients)
    }

    /// Adds the rows of an N×D matrix. Precondition: D columns, float32 or float64 elements.
    public mutating func update(_ gradients: MatrixView) throws(FisherError) {
        if let failure { throw FisherError.invalidated(by: failure) }
        precondition(gradients.columns == dimension,
                     "FisherBlock.update: \(gradients.columns) columns, expected \(dimension)")
        guard gradients.rows > 0 else { return }
        let d = dimension, options = options
        do {
            try sums.withUnsafeMutableBufferPointer { buffer throws(Kernels.Failure) in
                guard let base = buffer.baseAddress else { return }
                try Kernels.fisherBlock(gradients, into: base, ld: d, options: options)
            }
        } catch {
            let mapped = error.fisherError(variant: options.variant, rowOffset: samples)
            failure = mapped.description
            throw mapped
        }
        samples += gradients.rows
    }

    /// Adds another block's rows, as if they had followed this one's. Precondition: same dimension.
    public mutating func merge(_ other: FisherBlock) throws(FisherError) {
        if let failure { throw FisherError.invalidated(by: failure) }
        if let failure = other.failure { throw FisherError.invalidated(by: failure) }
        precondition(dimension == other.dimension, "FisherBlock.merge: dimensions \(dimension) and \(other.dimension)")
        for i in 0..<dimension {
            for j in i..<dimension { sums[i * dimension + j] += other.sums[i * dimension + j] }
        }
        samples += other.samples
    }

    /// F_ij = (1/N) Σᵢ g_i g_j. Precondition: at least one row added, indices in 0..<D.
    public subscript(i: Int, j: Int) -> Double {
        precondition(samples > 0, "FisherBlock: no rows added")
        precondition((0..<dimension).contains(i) && (0..<dimension).contains(j),
                     "FisherBlock: index (\(i), \(j)) out of 0..<\(dimension)")
        return UpperTriangle.element(sums, side: dimension, i, j) / Double(samples)
    }

    /// F as a row-major D×D array (both triangles). Precondition: at least one row added.
    public var elements: [Double] {
        precondition(samples > 0, "FisherBlock: no rows added")
        return UpperTriangle.mirrored(sums, side: dimension, dividedBy: Double(samples))
    }

    /// tr F = (1/N) Σᵢ ‖gᵢ‖², the empirical Fisher trace of these coordinates. Precondition: rows added.
    public var trace: Double {
        precondition(samples > 0, "FisherBlock: no rows added")
        return UpperTriangle.diagonalSum(sums, side: dimension) / Double(samples)
    }
}
