import Foundation
import Testing

/// `batch-advisor ghost`: ghost norms from layer inputs give the figures of the explicit per-sample
/// gradients, in float64 references, and agree with `analyze` on the materialized gradients.
@Suite struct GhostCLITests {
    static let advisor = BinaryRunner(name: "batch-advisor")

    /// A linear layer's A (N×T×d_in) and Δ (N×T×d_out), seeded, and the explicit per-sample gradients
    /// [vec(Σ_t δ_t a_tᵀ) | Σ_t δ_t] in float64.
    struct Layer {
        let n: Int, t: Int, din: Int, dout: Int
        var a: [Float] = [], d: [Float] = []

        init(n: Int, t: Int, din: Int, dout: Int, seed: UInt64) {
            (self.n, self.t, self.din, self.dout) = (n, t, din, dout)
            let g = SyntheticGradients(rows: n * t, columns: din + dout, seed: seed, signal: 0.3, noise: 1)
            for row in 0..<(n * t) {
                for j in 0..<din { a.append(g.values[row * (din + dout) + j]) }
                for j in 0..<dout { d.append(0.1 * g.values[row * (din + dout) + din + j] + 0.02) }
            }
        }

        func gradient(_ i: Int) -> [Double] {
            var w = [Double](repeating: 0, count: dout * din), b = [Double](repeating: 0, count: dout)
            for s in 0..<t {
                for o in 0..<dout {
                    let delta = Double(d[(i * t + s) * dout + o])
                    b[o] += delta
                    for k in 0..<din { w[o * din + k] += delta * Double(a[(i * t + s) * din + k]) }
                }
            }
            return w + b
        }
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try Self.advisor.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func fisher(_ j: [String: Any], _ key: String) -> Double? { (j["fisher"] as? [String: Any])?[key] as? Double }

    @Test(arguments: [(5, "auto"), (5, "gram"), (5, "materialize"), (1, "auto")])
    func ghostMatchesExplicitPerSampleGradients(tokens: Int, method: String) throws {
        let layer = Layer(n: 240, t: tokens, din: 12, dout: 7, seed: UInt64(tokens))
        let a = temporaryPath("a.npy"), d = temporaryPath("d.npy"), g = temporaryPath("g.npy")
        try writeNpy(layer.a, shape: [240, tokens, 12], to: a)
        try writeNpy(layer.d, shape: [240, tokens, 7], to: d)
        let rows = (0..<240).map(layer.gradient)
        let j = try json(["ghost", "--activations", a, "--backprops", d, "--bias", "--method", method, "--json", "--per-sample"])
        // float64 references from the explicit gradients.
        let norms = rows.map { $0.reduce(0) { $0 + $1 * $1 } }
        let trace = norms.reduce(0, +) / 240
        let mean = (0..<rows[0].count).map { c in rows.reduce(0) { $0 + $1[c] } / 240 }
        let meanSq = mean.reduce(0) { $0 + $1 * $1 }
        let covariance = 240.0 / 239 * (trace - meanSq)
        let signal = meanSq - covariance / 240
        #expect(abs(fisher(j, "trace")! - trace) <= 1e-5 * trace)
        #expect(abs(fisher(j, "trace_covariance")! - covariance) <= 1e-5 * covariance)
        #expect(abs(fisher(j, "noise_scale")! - covariance / signal) <= 1e-4 * covariance / signal)
        let perSample = try #require(j["per_sample_sq_norms"] as? [Double])
        let weight = try #require(j["weight_sq_norms"] as? [Double]), bias = try #require(j["bias_sq_norms"] as? [Double])
        for i in [0, 100, 239] {
            #expect(abs(perSample[i] - norms[i]) <= 1e-5 * norms[i])
            #expect(abs(weight[i] + bias[i] - perSample[i]) <= 1e-12 * perSample[i])
        }
        let methods = try #require(j["methods"] as? [[String: Any]])
        #expect(methods.count == 1 && methods[0]["tokens"] as? Int == tokens)
        if method != "auto" { #expect(methods[0]["algorithm"] as? String == method) }
        // analyze on the materialized gradients (float32) agrees to float32 rounding.
        try writeNpy(rows.flatMap { $0.map(Float.init) }, shape: [240, rows[0].count], to: g)
        let explicit = try json(["analyze", g, "--json"])
        #expect(abs(fisher(explicit, "trace")! - fisher(j, "trace")!) <= 1e-5 * trace)
    }

    /// One safetensors file with two layers' pairs: the per-layer split, each layer as if alone.
    @Test func safetensorsPairsGiveTheLayerBreakdown() throws {
        let fc1 = Layer(n: 150, t: 1, din: 9, dout: 6, seed: 11), fc2 = Layer(n: 150, t: 1, din: 6, dout: 3, seed: 12)
        let file = temporaryPath("pairs.safetensors")
        try writeSafetensors([
            ("fc1.activations", [150, 9], fc1.a), ("fc1.backprops", [150, 6], fc1.d),
            ("fc2.activations", [150, 6], fc2.a), ("fc2.backprops", [150, 3], fc2.d),
        ], to: file)
        let j = try json(["ghost", file, "--bias", "--kfac", "--json"])
        let layers = try #require(j["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["fc1", "fc2"])
        #expect(layers.map { ($0["columns"] as? [Int]) } == [[0, 60], [60, 81]])
        for (k, layer) in [fc1, fc2].enumerated() {
            let trace = (0..<150).map { layer.gradient($0).reduce(0) { $0 + $1 * $1 } }.reduce(0, +) / 150
            #expect(abs((layers[k]["trace"] as? Double ?? 0) - trace) <= 1e-5 * trace)
        }
        let kfac = try #require(j["kfac"] as? [[String: Any]])
        // T = 1: tr(A)·tr(S) = mean(‖ã‖²)·mean(‖δ‖²).
        let a2 = (0..<150).map { i in 1 + (0..<9).reduce(0.0) { $0 + Double(fc1.a[i * 9 + $1]) * Double(fc1.a[i * 9 + $1]) } }
        let d2 = (0..<150).map { i in (0..<6).reduce(0.0) { $0 + Double(fc1.d[i * 6 + $1]) * Double(fc1.d[i * 6 + $1]) } }
        let kron = a2.reduce(0, +) / 150 * d2.reduce(0, +) / 150
        #expect(abs((kfac[0]["kronecker_trace"] as? Double ?? 0) - kron) <= 1e-5 * kron)
    }

    @Test func badGhostInputsAreOneLineErrors() throws {
        let a = temporaryPath("a.npy"), d = temporaryPath("d.npy")
        try writeNpy([Float](repeating: 1, count: 20), shape: [10, 2], to: a)
        try writeNpy([Float](repeating: 1, count: 27), shape: [9, 3], to: d)
        var r = try Self.advisor.run(["ghost", "--activations", a, "--backprops", d])
        #expect(r.status == 1 && r.stderr.hasPrefix("batch-advisor: error: \(d): field 'shape' is [9, 3]"))
        r = try Self.advisor.run(["ghost", "--activations", a])
        #expect(r.status == 64 && r.stderr.contains("(see 'batch-advisor ghost --help')"))
        var values = [Float](repeating: 1, count: 30)
        values[7 * 3 + 1] = .infinity
        try writeNpy(values, shape: [10, 3], to: d)
        r = try Self.advisor.run(["ghost", "--activations", a, "--backprops", d])
        #expect(r.status == 1 && r.stderr.contains("sample 7") && r.stdout.isEmpty)
    }
}
