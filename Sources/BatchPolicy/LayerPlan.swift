/// One layer's gradient statistics, for layer-wise batch sizing.
public struct LayerStatistics: Sendable, Equatable, Encodable {
    /// The layer's name, unique within a plan.
    public let name: String
    /// The layer's own `tr(I_F,l)`, `tr(Σ_l)`, `‖G_l‖²` and/or `B_simple,l`.
    public let statistics: GradientStatistics

    /// A layer's statistics.
    public init(name: String, statistics: GradientStatistics) {
        self.name = name
        self.statistics = statistics
    }
}

/// What layer-wise batch sizing (seed, section 7.3) finds for one layer at the current batch.
public struct LayerFinding: Sendable, Equatable, Codable {
    /// The layer's name.
    public let name: String
    /// The layer's own `B_crit,l` and its source.
    public let criticalBatch: CriticalBatch
    /// The phase of the current `B` for this layer, with the plan's tolerance.
    public let regime: Regime
    /// Whether the current `B` is past this layer's critical band (`regime == .gas`, i.e.
    /// `B > B_crit,l/τ`).
    public let isSupercritical: Bool
    /// This layer's optimal batch, `⌊B_crit,l/τ⌋` (at least 1, rounded to the plan's micro-batch),
    /// as ``OptimalBatch`` computes it without a memory limit.
    public let suggestedBatch: Int
}

/// Layer-wise batch sizing (seed, section 7.3): each layer's `B_crit,l`, and the layers the current
/// batch is supercritical for.
///
/// A layer's `B_crit,l` follows ``CriticalBatch/resolve(statistics:pMax:nu0:)`` on its own statistics:
/// with a power budget, `B_crit,l = P_max/(ν₀·tr(I_F,l))` (the whole budget against the layer's trace);
/// without, the layer's own noise scale `B_simple,l = tr(Σ_l)/‖G_l‖²` (or the `B_simple,l` given).
public struct LayerPlan: Sendable, Equatable, Codable {
    /// The current batch `B`, in samples.
    public let batch: Double
    /// The tolerance `τ` of the critical band.
    public let tolerance: Double
    /// One finding per layer, in the order given.
    public let findings: [LayerFinding]
    /// The names of the layers with ``LayerFinding/isSupercritical``, in the order given.
    public let supercriticalLayers: [String]

    /// Sizes every layer's critical batch and flags those `B` is supercritical for.
    ///
    /// - Parameters:
    ///   - layers: the per-layer statistics, at least one, with distinct names.
    ///   - batch: the current `B`, in samples.
    ///   - pMax: `P_max` for power-budget `B_crit,l`; `nil` (default) for each layer's noise scale.
    ///   - nu0: `ν₀`, default 1; used only with `pMax`.
    ///   - tolerance: `τ ∈ (0, 1]`, default 0.9.
    ///   - microBatch: round each suggested batch down to a multiple of it (at least one); `nil` for none.
    /// - Throws: ``PolicyError`` for an invalid input; a layer's error names the layer, as in
    ///   `layers[conv1].fisherTrace`.
    public init(
        layers: [LayerStatistics], batch: Double, pMax: Double? = nil, nu0: Double = 1,
        tolerance: Double = 0.9, microBatch: Int? = nil
    ) throws {
        guard !layers.isEmpty else { throw PolicyError.invalid(parameter: "layers", reason: "no layers given") }
        var seen = Set<String>()
        for layer in layers where !seen.insert(layer.name).inserted {
            throw PolicyError.invalid(parameter: "layers", reason: "the name \"\(layer.name)\" is used twice")
        }
        let batch = try Check.positive(batch, "batch")
        _ = try Check.positive(pMax, "pMax")
        _ = try Check.positive(nu0, "nu0")
        _ = try Check.unitInterval(tolerance, "tolerance")
        _ = try microBatch.map { try Check.positive($0, "microBatch") }
        findings = try layers.map { layer in
            let critical: CriticalBatch
            do {
                critical = try CriticalBatch.resolve(statistics: layer.statistics, pMax: pMax, nu0: nu0)
            } catch let error as PolicyError {
                throw error.qualified(by: "layers[\(layer.name)]")
            }
            let regime = try Regime(batch: batch, criticalBatch: critical.value, tolerance: tolerance)
            let suggested = try OptimalBatch(criticalBatch: critical.value, tolerance: tolerance, microBatch: microBatch)
            return LayerFinding(
                name: layer.name, criticalBatch: critical, regime: regime,
                isSupercritical: regime == .gas, suggestedBatch: suggested.batch)
        }
        self.batch = batch
        self.tolerance = tolerance
        supercriticalLayers = findings.filter(\.isSupercritical).map(\.name)
    }
}

extension PolicyError {
    /// The same error with its parameter prefixed, e.g. `fisherTrace` → `layers[conv1].fisherTrace`.
    func qualified(by prefix: String) -> PolicyError {
        switch self {
        case .notFinite(let name, let value): return .notFinite(parameter: "\(prefix).\(name)", value: value)
        case .notPositive(let name, let value): return .notPositive(parameter: "\(prefix).\(name)", value: value)
        case .outOfRange(let name, let value, let range):
            return .outOfRange(parameter: "\(prefix).\(name)", value: value, range: range)
        case .missing(let name, let purpose): return .missing(parameter: "\(prefix).\(name)", neededFor: purpose)
        case .invalid(let name, let reason): return .invalid(parameter: "\(prefix).\(name)", reason: reason)
        case .notRepresentable(let name, let value):
            return .notRepresentable(quantity: "\(prefix).\(name)", value: value)
        }
    }
}
