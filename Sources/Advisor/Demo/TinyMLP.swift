import Foundation
import FisherTrace

/// A dense layer y = W a + b with W stored d_out × d_in row-major (as PyTorch stores Linear.weight).
struct DenseLayer: Sendable {
    let inputs: Int
    let outputs: Int
    var weight: [Double]
    var bias: [Double]

    /// Glorot-uniform weights from a seeded generator, zero bias.
    init(inputs: Int, outputs: Int, generator: inout SeededGenerator) {
        self.inputs = inputs
        self.outputs = outputs
        let limit = (6 / Double(inputs + outputs)).squareRoot()
        weight = (0..<(inputs * outputs)).map { _ in (Double(generator.next() >> 11) * 0x1p-53 * 2 - 1) * limit }
        bias = Array(repeating: 0, count: outputs)
    }

    /// y = W a + b for each of n rows of a (n × d_in) → n × d_out.
    func forward(_ a: [Double], rows n: Int) -> [Double] {
        var y = [Double](repeating: 0, count: n * outputs)
        for i in 0..<n {
            for o in 0..<outputs {
                var s = bias[o]
                for k in 0..<inputs { s += weight[o * inputs + k] * a[i * inputs + k] }
                y[i * outputs + o] = s
            }
        }
        return y
    }

    /// Wᵀ δ for each of n rows of δ (n × d_out) → n × d_in.
    func backward(_ delta: [Double], rows n: Int) -> [Double] {
        var g = [Double](repeating: 0, count: n * inputs)
        for i in 0..<n {
            for o in 0..<outputs {
                let d = delta[i * outputs + o]
                for k in 0..<inputs { g[i * inputs + k] += weight[o * inputs + k] * d }
            }
        }
        return g
    }
}

/// The demo model: 64 → 64 (tanh) → 10, softmax cross-entropy.
struct TinyMLP: Sendable {
    var hidden: DenseLayer
    var output: DenseLayer

    init(inputs: Int, hiddenUnits: Int, classes: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        hidden = DenseLayer(inputs: inputs, outputs: hiddenUnits, generator: &generator)
        output = DenseLayer(inputs: hiddenUnits, outputs: classes, generator: &generator)
    }

    /// What one forward and backward pass over n samples leaves behind: per layer, the inputs a and the
    /// output gradients δ = ∂ℓᵢ/∂y of each sample's own loss ℓᵢ, from which the per-sample gradients are
    /// δ aᵀ (weights) and δ (bias).
    struct Pass {
        var rows: Int
        var loss: Double        // mean cross-entropy
        var accuracy: Double
        var inputs: [Double]    // n × 64
        var hiddenActivations: [Double]  // n × hidden
        var hiddenDeltas: [Double]       // n × hidden
        var outputDeltas: [Double]       // n × classes
    }

    func pass(features x: [Double], labels: [Int]) -> Pass {
        let n = labels.count, classes = output.outputs
        let h = hidden.forward(x, rows: n).map { Foundation.tanh($0) }
        let logits = output.forward(h, rows: n)
        var outputDeltas = [Double](repeating: 0, count: n * classes)
        var loss = 0.0, correct = 0
        for i in 0..<n {
            let row = logits[(i * classes)..<((i + 1) * classes)]
            let top = row.max()!
            let exps = row.map { Foundation.exp($0 - top) }
            let total = exps.reduce(0, +)
            loss += Foundation.log(total) - (row[row.startIndex + labels[i]] - top)
            if row.firstIndex(of: top)! - row.startIndex == labels[i] { correct += 1 }
            for c in 0..<classes { outputDeltas[i * classes + c] = exps[c] / total - (c == labels[i] ? 1 : 0) }
        }
        var hiddenDeltas = output.backward(outputDeltas, rows: n)
        for k in hiddenDeltas.indices { hiddenDeltas[k] *= 1 - h[k] * h[k] }
        return Pass(rows: n, loss: loss / Double(n), accuracy: Double(correct) / Double(n), inputs: x,
                    hiddenActivations: h, hiddenDeltas: hiddenDeltas, outputDeltas: outputDeltas)
    }

    /// One SGD step on the mean loss of a mini-batch: W −= lr·(1/B)Σᵢ δᵢaᵢᵀ, b −= lr·(1/B)Σᵢ δᵢ.
    mutating func sgdStep(features x: [Double], labels: [Int], learningRate: Double) {
        let p = pass(features: x, labels: labels)
        let scale = learningRate / Double(p.rows)
        Self.descend(&hidden, inputs: p.inputs, deltas: p.hiddenDeltas, rows: p.rows, scale: scale)
        Self.descend(&output, inputs: p.hiddenActivations, deltas: p.outputDeltas, rows: p.rows, scale: scale)
    }

    private static func descend(_ layer: inout DenseLayer, inputs a: [Double], deltas: [Double], rows n: Int, scale: Double) {
        for i in 0..<n {
            for o in 0..<layer.outputs {
                let d = deltas[i * layer.outputs + o] * scale
                layer.bias[o] -= d
                for k in 0..<layer.inputs { layer.weight[o * layer.inputs + k] -= d * a[i * layer.inputs + k] }
            }
        }
    }
}
