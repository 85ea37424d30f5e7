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
    /// The limit that binds and the fraction of it reached: against the yardstick measured in alternation
    /// with this kernel, or (reference twins) the machine limits at 1 thread.
    public let bound: Bound
    public let rooflineFraction: Double
    /// The probe of `bound`, timed in alternation with this kernel's runs at the same thread count; nil for
    /// the reference twins.
    public let yardstick: Yardstick?
    /// Rate ÷ the same kernel's rate at 1 thread; nil for the reference or when 1 thread was not measured.
    public let threadScaling: Double?
    /// The reference twin's time on the whole input ÷ this median: measured, or, when the twin ran on the
    /// first samples (see its `shape`), its time scaled by `Workload.referenceScale`. Nil for the twin itself.
    public let referenceSpeedup: Double?

    public var bytesPerSecond: Double { work.bytes / timing.median }
    public var flopsPerSecond: Double { work.flops / timing.median }
    public var samplesPerSecond: Double { Double(work.samples) / timing.median }
}

/// A machine probe timed in alternation with a kernel.
public struct Yardstick: Sendable {
    public let bound: Bound
    /// Bytes or flops per second at the probe's median time.
    public let rate: Double
    public let timing: TimingSummary
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
