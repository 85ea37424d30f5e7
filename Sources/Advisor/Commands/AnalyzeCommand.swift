import CommandLineSupport
import Foundation
import FisherTrace

/// `batch-advisor analyze FILE...`: per-sample gradients from files.
enum AnalyzeCommand {
    static func run(_ arguments: ParsedArguments) throws -> BatchAdvisor.Output {
        let settings = try ReportSettings(arguments)
        let data = try GradientDataSet(paths: arguments.positionals, tensors: arguments.strings("tensors"))
        let source = try RelayeredSource(data, spec: arguments.strings("layers"), command: arguments.commandName)
        let diagonal = arguments.flag("diagonal"), perSample = arguments.flag("per-sample")
        let started = Date()
        var sampled: SequentialEstimate?
        let accumulator: FisherAccumulator?
        let statistics: FisherStatistics
        if let precision = arguments.double("precision") {
            if perSample { throw UsageError("--per-sample reads every row; it does not go with --precision", command: "analyze") }
            let estimate = try FisherAccumulator.sequentialEstimate(
                source, precision: precision, seed: UInt64(arguments.int("seed")!), diagonal: diagonal, options: settings.compute)
            sampled = estimate
            statistics = estimate.statistics
            accumulator = nil
        } else {
            var acc = FisherAccumulator(dimension: source.dimension, layers: source.layers, diagonal: diagonal,
                                        keepSampleNorms: perSample, options: settings.compute)
            let bar = ProgressBar(label: "reading", total: max(1, data.byteCount / (1 << 20)))
            var shown = 0
            let advance = { (bytesDone: Int) in
                bar.advance(by: bytesDone / (1 << 20) - shown)
                shown = bytesDone / (1 << 20)
            }
            if source.relayered {
                try acc.update(from: source) { done, _ in advance(done * data.rowBytes) }
            } else {
                try data.accumulate(into: &acc) { advance($0.bytesDone) }
            }
            bar.finish()
            statistics = try acc.finalize()
            accumulator = acc
        }
        let seconds = Date().timeIntervalSince(started)

        var warnings: [AdvisorWarning] = []
        if let s = sampled {
            warnings.append(AdvisorWarning(
                kind: .sampled,
                message: "Sampled \(Format.count(s.rowsRead)) of \(Format.count(s.totalRows)) rows: tr(I_F) within ±\(Format.percent(s.relativeHalfWidth)) (95 %)"
                    + (s.converged ? "" : ", short of the requested ±\(Format.percent(arguments.double("precision")!))"),
                value: s.relativeHalfWidth, threshold: arguments.double("precision")))
        }
        let analysis = try Analysis(statistics: statistics, settings: settings, extraWarnings: warnings)
        var output = BatchAdvisor.Output()
        let rowsRead = sampled?.rowsRead ?? statistics.samples
        let types = Set(data.elementTypes.map(\.rawValue)).sorted().joined(separator: ", ")
        if settings.json {
            let input: JSONValue = .object([
                .init("files", .array(data.files.map { .string($0) })),
                .init("element_types", .array(data.elementTypes.map { .string($0.rawValue) })),
                .init("rows", .int(data.rows)), .init("rows_read", .int(rowsRead)),
                .init("bytes", .int(data.byteCount)), .init("sampled", .bool(sampled != nil)),
                .init("relative_half_width", JSONValue(sampled?.relativeHalfWidth)),
                .init("seconds", .number(seconds)),
                .init("kernel", .string(KernelVariant.default.rawValue)), .init("threads", .int(settings.compute.resolvedThreads)),
            ])
            output.standardOutput = analysis.json(command: "analyze", input: input, perSample: perSample, diagonal: diagonal).rendered() + "\n"
        } else {
            let gigabytes = Double(data.byteCount) * Double(rowsRead) / Double(max(1, data.rows)) / 1e9
            output.standardOutput = "batch-advisor analyze\n" + analysis.text(inputLines: [
                ("files", data.files.count == 1 ? data.files[0] : "\(data.files.count) files (\(data.files[0]) …)"),
                ("gradients", "\(Format.count(data.rows)) samples × \(Format.count(source.dimension)) coordinates, \(types), \(source.layers.count) layer\(source.layers.count == 1 ? "" : "s")"),
                ("read", "\(Format.count(rowsRead)) rows" + (sampled != nil ? " (random, seeded)" : "") + String(format: " in %.2f s (%.1f GB/s)", seconds, gigabytes / max(seconds, 1e-9))),
                ("kernel", "\(KernelVariant.default.rawValue), \(settings.compute.resolvedThreads) threads"),
            ]) + perSampleText(statistics, show: perSample)
        }
        if let path = settings.plotPath {
            output.files.append((path, try analysis.plot(path: path, title: "batch-advisor: \(data.files[0])")))
        }
        if let path = arguments.string("save-state") {
            guard let accumulator else { throw UsageError("--save-state needs every row; it does not go with --precision", command: "analyze") }
            output.files.append((path, String(decoding: try accumulator.serialized(), as: UTF8.self)))
        }
        return output
    }

    /// The per-sample norms in the text report: a summary, not 10⁶ lines.
    static func perSampleText(_ s: FisherStatistics, show: Bool) -> String {
        guard show, let norms = s.sampleSquaredNorms, !norms.isEmpty else { return "" }
        let sorted = norms.sorted()
        func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(p * Double(sorted.count - 1)))] }
        return "\nPer-sample ‖gᵢ‖² (all values with --json)\n  min \(Format.number(sorted[0]))  median \(Format.number(q(0.5)))  "
            + "p99 \(Format.number(q(0.99)))  max \(Format.number(sorted.last!))\n"
    }
}

/// A data set whose single layer is split into the layers of a `--layers NAME=WIDTH,…` spec.
struct RelayeredSource: GradientSource {
    let base: GradientDataSet
    let layers: [FisherAccumulator.Layer]
    let relayered: Bool

    init(_ base: GradientDataSet, spec: [String]?, command: String) throws {
        self.base = base
        guard let spec else {
            layers = base.layers
            relayered = false
            return
        }
        guard base.layers.count == 1 else {
            throw UsageError("--layers splits a single matrix; this data already has \(base.layers.count) tensors", command: command)
        }
        var parsed: [(name: String, width: Int)] = []
        for item in spec {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let width = Int(parts[1]), width > 0 else {
                throw UsageError("--layers: '\(item)' is not NAME=WIDTH with a positive width", command: command)
            }
            parsed.append((parts[0], width))
        }
        let total = parsed.reduce(0) { $0 + $1.width }
        guard total == base.dimension else {
            throw UsageError("--layers widths add up to \(total), expected the \(base.dimension) columns of the data", command: command)
        }
        guard Set(parsed.map(\.name)).count == parsed.count else {
            throw UsageError("--layers: a layer name is used twice", command: command)
        }
        layers = FisherAccumulator.Layer.consecutive(parsed)
        relayered = true
    }

    var rows: Int { base.rows }
    var preferredChunkRows: Int { base.preferredChunkRows }

    func withRows<R>(_ range: Range<Int>, _ body: ([MatrixView]) throws -> R) throws -> R {
        try base.withRows(range) { views in
            try body(relayered ? layers.map { views[0].columns($0.columns) } : views)
        }
    }
}
