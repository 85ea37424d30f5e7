import Testing
@testable import FisherTrace

@Suite struct SafetensorsReaderTests {
    @Test func readsEveryTensorAsWritten() throws {
        for file in ["st_layers.safetensors", "st_ghost.safetensors"] {
            let reader = try SafetensorsFile(path: FixtureFiles.path(file))
            let keys = FixtureFiles.expected.keys.filter { $0.hasPrefix(file + "/") }
            #expect(Set(reader.tensorNames) == Set(keys.map { String($0.dropFirst(file.count + 1)) }))
            for key in keys {
                let expected = try #require(FixtureFiles.expected[key])
                let tensor = try reader.tensor(named: String(key.dropFirst(file.count + 1)))
                #expect(tensor.shape == expected.shape, "\(key)")
                #expect(zip(tensor.doubles(), expected.values).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(key)")
            }
        }
    }

    @Test func misalignedTensorsAreReadByConversion() throws {
        let path = FixtureFiles.path("st_misaligned.safetensors")
        let single = try SafetensorsFile(path: path).tensor(named: "s")
        #expect(single.matrix == nil && !single.isKernelReadable)
        #expect(single.doubles() == FixtureFiles.expected["st_misaligned.safetensors/s"]!.values)
        let data = try GradientDataSet(path: path)
        let rows = (0..<3).map { i in
            FixtureFiles.expected["st_misaligned.safetensors/h"]!.values[i...i] + FixtureFiles.expected["st_misaligned.safetensors/s"]!.values[(2 * i)..<(2 * i + 2)]
        }
        var accumulator = FisherAccumulator(dimension: 3, layers: data.layers, keepSampleNorms: true)
        try data.accumulate(into: &accumulator)
        let norms = try #require(try accumulator.finalize().sampleSquaredNorms)
        #expect(zip(norms, rows).allSatisfy { relativeDifference($0, $1.reduce(0) { $0 + $1 * $1 }) < 1e-15 })
    }

    @Test func headerDetails() throws {
        let reader = try SafetensorsFile(path: FixtureFiles.path("st_layers.safetensors"))
        #expect(reader.header.metadata == ["producer": "make_fixtures.py"])
        #expect(reader.header.dataOffset % 8 == 0)
        let types = Dictionary(uniqueKeysWithValues: reader.header.tensors.map { ($0.name, $0.elementType) })
        #expect(types == ["fc1.weight": .float32, "fc1.bias": .float16, "fc2.weight": .bfloat16, "fc2.bias": .float64])
        // File order is offset order.
        #expect(reader.header.tensors.map(\.dataOffsets.lowerBound) == reader.header.tensors.map(\.dataOffsets.lowerBound).sorted())
    }

    @Test func ghostPairsExposeShapesAndTypes() throws {
        let reader = try SafetensorsFile(path: FixtureFiles.path("st_ghost.safetensors"))
        let pairs = try reader.ghostPairs().sorted { $0.layer < $1.layer }
        #expect(pairs.map(\.layer) == ["block", "head"])
        #expect(pairs[0].rows == 3 && pairs[0].steps == 4 && pairs[0].inputFeatures == 5 && pairs[0].outputFeatures == 2)
        #expect(pairs[0].activations.elementType == .float32 && pairs[0].activations.matrix?.columns == 20)
        #expect(pairs[1].rows == 3 && pairs[1].steps == 1 && pairs[1].inputFeatures == 6 && pairs[1].outputFeatures == 2)
        #expect(pairs[1].backprops.elementType == .bfloat16 && pairs[1].backprops.baseAddress != nil)
        #expect(reader.gradientTensorNames == ["head.weight"])
    }

    static let badFiles: [(String, String)] = [
        ("bad_overlap.safetensors", "tensor 'b' field 'data_offsets' is [8, 16] (expected no overlap with tensor 'a' at [0, 16])"),
        ("bad_gap.safetensors", "tensor 'b' field 'data_offsets' is [16, 24] (expected to start at 8: bytes 8..<16 of the data belong to no tensor)"),
        ("bad_past_end.safetensors", "data is truncated: tensor 'a' field 'data_offsets' is [0, 24], the data buffer has 20 bytes"),
        ("bad_trailing.safetensors", "bytes 16..<24 of the data belong to no tensor (expected the tensors to cover the data buffer exactly)"),
        ("bad_dtype.safetensors", "tensor 'a' field 'dtype' is \"I8\" (expected one of 'F32', 'F64', 'F16', 'BF16')"),
        ("bad_byte_count.safetensors", "tensor 'a' field 'data_offsets' is [0, 24] (expected 16 bytes for shape [2, 2] of F32)"),
        ("bad_duplicate.safetensors", "header is not valid JSON: the key 'a' appears twice at byte 68 (expected a JSON object of tensor entries)"),
        ("bad_json.safetensors", "header is not valid JSON: the text ends inside an object at byte 64 (expected a JSON object of tensor entries)"),
        ("bad_header_length.safetensors", "not a safetensors file (its first 8 bytes give a header length of 1099511627776, but only 2 bytes follow)"),
    ]

    @Test(arguments: badFiles)
    func rejectsBadFilesWithOneLine(_ name: String, _ message: String) {
        let path = FixtureFiles.path(name)
        #expect(thrownError(FileError.self) { _ = try SafetensorsFile(path: path) }?.description == "\(path): \(message)")
    }

    @Test func notSafetensorsAtAll() {
        let path = FixtureFiles.path("npy_f4_le_c.npy")
        #expect(thrownError(FileError.self) { _ = try SafetensorsFile(path: path) }?.description
            == "\(path): not a safetensors file (its first 8 bytes give a header length of 379676406402707, but only 180 bytes follow)")
    }

    @Test func missingTensorsAndBrokenPairs() throws {
        let path = FixtureFiles.path("st_layers.safetensors")
        let reader = try SafetensorsFile(path: path)
        #expect(thrownError(FileError.self) { _ = try reader.tensor(named: "fc3.weight") }?.description
            == "\(path): tensor 'fc3.weight' is missing (expected one of 'fc2.bias', 'fc1.weight', 'fc2.weight', 'fc1.bias')")
        let ghost = FixtureFiles.path("bad_ghost.safetensors")
        #expect(thrownError(FileError.self) { _ = try SafetensorsFile(path: ghost).ghostPairs() }?.description
            == "\(ghost): tensor 'x.backprops' is missing (expected one of 'x.activations')")
        let rows = FixtureFiles.path("bad_rows.safetensors")
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: rows) }?.description
            == "\(rows): tensor 'b' field 'shape' is [4, 2] (expected 2 rows, as tensor 'a')")
    }
}
