import Foundation

/// The bundled UCI handwritten digits: 1,797 images of 8×8 pixels, scaled to [0, 1], with labels 0…9.
/// (Attribution and license in DigitsData.swift.)
struct DigitsDataSet: Sendable {
    static let pixels = 64
    static let classes = 10

    /// Row-major N×64 features in [0, 1].
    let features: [Double]
    let labels: [Int]
    var count: Int { labels.count }

    static let bundled: DigitsDataSet = {
        let compact = DigitsData.base64.filter { !$0.isWhitespace }
        guard let bytes = Data(base64Encoded: compact), bytes.count == DigitsData.sampleCount * DigitsData.recordBytes else {
            preconditionFailure("the embedded digits data is corrupt")
        }
        var features: [Double] = []
        var labels: [Int] = []
        features.reserveCapacity(DigitsData.sampleCount * pixels)
        for record in 0..<DigitsData.sampleCount {
            let base = record * DigitsData.recordBytes
            for p in 0..<pixels { features.append(Double(bytes[base + p]) / 16) }
            labels.append(Int(bytes[base + pixels]))
        }
        return DigitsDataSet(features: features, labels: labels)
    }()
}
