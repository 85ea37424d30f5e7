/// Every figure the theory gives for training at batch `B` (seed, sections 2–4 and 6–7).
///
/// The seed states most figures "for `B > B_crit`". Each is defined here for every `B > 0`: below
/// `B_crit` the seed's form continues as its value at `B_crit`, through `min(1, B_crit/B)`,
/// `min(1, √(B_crit/B))`, `max(1, B/B_crit)` or `(B − B_crit)⁺ = max(0, B − B_crit)`, so every
/// figure is continuous at `B_crit`. The gradient-noise figures are exact for all `B` and are not
/// clamped.
public struct BatchAnalysis: Sendable, Equatable, Codable {
    /// `B`, in samples.
    public let batch: Double
    /// `B_crit`, in samples.
    public let criticalBatch: Double
    /// The phase of `B` (section 1.2) with the tolerance given.
    public let regime: Regime
    /// `P_eff = P_max·min(1, B_crit/B)` (section 2.1), in `P_max`'s units; `nil` when `P_max` is
    /// unknown (a noise-scale `B_crit` without `tr(I_F)`).
    public let effectivePower: Double?
    /// `dI/dt = (P_max/T)·min(1, √(B_crit/B))` (section 2.2), in `P_max` per unit of temperature;
    /// the seed's `(P_max/T)·√(B_crit/B)` above `B_crit`, `P_max/T` below. `nil` when `P_max` is unknown.
    public let informationRate: Double?
    /// `tr(Σ)/B`, its square root and `B/B_simple` (section 3.1).
    public let gradientNoise: GradientNoise
    /// `T_eff = T·min(1, √(B_crit/B))` (section 3.2), in temperature units; `T` at and below `B_crit`.
    public let effectiveTemperature: Double
    /// `E_waste = E_sample·(B − B_crit)⁺` (section 4.1), in energy units; 0 at and below `B_crit`.
    public let energyWaste: Double
    /// `η(B) = η_max·min(1, B_crit/B)` (section 4.2), in `η_max`'s units (not a learning rate).
    public let efficiency: Double
    /// `Q(B) = min(1, √(B_crit/B))` (section 6.1), dimensionless in (0, 1].
    public let quality: Double
    /// `t_conv = t_opt·max(1, B/B_crit)` (section 6.2), in `t_opt`'s units.
    public let convergenceTime: Double
    /// `(B − B_crit)⁺/B` (section 7.1), the fraction of compute spent past `B_crit`; in [0, 1).
    public let computeWaste: Double
    /// `(B − B_crit)⁺/B` (section 7.1), the fraction of batch memory spent past `B_crit`; in [0, 1).
    public let memoryWaste: Double
    /// `1 − Q(B)` (section 7.1), the fraction of time wasted; in [0, 1).
    public let timeWaste: Double
    /// `k_B·T·ln(B/B_crit)` above `B_crit`, 0 below (section 7.2), with its validity.
    public let excessLoss: ExcessLoss

    /// Computes every figure for batch `B`.
    ///
    /// - Parameters:
    ///   - batch: `B`, in samples (need not be an integer).
    ///   - criticalBatch: `B_crit` and its source; `P_max` is read from it (see ``CriticalBatch/pMax``).
    ///   - statistics: the measurements for the gradient-noise figures; `B_simple` falls back to
    ///     `B_crit` when `B_crit` came from the noise scale.
    ///   - parameters: the theory's constants; default ``PhysicalParameters/natural``.
    ///   - tolerance: the critical band's `τ ∈ (0, 1]`, default 0.9 (see ``Regime``).
    ///   - excessLossThreshold: the multiple of `B_crit` from which `B ≫ B_crit`, at least 1; default 10.
    /// - Throws: ``PolicyError`` for an invalid input or a figure that overflows.
    public init(
        batch: Double, criticalBatch: CriticalBatch, statistics: GradientStatistics? = nil,
        parameters: PhysicalParameters = .natural, tolerance: Double = 0.9,
        excessLossThreshold: Double = 10
    ) throws {
        let batch = try Check.positive(batch, "batch")
        let critical = try Check.positive(criticalBatch.value, "criticalBatch")
        let pMax = try Check.positive(criticalBatch.pMax, "pMax")
        self.batch = batch
        self.criticalBatch = critical
        regime = try Regime(batch: batch, criticalBatch: critical, tolerance: tolerance)

        let utilisation = min(1, critical / batch)
        let quality = utilisation.squareRoot()
        let excess = max(0, batch - critical)
        effectivePower = pMax.map { $0 * utilisation }
        informationRate = try pMax.map { try Check.result($0 / parameters.temperature * quality, "informationRate") }
        let noiseScale = statistics?.noiseScale ?? (criticalBatch.source == .noiseScale ? critical : nil)
        gradientNoise = try GradientNoise(batch: batch, noiseTrace: statistics?.noiseTrace, noiseScale: noiseScale)
        effectiveTemperature = parameters.temperature * quality
        energyWaste = try Check.result(parameters.energyPerSample * excess, "energyWaste")
        efficiency = parameters.peakEfficiency * utilisation
        self.quality = quality
        convergenceTime = try Check.result(
            parameters.optimalConvergenceTime * max(1, batch / critical), "convergenceTime")
        computeWaste = excess / batch
        memoryWaste = excess / batch
        timeWaste = 1 - quality
        excessLoss = try ExcessLoss(
            batch: batch, criticalBatch: critical, parameters: parameters, threshold: excessLossThreshold)
    }
}
