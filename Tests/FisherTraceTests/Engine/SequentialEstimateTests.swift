import Foundation
import Testing
@testable import FisherTrace

@Suite struct SequentialEstimateTests {
    let matrix = TestMatrix(rows: 20_000, columns: 16, seed: 1, scale: 0.3, offset: 1.0)

    @Test func stopsOnceThePrecisionIsReached() throws {
        let estimate = try matrix.withView { view in
            try FisherAccumulator.sequentialEstimate(MatrixSource(view), precision: 0.02, seed: 7)
        }
        #expect(estimate.converged)
        #expect(estimate.relativeHalfWidth <= 0.02)
        #expect(estimate.rowsRead < 20_000 && estimate.rowsRead >= 32)
        let full = ReferenceFigures(matrix)
        // The estimate's own 95 % interval, with room for the repeated look: 3 standard errors.
        let se = try #require(estimate.statistics.traceStandardError)
        #expect(abs(estimate.statistics.trace - full.trace) < 3 * se)
    }

    @Test func sameSeedSameBits() throws {
        let (a, b, c) = try matrix.withView { view in
            (try FisherAccumulator.sequentialEstimate(MatrixSource(view), precision: 0.01, seed: 3),
             try FisherAccumulator.sequentialEstimate(MatrixSource(view), precision: 0.01, seed: 3),
             try FisherAccumulator.sequentialEstimate(MatrixSource(view), precision: 0.01, seed: 4))
        }
        #expect(a.rowsRead == b.rowsRead && a.statistics == b.statistics)
        #expect(c.statistics.trace != a.statistics.trace)
    }

    /// An unreachable precision reads every row, and then tr(I_F) is the full data's, to the bit.
    @Test func unreachablePrecisionReadsEverything() throws {
        let small = TestMatrix(rows: 300, columns: 5, seed: 2)
        let estimate = try small.withView { view in
            try FisherAccumulator.sequentialEstimate(MatrixSource(view), precision: 1e-9, seed: 1, batchRows: 7)
        }
        var all = FisherAccumulator(dimension: 5)
        try small.withView { try all.update($0) }
        #expect(estimate.rowsRead == 300 && !estimate.converged)
        #expect(estimate.statistics.trace.bitPattern == (try all.finalize()).trace.bitPattern)
    }

    @Test func lazyPermutationDrawsEveryIndexOnce() {
        var p = LazyPermutation(count: 1_000, seed: 9)
        let drawn = (0..<1_000).map { _ in p.next() }
        #expect(Set(drawn) == Set(0..<1_000))
        #expect(drawn != Array(0..<1_000))
    }

    @Test func normalQuantiles() {
        #expect(abs(standardNormalQuantile(0.975) - 1.959963984540054) < 1e-13)
        #expect(abs(standardNormalQuantile(0.5)) < 1e-15)
        #expect(abs(standardNormalQuantile(0.995) - 2.5758293035489004) < 1e-12)
        #expect(abs(standardNormalQuantile(1e-10) + 6.361340902404056) < 1e-9)
    }
}
