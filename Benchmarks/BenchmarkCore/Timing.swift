import Foundation

/// How a kernel is timed: warm-up calls, then timed runs.
public struct MeasurementPlan: Sendable, Hashable {
    /// Untimed calls first (≥ 1): page faults, caches, thread start-up. The last one also sizes the runs.
    public var warmups: Int
    /// Timed runs (≥ 1); each gives one sample of seconds per call.
    public var runs: Int
    /// A timed run repeats the call until it lasts at least this long, so that short kernels are not
    /// timed at the clock's resolution.
    public var minimumRunSeconds: Double
    /// When set, slow kernels get fewer runs (but at least 3, or `runs` if fewer): as many as fit in this
    /// many seconds, judged from the warm-up.
    public var budgetSeconds: Double?

    public init(warmups: Int, runs: Int, minimumRunSeconds: Double, budgetSeconds: Double? = nil) {
        precondition(warmups >= 1 && runs >= 1 && minimumRunSeconds >= 0, "MeasurementPlan: bad counts")
        self.warmups = warmups
        self.runs = runs
        self.minimumRunSeconds = minimumRunSeconds
        self.budgetSeconds = budgetSeconds
    }

    /// `--quick`: one warm-up, three runs.
    public static let quick = MeasurementPlan(warmups: 1, runs: 3, minimumRunSeconds: 0.005)
    /// The default: one warm-up, seven runs (at least three, within about 3 s, for slow kernels).
    public static let standard = MeasurementPlan(warmups: 1, runs: 7, minimumRunSeconds: 0.02, budgetSeconds: 3)

    /// Timed runs for a kernel whose run takes about `secondsPerRun`.
    func runs(secondsPerRun: Double) -> Int {
        guard let budgetSeconds, secondsPerRun > 0 else { return runs }
        return min(runs, max(min(3, runs), Int(budgetSeconds / secondsPerRun)))
    }
}

/// Seconds per call over the timed runs of one measurement.
public struct TimingSummary: Sendable, Hashable {
    /// Seconds per call of each timed run, in run order.
    public let samples: [Double]
    /// Calls per timed run.
    public let callsPerRun: Int
    public let warmups: Int

    public init(samples: [Double], callsPerRun: Int, warmups: Int) {
        precondition(!samples.isEmpty, "TimingSummary: no samples")
        self.samples = samples
        self.callsPerRun = callsPerRun
        self.warmups = warmups
    }

    /// The middle sample (the mean of the two middle ones for an even count).
    public var median: Double { Self.median(samples) }
    public var minimum: Double { samples.min()! }
    public var maximum: Double { samples.max()! }
    /// How noisy the runs were: (max − min) / median; 0 for a single run.
    public var spread: Double { median > 0 ? (maximum - minimum) / median : 0 }

    /// The median of `values` (precondition: not empty).
    public static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of nothing")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Times `body` by `plan`: the warm-up calls, then `plan.runs` runs of as many calls as make a run last
/// `plan.minimumRunSeconds` (judged from the last warm-up).
public func measure(_ plan: MeasurementPlan, _ body: () throws -> Void) rethrows -> TimingSummary {
    let (calls, seconds) = try warmUp(plan, body)
    var samples: [Double] = []
    for _ in 0..<plan.runs(secondsPerRun: Double(calls) * seconds) { samples.append(try secondsPerCall(calls, body)) }
    return TimingSummary(samples: samples, callsPerRun: calls, warmups: plan.warmups)
}

/// Times `body` and `yardstick` in alternation: the warm-ups of both, then `plan.runs` pairs of runs (body,
/// yardstick, body, …). Both see the same state of a shared machine, so the ratio of their rates stays
/// steady when the machine's load comes and goes.
public func measurePaired(_ plan: MeasurementPlan, _ body: () throws -> Void, yardstick: () -> Void) rethrows
    -> (body: TimingSummary, yardstick: TimingSummary) {
    let (calls, seconds) = try warmUp(plan, body)
    let (yardstickCalls, yardstickSeconds) = warmUp(plan, yardstick)
    var samples: [Double] = [], yardstickSamples: [Double] = []
    for _ in 0..<plan.runs(secondsPerRun: Double(calls) * seconds + Double(yardstickCalls) * yardstickSeconds) {
        samples.append(try secondsPerCall(calls, body))
        yardstickSamples.append(secondsPerCall(yardstickCalls, yardstick))
    }
    return (TimingSummary(samples: samples, callsPerRun: calls, warmups: plan.warmups),
            TimingSummary(samples: yardstickSamples, callsPerRun: yardstickCalls, warmups: plan.warmups))
}

/// Makes the warm-up calls; returns how many calls a timed run needs to last `plan.minimumRunSeconds`, and
/// the last warm-up's seconds.
private func warmUp(_ plan: MeasurementPlan, _ body: () throws -> Void) rethrows -> (calls: Int, seconds: Double) {
    var lastWarmup = 0.0
    for _ in 0..<plan.warmups {
        let start = monotonicSeconds()
        try body()
        lastWarmup = monotonicSeconds() - start
    }
    let calls = lastWarmup >= plan.minimumRunSeconds ? 1 : Int((plan.minimumRunSeconds / max(lastWarmup, 1e-7)).rounded(.up))
    return (calls, lastWarmup)
}

/// One timed run of `calls` calls: seconds per call.
private func secondsPerCall(_ calls: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = monotonicSeconds()
    for _ in 0..<calls { try body() }
    return (monotonicSeconds() - start) / Double(calls)
}

/// Seconds on the monotonic clock since an arbitrary origin.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
