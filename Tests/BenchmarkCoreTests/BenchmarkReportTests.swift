import CommandLineSupport
import Foundation
import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct BenchmarkReportTests {
    /// A real run on tiny inputs: every kernel of every family, reference and optimized, at 1 and 2 threads.
    static let report: BenchmarkReport = {
        var settings = BenchmarkSettings(quick: true, machine: .current())
        settings.shapes = [Shape([64, 48])]
        settings.elementTypes = [.float32, .float16]
        settings.threads = Compute.openMPEnabled ? [1, 2] : [1]
        settings.plan = MeasurementPlan(warmups: 1, runs: 3, minimumRunSeconds: 0)
        settings.referencePlan = MeasurementPlan(warmups: 1, runs: 2, minimumRunSeconds: 0)
        (settings.readArrayBytes, settings.triadArrayBytes) = (1 << 16, 1 << 14)
        return try! BenchmarkRunner(settings: settings, version: "9.9.9").run()
    }()

    @Test func resultsCoverEveryKernelAtEveryThreadCountNextToItsReference() {
        let r = Self.report
        let threads = r.limits.map(\.threads)
        let kernels = KernelFamilies.all.flatMap(\.kernels)
        #expect(r.results.count == kernels.count * 2 * (1 + threads.count))
        for kernel in kernels {
            for dtype in [ElementType.float32, .float16] {
                let rows = r.results.filter { $0.kernel == kernel && $0.elementType == dtype }
                #expect(rows.map(\.threads) == [1] + threads)
                #expect(rows.first?.variant == .reference && rows.first?.referenceSpeedup == nil && rows.first?.threadScaling == nil)
                for row in rows.dropFirst() {
                    #expect(row.variant == r.variant && row.variant != .reference)
                    let reference = rows[0].timing.median
                    #expect(row.referenceSpeedup == reference / row.timing.median)
                }
                #expect(rows[1].threadScaling == 1)
            }
        }
    }

    @Test func ratesFollowFromWorkAndMedian() throws {
        let row = try #require(Self.report.results.first { $0.kernel == "moments" && $0.threads == 1 && $0.variant != .reference })
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
        let reference = try #require(Self.report.results.first { $0.kernel == "moments" && $0.variant == .reference })
        #expect(reference.yardstick == nil && reference.rooflineFraction == limits.fraction(of: reference.work, seconds: reference.timing.median))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let text = Self.report.json().rendered()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "tool", "version", "mode", "build", "machine", "settings", "load_average",
                                     "wall_seconds", "limits", "results"])
        #expect(object["schema_version"] as? Int == 1 && object["tool"] as? String == "fisher-bench" && object["version"] as? String == "9.9.9")
        let limits = try #require(object["limits"] as? [[String: Any]])
        #expect(Set(limits[0].keys) == ["threads", "read", "triad", "clock"])
        let clock = try #require(limits[0]["clock"] as? [String: Any])
        #expect(Set(clock.keys) == ["hertz", "cycles_per_call", "flops_per_cycle", "flops_basis", "peak_flops_per_second", "timing"])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == Self.report.results.count)
        let keys: Set = ["family", "kernel", "shape", "dtype", "threads", "variant", "work", "timing", "bytes_per_second",
                         "flops_per_second", "samples_per_second", "bound", "roofline_fraction", "yardstick", "thread_scaling", "reference_speedup"]
        for result in results { #expect(Set(result.keys) == keys) }
        let reference = results[0]
        #expect(reference["variant"] as? String == "reference")
        #expect(reference["thread_scaling"] is NSNull && reference["reference_speedup"] is NSNull && reference["yardstick"] is NSNull)
        let yardstick = try #require(results[1]["yardstick"] as? [String: Any])
        #expect(Set(yardstick.keys) == ["bound", "rate_per_second", "timing"])
        #expect(reference["shape"] as? [Int] == [64, 48])
        let timing = try #require(reference["timing"] as? [String: Any])
        #expect(Set(timing.keys) == ["median_seconds", "min_seconds", "max_seconds", "spread", "runs", "warmups", "calls_per_run", "samples_seconds"])
        #expect((timing["samples_seconds"] as? [Double])?.count == 2)
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
        #expect(table.contains("npy+moments       64x48  float16"))
        let kernelRows = table.split(separator: "\n").filter { $0.hasPrefix("moments") || $0.hasPrefix("npy+") }
        #expect(kernelRows.count == Self.report.results.count)
    }
}
