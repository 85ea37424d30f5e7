import Foundation
import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct WorkloadTests {
    @Test(arguments: ElementType.allCases)
    func randomInputsAreDeterministicUniformAndRepeatBlocks(type: ElementType) throws {
        let count = (1 << 20) / type.byteCount + 1000  // more than one 1 MiB block
        let a = try AlignedBuffer.randomElements(type, count: count)
        let b = try AlignedBuffer.randomElements(type, count: count)
        #expect(memcmp(a.base, b.base, a.byteCount) == 0)
        #expect(Int(bitPattern: a.base) % 4096 == 0)
        let view = a.matrix(type, rows: count, columns: 1)
        var accumulator = FisherAccumulator(dimension: 1, diagonal: true)
        try accumulator.update(view)
        let stats = try accumulator.finalize()
        // Uniform on [−1, 1): mean square 1/3.
        #expect(abs(stats.overall.trace - 1.0 / 3) < 0.01)
        // The tail repeats the first block.
        let block = 1 << 20
        #expect(memcmp(a.base + block, a.base, a.byteCount - block) == 0)
        let other = try AlignedBuffer.randomElements(type, count: count, seed: 2)
        #expect(memcmp(a.base, other.base, 64) != 0)
    }

    @Test func npyWorkloadReadsItsFileAndDeletesItAfterwards() throws {
        var path = ""
        do {
            let file = try TemporaryNpyFile(elementType: .float32, rows: 33, columns: 17)
            path = file.path
            let data = try GradientDataSet(path: file.path)
            #expect(data.rows == 33 && data.layers.map(\.width) == [17] && data.elementTypes == [.float32])
            #expect(data.byteCount == 33 * 17 * 4)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect((size! - 33 * 17 * 4) % 64 == 0)
            try NpyFileFamily().makeWorkloads(shape: Shape([33, 17]), elementType: .bfloat16)[0].call.run(ComputeOptions(threads: 1))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func npyFileHoldsTheSameValuesAsTheInMemoryMatrix() throws {
        let file = try TemporaryNpyFile(elementType: .float64, rows: 9, columns: 5)
        let memory = try AlignedBuffer.randomElements(.float64, count: 45)
        var fromFile = FisherAccumulator(dimension: 5, diagonal: true)
        try GradientDataSet(path: file.path).accumulate(into: &fromFile)
        var fromMemory = FisherAccumulator(dimension: 5, diagonal: true)
        try fromMemory.update(memory.matrix(.float64, rows: 9, columns: 5))
        #expect(try fromFile.finalize().overall == fromMemory.finalize().overall)
    }
}
