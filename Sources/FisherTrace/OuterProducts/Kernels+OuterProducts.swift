internal import CFisherKernels

/// The C calls of the outer-product kernels (`fk_syrk_*`, `fk_gram_*`, `fk_ghost_*`, `fk_kfac_factor_*`,
/// `fk_linear_grad_sum_*`). Outputs are accumulated into (zero them first); symmetric ones are written on
/// and above the diagonal only. A failure's row is the sample index within the call.
extension Kernels {
    /// The C signature shared by `fk_syrk_*` and `fk_gram_*`: (n, d, g, ldg, sums, ld, fill, bad, cfg).
    private typealias SymmetricKernel<T> = (Int, Int, UnsafePointer<T>?, Int, UnsafeMutablePointer<Double>?, Int,
                                            fk_fill, UnsafeMutablePointer<Int>?, UnsafePointer<fk_config>?) -> fk_status

    /// Σ_r g_r g_rᵀ added into the upper triangle of the d×d matrix `sums` (leading dimension `ld`).
    static func fisherBlock(_ view: MatrixView, into sums: UnsafeMutablePointer<Double>, ld: Int,
                            options: ComputeOptions) throws(Failure) {
        try symmetric(view, into: sums, ld: ld, options: options, caller: "FisherBlock", f32: fk_syrk_f32, f64: fk_syrk_f64)
    }

    /// Σ_c g_ic g_jc added into the upper triangle of the n×n matrix `sums` (leading dimension `ld`).
    static func gram(_ view: MatrixView, into sums: UnsafeMutablePointer<Double>, ld: Int,
                     options: ComputeOptions) throws(Failure) {
        try symmetric(view, into: sums, ld: ld, options: options, caller: "GramMatrix", f32: fk_gram_f32, f64: fk_gram_f64)
    }

    private static func symmetric(_ view: MatrixView, into sums: UnsafeMutablePointer<Double>, ld: Int, options: ComputeOptions,
                                  caller: String, f32: SymmetricKernel<Float>, f64: SymmetricKernel<Double>) throws(Failure) {
        var config = options.config
        var bad = -1
        let n = view.rows, d = view.columns, ldg = max(view.rowStride, 1)
        let status = withUnsafePointer(to: &config) { cfg in
            switch view.elementType {
            case .float32:
                f32(n, d, view.baseAddress?.assumingMemoryBound(to: Float.self), ldg, sums, ld, FK_FILL_UPPER, &bad, cfg)
            case .float64:
                f64(n, d, view.baseAddress?.assumingMemoryBound(to: Double.self), ldg, sums, ld, FK_FILL_UPPER, &bad, cfg)
            case .float16, .bfloat16:
                preconditionFailure("\(caller): \(view.elementType) input is not supported (expected float32 or float64)")
            }
        }
        try check(status, badRow: bad)
    }

    /// Per-sample ‖Σ_t δ_t a_tᵀ‖² into `weight` and, when given, ‖Σ_t δ_t‖² into `bias` (overwritten).
    static func ghostNorms(inputs a: TokenView, outputGradients g: TokenView, algorithm: GhostAlgorithm,
                           weight: UnsafeMutablePointer<Double>, bias: UnsafeMutablePointer<Double>?,
                           options: ComputeOptions) throws(Failure) {
        checkLinearPair(a, g, "GhostNorms")
        var config = options.config
        var bad = -1
        let status = withUnsafePointer(to: &config) { cfg in
            switch a.elementType {
            case .float32:
                fk_ghost_f32(a.samples, a.tokens, a.features, g.features,
                             a.baseAddress?.assumingMemoryBound(to: Float.self), a.sampleStride, a.tokenStride,
                             g.baseAddress?.assumingMemoryBound(to: Float.self), g.sampleStride, g.tokenStride,
                             weight, bias, &bad, algorithm.method, cfg)
            default:
                fk_ghost_f64(a.samples, a.tokens, a.features, g.features,
                             a.baseAddress?.assumingMemoryBound(to: Double.self), a.sampleStride, a.tokenStride,
                             g.baseAddress?.assumingMemoryBound(to: Double.self), g.sampleStride, g.tokenStride,
                             weight, bias, &bad, algorithm.method, cfg)
            }
        }
        try check(status, badRow: bad)
    }

    /// Σ_{i,t} x_it x_itᵀ added into the upper triangle of `sums` (d×d, leading dimension `ld`) and, when
    /// given, Σ_{i,t} x_it into `columnSums`.
    static func kfacFactor(_ x: TokenView, into sums: UnsafeMutablePointer<Double>, ld: Int,
                           columnSums: UnsafeMutablePointer<Double>?, options: ComputeOptions) throws(Failure) {
        var config = options.config
        var bad = -1
        let status = withUnsafePointer(to: &config) { cfg in
            switch x.elementType {
            case .float32:
                fk_kfac_factor_f32(x.samples, x.tokens, x.features, x.baseAddress?.assumingMemoryBound(to: Float.self),
                                   x.sampleStride, x.tokenStride, sums, ld, columnSums, FK_FILL_UPPER, &bad, cfg)
            case .float64:
                fk_kfac_factor_f64(x.samples, x.tokens, x.features, x.baseAddress?.assumingMemoryBound(to: Double.self),
                                   x.sampleStride, x.tokenStride, sums, ld, columnSums, FK_FILL_UPPER, &bad, cfg)
            case .float16, .bfloat16:
                preconditionFailure("KFACFactors: \(x.elementType) input is not supported (expected float32 or float64)")
            }
        }
        try check(status, badRow: bad)
    }

    /// Σ_{i,t} δ_it a_itᵀ added into `weight` (d_out×d_in, leading dimension d_in) and, when given,
    /// Σ_{i,t} δ_it into `bias`.
    static func linearGradientSum(inputs a: TokenView, outputGradients g: TokenView,
                                  weight: UnsafeMutablePointer<Double>?, bias: UnsafeMutablePointer<Double>?,
                                  options: ComputeOptions) throws(Failure) {
        checkLinearPair(a, g, "LinearGradientSum")
        var config = options.config
        var bad = -1
        let status = withUnsafePointer(to: &config) { cfg in
            switch a.elementType {
            case .float32:
                fk_linear_grad_sum_f32(a.samples, a.tokens, a.features, g.features,
                                       a.baseAddress?.assumingMemoryBound(to: Float.self), a.sampleStride, a.tokenStride,
                                       g.baseAddress?.assumingMemoryBound(to: Float.self), g.sampleStride, g.tokenStride,
                                       weight, max(a.features, 1), bias, &bad, cfg)
            default:
                fk_linear_grad_sum_f64(a.samples, a.tokens, a.features, g.features,
                                       a.baseAddress?.assumingMemoryBound(to: Double.self), a.sampleStride, a.tokenStride,
                                       g.baseAddress?.assumingMemoryBound(to: Double.self), g.sampleStride, g.tokenStride,
                                       weight, max(a.features, 1), bias, &bad, cfg)
            }
        }
        try check(status, badRow: bad)
    }

    /// The algorithm `fk_ghost_choose` picks for these sizes.
    static func ghostChoice(tokens: Int, inputFeatures: Int, outputFeatures: Int) -> GhostAlgorithm {
        fk_ghost_choose(tokens, inputFeatures, outputFeatures) == FK_GHOST_GRAM ? .gram : .materialize
    }

    private static func checkLinearPair(_ a: TokenView, _ g: TokenView, _ caller: String) {
        precondition(a.samples == g.samples && a.tokens == g.tokens,
                     "\(caller): inputs are \(a.samples)×\(a.tokens), output gradients \(g.samples)×\(g.tokens)")
        precondition(a.elementType == g.elementType,
                     "\(caller): inputs are \(a.elementType), output gradients \(g.elementType)")
        precondition(a.elementType == .float32 || a.elementType == .float64,
                     "\(caller): \(a.elementType) input is not supported (expected float32 or float64)")
    }
}

extension GhostAlgorithm {
    var method: fk_ghost_method {
        switch self {
        case .automatic: FK_GHOST_AUTO
        case .gram: FK_GHOST_GRAM
        case .materialize: FK_GHOST_MATERIALIZE
        }
    }
}

extension Kernels.Failure {
    /// The library error for a kernel failure; `rowOffset` turns a row within the call into a row of the
    /// caller's stream.
    func fisherError(variant: KernelVariant, rowOffset: Int = 0, layer: String? = nil) -> FisherError {
        switch self {
        case let .nonFinite(row): .nonFinite(row: rowOffset + row, layer: layer)
        case let .overflow(row): .overflow(row: rowOffset + max(row, 0), layer: layer)
        case .unsupported: .unsupportedVariant(variant)
        case .noMemory: .outOfMemory
        }
    }
}
