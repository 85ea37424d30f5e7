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

    init(_ arguments: ParsedArguments, defaultBatch: Int? = nil) throws {
        batch = arguments.int("batch") ?? defaultBatch
        pMax = arguments.double("p-max")
        nu0 = arguments.double("nu0") ?? 1
        tolerance = arguments.double("tolerance") ?? 0.9
        microBatch = arguments.int("micro-batch")
        learningRate = arguments.double("learning-rate")
        json = arguments.flag("json")
        plotPath = arguments.string("plot")
        compute = ComputeOptions(threads: arguments.int("threads"))
        switch (arguments.byteCount("memory"), arguments.byteCount("bytes-per-sample")) {
        case let (available?, perSample?):
            memory = try MemoryBudget(availableBytes: Double(available), bytesPerSample: Double(perSample))
        case (nil, nil):
            memory = nil
        default:
            throw UsageError("--memory and --bytes-per-sample go together", command: arguments.commandName)
        }
        if arguments.isGiven("nu0") && pMax == nil {
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
