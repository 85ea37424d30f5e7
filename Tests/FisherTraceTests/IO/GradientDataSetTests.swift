import Foundation
import Testing
@testable import FisherTrace

@Suite struct GradientDataSetTests {
    /// Every row of every layer as doubles, read through `withRows` in chunks of `chunk` rows.
    static func rows(of data: GradientDataSet, chunk: Int) throws -> [[Double]] {
        var out: [[Double]] = []
        var start = 0
        while start < data.rows {
            let end = min(data.rows, start + chunk)
            try data.withRows(start..<end) { views in
                for i in 0..<(end - start) {
                    out.append(views.flatMap { v in (0..<v.columns).map { v.value(i, $0) } })
                }
            }
            start = end
        }
        return out
    }

    static func statistics(_ data: GradientDataSet, diagonal: Bool = false) throws -> FisherStatistics {
        var accumulator = FisherAccumulator(dimension: data.dimension, layers: data.layers, diagonal: diagonal, keepSampleNorms: true)
        try data.accumulate(into: &accumulator)
        return try accumulator.finalize()
    }

    @Test(arguments: FixtureFiles.expected.keys.filter { $0.hasPrefix("npy_") && !$0.hasPrefix("npy_1d") }.sorted())
    func statisticsMatchAFloat64Reference(_ name: String) throws {
        let expected = try #require(FixtureFiles.expected[name])
        let reference = FixtureFiles.reference(expected.values, rows: expected.shape[0])
        let statistics = try Self.statistics(GradientDataSet(path: FixtureFiles.path(name)))
        #expect(relativeDifference(statistics.trace, reference.trace) < 1e-14)
        #expect(relativeDifference(try #require(statistics.meanGradientNormSquared), reference.meanNormSquared) < 1e-13)
        #expect(zip(try #require(statistics.sampleSquaredNorms), reference.norms).allSatisfy { relativeDifference($0, $1) < 1e-14 })
    }

    @Test func safetensorsLayersInFileOrderWithMixedTypes() throws {
        let data = try GradientDataSet(path: FixtureFiles.path("st_layers.safetensors"))
        #expect(data.layers.map(\.name) == ["fc2.bias", "fc1.weight", "fc2.weight", "fc1.bias"])
        #expect(data.layers.map(\.width) == [1, 6, 5, 2] && data.elementTypes == [.float64, .float32, .bfloat16, .float16])
        let perTensor = data.layers.map { FixtureFiles.expected["st_layers.safetensors/" + $0.name]!.values }
        var rows: [Double] = []
        for i in 0..<4 { for (l, layer) in data.layers.enumerated() { rows += perTensor[l][(i * layer.width)..<((i + 1) * layer.width)] } }
        let reference = FixtureFiles.reference(rows, rows: 4)
        let statistics = try Self.statistics(data)
        #expect(relativeDifference(statistics.trace, reference.trace) < 1e-14)
        #expect(relativeDifference(try #require(statistics.meanGradientNormSquared), reference.meanNormSquared) < 1e-13)
        #expect(statistics.layers.map(\.name) == data.layers.map(\.name))
    }

    @Test func selectedTensorsBecomeTheLayers() throws {
        let path = FixtureFiles.path("st_layers.safetensors")
        let data = try GradientDataSet(path: path, tensors: ["fc2.weight", "fc1.bias"])
        #expect(data.layers == FisherAccumulator.Layer.consecutive([("fc2.weight", 5), ("fc1.bias", 2)]))
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: path, tensors: ["fc9"]) }?.description
            == "\(path): tensor 'fc9' is missing (expected one of 'fc2.bias', 'fc1.weight', 'fc2.weight', 'fc1.bias')")
        let npy = FixtureFiles.path("concat.npy")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: npy, tensors: ["a"]) }?.description
            == "\(npy): tensors 'a' were requested (expected a .safetensors file: a .npy file holds one unnamed array)")
    }

    @Test(arguments: [1, 7, 64, 1000])
    func chunkedReadingEqualsWholeReadingToTheBit(_ chunkRows: Int) throws {
        for name in ["twin_c.npy", "twin_be.npy", "twin_f.npy"] {
            let whole = try GradientDataSet(path: FixtureFiles.path(name), chunkBudget: 1 << 30)
            let chunked = try GradientDataSet(path: FixtureFiles.path(name), chunkBudget: chunkRows * whole.rowBytes + 64)
            #expect(chunked.preferredChunkRows == chunkRows)
            let a = try Self.rows(of: whole, chunk: whole.rows), b = try Self.rows(of: chunked, chunk: chunkRows)
            #expect(a.count == 300 && a.elementsEqual(b) { $0.map(\.bitPattern) == $1.map(\.bitPattern) }, "\(name)")
            let s = try Self.statistics(whole, diagonal: true), t = try Self.statistics(chunked, diagonal: true)
            #expect(s.trace.bitPattern == t.trace.bitPattern && s.traceStandardError == t.traceStandardError)
            #expect(s.sampleSquaredNorms == t.sampleSquaredNorms)
            // Column sums are added chunk by chunk: equal to rounding (FisherAccumulator's contract).
            #expect(relativeDifference(s.meanGradientNormSquared!, t.meanGradientNormSquared!) < 1e-14)
        }
    }

    @Test func convertedDataGivesTheSameBitsAsDirectData() throws {
        let budget = 4096
        let direct = try Self.statistics(GradientDataSet(path: FixtureFiles.path("twin_c.npy"), chunkBudget: budget), diagonal: true)
        let swapped = try Self.statistics(GradientDataSet(path: FixtureFiles.path("twin_be.npy"), chunkBudget: budget), diagonal: true)
        let transposed = try Self.statistics(GradientDataSet(path: FixtureFiles.path("twin_f.npy"), chunkBudget: budget), diagonal: true)
        #expect(direct == swapped)
        // Column panels of a Fortran-order file sum in another order: the same figures to rounding.
        #expect(relativeDifference(direct.trace, transposed.trace) < 1e-14)
        for (a, b) in zip(direct.diagonal!, transposed.diagonal!) { #expect(relativeDifference(a, b) < 1e-13) }
    }

    @Test func fileLargerThanTheBudgetStreamsWithinIt() throws {
        let budget = 4096
        for name in ["twin_be.npy", "twin_f.npy"] {
            for diagonal in [false, true] {
                let data = try GradientDataSet(path: FixtureFiles.path(name), chunkBudget: budget)
                #expect(data.byteCount == 300 * 37 * 4 && data.byteCount > 10 * budget)
                _ = try Self.statistics(data, diagonal: diagonal)
                #expect(data.peakBufferBytes > 0 && data.peakBufferBytes <= budget, "\(name) diagonal \(diagonal): \(data.peakBufferBytes)")
                // The GradientSource path stays within the budget too.
                var accumulator = FisherAccumulator(dimension: 37)
                try accumulator.update(from: data)
                #expect(data.peakBufferBytes <= budget)
            }
        }
        let direct = try GradientDataSet(path: FixtureFiles.path("twin_c.npy"), chunkBudget: budget)
        _ = try Self.statistics(direct)
        #expect(direct.peakBufferBytes == 0)
    }

    @Test func fortranOrderGivesTheStatisticsOfItsCOrderTwin() throws {
        let c = try Self.statistics(GradientDataSet(path: FixtureFiles.path("twin_c.npy"), chunkBudget: 2000))
        let f = try Self.statistics(GradientDataSet(path: FixtureFiles.path("twin_f.npy"), chunkBudget: 2000))
        #expect(relativeDifference(c.trace, f.trace) < 1e-14)
        #expect(relativeDifference(c.traceStandardError!, f.traceStandardError!) < 1e-12)
        #expect(relativeDifference(c.meanGradientNormSquared!, f.meanGradientNormSquared!) < 1e-13)
        #expect(zip(c.sampleSquaredNorms!, f.sampleSquaredNorms!).allSatisfy { relativeDifference($0, $1) < 1e-14 })
        #expect(relativeDifference(c.noiseScale!, f.noiseScale!) < 1e-11)
    }

    @Test func shardsEqualTheConcatenatedFile() throws {
        let shards = try GradientDataSet(path: FixtureFiles.path("shards"))
        #expect(shards.files.map { $0.split(separator: "/").last! } == ["rank0.npy", "rank1.npy", "rank10.npy"])
        let concat = try GradientDataSet(path: FixtureFiles.path("concat.npy"))
        #expect(shards.rows == 12 && shards.layers == concat.layers)
        for chunk in [1, 5, 12] {
            #expect(try Self.rows(of: shards, chunk: chunk) == Self.rows(of: concat, chunk: 12))
        }
        let a = try Self.statistics(shards), b = try Self.statistics(concat)
        #expect(a.trace.bitPattern == b.trace.bitPattern && a.sampleSquaredNorms == b.sampleSquaredNorms)
        #expect(relativeDifference(a.meanGradientNormSquared!, b.meanGradientNormSquared!) < 1e-14)

        let listed = try GradientDataSet(paths: ["st_shards/part-0.safetensors", "st_shards/part-1.safetensors"].map(FixtureFiles.path))
        let whole = try GradientDataSet(path: FixtureFiles.path("st_concat.safetensors"))
        #expect(listed.layers == whole.layers && listed.rows == 7)
        #expect(try Self.rows(of: listed, chunk: 3) == Self.rows(of: whole, chunk: 7))
    }

    @Test func shardsThatDisagreeAreRejected() {
        let concat = FixtureFiles.path("concat.npy")
        let columns = FixtureFiles.path("mismatch_columns.npy"), dtype = FixtureFiles.path("mismatch_dtype.npy")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(paths: [concat, columns]) }?.description
            == "\(columns): header field 'shape' is 5 columns per row (expected 6, as in \(concat))")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(paths: [concat, dtype]) }?.description
            == "\(dtype): header field 'descr' is float16 (expected float32, as in \(concat))")
        let mixed = FixtureFiles.path("st_concat.safetensors")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(paths: [concat, mixed]) }?.description
            == "\(mixed): tensors are 'b', 'w' (expected 'all', as in \(concat))")
    }

    @Test func badValuesNameTheFileAndRow() throws {
        let nan = FixtureFiles.path("bad_nan.npy")
        for budget in [12, 1 << 20] {
            var accumulator = FisherAccumulator(dimension: 3)
            let error = thrownError(DataError.self) { try GradientDataSet(path: nan, chunkBudget: budget).accumulate(into: &accumulator) }
            #expect(error?.description == "\(nan): row 3 holds a NaN or infinite value (expected finite gradients)")
            var again = FisherAccumulator(dimension: 3)
            #expect(thrownError(DataError.self) { try again.update(from: GradientDataSet(path: nan, chunkBudget: budget)) } == error)
        }
        // Fortran-order float16 (the panel path), and a bad row in a later shard.
        let inf = FixtureFiles.path("bad_inf_f2.npy")
        var accumulator = FisherAccumulator(dimension: 3)
        #expect(try thrownError(DataError.self) { try GradientDataSet(path: inf).accumulate(into: &accumulator) }
            == DataError(file: inf, row: 2, tensor: nil, kind: .nonFinite))
        var shards = FisherAccumulator(dimension: 3)
        #expect(try thrownError(DataError.self) { try GradientDataSet(paths: [FixtureFiles.path("npy_f4_le_c.npy"), nan]).accumulate(into: &shards) }
            == DataError(file: nan, row: 3, tensor: nil, kind: .nonFinite))
        #expect(DataError(file: "g.safetensors", row: 9, tensor: "fc1.weight", kind: .overflow).description
            == "g.safetensors: row 9 of tensor 'fc1.weight' overflows double precision when squared (expected |values| < 1e154)")
    }

    @Test func zeroRowsEmptyDirectoriesAndOtherFormats() {
        let zero = FixtureFiles.path("bad_zero_rows.npy")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: zero) }?.description
            == "\(zero): header field 'shape' is (0, 5) (expected at least one row)")
        let columns = FixtureFiles.path("bad_zero_columns.npy")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: columns) }?.description
            == "\(columns): header field 'shape' is (3, 0) (expected at least one column per row)")
        let csv = FixtureFiles.path("noise_log.csv")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: csv) }?.description
            == "\(csv): neither a .npy nor a .safetensors file (starts with '# written ')")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("fishertrace-empty-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: empty) }?.description
            == "\(empty): directory holds no .npy or .safetensors files (expected one shard file or more)")
    }

    @Test func progressReachesTheEnd() throws {
        let data = try GradientDataSet(paths: [FixtureFiles.path("twin_c.npy"), FixtureFiles.path("twin_f.npy")], chunkBudget: 10_000)
        var reports: [GradientDataSet.Progress] = []
        var accumulator = FisherAccumulator(dimension: 37)
        try data.accumulate(into: &accumulator) { reports.append($0) }
        #expect(reports.count > 4 && reports.last?.rowsDone == 600 && reports.last?.bytesDone == data.byteCount)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.rowsDone < $1.rowsDone && $0.bytesDone < $1.bytesDone })
        #expect(reports.first?.file == data.files[0] && reports.last?.file == data.files[1])
    }

    @Test func sequentialSamplingReadsThroughTheSource() throws {
        let c = try FisherAccumulator.sequentialEstimate(GradientDataSet(path: FixtureFiles.path("twin_c.npy")), precision: 0.05, seed: 7)
        let f = try FisherAccumulator.sequentialEstimate(GradientDataSet(path: FixtureFiles.path("twin_f.npy")), precision: 0.05, seed: 7)
        #expect(c.rowsRead == f.rowsRead && c.statistics == f.statistics)
        #expect(c.rowsRead >= 32 && c.rowsRead <= 300)
    }

    @Test func naturalOrderSortsNumbersByValue() {
        #expect(["r10", "r2", "r1", "a", "r01b", "r1a"].sorted(by: naturalOrder) == ["a", "r1", "r1a", "r01b", "r2", "r10"])
    }
}
