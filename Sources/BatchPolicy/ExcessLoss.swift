/// The loss degradation of training at batch `B` (seed, section 7.2), with how far to trust it.
///
/// `ΔL_excess = k_B·T·ln(B/B_crit)` for `B > B_crit` (natural logarithm), and 0 for `B ≤ B_crit`.
/// The seed states it for `B ≫ B_crit`; here that means `B ≥ threshold·B_crit`, with the
/// threshold 10 by default (compared as `B/B_crit ≥ threshold`). Between `B_crit` and the threshold the value is still reported, but
/// marked as an extrapolation.
///
/// Unit: loss units (those of `k_B·T`).
public struct ExcessLoss: Sendable, Equatable, Codable {
    /// How far the formula's assumption `B ≫ B_crit` holds at this `B`.
    public enum Validity: String, Sendable, Equatable, Codable {
        /// `B ≤ B_crit`: no excess loss, the value is 0 by definition.
        case subcritical
        /// `B_crit < B < threshold·B_crit`: the `B ≫ B_crit` formula applied outside its range.
        case extrapolated
        /// `B ≥ threshold·B_crit`: the regime the seed's formula is stated for.
        case asymptotic
    }

    /// `ΔL_excess`, in loss units; 0 at and below `B_crit`.
    public let value: Double
    /// Whether ``value`` is in the formula's range.
    public let validity: Validity
    /// The multiple of `B_crit` from which `B ≫ B_crit` is taken to hold (default 10).
    public let threshold: Double

    /// `true` when ``value`` comes from the `B ≫ B_crit` formula used below its threshold.
    public var isExtrapolation: Bool { validity == .extrapolated }

    init(batch: Double, criticalBatch: Double, parameters: PhysicalParameters, threshold: Double) throws {
        guard try Check.finite(threshold, "excessLossThreshold") >= 1 else {
            throw PolicyError.outOfRange(parameter: "excessLossThreshold", value: threshold, range: "[1, ∞)")
        }
        self.threshold = threshold
        guard batch > criticalBatch else {
            value = 0
            validity = .subcritical
            return
        }
        let ratio = batch / criticalBatch
        let logRatio = ratio.isFinite ? naturalLog(ratio) : naturalLog(batch) - naturalLog(criticalBatch)
        value = try Check.result(parameters.boltzmann * parameters.temperature * logRatio, "excessLoss")
        validity = ratio >= threshold ? .asymptotic : .extrapolated
    }
}
