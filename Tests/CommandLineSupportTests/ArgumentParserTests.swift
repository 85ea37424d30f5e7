import Testing
@testable import CommandLineSupport

@Suite struct ArgumentParserTests {
    let tool = SampleTools.advisor

    private func parse(_ line: String) throws -> ParsedArguments {
        let invocation = try tool.parse(line.split(separator: " ").map(String.init))
        return try #require(invocation.arguments)
    }

    private func usageError(_ line: String) -> UsageError? {
        do {
            _ = try tool.parse(line.split(separator: " ").map(String.init))
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let a = try parse("analyze g.npy --batch 64 --nu0=-2.5e-3 --memory 24G --method gram --layers fc1,fc2 --threads 1,2 --json h.npy")
        #expect(a.commandName == "analyze")
        #expect(a.positionals == ["g.npy", "h.npy"])
        #expect(a.int("batch") == 64)
        #expect(a.double("nu0") == -2.5e-3)
        #expect(a.byteCount("memory") == 24 << 30)
        #expect(a.choice("method", as: SampleTools.Method.self) == .gram)
        #expect(a.strings("layers") == ["fc1", "fc2"])
        #expect(a.ints("threads") == [1, 2])
        #expect(a.flag("json"))
        #expect(a.isGiven("batch") && a.isGiven("json"))
    }

    @Test func absentOptionsAreNilOrTheirDefault() throws {
        let a = try parse("analyze g.npy")
        #expect(a.int("batch") == nil)
        #expect(a.byteCount("memory") == nil)
        #expect(a.flag("json") == false)
        #expect(a.double("tolerance") == 0.1)
        #expect(a.choice("method", as: SampleTools.Method.self) == .auto)
        #expect(!a.isGiven("tolerance"))
        #expect(a.strings("layers") == nil)
    }

    @Test func optionsAndPositionalsMixInAnyOrder() throws {
        let a = try parse("analyze --batch 8 a.npy --json b.npy --output=out.json")
        #expect(a.positionals == ["a.npy", "b.npy"])
        #expect(a.string("output") == "out.json")
    }

    @Test func doubleDashEndsOptionsAndLoneDashIsPositional() throws {
        let a = try parse("analyze - -- --json -x")
        #expect(a.positionals == ["-", "--json", "-x"])
        #expect(a.flag("json") == false)
    }

    @Test func valueMayStartWithOneDash() throws {
        #expect(try parse("analyze g --nu0 -1").double("nu0") == -1)
    }

    @Test func inlineValueMayBeEmptyTextOrContainEquals() throws {
        #expect(try parse("analyze g --output=a=b").string("output") == "a=b")
        #expect(try parse("analyze g --output=").string("output") == "")
    }

    @Test func defaultCommandRunsWithoutAName() throws {
        #expect(try tool.parse([]).arguments?.commandName == "demo")
        let a = try #require(try tool.parse(["--json"]).arguments)
        #expect(a.commandName == "demo" && a.flag("json"))
    }

    @Test func singleCommandToolTakesOptionsDirectly() throws {
        let a = try #require(try SampleTools.bench.parse(["--quick", "--runs", "5"]).arguments)
        #expect(a.flag("quick") && a.int("runs") == 5)
        #expect(a.ints("threads") == [1, 2])
    }

    @Test func helpAndVersionWinOverEverythingElse() throws {
        #expect(try tool.parse(["--help"]) == .help(tool.help()))
        #expect(try tool.parse(["-h"]) == .help(tool.help()))
        #expect(try tool.parse(["--version"]) == .version("batch-advisor 1.2.3"))
        #expect(try tool.parse(["analyze", "--bogus", "--help"]) == .help(tool.help(for: "analyze")))
        #expect(try tool.parse(["analyze", "--version"]) == .version("batch-advisor 1.2.3"))
        #expect(try SampleTools.bench.parse(["--runs", "0", "-h"]) == .help(SampleTools.bench.help()))
        // After `--`, they are positionals.
        #expect(try parse("analyze -- --help").positionals == ["--help"])
    }

    // MARK: - Every usage error

    @Test func unknownCommand() {
        let e = usageError("analyse g.npy")
        #expect(e?.message == "unknown command 'analyse' (expected one of demo, analyze, ghost; did you mean 'analyze'?)")
        #expect(usageError("frobnicate")?.message == "unknown command 'frobnicate' (expected one of demo, analyze, ghost)")
    }

    @Test func missingCommandWithoutDefault() throws {
        let tool = Tool(name: "t", version: "1", summary: "s", commands: [SampleTools.demo])
        #expect(throws: UsageError("missing command (expected one of demo)")) { try tool.parse([]) }
        #expect(throws: UsageError("missing command before '--json' (expected one of demo)")) { try tool.parse(["--json"]) }
    }

    @Test func unknownOption() {
        #expect(usageError("analyze g --jsn")?.message == "unknown option '--jsn' (did you mean '--json'?)")
        #expect(usageError("analyze g --zzzzzz")?.message == "unknown option '--zzzzzz'")
        #expect(usageError("analyze g -j")?.message == "unknown option '-j'")
        #expect(usageError("analyze g --")?.message == nil)  // a bare `--` is fine
        #expect(usageError("analyze g --=3")?.message == "unknown option '--'")
        #expect(usageError("analyze g --jsn")?.command == "analyze")
    }

    @Test func repeatedOption() {
        #expect(usageError("analyze g --batch 1 --batch=2")?.message == "--batch given more than once")
        #expect(usageError("analyze g --json --json")?.message == "--json given more than once")
    }

    @Test func flagWithValue() {
        #expect(usageError("analyze g --json=yes")?.message == "--json takes no value (got 'yes')")
    }

    @Test func missingValue() {
        #expect(usageError("analyze g --batch")?.message == "--batch needs a value (expected an integer ≥ 1)")
        #expect(usageError("analyze g --batch --json")?.message == "--batch needs a value (expected an integer ≥ 1)")
    }

    @Test func invalidValues() {
        #expect(usageError("analyze g --batch x")?.message == "--batch: invalid value 'x' (expected an integer ≥ 1)")
        #expect(usageError("analyze g --batch 0")?.message == "--batch: invalid value '0' (expected an integer ≥ 1)")
        #expect(usageError("analyze g --batch 2.5")?.message == "--batch: invalid value '2.5' (expected an integer ≥ 1)")
        #expect(usageError("analyze g --tolerance 1")?.message == "--tolerance: invalid value '1' (expected a number in (0, 1))")
        #expect(usageError("analyze g --nu0 nan")?.message == "--nu0: invalid value 'nan' (expected a finite number)")
        #expect(usageError("analyze g --memory 24Q")?.message
            == "--memory: invalid value '24Q' (expected a size such as 4096, 512M, 24G or 24GB)")
        #expect(usageError("analyze g --method grm")?.message
            == "--method: invalid value 'grm' (expected one of auto, gram, materialize; did you mean 'gram'?)")
        #expect(usageError("analyze g --threads 1,0")?.message
            == "--threads: invalid item '0' in '1,0' (expected an integer ≥ 1)")
        #expect(usageError("analyze g --threads 1,,2")?.message
            == "--threads: an empty item in '1,,2' (expected an integer ≥ 1)")
        #expect(usageError("analyze g --weights 1,x")?.message
            == "--weights: invalid item 'x' in '1,x' (expected a finite number)")
    }

    @Test func missingRequiredOption() {
        #expect(usageError("ghost")?.message == "missing required option --activations A.npy")
        #expect(usageError("ghost")?.command == "ghost")
    }

    @Test func positionalCounts() throws {
        #expect(usageError("analyze")?.message == "missing FILE (expected at least 1)")
        #expect(usageError("ghost --activations a x")?.message == "unexpected argument 'x' (this command takes only options)")
        let pair = Command(name: "merge", summary: "s", options: [],
                           positionals: Positionals("STATE", minimum: 1, maximum: 2, help: "h"), examples: ["merge a b"])
        let tool = Tool(name: "t", version: "1", command: pair)
        #expect(throws: UsageError("3 STATE arguments given (expected at most 2)")) { try tool.parse(["a", "b", "c"]) }
        #expect(try tool.parse(["a", "b"]).arguments?.positionals == ["a", "b"])
    }
}
