// Benchmark measurement core.
