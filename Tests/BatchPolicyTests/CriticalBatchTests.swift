import BatchPolicy
import Testing

@Suite struct CriticalBatchTests {
    @Test func powerBudgetDividesTheBudgetByTheFisherTrace() throws {
        let critical = try CriticalBatch.powerBudget(pMax: 400, nu0: 2, fisherTrace: 2)
        #expect(critical.value == 100)
        #expect(critical.source == .powerBudget(pMax: 400, nu0: 2))
        #expect(critical.budget == 200)
        #expect(critical.pMax == 400)
        #expect(critical.fisherTrace == 2)
    }

    @Test func nu0DefaultsToOne() throws {
        #expect(try CriticalBatch.powerBudget(pMax: 300, fisherTrace: 4).value == 75)
    }

    @Test func noiseScaleReportsTheImpliedBudget() throws {
        let critical = try CriticalBatch.noiseScale(bSimple: 250, fisherTrace: 4)
        #expect(critical.value == 250)
        #expect(critical.source == .noiseScale)
        #expect(critical.budget == 1000)
        #expect(critical.pMax == 1000)
    }

    @Test func noiseScaleWithoutFisherTraceHasNoBudget() throws {
        let critical = try CriticalBatch.noiseScale(bSimple: 250)
        #expect(critical.value == 250)
        #expect(critical.budget == nil)
        #expect(critical.pMax == nil)
        expectPolicyError("fisherTrace") { _ = try critical.holdingBudget(fisherTrace: 2) }
    }

    @Test(arguments: [(250.0, 4.0), (0.37, 1e-6), (1e6, 3.3e4), (17.0, 0.001)])
    func calibrationIdentity(bSimple: Double, fisherTrace: Double) throws {
        let calibrated = try CriticalBatch.noiseScale(bSimple: bSimple, fisherTrace: fisherTrace)
        let budget = try #require(calibrated.budget)
        let fromBudget = try CriticalBatch.powerBudget(pMax: budget, nu0: 1, fisherTrace: fisherTrace)
        #expect(close(fromBudget.value, bSimple))
        // The same budget split between P_max and ν₀ gives the same B_crit.
        let split = try CriticalBatch.powerBudget(pMax: budget * 8, nu0: 8, fisherTrace: fisherTrace)
        #expect(close(split.value, bSimple))
    }

    @Test func holdingTheBudgetMovesBCritInverselyWithTheFisherTrace() throws {
        let calibrated = try CriticalBatch.noiseScale(bSimple: 250, fisherTrace: 4)
        let later = try calibrated.holdingBudget(fisherTrace: 8)
        #expect(later.value == 125)
        #expect(later.source == .powerBudget(pMax: 1000, nu0: 1))
        let earlier = try calibrated.holdingBudget(fisherTrace: 2)
        #expect(earlier.value == 500)
        let given = try CriticalBatch.powerBudget(pMax: 400, nu0: 2, fisherTrace: 2).holdingBudget(fisherTrace: 0.5)
        #expect(given.value == 400)
        #expect(given.source == .powerBudget(pMax: 400, nu0: 2))
    }

    @Test func resolvePrefersThePowerBudgetWhenGiven() throws {
        let statistics = try GradientStatistics(fisherTrace: 2, noiseTrace: 800, gradientNormSquared: 4)
        let power = try CriticalBatch.resolve(statistics: statistics, pMax: 400, nu0: 2)
        #expect(power.value == 100)
        #expect(power.source == .powerBudget(pMax: 400, nu0: 2))
        let noise = try CriticalBatch.resolve(statistics: statistics)
        #expect(noise.value == 200)
        #expect(noise.source == .noiseScale)
        #expect(noise.budget == 400)
    }

    @Test func resolveNamesTheMissingInput() throws {
        let onlyNoise = try GradientStatistics(bSimple: 50)
        expectPolicyError("fisherTrace") { _ = try CriticalBatch.resolve(statistics: onlyNoise, pMax: 10) }
        let onlyFisher = try GradientStatistics(fisherTrace: 3)
        let error = expectPolicyError("bSimple") { _ = try CriticalBatch.resolve(statistics: onlyFisher) }
        #expect(error?.description.hasPrefix("bSimple is required for the noise-scale critical batch") == true)
    }

    @Test func statisticsDeriveBSimpleFromTheTraces() throws {
        #expect(try GradientStatistics(noiseTrace: 800, gradientNormSquared: 4).noiseScale == 200)
        // A given B_simple wins over the ratio.
        #expect(try GradientStatistics(noiseTrace: 800, gradientNormSquared: 4, bSimple: 7).noiseScale == 7)
        #expect(try GradientStatistics(noiseTrace: 800).noiseScale == nil)
        expectPolicyError("bSimple") { _ = try GradientStatistics(noiseTrace: 1e300, gradientNormSquared: 1e-300) }
    }
}
