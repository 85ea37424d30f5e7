import BatchPolicy
import CommandLineSupport
import FisherTrace

/// What a user asks of a report, read from the shared report options.
struct ReportSettings: Sendable {
    var batch: Int?
    var pMax: Double?
    var nu0 = 1.0
    var tolerance = 0.9
    var memory: MemoryBudget?
    var microBatch: Int?
    var learningRate: Double?
    var json = false
    var plotPath: String?
    var compute = ComputeOptions()

    init() {}

    /// Reads the report options the command declares (commands take subsets of them).
    init(_ arguments: ParsedArguments, defaultBatch: Int? = nil) throws {
        let declared = Set(arguments.command.options.map(\.name))
        func has(_ name: String) -> Bool { declared.contains(name) }
        batch = (has("batch") ? arguments.int("batch") : nil) ?? defaultBatch
        pMax = has("p-max") ? arguments.double("p-max") : nil
        nu0 = (has("nu0") ? arguments.double("nu0") : nil) ?? 1
        tolerance = (has("tolerance") ? arguments.double("tolerance") : nil) ?? 0.9
        microBatch = has("micro-batch") ? arguments.int("micro-batch") : nil
        learningRate = has("learning-rate") ? arguments.double("learning-rate") : nil
        json = has("json") && arguments.flag("json")
        plotPath = has("plot") ? arguments.string("plot") : nil
        compute = ComputeOptions(threads: has("threads") ? arguments.int("threads") : nil)
        switch (has("memory") ? arguments.byteCount("memory") : nil, has("bytes-per-sample") ? arguments.byteCount("bytes-per-sample") : nil) {
        case let (available?, perSample?):
            memory = try MemoryBudget(availableBytes: Double(available), bytesPerSample: Double(perSample))
        case (nil, nil):
            memory = nil
        default:
            throw UsageError("--memory and --bytes-per-sample go together", command: arguments.commandName)
        }
        if has("nu0") && arguments.isGiven("nu0") && pMax == nil {
            throw UsageError("--nu0 needs --p-max", command: arguments.commandName)
        }
    }

    /// The theory's constants in natural units. A learning rate tuned at B_crit sets both rules' scale:
    /// η_opt = LR for the seed's rule, and ε_max = 2·LR for McCandlish's ε(B) = ε_max/(1 + B_noise/B), so
    /// that both give LR at B = B_crit = B_noise.
    var parameters: PhysicalParameters {
        get throws {
            guard let learningRate else { return .natural }
            return try PhysicalParameters(optimalLearningRate: learningRate, maxLearningRate: 2 * learningRate)
        }
    }
}
