/// The memory available for a batch, and what one sample costs.
///
/// Units: bytes (any unit works if both use it). Both must be positive finite numbers, and the
/// memory must hold at least one sample.
public struct MemoryBudget: Sendable, Equatable, Encodable {
    /// The memory available for the batch's samples, in bytes.
    public let availableBytes: Double
    /// The memory one sample takes (activations, per-sample gradients), in bytes.
    public let bytesPerSample: Double
    /// `availableBytes/bytesPerSample`, the number of samples that fit (not rounded), at least 1.
    public let capacity: Double

    /// A memory budget.
    ///
    /// - Throws: ``PolicyError`` when a value is not a positive finite number, or the memory
    ///   holds no whole sample.
    public init(availableBytes: Double, bytesPerSample: Double) throws {
        self.availableBytes = try Check.positive(availableBytes, "availableBytes")
        self.bytesPerSample = try Check.positive(bytesPerSample, "bytesPerSample")
        capacity = try Check.result(availableBytes / bytesPerSample, "capacity")
        guard capacity >= 1 else {
            throw PolicyError.invalid(
                parameter: "availableBytes",
                reason: "\(formatValue(availableBytes)) bytes hold no sample of \(formatValue(bytesPerSample)) bytes")
        }
    }

    /// Throws unless `microBatch` samples fit.
    func check(microBatch: Int) throws {
        guard Double(microBatch) <= capacity else {
            throw PolicyError.invalid(
                parameter: "microBatch",
                reason: "\(microBatch) samples need \(formatValue(Double(microBatch) * bytesPerSample)) bytes"
                    + " but \(formatValue(availableBytes)) are available")
        }
    }
}
