import BatchPolicy
import Testing

@Suite struct RegimeTests {
    @Test func bandIsToleranceTimesBCritToBCritOverTolerance() throws {
        let band = try RegimeBand(criticalBatch: 100)
        #expect(band.tolerance == 0.9)
        #expect(close(band.lower, 90))
        #expect(close(band.upper, 1000.0 / 9))
    }

    @Test(arguments: [
        (89.9, Regime.liquid), (90, .critical), (100, .critical), (111.1, .critical), (111.2, .gas), (1e9, .gas),
        (1, .liquid),
    ])
    func defaultToleranceClassifies(batch: Double, expected: Regime) throws {
        #expect(try Regime(batch: batch, criticalBatch: 100) == expected)
    }

    @Test func toleranceOneLeavesOnlyTheCriticalPoint() throws {
        #expect(try Regime(batch: 100, criticalBatch: 100, tolerance: 1) == .critical)
        #expect(try Regime(batch: 99.999, criticalBatch: 100, tolerance: 1) == .liquid)
        #expect(try Regime(batch: 100.001, criticalBatch: 100, tolerance: 1) == .gas)
    }

    @Test func smallerToleranceWidensTheBand() throws {
        #expect(try Regime(batch: 150, criticalBatch: 100, tolerance: 0.9) == .gas)
        #expect(try Regime(batch: 150, criticalBatch: 100, tolerance: 0.5) == .critical)
        #expect(try Regime(batch: 49, criticalBatch: 100, tolerance: 0.5) == .liquid)
    }
}
