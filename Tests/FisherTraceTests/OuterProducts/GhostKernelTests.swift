import CFisherKernels
import Foundation
import FisherTrace
import Testing

/// Ghost norms of a linear layer (fk_ghost_*), both algorithms and every variant, against the explicit
/// per-sample gradients Σ_t δ_t a_tᵀ formed in float64.
@Suite struct GhostKernelTests {
    /// Errors on the scale (Σ_t ‖a_t‖‖δ_t‖)², an upper bound of ‖Gᵢ‖² (float32 block sums: ≲ 1e-7 here).
    static let float32Tolerance = 2e-6
    static let float64Tolerance = 1e-12

    /// (N, T, d_in, d_out): T = 1, 2, 17, 128, 512; d_in ≠ d_out; primes; N below the thread count.
    static let shapes: [(n: Int, t: Int, din: Int, dout: Int)] = [
        (3, 1, 7, 5), (5, 2, 17, 9), (4, 17, 33, 31), (2, 128, 64, 65), (1, 129, 31, 17), (3, 512, 7, 5),
        (6, 7, 129, 1), (20, 3, 1, 40),
    ]

    struct Expected {
        var weight: [Double], bias: [Double], weightScale: [Double], biasScale: [Double]
    }

    static func expected(_ a: TokenTensor, _ d: TokenTensor) -> Expected {
        var e = Expected(weight: [], bias: [], weightScale: [], biasScale: [])
        for i in 0..<a.samples {
            let g = explicitGradient(a, d, sample: i, bias: true)
            e.weight.append(sumOfSquares(Array(g[0..<(a.features * d.features)])))
            e.bias.append(sumOfSquares(Array(g[(a.features * d.features)...])))
            var s = 0.0, sd = 0.0
            for t in 0..<a.tokens {
                let na = sumOfSquares((0..<a.features).map { a.value(i, t, $0) }).squareRoot()
                let nd = sumOfSquares((0..<d.features).map { d.value(i, t, $0) }).squareRoot()
                s += na * nd
                sd += nd
            }
            e.weightScale.append(max(s * s, Double.leastNormalMagnitude))
            e.biasScale.append(max(sd * sd, Double.leastNormalMagnitude))
        }
        return e
    }

    static func tensors(_ shape: (n: Int, t: Int, din: Int, dout: Int), seed: UInt64) -> (TokenTensor, TokenTensor) {
        (TokenTensor(samples: shape.n, tokens: shape.t, features: shape.din, padToken: 3, padSample: 5, seed: seed),
         TokenTensor(samples: shape.n, tokens: shape.t, features: shape.dout, padToken: 1, padSample: 2, seed: seed + 1, scale: 0.1))
    }

    static func ghost(_ a: TokenTensor, _ d: TokenTensor, bias: Bool, algorithm: GhostAlgorithm, variant: KernelVariant,
                      threads: Int) throws -> GhostNorms {
        try a.withView { av in
            try d.withView { dv in
                try GhostNorms(inputs: av, outputGradients: dv, bias: bias, algorithm: algorithm,
                               options: ComputeOptions(threads: threads, variant: variant))
            }
        }
    }

    @Test(arguments: outerVariants, [GhostAlgorithm.gram, .materialize])
    func matchesExplicitGradients(variant: KernelVariant, algorithm: GhostAlgorithm) throws {
        for (k, shape) in Self.shapes.enumerated() {
            let (a, d) = Self.tensors(shape, seed: 900 + 2 * UInt64(k))
            let e = Self.expected(a, d)
            let got = try Self.ghost(a, d, bias: true, algorithm: algorithm, variant: variant, threads: 2)
            let tolerance = variant == .reference ? Self.float64Tolerance : Self.float32Tolerance
            for i in 0..<shape.n {
                #expect(close(got.weight[i], e.weight[i], tolerance: tolerance, scale: e.weightScale[i]), "\(variant) \(algorithm) \(shape) sample \(i)")
                #expect(close(got.bias![i], e.bias[i], tolerance: Self.float64Tolerance, scale: e.biasScale[i]), "\(variant) \(shape) bias \(i)")
            }
            #expect(got.algorithm == algorithm)
        }
    }

    /// The two algorithms give the same norms to float32 rounding, and the automatic choice is one of them.
    @Test func algorithmsAgree() throws {
        for (k, shape) in Self.shapes.enumerated() {
            let (a, d) = Self.tensors(shape, seed: 1_000 + 2 * UInt64(k))
            let e = Self.expected(a, d)
            let gram = try Self.ghost(a, d, bias: false, algorithm: .gram, variant: .automatic, threads: 2)
            let materialized = try Self.ghost(a, d, bias: false, algorithm: .materialize, variant: .automatic, threads: 2)
            let automatic = try Self.ghost(a, d, bias: false, algorithm: .automatic, variant: .automatic, threads: 2)
            #expect(automatic.algorithm == GhostAlgorithm.choice(tokens: shape.t, inputFeatures: shape.din, outputFeatures: shape.dout))
            #expect(sameBits(automatic.weight, automatic.algorithm == .gram ? gram.weight : materialized.weight))
            for i in 0..<shape.n {
                #expect(close(gram.weight[i], materialized.weight[i], tolerance: 2 * Self.float32Tolerance, scale: e.weightScale[i]))
            }
        }
    }

    /// Without a bias nothing but the bias changes.
    @Test(arguments: [GhostAlgorithm.gram, .materialize])
    func biasOnAndOff(algorithm: GhostAlgorithm) throws {
        let (a, d) = Self.tensors((7, 9, 20, 11), seed: 1_100)
        let with = try Self.ghost(a, d, bias: true, algorithm: algorithm, variant: .automatic, threads: 2)
        let without = try Self.ghost(a, d, bias: false, algorithm: algorithm, variant: .automatic, threads: 2)
        #expect(without.bias == nil && with.bias?.count == 7)
        #expect(sameBits(with.weight, without.weight))
        #expect(without.total == without.weight)
        #expect(with.total == zip(with.weight, with.bias!).map { $0 + $1 })
    }

    @Test(arguments: outerVariants.filter { $0 != .reference })
    func sameBitsForEveryThreadCount(variant: KernelVariant) throws {
        let cases: [((n: Int, t: Int, din: Int, dout: Int), GhostAlgorithm)] = [
            ((2, 40, 300, 70), .gram),         // fewer samples than threads: parts within a sample
            ((37, 17, 50, 23), .gram),
            ((3, 300, 20, 60), .materialize),  // parts over d_out
            ((40, 20, 30, 30), .materialize),
            ((1_000, 1, 33, 17), .automatic),  // T = 1 in chunks of samples
        ]
        for (k, (shape, algorithm)) in cases.enumerated() {
            let (a, d) = Self.tensors(shape, seed: 1_200 + 2 * UInt64(k))
            let one = try Self.ghost(a, d, bias: true, algorithm: algorithm, variant: variant, threads: 1)
            for threads in outerThreadCounts.dropFirst() {
                let other = try Self.ghost(a, d, bias: true, algorithm: algorithm, variant: variant, threads: threads)
                #expect(sameBits(one.weight, other.weight), "\(variant) \(shape) \(threads) threads")
                #expect(sameBits(one.bias!, other.bias!), "\(variant) \(shape) \(threads) threads")
            }
        }
    }

    /// float64 input is computed in double.
    @Test(arguments: outerVariants, [FK_GHOST_GRAM, FK_GHOST_MATERIALIZE])
    func float64Input(variant: KernelVariant, method: fk_ghost_method) {
        let (n, t, din, dout) = (4, 13, 21, 9)
        let a = gaussianDoubles(n * t * din, seed: 1_300), d = gaussianDoubles(n * t * dout, seed: 1_301)
        var weight = [Double](repeating: 0, count: n), bias = weight
        var cfg = kernelConfig(variant, threads: 2)
        let status = fk_ghost_f64(n, t, din, dout, a, t * din, din, d, t * dout, dout, &weight, &bias, nil, method, &cfg)
        #expect(status == FK_OK)
        for i in 0..<n {
            var g = [Double](repeating: 0, count: din * dout), b = [Double](repeating: 0, count: dout)
            for s in 0..<t {
                for o in 0..<dout {
                    let dv = d[(i * t + s) * dout + o]
                    b[o] += dv
                    for j in 0..<din { g[o * din + j] += dv * a[(i * t + s) * din + j] }
                }
            }
            #expect(close(weight[i], sumOfSquares(g), tolerance: Self.float64Tolerance))
            #expect(close(bias[i], sumOfSquares(b), tolerance: Self.float64Tolerance))
        }
    }

    /// An N × (T·d) matrix read as N × T × d gives the same norms as the 3-D view of the same memory.
    @Test func tokenViewOverAFlattenedMatrix() throws {
        let (n, t, din, dout) = (5, 6, 8, 3)
        let a = gaussianFloats(n * t * din, seed: 1_400), d = gaussianFloats(n * t * dout, seed: 1_401)
        let direct = try a.withUnsafeBufferPointer { ab in
            try d.withUnsafeBufferPointer { db in
                try GhostNorms(inputs: TokenView(ab, samples: n, tokens: t, features: din),
                               outputGradients: TokenView(db, samples: n, tokens: t, features: dout), bias: true)
            }
        }
        let flattened = try a.withUnsafeBufferPointer { ab in
            try d.withUnsafeBufferPointer { db in
                try GhostNorms(inputs: TokenView(MatrixView(ab, rows: n, columns: t * din), tokens: t),
                               outputGradients: TokenView(MatrixView(db, rows: n, columns: t * dout), tokens: t), bias: true)
            }
        }
        #expect(direct == flattened)
        let firstTwo = try a.withUnsafeBufferPointer { ab in
            try d.withUnsafeBufferPointer { db in
                try GhostNorms(inputs: TokenView(ab, samples: n, tokens: t, features: din).samples(3..<5),
                               outputGradients: TokenView(db, samples: n, tokens: t, features: dout).samples(3..<5), bias: true)
            }
        }
        #expect(firstTwo.weight == Array(direct.weight[3..<5]))
    }

    @Test(arguments: [GhostAlgorithm.gram, .materialize, .automatic])
    func nonFiniteSampleIsNamed(algorithm: GhostAlgorithm) throws {
        for (shape, bad) in [((9, 4, 10, 6), 0), ((9, 4, 10, 6), 7), ((300, 1, 10, 6), 250)] {
            var (a, d) = Self.tensors(shape, seed: 1_500)
            if bad % 2 == 0 { a.set(bad, shape.1 - 1, 9, .nan) } else { d.set(bad, 0, 2, .infinity) }
            d.set(shape.0 - 1, 0, 0, .nan)  // a later one must not win
            #expect(throws: FisherError.nonFinite(row: bad, layer: nil)) {
                _ = try Self.ghost(a, d, bias: true, algorithm: algorithm, variant: .automatic, threads: 3)
            }
        }
    }

    /// The cost model picks the Gram form for long layers and few tokens, materialization for many tokens
    /// of small layers, and agrees with the published rule far from its boundary.
    @Test func costModelChoices() {
        #expect(GhostAlgorithm.choice(tokens: 1, inputFeatures: 1_024, outputFeatures: 1_024) == .gram)
        #expect(GhostAlgorithm.choice(tokens: 128, inputFeatures: 1_024, outputFeatures: 1_024) == .gram)
        #expect(GhostAlgorithm.choice(tokens: 4_096, inputFeatures: 256, outputFeatures: 256) == .materialize)
        #expect(GhostAlgorithm.choice(tokens: 512, inputFeatures: 16, outputFeatures: 8) == .materialize)
        for t in [2, 17, 128, 512, 2_048] {
            for (din, dout) in [(64, 64), (512, 2_048), (4_096, 4_096)] where abs(log2(Double(2 * t * t) / Double(din * dout))) > 3 {
                let published: GhostAlgorithm = 2 * t * t <= din * dout ? .gram : .materialize
                #expect(GhostAlgorithm.choice(tokens: t, inputFeatures: din, outputFeatures: dout) == published, "T=\(t) \(din)→\(dout)")
            }
        }
    }
}
