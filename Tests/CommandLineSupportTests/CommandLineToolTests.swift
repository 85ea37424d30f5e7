import Testing
@testable import CommandLineSupport

@Suite struct CommandLineToolTests {
    struct Outcome {
        var status: Int32 = 0
        var stdout = ""
        var stderr = ""
        var ran: ParsedArguments?
    }

    private func run(_ tool: Tool, _ arguments: [String], body: (ParsedArguments) throws -> Void = { _ in }) -> Outcome {
        var outcome = Outcome()
        outcome.status = CommandLineTool.run(tool, arguments: arguments, standardOutput: { outcome.stdout += $0 },
                                             standardError: { outcome.stderr += $0 }) { arguments in
            outcome.ran = arguments
            try body(arguments)
        }
        return outcome
    }

    @Test func successRunsTheBodyAndExitsZero() {
        let outcome = run(SampleTools.bench, ["--quick"])
        #expect(outcome.status == 0 && outcome.stderr.isEmpty)
        #expect(outcome.ran?.flag("quick") == true)
    }

    @Test func helpAndVersionPrintToStdoutAndExitZeroWithoutRunning() {
        let help = run(SampleTools.bench, ["--help"])
        #expect(help.status == 0 && help.stdout == SampleTools.bench.help() && help.ran == nil)
        let version = run(SampleTools.advisor, ["--version"])
        #expect(version.status == 0 && version.stdout == "batch-advisor 1.2.3\n" && version.ran == nil)
    }

    @Test func usageErrorIsOneLineWithHelpPointerAndExit64() {
        let outcome = run(SampleTools.bench, ["--runs", "0"])
        #expect(outcome.status == 64 && outcome.ran == nil && outcome.stdout.isEmpty)
        #expect(outcome.stderr == "fisher-bench: error: --runs: invalid value '0' (expected an integer from 1 to 100) (see 'fisher-bench --help')\n")
    }

    @Test func usageErrorInACommandPointsToThatCommandsHelp() {
        let outcome = run(SampleTools.advisor, ["analyze", "g.npy", "--batch", "x"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.hasSuffix("(see 'batch-advisor analyze --help')\n"))
        let unknown = run(SampleTools.advisor, ["analyse"])
        #expect(unknown.stderr.hasSuffix("(see 'batch-advisor --help')\n"))
    }

    @Test func usageErrorThrownByTheBodyAlsoExits64() {
        let outcome = run(SampleTools.bench, []) { _ in throw UsageError("--json and --csv exclude each other") }
        #expect(outcome.status == 64)
        #expect(outcome.stderr == "fisher-bench: error: --json and --csv exclude each other (see 'fisher-bench --help')\n")
    }

    @Test func toolErrorNamesTheFileAndWhatWasExpectedAndExits1() {
        let outcome = run(SampleTools.advisor, ["analyze", "g.npy"]) { _ in
            throw ToolError(file: "g.npy", problem: "dtype '<i4' is not supported", expected: "float32, float64, float16 or bfloat16")
        }
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "batch-advisor: error: g.npy: dtype '<i4' is not supported (expected float32, float64, float16 or bfloat16)\n")
    }

    @Test func anyOtherErrorIsOneLineAndExits1() {
        struct Weird: Error, CustomStringConvertible { var description: String { "first line\nsecond line" } }
        let outcome = run(SampleTools.bench, []) { _ in throw Weird() }
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "fisher-bench: error: first line second line\n")
    }

    @Test func toolErrorWithoutFileOrExpectation() {
        #expect(ToolError(file: nil, problem: "no samples").description == "no samples")
        #expect(ToolError(file: "a", problem: "empty").description == "a: empty")
    }
}
