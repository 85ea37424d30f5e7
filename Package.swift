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

// MARK: - Products

let package = Package(
    name: "FisherTrace",
    products: [
        .library(name: "FisherTrace", targets: ["FisherTrace"]),
        .library(name: "BatchPolicy", targets: ["BatchPolicy"]),
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

        // MARK: - Executables

        .executableTarget(
            name: "fisher-bench",
            dependencies: ["FisherTrace"],
            path: "Benchmarks/FisherBench"
        ),

        // MARK: - Tests

        .testTarget(name: "FisherTraceTests", dependencies: ["FisherTrace", "CFisherKernels"]),
        .testTarget(name: "BatchPolicyTests", dependencies: ["BatchPolicy"]),
    ]
)
