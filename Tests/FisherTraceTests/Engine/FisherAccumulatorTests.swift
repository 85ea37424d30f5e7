import Foundation
import Testing
@testable import FisherTrace

/// Float64 two-pass references for the figures of a matrix.
struct ReferenceFigures {
    var trace = 0.0, standardError = 0.0, meanNormSquared = 0.0, traceCovariance = 0.0, gradientNormSquared = 0.0
    var noiseScale: Double? { gradientNormSquared > 0 ? traceCovariance / gradientNormSquared : nil }

    init(_ m: TestMatrix, columns: Range<Int>? = nil) {
        let cols = columns ?? 0..<m.columns
        let n = Double(m.rows)
        let r = (0..<m.rows).map { i in cols.reduce(0.0) { $0 + m.value(i, $1) * m.value(i, $1) } }
        trace = r.reduce(0, +) / n
        standardError = (r.reduce(0.0) { $0 + ($1 - trace) * ($1 - trace) } / (n - 1) / n).squareRoot()
        let mean = cols.map { j in (0..<m.rows).reduce(0.0) { $0 + m.value($1, j) } / n }
        meanNormSquared = mean.reduce(0.0) { $0 + $1 * $1 }
        var spread = 0.0
        for i in 0..<m.rows { for (k, j) in cols.enumerated() { spread += (m.value(i, j) - mean[k]) * (m.value(i, j) - mean[k]) } }
        traceCovariance = spread / (n - 1)
        gradientNormSquared = meanNormSquared - traceCovariance / n
    }
}

@Suite struct FisherAccumulatorTests {
    func accumulate(_ m: TestMatrix, layers: [FisherAccumulator.Layer]? = nil, diagonal: Bool = false,
                    chunks: [Int]? = nil, threads: Int? = nil) throws -> FisherAccumulator {
        var acc = FisherAccumulator(dimension: m.columns, layers: layers, diagonal: diagonal,
                                    options: ComputeOptions(threads: threads))
        try m.withView { view in
            var start = 0
            for size in chunks ?? [m.rows] {
                try acc.update(view.rows(start..<(start + size)))
                start += size
            }
            try acc.update(view.rows(start..<m.rows))
        }
        return acc
    }

    @Test func figuresMatchTwoPassFloat64() throws {
        let m = TestMatrix(rows: 301, columns: 45, seed: 1, scale: 0.5, offset: 0.3)
        let s = try accumulate(m).finalize()
        let ref = ReferenceFigures(m)
        #expect(s.samples == 301 && s.dimension == 45)
        #expect(close(s.trace, ref.trace, tolerance: 1e-13))
        #expect(close(try #require(s.traceStandardError), ref.standardError, tolerance: 1e-10))
        #expect(close(try #require(s.meanGradientNormSquared), ref.meanNormSquared, tolerance: 1e-12))
        #expect(close(try #require(s.traceCovariance), ref.traceCovariance, tolerance: 1e-11))
        #expect(close(try #require(s.gradientNormSquared), ref.gradientNormSquared, tolerance: 1e-10))
        #expect(close(try #require(s.noiseScale), try #require(ref.noiseScale), tolerance: 1e-9))
        #expect(s.noiseScaleStatus == .defined)
    }

    /// Chunking: the exact sums give the same bits; the column sums agree to rounding.
    @Test func chunksGiveTheSameResult() throws {
        let m = TestMatrix(rows: 2_000, columns: 33, seed: 2, offset: 0.1)
        let whole = try accumulate(m).finalize()
        let pieces = try accumulate(m, chunks: [1, 7, 600, 3]).finalize()
        #expect(whole.trace.bitPattern == pieces.trace.bitPattern)
        #expect(whole.traceStandardError == pieces.traceStandardError)
        #expect(close(try #require(whole.noiseScale), try #require(pieces.noiseScale), tolerance: 1e-11))
        #expect(close(try #require(whole.meanGradientNormSquared), try #require(pieces.meanGradientNormSquared), tolerance: 1e-13))
    }

    @Test func sameStateForEveryThreadCount() throws {
        let m = TestMatrix(rows: 3_000, columns: 70, seed: 3)
        let one = try accumulate(m, diagonal: true, threads: 1)
        for threads in [2, 3, 8] { #expect(try accumulate(m, diagonal: true, threads: threads) == one) }
    }

    /// Shards merged in any order equal one stream: bits for tr(I_F), rounding for the rest.
    @Test func mergedShardsEqualOneStream() throws {
        let m = TestMatrix(rows: 900, columns: 20, seed: 4, offset: 0.2)
        let whole = try accumulate(m).finalize()
        var shards: [FisherAccumulator] = []
        try m.withView { view in
            for range in [0..<100, 100..<450, 450..<451, 451..<900] {
                var shard = FisherAccumulator(dimension: 20)
                try shard.update(view.rows(range))
                shards.append(shard)
            }
        }
        for order in [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]] {
            var merged = shards[order[0]]
            for k in order.dropFirst() { try merged.merge(shards[k]) }
            let s = try merged.finalize()
            #expect(s.samples == 900)
            #expect(s.trace.bitPattern == whole.trace.bitPattern)
            #expect(s.traceStandardError == whole.traceStandardError)
            #expect(close(try #require(s.traceCovariance), try #require(whole.traceCovariance), tolerance: 1e-12))
            #expect(close(try #require(s.noiseScale), try #require(whole.noiseScale), tolerance: 1e-11))
        }
    }

    @Test func copiesTakenMidStreamFinishEqual() throws {
        let m = TestMatrix(rows: 50, columns: 8, seed: 5)
        try m.withView { view in
            var a = FisherAccumulator(dimension: 8)
            try a.update(view.rows(0..<20))
            var b = a
            try a.update(view.rows(20..<50))
            #expect(b.samples == 20)
            try b.update(view.rows(20..<50))
            #expect(a == b)
        }
    }

    @Test func serializationRoundTripsExactly() throws {
        let m = TestMatrix(rows: 77, columns: 30, seed: 6)
        let layers = FisherAccumulator.Layer.consecutive([("w", 24), ("b", 6)])
        var acc = FisherAccumulator(dimension: 30, layers: layers, diagonal: true, keepSampleNorms: true)
        try m.withView { try acc.update($0) }
        let restored = try FisherAccumulator(serialized: try acc.serialized())
        #expect(restored == acc)
        #expect(try restored.finalize() == acc.finalize())
        // A restored shard merges like the original.
        var twice = acc
        try twice.merge(restored)
        #expect(try twice.finalize().samples == 154)
    }

    @Test func corruptStatesAreRejectedWithAReason() throws {
        var acc = FisherAccumulator(dimension: 4)
        let m = TestMatrix(rows: 3, columns: 4, seed: 7)
        try m.withView { try acc.update($0) }
        let text = String(decoding: try acc.serialized(), as: UTF8.self)
        let wrongFormat = text.replacingOccurrences(of: "fishertrace.accumulator", with: "something.else")
        #expect(throws: DecodingError.self) { try FisherAccumulator(serialized: Data(wrongFormat.utf8)) }
        let wrongLength = text.replacingOccurrences(of: "\"dimension\":4", with: "\"dimension\":5")
        #expect(throws: DecodingError.self) { try FisherAccumulator(serialized: Data(wrongLength.utf8)) }
        #expect(throws: (any Error).self) { try FisherAccumulator(serialized: Data("{".utf8)) }
    }

    /// Identical rows: no noise, so tr(Σ) = 0, ‖G‖² = ‖g‖², B_simple = 0.
    @Test func identicalRowsHaveNoCovariance() throws {
        var m = TestMatrix(rows: 64, columns: 10, type: .float64, seed: 8)
        for i in 0..<64 { for j in 0..<10 { m.set(i * 10 + j, m.value(0, j)) } }
        let s = try accumulate(m).finalize()
        let norm = (0..<10).reduce(0.0) { $0 + m.value(0, $1) * m.value(0, $1) }
        #expect(try #require(s.traceCovariance) <= 1e-13 * norm)
        #expect(close(try #require(s.gradientNormSquared), norm, tolerance: 1e-13))
        #expect(try #require(s.noiseScale) <= 1e-12)
        #expect(try #require(s.traceStandardError) <= 1e-15 * norm)
    }

    /// Known G and Σ: gᵢ = G + σ⊙zᵢ. Each estimate lands within 5 of its theoretical standard errors.
    @Test func gaussianDataRecoversKnownSignalAndNoise() throws {
        let n = 4_000, d = 40
        var generator = SeededGenerator(seed: 9)
        let g = (0..<d).map { _ in 0.05 * generator.nextGaussian() }
        let sigma = (0..<d).map { j in 0.2 + 0.01 * Double(j) }
        var m = TestMatrix(rows: n, columns: d, type: .float64, seed: 10)
        for i in 0..<n { for j in 0..<d { m.set(i * d + j, g[j] + sigma[j] * generator.nextGaussian()) } }
        let s = try accumulate(m).finalize()
        let trueG2 = g.reduce(0.0) { $0 + $1 * $1 }
        let trueTrS = sigma.reduce(0.0) { $0 + $1 * $1 }
        let trSigma2 = sigma.reduce(0.0) { $0 + pow($1, 4) }
        let seTrS = (2 * trSigma2 / Double(n - 1)).squareRoot()
        let gSigmaG = zip(g, sigma).reduce(0.0) { $0 + $1.0 * $1.0 * $1.1 * $1.1 }
        let seG2 = (4 * gSigmaG / Double(n) + 2 * trSigma2 / Double(n * n)).squareRoot()
        #expect(abs(try #require(s.traceCovariance) - trueTrS) < 5 * seTrS)
        #expect(abs(try #require(s.gradientNormSquared) - trueG2) < 5 * seG2)
        #expect(abs(s.trace - (trueG2 + trueTrS)) < 5 * (try #require(s.traceStandardError)))
        let bTrue = trueTrS / trueG2
        let b = try #require(s.noiseScale)
        #expect(abs(b - bTrue) < 0.25 * bTrue)
    }

    @Test func undefinedFiguresAreNilWithTheirReason() throws {
        let one = try accumulate(TestMatrix(rows: 1, columns: 5, seed: 11)).finalize()
        #expect(one.traceStandardError == nil && one.traceCovariance == nil && one.noiseScale == nil)
        #expect(one.noiseScaleStatus == .tooFewSamples)
        // g and −g: the mean gradient is zero, so the unbiased ‖G‖² is negative and B_simple undefined.
        var m = TestMatrix(rows: 2, columns: 5, type: .float64, seed: 12)
        for j in 0..<5 { m.set(5 + j, -m.value(0, j)) }
        let s = try accumulate(m).finalize()
        #expect(try #require(s.gradientNormSquared) < 0)
        #expect(s.noiseScale == nil && s.noiseScaleStatus == .signalNotResolved)
        #expect(throws: FisherError.noSamples) { try FisherAccumulator(dimension: 3).finalize() }
    }

    @Test func layersBreakDownTheWhole() throws {
        let m = TestMatrix(rows: 500, columns: 100, seed: 13, offset: 0.05)
        let layers = FisherAccumulator.Layer.consecutive([("a", 1), ("b", 64), ("c", 35)])
        let s = try accumulate(m, layers: layers, chunks: [17]).finalize()
        #expect(s.layers.map(\.name) == ["a", "b", "c"])
        #expect(close(s.layers.reduce(0.0) { $0 + $1.trace }, s.trace, tolerance: 1e-14))
        #expect(close(s.layers.reduce(0.0) { $0 + $1.traceCovariance! }, s.traceCovariance!, tolerance: 1e-12))
        for layer in s.layers {
            let ref = ReferenceFigures(m, columns: layer.columns)
            #expect(close(layer.trace, ref.trace, tolerance: 1e-13))
            #expect(close(layer.traceCovariance!, ref.traceCovariance, tolerance: 1e-10))
            #expect(close(layer.traceStandardError!, ref.standardError, tolerance: 1e-9))
        }
        // One view per layer gives the same state as one matrix.
        var perView = FisherAccumulator(dimension: 100, layers: layers)
        try m.withView { view in
            try perView.update(layerViews: layers.map { view.rows(0..<17).columns($0.columns) })
            try perView.update(layerViews: layers.map { view.rows(17..<500).columns($0.columns) })
        }
        #expect(perView == (try accumulate(m, layers: layers, chunks: [17])))
    }

    @Test func diagonalAndSampleNorms() throws {
        let m = TestMatrix(rows: 40, columns: 9, seed: 14)
        var acc = FisherAccumulator(dimension: 9, diagonal: true, keepSampleNorms: true)
        try m.withView { try acc.update($0) }
        let s = try acc.finalize()
        let ref = m.reference
        let diagonal = try #require(s.diagonal)
        for j in 0..<9 { #expect(close(diagonal[j], ref.columnSquares[j] / 40, tolerance: 1e-13)) }
        let norms = try #require(s.sampleSquaredNorms)
        for i in 0..<40 { #expect(close(norms[i], ref.rowSquares[i], tolerance: 1e-13)) }
    }

    /// NaN: the error names the row counted over the whole stream, then the accumulator refuses use.
    @Test func nonFiniteDataNamesTheRowAndInvalidates() throws {
        var m = TestMatrix(rows: 30, columns: 6, seed: 15)
        m.set(25 * 6 + 2, .nan)
        var acc = FisherAccumulator(dimension: 6)
        try m.withView { view in
            try acc.update(view.rows(0..<20))
            #expect(throws: FisherError.nonFinite(row: 25, layer: nil)) { try acc.update(view.rows(20..<30)) }
        }
        #expect(acc.samples == 20)
        #expect(throws: FisherError.self) { try acc.finalize() }
        // The error text names the row and what was expected.
        #expect(FisherError.nonFinite(row: 25, layer: "fc1").description
            == "row 25 (layer fc1) holds a NaN or infinite value (expected finite gradients)")
    }

    /// Norms fed directly (the ghost path) give the same tr(I_F); without column sums the noise figures
    /// are undefined, not invented.
    @Test func precomputedNormsFeedTheSameStatistics() throws {
        let m = TestMatrix(rows: 60, columns: 12, seed: 16)
        let layers = FisherAccumulator.Layer.consecutive([("w", 8), ("b", 4)])
        let fromMatrix = try accumulate(m, layers: layers).finalize()
        let norms = layers.map { layer in (0..<60).map { i in layer.columns.reduce(0.0) { $0 + m.value(i, $1) * m.value(i, $1) } } }
        let sums = layers.map { layer in layer.columns.map { j in (0..<60).reduce(0.0) { $0 + m.value($1, j) } } }
        var withSums = FisherAccumulator(dimension: 12, layers: layers)
        try withSums.update(layerNorms: norms, columnSums: sums)
        let s = try withSums.finalize()
        #expect(close(s.trace, fromMatrix.trace, tolerance: 1e-14))
        #expect(close(s.noiseScale!, fromMatrix.noiseScale!, tolerance: 1e-10))
        var normsOnly = FisherAccumulator(dimension: 12, layers: layers)
        try normsOnly.update(layerNorms: norms, columnSums: nil)
        let t = try normsOnly.finalize()
        #expect(t.trace == s.trace)
        #expect(t.noiseScale == nil && t.traceCovariance == nil && t.noiseScaleStatus == .meanGradientUnknown)
        var bad = FisherAccumulator(dimension: 12, layers: layers)
        #expect(throws: FisherError.nonFinite(row: 1, layer: "b")) {
            try bad.update(layerNorms: [[1, 2], [1, .infinity]], columnSums: nil)
        }
    }

    /// Rows whose squared norm is finite but whose square (Σ‖gᵢ‖⁴'s term) is not: an overflow error
    /// naming the row, never a trap.
    @Test func hugeFloat64RowsAreAnOverflowError() throws {
        var m = TestMatrix(rows: 5, columns: 2, type: .float64, seed: 18)
        m.set(3 * 2, 1e77)
        m.set(3 * 2 + 1, 1e77)
        var acc = FisherAccumulator(dimension: 2)
        try m.withView { view in
            try acc.update(view.rows(0..<2))
            #expect(throws: FisherError.overflow(row: 3, layer: nil)) { try acc.update(view.rows(2..<5)) }
        }
        var norms = FisherAccumulator(dimension: 2)
        #expect(throws: FisherError.overflow(row: 1, layer: nil)) { try norms.update(layerNorms: [[1, 2e154]], columnSums: nil) }
        #expect(norms.samples == 0)
        try norms.update(layerNorms: [[1, 2]], columnSums: nil)  // nothing was added: still usable
        #expect(norms.samples == 2)
    }

    /// Norms with column sums and squares (the Fortran-order path) equal the matrix path, diagonal included.
    @Test func precomputedNormsCarryTheDiagonal() throws {
        let m = TestMatrix(rows: 30, columns: 5, type: .float64, seed: 19)
        var fromMatrix = FisherAccumulator(dimension: 5, diagonal: true)
        try m.withView { try fromMatrix.update($0) }
        let ref = m.reference
        var fromNorms = FisherAccumulator(dimension: 5, diagonal: true)
        try fromNorms.update(layerNorms: [ref.rowSquares], columnSums: [ref.columnSums], columnSquares: [ref.columnSquares])
        let a = try fromMatrix.finalize(), b = try fromNorms.finalize()
        #expect(close(a.trace, b.trace, tolerance: 1e-14))
        for j in 0..<5 { #expect(close(a.diagonal![j], b.diagonal![j], tolerance: 1e-14)) }
    }

    @Test func everyVariantAgrees() throws {
        let m = TestMatrix(rows: 257, columns: 31, seed: 17)
        var results: [FisherStatistics] = []
        for variant in KernelVariant.supported {
            var acc = FisherAccumulator(dimension: 31, options: ComputeOptions(variant: variant))
            try m.withView { try acc.update($0) }
            results.append(try acc.finalize())
        }
        for r in results.dropFirst() {
            #expect(close(r.trace, results[0].trace, tolerance: 1e-14))
            #expect(close(r.noiseScale!, results[0].noiseScale!, tolerance: 1e-10))
        }
    }
}
