import BatchPolicy
import CommandLineSupport
import FisherTrace

/// `batch-advisor noise --log FILE.csv`: the two-batch estimator over a data-parallel training log.
enum NoiseCommand {
    static func run(_ arguments: ParsedArguments) throws -> BatchAdvisor.Output {
        let settings = try ReportSettings(arguments)
        let path = arguments.string("log")!
        let log = try TwoBatchLog.read(path: path)
        guard !log.isEmpty else { throw ToolError(file: path, problem: "has no steps", expected: "at least one data row") }
        var estimator = TwoBatchNoiseEstimator(smoothing: arguments.double("smoothing")!)
        let estimates = log.map { estimator.update($0)! }
        let final = estimates.last!

        let statistics = try GradientStatistics(noiseTrace: positive(final.traceCovariance),
                                                gradientNormSquared: positive(final.gradientNormSquared),
                                                bSimple: positive(final.noiseScale))
        let policy = try PolicyReport(
            statistics: statistics,
            undefinedReason: "the smoothed |G|² is ≤ 0 after \(log.count) steps: the signal is not resolved above the noise; log more steps or use a larger B_big",
            settings: settings)
        let defined = estimates.compactMap { e in positive(e.noiseScale).map { CriticalBatchMeasurement(step: e.step, criticalBatch: $0) } }
        let schedule = defined.isEmpty ? nil : try BatchSchedule(measurements: defined, options: .init(
            smoothing: 1, monotone: arguments.flag("monotone"), minBatch: arguments.int("min-batch")!,
            maxBatch: arguments.int("max-batch"), microBatch: settings.microBatch, tolerance: settings.tolerance))

        var output = BatchAdvisor.Output()
        if settings.json {
            let members: [JSONValue.Member] = [
                .init("schema", .string(Analysis.schema)), .init("version", .int(Analysis.schemaVersion)),
                .init("command", .string("noise")),
                .init("input", .object([.init("log", .string(path)), .init("steps", .int(log.count)),
                                        .init("smoothing", .number(estimator.smoothing))])),
                .init("noise_scale", JSONValue(final.noiseScale)),
                .init("gradient_norm_sq", .number(final.gradientNormSquared)),
                .init("trace_covariance", .number(final.traceCovariance)),
            ] + policy.jsonMembers + [
                .init("steps", .array(estimates.map { e in
                    .object([.init("step", .int(e.step)), .init("gradient_norm_sq", .number(e.gradientNormSquared)),
                             .init("trace_covariance", .number(e.traceCovariance)), .init("noise_scale", JSONValue(e.noiseScale))])
                })),
                .init("schedule", .array((schedule?.entries ?? []).map { e in
                    .object([.init("step", .int(e.step)), .init("critical_batch", .number(e.measuredCriticalBatch)),
                             .init("batch", .int(e.batch))])
                })),
                .init("warnings", AdvisorWarning.json(policy.warnings)),
            ]
            output.standardOutput = JSONValue.object(members).rendered() + "\n"
        } else {
            output.standardOutput = "batch-advisor noise\n"
                + reportSection("Input", rows: [
                    ("log", path), ("steps", "\(Format.count(log.count)) (step = row of the log)"),
                    ("smoothing", "EMA β = \(Format.number(estimator.smoothing)), bias-corrected"),
                ])
                + reportSection("Noise scale (two-batch estimator, McCandlish et al. 2018)", rows: [
                    ("|G|²", Format.number(final.gradientNormSquared) + "  (smoothed, unbiased per step)"),
                    ("tr(Σ)", Format.number(final.traceCovariance) + "  (smoothed, unbiased per step)"),
                    ("B_simple", Format.number(final.noiseScale) + "  (ratio of the smoothed values, last step)"),
                ])
                + policy.text(noiseScale: final.noiseScale)
                + scheduleTable(schedule, every: arguments.int("every")!)
                + warningsSection(policy.warnings)
        }
        if let plotPath = settings.plotPath {
            guard let critical = policy.critical else {
                throw ToolError(file: plotPath, problem: "no plot: " + (policy.criticalUnavailable ?? "no critical batch"))
            }
            var plot = Plot(criticalBatch: critical.value, noiseScale: final.noiseScale, tolerance: settings.tolerance,
                            batch: settings.batch, title: "batch-advisor noise: \(path)")
            plot.training = [Plot.Series(name: "B_simple (EMA)", color: "#1565c0",
                                         points: estimates.compactMap { e in e.noiseScale.map { (Double(e.step), $0) } })]
            if let schedule {
                plot.training.append(Plot.Series(name: "scheduled batch", color: "#2e7d32",
                                                 points: schedule.entries.map { (Double($0.step), Double($0.batch)) }))
            }
            output.files.append((plotPath, plot.svg()))
        }
        return output
    }

    static func scheduleTable(_ schedule: BatchSchedule?, every: Int) -> String {
        guard let schedule else { return reportSection("Batch schedule", rows: [("", "none: the noise scale was never defined")]) }
        var table = TextTable([.init("  step", .right), .init("B_simple", .right), .init("batch", .right)])
        for (k, e) in schedule.entries.enumerated() where k % every == 0 || k == schedule.entries.count - 1 {
            table.append(["  \(e.step)", Format.number(e.measuredCriticalBatch), Format.count(e.batch)])
        }
        return "\nBatch schedule (B_crit/τ" + (schedule.options.monotone ? ", monotone" : "")
            + ", within [\(schedule.options.minBatch), \(schedule.options.maxBatch.map(String.init) ?? "∞")])\n" + table.rendered()
    }
}
