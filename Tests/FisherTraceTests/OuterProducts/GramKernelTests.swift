import CFisherKernels
import FisherTrace
import Testing

/// The Gram kernel fk_gram_* (G Gᵀ on and above the diagonal), every variant, against float64 loops.
@Suite struct GramKernelTests {
    static let float32Tolerance = 2e-6  // on the scale √(K_ii·K_jj); measured ≲ 1e-7
    static let float64Tolerance = 1e-12

    static let shapes: [(rows: Int, columns: Int)] = [
        (1, 1), (7, 17), (17, 7), (31, 33), (33, 31), (129, 129), (97, 257), (5, 3_001), (200, 3),
    ]

    /// K = G Gᵀ in double from the stored values (full N×N).
    static func oracle(_ g: [Double], rows n: Int, columns d: Int, stride: Int) -> [Double] {
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for c in 0..<d { s += g[i * stride + c] * g[j * stride + c] }
                k[i * n + j] = s
            }
        }
        return k
    }

    static func gram32(_ g: [Float], rows n: Int, columns d: Int, stride: Int, variant: KernelVariant, threads: Int,
                       fill: fk_fill = FK_FILL_FULL, initial: [Double]? = nil) -> (status: fk_status, bad: Int, k: [Double]) {
        var k = initial ?? [Double](repeating: 0, count: n * n)
        var bad = -2
        var cfg = kernelConfig(variant, threads: threads)
        let status = g.withUnsafeBufferPointer { fk_gram_f32(n, d, $0.baseAddress, stride, &k, max(n, 1), fill, &bad, &cfg) }
        return (status, bad, k)
    }

    @Test(arguments: outerVariants)
    func awkwardShapesFloat32(variant: KernelVariant) {
        for (k, shape) in Self.shapes.enumerated() {
            let ld = shape.columns + 2
            let g = gaussianFloats(shape.rows * ld, seed: 600 + UInt64(k), offset: 0.1)
            let exact = Self.oracle(g.map(Double.init), rows: shape.rows, columns: shape.columns, stride: ld)
            let got = Self.gram32(g, rows: shape.rows, columns: shape.columns, stride: ld, variant: variant, threads: 2)
            #expect(got.status == FK_OK && got.bad == -1)
            let tolerance = variant == .reference ? Self.float64Tolerance : Self.float32Tolerance
            #expect(scaledError(got.k, exact, side: shape.rows) <= tolerance, "\(variant) \(shape)")
            for i in 0..<shape.rows { for j in 0..<i { #expect(got.k[i * shape.rows + j] == got.k[j * shape.rows + i]) } }
        }
    }

    @Test(arguments: outerVariants)
    func float64Input(variant: KernelVariant) {
        for (k, shape) in Self.shapes.enumerated() {
            let g = gaussianDoubles(shape.rows * shape.columns, seed: 700 + UInt64(k))
            let exact = Self.oracle(g, rows: shape.rows, columns: shape.columns, stride: shape.columns)
            var out = [Double](repeating: 0, count: shape.rows * shape.rows)
            var cfg = kernelConfig(variant, threads: 3)
            let status = g.withUnsafeBufferPointer {
                fk_gram_f64(shape.rows, shape.columns, $0.baseAddress, shape.columns, &out, shape.rows, FK_FILL_FULL, nil, &cfg)
            }
            #expect(status == FK_OK)
            #expect(scaledError(out, exact, side: shape.rows) <= Self.float64Tolerance, "\(variant) \(shape)")
        }
    }

    @Test(arguments: outerVariants)
    func upperTriangleAccumulatesAndLowerIsUntouched(variant: KernelVariant) {
        let (n, d) = (53, 40)
        let g = gaussianFloats(n * d, seed: 15)
        let exact = Self.oracle(g.map(Double.init), rows: n, columns: d, stride: d)
        var initial = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { initial[i * n + j] = j >= i ? 50 : -3 } }
        let got = Self.gram32(g, rows: n, columns: d, stride: d, variant: variant, threads: 2, fill: FK_FILL_UPPER, initial: initial)
        for i in 0..<n {
            for j in 0..<n {
                if j < i {
                    #expect(got.k[i * n + j] == -3)
                } else {
                    let scale = (exact[i * n + i] * exact[j * n + j]).squareRoot()
                    #expect(abs(got.k[i * n + j] - 50 - exact[i * n + j]) <= Self.float32Tolerance * scale + 1e-13 * 50)
                }
            }
        }
    }

    @Test(arguments: outerVariants.filter { $0 != .reference })
    func sameBitsForEveryThreadCount(variant: KernelVariant) {
        for (k, (n, d)) in [(3, 40_000), (300, 700), (61, 2_500)].enumerated() {
            let g = gaussianFloats(n * d, seed: 800 + UInt64(k))
            let one = Self.gram32(g, rows: n, columns: d, stride: d, variant: variant, threads: 1)
            for threads in outerThreadCounts.dropFirst() {
                let other = Self.gram32(g, rows: n, columns: d, stride: d, variant: variant, threads: threads)
                #expect(sameBits(one.k, other.k), "\(variant) \(n)×\(d) \(threads) threads")
            }
        }
    }

    /// tr K = N·tr(I_F), with tr(I_F) from the moments kernel; column blocks add up to the whole.
    @Test func traceIsNTimesFisherTrace() throws {
        let m = TestMatrix(rows: 120, columns: 260, seed: 16)
        var accumulator = FisherAccumulator(dimension: 260)
        try m.withView { try accumulator.update($0) }
        let fisherTrace = try accumulator.finalize().overall.trace
        let whole = try m.withView { try GramMatrix($0) }
        var blocks = GramMatrix(samples: 120)
        try m.withView { view in
            try blocks.update(view.columns(0..<100))
            try blocks.update(view.columns(100..<260))
        }
        #expect(blocks.dimension == 260)
        #expect(close(whole.trace, 120 * fisherTrace, tolerance: 1e-6))
        #expect(close(whole.fisherTrace, fisherTrace, tolerance: 1e-6))
        #expect(scaledError(blocks.elements, whole.elements, side: 120) <= Self.float32Tolerance)
    }

    @Test(arguments: outerVariants)
    func nonFiniteRowIsNamed(variant: KernelVariant) {
        let (n, d) = (90, 1_100)
        for (row, value) in [(0, Float.nan), (41, Float.infinity), (89, -Float.infinity)] {
            var g = gaussianFloats(n * d, seed: 17)
            g[row * d + 1_099] = value
            if row < 60 { g[70 * d] = .nan }
            let got = Self.gram32(g, rows: n, columns: d, stride: d, variant: variant, threads: 3)
            #expect(got.status == FK_NONFINITE && got.bad == row, "\(variant) row \(row)")
        }
        // Finite values whose float32 squares overflow: an overflow, not bad data (the reference sums in
        // double and does not overflow).
        var g = gaussianFloats(10 * 4, seed: 18)
        g[6 * 4 + 1] = 4e19
        let big = Self.gram32(g, rows: 10, columns: 4, stride: 4, variant: variant, threads: 2)
        #expect(big.status == (variant == .reference ? FK_OK : FK_OVERFLOW))
        #expect(big.bad == (variant == .reference ? -1 : 6))
    }
}
