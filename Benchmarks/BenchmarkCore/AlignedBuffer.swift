import FisherTrace
import Foundation

/// Page-aligned memory owned by the benchmark, freed when the last reference goes.
///
/// The machine probes and the kernels use the same allocator (plain 4 KiB pages, no huge-page advice),
/// so their bandwidths compare like with like.
final class AlignedBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    /// Allocates `byteCount` bytes (not yet touched). Throws when the system refuses.
    init(byteCount: Int) throws(BenchmarkError) {
        var pointer: UnsafeMutableRawPointer?
        guard byteCount > 0, posix_memalign(&pointer, 4096, byteCount) == 0, let pointer else {
            throw .outOfMemory(bytes: byteCount)
        }
        base = pointer
        self.byteCount = byteCount
    }

    deinit { free(base) }

    /// A buffer of `count` elements of `type` holding uniform values in [−1, 1): a seeded 1 MiB block of
    /// random values, repeated. Every page is written, so no page faults remain for the timed runs.
    static func randomElements(_ type: ElementType, count: Int, seed: UInt64 = 1) throws(BenchmarkError) -> AlignedBuffer {
        let buffer = try AlignedBuffer(byteCount: count * type.byteCount)
        var generator = SeededGenerator(seed: seed)
        let blockBytes = min(buffer.byteCount, 1 << 20)
        let blockCount = blockBytes / type.byteCount
        func uniform() -> Float { Float(generator.next() >> 40) * 0x1p-23 - 1 }
        switch type {
        case .float32:
            let p = buffer.base.bindMemory(to: Float.self, capacity: blockCount)
            for i in 0..<blockCount { p[i] = uniform() }
        case .float64:
            let p = buffer.base.bindMemory(to: Double.self, capacity: blockCount)
            for i in 0..<blockCount { p[i] = Double(uniform()) }
        case .float16:
            let p = buffer.base.bindMemory(to: UInt16.self, capacity: blockCount)
            for i in 0..<blockCount { p[i] = Float16(uniform()).bitPattern }
        case .bfloat16:
            let p = buffer.base.bindMemory(to: UInt16.self, capacity: blockCount)
            for i in 0..<blockCount { p[i] = UInt16(uniform().bitPattern >> 16) }
        }
        var filled = blockBytes
        while filled < buffer.byteCount {
            let n = min(filled, buffer.byteCount - filled)
            (buffer.base + filled).copyMemory(from: buffer.base, byteCount: n)
            filled += n
        }
        return buffer
    }

    /// The buffer as an N×D matrix of `type`. Precondition: it holds N·D elements.
    func matrix(_ type: ElementType, rows: Int, columns: Int) -> MatrixView {
        precondition(rows * columns * type.byteCount <= byteCount, "AlignedBuffer: too small for \(rows)×\(columns)")
        return MatrixView(baseAddress: UnsafeRawPointer(base), elementType: type, rows: rows, columns: columns)
    }
}
