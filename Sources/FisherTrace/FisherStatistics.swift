/// The Fisher and noise figures of one set of columns (all of them, or one layer).
///
/// With rᵢ = ‖gᵢ‖² over N samples and ḡ = (1/N)Σᵢgᵢ:
/// - `trace`: tr(I_F) = (1/N)·Σᵢ rᵢ, the empirical Fisher trace (units: squared gradient units);
/// - `traceStandardError`: √(s²/N), s² the unbiased sample variance of the rᵢ (nil for N < 2);
/// - `meanGradientNormSquared`: ‖ḡ‖²;
/// - `traceCovariance`: unbiased tr(Σ) = N/(N−1)·(tr(I_F) − ‖ḡ‖²) (nil for N < 2);
/// - `gradientNormSquared`: unbiased ‖G‖² = ‖ḡ‖² − tr(Σ)/N; may come out ≤ 0 when the noise swamps the
///   signal, which is an honest finding, not an error (nil for N < 2);
/// - `noiseScale`: B_simple = tr(Σ)/‖G‖² (McCandlish et al. 2018), nil unless N ≥ 2 and ‖G‖² > 0;
///   `noiseScaleStatus` says why it is nil.
///
/// Column-derived figures are nil when the mean gradient is unknown (norms fed without column sums).
/// Accuracy: tr(I_F) is correctly rounded from an exact sum; ‖ḡ‖² has relative error ≲ 1e-15; tr(Σ) and
/// ‖G‖² lose the digits that cancel in their differences, which matters only when the difference is
/// below ~1e-12 of its terms, far inside the statistical error.
public struct FisherFigures: Sendable, Hashable, Codable {
    /// Why B_simple is or is not defined.
    public enum NoiseScaleStatus: String, Sendable, Hashable, Codable {
        case defined
        /// Fewer than two samples: no variance estimate.
        case tooFewSamples
        /// The unbiased ‖G‖² is ≤ 0: the mean gradient is not resolved above the noise at this N.
        case signalNotResolved
        /// The column sums are unknown (norms without the mean gradient).
        case meanGradientUnknown
    }

    public let trace: Double
    public let traceStandardError: Double?
    public let meanGradientNormSquared: Double?
    public let traceCovariance: Double?
    public let gradientNormSquared: Double?
    public let noiseScale: Double?
    public let noiseScaleStatus: NoiseScaleStatus

    init(count: Int, norms: NormSums, columnSums: ArraySlice<Double>?) {
        let n = Double(count)
        trace = norms.mean(count: count)
        traceStandardError = norms.standardError(count: count)
        meanGradientNormSquared = columnSums.map { sums in
            var exact = ExactSum()
            for s in sums { exact.add((s / n) * (s / n)) }
            return exact.value
        }
        guard let mean = meanGradientNormSquared else {
            (traceCovariance, gradientNormSquared, noiseScale) = (nil, nil, nil)
            noiseScaleStatus = count >= 2 ? .meanGradientUnknown : .tooFewSamples
            return
        }
        guard count >= 2 else {
            (traceCovariance, gradientNormSquared, noiseScale) = (nil, nil, nil)
            noiseScaleStatus = .tooFewSamples
            return
        }
        // (1/N)Σ‖gᵢ − ḡ‖² = tr(I_F) − ‖ḡ‖² is a sum of squares: clamp the rounding of the difference at 0.
        let covariance = n / (n - 1) * max(trace - mean, 0)
        let signal = mean - covariance / n
        traceCovariance = covariance
        gradientNormSquared = signal
        if signal > 0 {
            noiseScale = covariance / signal
            noiseScaleStatus = .defined
        } else {
            noiseScale = nil
            noiseScaleStatus = .signalNotResolved
        }
    }
}

/// The figures of one layer.
@dynamicMemberLookup
public struct LayerStatistics: Sendable, Hashable, Codable {
    public let name: String
    public let columns: Range<Int>
    public let figures: FisherFigures

    public subscript<T>(dynamicMember keyPath: KeyPath<FisherFigures, T>) -> T { figures[keyPath: keyPath] }
}

/// What `FisherAccumulator.finalize()` returns: N, D, the figures over all columns (reachable directly,
/// e.g. `statistics.trace`, `statistics.noiseScale`), per layer, and on request the Fisher diagonal and
/// every sample's ‖gᵢ‖².
@dynamicMemberLookup
public struct FisherStatistics: Sendable, Hashable, Codable {
    public let samples: Int
    public let dimension: Int
    public let overall: FisherFigures
    public let layers: [LayerStatistics]
    /// diag(I_F)ⱼ = (1/N)Σᵢ gᵢⱼ², when the accumulator tracked it.
    public let diagonal: [Double]?
    /// ‖gᵢ‖² in the order the rows were added, when the accumulator kept them.
    public let sampleSquaredNorms: [Double]?

    public subscript<T>(dynamicMember keyPath: KeyPath<FisherFigures, T>) -> T { overall[keyPath: keyPath] }
}
