import CFisherKernels
import FisherTrace
import Testing

/// K-FAC factors (fk_kfac_factor_*) and the summed layer gradient (fk_linear_grad_sum_*), every variant,
/// against float64 definitions; the Kronecker trace against its closed form and the ghost-norm trace.
@Suite struct KFACKernelTests {
    static let float32Tolerance = 2e-6  // on the Cauchy–Schwarz scale of each entry
    static let float64Tolerance = 1e-12

    static let shapes: [(n: Int, t: Int, din: Int, dout: Int)] = [
        (3, 1, 7, 5), (5, 2, 17, 9), (4, 17, 33, 31), (2, 128, 64, 65), (1, 129, 31, 17), (30, 20, 1, 3),
    ]

    /// A = (1/(N·T)) Σ ã ãᵀ (ã = (a, 1) with a bias) and S = (1/N) Σ δ δᵀ in double.
    static func factors(_ a: TokenTensor, _ d: TokenTensor, bias: Bool) -> (a: [Double], s: [Double]) {
        let side = a.features + (bias ? 1 : 0)
        var fa = [Double](repeating: 0, count: side * side), fs = [Double](repeating: 0, count: d.features * d.features)
        for i in 0..<a.samples {
            for t in 0..<a.tokens {
                let x = (0..<a.features).map { a.value(i, t, $0) } + (bias ? [1] : [])
                for p in 0..<side { for q in 0..<side { fa[p * side + q] += x[p] * x[q] } }
                for p in 0..<d.features { for q in 0..<d.features { fs[p * d.features + q] += d.value(i, t, p) * d.value(i, t, q) } }
            }
        }
        let nt = Double(a.samples * a.tokens), n = Double(a.samples)
        return (fa.map { $0 / nt }, fs.map { $0 / n })
    }

    static func tensors(_ shape: (n: Int, t: Int, din: Int, dout: Int), seed: UInt64) -> (TokenTensor, TokenTensor) {
        (TokenTensor(samples: shape.n, tokens: shape.t, features: shape.din, padToken: 2, padSample: 3, seed: seed, scale: 0.7),
         TokenTensor(samples: shape.n, tokens: shape.t, features: shape.dout, padToken: 1, padSample: 4, seed: seed + 1))
    }

    @Test(arguments: outerVariants, [true, false])
    func factorsMatchFloat64(variant: KernelVariant, bias: Bool) throws {
        for (k, shape) in Self.shapes.enumerated() {
            let (a, d) = Self.tensors(shape, seed: 2_000 + 2 * UInt64(k))
            let exact = Self.factors(a, d, bias: bias)
            let got = try a.withView { av in
                try d.withView { dv in
                    try KFACFactors(inputs: av, outputGradients: dv, bias: bias, options: ComputeOptions(threads: 2, variant: variant))
                }
            }
            let tolerance = variant == .reference ? Self.float64Tolerance : Self.float32Tolerance
            #expect(got.inputDimension == shape.din + (bias ? 1 : 0) && got.outputDimension == shape.dout)
            #expect(scaledError(got.inputFactor, exact.a, side: got.inputDimension) <= tolerance, "\(variant) \(shape) A")
            #expect(scaledError(got.outputFactor, exact.s, side: shape.dout) <= tolerance, "\(variant) \(shape) S")
            let traceA = (0..<got.inputDimension).reduce(0.0) { $0 + exact.a[$1 * got.inputDimension + $1] }
            let traceS = (0..<shape.dout).reduce(0.0) { $0 + exact.s[$1 * shape.dout + $1] }
            #expect(close(got.kroneckerTrace, traceA * traceS, tolerance: 1e-6))
        }
    }

    @Test(arguments: outerVariants)
    func summedGradientMatchesFloat64(variant: KernelVariant) throws {
        for (k, shape) in Self.shapes.enumerated() {
            let (a, d) = Self.tensors(shape, seed: 2_100 + 2 * UInt64(k))
            var exact = [Double](repeating: 0, count: shape.dout * shape.din + shape.dout)
            var scale = [Double](repeating: 0, count: exact.count)  // Σ|terms| of each entry
            for i in 0..<shape.n {
                for t in 0..<shape.t {
                    for o in 0..<shape.dout {
                        let dv = d.value(i, t, o)
                        for j in 0..<shape.din {
                            exact[o * shape.din + j] += dv * a.value(i, t, j)
                            scale[o * shape.din + j] += abs(dv * a.value(i, t, j))
                        }
                        exact[shape.dout * shape.din + o] += dv
                        scale[shape.dout * shape.din + o] += abs(dv)
                    }
                }
            }
            let got = try a.withView { av in
                try d.withView { dv in
                    try LinearGradientSum(inputs: av, outputGradients: dv, bias: true, options: ComputeOptions(threads: 3, variant: variant))
                }
            }
            let tolerance = variant == .reference ? Self.float64Tolerance : Self.float32Tolerance
            for (q, value) in got.flattened.enumerated() {
                let bound = q >= shape.dout * shape.din ? Self.float64Tolerance : tolerance  // the bias is summed in double
                #expect(close(value, exact[q], tolerance: bound, scale: scale[q]), "\(variant) \(shape) entry \(q)")
            }
            #expect(got.weight.count == shape.dout * shape.din && got.bias?.count == shape.dout)
        }
    }

    @Test(arguments: outerVariants.filter { $0 != .reference })
    func sameBitsForEveryThreadCount(variant: KernelVariant) throws {
        for (k, shape) in [(3, 700, 40, 300), (200, 30, 250, 9)].enumerated() {
            let (a, d) = Self.tensors(shape, seed: 2_200 + 2 * UInt64(k))
            func run(_ threads: Int) throws -> (KFACFactors, LinearGradientSum) {
                let options = ComputeOptions(threads: threads, variant: variant)
                return try a.withView { av in
                    try d.withView { dv in
                        (try KFACFactors(inputs: av, outputGradients: dv, bias: true, options: options),
                         try LinearGradientSum(inputs: av, outputGradients: dv, bias: true, options: options))
                    }
                }
            }
            let one = try run(1)
            for threads in outerThreadCounts.dropFirst() {
                let other = try run(threads)
                #expect(sameBits(one.0.inputFactor, other.0.inputFactor) && sameBits(one.0.outputFactor, other.0.outputFactor),
                        "\(variant) \(shape) \(threads) threads")
                #expect(sameBits(one.1.flattened, other.1.flattened), "\(variant) \(shape) \(threads) threads")
            }
        }
    }

    /// At T = 1 with every ‖ãᵢ‖² equal, E[‖ã‖²‖δ‖²] = E‖ã‖²·E‖δ‖²: the Kronecker trace is exact; with
    /// ‖ãᵢ‖² and ‖δᵢ‖² correlated it is not, and the comparison shows by how much.
    @Test func kroneckerTraceAgainstGhostTrace() throws {
        let (n, din, dout) = (64, 12, 7)
        var a = TokenTensor(samples: n, tokens: 1, features: din, seed: 2_300)
        let d = TokenTensor(samples: n, tokens: 1, features: dout, seed: 2_301)
        for i in 0..<n {  // ‖aᵢ‖² = 4 exactly is not representable after rounding; close enough for 1e-6
            let norm = (0..<din).reduce(0.0) { $0 + a.value(i, 0, $1) * a.value(i, 0, $1) }.squareRoot()
            for j in 0..<din { a.set(i, 0, j, Float(2 * a.value(i, 0, j) / norm)) }
        }
        func compare(_ a: TokenTensor, _ d: TokenTensor) throws -> KroneckerTraceComparison {
            try a.withView { av in
                try d.withView { dv in
                    let kfac = try KFACFactors(inputs: av, outputGradients: dv, bias: true)
                    return kfac.compared(with: try GhostNorms(inputs: av, outputGradients: dv, bias: true))
                }
            }
        }
        let equalNorms = try compare(a, d)
        #expect(close(equalNorms.kronecker, equalNorms.exact, tolerance: 1e-5))
        for i in 0..<n { for j in 0..<din { a.set(i, 0, j, Float(a.value(i, 0, j) * Double(1 + i % 4))) } }  // ‖aᵢ‖² varies
        var correlated = d
        for i in 0..<n { for o in 0..<dout { correlated.set(i, 0, o, Float(d.value(i, 0, o) * Double(1 + i % 4))) } }
        let together = try compare(a, correlated)
        #expect(together.ratio! < 0.9)  // E[XY] > E[X]E[Y] for X, Y growing together
    }

    @Test func nonFiniteSampleIsNamed() throws {
        var (a, d) = Self.tensors((10, 6, 8, 5), seed: 2_400)
        a.set(4, 5, 7, .nan)
        a.withView { av in
            d.withView { dv in
                _ = #expect(throws: FisherError.nonFinite(row: 4, layer: nil)) { try KFACFactors(inputs: av, outputGradients: dv, bias: false) }
                _ = #expect(throws: FisherError.nonFinite(row: 4, layer: nil)) { try LinearGradientSum(inputs: av, outputGradients: dv, bias: true) }
            }
        }
        d.set(2, 0, 0, -.infinity)
        a.withView { av in
            d.withView { dv in
                _ = #expect(throws: FisherError.nonFinite(row: 2, layer: nil)) { try LinearGradientSum(inputs: av, outputGradients: dv, bias: false) }
            }
        }
    }

    /// float64 input is computed in double.
    @Test(arguments: outerVariants)
    func float64Input(variant: KernelVariant) {
        let (n, t, dim) = (3, 50, 19)
        let x = gaussianDoubles(n * t * dim, seed: 2_500)
        var c = [Double](repeating: 0, count: dim * dim), sums = [Double](repeating: 0, count: dim)
        var cfg = kernelConfig(variant, threads: 2)
        let status = fk_kfac_factor_f64(n, t, dim, x, t * dim, dim, &c, dim, &sums, FK_FILL_FULL, nil, &cfg)
        #expect(status == FK_OK)
        let exact = crossProductOracle(x, rows: n * t, columns: dim, stride: dim)
        #expect(scaledError(c, exact, side: dim) <= Self.float64Tolerance)
        for j in 0..<dim {
            let s = (0..<(n * t)).reduce(0.0) { $0 + x[$1 * dim + j] }
            #expect(close(sums[j], s, tolerance: 1e-12, scale: (0..<(n * t)).reduce(0.0) { $0 + abs(x[$1 * dim + j]) }))
        }
    }
}
