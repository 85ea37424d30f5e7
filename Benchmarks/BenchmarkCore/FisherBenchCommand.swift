import CommandLineSupport
import FisherTrace
import Foundation

/// The `fisher-bench` command line: its declaration, the settings it maps to, and the run.
public enum FisherBench {
    public static let version = "0.1.0"

    public enum Format: Sendable { case table, json, csv }

    /// The tool's declaration; defaults that depend on the machine (thread counts) come from `machine`.
    public static func tool(machine: MachineDescription = .current()) -> Tool {
        let families = KernelFamilies.all
        let variants = KernelVariant.allCases.filter { $0 != .reference }
        return Tool(name: "fisher-bench", version: version, command: Command(
            name: "fisher-bench",
            summary: "Throughput of the FisherTrace kernels against this machine's measured limits (read and triad bandwidth, peak FMA rate), next to their reference twins.",
            options: [
                .flag("quick", help: "A run of a few seconds: small shapes, 3 runs each. The default run takes about a minute."),
                .value("kernels", .list(.choice(families.map(\.name))), valueName: "FAMILY,…", default: families.map(\.name).joined(separator: ","),
                       help: "Kernel families to measure: " + families.map { "\($0.name), \($0.summary)" }.joined(separator: "; ") + "."),
                .value("shapes", .list(.text), valueName: "SHAPE,…",
                       help: "Input shapes instead of each family's defaults; a family takes the shapes written its way: "
                           + families.map { "\($0.name) \($0.shapeSyntax)" }.joined(separator: ", ") + "."),
                .value("dtypes", .list(.choice(of: ElementType.self)), default: "float32", help: "Element types of the inputs."),
                .value("threads", .list(.positiveInteger), default: BenchmarkSettings.defaultThreads(machine).map(String.init).joined(separator: ","),
                       help: "Thread counts to sweep; each kernel's scaling is relative to 1 thread."),
                .value("variant", .choice(variants.map(\.rawValue)), default: "auto",
                       help: "Instruction-set variant of the optimized kernels (auto: the best this CPU runs). The reference twin always runs too."),
                .value("runs", .integer(min: 1, max: 1000), help: "Timed runs per kernel (default: 3 with --quick, else 7)."),
                .flag("json", help: "Print the results as JSON (schema in Benchmarks/peers/README.md)."),
                .flag("csv", help: "Print the results as CSV, one row per measurement."),
                .value("output", .text, valueName: "FILE", help: "Write the output to FILE (replaced only when the run succeeds) instead of stdout."),
            ],
            examples: ["--quick", "--kernels moments --shapes 65536x4096 --threads 1,2 --json > bench.json", "--dtypes float32,bfloat16 --csv --output bench.csv"]))
    }

    /// The settings, output format and output path the arguments ask for.
    public static func settings(from arguments: ParsedArguments, machine: MachineDescription = .current())
        throws(UsageError) -> (settings: BenchmarkSettings, format: Format, output: String?) {
        var settings = BenchmarkSettings(quick: arguments.flag("quick"), machine: machine)
        let names = arguments.strings("kernels") ?? []
        settings.families = KernelFamilies.all.filter { names.contains($0.name) }
        settings.elementTypes = arguments.choices("dtypes", as: ElementType.self) ?? [.float32]
        if let texts = arguments.strings("shapes") {
            var shapes: [Shape] = []
            for text in texts {
                guard let shape = Shape(parsing: text) else {
                    throw UsageError("--shapes: invalid shape '\(text)' (expected dimensions ≥ 1 joined by 'x', such as 65536x4096)")
                }
                guard settings.families.contains(where: { $0.accepts(shape) }) else {
                    var syntaxes: [String] = []
                    for family in settings.families where !syntaxes.contains(family.shapeSyntax) { syntaxes.append(family.shapeSyntax) }
                    throw UsageError("--shapes: no selected kernel family takes the \(shape.dimensions.count)-dimensional shape '\(text)' (expected \(syntaxes.joined(separator: " or ")))")
                }
                shapes.append(shape)
            }
            settings.shapes = shapes
        }
        if settings.inputs().isEmpty {
            throw UsageError("--dtypes: no selected kernel family runs on " + settings.elementTypes.map(\.rawValue).joined(separator: ", "))
        }
        let threads = arguments.ints("threads") ?? settings.threads
        if let twice = threads.first(where: { t in threads.filter { $0 == t }.count > 1 }) {
            throw UsageError("--threads: \(twice) given twice (expected distinct thread counts)")
        }
        settings.threads = threads.sorted()
        if !machine.openMP, settings.threads.contains(where: { $0 > 1 }) {
            throw UsageError("--threads: this build has no OpenMP, so only 1 thread runs (expected 1)")
        }
        settings.variant = arguments.choice("variant", as: KernelVariant.self) ?? .automatic
        if !machine.supportedVariants.contains(settings.variant), settings.variant != .automatic {
            let supported = machine.supportedVariants.filter { $0 != .reference }.map(\.rawValue)
            throw UsageError("--variant: \(settings.variant.rawValue) does not run on this CPU (expected one of auto, \(supported.joined(separator: ", ")))")
        }
        if let runs = arguments.int("runs") {
            settings.plan.runs = runs
            settings.referencePlan.runs = min(runs, settings.referencePlan.runs)
        }
        if arguments.flag("json") && arguments.flag("csv") { throw UsageError("--json and --csv exclude each other") }
        let format: Format = arguments.flag("json") ? .json : arguments.flag("csv") ? .csv : .table
        return (settings, format, arguments.string("output"))
    }

    /// Runs the benchmark the arguments describe and prints (or writes) the report in one piece at the end,
    /// with a progress bar on stderr when that is a terminal.
    public static func run(_ arguments: ParsedArguments) throws {
        let machine = MachineDescription.current()
        let (settings, format, output) = try settings(from: arguments, machine: machine)
        let runner = BenchmarkRunner(settings: settings, machine: machine, version: version)
        let bar = ProgressBar(label: "fisher-bench", total: runner.steps)
        defer { bar.finish() }
        let report = try runner.run { bar.advance() }
        bar.finish()
        let text = switch format {
        case .table: report.table()
        case .json: report.json().rendered() + "\n"
        case .csv: report.csv()
        }
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
