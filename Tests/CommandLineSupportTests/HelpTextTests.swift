import Testing
@testable import CommandLineSupport

@Suite struct HelpTextTests {
    @Test func toolHelpListsCommandsTheDefaultAndExamples() {
        let help = SampleTools.advisor.help()
        #expect(help.hasPrefix("batch-advisor 1.2.3: How large your batch should be.\n\nUsage: batch-advisor COMMAND [options]\n"))
        #expect(help.contains("\n  demo     The built-in demo. (the default)\n"))
        #expect(help.contains("\n  analyze  Critical batch size from per-sample gradients.\n"))
        #expect(help.contains("Run 'batch-advisor COMMAND --help' for a command's options."))
        #expect(help.contains("\n  -h, --help  Show this help and exit.\n"))
        #expect(help.contains("\nExamples:\n  batch-advisor demo\n  batch-advisor analyze grads.npy --batch 64\n  batch-advisor ghost --activations a.npy\n"))
    }

    @Test func commandHelpShowsEveryOptionWithValueNamesDefaultsAndExamples() {
        let help = SampleTools.advisor.help(for: "analyze")
        #expect(help.hasPrefix("batch-advisor analyze: Critical batch size from per-sample gradients.\n\nUsage: batch-advisor analyze [options] FILE...\n"))
        #expect(help.contains("\nArguments:\n  FILE  Gradient files (.npy, .safetensors).\n"))
        #expect(help.contains("  --batch B "))
        #expect(help.contains("  --memory SIZE "))
        #expect(help.contains("  --method auto|gram|materialize\n" + String(repeating: " ", count: 32) + "How ghost norms"))
        #expect(help.contains("  --threads N,… "))
        #expect(help.contains("(default: 0.1)"))
        #expect(help.contains("(default: auto)"))
        #expect(help.contains("  --version "))
        #expect(help.hasSuffix("\nExamples:\n  batch-advisor analyze grads.npy --batch 64\n  batch-advisor analyze shard-*.npy --json\n"))
        for option in SampleTools.analyze.options {
            #expect(help.contains("--" + option.name), "\(option.name)")
        }
        #expect(SampleTools.advisor.help(for: "ghost").contains("Layer inputs. (required)"))
    }

    @Test func singleCommandToolHelpHasVersionInTitleAndOneExample() {
        let help = SampleTools.bench.help()
        #expect(help.hasPrefix("fisher-bench 0.1.0: Kernel throughput against this machine's limits.\n\nUsage: fisher-bench [options]\n"))
        #expect(help.contains("\nExample:\n  fisher-bench --quick --json\n"))
        #expect(!help.contains("COMMAND"))
    }

    @Test func longHelpWrapsUnderItsColumn() {
        let long = String(repeating: "word ", count: 40)
        let tool = Tool(name: "t", version: "1", command: Command(
            name: "t", summary: "s", options: [.flag("a", help: long)], examples: ["--a"]))
        let lines = tool.help(width: 60).split(separator: "\n", omittingEmptySubsequences: false)
        let optionLines = lines.drop { !$0.hasPrefix("  --a") }.prefix { !$0.hasPrefix("  -h") }
        #expect(optionLines.count > 3)
        for line in optionLines {
            #expect(line.count <= 60)
        }
        let indent = optionLines.first!.distance(from: optionLines.first!.startIndex, to: optionLines.first!.firstRange(of: "word")!.lowerBound)
        for line in optionLines.dropFirst() {
            #expect(line.prefix(indent).allSatisfy { $0 == " " } && line.dropFirst(indent).first != " ")
        }
    }

    @Test func optionalPositionalsAreBracketed() {
        let tool = Tool(name: "t", version: "1", command: Command(
            name: "t", summary: "s", options: [], positionals: Positionals("DIR", maximum: 1, help: "h"), examples: [""]))
        #expect(tool.help().contains("Usage: t [options] [DIR]\n"))
    }
}
