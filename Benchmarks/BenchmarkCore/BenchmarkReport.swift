import FisherTrace

/// One measured kernel at one thread count, with its rates and how they compare.
public struct KernelResult: Sendable {
    public let family: String
    public let kernel: String
    public let shape: Shape
    public let elementType: ElementType
    /// Threads the call was given (the reference twin is single-threaded: 1).
    public let threads: Int
    /// The variant that ran: `reference`, or the concrete variant the options resolved to.
    public let variant: KernelVariant
    public let work: Work
    public let timing: TimingSummary
    /// The limit that binds and the fraction of it reached, against the machine limits at `threads`.
    public let bound: Bound
    public let rooflineFraction: Double
    /// Rate ÷ the same kernel's rate at 1 thread; nil for the reference or when 1 thread was not measured.
    public let threadScaling: Double?
    /// The reference twin's median ÷ this median; nil for the reference itself.
    public let referenceSpeedup: Double?

    public var bytesPerSecond: Double { work.bytes / timing.median }
    public var flopsPerSecond: Double { work.flops / timing.median }
    public var samplesPerSecond: Double { Double(work.samples) / timing.median }
}

/// Everything one fisher-bench run measured.
public struct BenchmarkReport: Sendable {
    public let version: String
    /// `quick` or `standard`.
    public let mode: String
    /// `release` or `debug` (a debug build's Swift probes are unoptimized: its numbers mean nothing).
    public let buildConfiguration: String
    public let machine: MachineDescription
    /// The variant the optimized kernels ran with (`auto` resolved).
    public let variant: KernelVariant
    public let plan: MeasurementPlan
    public let referencePlan: MeasurementPlan
    public let limits: [MachineLimits]
    public let results: [KernelResult]
    /// 1-minute load averages at the start and the end: how busy the machine was.
    public let loadAverage: (start: Double?, end: Double?)
    public let wallSeconds: Double

    /// The limits measured at `threads`.
    public func limits(threads: Int) -> MachineLimits? { limits.first { $0.threads == threads } }
}
