import CommandLineSupport
import FisherTrace

/// `batch-advisor demo` (and no command at all): the built-in model on the bundled data set.
enum DemoCommand {
    static func run(_ arguments: ParsedArguments) throws -> BatchAdvisor.Output {
        var options = DemoTraining.Options()
        options.epochs = arguments.int("epochs")!
        options.batch = arguments.int("train-batch")!
        options.learningRate = arguments.double("train-learning-rate")!
        options.seed = UInt64(arguments.int("seed")!)
        options.checkpoints = DemoTraining.checkpoints(epochs: options.epochs)
        options.keepSampleNorms = arguments.flag("per-sample")
        let settings = try ReportSettings(arguments, defaultBatch: options.batch)
        options.compute = settings.compute

        let bar = ProgressBar(label: "training", total: options.epochs)
        let checkpoints = try DemoTraining(options: options).run { _, _ in bar.advance() }
        bar.finish()
        let final = checkpoints.last!
        let analysis = try Analysis(statistics: final.statistics, settings: settings)
        let budget = heldBudget(checkpoints)

        var output = BatchAdvisor.Output()
        if settings.json {
            let input: JSONValue = .object([
                .init("data_set", .string("UCI handwritten digits (1,797 samples, 8×8), bundled")),
                .init("model", .string("MLP 64-\(options.hiddenUnits)-10, tanh, softmax cross-entropy")),
                .init("epochs", .int(options.epochs)), .init("train_batch", .int(options.batch)),
                .init("train_learning_rate", .number(options.learningRate)), .init("seed", .int(Int(options.seed))),
                .init("kernel", .string(KernelVariant.default.rawValue)), .init("threads", .int(settings.compute.resolvedThreads)),
            ])
            let training = JSONValue.array(checkpoints.map { c in
                .object([
                    .init("epoch", .int(c.epoch)), .init("step", .int(c.step)), .init("loss", .number(c.loss)),
                    .init("accuracy", .number(c.accuracy)), .init("trace", .number(c.statistics.trace)),
                    .init("trace_stderr", JSONValue(c.statistics.traceStandardError)),
                    .init("noise_scale", JSONValue(c.statistics.noiseScale)),
                    .init("critical_batch_held_budget", JSONValue(budget.map { $0.value / c.statistics.trace })),
                ])
            })
            let extra: [JSONValue.Member] = [
                .init("training", training),
                .init("held_budget", budget.map { b in .object([.init("value", .number(b.value)), .init("calibrated_at_epoch", .int(b.epoch))]) } ?? .null),
            ]
            output.standardOutput = analysis.json(command: "demo", input: input, extra: extra,
                                                  perSample: options.keepSampleNorms).rendered() + "\n"
        } else {
            output.standardOutput = "batch-advisor demo: a 64-\(options.hiddenUnits)-10 MLP learns the UCI digits; "
                + "the Fisher information of its exact per-sample gradients, measured along the way.\n"
                + trainingTable(checkpoints, budget: budget)
                + analysis.text(inputLines: [
                    ("data", "UCI handwritten digits, \(Format.count(final.statistics.samples)) samples, bundled (CC BY 4.0)"),
                    ("model", "64-\(options.hiddenUnits)-10 MLP, tanh, softmax cross-entropy; SGD, batch \(options.batch), lr \(Format.number(options.learningRate)), \(options.epochs) epochs, seed \(options.seed)"),
                    ("gradients", "\(Format.count(final.statistics.dimension)) parameters in \(final.statistics.layers.count) layers, measured after epoch \(final.epoch)"),
                    ("kernel", "\(KernelVariant.default.rawValue), \(settings.compute.resolvedThreads) threads"),
                ])
        }
        if let path = settings.plotPath, let critical = analysis.critical {
            var plot = Plot(criticalBatch: critical.value, noiseScale: final.statistics.noiseScale, tolerance: settings.tolerance,
                            batch: settings.batch, title: "batch-advisor demo: MLP on UCI digits after \(options.epochs) epochs")
            plot.training = [
                Plot.Series(name: "B_simple (noise scale)", color: "#1565c0",
                            points: checkpoints.compactMap { c in c.statistics.noiseScale.map { (Double(c.step), $0) } }),
            ] + (budget.map { b in
                [Plot.Series(name: "B_crit, budget held", color: "#b71c1c",
                             points: checkpoints.map { (Double($0.step), b.value / $0.statistics.trace) })]
            } ?? [])
            output.files.append((path, plot.svg()))
        } else if settings.plotPath != nil {
            throw ToolError(file: settings.plotPath, problem: "no plot: " + (analysis.criticalUnavailable ?? "no critical batch"))
        }
        if let path = arguments.string("save-state") {
            output.files.append((path, String(decoding: try final.accumulator.serialized(), as: UTF8.self)))
        }
        return output
    }

    /// The budget P_max/ν₀ = B_simple·tr(I_F) implied at the first checkpoint where B_simple is defined:
    /// held fixed, it gives B_crit = budget/tr(I_F) at every checkpoint.
    static func heldBudget(_ checkpoints: [DemoTraining.Checkpoint]) -> (value: Double, epoch: Int)? {
        checkpoints.lazy.compactMap { c in c.statistics.noiseScale.map { ($0 * c.statistics.trace, c.epoch) } }.first
    }

    static func trainingTable(_ checkpoints: [DemoTraining.Checkpoint], budget: (value: Double, epoch: Int)?) -> String {
        var table = TextTable([.init("  epoch", .right), .init("step", .right), .init("loss", .right), .init("accuracy", .right),
                               .init("tr(I_F)", .right), .init("± s.e.", .right), .init("B_simple", .right),
                               .init("B_crit (held budget)", .right)])
        for c in checkpoints {
            let s = c.statistics
            table.append(["  \(c.epoch)", "\(c.step)", Format.number(c.loss), Format.percent(c.accuracy),
                          Format.number(s.trace), Format.number(s.traceStandardError), Format.number(s.noiseScale),
                          Format.number(budget.map { $0.value / s.trace })])
        }
        var note = "\nTraining (loss and accuracy on all 1,797 samples; B_crit with P_max/ν₀ held at its epoch-"
        note += budget.map { "\($0.epoch) value \(Format.number($0.value))" } ?? "? value (never defined)"
        note += ")\n"
        return note + table.rendered()
    }
}
