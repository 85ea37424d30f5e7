import CommandLineSupport
import Foundation
import FisherTrace

/// `batch-advisor merge STATE...`: saved accumulators from shards or machines, as one report.
enum MergeCommand {
    static func run(_ arguments: ParsedArguments) throws -> BatchAdvisor.Output {
        let settings = try ReportSettings(arguments)
        var merged: FisherAccumulator?
        for path in arguments.positionals {
            let state = try load(path)
            if let first = merged {
                guard first.dimension == state.dimension, first.layers == state.layers else {
                    throw ToolError(file: path, problem: "its layers (\(describe(state))) differ from the first state's",
                                    expected: describe(first))
                }
                guard first.tracksDiagonal == state.tracksDiagonal, first.keepsSampleNorms == state.keepsSampleNorms else {
                    throw ToolError(file: path, problem: "it was saved with different --diagonal/--per-sample options",
                                    expected: "every state saved with the same options")
                }
                merged!.options = settings.compute
                try merged!.merge(state)
            } else {
                merged = state
            }
        }
        let accumulator = merged!
        let statistics: FisherStatistics
        do {
            statistics = try accumulator.finalize()
        } catch {
            throw ToolError(file: arguments.positionals[0], problem: "\(error)")
        }
        let analysis = try Analysis(statistics: statistics, settings: settings)
        var output = BatchAdvisor.Output()
        if settings.json {
            let input: JSONValue = .object([.init("states", .array(arguments.positionals.map { .string($0) }))])
            output.standardOutput = analysis.json(command: "merge", input: input,
                                                  perSample: accumulator.keepsSampleNorms, diagonal: accumulator.tracksDiagonal).rendered() + "\n"
        } else {
            output.standardOutput = "batch-advisor merge\n" + analysis.text(inputLines: [
                ("states", "\(arguments.positionals.count) (\(arguments.positionals[0]) …)"),
                ("gradients", "\(Format.count(statistics.samples)) samples × \(Format.count(statistics.dimension)) coordinates, \(statistics.layers.count) layer\(statistics.layers.count == 1 ? "" : "s")"),
            ])
        }
        if let path = settings.plotPath {
            output.files.append((path, try analysis.plot(path: path, title: "batch-advisor merge")))
        }
        if let path = arguments.string("save-state") {
            output.files.append((path, String(decoding: try accumulator.serialized(), as: UTF8.self)))
        }
        return output
    }

    static func load(_ path: String) throws -> FisherAccumulator {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolError(file: path, problem: "cannot be read", expected: "a state file written by --save-state")
        }
        do {
            return try FisherAccumulator(serialized: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ToolError(file: path, problem: context.debugDescription, expected: "a state file written by --save-state")
        } catch let DecodingError.keyNotFound(key, _) {
            throw ToolError(file: path, problem: "field '\(key.stringValue)' is missing", expected: "a state file written by --save-state")
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ToolError(file: path, problem: "field '\(field)' has the wrong type", expected: "a state file written by --save-state")
        } catch {
            throw ToolError(file: path, problem: "is not a valid state (\(error))", expected: "a state file written by --save-state")
        }
    }

    static func describe(_ a: FisherAccumulator) -> String {
        a.layers.count == 1 ? "D = \(a.dimension)" : a.layers.map { "\($0.name)=\($0.width)" }.joined(separator: ",")
    }
}
