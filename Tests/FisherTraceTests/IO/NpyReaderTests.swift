import Testing
@testable import FisherTrace

@Suite struct NpyReaderTests {
    static let roundTrips = FixtureFiles.expected.keys.filter { $0.hasPrefix("npy_") }.sorted()

    @Test(arguments: roundTrips)
    func readsTheValuesNumPyWrote(_ name: String) throws {
        let file = try NpyFile(path: FixtureFiles.path(name))
        let expected = try #require(FixtureFiles.expected[name])
        #expect(file.tensor.shape == expected.shape)
        let values = file.tensor.doubles()
        #expect(values.count == expected.values.count)
        // Bit-exact, including −0.0 and the float16 subnormal.
        #expect(zip(values, expected.values).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func headerFieldsOfEachKind() throws {
        let cases: [(String, ElementType, ByteOrder, Bool, Int)] = [
            ("npy_f4_le_c.npy", .float32, .little, false, 1), ("npy_f8_be_f.npy", .float64, .big, true, 1),
            ("npy_f2_be_c.npy", .float16, .big, false, 1), ("npy_bf16_c.npy", .bfloat16, .little, false, 1),
            ("npy_bf16_be_c.npy", .bfloat16, .big, false, 1), ("npy_v2.npy", .float32, .little, false, 2),
            ("npy_v3.npy", .float32, .little, false, 3),
        ]
        for (name, type, order, fortran, version) in cases {
            let header = try NpyFile(path: FixtureFiles.path(name)).header
            #expect(header.elementType == type && header.byteOrder == order && header.fortranOrder == fortran, "\(name)")
            #expect(header.majorVersion == version && header.dataOffset % 64 == 0, "\(name)")
        }
        #expect(try NpyFile(path: FixtureFiles.path("npy_bf16_c.npy")).header.descriptor == "<V2")
    }

    @Test func kernelReadabilityFollowsStorage() throws {
        #expect(try NpyFile(path: FixtureFiles.path("npy_f4_le_c.npy")).tensor.matrix != nil)
        #expect(try NpyFile(path: FixtureFiles.path("npy_f4_be_c.npy")).tensor.matrix == nil)
        #expect(try NpyFile(path: FixtureFiles.path("npy_f4_le_f.npy")).tensor.matrix == nil)
        let threeD = try NpyFile(path: FixtureFiles.path("npy_3d.npy")).tensor
        #expect(threeD.rows == 4 && threeD.columns == 6 && threeD.matrix?.columns == 6)
    }

    static let badFiles: [(String, String)] = [
        ("bad_magic.npy", "not a NumPy .npy file (starts with 'PK\\x03\\x04 thi', expected the magic '\\x93NUMPY')"),
        ("bad_version.npy", "format version is 4.0 (expected 1.0, 2.0 or 3.0)"),
        ("bad_truncated.npy", "data is truncated: shape (5, 3) of <f4 needs 60 bytes after the 128-byte header, the file has 50 (expected a file of 188 bytes)"),
        ("bad_int8.npy", "header field 'descr' is '|i1' (integers) (expected \(NpyHeader.expectedDescriptors))"),
        ("bad_complex.npy", "header field 'descr' is '<c8' (complex) (expected \(NpyHeader.expectedDescriptors))"),
        ("bad_object.npy", "header field 'descr' is '|O' (Python objects) (expected \(NpyHeader.expectedDescriptors))"),
        ("bad_structured.npy", "header field 'descr' is a structured dtype [('a', '<f4'), ('b', '<f4')] (expected \(NpyHeader.expectedDescriptors))"),
        ("bad_syntax.npy", "header is not a Python literal: the header ends inside a value (expected a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (N, D), })"),
        ("bad_missing_key.npy", "header key 'shape' is missing (expected exactly the keys 'descr', 'fortran_order', 'shape')"),
        ("bad_rank4.npy", "header field 'shape' is (1, 2, 1, 2) (expected a tuple of 1 to 3 non-negative integers)"),
        ("bad_fortran_3d.npy", "header field 'fortran_order' is True for a 3-dimensional array (expected False (C order) for 3-D arrays)"),
    ]

    @Test(arguments: badFiles)
    func rejectsBadFilesWithOneLine(_ name: String, _ message: String) {
        let path = FixtureFiles.path(name)
        let error = thrownError(FileError.self) { _ = try NpyFile(path: path) }
        #expect(error?.description == "\(path): \(message)")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func emptyArraysWithHugeExtentsCostNothing() throws {
        let path = FixtureFiles.path("bad_empty_many_rows.npy")
        let tensor = try NpyFile(path: path).tensor
        #expect(tensor.rows == 1_000_000_000_000 && tensor.doubles().isEmpty)
        #expect(thrownError(FileError.self) { _ = try GradientDataSet(path: path) }?.description
            == "\(path): header field 'shape' is (1000000000000, 0) (expected at least one column per row)")
    }

    @Test func unreadablePaths() {
        let missing = FixtureFiles.path("no-such-file.npy")
        #expect(thrownError(FileError.self) { _ = try NpyFile(path: missing) }?.description
            == "\(missing): cannot be read (No such file or directory)")
        let directory = FixtureFiles.path("shards")
        #expect(thrownError(FileError.self) { _ = try NpyFile(path: directory) }?.description
            == "\(directory): cannot be read (it is a directory)")
    }

    @Test func hostileHeaderTextStaysOneLine() {
        var bytes: [UInt8] = Array("\u{93}NUMPY".unicodeScalars.map { UInt8($0.value) }) + [1, 0, 40, 0]
        bytes += Array("{'descr': '\n\u{1b}[31m', 'fortran_order': False, 'shape': (1,), }".utf8).prefix(40)
        let error = bytes.withUnsafeBytes { raw in thrownError(FileError.self) { _ = try NpyHeader(parsing: raw, name: "x.npy") } }
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains("\u{1b}") == false)
    }
}
