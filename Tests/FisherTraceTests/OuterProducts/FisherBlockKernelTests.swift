import CFisherKernels
import FisherTrace
import Testing

/// The Fisher block kernel fk_syrk_* (GᵀG on and above the diagonal), every variant, against float64
/// loops: awkward shapes, strides, both element types, mirroring, accumulation, threads, bad values.
@Suite struct FisherBlockKernelTests {
    /// Entry errors on the scale √(C_ii·C_jj): float32 sums over 256-row blocks are good to ~1e-7 here;
    /// a wrong index or a lost block is off by O(1).
    static let float32Tolerance = 2e-6
    static let float64Tolerance = 1e-12

    static let shapes: [(rows: Int, columns: Int)] = [
        (1, 1), (7, 17), (17, 7), (31, 33), (33, 31), (129, 129), (257, 97), (600, 13), (3, 200), (1_000, 5),
    ]

    /// Runs fk_syrk_f32 on an n×d matrix with row stride ld into a d×d buffer starting at `initial`.
    static func syrk32(_ g: [Float], rows n: Int, columns d: Int, stride ld: Int, variant: KernelVariant, threads: Int,
                       fill: fk_fill = FK_FILL_FULL, initial: [Double]? = nil) -> (status: fk_status, bad: Int, c: [Double]) {
        var c = initial ?? [Double](repeating: 0, count: d * d)
        var bad = -2
        var cfg = kernelConfig(variant, threads: threads)
        let status = g.withUnsafeBufferPointer { fk_syrk_f32(n, d, $0.baseAddress, ld, &c, max(d, 1), fill, &bad, &cfg) }
        return (status, bad, c)
    }

    @Test(arguments: outerVariants)
    func awkwardShapesFloat32(variant: KernelVariant) {
        for (k, shape) in Self.shapes.enumerated() {
            let ld = shape.columns + 3
            let g = gaussianFloats(shape.rows * ld, seed: 300 + UInt64(k), offset: 0.3)
            let exact = crossProductOracle(g.map(Double.init), rows: shape.rows, columns: shape.columns, stride: ld)
            let got = Self.syrk32(g, rows: shape.rows, columns: shape.columns, stride: ld, variant: variant, threads: 2)
            #expect(got.status == FK_OK && got.bad == -1)
            let tolerance = variant == .reference ? Self.float64Tolerance : Self.float32Tolerance
            #expect(scaledError(got.c, exact, side: shape.columns) <= tolerance, "\(variant) \(shape)")
            for i in 0..<shape.columns { for j in 0..<i { #expect(got.c[i * shape.columns + j] == got.c[j * shape.columns + i]) } }
        }
    }

    @Test(arguments: outerVariants)
    func float64Input(variant: KernelVariant) {
        for (k, shape) in Self.shapes.enumerated() {
            let ld = shape.columns + 1
            let g = gaussianDoubles(shape.rows * ld, seed: 400 + UInt64(k))
            let exact = crossProductOracle(g, rows: shape.rows, columns: shape.columns, stride: ld)
            var c = [Double](repeating: 0, count: shape.columns * shape.columns)
            var cfg = kernelConfig(variant, threads: 3)
            let status = g.withUnsafeBufferPointer {
                fk_syrk_f64(shape.rows, shape.columns, $0.baseAddress, ld, &c, shape.columns, FK_FILL_FULL, nil, &cfg)
            }
            #expect(status == FK_OK)
            #expect(scaledError(c, exact, side: shape.columns) <= Self.float64Tolerance, "\(variant) \(shape)")
        }
    }

    /// Long enough for several phases and k-blocks, narrow enough that rows are split into parts.
    @Test(arguments: outerVariants.filter { $0 != .reference })
    func manyRowsFewTiles(variant: KernelVariant) {
        let (n, d) = (9_000, 41)
        let g = gaussianFloats(n * d, seed: 7, scale: 0.5, offset: -0.2)
        let exact = crossProductOracle(g.map(Double.init), rows: n, columns: d, stride: d)
        let got = Self.syrk32(g, rows: n, columns: d, stride: d, variant: variant, threads: 2)
        #expect(got.status == FK_OK)
        #expect(scaledError(got.c, exact, side: d) <= Self.float32Tolerance)
    }

    /// FK_FILL_UPPER accumulates into j ≥ i and leaves the strict lower triangle alone.
    @Test(arguments: outerVariants)
    func upperTriangleAccumulatesAndLowerIsUntouched(variant: KernelVariant) {
        let (n, d) = (50, 37)
        let g = gaussianFloats(n * d, seed: 8)
        let exact = crossProductOracle(g.map(Double.init), rows: n, columns: d, stride: d)
        var initial = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { initial[i * d + j] = j >= i ? 100 : -7 } }
        let got = Self.syrk32(g, rows: n, columns: d, stride: d, variant: variant, threads: 2, fill: FK_FILL_UPPER, initial: initial)
        #expect(got.status == FK_OK)
        for i in 0..<d {
            for j in 0..<d {
                if j < i {
                    #expect(got.c[i * d + j] == -7)
                } else {
                    let scale = (exact[i * d + i] * exact[j * d + j]).squareRoot()
                    #expect(abs(got.c[i * d + j] - 100 - exact[i * d + j]) <= Self.float32Tolerance * scale + 1e-13 * 100)
                }
            }
        }
    }

    /// A layer is a column range of a wider matrix.
    @Test func columnRangeOfWiderMatrix() throws {
        let (n, wide) = (70, 90)
        let g = gaussianFloats(n * wide, seed: 9)
        let layer = 20..<61
        let exact = crossProductOracle(g.map(Double.init).enumerated().compactMap { layer.contains($0.offset % wide) ? $0.element : nil },
                                       rows: n, columns: layer.count, stride: layer.count)
        let block = try g.withUnsafeBufferPointer { try FisherBlock(MatrixView($0, rows: n, columns: wide).columns(layer)) }
        let f = block.elements
        #expect(block.samples == n && block.dimension == layer.count)
        #expect(scaledError(f.map { $0 * Double(n) }, exact, side: layer.count) <= Self.float32Tolerance)
    }

    @Test(arguments: outerVariants.filter { $0 != .reference })
    func sameBitsForEveryThreadCount(variant: KernelVariant) {
        for (k, (n, d)) in [(5_000, 70), (700, 500), (300, 1_100)].enumerated() {
            let g = gaussianFloats(n * d, seed: 500 + UInt64(k))
            let one = Self.syrk32(g, rows: n, columns: d, stride: d, variant: variant, threads: 1)
            for threads in outerThreadCounts.dropFirst() {
                let other = Self.syrk32(g, rows: n, columns: d, stride: d, variant: variant, threads: threads)
                #expect(sameBits(one.c, other.c), "\(variant) \(n)×\(d) \(threads) threads")
            }
        }
    }

    /// tr F equals tr(I_F) from the moments kernel (FisherAccumulator), per layer too.
    @Test(arguments: [ElementType.float32, .float64])
    func traceEqualsFisherTrace(type: ElementType) throws {
        let m = TestMatrix(rows: 333, columns: 150, type: type, seed: 10)
        let layers = FisherAccumulator.Layer.consecutive([("a", 100), ("b", 50)])
        var accumulator = FisherAccumulator(dimension: 150, layers: layers)
        try m.withView { try accumulator.update($0) }
        let statistics = try accumulator.finalize()
        for (l, layer) in layers.enumerated() {
            let block = try m.withView { try FisherBlock($0.columns(layer.columns)) }
            #expect(close(block.trace, statistics.layers[l].trace, tolerance: type == .float32 ? 1e-6 : 1e-13))
        }
        let whole = try m.withView { try FisherBlock($0) }
        #expect(close(whole.trace, statistics.overall.trace, tolerance: type == .float32 ? 1e-6 : 1e-13))
    }

    /// Rows in chunks and merged shards give the one-shot result to float32 rounding (the k-blocks of
    /// 256 rows start afresh in every chunk).
    @Test func chunksAndMergesAddUp() throws {
        let m = TestMatrix(rows: 600, columns: 45, seed: 11)
        let whole = try m.withView { try FisherBlock($0) }
        var chunked = FisherBlock(dimension: 45)
        var other = FisherBlock(dimension: 45)
        try m.withView { view in
            try chunked.update(view.rows(0..<100))
            try chunked.update(view.rows(100..<350))
            try other.update(view.rows(350..<600))
        }
        try chunked.merge(other)
        #expect(chunked.samples == 600)
        #expect(scaledError(chunked.elements, whole.elements, side: 45) <= Self.float32Tolerance)
    }

    @Test(arguments: outerVariants)
    func nonFiniteRowIsNamed(variant: KernelVariant) {
        let (n, d) = (500, 29)
        for (row, value) in [(0, Float.nan), (123, Float.infinity), (499, -Float.infinity)] {
            var g = gaussianFloats(n * d, seed: 12)
            g[row * d + 28] = value
            if row < 400 { g[450 * d + 3] = .nan }  // a later one must not win
            let got = Self.syrk32(g, rows: n, columns: d, stride: d, variant: variant, threads: 3)
            #expect(got.status == FK_NONFINITE && got.bad == row, "\(variant) row \(row)")
        }
    }

    /// Finite float32 values whose products overflow float32 are reported as an overflow, not as bad data;
    /// the Swift type then refuses further use.
    @Test func float32OverflowAndInvalidation() throws {
        var g = gaussianFloats(40 * 6, seed: 13)
        g[17 * 6 + 2] = 3e19
        let got = Self.syrk32(g, rows: 40, columns: 6, stride: 6, variant: .automatic, threads: 2)
        #expect(got.status == FK_OVERFLOW)
        var h = gaussianFloats(40 * 6, seed: 14)
        h[21 * 6] = .nan
        var block = FisherBlock(dimension: 6)
        try g.withUnsafeBufferPointer { try block.update(MatrixView($0, rows: 40, columns: 6).rows(0..<10)) }
        h.withUnsafeBufferPointer { buffer in
            _ = #expect(throws: FisherError.nonFinite(row: 31, layer: nil)) { try block.update(MatrixView(buffer, rows: 40, columns: 6)) }
        }
        let empty = MatrixView(UnsafeBufferPointer<Float>(start: nil, count: 0), rows: 0, columns: 6)
        #expect(throws: FisherError.invalidated(by: FisherError.nonFinite(row: 31, layer: nil).description)) {
            try block.update(empty)
        }
    }
}
