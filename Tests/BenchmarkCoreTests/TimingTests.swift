import Testing
@testable import BenchmarkCore

@Suite struct TimingTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(TimingSummary.median([3]) == 3)
        #expect(TimingSummary.median([5, 1, 3]) == 3)
        #expect(TimingSummary.median([4, 1, 3, 2]) == 2.5)
        #expect(TimingSummary.median([2, 2, 9, 1, 2]) == 2)
    }

    @Test func summaryFigures() {
        let t = TimingSummary(samples: [0.012, 0.010, 0.011, 0.016], callsPerRun: 2, warmups: 1)
        #expect(t.minimum == 0.010 && t.maximum == 0.016)
        #expect(abs(t.median - 0.0115) < 1e-15)
        #expect(abs(t.spread - 0.006 / 0.0115) < 1e-12)
        #expect(TimingSummary(samples: [0.5], callsPerRun: 1, warmups: 1).spread == 0)
    }

    @Test func measureMakesTheWarmupsAndRunsOfThePlan() {
        var calls = 0
        let plan = MeasurementPlan(warmups: 2, runs: 5, minimumRunSeconds: 0)
        let t = measure(plan) { calls += 1 }
        #expect(calls == 7)
        #expect(t.samples.count == 5 && t.callsPerRun == 1 && t.warmups == 2)
        #expect(t.samples.allSatisfy { $0 >= 0 })
    }

    @Test func shortCallsAreRepeatedWithinARun() {
        var calls = 0
        // A call of well under a millisecond against a 50 ms minimum: many calls per run.
        let t = measure(MeasurementPlan(warmups: 1, runs: 2, minimumRunSeconds: 0.05)) { calls += 1 }
        #expect(t.callsPerRun > 1)
        #expect(calls == 1 + 2 * t.callsPerRun)
    }

    @Test func pairedMeasurementAlternatesTheKernelAndTheYardstick() {
        var order: [Character] = []
        let plan = MeasurementPlan(warmups: 1, runs: 3, minimumRunSeconds: 0)
        let (body, yardstick) = measurePaired(plan, { order.append("k") }, yardstick: { order.append("y") })
        #expect(String(order) == "kykykyky")
        #expect(body.samples.count == 3 && yardstick.samples.count == 3)
    }

    @Test func budgetCutsRunsOfSlowKernelsToAtLeastThree() {
        let plan = MeasurementPlan(warmups: 1, runs: 7, minimumRunSeconds: 0, budgetSeconds: 3)
        #expect(plan.runs(secondsPerRun: 0.1) == 7)
        #expect(plan.runs(secondsPerRun: 0.75) == 4)
        #expect(plan.runs(secondsPerRun: 10) == 3)
        #expect(MeasurementPlan(warmups: 1, runs: 2, minimumRunSeconds: 0, budgetSeconds: 1).runs(secondsPerRun: 10) == 2)
        #expect(MeasurementPlan.quick.runs(secondsPerRun: 100) == 3)
    }

    @Test func measureRethrows() {
        struct Boom: Error {}
        #expect(throws: Boom.self) { try measure(.quick) { throw Boom() } }
    }
}
