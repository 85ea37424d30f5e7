/// The gradient statistics the engine measures, any of which may be unknown.
///
/// - `fisherTrace`: `tr(I_F)`, the trace of the Fisher information.
/// - `noiseTrace`: `tr(Σ)`, the trace of the per-sample gradient covariance.
/// - `gradientNormSquared`: `‖G‖²`, the squared norm of the true (full-batch) gradient.
/// - `bSimple`: the simple noise scale `B_simple = tr(Σ)/‖G‖²` (McCandlish et al. 2018); when not
///   given it is derived from `tr(Σ)` and `‖G‖²` when both are known (see ``noiseScale``).
///
/// All are in the units of the model's loss and parameters; the ratios the policy uses
/// (`B_simple`, `tr(Σ)/B`) come out in samples and in gradient-squared units respectively.
/// Every value given must be a positive finite number.
public struct GradientStatistics: Sendable, Equatable, Encodable {
    /// `tr(I_F)`, or `nil` when not measured.
    public let fisherTrace: Double?
    /// `tr(Σ)`, or `nil` when not measured.
    public let noiseTrace: Double?
    /// `‖G‖²`, or `nil` when not measured.
    public let gradientNormSquared: Double?
    /// `B_simple` as given, or `nil` when not given (see ``noiseScale`` for the derived value).
    public let bSimple: Double?
    /// `B_simple`: the given value, else `tr(Σ)/‖G‖²`, else `nil` when neither is known.
    ///
    /// Unit: samples. A given `bSimple` wins over the ratio, which is not checked against it.
    public let noiseScale: Double?

    /// Creates a set of measurements; leave out what was not measured.
    ///
    /// - Throws: ``PolicyError`` when a given value is not a positive finite number.
    public init(
        fisherTrace: Double? = nil, noiseTrace: Double? = nil,
        gradientNormSquared: Double? = nil, bSimple: Double? = nil
    ) throws {
        self.fisherTrace = try Check.positive(fisherTrace, "fisherTrace")
        self.noiseTrace = try Check.positive(noiseTrace, "noiseTrace")
        self.gradientNormSquared = try Check.positive(gradientNormSquared, "gradientNormSquared")
        self.bSimple = try Check.positive(bSimple, "bSimple")
        if let bSimple {
            noiseScale = bSimple
        } else if let noiseTrace, let gradientNormSquared {
            let ratio = noiseTrace / gradientNormSquared
            guard ratio.isFinite, ratio > 0 else {
                throw PolicyError.notRepresentable(quantity: "bSimple", value: ratio)
            }
            noiseScale = ratio
        } else {
            noiseScale = nil
        }
    }
}
