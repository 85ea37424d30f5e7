@testable import CommandLineSupport

/// Tools shaped like the two real executables, declared once for the tests.
enum SampleTools {
    enum Method: String, CaseIterable { case auto, gram, materialize }

    static let analyze = Command(
        name: "analyze", summary: "Critical batch size from per-sample gradients.",
        options: [
            .value("batch", .positiveInteger, valueName: "B", help: "The batch you train with."),
            .value("tolerance", .number(NumberBounds(above: 0, below: 1)), default: "0.1", help: "Relative tolerance."),
            .value("nu0", .anyNumber, help: "Power-budget constant."),
            .value("memory", .byteSize, help: "Accelerator memory."),
            .value("method", .choice(of: Method.self), default: "auto", help: "How ghost norms are computed."),
            .value("layers", .list(.text), valueName: "NAMES", help: "Layers to report."),
            .value("threads", .list(.positiveInteger), help: "Thread counts."),
            .value("weights", .list(.anyNumber), help: "Weights."),
            .value("output", .text, valueName: "FILE", help: "Where to write."),
            .flag("json", help: "Print JSON."),
        ],
        positionals: Positionals("FILE", minimum: 1, help: "Gradient files (.npy, .safetensors)."),
        examples: ["analyze grads.npy --batch 64", "analyze shard-*.npy --json"])

    static let ghost = Command(
        name: "ghost", summary: "Per-sample norms from layer inputs.",
        options: [.value("activations", .text, valueName: "A.npy", required: true, help: "Layer inputs.")],
        examples: ["ghost --activations a.npy"])

    static let demo = Command(name: "demo", summary: "The built-in demo.", options: [.flag("json", help: "Print JSON.")],
                              examples: ["demo"])

    static let advisor = Tool(name: "batch-advisor", version: "1.2.3", summary: "How large your batch should be.",
                              commands: [demo, analyze, ghost], defaultCommand: "demo")

    static let bench = Tool(name: "fisher-bench", version: "0.1.0", command: Command(
        name: "fisher-bench", summary: "Kernel throughput against this machine's limits.",
        options: [
            .flag("quick", help: "A few seconds."),
            .value("threads", .list(.positiveInteger), default: "1,2", help: "Thread counts to sweep."),
            .value("runs", .integer(min: 1, max: 100), help: "Timed runs per kernel."),
        ],
        examples: ["--quick --json"]))
}

extension Invocation {
    /// The parsed arguments of a `.run`; nil for help and version.
    var arguments: ParsedArguments? {
        guard case let .run(arguments) = self else { return nil }
        return arguments
    }
}
