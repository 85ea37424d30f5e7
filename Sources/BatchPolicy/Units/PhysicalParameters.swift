/// The constants of the critical-batch theory, each with its unit and its default.
///
/// The theory fixes no units, so every constant defaults to 1 ("natural units"): with the
/// defaults, each figure is the dimensionless factor that multiplies the constant. Give a
/// constant in your own units (watts, joules, seconds, steps) and the figures that use it come
/// out in those units. Every constant must be a positive finite number.
///
/// The power budget `P_max` and the rate `ν₀` are not here: they define the critical batch
/// itself and belong to ``CriticalBatch``.
///
/// The seed uses η both for efficiency and for the learning rate; here they are
/// ``peakEfficiency`` (η_max) and ``optimalLearningRate`` (η_opt).
public struct PhysicalParameters: Sendable, Equatable, Encodable {
    /// `T`, the temperature of the training dynamics (sections 2.2, 3.2, 7.2).
    ///
    /// Unit: the user's temperature unit; default 1 (natural units).
    public let temperature: Double
    /// `k_B`, the constant that turns temperature into loss in `ΔL_excess = k_B·T·log(B/B_crit)`.
    ///
    /// Unit: loss per unit of temperature; default 1.
    public let boltzmann: Double
    /// `E_sample`, the energy spent on one sample (section 4.1).
    ///
    /// Unit: energy per sample, e.g. joules; default 1.
    public let energyPerSample: Double
    /// `η_max`, the peak efficiency, reached at and below `B_crit` (section 4.2).
    ///
    /// Unit: dimensionless (a fraction, or the user's efficiency unit); default 1.
    public let peakEfficiency: Double
    /// `t_opt`, the time to convergence when training at `B_crit` (section 6.2).
    ///
    /// Unit: time, e.g. steps or seconds; default 1.
    public let optimalConvergenceTime: Double
    /// `η_opt`, the learning rate that is right at `B_crit` (section 5.1).
    ///
    /// Unit: learning-rate units; default 1.
    public let optimalLearningRate: Double
    /// `T_opt`, the temperature that is right at `B_crit` (section 5.2).
    ///
    /// Unit: the unit of ``temperature``; default 1.
    public let optimalTemperature: Double
    /// `ε_max`, the learning rate approached as `B → ∞` in `ε_opt(B) = ε_max/(1 + B_noise/B)`
    /// (McCandlish et al. 2018).
    ///
    /// Unit: learning-rate units; default 1.
    public let maxLearningRate: Double
    /// `S_min`, the fewest optimizer steps that reach a target loss (at `B → ∞`), in
    /// `S = S_min·(1 + B_noise/B)` (McCandlish et al. 2018).
    ///
    /// Unit: steps; default 1.
    public let minSteps: Double
    /// `E_min`, the fewest training examples that reach the target loss (at `B → 0`), in
    /// `E = E_min·(1 + B/B_noise)` (McCandlish et al. 2018).
    ///
    /// Unit: examples; default `nil`, meaning `S_min·B_noise` (McCandlish et al.'s
    /// `B_crit = E_min/S_min`), which makes `E = S·B` exactly.
    public let minExamples: Double?

    /// Natural units: every constant 1, `E_min` derived from `S_min`.
    public static let natural = PhysicalParameters(
        uncheckedTemperature: 1, boltzmann: 1, energyPerSample: 1, peakEfficiency: 1,
        optimalConvergenceTime: 1, optimalLearningRate: 1, optimalTemperature: 1,
        maxLearningRate: 1, minSteps: 1, minExamples: nil)

    /// Creates a set of constants; those left out take their default (1, or derived for `E_min`).
    ///
    /// - Throws: ``PolicyError`` when a constant is not a positive finite number.
    public init(
        temperature: Double = 1, boltzmann: Double = 1, energyPerSample: Double = 1,
        peakEfficiency: Double = 1, optimalConvergenceTime: Double = 1,
        optimalLearningRate: Double = 1, optimalTemperature: Double = 1,
        maxLearningRate: Double = 1, minSteps: Double = 1, minExamples: Double? = nil
    ) throws {
        self.init(
            uncheckedTemperature: try Check.positive(temperature, "temperature"),
            boltzmann: try Check.positive(boltzmann, "boltzmann"),
            energyPerSample: try Check.positive(energyPerSample, "energyPerSample"),
            peakEfficiency: try Check.positive(peakEfficiency, "peakEfficiency"),
            optimalConvergenceTime: try Check.positive(optimalConvergenceTime, "optimalConvergenceTime"),
            optimalLearningRate: try Check.positive(optimalLearningRate, "optimalLearningRate"),
            optimalTemperature: try Check.positive(optimalTemperature, "optimalTemperature"),
            maxLearningRate: try Check.positive(maxLearningRate, "maxLearningRate"),
            minSteps: try Check.positive(minSteps, "minSteps"),
            minExamples: try Check.positive(minExamples, "minExamples"))
    }

    private init(
        uncheckedTemperature temperature: Double, boltzmann: Double, energyPerSample: Double,
        peakEfficiency: Double, optimalConvergenceTime: Double, optimalLearningRate: Double,
        optimalTemperature: Double, maxLearningRate: Double, minSteps: Double, minExamples: Double?
    ) {
        self.temperature = temperature
        self.boltzmann = boltzmann
        self.energyPerSample = energyPerSample
        self.peakEfficiency = peakEfficiency
        self.optimalConvergenceTime = optimalConvergenceTime
        self.optimalLearningRate = optimalLearningRate
        self.optimalTemperature = optimalTemperature
        self.maxLearningRate = maxLearningRate
        self.minSteps = minSteps
        self.minExamples = minExamples
    }
}
