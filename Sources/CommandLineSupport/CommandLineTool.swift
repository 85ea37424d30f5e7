import Foundation

/// The top of an executable: parse, run, and turn every error into one line on stderr and an exit status.
///
/// ```swift
/// let tool = Tool(name: "fisher-bench", version: "0.1.0", command: Command(
///     name: "fisher-bench", summary: "Kernel throughput against this machine's limits.",
///     options: [.flag("json", help: "Print JSON."), .value("threads", .list(.positiveInteger), help: "Thread counts.")],
///     examples: ["--quick --json"]))
/// CommandLineTool.main(tool) { arguments in
///     let threads = arguments.ints("threads") ?? [1]
///     …
/// }
/// ```
public enum CommandLineTool {
    /// Runs `body` on the parsed command line and exits: 0 on success (also after `--help`, `--version`),
    /// 64 on a `UsageError`, 1 on any other error, after printing `tool: error: …` to stderr.
    public static func main(_ tool: Tool, _ body: (ParsedArguments) throws -> Void) -> Never {
        let status = run(tool, arguments: Array(CommandLine.arguments.dropFirst()),
                         standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
                         standardError: { FileHandle.standardError.write(Data($0.utf8)) },
                         body)
        exit(status)
    }

    /// `main` without the exit, with the output streams given: returns the exit status.
    public static func run(_ tool: Tool, arguments: [String], standardOutput: (String) -> Void,
                           standardError: (String) -> Void, _ body: (ParsedArguments) throws -> Void) -> Int32 {
        do {
            switch try tool.parse(arguments) {
            case let .help(text):
                standardOutput(text)
            case let .version(line):
                standardOutput(line + "\n")
            case let .run(parsed):
                try body(parsed)
            }
            return ExitStatus.success
        } catch let error as UsageError {
            let helpCommand = [tool.name] + (tool.hasSubcommands ? error.command.map { [$0] } ?? [] : []) + ["--help"]
            standardError(errorLine(tool, "\(error.message) (see '\(helpCommand.joined(separator: " "))')"))
            return ExitStatus.usage
        } catch {
            standardError(errorLine(tool, String(describing: error)))
            return ExitStatus.failure
        }
    }

    /// `tool: error: MESSAGE` on one line, newline-terminated.
    static func errorLine(_ tool: Tool, _ message: String) -> String {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(tool.name): error: \(oneLine)\n"
    }
}
