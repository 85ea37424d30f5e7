/// One measurement of the critical batch size during training.
public struct CriticalBatchMeasurement: Sendable, Equatable, Encodable {
    /// The training step it was measured at.
    public let step: Int
    /// `B_crit` at that step, in samples; a positive finite number.
    public let criticalBatch: Double

    /// A measurement (validated when a ``BatchSchedule`` is built from it).
    public init(step: Int, criticalBatch: Double) {
        self.step = step
        self.criticalBatch = criticalBatch
    }
}

/// Dynamic batch adjustment (seed, section 7.3): a batch size per measurement, following `B_crit`
/// as it moves during training.
///
/// For measurements `x_k` of `B_crit` at strictly increasing steps, the batch `b_k` is:
/// 1. smoothed: `s_0 = x_0`, `s_k = α·x_k + (1 − α)·s_{k−1}` (an exponential moving average;
///    `α = 1` follows the raw measurements);
/// 2. aimed at the top of the critical band, as ``OptimalBatch`` does: `t_k = s_k/τ`;
/// 3. if monotone, made non-decreasing: `t_k = max(t_k, t_{k−1})`;
/// 4. taken down to an integer and clamped: `b_k = min(max(⌊t_k⌋, B_min), B_max)`;
/// 5. with a micro-batch `m`, rounded down to a multiple of `m`, or up to the smallest multiple
///    of `m` that is at least `B_min` when rounding down would fall below it.
///
/// Every step is non-decreasing in `t_k`, so a monotone schedule stays monotone after clamping
/// and rounding, and every batch lies in `[B_min, B_max]`.
public struct BatchSchedule: Sendable, Equatable, Encodable {
    /// How a schedule is derived from the measurements.
    public struct Options: Sendable, Equatable, Encodable {
        /// `α ∈ (0, 1]`, the weight of the newest measurement in the moving average; default 0.3.
        public let smoothing: Double
        /// Whether the batch may only grow; default `false`.
        public let monotone: Bool
        /// `B_min`, the smallest batch, in samples; default 1.
        public let minBatch: Int
        /// `B_max`, the largest batch, in samples (e.g. what fits in memory); `nil` (default) for no bound.
        public let maxBatch: Int?
        /// Round each batch to a multiple of it (see step 5 above); `nil` (default) for no rounding.
        public let microBatch: Int?
        /// `τ ∈ (0, 1]` of the critical band; default 0.9.
        public let tolerance: Double

        /// Schedule options.
        ///
        /// - Throws: ``PolicyError`` for an `α` or `τ` outside `(0, 1]`, a non-positive bound or
        ///   micro-batch, `B_min > B_max`, or no multiple of the micro-batch in `[B_min, B_max]`.
        public init(
            smoothing: Double = 0.3, monotone: Bool = false, minBatch: Int = 1, maxBatch: Int? = nil,
            microBatch: Int? = nil, tolerance: Double = 0.9
        ) throws {
            self.smoothing = try Check.unitInterval(smoothing, "smoothing")
            self.monotone = monotone
            self.minBatch = try Check.positive(minBatch, "minBatch")
            self.maxBatch = try maxBatch.map { try Check.positive($0, "maxBatch") }
            self.microBatch = try microBatch.map { try Check.positive($0, "microBatch") }
            self.tolerance = try Check.unitInterval(tolerance, "tolerance")
            if let maxBatch, minBatch > maxBatch {
                throw PolicyError.invalid(parameter: "minBatch", reason: "\(minBatch) exceeds maxBatch \(maxBatch)")
            }
            if let microBatch {
                let lowest = (minBatch / microBatch + (minBatch % microBatch == 0 ? 0 : 1))
                    .multipliedReportingOverflow(by: microBatch)
                guard !lowest.overflow, lowest.partialValue <= maxBatch ?? Int.max else {
                    throw PolicyError.invalid(
                        parameter: "microBatch",
                        reason: "no multiple of \(microBatch) lies in [\(minBatch), \(maxBatch.map(String.init) ?? "∞")]")
                }
            }
        }

        /// The smallest multiple of the micro-batch that is at least `B_min` (checked in `init`).
        var lowestMultiple: Int {
            guard let microBatch else { return minBatch }
            return (minBatch / microBatch + (minBatch % microBatch == 0 ? 0 : 1)) * microBatch
        }
    }

    /// The schedule at one measurement.
    public struct Entry: Sendable, Equatable, Codable {
        /// The training step, from the measurement.
        public let step: Int
        /// The measured `B_crit`, in samples.
        public let measuredCriticalBatch: Double
        /// The smoothed `B_crit`, `s_k`, in samples.
        public let smoothedCriticalBatch: Double
        /// The batch to train at from this step on, in samples.
        public let batch: Int
    }

    /// The options the schedule was built with.
    public let options: Options
    /// One entry per measurement, in step order.
    public let entries: [Entry]

    /// Builds the schedule.
    ///
    /// - Parameters:
    ///   - measurements: at least one, at strictly increasing steps, each `B_crit` a positive finite number.
    ///   - options: smoothing, monotonicity, bounds, rounding and tolerance.
    /// - Throws: ``PolicyError`` for an empty or unordered series, an invalid `B_crit`, or a batch
    ///   too large for an `Int` when there is no `B_max`.
    public init(measurements: [CriticalBatchMeasurement], options: Options) throws {
        guard !measurements.isEmpty else {
            throw PolicyError.invalid(parameter: "measurements", reason: "no measurements given")
        }
        var entries: [Entry] = []
        var smoothed = 0.0
        var target = 0.0
        for (index, measurement) in measurements.enumerated() {
            let value = try Check.positive(measurement.criticalBatch, "measurements[\(index)].criticalBatch")
            if let previous = entries.last, measurement.step <= previous.step {
                throw PolicyError.invalid(
                    parameter: "measurements[\(index)].step",
                    reason: "steps must be strictly increasing (\(measurement.step) follows \(previous.step))")
            }
            smoothed = entries.isEmpty ? value : options.smoothing * value + (1 - options.smoothing) * smoothed
            let aim = smoothed / options.tolerance
            target = options.monotone && !entries.isEmpty ? max(target, aim) : aim
            entries.append(Entry(
                step: measurement.step, measuredCriticalBatch: value, smoothedCriticalBatch: smoothed,
                batch: try Self.batch(for: target, options: options)))
        }
        self.options = options
        self.entries = entries
    }

    /// The batch in effect at `step`: that of the latest measurement at or before it, or the
    /// first measurement's before the first.
    public func batch(atStep step: Int) -> Int {
        (entries.last { $0.step <= step } ?? entries[0]).batch
    }

    /// Steps 4 and 5: integer, clamped to `[B_min, B_max]`, rounded to the micro-batch.
    private static func batch(for target: Double, options: Options) throws -> Int {
        let capped = options.maxBatch.map { min(target, Double($0)) } ?? target
        var batch = max(try Check.floorBatch(capped, "batch"), options.minBatch)
        if let maxBatch = options.maxBatch { batch = min(batch, maxBatch) }
        guard let micro = options.microBatch else { return batch }
        let roundedDown = batch / micro * micro
        return roundedDown >= options.minBatch ? roundedDown : options.lowestMultiple
    }
}
