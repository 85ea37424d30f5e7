/// How to adjust training for batch `B`: the seed's rules (section 5) beside the empirical rules
/// of McCandlish et al. (2018).
///
/// The two learning-rate rules disagree in direction: the seed lowers the learning rate above
/// `B_crit` "to maintain update magnitude", the empirical rule raises it towards `ε_max`. Both are
/// reported so a caller can show them side by side; neither is clamped.
public struct Compensation: Sendable, Equatable, Codable {
    /// `B`, in samples.
    public let batch: Double
    /// `B_crit`, in samples.
    public let criticalBatch: Double
    /// `η(B) = η_opt·√(B_crit/B)` (section 5.1), the seed's learning rate; `η_opt` at `B_crit`.
    ///
    /// Unit: `η_opt`'s. Applied at every `B`, so it exceeds `η_opt` below `B_crit`.
    public let learningRate: Double
    /// `T(B) = T_opt·√(B/B_crit)` (section 5.2), the seed's compensating temperature; `T_opt` at `B_crit`.
    ///
    /// Unit: `T_opt`'s. Applied at every `B`.
    public let temperature: Double
    /// The empirical rules (McCandlish et al. 2018).
    public let empirical: EmpiricalRules

    /// The McCandlish et al. (2018) rules at batch `B` with noise scale `B_noise`.
    public struct EmpiricalRules: Sendable, Equatable, Codable {
        /// `B_noise`, in samples: the measured `B_simple` when given, otherwise `B_crit`.
        public let noiseScale: Double
        /// `ε_opt(B) = ε_max/(1 + B_noise/B)`, the optimal learning rate; in `ε_max`'s units.
        public let learningRate: Double
        /// `S = S_min·(1 + B_noise/B)`, the optimizer steps to reach the target loss.
        public let steps: Double
        /// `E = E_min·(1 + B/B_noise)`, the training examples to reach the target loss
        /// (`E_min = S_min·B_noise` unless given, and then `E = S·B`).
        public let examples: Double
    }

    /// The compensating settings for batch `B`.
    ///
    /// - Parameters:
    ///   - batch: `B`, in samples.
    ///   - criticalBatch: `B_crit`, in samples.
    ///   - noiseScale: `B_noise` for the empirical rules, normally the measured `B_simple`;
    ///     default `nil`, meaning `B_crit` (which equals `B_simple` for a noise-scale `B_crit`).
    ///   - parameters: `η_opt`, `T_opt`, `ε_max`, `S_min`, `E_min`; default ``PhysicalParameters/natural``.
    /// - Throws: ``PolicyError`` for an invalid input or a figure that overflows.
    public init(
        batch: Double, criticalBatch: Double, noiseScale: Double? = nil,
        parameters: PhysicalParameters = .natural
    ) throws {
        let batch = try Check.positive(batch, "batch")
        let critical = try Check.positive(criticalBatch, "criticalBatch")
        let noise = try Check.positive(noiseScale, "noiseScale") ?? critical
        self.batch = batch
        self.criticalBatch = critical
        learningRate = try Check.result(
            parameters.optimalLearningRate * (critical.squareRoot() / batch.squareRoot()), "learningRate")
        temperature = try Check.result(
            parameters.optimalTemperature * (batch.squareRoot() / critical.squareRoot()), "temperature")
        let minExamples = try Check.result(parameters.minExamples ?? parameters.minSteps * noise, "minExamples")
        empirical = EmpiricalRules(
            noiseScale: noise,
            learningRate: parameters.maxLearningRate / (1 + noise / batch),
            steps: try Check.result(parameters.minSteps * (1 + noise / batch), "steps"),
            examples: try Check.result(minExamples * (1 + batch / noise), "examples"))
    }
}
