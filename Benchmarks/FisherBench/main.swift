// fisher-bench: kernel throughput against this machine's limits. Everything lives in BenchmarkCore.
import BenchmarkCore
import CommandLineSupport

CommandLineTool.main(FisherBench.tool()) { arguments in try FisherBench.run(arguments) }
