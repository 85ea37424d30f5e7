// libFuzzer target for the file readers: the .npy and .safetensors header parsers, and for inputs whose
// header is valid, reading the data through a GradientDataSet into a FisherAccumulator (converted,
// transposed and panel paths, tiny chunk budgets); also the training-log CSV parser.
//
// FUZZ_PARSER=npy|safetensors|csv picks the parser (default: the first input byte decides).
// Build and run with tools/fuzz.sh. Any error thrown is fine; a crash, a trap or a hang is a bug.
import FisherTrace
import Foundation

enum Parser: String { case npy, safetensors, csv }

let fixedParser = ProcessInfo.processInfo.environment["FUZZ_PARSER"].flatMap(Parser.init(rawValue:))
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-readers-\(getpid())").path

/// Opens the bytes (already written to `path`) as a data set and reads them every way the library does.
func readData(_ path: String, budget: Int, diagonal: Bool) {
    guard let data = try? GradientDataSet(path: path, chunkBudget: budget) else { return }
    var accumulator = FisherAccumulator(dimension: data.dimension, layers: data.layers, diagonal: diagonal, keepSampleNorms: true)
    if (try? data.accumulate(into: &accumulator)) != nil { _ = try? accumulator.finalize() }
    var again = FisherAccumulator(dimension: data.dimension, layers: data.layers)
    _ = try? again.update(from: data)
    _ = try? data.withRows(0..<min(data.rows, 3)) { views in views.map(\.rows) }
}

func fuzzOne(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    let parser = fixedParser ?? [.npy, .safetensors, .csv][Int(bytes[0]) % 3]
    let budget = 1 + Int(bytes[bytes.count - 1]) * 3
    switch parser {
    case .npy:
        guard let header = try? NpyHeader(parsing: bytes, name: "fuzz.npy"), header.dataByteCount <= 1 << 16 else { return }
        let path = scratch + ".npy"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        guard let file = try? NpyFile(path: path) else { return }
        _ = file.tensor.doubles()
        readData(path, budget: budget, diagonal: bytes.count % 2 == 0)
    case .safetensors:
        guard let header = try? SafetensorsHeader(parsing: bytes, name: "fuzz.safetensors"),
              header.tensors.reduce(0, { $0 + $1.dataOffsets.count }) <= 1 << 16 else { return }
        let path = scratch + ".safetensors"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        guard let file = try? SafetensorsFile(path: path) else { return }
        let tensors = file.tensorNames.compactMap { try? file.tensor(named: $0) }
        for tensor in tensors { _ = tensor.doubles() }
        if let pairs = try? file.ghostPairs() { for pair in pairs { _ = pair.activations.withMatrix { $0.rows } + pair.steps } }
        readData(path, budget: budget, diagonal: bytes.count % 2 == 1)
    case .csv:
        if let steps = try? TwoBatchLog.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.csv") {
            var estimator = TwoBatchNoiseEstimator()
            for step in steps { estimator.update(step) }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM supplies `main`, so libFuzzer's own never runs: hand it the arguments here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzTestOneInput))
