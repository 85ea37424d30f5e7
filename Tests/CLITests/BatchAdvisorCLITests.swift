import Foundation
import FoundationXML
import Testing

/// End to end through the built `batch-advisor` binary: every command, exit codes, JSON keys and values
/// against float64 references, reproducibility, error paths, SVG well-formedness.
@Suite struct BatchAdvisorCLITests {
    static let advisor = BinaryRunner(name: "batch-advisor")

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRunner.Run {
        try Self.advisor.run(arguments, environment: environment)
    }

    func json(_ run: BinaryRunner.Run) throws -> [String: Any] {
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    func number(_ object: Any?, _ path: String...) -> Double? {
        var current = object
        for key in path { current = (current as? [String: Any])?[key] }
        return (current as? NSNumber)?.doubleValue
    }

    /// A file of synthetic gradients and its references.
    func gradientsFile(rows: Int = 2_000, columns: Int = 48, seed: UInt64 = 1) throws -> (String, SyntheticGradients) {
        let g = SyntheticGradients(rows: rows, columns: columns, seed: seed)
        let path = temporaryPath("g.npy")
        try writeNpy(g.values, shape: [rows, columns], to: path)
        return (path, g)
    }

    // MARK: - demo

    @Test func demoIsTheDefaultAndPrintsTheReport() throws {
        let r = try run([])
        #expect(r.status == 0, "\(r.stderr)")
        for heading in ["Training", "Fisher information", "Critical batch", "Your batch B = 32", "Recommendation", "Layers", "Warnings"] {
            #expect(r.stdout.contains(heading), "\(heading)")
        }
        #expect(r.stderr.isEmpty)
    }

    /// Same seed, same numbers (also across thread counts); another seed, other numbers.
    @Test func demoIsReproducible() throws {
        let a = try run(["demo", "--epochs", "3", "--json", "--threads", "1"])
        let b = try run(["demo", "--epochs", "3", "--json", "--threads", "2"])
        let c = try run(["demo", "--epochs", "3", "--json", "--seed", "7"])
        let ja = try json(a), jb = try json(b), jc = try json(c)
        #expect(ja["fisher"] as? NSDictionary == jb["fisher"] as? NSDictionary)
        #expect(ja["training"] as? NSArray == jb["training"] as? NSArray)
        #expect(number(ja, "fisher", "trace") != number(jc, "fisher", "trace"))
        #expect(ja["samples"] as? Int == 1797 && ja["dimension"] as? Int == 4810)
        let training = try #require(ja["training"] as? [[String: Any]])
        #expect(training.map { $0["epoch"] as? Int } == [0, 1, 2, 3])
        #expect((ja["layers"] as? [[String: Any]])?.map { $0["name"] as? String } == ["fc1", "fc2"])
        // The loss falls as training proceeds.
        let losses = training.compactMap { $0["loss"] as? Double }
        #expect(losses.count == 4 && zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 })
    }

    // MARK: - analyze

    @Test func analyzeMatchesFloat64References() throws {
        let (path, g) = try gradientsFile()
        let j = try json(try run(["analyze", path, "--batch", "256", "--json", "--per-sample", "--diagonal"]))
        let f = g.figures()
        #expect(j["schema"] as? String == "fishertrace.batch-advisor" && j["version"] as? Int == 1)
        #expect(j["samples"] as? Int == 2_000 && j["dimension"] as? Int == 48)
        let close = { (a: Double?, b: Double, tol: Double) in a.map { abs($0 - b) <= tol * abs(b) } == true }
        #expect(close(number(j, "fisher", "trace"), f.trace, 1e-12))
        #expect(close(number(j, "fisher", "trace_stderr"), f.stderr, 1e-9))
        #expect(close(number(j, "fisher", "mean_gradient_norm_sq"), f.mean, 1e-11))
        #expect(close(number(j, "fisher", "trace_covariance"), f.covariance, 1e-11))
        #expect(close(number(j, "fisher", "gradient_norm_sq"), f.signal, 1e-9))
        #expect(close(number(j, "fisher", "noise_scale"), f.noiseScale, 1e-9))
        // Noise-scale B_crit, the regime figures and the recommendation follow from it.
        let bc = f.noiseScale
        #expect(close(number(j, "critical_batch", "value"), bc, 1e-9))
        #expect((j["critical_batch"] as? [String: Any])?["source"] as? String == "noise_scale")
        #expect(close(number(j, "critical_batch", "budget"), bc * f.trace, 1e-9))
        #expect(close(number(j, "batch", "efficiency"), min(1, bc / 256), 1e-9))
        #expect(close(number(j, "batch", "quality"), min(1, (bc / 256).squareRoot()), 1e-9))
        #expect((j["batch"] as? [String: Any])?["regime"] as? String == (256 > bc / 0.9 ? "gas" : 256 < bc * 0.9 ? "liquid" : "critical"))
        #expect(number(j, "recommendation", "batch") == (bc / 0.9).rounded(.down))
        let norms = try #require(j["per_sample_sq_norms"] as? [Double])
        #expect(norms.count == 2_000)
        for i in [0, 999, 1_999] {
            #expect(close(norms[i], (0..<48).reduce(0.0) { $0 + g.value(i, $1) * g.value(i, $1) }, 1e-13))
        }
        let diagonal = try #require(j["fisher_diagonal"] as? [Double])
        #expect(close(diagonal[5], (0..<2_000).reduce(0.0) { $0 + g.value($1, 5) * g.value($1, 5) } / 2_000, 1e-12))
        let warnings = try #require(j["warnings"] as? [[String: Any]])
        if bc < 0.8 * 256 {
            #expect(warnings.contains { $0["kind"] as? String == "low_efficiency" && ($0["message"] as? String)?.hasPrefix("Operating at ") == true })
        }
    }

    @Test func powerBudgetLayersAndMemory() throws {
        let (path, g) = try gradientsFile(seed: 2)
        let j = try json(try run(["analyze", path, "--p-max", "500", "--nu0", "2", "--layers", "w=40,b=8", "--batch", "64",
                                  "--memory", "1M", "--bytes-per-sample", "64K", "--json"]))
        let f = g.figures()
        #expect(abs(number(j, "critical_batch", "value")! - 500 / (2 * f.trace)) <= 1e-9 * 500 / (2 * f.trace))
        #expect((j["critical_batch"] as? [String: Any])?["source"] as? String == "power_budget")
        let layers = try #require(j["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["w", "b"])
        let w = g.figures(0..<40)
        #expect(abs((layers[0]["trace"] as? Double ?? 0) - w.trace) <= 1e-12 * w.trace)
        #expect(abs((layers[0]["critical_batch"] as? Double ?? 0) - 500 / (2 * w.trace)) <= 1e-9 * 500 / (2 * w.trace))
        // 1 MiB of memory at 64 KiB per sample holds 16 samples.
        let recommendation = try #require(j["recommendation"] as? [String: Any])
        #expect(recommendation["memory_limit"] as? Double == 16)
        if 500 / (2 * f.trace) / 0.9 > 16 {
            #expect(recommendation["constraint"] as? String == "memory" && recommendation["batch"] as? Int == 16)
            let plan = try #require(recommendation["accumulation"] as? [String: Any])
            #expect((plan["micro_batch"] as? Int ?? 0) <= 16 && (plan["effective_batch"] as? Int ?? 0) >= (plan["target_batch"] as? Int ?? .max))
        }
    }

    /// Shards, a saved state merged, and one file agree: tr(I_F) to the bit.
    @Test func shardsAndMergedStatesEqualOneFile() throws {
        let g = SyntheticGradients(rows: 900, columns: 20, seed: 3)
        let whole = temporaryPath("whole.npy"), a = temporaryPath("a.npy"), b = temporaryPath("b.npy")
        try writeNpy(g.values, shape: [900, 20], to: whole)
        try writeNpy(Array(g.values[0..<(300 * 20)]), shape: [300, 20], to: a)
        try writeNpy(Array(g.values[(300 * 20)...]), shape: [600, 20], to: b)
        let one = try json(try run(["analyze", whole, "--json"]))
        let shards = try json(try run(["analyze", a, b, "--json"]))
        #expect(number(one, "fisher", "trace") == number(shards, "fisher", "trace"))
        let sa = temporaryPath("a.state"), sb = temporaryPath("b.state")
        _ = try json(try run(["analyze", a, "--save-state", sa, "--json"]))
        _ = try json(try run(["analyze", b, "--save-state", sb, "--json"]))
        let merged = try json(try run(["merge", sb, sa, "--json"]))
        #expect(number(merged, "fisher", "trace") == number(one, "fisher", "trace"))
        let noise = try #require(number(one, "fisher", "noise_scale"))
        #expect(abs(number(merged, "fisher", "noise_scale")! - noise) <= 1e-10 * noise)
    }

    @Test func precisionSamplingReadsFewerRows() throws {
        let (path, g) = try gradientsFile(rows: 5_000, columns: 64, seed: 4)
        let j = try json(try run(["analyze", path, "--precision", "0.02", "--json"]))
        let input = try #require(j["input"] as? [String: Any])
        let read = try #require(input["rows_read"] as? Int)
        #expect(input["sampled"] as? Bool == true && read < 5_000 && read >= 32)
        #expect((input["relative_half_width"] as? Double ?? 1) <= 0.02)
        let trace = try #require(number(j, "fisher", "trace"))
        #expect(abs(trace - g.figures().trace) < 4 * number(j, "fisher", "trace_stderr")!)
    }

    /// FISHERTRACE_ISA forces a variant and OMP_NUM_THREADS sets the threads; the report says which ran,
    /// and the figures agree.
    @Test func environmentChoosesVariantAndThreads() throws {
        let (path, _) = try gradientsFile(seed: 7)
        let auto = try json(try run(["analyze", path, "--json"]))
        let forced = try json(try run(["analyze", path, "--json"], environment: ["FISHERTRACE_ISA": "portable", "OMP_NUM_THREADS": "1"]))
        let input = try #require(forced["input"] as? [String: Any])
        #expect(input["kernel"] as? String == "portable" && input["threads"] as? Int == 1)
        let trace = try #require(number(auto, "fisher", "trace"))
        #expect(abs(number(forced, "fisher", "trace")! - trace) <= 1e-13 * trace)
    }

    // MARK: - noise

    @Test func noiseLogGivesTheTwoBatchEstimate() throws {
        // Exact expectations: |G|² = 2, tr(Σ) = 200 at every step, so B_simple = 100.
        var csv = "# synthetic\nstep,b_small,g_small_sq,b_big,g_big_sq\n"
        for step in 1...50 { csv += "\(step * 10),8,\(2 + 200.0 / 8),64,\(2 + 200.0 / 64)\n" }
        let log = temporaryPath("log.csv")
        try csv.write(toFile: log, atomically: true, encoding: .utf8)
        let j = try json(try run(["noise", "--log", log, "--monotone", "--micro-batch", "16", "--json"]))
        #expect(abs(number(j, "noise_scale")! - 100) < 1e-9)
        #expect(abs(number(j, "critical_batch", "value")! - 100) < 1e-9)
        let schedule = try #require(j["schedule"] as? [[String: Any]])
        #expect(schedule.count == 50)
        let batches = schedule.compactMap { $0["batch"] as? Int }
        #expect(batches.allSatisfy { $0 == 96 })  // ⌊(100/0.9)/16⌋·16
        let text = try run(["noise", "--log", log])
        #expect(text.status == 0 && text.stdout.contains("Batch schedule"))
    }

    // MARK: - errors

    @Test func usageErrorsExit64WithOneLine() throws {
        let cases: [[String]] = [
            ["analyze"], ["analyze", "x.npy", "--batch", "zero"], ["analyze", "x.npy", "--no-such-option"],
            ["analyze", "x.npy", "--memory", "1G"], ["noise"], ["frobnicate"], ["analyze", "x.npy", "--tolerance", "1.5"],
        ]
        for arguments in cases {
            let r = try run(arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.stdout.isEmpty)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("batch-advisor: error: ") && lines[0].contains("--help"), "\(r.stderr)")
        }
    }

    @Test func dataErrorsExit1NamingTheFile() throws {
        let missing = temporaryPath("missing.npy")
        var r = try run(["analyze", missing])
        #expect(r.status == 1 && r.stderr.hasPrefix("batch-advisor: error: \(missing): ") && r.stdout.isEmpty)
        let text = temporaryPath("not.npy")
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        r = try run(["analyze", text])
        #expect(r.status == 1 && r.stderr.hasPrefix("batch-advisor: error: \(text): "))
        #expect(r.stderr.split(separator: "\n").count == 1)
        var values = SyntheticGradients(rows: 10, columns: 4, seed: 5).values
        values[6 * 4 + 1] = .nan
        let nan = temporaryPath("nan.npy")
        try writeNpy(values, shape: [10, 4], to: nan)
        r = try run(["analyze", nan, "--json"])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr == "batch-advisor: error: \(nan): row 6 holds a NaN or infinite value (expected finite gradients)\n")
        let state = temporaryPath("bad.state")
        try "{\"format\": 1}".write(toFile: state, atomically: true, encoding: .utf8)
        r = try run(["merge", state])
        #expect(r.status == 1 && r.stderr.hasPrefix("batch-advisor: error: \(state): "))
        let log = temporaryPath("bad.csv")
        try "b_small,g_small_sq,b_big,g_big_sq\n8,1,4,1\n".write(toFile: log, atomically: true, encoding: .utf8)
        r = try run(["noise", "--log", log])
        #expect(r.status == 1 && r.stderr.hasPrefix("batch-advisor: error: \(log): "))
    }

    /// A failed run leaves an existing output file alone.
    @Test func failedRunsLeaveOutputFilesAlone() throws {
        let plot = temporaryPath("keep.svg")
        try "keep".write(toFile: plot, atomically: true, encoding: .utf8)
        let r = try run(["analyze", temporaryPath("missing.npy"), "--plot", plot, "--save-state", plot])
        #expect(r.status == 1)
        #expect(try String(contentsOfFile: plot, encoding: .utf8) == "keep")
    }

    // MARK: - help, version, plot

    @Test func helpOnEveryCommandWithAnExample() throws {
        for command in ["demo", "analyze", "noise", "merge"] {
            let r = try run([command, "--help"])
            #expect(r.status == 0 && r.stdout.contains(command) && r.stdout.lowercased().contains("example"), "\(command)")
        }
        let top = try run(["--help"])
        #expect(top.status == 0 && ["demo", "analyze", "noise", "merge"].allSatisfy { top.stdout.contains($0) })
        let version = try run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("batch-advisor "))
    }

    /// The SVG parses as XML and holds the curves, the regimes and B_crit.
    @Test func plotsAreWellFormedSVG() throws {
        let (path, _) = try gradientsFile(seed: 6)
        for arguments in [["analyze", path, "--batch", "300"], ["demo", "--epochs", "2"]] {
            let svg = temporaryPath("plot.svg")
            let r = try run(arguments + ["--plot", svg])
            #expect(r.status == 0, "\(r.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: svg))
            let collector = ElementCollector()
            let parser = XMLParser(data: data)
            parser.delegate = collector
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            #expect(collector.names.first == "svg")
            #expect(collector.names.filter { $0 == "polyline" }.count >= 4)
            #expect(collector.texts.contains { $0.hasPrefix("B_crit = ") })
            #expect(["liquid", "critical", "gas"].allSatisfy(collector.texts.contains))
        }
    }
}

/// Element names and text content of an XML document, in order.
final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var texts: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names.append(name)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        let t = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if !t.isEmpty { texts.append(t) }
    }
}
