import FisherTrace
import Foundation

/// The end-to-end file path as `batch-advisor analyze` runs it: open a `.npy` file, memory-map it, and
/// stream it through `GradientDataSet.accumulate(into:)` (moments without the diagonal).
///
/// The file is written to the temporary directory first, so it is in the page cache: the benchmark
/// measures the reader and the kernel, not the disk. Each call re-opens and re-maps the file (page-table
/// set-up included). Work per call: the data bytes read (header excluded), 8·(N + D) written;
/// flops 3·N·D as for `moments`. Compare with `moments` on the same shape for the reader's overhead.
struct NpyFileFamily: KernelFamily {
    let name = "npy-file"
    let summary = "end to end: memory-map a page-cached .npy file and accumulate its moments (GradientDataSet)"
    let kernels = ["npy+moments"]
    let elementTypes = ElementType.allCases

    let shapeSyntax = "NxD"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 2 }

    func defaultShapes(quick: Bool) -> [Shape] {
        quick ? [Shape([16384, 2048])] : [Shape([65536, 4096])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int { shape.elementCount * elementType.byteCount }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let (n, d) = (shape.dimensions[0], shape.dimensions[1])
        let file = try TemporaryNpyFile(elementType: elementType, rows: n, columns: d)
        let work = Work(flops: Double(3 * n * d), bytesRead: Double(n * d * elementType.byteCount),
                        bytesWritten: Double(8 * (n + d)), samples: n, flopsFormula: "3·N·D (‖gᵢ‖²: 2, column sums: 1)")
        return [Workload(family: name, kernel: kernels[0], elementType: elementType, call: KernelCall(shape: shape, work: work) { options in
            try withExtendedLifetime(file) {
                let data = try GradientDataSet(path: file.path)
                var accumulator = FisherAccumulator(dimension: d, layers: data.layers, options: options)
                try data.accumulate(into: &accumulator)
            }
        })]
    }
}

/// A `.npy` file of random values in the temporary directory, deleted when the last reference goes.
final class TemporaryNpyFile: @unchecked Sendable {
    let path: String

    /// Writes an N×D C-order little-endian array (NumPy format 1.0, header padded to 64 bytes).
    init(elementType: ElementType, rows: Int, columns: Int) throws {
        path = NSTemporaryDirectory() + "fisher-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy"
        let descriptor = switch elementType {
        case .float32: "<f4"
        case .float64: "<f8"
        case .float16: "<f2"
        case .bfloat16: "<V2"
        }
        var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var prefix = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        prefix.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        prefix.append(contentsOf: Array(header.utf8))

        let data = try AlignedBuffer.randomElements(elementType, count: rows * columns)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw BenchmarkError.temporaryFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let ok = prefix.withUnsafeBytes { Self.writeAll(fd, $0.baseAddress!, $0.count) }
            && Self.writeAll(fd, data.base, data.byteCount)
        guard ok else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw BenchmarkError.temporaryFile(path: path, reason: reason)
        }
    }

    deinit { unlink(path) }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = write(fd, bytes + offset, min(count - offset, 1 << 30))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
