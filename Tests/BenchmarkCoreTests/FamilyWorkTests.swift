import FisherTrace
import Testing
@testable import BenchmarkCore

/// Flop and byte counts of the outer-product families, and the reference twins' sizes.
@Suite struct FamilyWorkTests {
    @Test func fisherBlockAndGramCountOneTriangle() throws {
        let block = try #require(try FisherBlockFamily().makeWorkloads(shape: Shape([300, 40]), elementType: .float32).first)
        #expect(block.work.flops == 300 * 40 * 41 && block.work.bytesRead == 300 * 40 * 4 && block.work.bytesWritten == 8 * 40 * 41 / 2)
        #expect(block.work.samples == 300)
        let gram = try #require(try GramFamily().makeWorkloads(shape: Shape([30, 400]), elementType: .float64).first)
        #expect(gram.work.flops == 30 * 31 * 400 && gram.work.bytesRead == 30 * 400 * 8 && gram.work.bytesWritten == 8 * 30 * 31 / 2)
    }

    @Test func ghostCountsEachAlgorithmsArithmetic() throws {
        let workloads = try GhostFamily().makeWorkloads(shape: Shape([5, 7, 11, 13]), elementType: .float32)
        #expect(workloads.map(\.kernel) == ["ghost-gram", "ghost-materialize"])
        let (n, t, din, dout) = (5.0, 7.0, 11.0, 13.0)
        let bias = t * dout + 2 * dout
        #expect(workloads[0].work.flops == n * (t * (t + 1) * (din + dout + 1) + bias))
        #expect(workloads[1].work.flops == n * (2 * t * din * dout + 2 * din * dout + bias))
        #expect(workloads[0].work.bytesRead == 5 * 7 * (11 + 13) * 4 && workloads[0].work.bytesWritten == 16 * 5)
        let single = try GhostFamily().makeWorkloads(shape: Shape([5, 1, 11, 13]), elementType: .float64)
        #expect(single.allSatisfy { $0.work.flops == n * (2 * (din + dout) + 1 + 3 * dout) })
        #expect(single[0].work.flopsFormula.contains("T = 1"))
        // The reference twin materializes at every T: its work is the materialized form's.
        let twin = workloads[0].reference.work
        #expect(twin.flops == n * (2 * t * din * dout + 2 * din * dout + bias) && twin.flopsFormula.contains("reference materializes"))
        #expect(single[0].reference.work.flops == n * (2 * din * dout + 2 * din * dout + 3 * dout))
    }

    @Test func kfacCountsOneTriangleOfEachFactor() throws {
        let kfac = try #require(try KFACFamily().makeWorkloads(shape: Shape([5, 7, 11, 13]), elementType: .float32).first)
        #expect(kfac.work.flops == 35 * (11 * 12 + 13 * 14))
        #expect(kfac.work.bytesRead == 35 * 24 * 4 && kfac.work.bytesWritten == 8 * (12 * 13 + 13 * 14) / 2)
        #expect(kfac.work.samples == 5)
    }

    @Test func referenceTwinsRunOnAsManySamplesAsTheBudgetAllows() throws {
        // Small inputs: the twin is the kernel itself.
        let small = try #require(try FisherBlockFamily().makeWorkloads(shape: Shape([100, 64]), elementType: .float32).first)
        #expect(small.reference.shape == small.shape && small.reference.work == small.work && small.referenceScale == 1)
        // Large ones: the first rows, within 10⁸ flops.
        let large = try #require(try FisherBlockFamily().makeWorkloads(shape: Shape([4096, 512]), elementType: .float32).first)
        #expect(large.reference.shape.dimensions[1] == 512)
        let rows = large.reference.shape.dimensions[0]
        #expect(large.reference.work.flops <= 1e8 && Double(rows + 1) * 512 * 513 > 1e8 * 0.8)
        #expect(large.reference.work == FisherBlockFamily.work(rows: rows, columns: 512, elementType: .float32))
        let quadratic = referenceTwinSize(samples: 1000) { Double($0 * $0) * 1000 }
        #expect(quadratic.samples <= 316 && quadratic.scale == 1e9 / Double(quadratic.samples * quadratic.samples * 1000))
        #expect(referenceTwinSize(samples: 1) { _ in 1e12 } == (1, 1))
        #expect(referenceTwinSize(samples: 50) { Double($0) } == (50, 1))
        #expect(large.referenceScale == 4096 / Double(rows))
    }

    @Test(arguments: [Shape([37, 19]), Shape([3, 5, 7, 9]), Shape([6, 1, 7, 9])])
    func everyWorkloadRunsOptimizedAndAsItsReferenceTwin(shape: Shape) throws {
        for family in KernelFamilies.all where family.accepts(shape) {
            for type in family.elementTypes where type != .float16 && type != .bfloat16 || family.name.hasPrefix("m") {
                for workload in try family.makeWorkloads(shape: shape, elementType: type) {
                    try workload.reference.run(ComputeOptions(threads: 1, variant: .reference))
                    try workload.call.run(ComputeOptions(threads: 2))
                }
            }
        }
    }
}
