/// A mistake in how the tool was called: an unknown option, a missing or malformed value.
///
/// The tool prints it as one line, `tool: error: MESSAGE (see 'tool [command] --help')`, and exits with
/// `ExitStatus.usage` (64, EX_USAGE).
public struct UsageError: Error, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `--batch: 'x' is not an integer (expected an integer ≥ 1)`.
    public var message: String
    /// The command whose help the message points to; nil for the tool's own help.
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}

/// A failure that is not a usage error: a file or its data is bad, an output cannot be written.
/// (FisherTrace's own `FileError` and `DataError` print the same way through their descriptions.)
///
/// The tool prints it as one line, `tool: error: FILE: PROBLEM (expected EXPECTED)`, and exits with
/// `ExitStatus.failure` (1).
public struct ToolError: Error, Hashable, CustomStringConvertible {
    /// The file concerned, as the user named it; nil when the data did not come from a file.
    public var file: String?
    /// What is wrong, e.g. `dtype '<i4' is not supported`.
    public var problem: String
    /// What would have been right, e.g. `float32, float64, float16 or bfloat16`.
    public var expected: String?

    public init(file: String?, problem: String, expected: String? = nil) {
        self.file = file
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + problem + (expected.map { " (expected \($0))" } ?? "")
    }
}

/// The exit statuses of the tools.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// Bad data or files, or a failure while running.
    public static let failure: Int32 = 1
    /// A usage error (BSD sysexits EX_USAGE).
    public static let usage: Int32 = 64
}
