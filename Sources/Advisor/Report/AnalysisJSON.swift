import BatchPolicy
import CommandLineSupport
import FisherTrace

/// The `--json` form of an analysis (schema `fishertrace.batch-advisor`, documented in the README).
extension Analysis {
    static let schema = "fishertrace.batch-advisor"
    static let schemaVersion = 1

    /// The document: header, `input` (command-specific), the figures, then `extra` members.
    func json(command: String, input: JSONValue, extra: [JSONValue.Member] = [],
              perSample: Bool = false, diagonal: Bool = false) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("schema", .string(Self.schema)),
            .init("version", .int(Self.schemaVersion)),
            .init("command", .string(command)),
            .init("input", input),
            .init("samples", .int(statistics.samples)),
            .init("dimension", .int(statistics.dimension)),
            .init("fisher", Self.figuresJSON(statistics.overall)),
        ] + policy.jsonMembers + [
            .init("layers", .array(layers.map(layerJSON))),
            .init("warnings", AdvisorWarning.json(warnings)),
        ]
        members += extra
        if perSample { members.append(.init("per_sample_sq_norms", .array((statistics.sampleSquaredNorms ?? []).map { .number($0) }))) }
        if diagonal { members.append(.init("fisher_diagonal", .array((statistics.diagonal ?? []).map { .number($0) }))) }
        return .object(members)
    }

    static func figuresJSON(_ f: FisherFigures) -> JSONValue {
        .object([
            .init("trace", .number(f.trace)),
            .init("trace_stderr", JSONValue(f.traceStandardError)),
            .init("mean_gradient_norm_sq", JSONValue(f.meanGradientNormSquared)),
            .init("trace_covariance", JSONValue(f.traceCovariance)),
            .init("gradient_norm_sq", JSONValue(f.gradientNormSquared)),
            .init("noise_scale", JSONValue(f.noiseScale)),
            .init("noise_scale_status", .string(f.noiseScaleStatus.jsonName)),
        ])
    }

    private func layerJSON(_ l: LayerReport) -> JSONValue {
        let s = l.statistics
        guard case let .object(figures) = Self.figuresJSON(s.figures) else { preconditionFailure() }
        var members: [JSONValue.Member] = [
            .init("name", .string(s.name)),
            .init("columns", .array([.int(s.columns.lowerBound), .int(s.columns.upperBound)])),
        ] + figures
        members += [
            .init("critical_batch", JSONValue(l.finding?.criticalBatch.value)),
            .init("regime", settings.batch == nil ? .null : JSONValue(l.finding?.regime.rawValue)),
            .init("supercritical", settings.batch == nil ? .null : l.finding.map { .bool($0.isSupercritical) } ?? .null),
            .init("suggested_batch", JSONValue(l.finding?.suggestedBatch)),
            .init("reason", JSONValue(l.undefinedReason)),
        ]
        return .object(members)
    }
}

extension PolicyReport {
    /// `critical_batch`, `batch` and `recommendation`.
    var jsonMembers: [JSONValue.Member] {
        [.init("critical_batch", criticalJSON), .init("batch", batch.map(batchJSON) ?? .null),
         .init("recommendation", recommendationJSON)]
    }

    private var criticalJSON: JSONValue {
        guard let critical else {
            return .object([.init("value", .null), .init("reason", JSONValue(criticalUnavailable))])
        }
        var members: [JSONValue.Member] = [.init("value", .number(critical.value))]
        switch critical.source {
        case let .powerBudget(pMax, nu0):
            members += [.init("source", .string("power_budget")), .init("p_max", .number(pMax)), .init("nu0", .number(nu0))]
        case .noiseScale:
            members += [.init("source", .string("noise_scale")), .init("p_max", .null), .init("nu0", .null)]
        }
        members += [
            .init("budget", JSONValue(critical.budget)),
            .init("tolerance", .number(settings.tolerance)),
            .init("band", .array([.number(critical.value * settings.tolerance), .number(critical.value / settings.tolerance)])),
        ]
        return .object(members)
    }

    private func batchJSON(_ b: BatchReport) -> JSONValue {
        let a = b.analysis, c = b.compensation, d = b.detection
        return .object([
            .init("value", .int(b.batch)),
            .init("regime", .string(a.regime.rawValue)),
            .init("ratio_to_critical", .number(a.batch / a.criticalBatch)),
            .init("efficiency", .number(a.efficiency)),
            .init("quality", .number(a.quality)),
            .init("effective_power", JSONValue(a.effectivePower)),
            .init("information_rate", JSONValue(a.informationRate)),
            .init("gradient_noise_variance", JSONValue(a.gradientNoise.variance)),
            .init("gradient_noise_std", JSONValue(a.gradientNoise.standardDeviation)),
            .init("signal_to_noise", JSONValue(a.gradientNoise.signalToNoiseRatio)),
            .init("effective_temperature", .number(a.effectiveTemperature)),
            .init("energy_waste", .number(a.energyWaste)),
            .init("convergence_time", .number(a.convergenceTime)),
            .init("compute_waste", .number(a.computeWaste)),
            .init("memory_waste", .number(a.memoryWaste)),
            .init("time_waste", .number(a.timeWaste)),
            .init("excess_loss", .object([.init("value", .number(a.excessLoss.value)),
                                          .init("validity", .string(a.excessLoss.validity.rawValue)),
                                          .init("threshold", .number(a.excessLoss.threshold))])),
            .init("detection", .object([.init("efficiency_ratio", .number(d.efficiencyRatio)),
                                        .init("power_utilisation", .number(d.powerUtilisation)),
                                        .init("information_rate_ratio", .number(d.informationRateRatio))])),
            .init("compensation", .object([
                .init("learning_rate", .number(c.learningRate)),
                .init("temperature", .number(c.temperature)),
                .init("empirical", .object([.init("noise_scale", .number(c.empirical.noiseScale)),
                                            .init("learning_rate", .number(c.empirical.learningRate)),
                                            .init("steps", .number(c.empirical.steps)),
                                            .init("examples", .number(c.empirical.examples))])),
            ])),
        ])
    }

    private var recommendationJSON: JSONValue {
        guard let r = recommendation else { return .null }
        return .object([
            .init("batch", .int(r.batch)),
            .init("constraint", .string(r.constraint == .memory ? "memory" : "critical_batch")),
            .init("critical_limit", .number(r.criticalLimit)),
            .init("memory_limit", JSONValue(r.memoryLimit)),
            .init("micro_batch", JSONValue(r.microBatch)),
            .init("accumulation", accumulation.map { p in
                .object([.init("target_batch", .int(p.targetBatch)), .init("micro_batch", .int(p.microBatch)),
                         .init("steps", .int(p.steps)), .init("effective_batch", .int(p.effectiveBatch)),
                         .init("reaches_target_exactly", .bool(p.reachesTargetExactly)),
                         .init("memory_used", .number(p.memoryUsed))])
            } ?? .null),
        ])
    }

}

extension AdvisorWarning {
    static func json(_ warnings: [AdvisorWarning]) -> JSONValue {
        .array(warnings.map { w in
            .object([.init("kind", .string(w.kind.rawValue)), .init("message", .string(w.message)),
                     .init("value", JSONValue(w.value)), .init("threshold", JSONValue(w.threshold))])
        })
    }
}

extension FisherFigures.NoiseScaleStatus {
    /// snake_case for JSON.
    var jsonName: String {
        switch self {
        case .defined: "defined"
        case .tooFewSamples: "too_few_samples"
        case .signalNotResolved: "signal_not_resolved"
        case .meanGradientUnknown: "mean_gradient_unknown"
        }
    }
}
