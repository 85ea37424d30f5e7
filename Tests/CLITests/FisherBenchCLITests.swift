import Foundation
import Testing

/// End to end through the built `fisher-bench` binary: structure and exit codes, never speed.
@Suite struct FisherBenchCLITests {
    static let bench = BinaryRunner(name: "fisher-bench")

    static func run(_ arguments: [String]) throws -> BinaryRunner.Run { try bench.run(arguments) }

    @Test func quickJSONRunHasTheDocumentedStructure() throws {
        let run = try Self.run(["--quick", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)  // no progress bar when stderr is not a terminal
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["schema_version"] as? Int == 1 && json["tool"] as? String == "fisher-bench" && json["mode"] as? String == "quick")
        let settings = try #require(json["settings"] as? [String: Any])
        let threads = try #require(settings["threads"] as? [Int])
        #expect(threads.first == 1)
        let limits = try #require(json["limits"] as? [[String: Any]])
        #expect(limits.compactMap { $0["threads"] as? Int } == threads)
        for limit in limits {
            for probe in ["read", "triad"] {
                let rate = (limit[probe] as? [String: Any])?["bytes_per_second"] as? Double
                #expect(rate.map { $0 > 0 && $0.isFinite } == true, "\(probe)")
            }
            #expect(((limit["peak"] as? [String: Any])?["flops_per_second"] as? Double).map { $0 > 0 } == true)
            #expect(((limit["clock"] as? [String: Any])?["hertz"] as? Double).map { $0 > 0 } == true)
        }
        let results = try #require(json["results"] as? [[String: Any]])
        // Every kernel family, each kernel on each of its quick shapes: the reference twin, then every thread count.
        let kernels = ["moments", "moments+diagonal", "npy+moments", "fisher-block", "gram", "ghost-gram", "ghost-materialize", "kfac"]
        #expect(Set(results.compactMap { $0["kernel"] as? String }) == Set(kernels))
        var groups: [[[String: Any]]] = []
        for row in results {
            if row["variant"] as? String == "reference" { groups.append([row]) } else { groups[groups.count - 1].append(row) }
        }
        #expect(groups.count == 10)  // ghost has two quick shapes
        for rows in groups {
            let kernel = rows[0]["kernel"] as? String ?? "?"
            #expect(rows.allSatisfy { $0["kernel"] as? String == kernel && $0["dtype"] as? String == "float32" })
            #expect(rows.compactMap { $0["threads"] as? Int } == [1] + threads, "\(kernel)")
            #expect(rows.dropFirst().allSatisfy { ($0["variant"] as? String).map { $0 != "reference" && $0 != "auto" } == true })
            #expect(rows.dropFirst().allSatisfy { ($0["reference_speedup"] as? Double).map { $0 > 0 } == true })
            #expect(rows[0]["reference_speedup"] is NSNull && rows[0]["thread_scaling"] is NSNull && rows[0]["yardstick"] is NSNull)
            #expect(rows.dropFirst().first?["thread_scaling"] as? Double == 1)
            for row in rows {
                for key in ["bytes_per_second", "flops_per_second", "samples_per_second", "roofline_fraction"] {
                    #expect((row[key] as? Double).map { $0 > 0 && $0.isFinite } == true, "\(kernel) \(key)")
                }
                #expect(["read_bandwidth", "triad_bandwidth", "peak_flops"].contains(row["bound"] as? String ?? ""))
                #expect(((row["timing"] as? [String: Any])?["runs"] as? Int) == 3)
            }
        }
        for row in results where ["moments", "moments+diagonal", "npy+moments"].contains(row["kernel"] as? String ?? "") {
            #expect(row["shape"] as? [Int] == [16384, 2048] && row["bound"] as? String == "read_bandwidth")
            #expect((row["work"] as? [String: Any])?["bytes_read"] as? Double == Double(16384 * 2048 * 4))
        }
        for row in results where row["kernel"] as? String == "fisher-block" && row["variant"] as? String != "reference" {
            #expect(row["shape"] as? [Int] == [2048, 512])  // (its bound depends on the build: debug probes are slow)
            #expect((row["work"] as? [String: Any])?["flops"] as? Double == Double(2048 * 512 * 513))
        }
    }

    @Test func csvGoesToTheOutputFileAndNothingToStdout() throws {
        let path = temporaryPath("bench.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Self.run(["--quick", "--kernels", "moments", "--shapes", "64x32", "--threads", "1", "--csv", "--output", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("family,kernel,shape,dtype,threads,variant,runs,median_seconds") == true)
        #expect(lines.count == 1 + 3 + 2 * 2)  // header, three probes, two kernels × (reference + 1 thread)
    }

    @Test func usageErrorsExit64WithOneLineAndLeaveTheOutputAlone() throws {
        let path = temporaryPath("keep.json")
        try "keep".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cases: [([String], String)] = [
            (["--threads", "0"], "--threads: invalid item '0' in '0' (expected an integer ≥ 1)"),
            (["--json", "--csv", "--output", path], "--json and --csv exclude each other"),
            (["--shapes", "12x"], "--shapes: invalid shape '12x' (expected dimensions ≥ 1 joined by 'x', such as 65536x4096)"),
            (["--jsno"], "unknown option '--jsno' (did you mean '--json'?)"),
            (["extra"], "unexpected argument 'extra' (this command takes only options)"),
        ]
        for (arguments, message) in cases {
            let run = try Self.run(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr == "fisher-bench: error: \(message) (see 'fisher-bench --help')\n")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
    }

    @Test func anInputTooLargeForThisMachineExits1() throws {
        let run = try Self.run(["--shapes", "1000000000x100000"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("fisher-bench: error: shape 1000000000x100000 float32 needs "))
        #expect(run.stderr.hasSuffix("half of this machine's memory)\n"))
    }

    @Test func helpAndVersionExit0() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.contains("Usage: fisher-bench [options]") && help.stdout.contains("--kernels"))
        let version = try Self.run(["--version"])
        #expect(version.status == 0 && version.stdout == "fisher-bench 0.1.0\n")
    }
}
