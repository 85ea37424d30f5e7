import Foundation

/// A progress bar on stderr for work that takes a while: `label [#######.......]  45%  3.2 s`.
///
/// It draws only when its output is a terminal, and only once the work has run longer than `delay`
/// (0.5 s), so quick runs and redirected output stay silent. Redraws at most every 0.1 s; `finish()` erases
/// the line. Thread-safe.
public final class ProgressBar: @unchecked Sendable {
    /// Where a bar draws.
    public struct Output: Sendable {
        public let isTerminal: Bool
        /// Terminal width in columns.
        public let width: Int
        public let write: @Sendable (String) -> Void

        public init(isTerminal: Bool, width: Int = 80, write: @escaping @Sendable (String) -> Void) {
            self.isTerminal = isTerminal
            self.width = width
            self.write = write
        }

        /// The process's stderr, drawn on only when it is a terminal.
        public static var standardError: Output {
            var size = winsize()
            let terminal = isatty(STDERR_FILENO) == 1
            let columns = terminal && ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
            return Output(isTerminal: terminal, width: columns) { FileHandle.standardError.write(Data($0.utf8)) }
        }
    }

    private let label: String
    private let total: Int
    private let output: Output
    private let delay: Double
    private let clock: @Sendable () -> Double
    private let start: Double
    private let lock = NSLock()
    private var completed = 0
    private var lastDraw: Double?
    private var finished = false

    /// - Parameters:
    ///   - total: units of work (≥ 1).
    ///   - clock: seconds on a monotonic clock (tests pass a fake one).
    public init(label: String, total: Int, output: Output = .standardError, delay: Double = 0.5,
                clock: @escaping @Sendable () -> Double = ProgressBar.monotonicSeconds) {
        precondition(total >= 1, "ProgressBar: total must be ≥ 1")
        self.label = label
        self.total = total
        self.output = output
        self.delay = delay
        self.clock = clock
        self.start = clock()
    }

    /// Records that `units` more units are done, and redraws if due.
    public func advance(by units: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        completed = min(total, completed + units)
        guard output.isTerminal, !finished else { return }
        let now = clock()
        guard now - start >= delay, lastDraw.map({ now - $0 >= 0.1 }) ?? true else { return }
        lastDraw = now
        output.write("\r" + line(elapsed: now - start))
    }

    /// Erases the bar if it was drawn; later calls to `advance` draw nothing.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        if lastDraw != nil { output.write("\r" + String(repeating: " ", count: output.width - 1) + "\r") }
    }

    private func line(elapsed: Double) -> String {
        let fraction = Double(completed) / Double(total)
        let tail = String(format: " %3d%%  %.1f s", Int(fraction * 100), elapsed)
        let barWidth = max(10, min(40, output.width - 1 - label.count - 3 - tail.count))
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        return String((label + " [" + bar + "]" + tail).prefix(output.width - 1))
    }

    /// Seconds since an arbitrary origin, from the monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
