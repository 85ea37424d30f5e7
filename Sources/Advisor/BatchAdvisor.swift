import CommandLineSupport
import Foundation

/// `batch-advisor`: parse, run a command, and hand back what it prints and the files it writes.
public enum BatchAdvisor {
    public static let version = "0.1.0"

    /// What a command produced. Nothing is written until the command has succeeded, so a failed run
    /// prints no partial report and leaves every output file as it was.
    struct Output {
        var standardOutput = ""
        /// (path, contents), written atomically in order.
        var files: [(String, String)] = []
    }

    /// Runs a parsed command line: computes, then writes the files atomically, then prints.
    public static func run(_ arguments: ParsedArguments, print: (String) -> Void) throws {
        let output: Output
        switch arguments.commandName {
        case "demo": output = try DemoCommand.run(arguments)
        case "analyze": output = try AnalyzeCommand.run(arguments)
        case "ghost": output = try GhostCommand.run(arguments)
        case "noise": output = try NoiseCommand.run(arguments)
        case "merge": output = try MergeCommand.run(arguments)
        default: preconditionFailure("unknown command \(arguments.commandName)")
        }
        for (path, contents) in output.files { try AtomicFile.write(contents, to: path) }
        print(output.standardOutput)
    }
}
