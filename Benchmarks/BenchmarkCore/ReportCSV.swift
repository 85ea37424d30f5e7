extension BenchmarkReport {
    /// The CSV columns, in order.
    public static let csvColumns = [
        "family", "kernel", "shape", "dtype", "threads", "variant", "runs", "median_seconds", "min_seconds", "max_seconds",
        "spread", "flops", "bytes_read", "bytes_written", "samples", "bytes_per_second", "flops_per_second",
        "samples_per_second", "bound", "roofline_fraction", "yardstick_rate", "thread_scaling", "reference_speedup",
    ]

    /// One row per kernel result, after one row per machine probe (family `machine`; kernels
    /// `read-bandwidth`, `triad-bandwidth`, `peak-flops`; shape = bytes of the probe's (each) array). Empty cells where a
    /// figure does not apply. Numbers at full precision.
    public func csv() -> String {
        var rows = [Self.csvColumns]
        func cell(_ x: Double?) -> String { x.map { $0.isFinite ? String($0) : "" } ?? "" }
        func timing(_ t: TimingSummary) -> [String] {
            [String(t.samples.count), cell(t.median), cell(t.minimum), cell(t.maximum), cell(t.spread)]
        }
        for l in limits {
            rows.append(["machine", "read-bandwidth", cell(l.read.bytes), "float32", String(l.threads), "", ] + timing(l.read.timing)
                        + ["", cell(l.read.bytes), "0", "", cell(l.read.bytesPerSecond), "", "", "", "", "", "", ""])
            rows.append(["machine", "triad-bandwidth", cell(l.triad.bytes / 3), "float32", String(l.threads), ""] + timing(l.triad.timing)
                        + ["", cell(l.triad.bytes * 2 / 3), cell(l.triad.bytes / 3), "", cell(l.triad.bytesPerSecond), "", "", "", "", "", "", ""])
            rows.append(["machine", "peak-flops", "", "float32", String(l.threads), ""] + timing(l.peak.timing)
                        + ["", "", "", "", "", cell(l.peak.flopsPerSecond), "", "", "", "", "", ""])
        }
        for r in results {
            rows.append([r.family, r.kernel, r.shape.description, r.elementType.rawValue, String(r.threads), r.variant.rawValue]
                        + timing(r.timing)
                        + [cell(r.work.flops), cell(r.work.bytesRead), cell(r.work.bytesWritten), String(r.work.samples),
                           cell(r.bytesPerSecond), cell(r.flopsPerSecond), cell(r.samplesPerSecond), r.bound.rawValue,
                           cell(r.rooflineFraction), cell(r.yardstick?.rate), cell(r.threadScaling), cell(r.referenceSpeedup)])
        }
        return rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
