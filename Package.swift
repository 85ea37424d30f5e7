// swift-tools-version:6.0
//
// FisherTrace: the Fisher information of per-sample gradients, fast, and the critical batch size it implies.
// Layout and conventions: README.md. The C core is built with OpenMP (LLVM's libomp from Debian's
// libomp-dev) unless FISHERTRACE_OPENMP=0 is set, in which case it builds and runs single-threaded.
import Foundation
import PackageDescription

// MARK: - Build switches

#if os(Linux)
let openMP = ProcessInfo.processInfo.environment["FISHERTRACE_OPENMP"] != "0"
#else
let openMP = false
#endif

let kernelCFlags: [CSetting] = [
    .headerSearchPath("internal"),
    // The kernels are always optimized, also in debug builds: the tests run them on large inputs.
    .unsafeFlags(["-O2", "-fno-strict-aliasing"] + (openMP ? ["-fopenmp"] : [])),
]
let kernelLinkerFlags: [LinkerSetting] = openMP ? [.unsafeFlags(["-Xlinker", "-l:libomp.so.5"])] : []

// The demo model trains in Swift: optimize it in debug builds too, so the tests that run it stay quick.
let optimizedAlways: [SwiftSetting] = [.unsafeFlags(["-O"])]

// The reader fuzz target links only in a libFuzzer build (tools/fuzz.sh sets FISHERTRACE_FUZZ=1).
let fuzzing = ProcessInfo.processInfo.environment["FISHERTRACE_FUZZ"] == "1"

// MARK: - Products

let package = Package(
    name: "FisherTrace",
    products: [
        .library(name: "FisherTrace", targets: ["FisherTrace"]),
        .library(name: "BatchPolicy", targets: ["BatchPolicy"]),
        .executable(name: "batch-advisor", targets: ["batch-advisor"]),
        .executable(name: "fisher-bench", targets: ["fisher-bench"]),
    ],
    targets: [
        // MARK: - C kernels

        .target(
            name: "CFisherKernels",
            path: "CKernels",
            publicHeadersPath: "include",
            cSettings: kernelCFlags,
            linkerSettings: kernelLinkerFlags
        ),

        // MARK: - Libraries

        .target(name: "FisherTrace", dependencies: ["CFisherKernels"]),
        .target(name: "BatchPolicy"),
        // Shared by both executables: argument parsing, tables, JSON output, progress bar.
        .target(name: "CommandLineSupport"),
        // The advisor's logic (reports, demo model), kept out of main so it can be unit-tested.
        .target(name: "Advisor", dependencies: ["FisherTrace", "BatchPolicy", "CommandLineSupport"],
                swiftSettings: optimizedAlways),
        .target(name: "BenchmarkCore", dependencies: ["FisherTrace", "CommandLineSupport"], path: "Benchmarks/BenchmarkCore"),

        // MARK: - Executables

        .executableTarget(name: "batch-advisor", dependencies: ["Advisor", "CommandLineSupport"]),
        .executableTarget(name: "fisher-bench", dependencies: ["BenchmarkCore", "CommandLineSupport"],
                          path: "Benchmarks/FisherBench"),

        // MARK: - Tests

        .testTarget(name: "FisherTraceTests", dependencies: ["FisherTrace", "CFisherKernels"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BatchPolicyTests", dependencies: ["BatchPolicy"]),
        .testTarget(name: "CommandLineSupportTests", dependencies: ["CommandLineSupport"]),
        .testTarget(name: "AdvisorTests", dependencies: ["Advisor"]),
        .testTarget(name: "BenchmarkCoreTests", dependencies: ["BenchmarkCore"]),
        // End-to-end: runs the built batch-advisor and fisher-bench binaries.
        .testTarget(name: "CLITests", dependencies: ["FisherTrace"]),
    ]
)

// MARK: - Fuzzing

if fuzzing {
    package.targets.append(.executableTarget(name: "fuzz-readers", dependencies: ["FisherTrace"], path: "Tests/Fuzz/ReaderFuzzer"))
}
