/// The batch size to train at (seed, section 9.1), as an integer, with the constraint that binds.
///
/// `B = min(B_crit/τ, available_memory/bytes_per_sample)`, taken down to an integer and at least 1.
/// `B_crit/τ` is the top of the critical band (see ``Regime``): the largest batch still critical.
///
/// Micro-batch rounding, when a micro-batch `m` is given: `B` is rounded *down* to a multiple of
/// `m`, but is at least one micro-batch (`m`), even where `B_crit/τ < m`; a micro-batch that does
/// not fit in memory is an error.
public struct OptimalBatch: Sendable, Equatable, Codable {
    /// Which limit of the `min` sets the batch.
    public enum Constraint: String, Sendable, Equatable, Codable {
        /// `B_crit/τ` is the smaller (ties go here).
        case criticalBatch
        /// `available_memory/bytes_per_sample` is the smaller.
        case memory
    }

    /// The batch size, in samples.
    public let batch: Int
    /// The limit that binds.
    public let constraint: Constraint
    /// `B_crit/τ`, in samples (not rounded).
    public let criticalLimit: Double
    /// `available_memory/bytes_per_sample`, in samples (not rounded); `nil` without a memory budget.
    public let memoryLimit: Double?
    /// The micro-batch ``batch`` is a multiple of; `nil` when not asked.
    public let microBatch: Int?

    /// The optimal batch for `B_crit`.
    ///
    /// - Parameters:
    ///   - criticalBatch: `B_crit`, in samples.
    ///   - tolerance: `τ ∈ (0, 1]`, default 0.9 (the seed's).
    ///   - memory: the memory budget; `nil` when memory does not limit the batch.
    ///   - microBatch: round to a multiple of it (down, at least one); `nil` for no rounding.
    /// - Throws: ``PolicyError`` for an invalid input, a micro-batch that does not fit in memory,
    ///   or a batch too large for an `Int`.
    public init(criticalBatch: Double, tolerance: Double = 0.9, memory: MemoryBudget? = nil, microBatch: Int? = nil) throws {
        let band = try RegimeBand(criticalBatch: criticalBatch, tolerance: tolerance)
        let microBatch = try microBatch.map { try Check.positive($0, "microBatch") }
        if let memory, let microBatch { try memory.check(microBatch: microBatch) }
        criticalLimit = band.upper
        memoryLimit = memory?.capacity
        self.microBatch = microBatch
        let limit: Double
        if let memoryLimit, memoryLimit < criticalLimit {
            constraint = .memory
            limit = memoryLimit
        } else {
            constraint = .criticalBatch
            limit = criticalLimit
        }
        let whole = max(1, try Check.floorBatch(limit, "batch"))
        batch = microBatch.map { max($0, whole / $0 * $0) } ?? whole
    }
}
