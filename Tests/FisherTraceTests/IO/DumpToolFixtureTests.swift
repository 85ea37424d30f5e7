import Testing
@testable import FisherTrace

/// Files written by the tools/dump scripts' demos (PyTorch, JAX, DDP), checked against the figures the
/// scripts computed themselves and stored in the safetensors metadata.
@Suite struct DumpToolFixtureTests {
    static func path(_ name: String) -> String { FixtureFiles.path("dumps/" + name) }

    static func trace(_ data: GradientDataSet) throws -> Double {
        var accumulator = FisherAccumulator(dimension: data.dimension, layers: data.layers)
        try data.accumulate(into: &accumulator)
        return try accumulator.finalize().trace
    }

    @Test func torchPerSampleGradients() throws {
        let file = try SafetensorsFile(path: Self.path("torch_per_sample.safetensors"))
        let expected = try #require(file.header.metadata["trace"].flatMap(Double.init))
        let data = try GradientDataSet(path: file.path)
        #expect(data.rows == 64 && data.layers.map(\.width).reduce(0, +) == 8 * 16 + 16 + 16 * 3 + 3)
        #expect(Set(data.layers.map(\.name)) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(relativeDifference(try Self.trace(data), expected) < 1e-12)
    }

    @Test func jaxPerSampleGradientsInBfloat16() throws {
        let file = try SafetensorsFile(path: Self.path("jax_per_sample.safetensors"))
        let expected = try #require(file.header.metadata["trace"].flatMap(Double.init))
        let data = try GradientDataSet(path: file.path)
        #expect(data.elementTypes == Array(repeating: .bfloat16, count: 4) && data.rows == 48)
        #expect(relativeDifference(try Self.trace(data), expected) < 1e-12)
        // The same gradients saved by NumPy as '<V2' (ml_dtypes.bfloat16), read as bfloat16.
        let npy = try GradientDataSet(path: Self.path("jax_per_sample.npy"))
        #expect(try NpyFile(path: Self.path("jax_per_sample.npy")).header.descriptor == "<V2")
        #expect(npy.elementTypes == [.bfloat16] && npy.rows == 48 && npy.dimension == data.dimension)
        #expect(relativeDifference(try Self.trace(npy), expected) < 1e-12)
    }

    @Test func torchLinearHooksGhostInputs() throws {
        let file = try SafetensorsFile(path: Self.path("torch_linear_hooks.safetensors"))
        let expected = try #require(file.header.metadata["weight_trace"].flatMap(Double.init))
        #expect(file.header.metadata["bias_layers"] == "0,2")
        let pairs = try file.ghostPairs().sorted { $0.layer < $1.layer }
        #expect(pairs.map(\.layer) == ["0", "2"])
        #expect(pairs.map { [$0.rows, $0.steps, $0.inputFeatures, $0.outputFeatures] } == [[6, 5, 4, 8], [6, 5, 8, 3]])
        // ‖Gᵢ‖² = ‖Σₜ δᵢₜ aᵢₜᵀ‖²_F formed explicitly in float64: the orientation the ghost kernels assume.
        var total = 0.0
        for pair in pairs {
            let a = pair.activations.doubles(), d = pair.backprops.doubles()
            let (t, p, q) = (pair.steps, pair.inputFeatures, pair.outputFeatures)
            for i in 0..<pair.rows {
                for o in 0..<q {
                    for k in 0..<p {
                        var g = 0.0
                        for s in 0..<t { g += d[(i * t + s) * q + o] * a[(i * t + s) * p + k] }
                        total += g * g
                    }
                }
            }
        }
        #expect(relativeDifference(total / 6, expected) < 1e-10)
        #expect(file.gradientTensorNames.isEmpty)
    }

    @Test func ddpNoiseLog() throws {
        let steps = try TwoBatchLog.read(path: Self.path("ddp_noise_log.csv"))
        #expect(steps.count == 100 && steps.allSatisfy { $0.smallBatch == 16 && $0.bigBatch == 32 })
        #expect(steps.allSatisfy { $0.unbiased != nil })
        var estimator = TwoBatchNoiseEstimator(smoothing: 0.9)
        for step in steps { estimator.update(step) }
        #expect(estimator.steps == 100 && estimator.current?.traceCovariance ?? 0 > 0)
    }
}
