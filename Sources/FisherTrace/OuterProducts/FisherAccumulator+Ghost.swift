/// One linear layer's share of a batch for the ghost path: its inputs A (N×T×d_in) and the gradients Δ
/// (N×T×d_out) of each sample's own loss with respect to its outputs.
public struct LinearLayerBatch: Sendable {
    public var inputs: TokenView
    public var outputGradients: TokenView
    public var hasBias: Bool

    public init(inputs: TokenView, outputGradients: TokenView, hasBias: Bool) {
        self.inputs = inputs
        self.outputGradients = outputGradients
        self.hasBias = hasBias
    }

    /// The layer's parameter count, d_out·d_in (+ d_out): the width of its `FisherAccumulator.Layer`.
    public var parameterCount: Int {
        outputGradients.features * inputs.features + (hasBias ? outputGradients.features : 0)
    }
}

extension FisherAccumulator {
    /// Consecutive layers for linear layers of the given shapes, each as wide as its weight (d_out·d_in,
    /// row-major) followed by its bias (d_out): the layout of PyTorch's `named_parameters()` flattened.
    public static func linearLayers(_ shapes: [(name: String, inputFeatures: Int, outputFeatures: Int, bias: Bool)]) -> [Layer] {
        Layer.consecutive(shapes.map { ($0.name, $0.outputFeatures * $0.inputFeatures + ($0.bias ? $0.outputFeatures : 0)) })
    }

    /// Adds a batch given as the inputs and output gradients of linear layers, one per accumulator layer:
    /// the per-sample squared norms come from `GhostNorms` (weight + bias), so tr(I_F), its standard error
    /// and the per-layer split are those the explicit per-sample gradients would give, to rounding.
    ///
    /// - Parameters:
    ///   - meanGradient: also form each layer's summed gradient (`LinearGradientSum`) for ‖ḡ‖², tr(Σ), ‖G‖²
    ///     and B_simple. It costs 2·N·T·d_in·d_out flops per layer — at T = 128, d = 1024 about 8× the
    ///     ghost norms — so without it those figures are reported as undefined.
    ///   - algorithm: forces a ghost algorithm for every layer; `.automatic` chooses per layer.
    /// Preconditions: one batch per layer, each layer's width = `parameterCount`, the same N everywhere,
    /// no diagonal tracking.
    /// - Returns: each layer's ghost norms (weight and bias parts, and the algorithm that ran).
    /// - Throws: `FisherError.nonFinite(row:layer:)` with the row counted from the first sample ever added;
    ///   nothing is added then, so the accumulator stays usable.
    @discardableResult
    public mutating func update(linearLayers batches: [LinearLayerBatch], meanGradient: Bool = true,
                                algorithm: GhostAlgorithm = .automatic) throws(FisherError) -> [GhostNorms] {
        try checkUsable()
        precondition(batches.count == layers.count,
                     "FisherAccumulator.update: \(batches.count) linear layers for \(layers.count) layers")
        let n = batches.first?.inputs.samples ?? 0
        for (batch, layer) in zip(batches, layers) {
            precondition(batch.inputs.samples == n, "FisherAccumulator.update: layer \(layer.name) has \(batch.inputs.samples) samples, expected \(n)")
            precondition(batch.parameterCount == layer.width,
                         "FisherAccumulator.update: layer \(layer.name) has \(batch.parameterCount) parameters, expected \(layer.width)")
        }
        var ghosts: [GhostNorms] = []
        var sums: [[Double]] = []
        for (batch, layer) in zip(batches, layers) {
            let name = layers.count > 1 ? layer.name : nil
            do {
                let ghost = try GhostNorms(inputs: batch.inputs, outputGradients: batch.outputGradients,
                                           bias: batch.hasBias, algorithm: algorithm, options: options)
                ghosts.append(ghost)
                if meanGradient {
                    sums.append(try LinearGradientSum(inputs: batch.inputs, outputGradients: batch.outputGradients,
                                                      bias: batch.hasBias, options: options).flattened)
                }
            } catch let error {
                throw Self.placed(error, rowOffset: samples, layer: name)
            }
        }
        try update(layerNorms: ghosts.map(\.total), columnSums: meanGradient ? sums : nil)
        return ghosts
    }

    /// The error with its row moved into the accumulator's stream and its layer named.
    private static func placed(_ error: FisherError, rowOffset: Int, layer: String?) -> FisherError {
        switch error {
        case let .nonFinite(row, _): .nonFinite(row: rowOffset + row, layer: layer)
        case let .overflow(row, _): .overflow(row: rowOffset + row, layer: layer)
        default: error
        }
    }
}
