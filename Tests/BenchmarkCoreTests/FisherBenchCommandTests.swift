import CommandLineSupport
import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct FisherBenchCommandTests {
    let machine = MachineDescriptionTests.machine()

    private func settings(_ line: String, machine: MachineDescription? = nil) throws -> (settings: BenchmarkSettings, format: FisherBench.Format, output: String?) {
        let machine = machine ?? self.machine
        let words = line.split(separator: " ").map(String.init)
        guard case let .run(arguments) = try FisherBench.tool(machine: machine).parse(words) else {
            Issue.record("not a run: \(line)")
            throw UsageError("not a run")
        }
        return try FisherBench.settings(from: arguments, machine: machine)
    }

    private func usageMessage(_ line: String, machine: MachineDescription? = nil) -> String? {
        do {
            _ = try settings(line, machine: machine)
            return nil
        } catch let error as UsageError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsCoverEveryFamilyAtEveryThreadCount() throws {
        let s = try settings("")
        #expect(s.format == .table && s.output == nil)
        #expect(s.settings.families.map(\.name) == KernelFamilies.all.map(\.name))
        #expect(s.settings.threads == [1, 2] && s.settings.variant == .automatic && s.settings.elementTypes == [.float32])
        #expect(s.settings.plan == .standard && !s.settings.quick)
        #expect(s.settings.inputs().map { "\($0.family.name) \($0.shape)" }
            == ["moments 65536x4096", "moments 1024x262144", "npy-file 65536x4096", "fisher-block 4096x2048", "fisher-block 16384x1024",
                "gram 1024x16384", "ghost 256x128x1024x1024", "ghost 256x1x1024x1024", "ghost 16384x1x1024x1024", "kfac 64x128x1024x1024"])
        #expect(try settings("--quick").settings.plan == .quick)
    }

    @Test func optionsNarrowTheRun() throws {
        let s = try settings("--quick --kernels moments --shapes 100x10,20x5 --dtypes bfloat16,float64 --threads 2 --variant avx2 --runs 9 --csv --output b.csv")
        #expect(s.settings.inputs().map { "\($0.shape) \($0.elementType)" } == ["100x10 bfloat16", "100x10 float64", "20x5 bfloat16", "20x5 float64"])
        let mixed = try settings("--kernels moments,ghost --shapes 8x4,2x3x4x5 --dtypes float32,float16")
        #expect(mixed.settings.inputs().map { "\($0.family.name) \($0.shape) \($0.elementType)" }
            == ["moments 8x4 float32", "moments 8x4 float16", "ghost 2x3x4x5 float32"])
        #expect(s.settings.threads == [2] && s.settings.variant == .avx2)
        #expect(s.settings.plan.runs == 9 && s.settings.referencePlan.runs == 3)
        #expect(s.format == .csv && s.output == "b.csv")
        #expect(try settings("--json --runs 1").settings.referencePlan.runs == 1)
        #expect(try settings("--json").format == .json)
        #expect(try settings("--threads 2,1").settings.threads == [1, 2])  // ascending, so scaling has its 1-thread base
    }

    @Test func usageErrors() {
        #expect(usageMessage("--shapes 10x") == "--shapes: invalid shape '10x' (expected dimensions ≥ 1 joined by 'x', such as 65536x4096)")
        #expect(usageMessage("--shapes 2x3x4") == "--shapes: no selected kernel family takes the 3-dimensional shape '2x3x4' (expected NxD or NxTxD_INxD_OUT)")
        #expect(usageMessage("--kernels ghost --shapes 2x3") == "--shapes: no selected kernel family takes the 2-dimensional shape '2x3' (expected NxTxD_INxD_OUT)")
        #expect(usageMessage("--kernels fisher-block --dtypes bfloat16") == "--dtypes: no selected kernel family runs on bfloat16")
        #expect(usageMessage("--json --csv") == "--json and --csv exclude each other")
        let noOpenMP = MachineDescriptionTests.machine(openMP: false)
        #expect(usageMessage("--threads 1,2", machine: noOpenMP) == "--threads: this build has no OpenMP, so only 1 thread runs (expected 1)")
        let noAVX512 = MachineDescriptionTests.machine(variant: .avx2)
        #expect(usageMessage("--variant avx512", machine: noAVX512)
            == "--variant: avx512 does not run on this CPU (expected one of auto, portable, avx2)")
        #expect(usageMessage("--kernels momentz")?.hasPrefix("--kernels: invalid item 'momentz'") == true)
        #expect(usageMessage("--variant reference")?.hasPrefix("--variant: invalid value 'reference'") == true)
        #expect(usageMessage("--threads 2,1,2") == "--threads: 2 given twice (expected distinct thread counts)")
        #expect(usageMessage("--runs 0") == "--runs: invalid value '0' (expected an integer from 1 to 1000)")
    }

    @Test func inputsLargerThanHalfTheMemoryAreRefusedBeforeAllocating() throws {
        let small = MachineDescriptionTests.machine(memory: 1 << 30)
        let s = try settings("--kernels moments --shapes 65536x4096", machine: small)
        let runner = BenchmarkRunner(settings: s.settings, machine: small, version: "t")
        #expect(throws: BenchmarkError.tooLarge(shape: "65536x4096 float32", bytes: 1 << 30, limit: 1 << 29)) {
            try runner.checkInputSizes()
        }
        #expect(BenchmarkError.tooLarge(shape: "65536x4096 float32", bytes: 1 << 30, limit: 1 << 29).description
            == "shape 65536x4096 float32 needs 1.00 GiB of data (expected at most 512 MiB, half of this machine's memory)")
    }

    @Test func helpListsEveryFamilyAndOption() {
        let help = FisherBench.tool(machine: machine).help()
        for family in KernelFamilies.all { #expect(help.contains(family.name)) }
        for option in ["--quick", "--kernels", "--shapes", "--dtypes", "--threads", "--variant", "--runs", "--json", "--csv", "--output"] {
            #expect(help.contains(option), "\(option)")
        }
        #expect(help.contains("(default: 1,2)"))
        #expect(help.contains("Examples:\n  fisher-bench --quick\n"))
    }
}
