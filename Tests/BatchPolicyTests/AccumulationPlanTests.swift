import BatchPolicy
import Testing

@Suite struct AccumulationPlanTests {
    /// 4e8 bytes at 1e7 bytes a sample: 40 samples fit.
    private let memory = try! MemoryBudget(availableBytes: 4e8, bytesPerSample: 1e7)

    @Test func reachesTheTargetExactly() throws {
        let plan = try AccumulationPlan(targetBatch: 96, memory: memory)
        #expect(plan.steps == 3)  // ⌈96/40⌉
        #expect(plan.microBatch == 32)  // ⌈96/3⌉
        #expect(plan.effectiveBatch == 96)
        #expect(plan.reachesTargetExactly)
        #expect(plan.memoryUsed == 3.2e8)
    }

    @Test func overshootsByLessThanOneMicroBatchWhenNotDivisible() throws {
        let plan = try AccumulationPlan(targetBatch: 97, memory: memory)
        #expect(plan.steps == 3)
        #expect(plan.microBatch == 33)
        #expect(plan.effectiveBatch == 99)
        #expect(!plan.reachesTargetExactly)
    }

    @Test func targetThatFitsNeedsNoAccumulation() throws {
        let plan = try AccumulationPlan(targetBatch: 30, memory: memory)
        #expect(plan.steps == 1)
        #expect(plan.microBatch == 30)
        #expect(plan.reachesTargetExactly)
        #expect(plan.memoryUsed == 3e8)
    }

    @Test func givenMicroBatch() throws {
        let exact = try AccumulationPlan(targetBatch: 96, memory: memory, microBatch: 24)
        #expect(exact.steps == 4)
        #expect(exact.effectiveBatch == 96)
        #expect(exact.reachesTargetExactly)
        let over = try AccumulationPlan(targetBatch: 96, memory: memory, microBatch: 25)
        #expect(over.steps == 4)
        #expect(over.effectiveBatch == 100)
        #expect(!over.reachesTargetExactly)
        expectPolicyError("microBatch") { _ = try AccumulationPlan(targetBatch: 96, memory: memory, microBatch: 41) }
    }

    @Test func memoryBoundOptimalBatchIsReachedByAccumulation() throws {
        // Memory holds 40 samples; B_crit = 200 asks for ⌊200/0.9⌋ = 222 with τ = 0.9.
        let optimal = try OptimalBatch(criticalBatch: 200)
        #expect(optimal.batch == 222)
        let plan = try AccumulationPlan(targetBatch: optimal.batch, memory: memory)
        #expect(plan.steps == 6)  // ⌈222/40⌉
        #expect(plan.microBatch == 37)  // 222/6
        #expect(plan.reachesTargetExactly)
        #expect(plan.memoryUsed <= memory.availableBytes)
    }

    @Test func everyPlanFitsAndUsesTheFewestSteps() throws {
        for capacity in [1.0, 3, 7.5, 40, 64] {
            let memory = try MemoryBudget(availableBytes: capacity * 10, bytesPerSample: 10)
            for target in 1...200 {
                let plan = try AccumulationPlan(targetBatch: target, memory: memory)
                let fit = Int(capacity)
                #expect(plan.microBatch <= fit)
                #expect(plan.effectiveBatch >= target)
                #expect(plan.effectiveBatch - target < plan.steps)
                #expect(plan.steps == (target + fit - 1) / fit)
                #expect(plan.reachesTargetExactly == (plan.effectiveBatch == target))
            }
        }
    }
}
