import BatchPolicy
import Testing

@Suite struct DetectionTests {
    @Test func atAndBelowCriticalEverythingIsFullAndQuiet() throws {
        for batch in [25.0, 100] {
            let d = try Detection(batch: batch, criticalBatch: 100)
            #expect(d.efficiencyRatio == 1)
            #expect(d.powerUtilisation == 1)
            #expect(d.informationRateRatio == 1)
            #expect(d.warnings.isEmpty)
        }
    }

    @Test func aboveCriticalWarnsWithTheSeedsWording() throws {
        let d = try Detection(batch: 400, criticalBatch: 100)
        #expect(d.efficiencyRatio == 0.25)
        #expect(d.powerUtilisation == 0.25)
        #expect(d.informationRateRatio == 0.5)
        let warning = try #require(d.warnings.first)
        #expect(d.warnings.count == 1)
        #expect(warning.kind == .lowEfficiency)
        #expect(warning.value == 0.25)
        #expect(warning.threshold == 0.8)
        #expect(warning.message == "Operating at 25.00% efficiency")
    }

    @Test func thresholdIsStrict() throws {
        #expect(try Detection(batch: 125, criticalBatch: 100).warnings.isEmpty)  // exactly 0.8
        let below = try Detection(batch: 126, criticalBatch: 100)
        #expect(below.warnings.map(\.message) == ["Operating at 79.37% efficiency"])
    }

    @Test(arguments: [
        (220.0, "Operating at 45.45% efficiency"), (10_000, "Operating at 1.00% efficiency"),
        (1e7, "Operating at 0.00% efficiency"), (100 / 0.7995, "Operating at 79.95% efficiency"),
    ])
    func messagesMatchPythonsPercentFormat(batch: Double, message: String) throws {
        #expect(try Detection(batch: batch, criticalBatch: 100).warnings.first?.message == message)
    }

    @Test func customThreshold() throws {
        #expect(try Detection(batch: 180, criticalBatch: 100, efficiencyThreshold: 0.5).warnings.isEmpty)
        let d = try Detection(batch: 250, criticalBatch: 100, efficiencyThreshold: 0.5)
        #expect(d.warnings.first?.threshold == 0.5)
        #expect(d.warnings.first?.message == "Operating at 40.00% efficiency")
    }
}
