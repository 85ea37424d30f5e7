import Foundation

/// The result of sampling rows until tr(I_F) is known to a requested precision.
public struct SequentialEstimate: Sendable {
    /// Statistics of the rows read (tr(I_F) estimates the same expectation as over all rows).
    public let statistics: FisherStatistics
    /// Rows read, out of `totalRows`.
    public let rowsRead: Int
    public let totalRows: Int
    /// Half-width of the confidence interval of tr(I_F) relative to tr(I_F): z·SE/tr(I_F).
    public let relativeHalfWidth: Double
    /// Whether the requested precision was reached (false if the rows ran out first).
    public let converged: Bool
}

extension FisherAccumulator {
    /// Reads rows in a seeded random order, without replacement, until the `confidence` interval of
    /// tr(I_F) is within ±`precision`·tr(I_F), or every row has been read.
    ///
    /// Stopping rule: after each batch of `batchRows` rows, once at least `minimumRows` rows are in,
    /// stop when z·SE ≤ precision·tr(I_F) with z the two-sided normal quantile of `confidence` (1.96 for
    /// 0.95) and SE the standard error of the mean of ‖gᵢ‖². The interval is about the data
    /// distribution's Fisher trace, of which the rows are a sample (no finite-population correction).
    /// Caveat: a stopping rule checked repeatedly covers slightly less than its nominal level; keep
    /// `minimumRows` ≥ 30 so the variance estimate is not itself the noise.
    ///
    /// The same seed and source give the same rows and the same bits.
    public static func sequentialEstimate(
        _ source: some GradientSource, precision: Double, confidence: Double = 0.95, seed: UInt64 = 0,
        batchRows: Int = 64, minimumRows: Int = 32, diagonal: Bool = false,
        options: ComputeOptions = ComputeOptions()
    ) throws -> SequentialEstimate {
        precondition(precision > 0 && precision.isFinite, "sequentialEstimate: precision must be > 0")
        precondition(confidence > 0 && confidence < 1, "sequentialEstimate: confidence must be in (0, 1)")
        precondition(batchRows >= 1 && minimumRows >= 2, "sequentialEstimate: batchRows ≥ 1, minimumRows ≥ 2")
        let z = standardNormalQuantile(0.5 + confidence / 2)
        var accumulator = FisherAccumulator(dimension: source.dimension, layers: source.layers,
                                            diagonal: diagonal, options: options)
        var order = LazyPermutation(count: source.rows, seed: seed)
        var halfWidth = Double.infinity
        while accumulator.samples < source.rows {
            let batch = (0..<min(batchRows, source.rows - accumulator.samples)).map { _ in order.next() }.sorted()
            for run in consecutiveRuns(batch) {
                try source.withRows(run) { views in try accumulator.update(layerViews: views) }
            }
            // The stopping rule needs only the exact row sums, not the D-wide column figures of `finalize`.
            let n = accumulator.samples, trace = accumulator.total.mean(count: n)
            if let se = accumulator.total.standardError(count: n), trace > 0 {
                halfWidth = z * se / trace
                if n >= minimumRows && halfWidth <= precision { break }
            }
        }
        let statistics = try accumulator.finalize()
        return SequentialEstimate(statistics: statistics, rowsRead: accumulator.samples, totalRows: source.rows,
                                  relativeHalfWidth: halfWidth, converged: halfWidth <= precision)
    }
}

/// Sorted indices grouped into ranges of consecutive rows, so each range is one kernel call.
private func consecutiveRuns(_ sorted: [Int]) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    for i in sorted {
        if let last = runs.last, last.upperBound == i {
            runs[runs.count - 1] = last.lowerBound..<(i + 1)
        } else {
            runs.append(i..<(i + 1))
        }
    }
    return runs
}

/// A uniformly random permutation of 0..<count drawn one element at a time (Fisher–Yates with the
/// swapped entries kept in a dictionary), so memory grows with the draws, not with the count.
struct LazyPermutation {
    private var generator: SeededGenerator
    private var swapped: [Int: Int] = [:]
    private var drawn = 0
    let count: Int

    init(count: Int, seed: UInt64) {
        self.count = count
        generator = SeededGenerator(seed: seed)
    }

    mutating func next() -> Int {
        precondition(drawn < count, "LazyPermutation exhausted")
        let j = drawn + Int(generator.next(upperBound: UInt64(count - drawn)))
        let picked = swapped[j] ?? j
        swapped[j] = swapped[drawn] ?? drawn
        swapped[drawn] = nil
        drawn += 1
        return picked
    }
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error < 1.2e-9) refined by one
/// Halley step on erfc, accurate to ~1e-15.
func standardNormalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1)
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    return x - u / (1 + x * u / 2)
}
