import BatchPolicy
import CommandLineSupport
import FisherTrace

/// x when it is a positive finite number, else nil.
func positive(_ x: Double?) -> Double? { x.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }

/// A warning in a report: a kind a program can match, a sentence a person can read, and the numbers.
struct AdvisorWarning: Sendable, Equatable {
    enum Kind: String, Sendable {
        case lowEfficiency = "low_efficiency"
        case noiseScaleUndefined = "noise_scale_undefined"
        case imprecise = "imprecise_estimate"
        case memoryBound = "memory_bound"
        case supercriticalLayers = "supercritical_layers"
        case sampled
    }

    let kind: Kind
    let message: String
    var value: Double?
    var threshold: Double?
}

/// The figures for the user's batch: the theory's costs, the compensation rules and the detectors.
struct BatchReport: Sendable {
    let batch: Int
    let analysis: BatchAnalysis
    let compensation: Compensation
    let detection: Detection
}

/// One layer's critical batch, or why it has none.
struct LayerReport: Sendable {
    let statistics: FisherTrace.LayerStatistics
    let finding: LayerFinding?
    let undefinedReason: String?
}

/// The policy half of a report: B_crit, the user's batch, the recommendation and their warnings,
/// from measured figures however they were measured (per-sample gradients, ghost norms, a training log).
struct PolicyReport: Sendable {
    let settings: ReportSettings
    /// B_crit, or nil with `criticalUnavailable` saying why.
    let critical: CriticalBatch?
    let criticalUnavailable: String?
    let batch: BatchReport?
    let recommendation: OptimalBatch?
    let accumulation: AccumulationPlan?
    var warnings: [AdvisorWarning] = []

    /// - Parameter undefinedReason: why the noise scale is undefined, when it is.
    init(statistics: GradientStatistics, undefinedReason: String?, settings: ReportSettings) throws {
        self.settings = settings
        if settings.pMax == nil, statistics.noiseScale == nil {
            critical = nil
            criticalUnavailable = undefinedReason ?? "the noise scale is undefined"
        } else if settings.pMax != nil, statistics.fisherTrace == nil {
            critical = nil
            criticalUnavailable = "tr(I_F) is 0 or unknown, so P_max/(ν₀·tr(I_F)) is undefined"
        } else {
            critical = try CriticalBatch.resolve(statistics: statistics, pMax: settings.pMax, nu0: settings.nu0)
            criticalUnavailable = nil
        }
        if let criticalUnavailable {
            warnings.append(AdvisorWarning(kind: .noiseScaleUndefined, message: "No critical batch: " + criticalUnavailable))
        }

        if let critical, let b = settings.batch {
            let parameters = try settings.parameters
            let detection = try Detection(batch: Double(b), criticalBatch: critical.value)
            batch = BatchReport(
                batch: b,
                analysis: try BatchAnalysis(batch: Double(b), criticalBatch: critical, statistics: statistics,
                                            parameters: parameters, tolerance: settings.tolerance),
                compensation: try Compensation(batch: Double(b), criticalBatch: critical.value,
                                               noiseScale: statistics.noiseScale, parameters: parameters),
                detection: detection)
            warnings += detection.warnings.map {
                AdvisorWarning(kind: .lowEfficiency, message: $0.message, value: $0.value, threshold: $0.threshold)
            }
        } else {
            batch = nil
        }

        guard let critical else {
            recommendation = nil
            accumulation = nil
            return
        }
        let optimal = try OptimalBatch(criticalBatch: critical.value, tolerance: settings.tolerance,
                                       memory: settings.memory, microBatch: settings.microBatch)
        recommendation = optimal
        if let memory = settings.memory {
            let target = max(1, Int(min((critical.value / settings.tolerance).rounded(.down), Double(Int.max / 2))))
            accumulation = try AccumulationPlan(targetBatch: target, memory: memory, microBatch: settings.microBatch)
        } else {
            accumulation = nil
        }
        if optimal.constraint == .memory {
            warnings.append(AdvisorWarning(
                kind: .memoryBound,
                message: "Memory holds \(optimal.batch) samples, below B_crit/τ = \(Format.number(optimal.criticalLimit)): accumulate gradients to reach it",
                value: Double(optimal.batch), threshold: optimal.criticalLimit))
        }
    }
}

/// A report on per-sample-gradient statistics: the figures, the policy and the layers.
struct Analysis: Sendable {
    let statistics: FisherStatistics
    let policy: PolicyReport
    let layers: [LayerReport]
    let warnings: [AdvisorWarning]

    var settings: ReportSettings { policy.settings }
    var critical: CriticalBatch? { policy.critical }
    var criticalUnavailable: String? { policy.criticalUnavailable }

    /// The statistics as the policy layer takes them: the positive ones (B_simple = 0, no noise at all,
    /// gives no critical batch).
    static func policyStatistics(_ f: FisherFigures) throws -> GradientStatistics {
        try GradientStatistics(fisherTrace: positive(f.trace), noiseTrace: positive(f.traceCovariance),
                               gradientNormSquared: positive(f.gradientNormSquared), bSimple: positive(f.noiseScale))
    }

    /// Why B_simple gives no critical batch, in words; nil when it does.
    static func reason(_ f: FisherFigures, samples: Int) -> String? {
        switch f.noiseScaleStatus {
        case .defined:
            return positive(f.noiseScale) == nil ? "tr(Σ) = 0: every per-sample gradient is the same (no noise), so B_simple = 0" : nil
        case .tooFewSamples: return "the noise scale needs at least 2 samples (got \(samples))"
        case .signalNotResolved:
            return "the mean gradient is not resolved above the noise at N = \(samples) (unbiased ‖G‖² ≤ 0): B_simple is larger than N can show; use more samples or --p-max"
        case .meanGradientUnknown: return "the mean gradient was not computed, so tr(Σ), ‖G‖² and B_simple are unknown"
        }
    }

    init(statistics: FisherStatistics, settings: ReportSettings, extraWarnings: [AdvisorWarning] = []) throws {
        self.statistics = statistics
        policy = try PolicyReport(statistics: Self.policyStatistics(statistics.overall),
                                  undefinedReason: Self.reason(statistics.overall, samples: statistics.samples),
                                  settings: settings)
        var warnings = extraWarnings + policy.warnings
        if let se = statistics.traceStandardError, statistics.trace > 0, se / statistics.trace > 0.1 {
            warnings.append(AdvisorWarning(
                kind: .imprecise,
                message: "tr(I_F) is known only to ±\(Format.percent(se / statistics.trace)) (one standard error): use more samples",
                value: se / statistics.trace, threshold: 0.1))
        }
        layers = try Self.layerReports(statistics, settings: settings)
        let supercritical = layers.compactMap { $0.finding?.isSupercritical == true ? $0.statistics.name : nil }
        if !supercritical.isEmpty, let b = settings.batch {
            warnings.append(AdvisorWarning(
                kind: .supercriticalLayers,
                message: "Batch \(b) is supercritical for \(supercritical.count) of \(layers.count) layers: " + supercritical.joined(separator: ", ")))
        }
        self.warnings = warnings
    }

    /// The SVG of the trade-offs around B_crit; throws when there is no critical batch to draw.
    func plot(path: String, title: String) throws -> String {
        guard let critical else {
            throw ToolError(file: path, problem: "no plot: " + (criticalUnavailable ?? "no critical batch"))
        }
        return Plot(criticalBatch: critical.value, noiseScale: statistics.noiseScale, tolerance: settings.tolerance,
                    batch: settings.batch, title: title).svg()
    }

    /// Per-layer critical batches (only when there is more than one layer).
    private static func layerReports(_ statistics: FisherStatistics, settings: ReportSettings) throws -> [LayerReport] {
        guard statistics.layers.count > 1 else { return [] }
        return try statistics.layers.map { layer in
            let policy = try policyStatistics(layer.figures)
            let resolvable = layer.trace > 0 && (settings.pMax != nil || policy.noiseScale != nil)
            guard resolvable else {
                let why = layer.trace > 0 ? reason(layer.figures, samples: statistics.samples) : "tr(I_F) = 0 for this layer"
                return LayerReport(statistics: layer, finding: nil, undefinedReason: why)
            }
            let plan = try LayerPlan(layers: [BatchPolicy.LayerStatistics(name: layer.name, statistics: policy)],
                                     batch: Double(settings.batch ?? 1), pMax: settings.pMax, nu0: settings.nu0,
                                     tolerance: settings.tolerance, microBatch: settings.microBatch)
            return LayerReport(statistics: layer, finding: plan.findings[0], undefinedReason: nil)
        }
    }
}
