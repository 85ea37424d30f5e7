import FisherTrace

/// Random inputs of a linear layer for the ghost-norm and K-FAC benchmarks: activations N×T×d_in and output
/// gradients N×T×d_out, from a shape `NxTxD_INxD_OUT`.
struct LinearLayerInputs: @unchecked Sendable {
    let samples: Int, tokens: Int, inputFeatures: Int, outputFeatures: Int
    let elementType: ElementType
    private let activations: AlignedBuffer
    private let gradients: AlignedBuffer

    init(_ shape: Shape, elementType: ElementType) throws(BenchmarkError) {
        precondition(shape.dimensions.count == 4, "LinearLayerInputs: shape \(shape) is not NxTxD_INxD_OUT")
        (samples, tokens, inputFeatures, outputFeatures) = (shape.dimensions[0], shape.dimensions[1], shape.dimensions[2], shape.dimensions[3])
        self.elementType = elementType
        activations = try AlignedBuffer.randomElements(elementType, count: samples * tokens * inputFeatures)
        gradients = try AlignedBuffer.randomElements(elementType, count: samples * tokens * outputFeatures, seed: 2)
    }

    static func bytes(_ shape: Shape, elementType: ElementType) -> Int {
        shape.dimensions[0] * shape.dimensions[1] * (shape.dimensions[2] + shape.dimensions[3]) * elementType.byteCount
    }

    /// The shape of the first `n` samples.
    func shape(samples n: Int) -> Shape { Shape([n, tokens, inputFeatures, outputFeatures]) }

    /// Calls `body` with views of the first `n` samples, keeping the memory alive.
    func withViews<R>(samples n: Int, _ body: (TokenView, TokenView) throws -> R) rethrows -> R {
        try withExtendedLifetime((activations, gradients)) {
            let a = TokenView(baseAddress: UnsafeRawPointer(activations.base), elementType: elementType, samples: samples,
                              tokens: tokens, features: inputFeatures)
            let d = TokenView(baseAddress: UnsafeRawPointer(gradients.base), elementType: elementType, samples: samples,
                              tokens: tokens, features: outputFeatures)
            return try body(a.samples(0..<n), d.samples(0..<n))
        }
    }
}
