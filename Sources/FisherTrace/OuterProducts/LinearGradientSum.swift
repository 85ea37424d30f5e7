/// The gradient of a linear layer y_t = W a_t (+ b) summed over a batch: Σᵢ Gᵢ = Σ_{i,t} δ_it a_itᵀ
/// (d_out×d_in, row-major as PyTorch stores `Linear.weight`) and Σ_{i,t} δ_it for the bias.
///
/// These are the column sums `FisherAccumulator` needs for ‖ḡ‖², tr(Σ), ‖G‖² and B_simple on the ghost
/// path (divide by N for the mean gradient). Cost: 2·N·T·d_in·d_out flops — as much as materializing
/// every per-sample gradient, and several times the ghost norms themselves when T is large, which is why
/// it is optional there (`fk_linear_grad_sum_f32` / `_f64`, the packed outer-product engine).
///
/// Accuracy: float32 products are summed in float32 over blocks of 256 token rows and in double across
/// blocks (relative error ≲ 1e-6 of Σ|terms|); the bias sum is formed in double. Same bits for any
/// thread count.
public struct LinearGradientSum: Sendable, Hashable {
    public let inputFeatures: Int
    public let outputFeatures: Int
    /// N, the samples summed over.
    public let samples: Int
    /// Σ_{i,t} δ_it a_itᵀ, row-major d_out×d_in: weight[o·d_in + j].
    public let weight: [Double]
    /// Σ_{i,t} δ_it, when the layer has a bias.
    public let bias: [Double]?

    /// Preconditions: inputs N×T×d_in and output gradients N×T×d_out with the same N, T and element type
    /// (float32 or float64).
    /// - Throws: `FisherError.nonFinite(row: i, layer: nil)` when sample i holds a NaN or ±Inf.
    public init(inputs: TokenView, outputGradients: TokenView, bias: Bool,
                options: ComputeOptions = ComputeOptions()) throws(FisherError) {
        let din = inputs.features, dout = outputGradients.features
        var weight = [Double](repeating: 0, count: din * dout)
        var biasSum = [Double](repeating: 0, count: bias ? dout : 0)
        do {
            try weight.withUnsafeMutableBufferPointer { w throws(Kernels.Failure) in
                try biasSum.withUnsafeMutableBufferPointer { b throws(Kernels.Failure) in
                    try Kernels.linearGradientSum(inputs: inputs, outputGradients: outputGradients,
                                                  weight: w.baseAddress,
                                                  bias: bias ? b.baseAddress : nil, options: options)
                }
            }
        } catch {
            throw error.fisherError(variant: options.variant)
        }
        inputFeatures = din
        outputFeatures = dout
        samples = inputs.samples
        self.weight = weight
        self.bias = bias ? biasSum : nil
    }

    /// The summed gradient flattened as a per-sample gradient row lays out the layer: vec(W) row-major,
    /// then b.
    public var flattened: [Double] { weight + (bias ?? []) }
}
