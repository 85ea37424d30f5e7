import Foundation

/// Writes a little-endian float32 `.npy` (format 1.0, C order), as NumPy would; 1-D to 3-D shapes.
func writeNpy(_ values: [Float], shape: [Int], to path: String) throws {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
    try data.write(to: URL(fileURLWithPath: path))
}

/// Writes float32 tensors as a `.safetensors` file: the 8-byte little-endian header length, the JSON
/// header (padded with spaces to a multiple of 8), then the data in order.
func writeSafetensors(_ tensors: [(name: String, shape: [Int], values: [Float])], to path: String) throws {
    var entries: [String] = []
    var offset = 0
    for t in tensors {
        let bytes = t.values.count * 4
        entries.append("\"\(t.name)\":{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
        offset += bytes
    }
    var header = "{" + entries.joined(separator: ",") + "}"
    header += String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
    var data = Data()
    var length = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
    data.append(contentsOf: Array(header.utf8))
    for t in tensors { t.values.withUnsafeBufferPointer { data.append(Data(buffer: $0)) } }
    try data.write(to: URL(fileURLWithPath: path))
}

/// Seeded N×D gradients g_i = G + σ·z_i as float32, with float64 references of every figure.
struct SyntheticGradients {
    let rows: Int, columns: Int
    let values: [Float]

    init(rows: Int, columns: Int, seed: UInt64, signal: Double = 0.05, noise: Double = 0.5) {
        self.rows = rows
        self.columns = columns
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) * 0x1p-53
        }
        func gaussian() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        let mean = (0..<columns).map { _ in signal * gaussian() }
        values = (0..<(rows * columns)).map { k in Float(mean[k % columns] + noise * gaussian()) }
    }

    func value(_ i: Int, _ j: Int) -> Double { Double(values[i * columns + j]) }

    /// (trace, stderr, ‖ḡ‖², tr(Σ), ‖G‖², B_simple) by two-pass float64 loops, over `cols`.
    func figures(_ cols: Range<Int>? = nil) -> (trace: Double, stderr: Double, mean: Double, covariance: Double, signal: Double, noiseScale: Double) {
        let cols = cols ?? 0..<columns
        let n = Double(rows)
        let r = (0..<rows).map { i in cols.reduce(0.0) { $0 + value(i, $1) * value(i, $1) } }
        let trace = r.reduce(0, +) / n
        let stderr = (r.reduce(0.0) { $0 + ($1 - trace) * ($1 - trace) } / (n - 1) / n).squareRoot()
        let means = cols.map { j in (0..<rows).reduce(0.0) { $0 + value($1, j) } / n }
        var spread = 0.0
        for i in 0..<rows { for (k, j) in cols.enumerated() { spread += (value(i, j) - means[k]) * (value(i, j) - means[k]) } }
        let meanSq = means.reduce(0.0) { $0 + $1 * $1 }
        let covariance = spread / (n - 1)
        let signal = meanSq - covariance / n
        return (trace, stderr, meanSq, covariance, signal, covariance / signal)
    }
}
