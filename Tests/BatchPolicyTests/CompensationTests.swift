import BatchPolicy
import Testing

@Suite struct CompensationTests {
    // B_crit = 100, η_opt = 0.1, T_opt = 0.5, ε_max = 0.3, S_min = 1000, B_noise = B_crit = 100,
    // E_min = S_min·B_noise = 1e5.
    private func compensation(_ batch: Double, noiseScale: Double? = nil) throws -> Compensation {
        try Compensation(batch: batch, criticalBatch: 100, noiseScale: noiseScale, parameters: Example.parameters)
    }

    @Test func seedRulesBelowAtAndAbove() throws {
        let expected: [(learningRate: Double, temperature: Double)] = [(0.2, 0.25), (0.1, 0.5), (0.05, 1)]
        for (batch, values) in zip(Example.batches, expected) {
            let c = try compensation(batch)
            #expect(close(c.learningRate, values.learningRate), "B = \(batch)")
            #expect(close(c.temperature, values.temperature), "B = \(batch)")
        }
    }

    @Test func empiricalRulesBelowAtAndAbove() throws {
        let expected: [(learningRate: Double, steps: Double, examples: Double)] = [
            (0.06, 5000, 125_000), (0.15, 2000, 200_000), (0.24, 1250, 500_000),
        ]
        for (batch, values) in zip(Example.batches, expected) {
            let rules = try compensation(batch).empirical
            #expect(rules.noiseScale == 100)
            #expect(close(rules.learningRate, values.learningRate), "B = \(batch)")
            #expect(close(rules.steps, values.steps), "B = \(batch)")
            #expect(close(rules.examples, values.examples), "B = \(batch)")
            // With E_min = S_min·B_noise, the examples are the steps times the batch.
            #expect(close(rules.examples, rules.steps * batch))
        }
    }

    @Test func measuredNoiseScaleAndGivenMinExamples() throws {
        let measured = try compensation(400, noiseScale: 200).empirical
        #expect(measured.noiseScale == 200)
        #expect(close(measured.learningRate, 0.2))  // 0.3/(1 + 200/400)
        #expect(close(measured.steps, 1500))  // 1000·(1 + 1/2)
        let parameters = try PhysicalParameters(minSteps: 1000, minExamples: 7)
        let given = try Compensation(batch: 400, criticalBatch: 100, parameters: parameters).empirical
        #expect(close(given.examples, 35))  // 7·(1 + 400/100)
    }

    @Test func empiricalLimits() throws {
        let huge = try compensation(1e15).empirical
        #expect(close(huge.learningRate, 0.3, relative: 1e-12))  // ε → ε_max
        #expect(close(huge.steps, 1000, relative: 1e-12))  // S → S_min
        let tiny = try compensation(1e-6).empirical
        #expect(close(tiny.examples, 1e5, relative: 1e-7))  // E → E_min
    }

    @Test func naturalUnitsDefaults() throws {
        let c = try Compensation(batch: 400, criticalBatch: 100)
        #expect(c.learningRate == 0.5)
        #expect(c.temperature == 2)
        #expect(c.empirical.learningRate == 0.8)
    }
}
