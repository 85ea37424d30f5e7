import CommandLineSupport
import FisherTrace

/// `batch-advisor ghost`: the analysis from linear-layer inputs and output gradients, by ghost norms.
enum GhostCommand {
    /// One linear layer's tensors: inputs A (N×T×d_in) and output gradients Δ (N×T×d_out).
    struct LayerInputs {
        let name: String
        let activations: TensorView
        let backprops: TensorView
        /// The file(s) the tensors came from, for messages.
        let file: String
        var files: [String]
        var samples: Int { activations.shape[0] }
        var tokens: Int { activations.shape.count == 3 ? activations.shape[1] : 1 }
        var inputFeatures: Int { activations.shape.last! }
        var outputFeatures: Int { backprops.shape.last! }
    }

    static func run(_ arguments: ParsedArguments) throws -> BatchAdvisor.Output {
        let settings = try ReportSettings(arguments)
        let layers = try inputs(arguments)
        let bias = arguments.flag("bias"), perSample = arguments.flag("per-sample")
        let meanGradient = !arguments.flag("no-mean-gradient")
        let method = GhostAlgorithm(commandLine: arguments.string("method")!)
        let layout = FisherAccumulator.linearLayers(layers.map {
            (name: $0.name, inputFeatures: $0.inputFeatures, outputFeatures: $0.outputFeatures, bias: bias)
        })
        var accumulator = FisherAccumulator(dimension: layout.last!.columns.upperBound, layers: layout,
                                            keepSampleNorms: perSample, options: settings.compute)

        let n = layers[0].samples
        let bytesPerSample = layers.reduce(0) { $0 + $1.tokens * ($1.inputFeatures + $1.outputFeatures) * 4 }
        let chunk = max(1, (64 << 20) / max(1, bytesPerSample))
        let kfac = arguments.flag("kfac")
        var kroneckerSums = [(inputs: Double, outputs: Double)](repeating: (0, 0), count: layers.count)
        var weightNorms: [Double] = [], biasNorms: [Double] = []
        var algorithms: [GhostAlgorithm] = []
        var start = 0
        while start < n {
            let rows = start..<min(n, start + chunk)
            let ghosts = try withBatches(layers, rows: rows, bias: bias) { batches in
                let ghosts: [GhostNorms]
                do {
                    ghosts = try accumulator.update(linearLayers: batches, meanGradient: meanGradient, algorithm: method)
                } catch let FisherError.nonFinite(row, layer) {
                    throw badSample(row, layer: layer, in: layers, problem: "holds a NaN or infinite value")
                } catch let FisherError.overflow(row, layer) {
                    throw badSample(row, layer: layer, in: layers, problem: "overflows when multiplied")
                }
                if kfac {
                    // tr(A) = Σ‖ã‖²/(N·T) and tr(S) = Σ‖δ‖²/N, summed over chunks from each chunk's factors.
                    for (l, batch) in batches.enumerated() {
                        let factors = try KFACFactors(inputs: batch.inputs, outputGradients: batch.outputGradients, bias: bias,
                                                      options: settings.compute)
                        kroneckerSums[l].inputs += factors.inputTrace * Double(rows.count * layers[l].tokens)
                        kroneckerSums[l].outputs += factors.outputTrace * Double(rows.count)
                    }
                }
                return ghosts
            }
            algorithms = ghosts.map(\.algorithm)
            if perSample {
                for i in 0..<rows.count {
                    weightNorms.append(ghosts.reduce(0) { $0 + $1.weight[i] })
                    biasNorms.append(ghosts.reduce(0) { $0 + ($1.bias?[i] ?? 0) })
                }
            }
            start = rows.upperBound
        }
        let statistics = try accumulator.finalize()
        let analysis = try Analysis(statistics: statistics, settings: settings)

        var output = BatchAdvisor.Output()
        let methods = zip(layers, algorithms).map { (layer: $0, algorithm: $1) }
        let kronecker = kfac ? layers.indices.map { l in
            (layer: layers[l].name, exact: statistics.layers[l].trace,
             kronecker: kroneckerSums[l].inputs / Double(n * layers[l].tokens) * (kroneckerSums[l].outputs / Double(n)))
        } : []
        if settings.json {
            let input: JSONValue = .object([
                .init("files", .array(layers[0].files.map { .string($0) })),
                .init("layers", .int(layers.count)), .init("bias", .bool(bias)), .init("mean_gradient", .bool(meanGradient)),
                .init("kernel", .string(KernelVariant.default.rawValue)), .init("threads", .int(settings.compute.resolvedThreads)),
            ])
            var extra: [JSONValue.Member] = [
                .init("method", .string(arguments.string("method")!)),
                .init("methods", .array(methods.map { m in
                    .object([.init("layer", .string(m.layer.name)), .init("algorithm", .string(m.algorithm.rawValue)),
                             .init("tokens", .int(m.layer.tokens)), .init("input_features", .int(m.layer.inputFeatures)),
                             .init("output_features", .int(m.layer.outputFeatures))])
                })),
            ]
            if kfac {
                extra.append(.init("kfac", .array(kronecker.map { k in
                    .object([.init("layer", .string(k.layer)), .init("exact_trace", .number(k.exact)),
                             .init("kronecker_trace", .number(k.kronecker)),
                             .init("ratio", k.exact > 0 ? .number(k.kronecker / k.exact) : .null)])
                })))
            }
            if perSample {
                extra.append(.init("weight_sq_norms", .array(weightNorms.map { .number($0) })))
                extra.append(.init("bias_sq_norms", bias ? .array(biasNorms.map { .number($0) }) : .null))
            }
            output.standardOutput = analysis.json(command: "ghost", input: input, extra: extra, perSample: perSample).rendered() + "\n"
        } else {
            let shapesText = methods.map { m in
                "\(m.layer.name) \(m.layer.tokens)×\(m.layer.inputFeatures)→\(m.layer.outputFeatures) (\(m.algorithm.rawValue))"
            }.joined(separator: ", ")
            output.standardOutput = "batch-advisor ghost\n" + analysis.text(inputLines: [
                ("inputs", layers[0].files.joined(separator: ", ")),
                ("layers", "\(layers.count): " + shapesText),
                ("samples", "\(Format.count(n)), per-sample gradients of \(Format.count(statistics.dimension)) parameters never formed"),
                ("mean gradient", meanGradient ? "formed (one GEMM per layer) for tr(Σ), ‖G‖², B_simple" : "skipped (--no-mean-gradient)"),
                ("kernel", "\(KernelVariant.default.rawValue), \(settings.compute.resolvedThreads) threads"),
            ]) + kroneckerText(kronecker) + AnalyzeCommand.perSampleText(statistics, show: perSample)
        }
        if let path = settings.plotPath {
            output.files.append((path, try analysis.plot(path: path, title: "batch-advisor ghost")))
        }
        if let path = arguments.string("save-state") {
            output.files.append((path, String(decoding: try accumulator.serialized(), as: UTF8.self)))
        }
        return output
    }

    /// A one-line error naming the file(s) of the layer that holds sample `row`'s bad value.
    static func badSample(_ row: Int, layer: String?, in layers: [LayerInputs], problem: String) -> ToolError {
        let bad = layers.first { $0.name == layer } ?? layers[0]
        let place = layers.count > 1 ? "sample \(row) of layer \(bad.name)" : "sample \(row)"
        return ToolError(file: bad.files.joined(separator: " or "), problem: "\(place) \(problem)",
                         expected: "finite activations and gradients")
    }

    /// The K-FAC comparison table: how far tr(A)·tr(S) is from the exact layer trace.
    static func kroneckerText(_ rows: [(layer: String, exact: Double, kronecker: Double)]) -> String {
        guard !rows.isEmpty else { return "" }
        var table = TextTable([.init("  layer"), .init("exact tr(I_F)", .right), .init("K-FAC tr(A)·tr(S)", .right), .init("ratio", .right)])
        for r in rows {
            table.append(["  " + r.layer, Format.number(r.exact), Format.number(r.kronecker), r.exact > 0 ? Format.times(r.kronecker / r.exact) : "undefined"])
        }
        return "\nK-FAC (Kronecker-factored) trace against the exact one\n" + table.rendered()
    }

    /// The layers named on the command line: an --activations/--backprops pair, or a safetensors file's pairs.
    static func inputs(_ arguments: ParsedArguments) throws -> [LayerInputs] {
        let a = arguments.string("activations"), d = arguments.string("backprops")
        let layers: [LayerInputs]
        switch (arguments.positionals.first, a, d) {
        case let (nil, a?, d?):
            let activations = try NpyFile(path: a).tensor, backprops = try NpyFile(path: d).tensor
            layers = [LayerInputs(name: "layer", activations: activations, backprops: backprops, file: a, files: [a, d])]
            try check(layers[0], backpropsFile: d)
        case let (file?, nil, nil):
            let pairs = try SafetensorsFile(path: file).ghostPairs()
            guard !pairs.isEmpty else {
                throw ToolError(file: file, problem: "holds no <layer>.activations / <layer>.backprops pairs",
                                expected: "tensors named like fc1.activations and fc1.backprops")
            }
            layers = pairs.map { LayerInputs(name: $0.layer, activations: $0.activations, backprops: $0.backprops, file: file, files: [file]) }
        default:
            throw UsageError("give --activations and --backprops, or one .safetensors file with <layer>.activations/.backprops pairs",
                             command: "ghost")
        }
        for layer in layers.dropFirst() where layer.samples != layers[0].samples {
            throw ToolError(file: layer.file, problem: "layer \(layer.name) has \(layer.samples) samples",
                            expected: "\(layers[0].samples), as layer \(layers[0].name)")
        }
        return layers
    }

    static func check(_ layer: LayerInputs, backpropsFile: String) throws {
        for (tensor, file) in [(layer.activations, layer.file), (layer.backprops, backpropsFile)] where !(2...3).contains(tensor.shape.count) {
            throw ToolError(file: file, problem: "field 'shape' is \(tensor.shape)", expected: "N×d or N×T×d")
        }
        let a = layer.activations.shape, d = layer.backprops.shape
        guard a.count == d.count, a.dropLast() == d.dropLast() else {
            throw ToolError(file: backpropsFile, problem: "field 'shape' is \(d), which does not match the activations' \(a)",
                            expected: "the same N (and T) as the activations")
        }
        guard layer.samples > 0 else {
            throw ToolError(file: layer.file, problem: "has zero samples", expected: "at least one row")
        }
    }

    /// Calls `body` with each layer's rows as token views the kernels read: the mapped file itself for
    /// native float32/float64, else a float64 copy of just these rows (half precision, other byte order).
    static func withBatches<R>(_ layers: [LayerInputs], rows: Range<Int>, bias: Bool,
                               _ body: ([LinearLayerBatch]) throws -> R) throws -> R {
        var copies: [UnsafeMutableBufferPointer<Double>] = []
        defer { copies.forEach { $0.deallocate() } }
        func view(_ tensor: TensorView, tokens: Int) -> TokenView {
            if [.float32, .float64].contains(tensor.elementType), let matrix = tensor.matrix {
                return TokenView(matrix.rows(rows), tokens: tokens)
            }
            let values = tensor.doubles(rows: rows)
            let copy = UnsafeMutableBufferPointer<Double>.allocate(capacity: values.count)
            _ = copy.initialize(from: values)
            copies.append(copy)
            return TokenView(UnsafeBufferPointer(copy), samples: rows.count, tokens: tokens, features: tensor.shape.last!)
        }
        let batches = layers.map { layer in
            LinearLayerBatch(inputs: view(layer.activations, tokens: layer.tokens),
                             outputGradients: view(layer.backprops, tokens: layer.tokens), hasBias: bias)
        }
        return try body(batches)
    }
}

extension GhostAlgorithm {
    init(commandLine word: String) {
        self = word == "gram" ? .gram : word == "materialize" ? .materialize : .automatic
    }
}
