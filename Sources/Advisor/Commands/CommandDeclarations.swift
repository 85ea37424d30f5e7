import CommandLineSupport

/// The command line of `batch-advisor`: every command, its options and examples.
extension BatchAdvisor {
    /// The options every report takes: the user's batch, the critical-batch source, memory, output.
    static let reportOptions: [Option] = [
        .value("batch", .positiveInteger, valueName: "B", help: "The batch you train with; the report shows its regime, efficiency and costs."),
        .value("p-max", .positiveNumber, valueName: "P", help: "Power budget P_max: B_crit = P_max/(ν₀·tr(I_F)) instead of the noise scale."),
        .value("nu0", .positiveNumber, valueName: "X", default: "1", help: "ν₀, the rate in B_crit = P_max/(ν₀·tr(I_F)) (with --p-max)."),
        .value("tolerance", .number(NumberBounds(lower: 0, lowerInclusive: false, upper: 1)), valueName: "T", default: "0.9",
               help: "Critical band B_crit·T … B_crit/T; the recommended batch is B_crit/T."),
        .value("memory", .byteSize, help: "Memory available for a batch (e.g. 24G); with --bytes-per-sample bounds the batch."),
        .value("bytes-per-sample", .byteSize, help: "Memory one sample takes in training (activations and their gradients)."),
        .value("micro-batch", .positiveInteger, valueName: "M", help: "Round batches to multiples of M; plans gradient accumulation."),
        .value("learning-rate", .positiveNumber, valueName: "LR", help: "The learning rate tuned at B_crit (η_opt), to print the compensated rates."),
        .flag("json", help: "Print one JSON document (schema in the README) instead of the report."),
        .value("plot", .text, valueName: "FILE.svg", help: "Write an SVG of efficiency, Q(B) and the steps/examples trade-off against B."),
        .value("threads", .positiveInteger, valueName: "N", help: "Kernel threads (default: OMP_NUM_THREADS, else all cores)."),
    ]

    static let statisticsOptions: [Option] = [
        .flag("per-sample", help: "Include every sample's ‖gᵢ‖² (per_sample_sq_norms)."),
        .flag("diagonal", help: "Include the Fisher diagonal (1/N)Σᵢ gᵢⱼ² (fisher_diagonal)."),
        .value("save-state", .text, valueName: "FILE", help: "Save the accumulator state (JSON) for `batch-advisor merge`."),
    ]

    static let demo = Command(
        name: "demo",
        summary: "Train a small MLP on the bundled UCI digits and watch tr(I_F), B_simple and B_crit move.",
        options: [
            .value("epochs", .integer(min: 1, max: 1000), default: "20", help: "Epochs of SGD."),
            .value("train-batch", .positiveInteger, default: "32", help: "The batch SGD trains with; also the reported batch unless --batch is given."),
            .value("train-learning-rate", .positiveNumber, valueName: "LR", default: "0.1", help: "SGD learning rate."),
            .value("seed", .integer(min: 0, max: .max), default: "42", help: "Seed of initialisation and shuffling."),
        ] + reportOptions + [statisticsOptions[0], statisticsOptions[2]],
        examples: ["demo", "demo --epochs 10 --batch 256", "demo --json", "demo --plot demo.svg"])

    static let analyze = Command(
        name: "analyze",
        summary: "Critical batch size from per-sample gradients (.npy N×D, .safetensors one tensor per layer, or shards).",
        options: reportOptions + statisticsOptions + [
            .value("layers", .list(.text), valueName: "NAME=WIDTH,…", help: "Split the columns of a flat matrix into named layers (widths must add up to D)."),
            .value("tensors", .list(.text), valueName: "NAME,…", help: "Only these tensors of a .safetensors file (default: all, in file order)."),
            .value("precision", .number(NumberBounds(above: 0, below: 1)), valueName: "R",
                   help: "Read rows in random order until the 95 % interval of tr(I_F) is within ±R·tr(I_F)."),
            .value("seed", .integer(min: 0, max: .max), default: "0", help: "Seed of the row order with --precision."),
        ],
        positionals: Positionals("FILE", minimum: 1, help: "Gradient files or directories of shards; rows are concatenated."),
        examples: ["analyze grads.npy --batch 256", "analyze shards/ --batch 1024 --p-max 500 --json",
                   "analyze grads.safetensors --precision 0.02 --memory 24G --bytes-per-sample 3M"])

    static let ghost = Command(
        name: "ghost",
        summary: "The same analysis from linear-layer inputs and output gradients (ghost norms), without per-sample gradients.",
        options: [
            .value("activations", .text, valueName: "A.npy", help: "Layer inputs a: N×d_in or N×T×d_in."),
            .value("backprops", .text, valueName: "D.npy", help: "Output gradients δ = ∂L/∂y: N×d_out or N×T×d_out."),
            .flag("bias", help: "The layer has a bias: include ‖Σ_t δ_t‖²."),
            .value("method", .choice(["auto", "gram", "materialize"]), default: "auto",
                   help: "Ghost-norm algorithm; auto chooses per layer by cost."),
            .flag("no-mean-gradient", help: "Skip Σᵢ gᵢ (one GEMM per layer): faster, but no tr(Σ), ‖G‖² or B_simple."),
            .flag("kfac", help: "Also compute the K-FAC factors and compare tr(A)·tr(S) with the exact layer trace."),
        ] + reportOptions + [statisticsOptions[0], statisticsOptions[2]],
        positionals: Positionals("FILE", minimum: 0, maximum: 1, help: "A .safetensors file with <layer>.activations / <layer>.backprops pairs."),
        examples: ["ghost --activations a.npy --backprops d.npy --bias --batch 64", "ghost layers.safetensors --kfac --json"])

    static let noise = Command(
        name: "noise",
        summary: "The noise scale over training from logged batch-gradient norms (two-batch estimator), and a batch schedule.",
        options: [
            .value("log", .text, valueName: "FILE.csv", required: true, help: "Training log: step,b_small,g_small_sq,b_big,g_big_sq."),
            .value("smoothing", .number(NumberBounds(lower: 0, upper: 1, upperInclusive: false)), valueName: "β", default: "0.99",
                   help: "EMA decay of |G|² and tr(Σ) per step."),
            .value("min-batch", .positiveInteger, default: "1", help: "Smallest batch in the schedule."),
            .value("max-batch", .positiveInteger, help: "Largest batch in the schedule."),
            .flag("monotone", help: "Never lower the batch in the schedule."),
            .value("every", .positiveInteger, valueName: "K", default: "1", help: "Keep every K-th step in the schedule table."),
        ] + reportOptions.filter { ["batch", "tolerance", "micro-batch", "json", "plot"].contains($0.name) },
        examples: ["noise --log train.csv", "noise --log train.csv --monotone --micro-batch 32 --max-batch 4096 --json"])

    static let merge = Command(
        name: "merge",
        summary: "Combine saved accumulator states from shards or machines into one report.",
        options: reportOptions.filter { $0.name != "threads" } + [statisticsOptions[2]],
        positionals: Positionals("STATE", minimum: 1, help: "States written by --save-state."),
        examples: ["merge rank0.json rank1.json --batch 512", "merge states/*.json --save-state all.json --json"])

    public static let tool = Tool(
        name: "batch-advisor", version: version,
        summary: "How large should your batch be? The critical batch size from the Fisher information of per-sample gradients.",
        commands: [demo, analyze, ghost, noise, merge], defaultCommand: "demo")
}
