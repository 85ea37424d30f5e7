/// What one call of a kernel does: true floating-point operations, bytes moved, samples processed.
///
/// Flops count the arithmetic the kernel's outputs need (a multiply–add is 2, a type conversion 0),
/// stated per kernel in `flopsFormula`. Bytes count the kernel's compulsory traffic: every input byte read
/// once and every output byte written once, as STREAM does (no write-allocate traffic).
public struct Work: Sendable, Hashable {
    public let flops: Double
    public let bytesRead: Double
    public let bytesWritten: Double
    /// Samples (rows) processed per call, for samples per second.
    public let samples: Int
    /// How `flops` was counted, e.g. `3·N·D (‖gᵢ‖²: 2, column sums: 1)`.
    public let flopsFormula: String

    public init(flops: Double, bytesRead: Double, bytesWritten: Double, samples: Int, flopsFormula: String) {
        self.flops = flops
        self.bytesRead = bytesRead
        self.bytesWritten = bytesWritten
        self.samples = samples
        self.flopsFormula = flopsFormula
    }

    public var bytes: Double { bytesRead + bytesWritten }
}

/// What limits a kernel on this machine.
public enum Bound: String, Sendable, Hashable {
    /// Read bandwidth: the kernel mostly reads (writes under 1 % of its traffic).
    case readBandwidth = "read_bandwidth"
    /// Triad bandwidth: the kernel writes a good part of its traffic.
    case triadBandwidth = "triad_bandwidth"
    /// Peak FMA throughput.
    case peakFlops = "peak_flops"
}

/// The roofline for one thread count: a kernel cannot run faster than its bytes at the measured bandwidth
/// or its flops at the peak rate, whichever takes longer.
public struct Roofline: Sendable, Hashable {
    /// Bytes per second.
    public let readBandwidth: Double
    /// Bytes per second.
    public let triadBandwidth: Double
    /// Flops per second.
    public let peakFlops: Double

    public init(readBandwidth: Double, triadBandwidth: Double, peakFlops: Double) {
        self.readBandwidth = readBandwidth
        self.triadBandwidth = triadBandwidth
        self.peakFlops = peakFlops
    }

    /// The same roofline with the limit `bound` set to `rate` (bytes or flops per second).
    public func replacing(_ bound: Bound, with rate: Double) -> Roofline {
        Roofline(readBandwidth: bound == .readBandwidth ? rate : readBandwidth,
                 triadBandwidth: bound == .triadBandwidth ? rate : triadBandwidth,
                 peakFlops: bound == .peakFlops ? rate : peakFlops)
    }

    /// The binding limit for `work` and the least time it allows, in seconds.
    public func limit(for work: Work) -> (bound: Bound, seconds: Double) {
        let writes = work.bytesWritten > 0.01 * work.bytes
        let memory = (bound: writes ? Bound.triadBandwidth : .readBandwidth,
                      seconds: work.bytes / (writes ? triadBandwidth : readBandwidth))
        let compute = (bound: Bound.peakFlops, seconds: work.flops / peakFlops)
        return compute.seconds > memory.seconds ? compute : memory
    }

    /// How close `seconds` per call comes to the roofline: least possible time ÷ measured time (1 = at the limit).
    public func fraction(of work: Work, seconds: Double) -> Double {
        limit(for: work).seconds / seconds
    }
}
