import Foundation
import Testing
@testable import FisherTrace

@Suite struct TwoBatchNoiseEstimatorTests {
    /// Per-sample gradients gᵢ = G + σzᵢ; a step logs |mean of 8|² and |mean of 32|² (the 8 among them).
    /// Averaged over many seeded steps, the per-step estimates are unbiased for |G|² and tr(Σ) = Dσ².
    @Test func perStepEstimatesAreUnbiased() throws {
        let d = 10, sigma = 0.5, steps = 4_000
        var generator = SeededGenerator(seed: 1)
        let g = (0..<d).map { _ in 0.3 * generator.nextGaussian() }
        var gEstimates: [Double] = [], sEstimates: [Double] = []
        for _ in 0..<steps {
            let samples = (0..<32).map { _ in (0..<d).map { g[$0] + sigma * generator.nextGaussian() } }
            func normSquaredOfMean(_ rows: ArraySlice<[Double]>) -> Double {
                (0..<d).reduce(0.0) { acc, j in
                    let m = rows.reduce(0.0) { $0 + $1[j] } / Double(rows.count)
                    return acc + m * m
                }
            }
            let m = TwoBatchNoiseEstimator.Measurement(
                smallBatch: 8, smallGradientNormSquared: normSquaredOfMean(samples[0..<8]),
                bigBatch: 32, bigGradientNormSquared: normSquaredOfMean(samples[0..<32]))
            let (gEst, sEst) = try #require(m.unbiased)
            gEstimates.append(gEst)
            sEstimates.append(sEst)
        }
        func meanAndError(_ x: [Double]) -> (Double, Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            let v = x.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
            return (mean, (v / Double(x.count)).squareRoot())
        }
        let (gMean, gErr) = meanAndError(gEstimates), (sMean, sErr) = meanAndError(sEstimates)
        let trueG = g.reduce(0.0) { $0 + $1 * $1 }, trueS = Double(d) * sigma * sigma
        #expect(abs(gMean - trueG) < 4 * gErr, "|G|²: \(gMean) vs \(trueG) ± \(gErr)")
        #expect(abs(sMean - trueS) < 4 * sErr, "tr(Σ): \(sMean) vs \(trueS) ± \(sErr)")
    }

    @Test func closedFormOfOneStep() throws {
        // |G|² = 1, tr(Σ) = 64: E|G_8|² = 9, E|G_64|² = 2.
        let m = TwoBatchNoiseEstimator.Measurement(smallBatch: 8, smallGradientNormSquared: 9, bigBatch: 64, bigGradientNormSquared: 2)
        let (g, s) = try #require(m.unbiased)
        #expect(close(g, 1, tolerance: 1e-15) && close(s, 64, tolerance: 1e-14))
    }

    /// Bias correction: a constant input is reported exactly from the first step on.
    @Test func biasCorrectedAveragesOfConstantInputAreExact() throws {
        var estimator = TwoBatchNoiseEstimator(smoothing: 0.9)
        let m = TwoBatchNoiseEstimator.Measurement(smallBatch: 8, smallGradientNormSquared: 9, bigBatch: 64, bigGradientNormSquared: 2)
        for step in 1...5 {
            let updated = estimator.update(m)
            let e = try #require(updated)
            #expect(e.step == step)
            #expect(close(e.gradientNormSquared, 1, tolerance: 1e-13))
            #expect(close(try #require(e.noiseScale), 64, tolerance: 1e-12))
        }
    }

    @Test func invalidStepsAreRefusedAndNegativeSignalIsUndefined() throws {
        var estimator = TwoBatchNoiseEstimator()
        let equalBatches = estimator.update(.init(smallBatch: 8, smallGradientNormSquared: 1, bigBatch: 8, bigGradientNormSquared: 1))
        let notANumber = estimator.update(.init(smallBatch: 8, smallGradientNormSquared: .nan, bigBatch: 16, bigGradientNormSquared: 1))
        #expect(equalBatches == nil && notANumber == nil)
        #expect(estimator.steps == 0 && estimator.current == nil)
        // |G_big|² much smaller than the noise allows: the unbiased |G|² is negative.
        let updated = estimator.update(.init(smallBatch: 8, smallGradientNormSquared: 10, bigBatch: 16, bigGradientNormSquared: 1))
        let e = try #require(updated)
        #expect(e.gradientNormSquared < 0 && e.noiseScale == nil)
    }
}
