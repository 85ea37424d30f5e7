/// The gradient noise scale from batch-gradient norms alone, as logged in data-parallel training
/// (McCandlish et al. 2018, appendix A.1; the practice of gpt-neox).
///
/// Each step gives |G_small|² at batch B_small (one rank's gradient) and |G_big|² at B_big (the
/// all-reduced gradient). Since E|G_B|² = |G|² + tr(Σ)/B, the two unbiased per-step estimates are
///
///     |G|²  = (B_big·|G_big|² − B_small·|G_small|²) / (B_big − B_small)
///     tr(Σ) = (|G_small|² − |G_big|²) / (1/B_small − 1/B_big)
///
/// Each is noisy, so they are smoothed separately by exponential moving averages with Adam-style bias
/// correction, m̂ₜ = mₜ/(1 − βᵗ), and B_simple = tr(Σ)/|G|² is the ratio of the smoothed values (the
/// ratio of averages, not the average of ratios, which would be biased and unbounded).
public struct TwoBatchNoiseEstimator: Sendable, Hashable, Codable {
    /// One logged step.
    public struct Measurement: Sendable, Hashable, Codable {
        public var smallBatch: Double
        public var smallGradientNormSquared: Double
        public var bigBatch: Double
        public var bigGradientNormSquared: Double

        public init(smallBatch: Double, smallGradientNormSquared: Double, bigBatch: Double, bigGradientNormSquared: Double) {
            self.smallBatch = smallBatch
            self.smallGradientNormSquared = smallGradientNormSquared
            self.bigBatch = bigBatch
            self.bigGradientNormSquared = bigGradientNormSquared
        }

        /// The per-step unbiased |G|² and tr(Σ); nil unless 0 < B_small < B_big, norms finite and ≥ 0.
        public var unbiased: (gradientNormSquared: Double, traceCovariance: Double)? {
            guard smallBatch > 0, bigBatch > smallBatch, bigBatch.isFinite,
                  smallGradientNormSquared >= 0, bigGradientNormSquared >= 0,
                  smallGradientNormSquared.isFinite, bigGradientNormSquared.isFinite else { return nil }
            let g = (bigBatch * bigGradientNormSquared - smallBatch * smallGradientNormSquared) / (bigBatch - smallBatch)
            let s = (smallGradientNormSquared - bigGradientNormSquared) / (1 / smallBatch - 1 / bigBatch)
            return (g, s)
        }
    }

    /// The smoothed state after a step.
    public struct Estimate: Sendable, Hashable, Codable {
        public let step: Int
        /// Bias-corrected EMA of the unbiased |G|² (may be ≤ 0 while noise dominates).
        public let gradientNormSquared: Double
        /// Bias-corrected EMA of the unbiased tr(Σ).
        public let traceCovariance: Double
        /// B_simple = tr(Σ)/|G|², nil while the smoothed |G|² ≤ 0 or tr(Σ) < 0.
        public let noiseScale: Double?
    }

    /// β, the EMA decay per step, in [0, 1); 0.99 averages over about 100 steps.
    public let smoothing: Double
    private var gradientAverage = 0.0
    private var covarianceAverage = 0.0
    private var decayPower = 1.0
    public private(set) var steps = 0

    public init(smoothing: Double = 0.99) {
        precondition(smoothing >= 0 && smoothing < 1, "TwoBatchNoiseEstimator: smoothing must be in [0, 1)")
        self.smoothing = smoothing
    }

    /// Adds a step; returns the new estimate, or nil (and leaves the state alone) for an invalid step.
    @discardableResult
    public mutating func update(_ m: Measurement) -> Estimate? {
        guard let (g, s) = m.unbiased else { return nil }
        gradientAverage = smoothing * gradientAverage + (1 - smoothing) * g
        covarianceAverage = smoothing * covarianceAverage + (1 - smoothing) * s
        decayPower *= smoothing
        steps += 1
        return current
    }

    /// The estimate after the last step, nil before the first.
    public var current: Estimate? {
        guard steps > 0 else { return nil }
        let correction = 1 - decayPower
        let g = gradientAverage / correction, s = covarianceAverage / correction
        return Estimate(step: steps, gradientNormSquared: g, traceCovariance: s,
                        noiseScale: g > 0 && s >= 0 ? s / g : nil)
    }
}
