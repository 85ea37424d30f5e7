/// The critical batch size `B_crit`, and which of the two sources it came from.
///
/// Two sources give `B_crit`:
/// - the power budget (seed, section 1.1): `B_crit = P_max/(ν₀·tr(I_F))`, with `P_max` and `ν₀`
///   given by the user;
/// - the noise scale (McCandlish et al. 2018): `B_crit = B_simple`, measured by the engine.
///
/// Calibration links them: the budget a noise-scale `B_crit` implies is
/// `P_max/ν₀ = B_simple·tr(I_F)`, so with that budget the power-budget formula returns `B_simple`
/// exactly. Hold the budget fixed with ``holdingBudget(fisherTrace:)`` and `B_crit` moves as
/// `1/tr(I_F)` moves during training.
///
/// Units: `B_crit` in samples. `P_max` is the power budget in the user's units (watts, or
/// "information per step"), no default; `ν₀` is a rate, in the units that make
/// `P_max/(ν₀·tr(I_F))` a number of samples, default 1; `tr(I_F)` in the model's units.
public struct CriticalBatch: Sendable, Equatable, Codable {
    /// Where a critical batch size came from.
    public enum Source: Sendable, Equatable, Codable {
        /// `B_crit = P_max/(ν₀·tr(I_F))`, from a user-given power budget.
        case powerBudget(pMax: Double, nu0: Double)
        /// `B_crit = B_simple`, the measured noise scale.
        case noiseScale
    }

    /// `B_crit`, in samples; a positive finite number.
    public let value: Double
    /// Which formula produced ``value``.
    public let source: Source
    /// `tr(I_F)` used or recorded with it; `nil` only for a noise-scale `B_crit` measured without it.
    public let fisherTrace: Double?
    /// The budget `P_max/ν₀`: as given (power budget) or implied, `B_simple·tr(I_F)` (noise scale);
    /// `nil` only when `tr(I_F)` is unknown.
    public let budget: Double?

    /// `B_crit = P_max/(ν₀·tr(I_F))` (seed, section 1.1).
    ///
    /// - Parameters:
    ///   - pMax: `P_max`, the power budget, in the user's power units (no default).
    ///   - nu0: `ν₀`, the rate in the matching units; default 1 (natural units).
    ///   - fisherTrace: `tr(I_F)`, the trace of the Fisher information.
    /// - Throws: ``PolicyError`` when an input is not a positive finite number, or the quotient
    ///   is not a finite positive number.
    public static func powerBudget(pMax: Double, nu0: Double = 1, fisherTrace: Double) throws -> CriticalBatch {
        let pMax = try Check.positive(pMax, "pMax")
        let nu0 = try Check.positive(nu0, "nu0")
        let fisherTrace = try Check.positive(fisherTrace, "fisherTrace")
        let budget = try Check.positive(Check.result(pMax / nu0, "budget"), "budget")
        let value = try Check.positive(Check.result(budget / fisherTrace, "criticalBatch"), "criticalBatch")
        return CriticalBatch(
            value: value, source: .powerBudget(pMax: pMax, nu0: nu0),
            fisherTrace: fisherTrace, budget: budget)
    }

    /// `B_crit = B_simple` (McCandlish et al. 2018), with the implied budget `P_max/ν₀ = B_simple·tr(I_F)`
    /// when `tr(I_F)` is known.
    ///
    /// - Parameters:
    ///   - bSimple: `B_simple`, the measured noise scale, in samples.
    ///   - fisherTrace: `tr(I_F)`, if measured; without it ``budget`` is `nil`.
    /// - Throws: ``PolicyError`` when an input is not a positive finite number or the budget overflows.
    public static func noiseScale(bSimple: Double, fisherTrace: Double? = nil) throws -> CriticalBatch {
        let bSimple = try Check.positive(bSimple, "bSimple")
        let fisherTrace = try Check.positive(fisherTrace, "fisherTrace")
        let budget = try fisherTrace.map { try Check.result(bSimple * $0, "budget") }
        return CriticalBatch(value: bSimple, source: .noiseScale, fisherTrace: fisherTrace, budget: budget)
    }

    /// Picks the source from what is known: the power budget when `pMax` is given, otherwise the
    /// noise scale of `statistics` (calibrated against its `tr(I_F)` when present).
    ///
    /// - Parameters:
    ///   - statistics: the measurements; `tr(I_F)` is needed for the power budget, `B_simple`
    ///     (or `tr(Σ)` and `‖G‖²`) for the noise scale.
    ///   - pMax: `P_max`, or `nil` to use the noise scale.
    ///   - nu0: `ν₀`, default 1; used only with `pMax`.
    /// - Throws: ``PolicyError/missing(parameter:neededFor:)`` when the chosen source lacks its input.
    public static func resolve(statistics: GradientStatistics, pMax: Double? = nil, nu0: Double = 1) throws -> CriticalBatch {
        if let pMax {
            guard let fisherTrace = statistics.fisherTrace else {
                throw PolicyError.missing(parameter: "fisherTrace", neededFor: "the power-budget critical batch")
            }
            return try powerBudget(pMax: pMax, nu0: nu0, fisherTrace: fisherTrace)
        }
        guard let bSimple = statistics.noiseScale else {
            throw PolicyError.missing(
                parameter: "bSimple", neededFor: "the noise-scale critical batch (or give pMax and fisherTrace)")
        }
        return try noiseScale(bSimple: bSimple, fisherTrace: statistics.fisherTrace)
    }

    /// `P_max`: as given (power budget), or the implied budget read with `ν₀ = 1` (noise scale);
    /// `nil` when the budget is unknown.
    public var pMax: Double? {
        switch source {
        case .powerBudget(let pMax, _): return pMax
        case .noiseScale: return budget
        }
    }

    /// The power-budget `B_crit` at a new `tr(I_F)`, with this budget `P_max/ν₀` held fixed:
    /// `B_crit' = (P_max/ν₀)/tr(I_F)'`.
    ///
    /// A calibrated (noise-scale) budget becomes `.powerBudget(pMax: budget, nu0: 1)`.
    /// - Throws: ``PolicyError/missing(parameter:neededFor:)`` when the budget is unknown, or
    ///   ``PolicyError`` when `fisherTrace` is not a positive finite number.
    public func holdingBudget(fisherTrace: Double) throws -> CriticalBatch {
        switch source {
        case .powerBudget(let pMax, let nu0):
            return try .powerBudget(pMax: pMax, nu0: nu0, fisherTrace: fisherTrace)
        case .noiseScale:
            guard let budget else {
                throw PolicyError.missing(parameter: "fisherTrace", neededFor: "a calibrated budget to hold fixed")
            }
            return try .powerBudget(pMax: budget, nu0: 1, fisherTrace: fisherTrace)
        }
    }
}
