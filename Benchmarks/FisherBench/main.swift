import BenchmarkCore
print("fisher-bench: not yet")
