/// Gradient accumulation (seed, section 7.3): micro-batches that fit in memory, accumulated over
/// steps to reach a target batch.
///
/// Without a given micro-batch the plan takes the fewest steps that can reach the target,
/// `steps = ⌈target/capacity⌉` with `capacity = ⌊available_memory/bytes_per_sample⌋`, and the
/// smallest micro-batch that reaches the target in that many steps, `⌈target/steps⌉`; with a
/// given micro-batch `m`, `steps = ⌈target/m⌉`. Either way the effective batch `micro × steps` is at
/// least the target; it overshoots by less than `steps` samples when the micro-batch is chosen, by
/// less than one micro-batch when it is given. ``reachesTargetExactly`` says whether it is exact.
public struct AccumulationPlan: Sendable, Equatable, Codable {
    /// The batch to reach, in samples.
    public let targetBatch: Int
    /// The samples per forward/backward pass, in samples; fits in memory.
    public let microBatch: Int
    /// The micro-batches accumulated per optimizer step.
    public let steps: Int
    /// `microBatch × steps`, in samples; at least ``targetBatch``.
    public let effectiveBatch: Int
    /// Whether ``effectiveBatch`` equals ``targetBatch``.
    public let reachesTargetExactly: Bool
    /// `microBatch × bytesPerSample`, in bytes: the batch memory one pass needs.
    public let memoryUsed: Double

    /// Plans the accumulation of `targetBatch` within `memory`.
    ///
    /// - Parameters:
    ///   - targetBatch: the batch to reach, e.g. ``OptimalBatch/batch``.
    ///   - memory: the memory budget that one micro-batch must fit in.
    ///   - microBatch: a fixed micro-batch; `nil` to choose one.
    /// - Throws: ``PolicyError`` for a non-positive target or micro-batch, or a micro-batch that
    ///   does not fit in memory.
    public init(targetBatch: Int, memory: MemoryBudget, microBatch: Int? = nil) throws {
        let target = try Check.positive(targetBatch, "targetBatch")
        let micro: Int
        if let microBatch {
            micro = try Check.positive(microBatch, "microBatch")
            try memory.check(microBatch: micro)
        } else {
            let fit = memory.capacity >= Double(target) ? target : try Check.floorBatch(memory.capacity, "capacity")
            micro = ceilingDivision(target, ceilingDivision(target, fit))
        }
        let steps = ceilingDivision(target, micro)
        let (effective, overflow) = micro.multipliedReportingOverflow(by: steps)
        guard !overflow else {
            throw PolicyError.notRepresentable(quantity: "effectiveBatch", value: Double(micro) * Double(steps))
        }
        self.targetBatch = target
        self.microBatch = micro
        self.steps = steps
        effectiveBatch = effective
        reachesTargetExactly = effective == target
        memoryUsed = Double(micro) * memory.bytesPerSample
    }
}

/// `⌈a/b⌉` for positive integers, without overflow.
private func ceilingDivision(_ a: Int, _ b: Int) -> Int {
    a / b + (a % b == 0 ? 0 : 1)
}
