import FisherTrace
import Testing
@testable import BenchmarkCore

/// The machine probes' loops compute what they claim (their speed is for fisher-bench to measure).
@Suite struct ProbeKernelTests {
    @Test(arguments: [0, 32, 64, 4096, 4096 + 32])
    func readSumAddsEveryElement(count: Int) {
        let values = (0..<count).map { Float($0 % 7) - 3 }
        let exact = values.reduce(0, +)
        let sum = values.withUnsafeBytes { MachineProbes.readSum($0.baseAddress!, count) }
        #expect(sum == exact)
    }

    @Test func triadComputesBPlusSTimesC() {
        let n = 48
        let b = (0..<n).map(Float.init), c = (0..<n).map { Float($0) * 0.5 }
        var a = [Float](repeating: .nan, count: n)
        a.withUnsafeMutableBytes { pa in
            b.withUnsafeBytes { pb in c.withUnsafeBytes { pc in MachineProbes.triad(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, n, 3) } }
        }
        #expect(a == (0..<n).map { b[$0] + 3 * c[$0] })
    }

    @Test func dependentChainIsTheStatedRecurrence() {
        var x: UInt64 = 5
        for _ in 0..<(3 * MachineProbes.chainLength / 2) { x = (x &+ 5) ^ 5 }
        #expect(MachineProbes.dependentChain(3, seed: 5) == x)
        #expect(MachineProbes.chainLength == 16)
    }

    @Test func probesReportOneLimitPerThreadCount() throws {
        let probes = try MachineProbes(readBytes: 1 << 16, triadBytes: 1 << 14, chainIterations: 10, fmaRounds: 1_000, variant: .automatic)
        let plan = MeasurementPlan(warmups: 1, runs: 2, minimumRunSeconds: 0)
        for threads in [1, 2] {
            let limits = probes.measure(threads: threads, plan: plan)
            #expect(limits.threads == threads)
            #expect(limits.read.bytes == Double(1 << 16) && limits.triad.bytes == 3 * Double(1 << 14))
            #expect(limits.clock.cyclesPerCall == 160 && limits.peak.threads == threads)
            // 1,000 rounds of 12 chains of one vector FMA (2 flops per lane) on every thread.
            let lanes: Double = KernelVariant.default == .avx512 ? 16 : KernelVariant.default == .avx2 ? 8 : 4
            #expect(limits.peak.flopsPerCall == 1_000 * 12 * lanes * 2 * Double(threads))
            #expect(limits.read.bytesPerSecond > 0 && limits.peak.flopsPerSecond > 0 && limits.flopsPerCycle > 0)
            #expect(limits.read.timing.samples.count == 2)
        }
    }
}
