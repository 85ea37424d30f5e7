import Foundation
import Testing
@testable import Advisor
@testable import FisherTrace

/// The demo's data, model and measurement: the bundled digits decode, backprop is the gradient, and the
/// ghost path at T = 1 gives the statistics of the explicit per-sample gradients.
@Suite struct DemoModelTests {
    @Test func bundledDigitsDecode() {
        let data = DigitsDataSet.bundled
        #expect(data.count == 1_797 && data.features.count == 1_797 * 64)
        #expect(data.features.allSatisfy { $0 >= 0 && $0 <= 1 })
        let counts = (0..<10).map { c in data.labels.filter { $0 == c }.count }
        #expect(counts.allSatisfy { (174...183).contains($0) }, "\(counts)")  // the UCI test set's class sizes
        #expect(data.labels.prefix(10) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    /// Per-sample gradients δ aᵀ against central finite differences of that sample's loss.
    @Test func backpropIsTheGradient() {
        let data = DigitsDataSet.bundled
        let model = TinyMLP(inputs: 64, hiddenUnits: 16, classes: 10, seed: 3)
        let x = Array(data.features[(5 * 64)..<(6 * 64)]), y = [data.labels[5]]
        let p = model.pass(features: x, labels: y)
        func loss(_ m: TinyMLP) -> Double { m.pass(features: x, labels: y).loss }
        let h = 1e-6
        for (o, k) in [(0, 10), (7, 33), (15, 63)] {
            var plus = model, minus = model
            plus.hidden.weight[o * 64 + k] += h
            minus.hidden.weight[o * 64 + k] -= h
            let numeric = (loss(plus) - loss(minus)) / (2 * h)
            #expect(abs(numeric - p.hiddenDeltas[o] * p.inputs[k]) < 1e-7)
        }
        for (o, k) in [(0, 0), (9, 15)] {
            var plus = model, minus = model
            plus.output.weight[o * 16 + k] += h
            minus.output.weight[o * 16 + k] -= h
            #expect(abs((loss(plus) - loss(minus)) / (2 * h) - p.outputDeltas[o] * p.hiddenActivations[k]) < 1e-7)
        }
    }

    /// The ghost path equals the moments kernel over the materialized N×D per-sample gradients.
    @Test func ghostMeasurementEqualsMaterializedGradients() throws {
        var options = DemoTraining.Options()
        options.epochs = 1
        options.checkpoints = [1]
        options.hiddenUnits = 16
        let checkpoint = try #require(try DemoTraining(options: options).run().first)
        // Rebuild the model at that point and materialize its per-sample gradients.
        var model = TinyMLP(inputs: 64, hiddenUnits: 16, classes: 10, seed: options.seed)
        var generator = SeededGenerator(seed: options.seed &+ 1)
        var order = Array(0..<1_797)
        order.shuffle(using: &generator)
        let data = DigitsDataSet.bundled
        for start in stride(from: 0, to: 1_797, by: options.batch) {
            let batch = order[start..<min(1_797, start + options.batch)]
            model.sgdStep(features: batch.flatMap { data.features[($0 * 64)..<(($0 + 1) * 64)] },
                          labels: batch.map { data.labels[$0] }, learningRate: options.learningRate)
        }
        let p = model.pass(features: data.features, labels: data.labels)
        let layers = DemoTraining.layers(hiddenUnits: 16)
        let d = layers.last!.columns.upperBound
        var g = [Double](repeating: 0, count: 1_797 * d)
        for i in 0..<1_797 {
            var c = i * d
            for (layer, a, delta) in [(model.hidden, p.inputs, p.hiddenDeltas), (model.output, p.hiddenActivations, p.outputDeltas)] {
                for o in 0..<layer.outputs { for k in 0..<layer.inputs { g[c + o * layer.inputs + k] = delta[i * layer.outputs + o] * a[i * layer.inputs + k] } }
                c += layer.outputs * layer.inputs
                for o in 0..<layer.outputs { g[c + o] = delta[i * layer.outputs + o] }
                c += layer.outputs
            }
        }
        var explicit = FisherAccumulator(dimension: d, layers: layers)
        try g.withUnsafeBufferPointer { try explicit.update(MatrixView($0, rows: 1_797, columns: d)) }
        let reference = try explicit.finalize(), ghost = checkpoint.statistics
        #expect(abs(ghost.trace - reference.trace) <= 1e-12 * reference.trace)
        #expect(abs(ghost.noiseScale! - reference.noiseScale!) <= 1e-9 * reference.noiseScale!)
        for (a, b) in zip(ghost.layers, reference.layers) { #expect(abs(a.trace - b.trace) <= 1e-12 * b.trace) }
        #expect(abs(checkpoint.loss - p.loss) < 1e-15)
    }

    @Test func checkpointsDouble() {
        #expect(DemoTraining.checkpoints(epochs: 20) == [0, 1, 2, 4, 8, 16, 20])
        #expect(DemoTraining.checkpoints(epochs: 1) == [0, 1])
        #expect(DemoTraining.checkpoints(epochs: 8) == [0, 1, 2, 4, 8])
    }
}
