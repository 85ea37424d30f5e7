import CommandLineSupport
import Foundation

extension BenchmarkReport {
    /// The human report: a header saying where and how it ran, the machine limits, the kernels, and the
    /// flop-counting and peak methods.
    public func table() -> String {
        let variants = machine.openMP ? "OpenMP" : "no OpenMP"
        var out = "fisher-bench \(version) · \(mode) · \(buildConfiguration) build · \(machine.cpuModel) · \(machine.cores) cores · "
            + "\(ByteCount.format(machine.memoryBytes)) · \(variants) · kernels \(variant.rawValue)\n"
        if buildConfiguration == "debug" {
            out += "WARNING: debug build: the probes are unoptimized Swift and no figure here means anything; use `swift build -c release`.\n"
        }
        let load = [loadAverage.start, loadAverage.end].map { $0.map { String(format: "%.2f", $0) } ?? "?" }
        out += "Load average \(load[0]) at the start, \(load[1]) at the end; \(String(format: "%.0f", wallSeconds)) s in all. "
            + "Medians of \(plan.runs) runs after \(plan.warmups) warm-up (reference twins: \(referencePlan.runs) runs"
            + (plan.budgetSeconds.map { "; slow kernels at least 3 runs, within about \(String(format: "%.0f", $0)) s" } ?? "") + "); "
            + "spread = (max − min) / median.\n\n"

        if let first = limits.first {
            out += "Machine limits (read: Σx over \(ByteCount.format(Int(first.read.bytes))); "
                + "triad: a = b + s·c over three arrays of \(ByteCount.format(Int(first.triad.bytes / 3))))\n"
        }
        var limitsTable = TextTable([.init("threads", .right), .init("read GB/s", .right), .init("triad GB/s", .right),
                                     .init("clock GHz", .right), .init("peak GFLOP/s", .right), .init("flop/cycle", .right),
                                     .init("spread", .right)])
        for l in limits {
            let spread = max(l.read.timing.spread, l.triad.timing.spread, l.clock.timing.spread, l.peak.timing.spread)
            limitsTable.append([String(l.threads), Self.rate(l.read.bytesPerSecond), Self.rate(l.triad.bytesPerSecond),
                                String(format: "%.2f", l.clock.hertz / 1e9), Self.rate(l.peak.flopsPerSecond),
                                String(format: "%.1f", l.flopsPerCycle), Self.percent(spread)])
        }
        out += limitsTable.rendered() + "\n"

        out += "Kernels (roofline: share of the binding limit, measured in alternation with the kernel at its thread count)\n"
        var kernels = TextTable([.init("kernel"), .init("shape"), .init("dtype"), .init("threads", .right), .init("variant"),
                                 .init("median ms", .right), .init("spread", .right), .init("GB/s", .right), .init("GFLOP/s", .right),
                                 .init("Msamples/s", .right), .init("roofline", .right), .init("×1 thread", .right),
                                 .init("×reference", .right)])
        for r in results {
            kernels.append([r.kernel, r.shape.description, r.elementType.rawValue, String(r.threads), r.variant.rawValue,
                            Self.milliseconds(r.timing.median), Self.percent(r.timing.spread), Self.rate(r.bytesPerSecond),
                            Self.rate(r.flopsPerSecond), Self.figure(r.samplesPerSecond / 1e6),
                            Self.percent(r.rooflineFraction) + " " + Self.boundName(r.bound),
                            r.threadScaling.map { String(format: "%.2f", $0) } ?? "-",
                            r.referenceSpeedup.map { String(format: "%.1f", $0) } ?? "-"])
        }
        out += kernels.rendered() + "\n"

        var formulas: [String] = []
        // The optimized kernels' own formulas (a reference twin may do other arithmetic, e.g. materialize).
        for r in results.filter({ $0.variant != .reference }) + results where !formulas.contains(where: { $0.hasPrefix(r.kernel + ":") }) {
            formulas.append("\(r.kernel): \(r.work.flopsFormula)")
        }
        out += "Flops per call: " + formulas.joined(separator: "; ") + ". GB/s counts bytes read + written per call.\n"
        out += "Peak: float32 FMAs on register-resident vectors of the kernels' variant, every thread (fk_fma_probe); "
            + "clock: a chain of dependent one-cycle integer operations; flop/cycle = peak ÷ (clock × threads).\n"
        return out
    }

    /// A rate per second in units of 10⁹ (GB/s, GFLOP/s).
    static func rate(_ perSecond: Double) -> String { figure(perSecond / 1e9) }

    /// About three significant digits: `125`, `19.8`, `2.30`, `0.0412`.
    static func figure(_ x: Double) -> String {
        String(format: x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : x >= 1 ? "%.2f" : "%.3g", x)
    }

    static func milliseconds(_ seconds: Double) -> String {
        let ms = seconds * 1e3
        return String(format: ms >= 100 ? "%.0f" : ms >= 1 ? "%.2f" : "%.4f", ms)
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.0f%%", fraction * 100) }

    static func boundName(_ bound: Bound) -> String {
        switch bound {
        case .readBandwidth: "read"
        case .triadBandwidth: "triad"
        case .peakFlops: "peak"
        }
    }
}
