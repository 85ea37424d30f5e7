import BatchPolicy
import Foundation
import Testing

/// Every entry point rejects unusable input with a ``PolicyError`` that names the parameter.
@Suite struct ValidationTests {
    static let badPositives: [Double] = [0, -3, -.leastNonzeroMagnitude, .nan, .infinity, -.infinity]
    static let badTolerances: [Double] = [0, -0.1, 1.0000001, 1.5, .nan, .infinity]

    @Test func messagesNameTheParameterAndTheValue() {
        #expect(PolicyError.notPositive(parameter: "batch", value: -3).description
            == "batch must be a positive number (got -3)")
        #expect(PolicyError.notFinite(parameter: "batch", value: .nan).description
            == "batch must be a finite number (got nan)")
        #expect(PolicyError.outOfRange(parameter: "tolerance", value: 1.5, range: "(0, 1]").description
            == "tolerance must lie in (0, 1] (got 1.5)")
        #expect(PolicyError.notRepresentable(quantity: "energyWaste", value: .infinity).description
            == "energyWaste is not representable as a finite number (got inf)")
    }

    @Test(arguments: badPositives)
    func batchMustBePositiveAndFinite(batch: Double) throws {
        let error = expectPolicyError("batch") { _ = try Example.analysis(batch) }
        switch error {
        case .notFinite?: #expect(!batch.isFinite)
        case .notPositive?: #expect(batch.isFinite)
        default: Issue.record("unexpected \(String(describing: error))")
        }
        expectPolicyError("batch") { _ = try Compensation(batch: batch, criticalBatch: 100) }
        expectPolicyError("batch") { _ = try Detection(batch: batch, criticalBatch: 100) }
        expectPolicyError("batch") { _ = try Regime(batch: batch, criticalBatch: 100) }
        expectPolicyError("batch") { _ = try RegimeBand(criticalBatch: 100).regime(of: batch) }
        let layer = LayerStatistics(name: "l", statistics: try GradientStatistics(bSimple: 4))
        expectPolicyError("batch") { _ = try LayerPlan(layers: [layer], batch: batch) }
    }

    @Test(arguments: badPositives)
    func criticalBatchMustBePositiveAndFinite(value: Double) throws {
        expectPolicyError("criticalBatch") { _ = try Compensation(batch: 10, criticalBatch: value) }
        expectPolicyError("criticalBatch") { _ = try Detection(batch: 10, criticalBatch: value) }
        expectPolicyError("criticalBatch") { _ = try Regime(batch: 10, criticalBatch: value) }
        expectPolicyError("criticalBatch") { _ = try OptimalBatch(criticalBatch: value) }
        expectPolicyError("noiseScale") { _ = try Compensation(batch: 10, criticalBatch: 10, noiseScale: value) }
    }

    @Test(arguments: badTolerances)
    func toleranceMustLieInTheUnitInterval(tolerance: Double) throws {
        let error = expectPolicyError("tolerance") { _ = try RegimeBand(criticalBatch: 100, tolerance: tolerance) }
        if tolerance.isFinite {
            #expect(error == .outOfRange(parameter: "tolerance", value: tolerance, range: "(0, 1]"))
        }
        expectPolicyError("tolerance") { _ = try Regime(batch: 1, criticalBatch: 100, tolerance: tolerance) }
        expectPolicyError("tolerance") { _ = try OptimalBatch(criticalBatch: 100, tolerance: tolerance) }
        expectPolicyError("tolerance") {
            _ = try BatchAnalysis(batch: 1, criticalBatch: Example.criticalBatch, tolerance: tolerance)
        }
        let layer = LayerStatistics(name: "l", statistics: try GradientStatistics(bSimple: 4))
        expectPolicyError("tolerance") { _ = try LayerPlan(layers: [layer], batch: 1, tolerance: tolerance) }
        expectPolicyError("efficiencyThreshold") {
            _ = try Detection(batch: 1, criticalBatch: 1, efficiencyThreshold: tolerance)
        }
    }

    @Test(arguments: badPositives)
    func tracesAndBudgetsMustBePositiveAndFinite(value: Double) throws {
        expectPolicyError("fisherTrace") { _ = try CriticalBatch.powerBudget(pMax: 1, fisherTrace: value) }
        expectPolicyError("pMax") { _ = try CriticalBatch.powerBudget(pMax: value, fisherTrace: 1) }
        expectPolicyError("nu0") { _ = try CriticalBatch.powerBudget(pMax: 1, nu0: value, fisherTrace: 1) }
        expectPolicyError("bSimple") { _ = try CriticalBatch.noiseScale(bSimple: value) }
        expectPolicyError("fisherTrace") { _ = try CriticalBatch.noiseScale(bSimple: 1, fisherTrace: value) }
        expectPolicyError("fisherTrace") { _ = try Example.criticalBatch.holdingBudget(fisherTrace: value) }
        expectPolicyError("fisherTrace") { _ = try GradientStatistics(fisherTrace: value) }
        expectPolicyError("noiseTrace") { _ = try GradientStatistics(noiseTrace: value) }
        expectPolicyError("gradientNormSquared") { _ = try GradientStatistics(gradientNormSquared: value) }
        expectPolicyError("bSimple") { _ = try GradientStatistics(bSimple: value) }
        expectPolicyError("availableBytes") { _ = try MemoryBudget(availableBytes: value, bytesPerSample: 1) }
        expectPolicyError("bytesPerSample") { _ = try MemoryBudget(availableBytes: 1, bytesPerSample: value) }
    }

    @Test(arguments: badPositives)
    func everyPhysicalConstantMustBePositiveAndFinite(value: Double) throws {
        expectPolicyError("temperature") { _ = try PhysicalParameters(temperature: value) }
        expectPolicyError("boltzmann") { _ = try PhysicalParameters(boltzmann: value) }
        expectPolicyError("energyPerSample") { _ = try PhysicalParameters(energyPerSample: value) }
        expectPolicyError("peakEfficiency") { _ = try PhysicalParameters(peakEfficiency: value) }
        expectPolicyError("optimalConvergenceTime") { _ = try PhysicalParameters(optimalConvergenceTime: value) }
        expectPolicyError("optimalLearningRate") { _ = try PhysicalParameters(optimalLearningRate: value) }
        expectPolicyError("optimalTemperature") { _ = try PhysicalParameters(optimalTemperature: value) }
        expectPolicyError("maxLearningRate") { _ = try PhysicalParameters(maxLearningRate: value) }
        expectPolicyError("minSteps") { _ = try PhysicalParameters(minSteps: value) }
        expectPolicyError("minExamples") { _ = try PhysicalParameters(minExamples: value) }
    }

    @Test func defaultsAreNaturalUnits() throws {
        let defaults = try PhysicalParameters()
        #expect(defaults == .natural)
        #expect([
            defaults.temperature, defaults.boltzmann, defaults.energyPerSample, defaults.peakEfficiency,
            defaults.optimalConvergenceTime, defaults.optimalLearningRate, defaults.optimalTemperature,
            defaults.maxLearningRate, defaults.minSteps,
        ].allSatisfy { $0 == 1 })
        #expect(defaults.minExamples == nil)
    }

    @Test(arguments: [0, -1, Int.min])
    func integerBatchesMustBePositive(value: Int) throws {
        let memory = try MemoryBudget(availableBytes: 100, bytesPerSample: 1)
        let error = expectPolicyError("targetBatch") { _ = try AccumulationPlan(targetBatch: value, memory: memory) }
        #expect(error == .notPositive(parameter: "targetBatch", value: Double(value)))
        expectPolicyError("microBatch") { _ = try AccumulationPlan(targetBatch: 10, memory: memory, microBatch: value) }
        expectPolicyError("microBatch") { _ = try OptimalBatch(criticalBatch: 10, microBatch: value) }
    }

    @Test(arguments: [0.5, 0.999, -1, .nan, .infinity])
    func excessLossThresholdMustBeAtLeastOne(threshold: Double) throws {
        expectPolicyError("excessLossThreshold") {
            _ = try BatchAnalysis(batch: 10, criticalBatch: Example.criticalBatch, excessLossThreshold: threshold)
        }
    }

    @Test func overflowingFiguresThrowInsteadOfReturningInfinity() throws {
        expectPolicyError("budget") { _ = try CriticalBatch.powerBudget(pMax: 1e300, nu0: 1e-300, fisherTrace: 1) }
        expectPolicyError("criticalBatch") { _ = try CriticalBatch.powerBudget(pMax: 1e300, fisherTrace: 1e-300) }
        expectPolicyError("budget") { _ = try CriticalBatch.noiseScale(bSimple: 1e300, fisherTrace: 1e300) }
        let critical = try CriticalBatch.noiseScale(bSimple: 1)
        let wasteful = try PhysicalParameters(energyPerSample: 1e300)
        expectPolicyError("energyWaste") { _ = try BatchAnalysis(batch: 1e300, criticalBatch: critical, parameters: wasteful) }
        expectPolicyError("capacity") { _ = try MemoryBudget(availableBytes: 1e300, bytesPerSample: 1e-300) }
    }

    @Test func decodedCriticalBatchIsCheckedAgain() throws {
        let json = Data(#"{"value": -5, "source": {"noiseScale": {}}}"#.utf8)
        let forged = try JSONDecoder().decode(CriticalBatch.self, from: json)
        #expect(forged.value == -5)
        expectPolicyError("criticalBatch") { _ = try BatchAnalysis(batch: 10, criticalBatch: forged) }
    }
}
