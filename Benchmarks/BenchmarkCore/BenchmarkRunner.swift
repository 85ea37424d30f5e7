import FisherTrace
import Foundation

/// What to measure and how long to spend on it.
public struct BenchmarkSettings: Sendable {
    public var quick: Bool
    public var families: [any KernelFamily]
    /// nil: each family's default shapes; else the given shapes each family accepts.
    public var shapes: [Shape]?
    public var elementTypes: [ElementType]
    /// Thread counts to sweep.
    public var threads: [Int]
    /// The optimized variant (`.automatic`: the best this CPU runs).
    public var variant: KernelVariant
    public var plan: MeasurementPlan
    /// Timing of the reference twins (scalar and slow: fewer runs).
    public var referencePlan: MeasurementPlan
    /// Bytes of the read probe's array.
    public var readArrayBytes: Int
    /// Bytes of each of the triad's three arrays.
    public var triadArrayBytes: Int

    /// The settings of `--quick` (`quick`) or the default run, before options narrow them.
    public init(quick: Bool, machine: MachineDescription) {
        self.quick = quick
        families = KernelFamilies.all
        shapes = nil
        elementTypes = [.float32]
        threads = Self.defaultThreads(machine)
        variant = .automatic
        plan = quick ? .quick : .standard
        referencePlan = quick ? .quick : MeasurementPlan(warmups: 1, runs: 3, minimumRunSeconds: 0.02, budgetSeconds: 3)
        // Arrays of at least 4× the last-level cache (STREAM's rule): a read array of 128 MiB (quick) or
        // 1 GiB (as ANCHORS.md's figures), triad arrays of a quarter of that.
        let cache = machine.lastLevelCacheBytes ?? 32 << 20
        readArrayBytes = max(4 * cache, quick ? 128 << 20 : 1 << 30)
        triadArrayBytes = max(4 * cache, readArrayBytes / 4)
        #if DEBUG
        // An unoptimized build's Swift loops run ~100× slower and measure nothing meaningful; stay quick.
        (readArrayBytes, triadArrayBytes) = (4 << 20, 4 << 20)
        #endif
    }

    /// 1, 2, 4, … up to the core count, and the core count (just 1 without OpenMP).
    public static func defaultThreads(_ machine: MachineDescription) -> [Int] {
        guard machine.openMP else { return [1] }
        let powers = sequence(first: 1) { $0 * 2 }.prefix { $0 < machine.cores }
        return Array(powers) + [machine.cores]
    }

    /// The (family, shape, element type) inputs to measure, in order.
    public func inputs() -> [(family: any KernelFamily, shape: Shape, elementType: ElementType)] {
        families.flatMap { family in
            (shapes?.filter(family.accepts) ?? family.defaultShapes(quick: quick)).flatMap { shape in
                elementTypes.filter(family.elementTypes.contains).map { (family, shape, $0) }
            }
        }
    }
}

/// Runs a benchmark: the machine probes at every thread count, then every kernel next to its reference
/// twin and, at every thread count, in alternation with the probe of the limit that binds it.
public struct BenchmarkRunner {
    public let settings: BenchmarkSettings
    public let machine: MachineDescription
    public let version: String

    public init(settings: BenchmarkSettings, machine: MachineDescription = .current(), version: String) {
        self.settings = settings
        self.machine = machine
        self.version = version
    }

    /// The largest input allowed: half the machine's memory (the probes and the system need the rest).
    public var inputLimitBytes: Int { machine.memoryBytes / 2 }

    /// Checks every input against `inputLimitBytes` before anything is allocated.
    public func checkInputSizes() throws(BenchmarkError) {
        for input in settings.inputs() {
            let bytes = input.family.inputBytes(input.shape, elementType: input.elementType)
            if bytes > inputLimitBytes {
                throw .tooLarge(shape: "\(input.shape) \(input.elementType)", bytes: bytes, limit: inputLimitBytes)
            }
        }
    }

    /// Measurements a run makes: one set of probes per thread count, and per kernel the reference twin
    /// and one measurement per thread count.
    public var steps: Int {
        let threads = settings.threads.count
        return threads + settings.inputs().reduce(0) { $0 + $1.family.kernels.count * (1 + threads) }
    }

    /// Measures everything; `step` is called after each of the `steps` measurements.
    public func run(step: () -> Void = {}) throws -> BenchmarkReport {
        try checkInputSizes()
        let start = monotonicSeconds()
        let loadAtStart = Self.loadAverage()
        let inputs = settings.inputs()
        let threads = settings.threads

        let probes = try MachineProbes(readBytes: settings.readArrayBytes, triadBytes: settings.triadArrayBytes,
                                       chainIterations: Self.chainIterations, fmaRounds: Self.fmaRounds,
                                       variant: settings.variant)
        let limits = threads.map { t in
            defer { step() }
            return probes.measure(threads: t, plan: settings.plan)
        }
        let variant = settings.variant == .automatic ? machine.defaultVariant : settings.variant

        var results: [KernelResult] = []
        for input in inputs {
            let workloads = try input.family.makeWorkloads(shape: input.shape, elementType: input.elementType)
            for workload in workloads {
                let twin = workload.reference
                let reference = try measure(settings.referencePlan) { try twin.run(ComputeOptions(threads: 1, variant: .reference)) }
                step()
                let referenceLimits = limits.first { $0.threads == 1 } ?? limits[0]
                let referenceResult = result(workload, twin, threads: 1, variant: .reference, timing: reference,
                                             roofline: referenceLimits.roofline, yardstick: nil, singleThread: nil, reference: nil)
                results.append(referenceResult)
                var singleThread: TimingSummary?
                for (t, limit) in zip(threads, limits) {
                    let bound = limit.roofline.limit(for: workload.work).bound
                    let (timing, probeTiming) = try measurePaired(settings.plan, {
                        try workload.call.run(ComputeOptions(threads: t, variant: settings.variant))
                    }, yardstick: probes.probe(bound, threads: t))
                    step()
                    if t == 1 { singleThread = timing }
                    let yardstick = Yardstick(bound: bound, rate: probes.rate(bound, threads: t, timing: probeTiming), timing: probeTiming)
                    results.append(result(workload, workload.call, threads: t, variant: variant, timing: timing,
                                          roofline: limit.roofline.replacing(bound, with: yardstick.rate), yardstick: yardstick,
                                          singleThread: singleThread, reference: referenceResult))
                }
            }
        }
        return BenchmarkReport(
            version: version, mode: settings.quick ? "quick" : "standard", buildConfiguration: Self.buildConfiguration,
            machine: machine, variant: variant, plan: settings.plan, referencePlan: settings.referencePlan,
            limits: limits, results: results,
            loadAverage: (loadAtStart, Self.loadAverage()), wallSeconds: monotonicSeconds() - start)
    }

    private func result(_ workload: Workload, _ call: KernelCall, threads: Int, variant: KernelVariant, timing: TimingSummary,
                        roofline: Roofline, yardstick: Yardstick?, singleThread: TimingSummary?, reference: KernelResult?) -> KernelResult {
        KernelResult(
            family: workload.family, kernel: workload.kernel, shape: call.shape, elementType: workload.elementType,
            threads: threads, variant: variant, work: call.work, timing: timing,
            bound: roofline.limit(for: call.work).bound,
            rooflineFraction: roofline.fraction(of: call.work, seconds: timing.median), yardstick: yardstick,
            threadScaling: variant == .reference ? nil : singleThread.map { $0.median / timing.median },
            referenceSpeedup: reference.map { $0.timing.median * workload.referenceScale / timing.median })
    }

    /// Iterations of the clock probe's chain: about 20 ms at 3.5 GHz in a release build.
    static var chainIterations: Int {
        #if DEBUG
        1 << 12
        #else
        1 << 22
        #endif
    }

    /// Rounds of the peak-FMA probe per thread: about 20 ms at 115 GFLOP/s per core (the probe is C, built
    /// optimized in every configuration).
    static let fmaRounds = 1 << 22

    static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    private static func loadAverage() -> Double? {
        var loads = [0.0, 0.0, 0.0]
        return getloadavg(&loads, 3) >= 1 ? loads[0] : nil
    }
}
