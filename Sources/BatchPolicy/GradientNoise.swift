/// The gradient-noise figures of a batch `B` (seed, section 3.1; McCandlish et al. 2018).
///
/// Each figure is `nil` only when the measurement it needs is absent, never NaN.
public struct GradientNoise: Sendable, Equatable, Codable {
    /// `var(∇L_B) = tr(Σ)/B`, the variance of the batch gradient; `nil` without `tr(Σ)`.
    ///
    /// Unit: the unit of `tr(Σ)` (gradient squared). Exact for every `B`, not only `B ≫ B_crit`.
    public let variance: Double?
    /// `std(∇L_B) = √(tr(Σ)/B)`; `nil` without `tr(Σ)`.
    ///
    /// Unit: the gradient's unit.
    public let standardDeviation: Double?
    /// `B/B_simple`, the batch gradient's signal-to-noise ratio `‖G‖²/(tr(Σ)/B)`; `nil` without `B_simple`.
    ///
    /// Unit: dimensionless; 1 at `B = B_simple`.
    public let signalToNoiseRatio: Double?

    init(batch: Double, noiseTrace: Double?, noiseScale: Double?) throws {
        let variance = try noiseTrace.map { try Check.result($0 / batch, "variance") }
        self.variance = variance
        standardDeviation = variance?.squareRoot()
        signalToNoiseRatio = try noiseScale.map { try Check.result(batch / $0, "signalToNoiseRatio") }
    }
}
