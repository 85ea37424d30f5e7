import BatchPolicy
import Testing

@Suite struct BatchScheduleTests {
    /// B_crit rises, dips, then rises again.
    private let series = [(0, 100.0), (100, 200), (200, 50), (300, 400)].map {
        CriticalBatchMeasurement(step: $0.0, criticalBatch: $0.1)
    }

    private func batches(_ options: BatchSchedule.Options) throws -> [Int] {
        try BatchSchedule(measurements: series, options: options).entries.map(\.batch)
    }

    @Test func smoothingIsAnExponentialMovingAverage() throws {
        let half = try BatchSchedule(measurements: series, options: .init(smoothing: 0.5, tolerance: 1))
        #expect(half.entries.map(\.smoothedCriticalBatch) == [100, 150, 100, 250])
        #expect(half.entries.map(\.batch) == [100, 150, 100, 250])
        #expect(half.entries.map(\.measuredCriticalBatch) == [100, 200, 50, 400])
        #expect(half.entries.map(\.step) == [0, 100, 200, 300])
        // Default α = 0.3: 100, 130, 106, 194.2.
        let smooth = try BatchSchedule(measurements: series, options: .init(tolerance: 1))
        for (entry, expected) in zip(smooth.entries, [100.0, 130, 106, 194.2]) {
            #expect(close(entry.smoothedCriticalBatch, expected))
        }
        #expect(smooth.entries.map(\.batch) == [100, 130, 106, 194])
        #expect(try batches(.init(smoothing: 1, tolerance: 1)) == [100, 200, 50, 400])
    }

    @Test func defaultToleranceAimsAtTheTopOfTheBand() throws {
        #expect(try batches(.init(smoothing: 0.5)) == [111, 166, 111, 277])
    }

    @Test func monotoneNeverShrinks() throws {
        #expect(try batches(.init(smoothing: 0.5, monotone: true, tolerance: 1)) == [100, 150, 150, 250])
        #expect(try batches(.init(smoothing: 1, monotone: true, tolerance: 1)) == [100, 200, 200, 400])
    }

    @Test func boundsClamp() throws {
        let options = try BatchSchedule.Options(smoothing: 0.5, minBatch: 120, maxBatch: 200, tolerance: 1)
        #expect(try batches(options) == [120, 150, 120, 200])
        let monotone = try BatchSchedule.Options(smoothing: 0.5, monotone: true, minBatch: 120, maxBatch: 200, tolerance: 1)
        #expect(try batches(monotone) == [120, 150, 150, 200])
    }

    @Test func microBatchRoundsDownWithinTheBounds() throws {
        let options = try BatchSchedule.Options(
            smoothing: 0.5, minBatch: 120, maxBatch: 200, microBatch: 32, tolerance: 1)
        // 120 → 96 is below B_min, so the smallest multiple ≥ 120, 128; 150 → 128; 200 → 192.
        #expect(try batches(options) == [128, 128, 128, 192])
        #expect(try batches(.init(smoothing: 0.5, microBatch: 64, tolerance: 1)) == [64, 128, 64, 192])
    }

    @Test func batchAtStepHoldsTheLatestMeasurement() throws {
        let schedule = try BatchSchedule(measurements: series, options: .init(smoothing: 1, tolerance: 1))
        #expect(schedule.batch(atStep: -5) == 100)
        #expect(schedule.batch(atStep: 0) == 100)
        #expect(schedule.batch(atStep: 150) == 200)
        #expect(schedule.batch(atStep: 200) == 50)
        #expect(schedule.batch(atStep: 1_000_000) == 400)
    }

    @Test(arguments: [false, true])
    func longNoisySeriesStaysInBoundsOnMultiples(monotone: Bool) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let measurements = (0..<500).map { step -> CriticalBatchMeasurement in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Double(state >> 11) / Double(1 << 53)  // [0, 1)
            return CriticalBatchMeasurement(step: step * 10, criticalBatch: 20 + Double(step) + 400 * noise)
        }
        let options = try BatchSchedule.Options(monotone: monotone, minBatch: 50, maxBatch: 600, microBatch: 16)
        let batches = try BatchSchedule(measurements: measurements, options: options).entries.map(\.batch)
        #expect(batches.allSatisfy { (64...592).contains($0) && $0 % 16 == 0 })
        let isMonotone = zip(batches, batches.dropFirst()).allSatisfy { $0 <= $1 }
        #expect(isMonotone == monotone)
    }

    @Test func invalidSeriesAndOptions() throws {
        let options = try BatchSchedule.Options()
        expectPolicyError("measurements") { _ = try BatchSchedule(measurements: [], options: options) }
        let repeated = [CriticalBatchMeasurement(step: 5, criticalBatch: 10), .init(step: 5, criticalBatch: 12)]
        let error = expectPolicyError("measurements[1].step") { _ = try BatchSchedule(measurements: repeated, options: options) }
        #expect(error?.description == "invalid measurements[1].step: steps must be strictly increasing (5 follows 5)")
        for bad in [0.0, -4, .nan, .infinity] {
            let series = [CriticalBatchMeasurement(step: 1, criticalBatch: 10), .init(step: 2, criticalBatch: bad)]
            expectPolicyError("measurements[1].criticalBatch") { _ = try BatchSchedule(measurements: series, options: options) }
        }
        for bad in [0.0, -0.5, 1.5, .nan] {
            expectPolicyError("smoothing") { _ = try BatchSchedule.Options(smoothing: bad) }
            expectPolicyError("tolerance") { _ = try BatchSchedule.Options(tolerance: bad) }
        }
        expectPolicyError("minBatch") { _ = try BatchSchedule.Options(minBatch: 0) }
        expectPolicyError("maxBatch") { _ = try BatchSchedule.Options(maxBatch: -1) }
        expectPolicyError("microBatch") { _ = try BatchSchedule.Options(microBatch: 0) }
        expectPolicyError("minBatch") { _ = try BatchSchedule.Options(minBatch: 10, maxBatch: 9) }
        let noMultiple = expectPolicyError("microBatch") { _ = try BatchSchedule.Options(minBatch: 120, maxBatch: 127, microBatch: 64) }
        #expect(noMultiple?.description == "invalid microBatch: no multiple of 64 lies in [120, 127]")
        expectPolicyError("microBatch") { _ = try BatchSchedule.Options(minBatch: Int.max - 1, microBatch: 4) }
        let unbounded = [CriticalBatchMeasurement(step: 0, criticalBatch: 1e300)]
        expectPolicyError("batch") { _ = try BatchSchedule(measurements: unbounded, options: options) }
        let bounded = try BatchSchedule(measurements: unbounded, options: .init(maxBatch: 4096))
        #expect(bounded.entries[0].batch == 4096)
    }
}
