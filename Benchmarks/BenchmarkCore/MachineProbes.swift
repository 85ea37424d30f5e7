import Dispatch
import FisherTrace

/// Bytes moved by a probe and how long it took.
public struct BandwidthMeasurement: Sendable, Hashable {
    /// Bytes per call (STREAM convention: read + written, no write-allocate traffic).
    public let bytes: Double
    public let timing: TimingSummary
    /// Bytes per second at the median time.
    public var bytesPerSecond: Double { bytes / timing.median }
}

/// The core clock measured with a chain of dependent one-cycle integer operations (for information: it
/// turns the measured peak into flops per cycle).
public struct ClockMeasurement: Sendable, Hashable {
    /// Dependent integer operations per thread and call (one cycle each on every x86-64 and arm64 core).
    public let cyclesPerCall: Double
    public let timing: TimingSummary

    /// Cycles per second of one core under load from all threads.
    public var hertz: Double { cyclesPerCall / timing.median }
}

/// The peak float32 FMA rate, measured with `Compute.fmaProbe` (independent FMAs on register-resident
/// vectors of the kernels' own variant, on every thread).
public struct PeakMeasurement: Sendable, Hashable {
    /// Flops per call, all threads together.
    public let flopsPerCall: Double
    public let timing: TimingSummary
    public let threads: Int

    /// Flops per second at the median time.
    public var flopsPerSecond: Double { flopsPerCall / timing.median }
}

/// The machine's limits at one thread count, measured in the same run as the kernels.
public struct MachineLimits: Sendable, Hashable {
    public let threads: Int
    /// STREAM-like read: Σx over a float32 array larger than the last-level cache.
    public let read: BandwidthMeasurement
    /// STREAM triad a = b + s·c over float32 arrays each larger than the last-level cache.
    public let triad: BandwidthMeasurement
    public let clock: ClockMeasurement
    public let peak: PeakMeasurement

    /// Measured flops per cycle per core: peak ÷ (clock × threads).
    public var flopsPerCycle: Double { peak.flopsPerSecond / (clock.hertz * Double(threads)) }

    public var roofline: Roofline {
        Roofline(readBandwidth: read.bytesPerSecond, triadBandwidth: triad.bytesPerSecond, peakFlops: peak.flopsPerSecond)
    }
}

/// The probe loops and their arrays. The loops are plain Swift over `SIMD16<Float>` (vector loads, adds,
/// multiplies in release builds), split into one contiguous part per thread and run on that many threads.
final class MachineProbes {
    private let source: AlignedBuffer
    private let triadA: AlignedBuffer, triadB: AlignedBuffer, triadC: AlignedBuffer
    private let memory: Pointers
    private let chainIterations: Int
    private let fmaRounds: Int
    /// Flops of one round of the FMA probe on one thread (the variant's vector width × chains × 2).
    private let fmaFlopsPerRound: Double
    private let variant: KernelVariant

    /// The most threads a probe runs on.
    static let maximumThreads = 4096

    /// - Parameters:
    ///   - readBytes: bytes of the read probe's array.
    ///   - triadBytes: bytes of each of the triad's three arrays.
    ///   - chainIterations: iterations of the clock probe's dependent chain per call.
    ///   - fmaRounds: rounds of the peak-FMA probe per thread and call.
    init(readBytes: Int, triadBytes: Int, chainIterations: Int, fmaRounds: Int, variant: KernelVariant) throws(BenchmarkError) {
        let readCount = max(64, readBytes / 4 / 64 * 64), triadCount = max(64, triadBytes / 4 / 64 * 64)
        source = try AlignedBuffer.randomElements(.float32, count: readCount)
        triadA = try AlignedBuffer.randomElements(.float32, count: triadCount)
        triadB = try AlignedBuffer.randomElements(.float32, count: triadCount, seed: 2)
        triadC = try AlignedBuffer.randomElements(.float32, count: triadCount, seed: 3)
        memory = Pointers(source: source.base, readCount: readCount, a: triadA.base, b: triadB.base, c: triadC.base,
                          triadCount: triadCount, threads: Self.maximumThreads)
        self.chainIterations = chainIterations
        self.fmaRounds = fmaRounds
        self.variant = variant
        fmaFlopsPerRound = (try? Compute.fmaProbe(rounds: 1, options: ComputeOptions(threads: 1, variant: variant))) ?? 0
    }

    deinit { memory.results.deallocate() }

    /// Read, triad, clock and peak FMA rate at `threads`, each timed by `plan`.
    func measure(threads: Int, plan: MeasurementPlan) -> MachineLimits {
        let read = BenchmarkCore.measure(plan, probe(.readBandwidth, threads: threads))
        let triad = BenchmarkCore.measure(plan, probe(.triadBandwidth, threads: threads))
        let clock = BenchmarkCore.measure(plan, clockProbe(threads: threads))
        let peak = BenchmarkCore.measure(plan, probe(.peakFlops, threads: threads))
        return MachineLimits(
            threads: threads,
            read: BandwidthMeasurement(bytes: work(.readBandwidth, threads: threads), timing: read),
            triad: BandwidthMeasurement(bytes: work(.triadBandwidth, threads: threads), timing: triad),
            clock: ClockMeasurement(cyclesPerCall: Double(Self.chainLength * chainIterations), timing: clock),
            peak: PeakMeasurement(flopsPerCall: work(.peakFlops, threads: threads), timing: peak, threads: threads))
    }

    /// The rate the probe for `bound` reached in `timing`: bytes or flops per second.
    func rate(_ bound: Bound, threads: Int, timing: TimingSummary) -> Double {
        work(bound, threads: threads) / timing.median
    }

    /// One call of the clock probe on `threads` threads at once.
    private func clockProbe(threads: Int) -> () -> Void {
        let memory = self.memory, iterations = chainIterations
        return {
            DispatchQueue.concurrentPerform(iterations: threads) { k in
                memory.results[k] = Self.dependentChain(iterations, seed: UInt64(k + 1))
            }
        }
    }

    /// One call of the probe that measures `bound`, on `threads` threads at once.
    func probe(_ bound: Bound, threads: Int) -> () -> Void {
        precondition(threads >= 1 && threads <= Self.maximumThreads, "MachineProbes: \(threads) threads")
        let memory = self.memory
        switch bound {
        case .readBandwidth:
            return {
                Self.split(memory.readCount, threads) { k, range in
                    memory.results[k] = UInt64(Self.readSum(memory.source + range.lowerBound * 4, range.count).bitPattern)
                }
            }
        case .triadBandwidth:
            return {
                Self.split(memory.triadCount, threads) { _, range in
                    let offset = range.lowerBound * 4
                    Self.triad(memory.a + offset, memory.b + offset, memory.c + offset, range.count, 3)
                }
            }
        case .peakFlops:
            let rounds = fmaRounds, options = ComputeOptions(threads: threads, variant: variant)
            return { _ = try? Compute.fmaProbe(rounds: rounds, options: options) }
        }
    }

    /// Work of one probe call: bytes read (+ written) for the bandwidths, flops of all threads for the peak.
    private func work(_ bound: Bound, threads: Int) -> Double {
        switch bound {
        case .readBandwidth: Double(memory.readCount * 4)
        case .triadBandwidth: Double(3 * memory.triadCount * 4)
        case .peakFlops: fmaFlopsPerRound * Double(fmaRounds * threads)
        }
    }

    /// The arrays and one result slot per thread, shared by the probe threads (each writes only its slot and
    /// its part of the triad output).
    private struct Pointers: @unchecked Sendable {
        let source: UnsafeRawPointer
        let readCount: Int
        let a: UnsafeMutableRawPointer
        let b: UnsafeRawPointer
        let c: UnsafeRawPointer
        let triadCount: Int
        /// Where each thread leaves its result, so that no loop can be optimized away.
        let results: UnsafeMutableBufferPointer<UInt64>

        init(source: UnsafeMutableRawPointer, readCount: Int, a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer,
             c: UnsafeMutableRawPointer, triadCount: Int, threads: Int) {
            self.source = UnsafeRawPointer(source)
            self.readCount = readCount
            self.a = a
            self.b = UnsafeRawPointer(b)
            self.c = UnsafeRawPointer(c)
            self.triadCount = triadCount
            results = .allocate(capacity: threads)
        }
    }

    /// Runs `body` on `threads` threads at once, each on its own contiguous part of 0..<count (parts are
    /// multiples of 64 elements).
    private static func split(_ count: Int, _ threads: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        DispatchQueue.concurrentPerform(iterations: threads) { k in
            let lower = count * k / threads / 64 * 64, upper = count * (k + 1) / threads / 64 * 64
            body(k, lower..<upper)
        }
    }

    /// Σ of `count` floats (a multiple of 32), two independent vector accumulators (eight SSE registers).
    @inline(never)
    static func readSum(_ p: UnsafeRawPointer, _ count: Int) -> Float {
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
        var offset = 0
        let end = count &* 4
        while offset < end {
            s0 += p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            s1 += p.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD16<Float>.self)
            offset &+= 128
        }
        return (s0 + s1).sum()
    }

    /// a = b + s·c over `count` floats (a multiple of 16).
    @inline(never)
    static func triad(_ a: UnsafeMutableRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeRawPointer, _ count: Int, _ s: Float) {
        var offset = 0
        let end = count &* 4
        while offset < end {
            let x = b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y = c.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a.storeBytes(of: x + s * y, toByteOffset: offset, as: SIMD16<Float>.self)
            offset &+= 64
        }
    }

    /// Dependent one-cycle operations per iteration of `dependentChain`.
    static let chainLength = 16

    /// `chainLength` dependent integer operations per iteration (alternating add and xor, which no
    /// compiler can fold), so one iteration takes `chainLength` cycles whatever the core's width.
    @inline(never)
    static func dependentChain(_ iterations: Int, seed: UInt64) -> UInt64 {
        var x = seed
        let k = seed | 1
        for _ in 0..<iterations {
            x = (x &+ k) ^ seed; x = (x &+ k) ^ seed; x = (x &+ k) ^ seed; x = (x &+ k) ^ seed
            x = (x &+ k) ^ seed; x = (x &+ k) ^ seed; x = (x &+ k) ^ seed; x = (x &+ k) ^ seed
        }
        return x
    }
}
