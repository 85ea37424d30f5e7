import FisherTrace
import Testing

/// The ghost path into FisherAccumulator: norms and summed gradients from layer inputs give the
/// statistics that the explicit per-sample gradient matrix gives.
@Suite struct GhostAccumulatorTests {
    /// Two linear layers of one batch: 9 → 6 with a bias, 6 → 4 without; T tokens.
    struct Batch {
        let a1: TokenTensor, d1: TokenTensor, a2: TokenTensor, d2: TokenTensor

        init(samples n: Int, tokens t: Int, seed: UInt64) {
            a1 = TokenTensor(samples: n, tokens: t, features: 9, padToken: 1, seed: seed, offset: 0.5)
            d1 = TokenTensor(samples: n, tokens: t, features: 6, seed: seed + 1, scale: 0.3, offset: 0.2)
            a2 = TokenTensor(samples: n, tokens: t, features: 6, seed: seed + 2)
            d2 = TokenTensor(samples: n, tokens: t, features: 4, padSample: 3, seed: seed + 3, scale: 0.5, offset: -0.1)
        }

        /// The explicit N × D per-sample gradients in double: layer 1 (W row-major, b), then layer 2 (W).
        var explicit: [Double] {
            (0..<a1.samples).flatMap { i in
                explicitGradient(a1, d1, sample: i, bias: true) + explicitGradient(a2, d2, sample: i, bias: false)
            }
        }

        func withLayers<R>(_ body: ([LinearLayerBatch]) throws -> R) rethrows -> R {
            try a1.withView { a1 in
                try d1.withView { d1 in
                    try a2.withView { a2 in
                        try d2.withView { d2 in
                            try body([LinearLayerBatch(inputs: a1, outputGradients: d1, hasBias: true),
                                      LinearLayerBatch(inputs: a2, outputGradients: d2, hasBias: false)])
                        }
                    }
                }
            }
        }
    }

    static let layers = FisherAccumulator.linearLayers([("fc1", 9, 6, true), ("fc2", 6, 4, false)])
    static let dimension = 6 * 9 + 6 + 4 * 6

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-5) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return FisherTraceTests.close(a, b, tolerance: tolerance)
    }

    static func sameFigures(_ x: FisherFigures, _ y: FisherFigures) -> Bool {
        close(x.trace, y.trace) && close(x.traceStandardError, y.traceStandardError) &&
            close(x.meanGradientNormSquared, y.meanGradientNormSquared) && close(x.traceCovariance, y.traceCovariance) &&
            close(x.gradientNormSquared, y.gradientNormSquared, 1e-4) && close(x.noiseScale, y.noiseScale, 1e-4) &&
            x.noiseScaleStatus == y.noiseScaleStatus
    }

    @Test(arguments: [1, 5, 40], [GhostAlgorithm.automatic, .gram, .materialize])
    func matchesExplicitPerSampleGradients(tokens: Int, algorithm: GhostAlgorithm) throws {
        let batches = [Batch(samples: 30, tokens: tokens, seed: 3_000), Batch(samples: 17, tokens: tokens, seed: 3_010)]
        var ghost = FisherAccumulator(dimension: Self.dimension, layers: Self.layers, keepSampleNorms: true)
        var explicit = FisherAccumulator(dimension: Self.dimension, layers: Self.layers, keepSampleNorms: true)
        for batch in batches {
            _ = try batch.withLayers { try ghost.update(linearLayers: $0, algorithm: algorithm) }
            try batch.explicit.withUnsafeBufferPointer {
                try explicit.update(MatrixView($0, rows: batch.a1.samples, columns: Self.dimension))
            }
        }
        let g = try ghost.finalize(), e = try explicit.finalize()
        #expect(g.samples == 47)
        #expect(e.overall.noiseScaleStatus == .defined)
        #expect(Self.sameFigures(g.overall, e.overall), "\(g.overall) vs \(e.overall)")
        for (gl, el) in zip(g.layers, e.layers) { #expect(Self.sameFigures(gl.figures, el.figures), "\(gl.name)") }
        // Σ over layers of the ghost norms = ‖gᵢ‖² of the concatenated per-sample gradient.
        for (x, y) in zip(g.sampleSquaredNorms!, e.sampleSquaredNorms!) { #expect(Self.close(x, y)) }
    }

    /// Without the summed gradients only the norm-based figures exist.
    @Test func withoutMeanGradient() throws {
        let batch = Batch(samples: 25, tokens: 3, seed: 3_020)
        var ghost = FisherAccumulator(dimension: Self.dimension, layers: Self.layers)
        _ = try batch.withLayers { try ghost.update(linearLayers: $0, meanGradient: false) }
        let s = try ghost.finalize()
        #expect(s.overall.traceStandardError != nil)
        #expect(s.overall.meanGradientNormSquared == nil && s.overall.noiseScale == nil)
        #expect(s.overall.noiseScaleStatus == .meanGradientUnknown)
    }

    /// A NaN names the row in the stream and the layer; nothing is added, so the accumulator goes on.
    @Test func nonFiniteValuesLeaveTheAccumulatorUsable() throws {
        let first = Batch(samples: 12, tokens: 4, seed: 3_030)
        var second = Batch(samples: 8, tokens: 4, seed: 3_040)
        var d2 = second.d2
        d2.set(5, 2, 1, .nan)
        second = Batch(replacing: second, d2: d2)
        var accumulator = FisherAccumulator(dimension: Self.dimension, layers: Self.layers)
        _ = try first.withLayers { try accumulator.update(linearLayers: $0) }
        second.withLayers { layers in
            _ = #expect(throws: FisherError.nonFinite(row: 12 + 5, layer: "fc2")) { try accumulator.update(linearLayers: layers) }
        }
        #expect(accumulator.samples == 12)
        _ = try first.withLayers { try accumulator.update(linearLayers: $0) }
        #expect(accumulator.samples == 24)
    }
}

extension GhostAccumulatorTests.Batch {
    init(replacing b: Self, d2: TokenTensor) {
        a1 = b.a1
        d1 = b.d1
        a2 = b.a2
        self.d2 = d2
    }
}
