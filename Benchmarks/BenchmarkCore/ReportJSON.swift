import CommandLineSupport

extension BenchmarkReport {
    /// Version of the JSON layout below; bumped when a key changes meaning or disappears.
    public static let schemaVersion = 1

    /// The report for machines (`--json`). Rates are per second, times in seconds, sizes in bytes; a figure
    /// that does not apply (thread scaling of the reference) is `null`.
    public func json() -> JSONValue {
        [
            "schema_version": .int(Self.schemaVersion),
            "tool": "fisher-bench",
            "version": .string(version),
            "mode": .string(mode),
            "build": .string(buildConfiguration),
            "machine": machineJSON,
            "settings": [
                "variant": .string(variant.rawValue),
                "threads": .array(limits.map { .int($0.threads) }),
                "warmups": .int(plan.warmups),
                "runs": .int(plan.runs),
                "reference_runs": .int(referencePlan.runs),
                "minimum_run_seconds": .number(plan.minimumRunSeconds),
            ],
            "load_average": ["start": JSONValue(loadAverage.start), "end": JSONValue(loadAverage.end)],
            "wall_seconds": .number(wallSeconds),
            "limits": .array(limits.map(Self.json)),
            "results": .array(results.map(Self.json)),
        ]
    }

    private var machineJSON: JSONValue {
        [
            "cpu": .string(machine.cpuModel),
            "vendor": .string(machine.vendor),
            "cpu_family": JSONValue(machine.cpuFamily),
            "cores": .int(machine.cores),
            "memory_bytes": .int(machine.memoryBytes),
            "last_level_cache_bytes": JSONValue(machine.lastLevelCacheBytes),
            "openmp": .bool(machine.openMP),
            "default_variant": .string(machine.defaultVariant.rawValue),
            "supported_variants": .array(machine.supportedVariants.map { .string($0.rawValue) }),
        ]
    }

    static func json(_ timing: TimingSummary) -> JSONValue {
        [
            "median_seconds": .number(timing.median),
            "min_seconds": .number(timing.minimum),
            "max_seconds": .number(timing.maximum),
            "spread": .number(timing.spread),
            "runs": .int(timing.samples.count),
            "warmups": .int(timing.warmups),
            "calls_per_run": .int(timing.callsPerRun),
            "samples_seconds": .array(timing.samples.map(JSONValue.number)),
        ]
    }

    static func json(_ limits: MachineLimits) -> JSONValue {
        func bandwidth(_ b: BandwidthMeasurement) -> JSONValue {
            ["bytes": .number(b.bytes), "bytes_per_second": .number(b.bytesPerSecond), "timing": json(b.timing)]
        }
        return [
            "threads": .int(limits.threads),
            "read": bandwidth(limits.read),
            "triad": bandwidth(limits.triad),
            "clock": [
                "hertz": .number(limits.clock.hertz),
                "cycles_per_call": .number(limits.clock.cyclesPerCall),
                "timing": json(limits.clock.timing),
            ],
            "peak": [
                "flops_per_call": .number(limits.peak.flopsPerCall),
                "flops_per_second": .number(limits.peak.flopsPerSecond),
                "flops_per_cycle": .number(limits.flopsPerCycle),
                "timing": json(limits.peak.timing),
            ],
        ]
    }

    static func json(_ r: KernelResult) -> JSONValue {
        [
            "family": .string(r.family),
            "kernel": .string(r.kernel),
            "shape": .array(r.shape.dimensions.map(JSONValue.int)),
            "dtype": .string(r.elementType.rawValue),
            "threads": .int(r.threads),
            "variant": .string(r.variant.rawValue),
            "work": [
                "flops": .number(r.work.flops),
                "flops_formula": .string(r.work.flopsFormula),
                "bytes_read": .number(r.work.bytesRead),
                "bytes_written": .number(r.work.bytesWritten),
                "samples": .int(r.work.samples),
            ],
            "timing": json(r.timing),
            "bytes_per_second": .number(r.bytesPerSecond),
            "flops_per_second": .number(r.flopsPerSecond),
            "samples_per_second": .number(r.samplesPerSecond),
            "bound": .string(r.bound.rawValue),
            "roofline_fraction": .number(r.rooflineFraction),
            "yardstick": r.yardstick.map { y -> JSONValue in
                ["bound": .string(y.bound.rawValue), "rate_per_second": .number(y.rate), "timing": json(y.timing)]
            } ?? .null,
            "thread_scaling": JSONValue(r.threadScaling),
            "reference_speedup": JSONValue(r.referenceSpeedup),
        ]
    }
}
