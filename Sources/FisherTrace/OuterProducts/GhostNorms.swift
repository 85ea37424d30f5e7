/// How `GhostNorms` computes the per-sample norms of a linear layer's weight gradient.
public enum GhostAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    /// The cheaper of the two for the layer's shape, by the calibrated cost model (`choice`).
    case automatic
    /// ‖Gᵢ‖² = ⟨AᵢAᵢᵀ, ΔᵢΔᵢᵀ⟩_F from one triangle of the T×T products: ≈ T²·(d_in + d_out) flops per
    /// sample, T² doubles of scratch per thread.
    case gram
    /// Gᵢ = Σ_t δ_t a_tᵀ formed block by block in one d_out×d_in double scratch per thread (never one per
    /// sample), then ‖Gᵢ‖²: ≈ 2·T·d_in·d_out flops per sample.
    case materialize

    /// The algorithm `.automatic` runs for a layer with T tokens per sample (`fk_ghost_choose`).
    ///
    /// The rule compares estimated times, T(T+1)/2·(d_in+d_out)·c_gram + T²·c_combine against
    /// T·d_in·d_out·c_mat + d_in·d_out·c_scratch, with the constants measured on this code (see
    /// `CKernels/src/ghost.c`); the published rule "Gram iff 2T² ≤ d_in·d_out" counts memory instead.
    /// At T = 1 both algorithms reduce to ‖a‖²·‖δ‖², computed in one pass at memory bandwidth.
    public static func choice(tokens: Int, inputFeatures: Int, outputFeatures: Int) -> GhostAlgorithm {
        precondition(tokens >= 0 && inputFeatures >= 0 && outputFeatures >= 0, "GhostAlgorithm.choice: negative size")
        return Kernels.ghostChoice(tokens: tokens, inputFeatures: inputFeatures, outputFeatures: outputFeatures)
    }
}

/// Per-sample squared gradient norms of a linear layer y_t = W a_t (+ b), from its inputs and output
/// gradients, without forming the N per-sample gradients ("ghost norms").
///
/// For sample i with tokens t (inputs a_t ∈ ℝ^{d_in}, output gradients δ_t = ∂ℓᵢ/∂y_t ∈ ℝ^{d_out} of the
/// sample's own loss ℓᵢ — multiply by N if your loss averaged over the batch):
///     weight[i] = ‖Σ_t δ_t a_tᵀ‖²_F = Σ_{t,s} (a_t·a_s)(δ_t·δ_s)        bias[i] = ‖Σ_t δ_t‖²
/// These are the squared norms of the rows of the per-sample gradient matrix restricted to W and b (in
/// PyTorch's layout: W row-major, then b), so their mean is the layer's share of tr(I_F).
///
/// Units: squared gradient units. Work: see `GhostAlgorithm`; threads over samples, and within a sample
/// when N is small (`fk_ghost_f32` / `fk_ghost_f64`). The same input gives the same bits for any thread
/// count; the two algorithms agree to rounding.
///
/// Accuracy: float32 products are summed in float32 over blocks of 1024 features (Gram form, 64 per SIMD
/// lane) or 256 tokens (materialization) and in double beyond; relative error ≲ 1e-6 of
/// (Σ_t ‖a_t‖‖δ_t‖)², which bounds ‖Gᵢ‖² from above — a sample whose tokens' gradients cancel almost
/// exactly is resolved only to that scale. The bias sum is formed in double.
public struct GhostNorms: Sendable, Hashable {
    /// ‖Σ_t δ_t a_tᵀ‖²_F per sample.
    public let weight: [Double]
    /// ‖Σ_t δ_t‖² per sample, when the layer has a bias.
    public let bias: [Double]?
    /// The algorithm that ran (`.automatic` resolved).
    public let algorithm: GhostAlgorithm

    /// Computes the norms. Preconditions: inputs N×T×d_in and output gradients N×T×d_out with the same
    /// N, T and element type (float32 or float64).
    /// - Throws: `FisherError.nonFinite(row: i, layer: nil)` when sample i holds a NaN or ±Inf,
    ///   `.overflow` for float32 values above ~1e19.
    public init(inputs: TokenView, outputGradients: TokenView, bias: Bool, algorithm: GhostAlgorithm = .automatic,
                options: ComputeOptions = ComputeOptions()) throws(FisherError) {
        let n = inputs.samples
        var weight = [Double](repeating: 0, count: n)
        var biasNorms = [Double](repeating: 0, count: bias ? n : 0)
        do {
            try weight.withUnsafeMutableBufferPointer { w throws(Kernels.Failure) in
                try biasNorms.withUnsafeMutableBufferPointer { b throws(Kernels.Failure) in
                    guard let wp = w.baseAddress else { return }
                    try Kernels.ghostNorms(inputs: inputs, outputGradients: outputGradients, algorithm: algorithm,
                                           weight: wp, bias: bias ? b.baseAddress : nil, options: options)
                }
            }
        } catch {
            throw error.fisherError(variant: options.variant)
        }
        self.weight = weight
        self.bias = bias ? biasNorms : nil
        self.algorithm = algorithm == .automatic
            ? GhostAlgorithm.choice(tokens: inputs.tokens, inputFeatures: inputs.features,
                                    outputFeatures: outputGradients.features)
            : algorithm
    }

    /// N, the samples.
    public var samples: Int { weight.count }

    /// ‖gᵢ‖² of the whole layer per sample: weight + bias parts.
    public var total: [Double] {
        guard let bias else { return weight }
        return zip(weight, bias).map { $0 + $1 }
    }

    /// (1/N) Σᵢ ‖gᵢ‖², the layer's share of the empirical Fisher trace tr(I_F). Precondition: N > 0.
    public var meanTotal: Double {
        precondition(samples > 0, "GhostNorms: no samples")
        var exact = ExactSum()
        for v in total { exact.add(v) }
        return exact.value / Double(samples)
    }
}
