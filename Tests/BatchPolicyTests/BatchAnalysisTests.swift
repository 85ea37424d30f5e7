import BatchPolicy
import Testing

@Suite struct BatchAnalysisTests {
    // Example: B_crit = 100, P_max = 400, T = 2, k_B = 3, E_sample = 5, η_max = 0.5, t_opt = 7,
    // tr(Σ) = 800, B_simple = 200; at B = 25, 100, 400 the ratio B_crit/B is 4, 1, 1/4.

    @Test func belowCriticalEveryFigureHoldsItsCriticalValue() throws {
        let a = try Example.analysis(25)
        #expect(a.regime == .liquid)
        #expect(a.effectivePower == 400)
        #expect(a.informationRate == 200)
        #expect(a.effectiveTemperature == 2)
        #expect(a.energyWaste == 0)
        #expect(a.efficiency == 0.5)
        #expect(a.quality == 1)
        #expect(a.convergenceTime == 7)
        #expect(a.computeWaste == 0)
        #expect(a.memoryWaste == 0)
        #expect(a.timeWaste == 0)
        #expect(a.excessLoss.value == 0)
        #expect(a.excessLoss.validity == .subcritical)
        #expect(!a.excessLoss.isExtrapolation)
    }

    @Test func atCriticalTheFormsMeet() throws {
        let a = try Example.analysis(100)
        #expect(a.regime == .critical)
        #expect(a.effectivePower == 400)
        #expect(a.informationRate == 200)
        #expect(a.effectiveTemperature == 2)
        #expect(a.energyWaste == 0)
        #expect(a.efficiency == 0.5)
        #expect(a.quality == 1)
        #expect(a.convergenceTime == 7)
        #expect(a.computeWaste == 0)
        #expect(a.timeWaste == 0)
        #expect(a.excessLoss.value == 0)
    }

    @Test func aboveCriticalTheSeedsFormsApply() throws {
        let a = try Example.analysis(400)
        #expect(a.regime == .gas)
        #expect(close(a.effectivePower, 100))  // 400·(100/400)
        #expect(close(a.informationRate, 100))  // (400/2)·√(1/4)
        #expect(close(a.effectiveTemperature, 1))  // 2·√(1/4)
        #expect(close(a.energyWaste, 1500))  // 5·(400 − 100)
        #expect(close(a.efficiency, 0.125))  // 0.5·(1/4)
        #expect(close(a.quality, 0.5))
        #expect(close(a.convergenceTime, 28))  // 7·4
        #expect(close(a.computeWaste, 0.75))  // 300/400
        #expect(close(a.memoryWaste, 0.75))
        #expect(close(a.timeWaste, 0.5))
        #expect(close(a.excessLoss.value, 8.317766166719343))  // 3·2·ln 4
        #expect(a.excessLoss.validity == .extrapolated)
        #expect(a.excessLoss.isExtrapolation)
    }

    @Test func gradientNoiseFiguresAtEachSide() throws {
        let expected: [(variance: Double, std: Double, snr: Double)] = [
            (32, 5.656854249492381, 0.125), (8, 2.8284271247461903, 0.5), (2, 1.4142135623730951, 2),
        ]
        for (batch, figures) in zip(Example.batches, expected) {
            let noise = try Example.analysis(batch).gradientNoise
            #expect(close(noise.variance, figures.variance))
            #expect(close(noise.standardDeviation, figures.std))
            #expect(close(noise.signalToNoiseRatio, figures.snr))
        }
    }

    @Test func excessLossBecomesAsymptoticAtTheThreshold() throws {
        let far = try Example.analysis(1000)
        #expect(close(far.excessLoss.value, 13.815510557964275))  // 3·2·ln 10
        #expect(far.excessLoss.validity == .asymptotic)
        #expect(far.excessLoss.threshold == 10)
        let justBelow = try Example.analysis(999)
        #expect(justBelow.excessLoss.validity == .extrapolated)
        let custom = try BatchAnalysis(
            batch: 400, criticalBatch: Example.criticalBatch, parameters: Example.parameters, excessLossThreshold: 4)
        #expect(custom.excessLoss.validity == .asymptotic)
    }

    @Test func absentMeasurementsGiveNilNotNaN() throws {
        let critical = try CriticalBatch.noiseScale(bSimple: 100)
        let a = try BatchAnalysis(batch: 400, criticalBatch: critical)
        #expect(a.effectivePower == nil)
        #expect(a.informationRate == nil)
        #expect(a.gradientNoise.variance == nil)
        #expect(a.gradientNoise.standardDeviation == nil)
        // A noise-scale B_crit is B_simple, so the signal-to-noise ratio is still known.
        #expect(a.gradientNoise.signalToNoiseRatio == 4)
        let powerOnly = try BatchAnalysis(batch: 400, criticalBatch: Example.criticalBatch)
        #expect(powerOnly.gradientNoise.signalToNoiseRatio == nil)
        #expect(powerOnly.effectivePower == 100)
    }

    @Test func calibratedBudgetGivesThePower() throws {
        let critical = try CriticalBatch.noiseScale(bSimple: 250, fisherTrace: 4)  // P_max/ν₀ = 1000
        let a = try BatchAnalysis(batch: 500, criticalBatch: critical)
        #expect(a.effectivePower == 500)
        #expect(close(a.informationRate, 1000 * 0.5.squareRoot()))
    }

    @Test func everyFigureIsContinuousAtBCrit() throws {
        let figures: [(String, (BatchAnalysis) -> Double?)] = [
            ("effectivePower", { $0.effectivePower }), ("informationRate", { $0.informationRate }),
            ("effectiveTemperature", { $0.effectiveTemperature }), ("energyWaste", { $0.energyWaste }),
            ("efficiency", { $0.efficiency }), ("quality", { $0.quality }),
            ("convergenceTime", { $0.convergenceTime }), ("computeWaste", { $0.computeWaste }),
            ("memoryWaste", { $0.memoryWaste }), ("timeWaste", { $0.timeWaste }),
            ("excessLoss", { $0.excessLoss.value }), ("variance", { $0.gradientNoise.variance }),
            ("signalToNoiseRatio", { $0.gradientNoise.signalToNoiseRatio }),
        ]
        let at = try Example.analysis(100)
        for delta in [1e-6, 1e-9] {
            let left = try Example.analysis(100 * (1 - delta))
            let right = try Example.analysis(100 * (1 + delta))
            for (name, figure) in figures {
                let center = try #require(figure(at))
                let bound = 1e3 * delta * max(1, abs(center))
                #expect(abs(try #require(figure(left)) - center) <= bound, "\(name) jumps from the left")
                #expect(abs(try #require(figure(right)) - center) <= bound, "\(name) jumps from the right")
            }
        }
    }

    @Test func largeBatchLimits() throws {
        var previous = try Example.analysis(100)
        for exponent in 3...300 where exponent % 3 == 0 {
            let a = try Example.analysis(pow10(exponent))
            #expect(a.efficiency < previous.efficiency)
            #expect(a.quality < previous.quality)
            #expect(a.excessLoss.value > previous.excessLoss.value)
            previous = a
        }
        // B = 1e300: efficiency 0.5·1e-298 and Q = 1e-149, both vanishing; the wastes tend to 1.
        #expect(previous.efficiency < 1e-297)
        #expect(previous.quality < 1e-148)
        #expect(close(previous.computeWaste, 1))
        #expect(close(previous.timeWaste, 1))
        #expect(previous.excessLoss.validity == .asymptotic)
    }

    @Test func extremeInputsGiveFiguresOrErrorsButNeverNaN() throws {
        let scales = [1e-300, 1e-10, 1, 1e10, 1e300]
        for critical in scales {
            let source = try CriticalBatch.noiseScale(bSimple: critical, fisherTrace: 1)
            for batch in scales {
                do {
                    let a = try BatchAnalysis(batch: batch, criticalBatch: source, parameters: Example.parameters)
                    let values = [
                        a.effectivePower, a.informationRate, a.effectiveTemperature, a.energyWaste, a.efficiency,
                        a.quality, a.convergenceTime, a.computeWaste, a.timeWaste, a.excessLoss.value,
                        a.gradientNoise.signalToNoiseRatio,
                    ]
                    #expect(values.allSatisfy { $0.map(\.isFinite) ?? true }, "B=\(batch) B_crit=\(critical)")
                } catch let error as PolicyError {
                    guard case .notRepresentable = error else {
                        Issue.record("unexpected \(error)")
                        continue
                    }
                }
            }
        }
    }
}

/// `10^n` exactly as the literal would be parsed.
private func pow10(_ n: Int) -> Double {
    Double("1e\(n)")!
}
