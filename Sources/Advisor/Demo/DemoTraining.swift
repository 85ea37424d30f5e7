import FisherTrace

/// The built-in default: train the tiny MLP on the bundled digits with SGD and measure the Fisher
/// statistics of its exact per-sample gradients at checkpoints along the way.
public struct DemoTraining: Sendable {
    public struct Options: Sendable, Equatable {
        public var seed: UInt64 = 42
        public var epochs = 20
        /// The batch SGD trains with (and the batch the final report is for).
        public var batch = 32
        public var learningRate = 0.1
        public var hiddenUnits = 64
        /// Epochs after which to measure (0 = before training).
        public var checkpoints = DemoTraining.checkpoints(epochs: 20)
        public var keepSampleNorms = false
        public var compute = ComputeOptions()
        public init() {}
    }

    /// One measurement during training.
    public struct Checkpoint: Sendable {
        public let epoch: Int
        public let step: Int
        public let loss: Double
        public let accuracy: Double
        /// The accumulator over every sample's gradient at this point (for --save-state).
        public let accumulator: FisherAccumulator
        public let statistics: FisherStatistics
    }

    /// 0, then doubling epochs, then the last: 0, 1, 2, 4, 8, 16, 20 for 20 epochs.
    public static func checkpoints(epochs: Int) -> [Int] {
        var epochsToMeasure = [0]
        var e = 1
        while e < epochs { epochsToMeasure.append(e); e *= 2 }
        if epochs > 0 { epochsToMeasure.append(epochs) }
        return epochsToMeasure
    }

    /// The layers of the per-sample gradient: each dense layer's weight (row-major) and bias, as PyTorch's
    /// `named_parameters()` order them.
    public static func layers(hiddenUnits: Int) -> [FisherAccumulator.Layer] {
        FisherAccumulator.linearLayers([("fc1", DigitsDataSet.pixels, hiddenUnits, true),
                                        ("fc2", hiddenUnits, DigitsDataSet.classes, true)])
    }

    public let options: Options
    public init(options: Options = Options()) {
        precondition(options.epochs >= 0 && options.batch >= 1 && options.learningRate > 0)
        self.options = options
    }

    /// Trains and measures; `progress` is called after every epoch with (epochs done, epochs in total).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> [Checkpoint] {
        let data = DigitsDataSet.bundled
        var model = TinyMLP(inputs: DigitsDataSet.pixels, hiddenUnits: options.hiddenUnits,
                            classes: DigitsDataSet.classes, seed: options.seed)
        var generator = SeededGenerator(seed: options.seed &+ 1)
        var order = Array(0..<data.count)
        var checkpoints: [Checkpoint] = []
        var step = 0
        for epoch in 0...options.epochs {
            if options.checkpoints.contains(epoch) {
                checkpoints.append(try measure(model, data: data, epoch: epoch, step: step))
            }
            if epoch == options.epochs { break }
            order.shuffle(using: &generator)
            for start in stride(from: 0, to: data.count, by: options.batch) {
                let batch = order[start..<min(data.count, start + options.batch)]
                let x = batch.flatMap { data.features[($0 * DigitsDataSet.pixels)..<(($0 + 1) * DigitsDataSet.pixels)] }
                model.sgdStep(features: x, labels: batch.map { data.labels[$0] }, learningRate: options.learningRate)
                step += 1
            }
            progress?(epoch + 1, options.epochs)
        }
        return checkpoints
    }

    /// Exact per-sample gradients of every sample's own loss, by the ghost path at T = 1: a dense layer's
    /// per-sample gradient is δ aᵀ (and δ for its bias), so ‖gᵢ‖² = ‖aᵢ‖²‖δᵢ‖² + ‖δᵢ‖², and the summed
    /// gradient Σᵢ δᵢaᵢᵀ gives the mean gradient; no N×D matrix is formed.
    private func measure(_ model: TinyMLP, data: DigitsDataSet, epoch: Int, step: Int) throws -> Checkpoint {
        let pass = model.pass(features: data.features, labels: data.labels)
        let layers = Self.layers(hiddenUnits: options.hiddenUnits)
        var accumulator = FisherAccumulator(dimension: layers.last!.columns.upperBound, layers: layers,
                                            keepSampleNorms: options.keepSampleNorms, options: options.compute)
        let n = pass.rows
        _ = try pass.inputs.withUnsafeBufferPointer { x in
            try pass.hiddenDeltas.withUnsafeBufferPointer { d1 in
                try pass.hiddenActivations.withUnsafeBufferPointer { h in
                    try pass.outputDeltas.withUnsafeBufferPointer { d2 in
                        try accumulator.update(linearLayers: [
                            LinearLayerBatch(inputs: TokenView(x, samples: n, tokens: 1, features: model.hidden.inputs),
                                             outputGradients: TokenView(d1, samples: n, tokens: 1, features: model.hidden.outputs),
                                             hasBias: true),
                            LinearLayerBatch(inputs: TokenView(h, samples: n, tokens: 1, features: model.output.inputs),
                                             outputGradients: TokenView(d2, samples: n, tokens: 1, features: model.output.outputs),
                                             hasBias: true),
                        ])
                    }
                }
            }
        }
        return Checkpoint(epoch: epoch, step: step, loss: pass.loss, accuracy: pass.accuracy,
                          accumulator: accumulator, statistics: try accumulator.finalize())
    }
}
