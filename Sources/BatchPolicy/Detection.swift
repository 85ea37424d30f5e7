/// The detection metrics of section 8 for batch `B`, with the warnings they raise.
///
/// The seed's monitor (section 9.2) warns when the efficiency ratio falls below 0.8; the warnings
/// are values a caller can inspect (kind, value, threshold) as well as a message.
public struct Detection: Sendable, Equatable, Codable {
    /// `B`, in samples.
    public let batch: Double
    /// `B_crit`, in samples.
    public let criticalBatch: Double
    /// `η_actual/η_theoretical = min(1, B_crit/B)` (section 8.1), dimensionless in (0, 1].
    public let efficiencyRatio: Double
    /// `P_used/P_max = min(1, B_crit/B)` (section 8.2), dimensionless in (0, 1].
    public let powerUtilisation: Double
    /// `(dI/dt)/(dI/dt)_max = min(1, √(B_crit/B))` (section 8.3), dimensionless in (0, 1];
    /// the seed's `√(B_crit/B)` above `B_crit`.
    public let informationRateRatio: Double
    /// The warnings raised, in the order of section 8; empty when none.
    public let warnings: [PolicyWarning]

    /// The section-8 metrics of batch `B`.
    ///
    /// - Parameters:
    ///   - batch: `B`, in samples.
    ///   - criticalBatch: `B_crit`, in samples.
    ///   - efficiencyThreshold: warn when the efficiency ratio is strictly below it; in (0, 1],
    ///     default 0.8 (the seed's).
    /// - Throws: ``PolicyError`` for an invalid input.
    public init(batch: Double, criticalBatch: Double, efficiencyThreshold: Double = 0.8) throws {
        let batch = try Check.positive(batch, "batch")
        let critical = try Check.positive(criticalBatch, "criticalBatch")
        let threshold = try Check.unitInterval(efficiencyThreshold, "efficiencyThreshold")
        let ratio = min(1, critical / batch)
        self.batch = batch
        self.criticalBatch = critical
        efficiencyRatio = ratio
        powerUtilisation = ratio
        informationRateRatio = ratio.squareRoot()
        warnings = ratio < threshold ? [PolicyWarning(kind: .lowEfficiency, value: ratio, threshold: threshold)] : []
    }
}

/// A warning raised by ``Detection``: what was measured, against which threshold, and a message.
public struct PolicyWarning: Sendable, Equatable, Codable {
    /// What a warning is about.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The efficiency ratio `min(1, B_crit/B)` is below the threshold (seed, section 9.2).
        case lowEfficiency
    }

    /// What the warning is about.
    public let kind: Kind
    /// The measured value, e.g. the efficiency ratio as a fraction in (0, 1].
    public let value: Double
    /// The threshold it fell below, as a fraction.
    public let threshold: Double
    /// The seed's wording, e.g. `Operating at 45.45% efficiency` (percent, two decimals, as
    /// Python's `{efficiency:.2%}`).
    public let message: String

    init(kind: Kind, value: Double, threshold: Double) {
        self.kind = kind
        self.value = value
        self.threshold = threshold
        switch kind {
        case .lowEfficiency: message = "Operating at \(formatPercent(value)) efficiency"
        }
    }
}
