import CFisherKernels
@testable import FisherTrace

/// Shared pieces of the outer-product tests: float64 oracles computed by the plainest loops from the
/// exact stored values, and direct calls into the C kernels.

/// The thread counts every determinism test compares.
let outerThreadCounts = [1, 2, 3, 8]

/// The variants to run: every one that runs here.
let outerVariants = KernelVariant.supported

/// Seeded Gaussian values rounded to Float (the oracles use the rounded values).
func gaussianFloats(_ count: Int, seed: UInt64, scale: Double = 1, offset: Double = 0) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float(offset + scale * generator.nextGaussian()) }
}

func gaussianDoubles(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in scale * generator.nextGaussian() }
}

/// A 3-D float32 tensor (N×T×d) with padded strides, and its values in double.
struct TokenTensor {
    let samples: Int, tokens: Int, features: Int, tokenStride: Int, sampleStride: Int
    var storage: [Float]

    init(samples: Int, tokens: Int, features: Int, padToken: Int = 0, padSample: Int = 0, seed: UInt64, scale: Double = 1,
         offset: Double = 0) {
        self.samples = samples
        self.tokens = tokens
        self.features = features
        tokenStride = features + padToken
        sampleStride = tokens * tokenStride + padSample
        storage = gaussianFloats(max(samples * sampleStride, 1), seed: seed, scale: scale, offset: offset)
    }

    func value(_ i: Int, _ t: Int, _ j: Int) -> Double { Double(storage[i * sampleStride + t * tokenStride + j]) }

    mutating func set(_ i: Int, _ t: Int, _ j: Int, _ v: Float) { storage[i * sampleStride + t * tokenStride + j] = v }

    func withView<R>(_ body: (TokenView) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { buffer in
            try body(TokenView(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: .float32, samples: samples,
                               tokens: tokens, features: features, tokenStride: tokenStride, sampleStride: sampleStride))
        }
    }
}

/// The explicit per-sample gradient of a linear layer in double: Gᵢ = Σ_t δ_t a_tᵀ row-major, then Σ_t δ_t.
func explicitGradient(_ a: TokenTensor, _ d: TokenTensor, sample i: Int, bias: Bool) -> [Double] {
    var g = [Double](repeating: 0, count: d.features * a.features + (bias ? d.features : 0))
    for t in 0..<a.tokens {
        for o in 0..<d.features {
            let dv = d.value(i, t, o)
            for j in 0..<a.features { g[o * a.features + j] += dv * a.value(i, t, j) }
            if bias { g[d.features * a.features + o] += dv }
        }
    }
    return g
}

func sumOfSquares(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 } }

/// Σ_r x_r x_rᵀ of the rows of a row-major n×d matrix (values in double), full d×d.
func crossProductOracle(_ x: [Double], rows n: Int, columns d: Int, stride: Int) -> [Double] {
    var c = [Double](repeating: 0, count: d * d)
    for r in 0..<n {
        for i in 0..<d {
            let xi = x[r * stride + i]
            for j in 0..<d { c[i * d + j] += xi * x[r * stride + j] }
        }
    }
    return c
}

/// max over i, j of |c_ij − e_ij| / √(e_ii·e_jj): errors on the Cauchy–Schwarz scale of each entry.
func scaledError(_ c: [Double], _ e: [Double], side: Int, upperOnly: Bool = false) -> Double {
    var worst = 0.0
    for i in 0..<side {
        for j in (upperOnly ? i : 0)..<side {
            let scale = max((e[i * side + i] * e[j * side + j]).squareRoot(), Double.leastNormalMagnitude)
            worst = max(worst, abs(c[i * side + j] - e[i * side + j]) / scale)
        }
    }
    return worst
}

func kernelConfig(_ variant: KernelVariant, threads: Int) -> fk_config { fk_config(threads: Int32(threads), isa: variant.isa) }
