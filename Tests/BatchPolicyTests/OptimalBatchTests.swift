import BatchPolicy
import Testing

@Suite struct OptimalBatchTests {
    @Test func criticalBatchBindsWithoutMemory() throws {
        let optimal = try OptimalBatch(criticalBatch: 100)
        #expect(optimal.batch == 111)  // ⌊100/0.9⌋
        #expect(optimal.constraint == .criticalBatch)
        #expect(close(optimal.criticalLimit, 1000.0 / 9))
        #expect(optimal.memoryLimit == nil)
        #expect(optimal.microBatch == nil)
        #expect(try OptimalBatch(criticalBatch: 100, tolerance: 1).batch == 100)
    }

    @Test func memoryBinds() throws {
        let memory = try MemoryBudget(availableBytes: 1e9, bytesPerSample: 1e7)
        let optimal = try OptimalBatch(criticalBatch: 100, memory: memory)
        #expect(optimal.batch == 100)
        #expect(optimal.constraint == .memory)
        #expect(optimal.memoryLimit == 100)
        let roomy = try OptimalBatch(criticalBatch: 100, memory: try MemoryBudget(availableBytes: 1e10, bytesPerSample: 1e7))
        #expect(roomy.batch == 111)
        #expect(roomy.constraint == .criticalBatch)
    }

    @Test func tieGoesToTheCriticalBatch() throws {
        let memory = try MemoryBudget(availableBytes: 500, bytesPerSample: 5)
        let optimal = try OptimalBatch(criticalBatch: 100, tolerance: 1, memory: memory)
        #expect(optimal.batch == 100)
        #expect(optimal.constraint == .criticalBatch)
    }

    @Test func microBatchRoundsDownButKeepsOneMicroBatch() throws {
        #expect(try OptimalBatch(criticalBatch: 100, microBatch: 8).batch == 104)  // 111 → 104
        let memory = try MemoryBudget(availableBytes: 1e9, bytesPerSample: 1e7)
        let bound = try OptimalBatch(criticalBatch: 100, memory: memory, microBatch: 8)
        #expect(bound.batch == 96)  // 100 → 96
        #expect(bound.constraint == .memory)
        #expect(bound.microBatch == 8)
        #expect(try OptimalBatch(criticalBatch: 4.5, microBatch: 8).batch == 8)  // ⌊5⌋ → one micro-batch
        #expect(try OptimalBatch(criticalBatch: 72, tolerance: 1, microBatch: 8).batch == 72)  // already a multiple
    }

    @Test func tinyCriticalBatchStillGivesOneSample() throws {
        let optimal = try OptimalBatch(criticalBatch: 0.5)
        #expect(optimal.batch == 1)
        #expect(optimal.constraint == .criticalBatch)
    }

    @Test func memoryThatCannotHoldTheBatchIsAnError() throws {
        expectPolicyError("availableBytes") { _ = try MemoryBudget(availableBytes: 10, bytesPerSample: 11) }
        let memory = try MemoryBudget(availableBytes: 50, bytesPerSample: 10)  // 5 samples
        let error = expectPolicyError("microBatch") { _ = try OptimalBatch(criticalBatch: 100, memory: memory, microBatch: 8) }
        #expect(error?.description == "invalid microBatch: 8 samples need 80 bytes but 50 are available")
    }

    @Test func hugeBatchIsNotRepresentable() throws {
        expectPolicyError("batch") { _ = try OptimalBatch(criticalBatch: 1e300) }
    }
}
