import BatchPolicy
import CommandLineSupport
import FisherTrace

/// A titled block of `label  value` lines with the labels padded to one width (an empty value leaves
/// an empty line).
func reportSection(_ title: String, rows: [(String, String)]) -> String {
    let width = rows.map(\.0.count).max() ?? 0
    let lines = rows.map { label, value in
        value.isEmpty ? "" : "  " + label + String(repeating: " ", count: width - label.count) + "  " + value
    }
    return "\n\(title)\n" + lines.map { $0 + "\n" }.joined()
}

/// The warnings block.
func warningsSection(_ warnings: [AdvisorWarning]) -> String {
    "\nWarnings\n" + (warnings.isEmpty ? "  none\n" : warnings.map { "  ! \($0.message)\n" }.joined())
}

/// The human report: aligned sections, numbers with their meaning, no noise.
extension Analysis {
    /// The report after `inputLines` (the command's own summary of what it read).
    func text(inputLines: [(String, String)]) -> String {
        reportSection("Input", rows: inputLines) + fisherSection + policy.text(noiseScale: statistics.noiseScale)
            + (layers.isEmpty ? "" : layerSection) + warningsSection(warnings)
    }

    private var fisherSection: String {
        let f = statistics.overall
        var rows: [(String, String)] = [
            ("tr(I_F)", Format.number(f.trace) + (f.traceStandardError.map { " ± " + Format.number($0, digits: 2) + "  (standard error)" } ?? "")),
            ("‖ḡ‖²", Format.number(f.meanGradientNormSquared) + "  (squared norm of the mean gradient)"),
            ("tr(Σ)", Format.number(f.traceCovariance) + "  (gradient noise, unbiased)"),
            ("‖G‖²", Format.number(f.gradientNormSquared) + "  (true-gradient signal, unbiased)"),
        ]
        rows.append(("B_simple", f.noiseScale.map { Format.number($0) + "  (tr(Σ)/‖G‖², McCandlish et al. 2018)" }
                     ?? "undefined: " + (Self.reason(f, samples: statistics.samples) ?? "")))
        return reportSection("Fisher information of the per-sample gradients", rows: rows)
    }

    private var layerSection: String {
        var table = TextTable([.init("  layer"), .init("columns", .right), .init("tr(I_F)", .right), .init("share", .right),
                               .init("B_simple", .right), .init("B_crit", .right), .init("regime")])
        for l in layers {
            let s = l.statistics
            table.append(["  " + s.name, Format.count(s.columns.count), Format.number(s.trace),
                          Format.percent(statistics.trace > 0 ? s.trace / statistics.trace : 0),
                          Format.number(s.noiseScale), Format.number(l.finding?.criticalBatch.value),
                          settings.batch == nil ? "" : l.finding.map { $0.regime.rawValue + ($0.isSupercritical ? " !" : "") } ?? "undefined"])
        }
        return "\nLayers\n" + table.rendered()
    }
}

extension PolicyReport {
    /// The critical batch, the user's batch and the recommendation; `noiseScale` is shown beside a
    /// power-budget B_crit for comparison.
    func text(noiseScale: Double?) -> String {
        criticalSection(noiseScale: noiseScale) + (batch.map(batchSection) ?? "") + recommendationSection
    }

    private func criticalSection(noiseScale: Double?) -> String {
        guard let critical else {
            return reportSection("Critical batch", rows: [("B_crit", "undefined: " + (criticalUnavailable ?? ""))])
        }
        var rows: [(String, String)] = []
        switch critical.source {
        case let .powerBudget(pMax, nu0):
            rows.append(("B_crit", Format.number(critical.value) + "  = P_max/(ν₀·tr(I_F)) with P_max = \(Format.number(pMax)), ν₀ = \(Format.number(nu0))"))
            if let b = noiseScale { rows.append(("B_simple", Format.number(b) + "  (the noise scale, for comparison)")) }
        case .noiseScale:
            rows.append(("B_crit", Format.number(critical.value) + "  = B_simple (the gradient noise scale)"))
            if let budget = critical.budget {
                rows.append(("P_max/ν₀", Format.number(budget) + "  implied (B_simple·tr(I_F)); hold it fixed later with --p-max \(Format.number(budget, digits: 6))"))
            }
        }
        let t = settings.tolerance
        rows.append(("critical band", "\(Format.number(critical.value * t)) … \(Format.number(critical.value / t))  (tolerance \(Format.number(t)))"))
        return reportSection("Critical batch", rows: rows)
    }

    private func batchSection(_ b: BatchReport) -> String {
        let a = b.analysis, c = b.compensation, d = b.detection
        let phase: String
        switch a.regime {
        case .liquid: phase = "liquid (subcritical: efficient, every sample pulls its weight)"
        case .critical: phase = "critical (at the critical batch)"
        case .gas: phase = "gas (supercritical: extra samples add little)"
        }
        var rows: [(String, String)] = [
            ("regime", phase + ", B/B_crit = " + Format.times(a.batch / a.criticalBatch)),
            ("efficiency", Format.percent(a.efficiency) + "  η_max·min(1, B_crit/B)"),
            ("update quality Q", Format.percent(a.quality) + "  min(1, √(B_crit/B))"),
            ("power utilisation", Format.percent(d.powerUtilisation) + "  P_used/P_max"),
            ("information rate", Format.percent(d.informationRateRatio) + "  of its maximum"),
            ("temperature", Format.number(a.effectiveTemperature) + " T  effective, T·min(1, √(B_crit/B))"),
            ("gradient noise", Format.number(a.gradientNoise.standardDeviation) + "  std of the batch gradient, √(tr(Σ)/B)"),
            ("signal/noise", Format.number(a.gradientNoise.signalToNoiseRatio) + "  B/B_simple"),
            ("waste", "compute \(Format.percent(a.computeWaste)), memory \(Format.percent(a.memoryWaste)), time \(Format.percent(a.timeWaste))"),
            ("energy waste", Format.number(a.energyWaste) + " E_sample  (B − B_crit)⁺"),
            ("convergence time", Format.number(a.convergenceTime) + " t_opt  max(1, B/B_crit)"),
            ("excess loss", Format.number(a.excessLoss.value) + " k_B·T" + (a.excessLoss.isExtrapolation ? "  (extrapolated: B < \(Format.number(a.excessLoss.threshold))·B_crit)" : "")),
        ]
        rows.append(("", ""))
        let (seedUnit, empiricalUnit) = settings.learningRate == nil ? (" × η_opt", " × ε_max") : ("", "")
        rows.append(("learning rate", "seed η(B) = \(Format.number(c.learningRate))\(seedUnit)  ·  McCandlish ε(B) = \(Format.number(c.empirical.learningRate))\(empiricalUnit)"))
        rows.append(("temperature rule", Format.number(c.temperature) + " × T_opt  (seed: T_opt·√(B/B_crit))"))
        rows.append(("steps, examples", "S = \(Format.times(c.empirical.steps)) S_min, E = \(Format.times(c.empirical.examples / c.empirical.noiseScale)) E_min  (1 + B_noise/B, 1 + B/B_noise)"))
        return reportSection("Your batch B = \(Format.count(b.batch))", rows: rows)
    }

    private var recommendationSection: String {
        guard let r = recommendation else { return reportSection("Recommendation", rows: [("batch", "none without a critical batch")]) }
        var rows: [(String, String)] = [(
            "batch",
            "\(Format.count(r.batch))  " + (r.constraint == .memory
                ? "(bound by memory; B_crit/τ = \(Format.number(r.criticalLimit)))"
                : "(B_crit/τ = \(Format.number(r.criticalLimit))" + (r.memoryLimit.map { ", memory allows \(Format.number($0))" } ?? "") + ")")
        )]
        if let p = accumulation {
            rows.append(("accumulation", "\(Format.count(p.steps)) × micro-batch \(Format.count(p.microBatch)) = \(Format.count(p.effectiveBatch))" + (p.reachesTargetExactly ? "" : " (target \(Format.count(p.targetBatch)))")))
        }
        return reportSection("Recommendation", rows: rows)
    }

}
