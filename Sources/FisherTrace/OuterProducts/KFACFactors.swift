/// The K-FAC factors of a linear layer y_t = W a_t (+ b) and how well their Kronecker product
/// approximates the layer's Fisher trace.
///
/// Convention ("K-FAC expand", tokens treated as independent draws; Eschenhagen et al. 2023), with ã =
/// (a, 1) when the layer has a bias (the homogeneous coordinate) and ã = a otherwise:
///     A = (1/(N·T)) Σ_{i,t} ã_it ã_itᵀ            ((d_in+1)² or d_in²)
///     S = (1/N) Σ_{i,t} δ_it δ_itᵀ                 (d_out²)
/// so that the layer's Fisher block (1/N) Σᵢ vec(Gᵢ)vec(Gᵢ)ᵀ ≈ A ⊗ S, with Gᵢ = Σ_t δ_t ã_tᵀ the
/// per-sample gradient of [W | b]. Its trace tr(A⊗S) = tr(A)·tr(S) is compared with the exact
/// tr(I_F) of the layer, (1/N) Σᵢ ‖Gᵢ‖² (`GhostNorms.meanTotal`, weight + bias): at T = 1 the two agree
/// exactly when ‖ãᵢ‖² and ‖δᵢ‖² are uncorrelated over the samples; for T > 1 the approximation also
/// drops the cross-token terms Σ_{t≠s} (ã_t·ã_s)(δ_t·δ_s).
///
/// Cost: N·T·(d_in² + d_out²) flops (`fk_kfac_factor_f32` / `_f64`, the Fisher block's packed SYRK
/// engine); the factors are d_in² + d_out² doubles. Accuracy as `FisherBlock` (float32 summed in blocks
/// of 256 token rows, double across blocks).
public struct KFACFactors: Sendable, Hashable {
    /// N and T of the batch.
    public let samples: Int
    public let tokens: Int
    /// Whether A carries the homogeneous coordinate (last row and column) for a bias.
    public let hasBias: Bool
    /// A, row-major, side `inputDimension` = d_in (+ 1 with a bias).
    public let inputFactor: [Double]
    public let inputDimension: Int
    /// S, row-major d_out × d_out.
    public let outputFactor: [Double]
    public let outputDimension: Int

    /// Computes A and S. Preconditions: inputs N×T×d_in, output gradients N×T×d_out with the same N, T
    /// and element type (float32 or float64), N·T > 0.
    /// - Throws: `FisherError.nonFinite(row: i, layer: nil)` when sample i holds a NaN or ±Inf.
    public init(inputs: TokenView, outputGradients: TokenView, bias: Bool,
                options: ComputeOptions = ComputeOptions()) throws(FisherError) {
        precondition(inputs.samples == outputGradients.samples && inputs.tokens == outputGradients.tokens,
                     "KFACFactors: inputs are \(inputs.samples)×\(inputs.tokens), output gradients \(outputGradients.samples)×\(outputGradients.tokens)")
        precondition(inputs.samples * inputs.tokens > 0, "KFACFactors: no tokens")
        let din = inputs.features, dout = outputGradients.features, side = din + (bias ? 1 : 0)
        let rows = Double(inputs.samples * inputs.tokens), n = Double(inputs.samples)
        var a = [Double](repeating: 0, count: side * side)
        var s = [Double](repeating: 0, count: dout * dout)
        var columnSums = [Double](repeating: 0, count: din)
        do {
            try a.withUnsafeMutableBufferPointer { ap throws(Kernels.Failure) in
                try columnSums.withUnsafeMutableBufferPointer { cp throws(Kernels.Failure) in
                    guard let base = ap.baseAddress, din > 0 else { return }
                    try Kernels.kfacFactor(inputs, into: base, ld: side, columnSums: bias ? cp.baseAddress : nil,
                                           options: options)
                }
            }
            try s.withUnsafeMutableBufferPointer { sp throws(Kernels.Failure) in
                guard let base = sp.baseAddress, dout > 0 else { return }
                try Kernels.kfacFactor(outputGradients, into: base, ld: dout, columnSums: nil, options: options)
            }
        } catch {
            throw error.fisherError(variant: options.variant)
        }
        if bias { /* the homogeneous coordinate: Σ ã_j·1 = Σ a_j, and Σ 1·1 = N·T */
            for j in 0..<din { a[j * side + din] = columnSums[j] }
            a[din * side + din] = rows
        }
        a = UpperTriangle.mirrored(a, side: side, dividedBy: rows)
        s = UpperTriangle.mirrored(s, side: dout, dividedBy: n)
        samples = inputs.samples
        tokens = inputs.tokens
        hasBias = bias
        inputFactor = a
        inputDimension = side
        outputFactor = s
        outputDimension = dout
    }

    /// tr A = (1/(N·T)) Σ_{i,t} ‖ã_it‖².
    public var inputTrace: Double { (0..<inputDimension).reduce(0) { $0 + inputFactor[$1 * inputDimension + $1] } }
    /// tr S = (1/N) Σ_{i,t} ‖δ_it‖².
    public var outputTrace: Double { (0..<outputDimension).reduce(0) { $0 + outputFactor[$1 * outputDimension + $1] } }
    /// tr(A ⊗ S) = tr A · tr S, the Kronecker approximation of the layer's tr(I_F).
    public var kroneckerTrace: Double { inputTrace * outputTrace }

    /// The Kronecker trace beside the exact one from the same batch's ghost norms (weight + bias).
    /// Precondition: `ghost` covers the same samples (and the bias iff this does).
    public func compared(with ghost: GhostNorms) -> KroneckerTraceComparison {
        precondition(ghost.samples == samples, "KFACFactors.compared: \(ghost.samples) samples, expected \(samples)")
        precondition((ghost.bias != nil) == hasBias, "KFACFactors.compared: the bias is in one and not the other")
        return KroneckerTraceComparison(exact: ghost.meanTotal, kronecker: kroneckerTrace)
    }
}

/// A layer's exact Fisher trace beside its K-FAC (Kronecker) approximation.
public struct KroneckerTraceComparison: Sendable, Hashable, Codable {
    /// (1/N) Σᵢ ‖Gᵢ‖² from ghost norms.
    public let exact: Double
    /// tr A · tr S.
    public let kronecker: Double
    /// kronecker / exact (nil when exact is 0): 1 means the approximation preserves the trace.
    public var ratio: Double? { exact > 0 ? kronecker / exact : nil }
}
