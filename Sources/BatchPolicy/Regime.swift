/// The phase a batch size puts training in (seed, section 1.2).
///
/// With tolerance `τ ∈ (0, 1]` (default 0.9) the critical band is `[τ·B_crit, B_crit/τ]`:
/// - `liquid`: `B < τ·B_crit` — efficient mixing, every sample pulls its weight;
/// - `critical`: `τ·B_crit ≤ B ≤ B_crit/τ` — optimal fluctuations (both ends included);
/// - `gas`: `B > B_crit/τ` — supercritical, inefficient mixing.
///
/// With `τ = 1` the band shrinks to the single point `B = B_crit`, the seed's literal definition.
public enum Regime: String, Sendable, Equatable, Codable, CaseIterable {
    /// `B < τ·B_crit`.
    case liquid
    /// `τ·B_crit ≤ B ≤ B_crit/τ`.
    case critical
    /// `B > B_crit/τ`.
    case gas

    /// The regime of batch `B` around `B_crit` with tolerance `τ`.
    ///
    /// - Throws: ``PolicyError`` when `batch` or `criticalBatch` is not a positive finite number
    ///   or `tolerance` is outside `(0, 1]`.
    public init(batch: Double, criticalBatch: Double, tolerance: Double = 0.9) throws {
        self = try RegimeBand(criticalBatch: criticalBatch, tolerance: tolerance).regime(of: batch)
    }
}

/// The critical band `[τ·B_crit, B_crit/τ]` that separates the liquid and gas regimes.
public struct RegimeBand: Sendable, Equatable, Codable {
    /// `B_crit`, in samples.
    public let criticalBatch: Double
    /// `τ ∈ (0, 1]`; default 0.9.
    public let tolerance: Double
    /// `τ·B_crit`, the smallest critical batch.
    public let lower: Double
    /// `B_crit/τ`, the largest critical batch.
    public let upper: Double

    /// The band around `B_crit` for tolerance `τ` (default 0.9).
    ///
    /// - Throws: ``PolicyError`` when `criticalBatch` is not a positive finite number or
    ///   `tolerance` is outside `(0, 1]`.
    public init(criticalBatch: Double, tolerance: Double = 0.9) throws {
        self.criticalBatch = try Check.positive(criticalBatch, "criticalBatch")
        self.tolerance = try Check.unitInterval(tolerance, "tolerance")
        lower = criticalBatch * tolerance
        upper = try Check.result(criticalBatch / tolerance, "upper")
    }

    /// The regime of batch `B`: liquid below ``lower``, gas above ``upper``, critical in between.
    ///
    /// - Throws: ``PolicyError`` when `batch` is not a positive finite number.
    public func regime(of batch: Double) throws -> Regime {
        let batch = try Check.positive(batch, "batch")
        if batch < lower { return .liquid }
        if batch > upper { return .gas }
        return .critical
    }
}
