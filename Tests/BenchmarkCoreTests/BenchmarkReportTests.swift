import CommandLineSupport
import Foundation
import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct BenchmarkReportTests {
    /// A real run on tiny inputs: every family, reference and optimized, at 1 and 2 threads.
    static let settings: BenchmarkSettings = {
        var settings = BenchmarkSettings(quick: true, machine: .current())
        settings.shapes = [Shape([64, 48]), Shape([3, 4, 8, 5])]
        settings.elementTypes = [.float32, .float16]
        settings.threads = Compute.openMPEnabled ? [1, 2] : [1]
        settings.plan = MeasurementPlan(warmups: 1, runs: 3, minimumRunSeconds: 0)
        settings.referencePlan = MeasurementPlan(warmups: 1, runs: 2, minimumRunSeconds: 0)
        (settings.readArrayBytes, settings.triadArrayBytes) = (1 << 16, 1 << 14)
        return settings
    }()
    static let report: BenchmarkReport = try! BenchmarkRunner(settings: settings, version: "9.9.9").run()

    /// The report's results for one kernel on one input type: the reference twin, then one per thread count.
    static func rows(_ kernel: String, _ dtype: ElementType) -> [KernelResult] {
        report.results.filter { $0.kernel == kernel && $0.elementType == dtype }
    }

    @Test func resultsCoverEveryKernelAtEveryThreadCountNextToItsReference() {
        let r = Self.report
        let threads = r.limits.map(\.threads)
        let inputs = Self.settings.inputs()
        #expect(inputs.count == 2 * 2 + 4)  // moments and npy-file in both types; fisher-block, gram, ghost, kfac in float32
        #expect(r.results.count == inputs.reduce(0) { $0 + $1.family.kernels.count } * (1 + threads.count))
        for input in inputs {
            for kernel in input.family.kernels {
                let rows = Self.rows(kernel, input.elementType)
                #expect(rows.map(\.threads) == [1] + threads, "\(kernel)")
                #expect(rows.allSatisfy { $0.shape == input.shape && $0.family == input.family.name })
                #expect(rows.first?.variant == .reference && rows.first?.referenceSpeedup == nil && rows.first?.threadScaling == nil)
                for row in rows.dropFirst() {
                    #expect(row.variant == r.variant && row.variant != .reference)
                    // Tiny inputs: the twin ran on the whole input, so the rate ratio is the time ratio.
                    let speedup = rows[0].timing.median / row.timing.median
                    #expect(abs(row.referenceSpeedup! - speedup) <= 1e-12 * speedup)
                }
                #expect(rows[1].threadScaling == 1)
            }
        }
    }

    @Test func ratesFollowFromWorkAndMedian() throws {
        let row = try #require(Self.rows("moments", .float32).dropFirst().first)
        #expect(row.bytesPerSecond == row.work.bytes / row.timing.median)
        #expect(row.flopsPerSecond == row.work.flops / row.timing.median)
        #expect(row.samplesPerSecond == 64 / row.timing.median)
        // The roofline: the machine limits at 1 thread, with the binding one re-measured next to the kernel.
        let yardstick = try #require(row.yardstick)
        let limits = try #require(Self.report.limits(threads: 1)).roofline
        #expect(yardstick.bound == limits.limit(for: row.work).bound && row.bound == yardstick.bound)
        #expect(yardstick.timing.samples.count == row.timing.samples.count)
        let roofline = limits.replacing(yardstick.bound, with: yardstick.rate)
        #expect(row.rooflineFraction == roofline.fraction(of: row.work, seconds: row.timing.median))
        // The reference twin is judged against the 1-thread limits.
        let reference = try #require(Self.rows("moments", .float32).first)
        #expect(reference.yardstick == nil && reference.rooflineFraction == limits.fraction(of: reference.work, seconds: reference.timing.median))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let text = Self.report.json().rendered()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "tool", "version", "mode", "build", "machine", "settings", "load_average",
                                     "wall_seconds", "limits", "results"])
        #expect(object["schema_version"] as? Int == 1 && object["tool"] as? String == "fisher-bench" && object["version"] as? String == "9.9.9")
        let limits = try #require(object["limits"] as? [[String: Any]])
        #expect(Set(limits[0].keys) == ["threads", "read", "triad", "clock", "peak"])
        let clock = try #require(limits[0]["clock"] as? [String: Any])
        #expect(Set(clock.keys) == ["hertz", "cycles_per_call", "timing"])
        let peak = try #require(limits[0]["peak"] as? [String: Any])
        #expect(Set(peak.keys) == ["flops_per_call", "flops_per_second", "flops_per_cycle", "timing"])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == Self.report.results.count)
        let keys: Set = ["family", "kernel", "shape", "dtype", "threads", "variant", "work", "timing", "bytes_per_second",
                         "flops_per_second", "samples_per_second", "bound", "roofline_fraction", "yardstick", "thread_scaling", "reference_speedup"]
        for result in results { #expect(Set(result.keys) == keys) }
        let reference = results[0]
        #expect(reference["variant"] as? String == "reference")
        #expect(reference["thread_scaling"] is NSNull && reference["reference_speedup"] is NSNull && reference["yardstick"] is NSNull)
        #expect(reference["shape"] as? [Int] == [64, 48])
        let yardstick = try #require(results[1]["yardstick"] as? [String: Any])
        #expect(Set(yardstick.keys) == ["bound", "rate_per_second", "timing"])
        let timing = try #require(reference["timing"] as? [String: Any])
        #expect(Set(timing.keys) == ["median_seconds", "min_seconds", "max_seconds", "spread", "runs", "warmups", "calls_per_run", "samples_seconds"])
        #expect((timing["samples_seconds"] as? [Double])?.count == 2)
        #expect(results.contains { $0["shape"] as? [Int] == [3, 4, 8, 5] && $0["kernel"] as? String == "ghost-materialize" })
        // Key order is the declared order.
        #expect(text.range(of: "\"schema_version\"")!.lowerBound < text.range(of: "\"results\"")!.lowerBound)
    }

    @Test func csvHasOneRowPerMeasurementAndEqualWidths() {
        let lines = Self.report.csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        let rows = lines.dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows[0].map(String.init) == BenchmarkReport.csvColumns)
        #expect(rows.count == 1 + 3 * Self.report.limits.count + Self.report.results.count)
        #expect(rows.allSatisfy { $0.count == BenchmarkReport.csvColumns.count })
        #expect(rows[1].prefix(2) == ["machine", "read-bandwidth"])
    }

    @Test func tableShowsEveryResultAndTheMethods() {
        let table = Self.report.table()
        #expect(table.hasPrefix("fisher-bench 9.9.9 · quick · "))
        #expect(table.contains("Machine limits") && table.contains("read GB/s") && table.contains("peak GFLOP/s"))
        #expect(table.contains("×reference") && table.contains("Flops per call: moments: 3·N·D"))
        #expect(table.contains("kfac: N·T·(d_in(d_in+1) + d_out(d_out+1))"))
        let kernels = Set(KernelFamilies.all.flatMap(\.kernels))
        let kernelRows = table.split(separator: "\n").filter { kernels.contains(String($0.prefix { $0 != " " })) }
        #expect(kernelRows.count == Self.report.results.count)
    }
}
