import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct MachineDescriptionTests {
    static func machine(vendor: String = "AuthenticAMD", family: Int? = 25, cores: Int = 2, openMP: Bool = true,
                        variant: KernelVariant = .avx512, memory: Int = 24 << 30) -> MachineDescription {
        MachineDescription(cpuModel: "test CPU", vendor: vendor, cpuFamily: family, cores: cores, memoryBytes: memory,
                           lastLevelCacheBytes: 32 << 20, openMP: openMP, defaultVariant: variant,
                           supportedVariants: [.reference, .portable, .avx2, .avx512].filter { $0 != .avx512 || variant == .avx512 })
    }

    @Test func defaultThreadsArePowersOfTwoAndTheCoreCount() {
        #expect(BenchmarkSettings.defaultThreads(Self.machine(cores: 1)) == [1])
        #expect(BenchmarkSettings.defaultThreads(Self.machine(cores: 2)) == [1, 2])
        #expect(BenchmarkSettings.defaultThreads(Self.machine(cores: 6)) == [1, 2, 4, 6])
        #expect(BenchmarkSettings.defaultThreads(Self.machine(cores: 8)) == [1, 2, 4, 8])
        #expect(BenchmarkSettings.defaultThreads(Self.machine(cores: 8, openMP: false)) == [1])
    }

    @Test func thisMachineIsDescribed() {
        let here = MachineDescription.current()
        #expect(here.cores >= 1 && here.memoryBytes > 0)
        #expect(here.supportedVariants.contains(.reference))
    }
}
