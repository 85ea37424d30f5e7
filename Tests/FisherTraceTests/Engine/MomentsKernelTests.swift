import Foundation
import CFisherKernels
import FisherTrace
import Testing

/// The moments kernel, every variant, against float64 loops: awkward shapes, strides, types, threads.
@Suite struct MomentsKernelTests {
    /// Relative tolerance for sums of squares and, scaled by Σ|x|, for plain sums: double accumulation
    /// in any order differs from the float64 loop by ≲ (terms)·2⁻⁵³, far below this.
    static let tolerance = 1e-12

    static let shapes: [(rows: Int, columns: Int)] = [
        (0, 5), (1, 1), (1, 7), (7, 15), (15, 16), (16, 17), (17, 33), (33, 1), (5, 10_007), (600, 24), (3, 0),
    ]

    func check(_ m: TestMatrix, variant: KernelVariant, threads: Int = 2) {
        let ref = m.reference
        let got = runMoments(m, variant: variant, threads: threads)
        #expect(got.status == FK_OK)
        #expect(got.badRow == -1)
        for i in 0..<m.rows {
            #expect(close(got.rowSquares[i], ref.rowSquares[i], tolerance: Self.tolerance), "row² \(i) \(variant)")
            #expect(close(got.rowSums[i], ref.rowSums[i], tolerance: Self.tolerance, scale: ref.absoluteRowSums[i]), "row \(i) \(variant)")
        }
        for j in 0..<m.columns {
            #expect(close(got.columnSquares[j], ref.columnSquares[j], tolerance: Self.tolerance), "col² \(j) \(variant)")
            #expect(close(got.columnSums[j], ref.columnSums[j], tolerance: Self.tolerance, scale: ref.absoluteColumnSums[j]), "col \(j) \(variant)")
        }
    }

    @Test(arguments: KernelVariant.supported)
    func awkwardShapesFloat32(variant: KernelVariant) {
        for (k, shape) in Self.shapes.enumerated() {
            check(TestMatrix(rows: shape.rows, columns: shape.columns, seed: UInt64(k)), variant: variant)
        }
    }

    @Test(arguments: KernelVariant.supported, [ElementType.float64, .float16, .bfloat16])
    func otherElementTypes(variant: KernelVariant, type: ElementType) {
        for (k, shape) in Self.shapes.enumerated() {
            check(TestMatrix(rows: shape.rows, columns: shape.columns, type: type, seed: 100 + UInt64(k)), variant: variant)
        }
    }

    @Test(arguments: KernelVariant.supported)
    func stridedRows(variant: KernelVariant) {
        check(TestMatrix(rows: 37, columns: 19, rowStride: 32, seed: 7), variant: variant)
        check(TestMatrix(rows: 9, columns: 1, rowStride: 5, type: .float64, seed: 8), variant: variant)
    }

    /// A column range of a wider matrix is a view with a row stride: the layer path.
    @Test func columnRangeOfWiderMatrix() {
        let wide = TestMatrix(rows: 21, columns: 50, seed: 11)
        var layer = TestMatrix(rows: 21, columns: 13, seed: 0)
        for i in 0..<21 { for j in 0..<13 { layer.set(i * 13 + j, wide.value(i, j + 30)) } }
        let ref = layer.reference
        var columnSums = [Double](repeating: 0, count: 13)
        var rowSquares = [Double](repeating: 0, count: 21)
        var config = fk_config(threads: 2, isa: FK_ISA_AUTO)
        let status = wide.float32.withUnsafeBufferPointer { buffer in
            fk_moments_f32(21, 13, buffer.baseAddress! + 30, 50, nil, &rowSquares, &columnSums, nil, nil, &config)
        }
        #expect(status == FK_OK)
        for i in 0..<21 { #expect(close(rowSquares[i], ref.rowSquares[i], tolerance: Self.tolerance)) }
        for j in 0..<13 { #expect(close(columnSums[j], ref.columnSums[j], tolerance: Self.tolerance, scale: ref.absoluteColumnSums[j])) }
    }

    /// More than a million columns: column blocks, column groups, scratch.
    @Test(arguments: KernelVariant.supported.filter { $0 != .reference })
    func millionColumns(variant: KernelVariant) {
        check(TestMatrix(rows: 3, columns: 1_048_583, seed: 12), variant: variant, threads: 2)
    }

    /// Same bits for 1, 2, 3 and 8 threads, on shapes that split rows into chunks and columns into groups.
    @Test(arguments: KernelVariant.supported.filter { $0 != .reference })
    func sameBitsForEveryThreadCount(variant: KernelVariant) {
        let matrices = [
            TestMatrix(rows: 5_000, columns: 67, seed: 21),           // many row chunks
            TestMatrix(rows: 40, columns: 40_000, seed: 22),          // column groups
            TestMatrix(rows: 1_500, columns: 2_050, type: .bfloat16, seed: 23),  // both
        ]
        for m in matrices {
            let one = runMoments(m, variant: variant, threads: 1)
            for threads in [2, 3, 8] {
                let other = runMoments(m, variant: variant, threads: threads)
                #expect(sameBits(one.rowSums, other.rowSums), "\(variant) \(threads) threads")
                #expect(sameBits(one.rowSquares, other.rowSquares), "\(variant) \(threads) threads")
                #expect(sameBits(one.columnSums, other.columnSums), "\(variant) \(threads) threads")
                #expect(sameBits(one.columnSquares, other.columnSquares), "\(variant) \(threads) threads")
            }
        }
    }

    /// Leaving out the optional outputs changes nothing in the others.
    @Test(arguments: KernelVariant.supported)
    func optionalOutputsAreIndependent(variant: KernelVariant) {
        let m = TestMatrix(rows: 700, columns: 45, seed: 31)
        let all = runMoments(m, variant: variant, threads: 2)
        let lean = runMoments(m, variant: variant, threads: 2, rowSums: false, columnSquares: false)
        #expect(sameBits(all.rowSquares, lean.rowSquares))
        #expect(sameBits(all.columnSums, lean.columnSums))
        #expect(lean.rowSums.allSatisfy { $0.isNaN })  // untouched
        #expect(lean.columnSquares.allSatisfy { $0 == 0 })   // untouched
    }

    /// Columns are accumulated into, so chunks of rows add up.
    @Test(arguments: KernelVariant.supported)
    func columnsAccumulate(variant: KernelVariant) {
        let m = TestMatrix(rows: 9, columns: 12, seed: 41)
        let ref = m.reference
        let got = runMoments(m, variant: variant, threads: 2, initialColumns: [Double](repeating: 100, count: 12))
        for j in 0..<12 {
            #expect(close(got.columnSums[j], 100 + ref.columnSums[j], tolerance: Self.tolerance))
            #expect(close(got.columnSquares[j], 100 + ref.columnSquares[j], tolerance: Self.tolerance))
        }
    }

    /// NaN and ±Inf are found in the same pass; the first offending row is reported.
    @Test(arguments: KernelVariant.supported, [ElementType.float32, .float64, .float16, .bfloat16])
    func nonFiniteValuesNameTheFirstRow(variant: KernelVariant, type: ElementType) {
        for (row, value) in [(0, Double.nan), (123, Double.infinity), (998, -Double.infinity)] {
            var m = TestMatrix(rows: 1_000, columns: 37, type: type, seed: 51)
            m.set(row * 37 + 36, value)
            m.set(999 * 37 + 3, .nan)  // a later one must not win
            let got = runMoments(m, variant: variant, threads: 3)
            #expect(got.status == FK_NONFINITE)
            #expect(got.badRow == row, "\(variant) \(type)")
        }
    }

    /// Values near the float32 maximum square without overflow in double.
    @Test(arguments: KernelVariant.supported)
    func nearFloat32MaximumStaysFinite(variant: KernelVariant) {
        var m = TestMatrix(rows: 5, columns: 9, seed: 61)
        for i in 0..<45 { m.set(i, (i % 2 == 0 ? 1 : -1) * Double(Float.greatestFiniteMagnitude)) }
        let got = runMoments(m, variant: variant, threads: 2)
        let big = Double(Float.greatestFiniteMagnitude)
        #expect(got.status == FK_OK)
        for i in 0..<5 { #expect(close(got.rowSquares[i], 9 * big * big, tolerance: 1e-15)) }
        for j in 0..<9 { #expect(close(got.columnSquares[j], 5 * big * big, tolerance: 1e-15)) }
    }

    /// Finite float64 values whose squares overflow are an overflow, not a NaN.
    @Test func float64OverflowIsNamed() {
        var m = TestMatrix(rows: 4, columns: 3, type: .float64, seed: 71)
        m.set(2 * 3 + 1, 1e200)
        let got = runMoments(m, variant: .automatic, threads: 1)
        #expect(got.status == FK_OVERFLOW)
        #expect(got.badRow == 2)
    }

    @Test func badArgumentsAreRejected() {
        var config = fk_config(threads: 1, isa: FK_ISA_AUTO)
        var rq = [Double](repeating: 0, count: 4), cs = [Double](repeating: 0, count: 4)
        let x = [Float](repeating: 1, count: 16)
        #expect(fk_moments_f32(-1, 4, x, 4, nil, &rq, &cs, nil, nil, &config) == FK_BAD_ARGUMENT)
        #expect(fk_moments_f32(2, 4, x, 3, nil, &rq, &cs, nil, nil, &config) == FK_BAD_ARGUMENT)
        #expect(fk_moments_f32(2, 4, nil, 4, nil, &rq, &cs, nil, nil, &config) == FK_BAD_ARGUMENT)
        config.threads = -1
        #expect(fk_moments_f32(2, 4, x, 4, nil, &rq, &cs, nil, nil, &config) == FK_BAD_ARGUMENT)
    }

    @Test func dispatchReportsTheVariant() {
        #expect(fk_isa_supported(FK_ISA_REFERENCE) == 1 && fk_isa_supported(FK_ISA_PORTABLE) == 1)
        #expect(KernelVariant.default != .automatic && KernelVariant.default.isSupported)
        #expect(String(cString: fk_isa_name(FK_ISA_AVX512)) == "avx512")
        #if arch(x86_64)
        // This project's machines have AVX-512; on others the best supported variant must be chosen.
        let best: KernelVariant = KernelVariant.avx512.isSupported ? .avx512 : KernelVariant.avx2.isSupported ? .avx2 : .portable
        if ProcessInfo.processInfo.environment["FISHERTRACE_ISA"] == nil { #expect(KernelVariant.default == best) }
        #endif
    }
}

/// The peak-FMA probe does the flops it reports, for every variant and thread count.
@Suite struct FMAProbeKernelTests {
    @Test(arguments: KernelVariant.supported)
    func reportsItsFlops(variant: KernelVariant) throws {
        let lanes: Double = variant == .avx512 ? 16 : variant == .avx2 ? 8 : 4  // reference runs the portable probe
        for threads in [1, 2, 3] {
            let flops = try Compute.fmaProbe(rounds: 100, options: ComputeOptions(threads: threads, variant: variant))
            #expect(flops == 100 * 12 * lanes * 2 * Double(Compute.openMPEnabled ? threads : 1))
        }
        #expect(try Compute.fmaProbe(rounds: 0) == 0)
    }
}
