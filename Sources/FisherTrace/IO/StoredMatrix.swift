/// Where an N×M matrix lives in a mapped file and how it is stored: element type, byte order, row- or
/// column-major. The one place that turns stored bytes into what the kernels read.
struct StoredMatrix {
    let base: UnsafeRawPointer?
    let elementType: ElementType
    /// Stored in the other byte order than this machine's.
    let byteSwapped: Bool
    let rows: Int
    let columns: Int
    /// Element (i, j) at (j·rows + i) instead of (i·columns + j).
    let isColumnMajor: Bool

    var rowBytes: Int { columns * elementType.byteCount }
    /// Elements between rows of a converted copy: the row, plus 64 bytes when its size is a multiple of
    /// 1 KiB, so that the rows of a tile do not all fall into the same cache sets.
    var bufferStride: Int { columns + (rowBytes >= 1024 && rowBytes % 1024 == 0 ? 64 / elementType.byteCount : 0) }
    var isAligned: Bool { base.map { Int(bitPattern: $0) % elementType.byteCount == 0 } ?? true }
    /// The kernels can read the rows in place.
    var isDirect: Bool { !byteSwapped && isAligned && !isColumnMajor }

    /// The rows in `range` read in place. Precondition: `isDirect`.
    func view(rows range: Range<Int>) -> MatrixView {
        precondition(isDirect)
        let start = range.isEmpty || columns == 0 ? base : base.map { $0 + range.lowerBound * rowBytes }
        return MatrixView(baseAddress: start, elementType: elementType, rows: range.count, columns: columns)
    }

    /// Writes the rows in `range` to `destination` in native byte order and row-major layout, row r at
    /// `destination + r·rowStride` elements. Per-element byte swaps and a blocked transpose for
    /// column-major storage; a plain copy otherwise.
    func copy(rows range: Range<Int>, to destination: UnsafeMutableRawPointer, rowStride: Int) {
        guard !range.isEmpty, columns > 0, let base else { return }
        switch elementType.byteCount {
        case 2: copy(range, base, destination, rowStride, as: UInt16.self)
        case 4: copy(range, base, destination, rowStride, as: UInt32.self)
        default: copy(range, base, destination, rowStride, as: UInt64.self)
        }
    }

    private func copy<T: FixedWidthInteger>(_ range: Range<Int>, _ base: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer,
                                            _ rowStride: Int, as: T.Type) {
        let size = MemoryLayout<T>.size
        let out = destination.assumingMemoryBound(to: T.self)
        if !isColumnMajor {
            for (r, i) in range.enumerated() {
                let source = base + i * rowBytes
                let row = out + r * rowStride
                if byteSwapped {
                    for j in 0..<columns { row[j] = source.loadUnaligned(fromByteOffset: j * size, as: T.self).byteSwapped }
                } else {
                    UnsafeMutableRawPointer(row).copyMemory(from: source, byteCount: rowBytes)
                }
            }
            return
        }
        // Column-major: column j of the range is a contiguous run at (j·rows + range.lowerBound). Tiles of
        // 256 rows × 8 columns: the 8 runs read at once keep their cache lines resident (they share L1
        // sets when N is a power of two), and a row band's output (256 rows) stays in cache until all its
        // columns are written.
        let columnBlock = 8, rowBlock = 256
        for r0 in stride(from: 0, to: range.count, by: rowBlock) {
            let r1 = min(range.count, r0 + rowBlock)
            for j0 in stride(from: 0, to: columns, by: columnBlock) {
                let j1 = min(columns, j0 + columnBlock)
                for r in r0..<r1 {
                    let row = out + r * rowStride
                    for j in j0..<j1 {
                        let v = base.loadUnaligned(fromByteOffset: (j * rows + range.lowerBound + r) * size, as: T.self)
                        row[j] = byteSwapped ? v.byteSwapped : v
                    }
                }
            }
        }
    }
}

/// A reusable, 64-byte-aligned scratch buffer for converted chunks, which records the most bytes it
/// ever held (the bound that the chunk budget guarantees).
final class ChunkBuffer {
    private(set) var pointer: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private(set) var peakBytes = 0

    deinit { pointer?.deallocate() }

    /// At least `bytes` of scratch; the contents are not kept when it grows.
    func reserve(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > capacity || pointer == nil {
            pointer?.deallocate()
            capacity = max(bytes, 64)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            peakBytes = max(peakBytes, capacity)
        }
        return pointer!
    }

    /// Calls `body` with rows `range` of `storage` converted into a fresh buffer that lives until `body`
    /// returns (a temporary buffer may otherwise be freed as soon as `materialize` returns).
    static func withMaterialized<R>(_ storage: StoredMatrix, rows range: Range<Int>, _ body: (MatrixView) throws -> R) rethrows -> R {
        let buffer = ChunkBuffer()
        return try withExtendedLifetime(buffer) { try body(buffer.materialize(storage, rows: range)) }
    }

    /// Converts the rows of `storage` into this buffer and returns the native row-major view over them,
    /// valid while the buffer lives and until its next use.
    func materialize(_ storage: StoredMatrix, rows range: Range<Int>) -> MatrixView {
        let bytes = range.count * storage.bufferStride * storage.elementType.byteCount
        let p = reserve(bytes)
        storage.copy(rows: range, to: p, rowStride: storage.bufferStride)
        return MatrixView(baseAddress: bytes == 0 ? nil : UnsafeRawPointer(p), elementType: storage.elementType,
                          rows: range.count, columns: storage.columns, rowStride: storage.bufferStride)
    }
}
