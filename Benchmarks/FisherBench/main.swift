import FisherTrace
print("fisher-bench: variant \(KernelVariant.default.rawValue), threads \(Compute.defaultThreads)")
