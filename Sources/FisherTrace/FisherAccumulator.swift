/// Streaming, mergeable statistics of per-sample gradients: the empirical Fisher trace tr(I_F), the
/// gradient covariance trace tr(Σ), the true-gradient norm ‖G‖² and the noise scale B_simple, overall
/// and per layer.
///
/// Shape `init / update / merge / finalize` (after swift-crypto's hash functions), value semantics: a
/// copy taken mid-stream finishes equal to the original. Each `update` makes one pass over its rows
/// with `fk_moments_*` (per-row ‖gᵢ‖², column sums, optionally column sums of squares).
///
/// Reproducibility:
/// - per-sample norms, tr(I_F) and its standard error have the same bits for any thread count, any
///   chunking of the rows into updates and any order of merging shards (exact sums of ‖gᵢ‖²);
/// - column sums (hence ‖ḡ‖², tr(Σ), ‖G‖², B_simple and the diagonal) have the same bits for any thread
///   count; split into different chunks or merged from shards they agree to rounding (relative
///   differences of order 1e-15·log₂N, far below any statistical error).
///
/// Errors: data with NaN/Inf throws `FisherError.nonFinite` naming the row; the per-sample sums are
/// then unchanged but the column sums are not, so the accumulator refuses further use
/// (`FisherError.invalidated`). To skip bad batches, accumulate each batch separately and `merge` the
/// ones that succeed.
public struct FisherAccumulator: Sendable {
    /// A named parameter slice: a contiguous column range of the per-sample gradient.
    public struct Layer: Sendable, Hashable, Codable {
        public let name: String
        public let columns: Range<Int>
        public init(name: String, columns: Range<Int>) {
            self.name = name
            self.columns = columns
        }
        public var width: Int { columns.count }

        /// Consecutive layers of the given widths, starting at column 0.
        public static func consecutive(_ layers: [(name: String, width: Int)]) -> [Layer] {
            var start = 0
            return layers.map { layer in
                defer { start += layer.width }
                return Layer(name: layer.name, columns: start..<(start + layer.width))
            }
        }
    }

    /// D, the number of gradient coordinates per sample.
    public let dimension: Int
    /// The layers, a partition of 0..<D in order (one layer "all" when none were given).
    public let layers: [Layer]
    /// Whether column sums of squares (the Fisher diagonal) are kept.
    public let tracksDiagonal: Bool
    /// Whether every sample's ‖gᵢ‖² is kept (for `FisherStatistics.sampleSquaredNorms`).
    public let keepsSampleNorms: Bool
    /// How the kernels run; not part of the state (not compared, not serialized).
    public var options: ComputeOptions

    /// N, the rows added so far.
    public internal(set) var samples = 0
    var total = NormSums()
    var perLayer: [NormSums]
    var columnSums: [Double]
    var columnSquares: [Double]
    /// False once rows arrived without their column sums (ghost norms without the mean gradient).
    var hasColumnSums = true
    var sampleNorms: [Double] = []
    var failure: String?

    /// An empty accumulator for D-dimensional gradients.
    /// - Parameters:
    ///   - layers: a partition of 0..<D into consecutive named ranges; nil for one layer "all".
    ///   - diagonal: keep Σᵢ gᵢⱼ² to report the Fisher diagonal (D more doubles of state).
    ///   - keepSampleNorms: keep every ‖gᵢ‖² (N doubles of state).
    public init(dimension: Int, layers: [Layer]? = nil, diagonal: Bool = false, keepSampleNorms: Bool = false,
                options: ComputeOptions = ComputeOptions()) {
        precondition(dimension >= 0, "FisherAccumulator: negative dimension")
        let layers = layers ?? [Layer(name: "all", columns: 0..<dimension)]
        var next = 0
        for layer in layers {
            precondition(layer.columns.lowerBound == next,
                         "FisherAccumulator: layer \(layer.name) starts at \(layer.columns.lowerBound), expected \(next)")
            next = layer.columns.upperBound
        }
        precondition(next == dimension, "FisherAccumulator: layers cover 0..<\(next), expected 0..<\(dimension)")
        precondition(!layers.isEmpty || dimension == 0, "FisherAccumulator: no layers")
        self.dimension = dimension
        self.layers = layers
        self.tracksDiagonal = diagonal
        self.keepsSampleNorms = keepSampleNorms
        self.options = options
        perLayer = Array(repeating: NormSums(), count: layers.count)
        columnSums = Array(repeating: 0, count: dimension)
        columnSquares = diagonal ? Array(repeating: 0, count: dimension) : []
    }

    // MARK: - Update

    /// Adds the rows of an N×D matrix (one row per sample).
    public mutating func update(_ gradients: MatrixView) throws(FisherError) {
        precondition(gradients.columns == dimension,
                     "FisherAccumulator.update: \(gradients.columns) columns, expected \(dimension)")
        try update(layerViews: layers.map { gradients.columns($0.columns) })
    }

    /// Adds rows given as one view per layer (e.g. one tensor per parameter), each with the same rows.
    public mutating func update(layerViews views: [MatrixView]) throws(FisherError) {
        try checkUsable()
        precondition(views.count == layers.count, "FisherAccumulator.update: \(views.count) views for \(layers.count) layers")
        let n = views.first?.rows ?? 0
        for (view, layer) in zip(views, layers) {
            precondition(view.rows == n, "FisherAccumulator.update: layer \(layer.name) has \(view.rows) rows, expected \(n)")
            precondition(view.columns == layer.width,
                         "FisherAccumulator.update: layer \(layer.name) has \(view.columns) columns, expected \(layer.width)")
        }
        guard n > 0 else { return }
        var norms = [[Double]](repeating: [], count: layers.count)
        for (l, (view, layer)) in zip(views, layers).enumerated() {
            var rowSquares = [Double](repeating: 0, count: n)
            do {
                try columnSums.withUnsafeMutableBufferPointer { sums throws(Kernels.Failure) in
                    try columnSquares.withUnsafeMutableBufferPointer { squares throws(Kernels.Failure) in
                        try rowSquares.withUnsafeMutableBufferPointer { rows throws(Kernels.Failure) in
                            try Kernels.moments(
                                view, options: options, rowSquares: rows.baseAddress,
                                columnSums: sums.baseAddress.map { $0 + layer.columns.lowerBound },
                                columnSquares: tracksDiagonal ? squares.baseAddress.map { $0 + layer.columns.lowerBound } : nil)
                        }
                    }
                }
            } catch {
                throw fail(error, layer: layers.count > 1 ? layer.name : nil)
            }
            norms[l] = rowSquares
        }
        do {
            ingest(norms, totals: try rowTotals(norms))
        } catch {
            failure = error.description  // the column sums already hold these rows
            throw error
        }
    }

    /// Adds samples whose per-layer squared norms are already known (the ghost-norm path, or column panels
    /// of a Fortran-order file).
    /// - Parameters:
    ///   - layerNorms: per layer, ‖gᵢ⁽ˡ⁾‖² for each of the n samples (finite, ≥ 0).
    ///   - columnSums: per layer, Σᵢ gᵢ over these samples (the layer's width), or nil when the mean
    ///     gradient is unknown — then ‖ḡ‖², tr(Σ), ‖G‖² and B_simple are reported as undefined.
    ///   - columnSquares: per layer, Σᵢ gᵢ² (the layer's width); required when the accumulator tracks the
    ///     diagonal, ignored otherwise.
    /// - Throws: `nonFinite` for a NaN, ±Inf or negative norm, `overflow` when a squared norm squares past
    ///   the double range; nothing is added then.
    public mutating func update(layerNorms: [[Double]], columnSums sums: [[Double]]?,
                                columnSquares squares: [[Double]]? = nil) throws(FisherError) {
        try checkUsable()
        precondition(!tracksDiagonal || squares != nil, "FisherAccumulator: tracking the diagonal needs column squares")
        precondition(layerNorms.count == layers.count, "FisherAccumulator.update: norms for \(layerNorms.count) layers, expected \(layers.count)")
        let n = layerNorms.first?.count ?? 0
        for (l, norms) in layerNorms.enumerated() {
            precondition(norms.count == n, "FisherAccumulator.update: layer \(layers[l].name) has \(norms.count) norms, expected \(n)")
            if let bad = norms.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw FisherError.nonFinite(row: samples + bad, layer: layers.count > 1 ? layers[l].name : nil)
            }
        }
        for (name, perLayer) in [("sums", sums), ("squares", tracksDiagonal ? squares : nil)] {
            guard let perLayer else { continue }
            precondition(perLayer.count == layers.count, "FisherAccumulator.update: column \(name) for \(perLayer.count) layers")
            for (layer, s) in zip(layers, perLayer) {
                precondition(s.count == layer.width, "FisherAccumulator.update: layer \(layer.name) column \(name) have \(s.count) entries")
                if s.contains(where: { !$0.isFinite }) {
                    throw FisherError.nonFinite(row: samples, layer: layers.count > 1 ? layer.name : nil)
                }
            }
        }
        let totals = try rowTotals(layerNorms)
        if let sums {
            for (layer, s) in zip(layers, sums) {
                for (j, v) in zip(layer.columns, s) { columnSums[j] += v }
            }
        } else if n > 0 {
            hasColumnSums = false
        }
        if tracksDiagonal, let squares {
            for (layer, s) in zip(layers, squares) {
                for (j, v) in zip(layer.columns, s) { columnSquares[j] += v }
            }
        }
        ingest(layerNorms, totals: totals)
    }

    /// Adds another accumulator's rows, as if they had followed this one's.
    /// Precondition: same dimension, layers and options for the diagonal and sample norms.
    public mutating func merge(_ other: FisherAccumulator) throws(FisherError) {
        try checkUsable()
        try other.checkUsable()
        precondition(dimension == other.dimension && layers == other.layers, "FisherAccumulator.merge: different shapes")
        precondition(tracksDiagonal == other.tracksDiagonal && keepsSampleNorms == other.keepsSampleNorms,
                     "FisherAccumulator.merge: different options")
        samples += other.samples
        total.merge(other.total)
        for l in perLayer.indices { perLayer[l].merge(other.perLayer[l]) }
        for j in columnSums.indices { columnSums[j] += other.columnSums[j] }
        for j in columnSquares.indices { columnSquares[j] += other.columnSquares[j] }
        hasColumnSums = hasColumnSums && other.hasColumnSums
        sampleNorms += other.sampleNorms
    }

    /// The statistics of every row added so far. Throws `noSamples` before the first row.
    public func finalize() throws(FisherError) -> FisherStatistics {
        try checkUsable()
        guard samples > 0 else { throw FisherError.noSamples }
        let overall = figures(total, columns: 0..<dimension)
        let layerStatistics = layers.indices.map { l in
            LayerStatistics(name: layers[l].name, columns: layers[l].columns,
                            figures: layers.count == 1 ? overall : figures(perLayer[l], columns: layers[l].columns))
        }
        let n = Double(samples)
        return FisherStatistics(
            samples: samples, dimension: dimension, overall: overall, layers: layerStatistics,
            diagonal: tracksDiagonal ? columnSquares.map { $0 / n } : nil,
            sampleSquaredNorms: keepsSampleNorms ? sampleNorms : nil)
    }

    // MARK: - Internals

    /// Each row's total squared norm over the layers (in layer order); throws `overflow` for the first row
    /// whose square, Σ‖gᵢ‖⁴'s term, leaves the double range (‖gᵢ‖² ≳ 1.3e154).
    private func rowTotals(_ norms: [[Double]]) throws(FisherError) -> [Double] {
        guard var rows = norms.first else { return [] }
        for l in norms.indices.dropFirst() {
            for i in rows.indices { rows[i] += norms[l][i] }
        }
        if let bad = rows.firstIndex(where: { !($0 * $0).isFinite }) {
            throw FisherError.overflow(row: samples + bad, layer: nil)
        }
        return rows
    }

    /// Adds per-layer row norms to each layer's sums and their row totals to the overall sums.
    private mutating func ingest(_ norms: [[Double]], totals rows: [Double]) {
        guard !rows.isEmpty else { return }
        rows.withUnsafeBufferPointer { total.add(contentsOf: $0) }
        if layers.count > 1 {
            for l in norms.indices { norms[l].withUnsafeBufferPointer { perLayer[l].add(contentsOf: $0) } }
        } else {
            perLayer[0] = total
        }
        if keepsSampleNorms { sampleNorms += rows }
        samples += rows.count
    }

    private func figures(_ norms: NormSums, columns: Range<Int>) -> FisherFigures {
        FisherFigures(count: samples, norms: norms,
                      columnSums: hasColumnSums ? columnSums[columns] : nil)
    }

    func checkUsable() throws(FisherError) {
        if let failure { throw FisherError.invalidated(by: failure) }
    }

    /// The kernel's failure as a `FisherError`; NaN/Inf and overflow invalidate the accumulator, whose column
    /// sums already hold part of the failed rows.
    private mutating func fail(_ error: Kernels.Failure, layer: String?) -> FisherError {
        let mapped: FisherError
        switch error {
        case let .nonFinite(row): mapped = .nonFinite(row: samples + row, layer: layer)
        case let .overflow(row): mapped = .overflow(row: samples + row, layer: layer)
        case .unsupported: return .unsupportedVariant(options.variant)
        case .noMemory: return .outOfMemory
        }
        failure = mapped.description
        return mapped
    }
}
