import BatchPolicy
import Testing

/// `actual` equals `expected` to a relative tolerance (absolute near zero).
func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-12) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= relative * max(abs(expected), 1e-300) || actual == expected
}

/// Expects `body` to throw a ``PolicyError`` naming `parameter`, and returns it.
@discardableResult
func expectPolicyError(
    _ parameter: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> PolicyError? {
    let error = #expect(throws: PolicyError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.parameter == parameter, "got \(String(describing: error))", sourceLocation: sourceLocation)
    return error
}

/// The worked example most tests use: `B_crit = P_max/(ν₀·tr(I_F)) = 400/(2·2) = 100`.
enum Example {
    static let criticalBatch = try! CriticalBatch.powerBudget(pMax: 400, nu0: 2, fisherTrace: 2)
    /// `T = 2`, `k_B = 3`, `E_sample = 5`, `η_max = 0.5`, `t_opt = 7`, `η_opt = 0.1`, `T_opt = 0.5`,
    /// `ε_max = 0.3`, `S_min = 1000`.
    static let parameters = try! PhysicalParameters(
        temperature: 2, boltzmann: 3, energyPerSample: 5, peakEfficiency: 0.5, optimalConvergenceTime: 7,
        optimalLearningRate: 0.1, optimalTemperature: 0.5, maxLearningRate: 0.3, minSteps: 1000)
    /// `tr(Σ) = 800`, `‖G‖² = 4`, so `B_simple = 200`.
    static let statistics = try! GradientStatistics(fisherTrace: 2, noiseTrace: 800, gradientNormSquared: 4)
    /// Below, at and above `B_crit`, where `B_crit/B` is 4, 1 and 1/4.
    static let batches: [Double] = [25, 100, 400]

    static func analysis(_ batch: Double) throws -> BatchAnalysis {
        try BatchAnalysis(batch: batch, criticalBatch: criticalBatch, statistics: statistics, parameters: parameters)
    }
}
