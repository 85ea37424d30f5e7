import CommandLineSupport

/// Why a benchmark could not run.
public enum BenchmarkError: Error, Hashable, CustomStringConvertible {
    /// The system would not give the memory.
    case outOfMemory(bytes: Int)
    /// A shape needs more memory than the benchmark allows itself (half the machine's).
    case tooLarge(shape: String, bytes: Int, limit: Int)
    /// A temporary file for the file-path benchmark could not be written.
    case temporaryFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .outOfMemory(bytes):
            "cannot allocate \(ByteCount.format(bytes)) for benchmark data (expected a smaller --shapes)"
        case let .tooLarge(shape, bytes, limit):
            "shape \(shape) needs \(ByteCount.format(bytes)) of data (expected at most \(ByteCount.format(limit)), half of this machine's memory)"
        case let .temporaryFile(path, reason):
            "\(path): cannot write the benchmark's temporary file: \(reason) (expected a writable temporary directory, see TMPDIR)"
        }
    }
}
