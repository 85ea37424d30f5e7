internal import CFisherKernels

/// An instruction-set variant of the C kernels.
///
/// The process picks the best one the CPU supports once (`KernelVariant.default`); the environment
/// variable `FISHERTRACE_ISA=reference|portable|avx2|avx512` overrides it. `reference` is the plain scalar
/// oracle; `portable` is the blocked, threaded kernel in generic C vectors (any CPU, arm64 included).
public enum KernelVariant: String, Sendable, Hashable, Codable, CaseIterable {
    case automatic = "auto", reference, portable, avx2, avx512

    /// The variant `.automatic` resolves to in this process.
    public static var `default`: KernelVariant { KernelVariant(fk_default_isa()) }

    /// Whether the variant was built and runs on this CPU.
    public var isSupported: Bool { fk_isa_supported(isa) != 0 }

    /// The concrete variants that run here, reference first.
    public static var supported: [KernelVariant] { allCases.filter { $0 != .automatic && $0.isSupported } }

    var isa: fk_isa {
        switch self {
        case .automatic: FK_ISA_AUTO
        case .reference: FK_ISA_REFERENCE
        case .portable: FK_ISA_PORTABLE
        case .avx2: FK_ISA_AVX2
        case .avx512: FK_ISA_AVX512
        }
    }

    init(_ isa: fk_isa) {
        self = Self.allCases.first { $0.isa == isa } ?? .automatic
    }
}

/// How the kernels run: thread count and instruction-set variant. Results do not depend on `threads`
/// (same bits for every count); variants agree to rounding.
public struct ComputeOptions: Sendable, Hashable, Codable {
    /// Threads per kernel call; nil uses the OpenMP default (`OMP_NUM_THREADS`, else the core count).
    public var threads: Int?
    public var variant: KernelVariant

    public init(threads: Int? = nil, variant: KernelVariant = .automatic) {
        precondition(threads.map { $0 >= 1 } ?? true, "ComputeOptions: threads must be ≥ 1")
        self.threads = threads
        self.variant = variant
    }

    /// The thread count a call will use.
    public var resolvedThreads: Int { Compute.openMPEnabled ? (threads ?? Compute.defaultThreads) : 1 }

    var config: fk_config { fk_config(threads: Int32(clamping: threads ?? 0), isa: variant.isa) }
}

/// Facts about the compute core in this process.
public enum Compute {
    /// Threads used when `ComputeOptions.threads` is nil (1 without OpenMP).
    public static var defaultThreads: Int { Int(fk_default_threads()) }
    /// Whether the C core was built with OpenMP (`FISHERTRACE_OPENMP=0` at build time turns it off).
    public static var openMPEnabled: Bool { fk_openmp_enabled() != 0 }

    /// The peak-FMA probe (`fk_fma_probe`): each of `options.resolvedThreads` threads runs `rounds` rounds of
    /// independent float32 FMAs on register-resident vectors of the variant's width. Returns the flops done;
    /// time the call to measure the peak float32 rate the kernels can reach (the roofline's compute roof).
    public static func fmaProbe(rounds: Int, options: ComputeOptions = ComputeOptions()) throws(FisherError) -> Double {
        precondition(rounds >= 0, "Compute.fmaProbe: negative rounds")
        var config = options.config
        var flops = 0.0
        let status = fk_fma_probe(rounds, &flops, &config)
        do { try Kernels.check(status) } catch { throw FisherError.unsupportedVariant(options.variant) }
        return flops
    }
}
