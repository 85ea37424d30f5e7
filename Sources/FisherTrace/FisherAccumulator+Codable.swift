import Foundation

/// A saved accumulator: JSON that round-trips every double exactly (shortest round-trip decimal form)
/// and every exact sum as integers, so shards computed on different machines merge later as if they
/// had been one stream. The compute options are not saved.
extension FisherAccumulator: Codable, Equatable {
    /// Identifies the format; bumped on any incompatible change.
    public static let stateFormat = "fishertrace.accumulator"
    public static let stateVersion = 1

    private enum CodingKeys: String, CodingKey {
        case format, version, dimension, layers, diagonal, keepsSampleNorms, samples
        case total, perLayer, columnSums, columnSquares, hasColumnSums, sampleNorms, failure
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decode(String.self, forKey: .format)
        let version = try c.decode(Int.self, forKey: .version)
        guard format == Self.stateFormat, version == Self.stateVersion else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription:
                "format \(format) version \(version), expected \(Self.stateFormat) version \(Self.stateVersion)")
        }
        let dimension = try c.decode(Int.self, forKey: .dimension)
        let layers = try c.decode([Layer].self, forKey: .layers)
        var next = 0
        for layer in layers {
            guard layer.columns.lowerBound == next else {
                throw DecodingError.dataCorruptedError(forKey: .layers, in: c, debugDescription:
                    "layer \(layer.name) starts at column \(layer.columns.lowerBound), expected \(next)")
            }
            next = layer.columns.upperBound
        }
        guard dimension >= 0, next == dimension, !layers.isEmpty || dimension == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .layers, in: c, debugDescription:
                "layers cover 0..<\(next), expected 0..<\(dimension)")
        }
        self.init(dimension: dimension, layers: layers, diagonal: try c.decode(Bool.self, forKey: .diagonal),
                  keepSampleNorms: try c.decode(Bool.self, forKey: .keepsSampleNorms))
        samples = try c.decode(Int.self, forKey: .samples)
        total = try c.decode(NormSums.self, forKey: .total)
        perLayer = try c.decode([NormSums].self, forKey: .perLayer)
        columnSums = try c.decode([Double].self, forKey: .columnSums)
        columnSquares = try c.decode([Double].self, forKey: .columnSquares)
        hasColumnSums = try c.decode(Bool.self, forKey: .hasColumnSums)
        sampleNorms = try c.decode([Double].self, forKey: .sampleNorms)
        failure = try c.decodeIfPresent(String.self, forKey: .failure)
        let expected = [("perLayer", perLayer.count, layers.count), ("columnSums", columnSums.count, dimension),
                        ("columnSquares", columnSquares.count, tracksDiagonal ? dimension : 0),
                        ("sampleNorms", sampleNorms.count, keepsSampleNorms ? samples : 0)]
        for (field, found, wanted) in expected where found != wanted {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription:
                "\(field) has \(found) entries, expected \(wanted)"))
        }
        guard samples >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .samples, in: c, debugDescription: "negative sample count")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.stateFormat, forKey: .format)
        try c.encode(Self.stateVersion, forKey: .version)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(layers, forKey: .layers)
        try c.encode(tracksDiagonal, forKey: .diagonal)
        try c.encode(keepsSampleNorms, forKey: .keepsSampleNorms)
        try c.encode(samples, forKey: .samples)
        try c.encode(total, forKey: .total)
        try c.encode(perLayer, forKey: .perLayer)
        try c.encode(columnSums, forKey: .columnSums)
        try c.encode(columnSquares, forKey: .columnSquares)
        try c.encode(hasColumnSums, forKey: .hasColumnSums)
        try c.encode(sampleNorms, forKey: .sampleNorms)
        try c.encodeIfPresent(failure, forKey: .failure)
    }

    /// Equal state: same shape, rows and sums, bit for bit (compute options are ignored).
    public static func == (a: FisherAccumulator, b: FisherAccumulator) -> Bool {
        a.dimension == b.dimension && a.layers == b.layers && a.tracksDiagonal == b.tracksDiagonal
            && a.keepsSampleNorms == b.keepsSampleNorms && a.samples == b.samples && a.total == b.total
            && a.perLayer == b.perLayer && bitwiseEqual(a.columnSums, b.columnSums)
            && bitwiseEqual(a.columnSquares, b.columnSquares) && a.hasColumnSums == b.hasColumnSums
            && bitwiseEqual(a.sampleNorms, b.sampleNorms) && a.failure == b.failure
    }

    /// The state as JSON.
    public func serialized() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// A state saved by `serialized()`.
    public init(serialized data: Data) throws {
        self = try JSONDecoder().decode(FisherAccumulator.self, from: data)
    }
}

private func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
