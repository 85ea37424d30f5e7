/// A data set of per-sample gradients readable in row ranges: a matrix in memory, a memory-mapped file,
/// a list of shards. Streaming estimators read through this protocol, so they work on data larger than
/// memory.
public protocol GradientSource {
    /// N, the number of samples.
    var rows: Int { get }
    /// The column partition of a sample's gradient (one layer "all" for a plain matrix).
    var layers: [FisherAccumulator.Layer] { get }
    /// A chunk size that keeps memory bounded and the kernels busy.
    var preferredChunkRows: Int { get }
    /// Calls `body` with one view per layer over the rows in `range`, valid only during the call.
    /// Sources whose data the kernels cannot read as stored (other byte order, …) convert the chunk here.
    func withRows<R>(_ range: Range<Int>, _ body: ([MatrixView]) throws -> R) throws -> R
}

extension GradientSource {
    /// D, the sum of the layer widths.
    public var dimension: Int { layers.last?.columns.upperBound ?? 0 }
}

/// A matrix in memory (or any `MatrixView`) as a `GradientSource`, optionally split into layers.
public struct MatrixSource: GradientSource, @unchecked Sendable {
    public let view: MatrixView
    public let layers: [FisherAccumulator.Layer]
    public var preferredChunkRows: Int { max(1, (64 << 20) / max(1, view.columns * view.elementType.byteCount)) }

    public init(_ view: MatrixView, layers: [FisherAccumulator.Layer]? = nil) {
        self.view = view
        self.layers = layers ?? [FisherAccumulator.Layer(name: "all", columns: 0..<view.columns)]
        precondition(self.layers.last?.columns.upperBound ?? 0 == view.columns, "MatrixSource: layers do not cover the columns")
    }

    public var rows: Int { view.rows }

    public func withRows<R>(_ range: Range<Int>, _ body: ([MatrixView]) throws -> R) throws -> R {
        let chunk = view.rows(range)
        return try body(layers.map { chunk.columns($0.columns) })
    }
}

extension FisherAccumulator {
    /// Adds every row of `source`, streaming it in chunks of `source.preferredChunkRows`.
    /// - Parameter progress: called after each chunk with (rows done, rows in total).
    public mutating func update(from source: some GradientSource,
                                progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws {
        precondition(source.layers == layers, "FisherAccumulator.update(from:): the source's layers differ from the accumulator's")
        let step = max(1, source.preferredChunkRows)
        var start = 0
        while start < source.rows {
            let end = min(source.rows, start + step)
            try source.withRows(start..<end) { views in try update(layerViews: views) }
            start = end
            progress?(start, source.rows)
        }
    }
}
