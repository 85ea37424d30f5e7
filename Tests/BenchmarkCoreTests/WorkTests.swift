import FisherTrace
import Testing
@testable import BenchmarkCore

@Suite struct WorkTests {
    @Test func momentsFlopsAndBytesPerKernel() throws {
        let workloads = try MomentsFamily().makeWorkloads(shape: Shape([100, 30]), elementType: .float32)
        #expect(workloads.map(\.kernel) == ["moments", "moments+diagonal"])
        let (plain, diagonal) = (workloads[0].work, workloads[1].work)
        #expect(plain.flops == 3 * 100 * 30 && diagonal.flops == 5 * 100 * 30)
        #expect(plain.bytesRead == 100 * 30 * 4 && diagonal.bytesRead == 100 * 30 * 4)
        #expect(plain.bytesWritten == 8 * (100 + 30) && diagonal.bytesWritten == 8 * (100 + 2 * 30))
        #expect(plain.samples == 100)
        #expect(plain.flopsFormula.hasPrefix("3·N·D") && diagonal.flopsFormula.hasPrefix("5·N·D"))
    }

    @Test(arguments: ElementType.allCases)
    func bytesFollowTheElementSize(type: ElementType) throws {
        let work = try MomentsFamily().makeWorkloads(shape: Shape([8, 5]), elementType: type)[0].work
        #expect(work.bytesRead == Double(8 * 5 * type.byteCount))
        #expect(MomentsFamily().inputBytes(Shape([8, 5]), elementType: type) == 8 * 5 * type.byteCount)
        let file = try NpyFileFamily().makeWorkloads(shape: Shape([8, 5]), elementType: type)[0].work
        #expect(file.bytesRead == Double(8 * 5 * type.byteCount) && file.flops == 3 * 8 * 5)
    }

    @Test func rooflinePicksTheBindingLimit() {
        let roofline = Roofline(readBandwidth: 20e9, triadBandwidth: 25e9, peakFlops: 100e9)
        // Reads 1 GB, writes almost nothing, 1 flop per byte: 50 ms at 20 GB/s vs 10 ms at peak.
        let readOnly = Work(flops: 1e9, bytesRead: 1e9, bytesWritten: 1e3, samples: 1, flopsFormula: "")
        #expect(roofline.limit(for: readOnly).bound == .readBandwidth)
        #expect(abs(roofline.limit(for: readOnly).seconds - (1e9 + 1e3) / 20e9) < 1e-15)
        #expect(abs(roofline.fraction(of: readOnly, seconds: 0.1) - 0.5 * (1e9 + 1e3) / 1e9) < 1e-12)
        // Writes a third of its traffic: the triad bandwidth applies.
        let writing = Work(flops: 0, bytesRead: 2e9, bytesWritten: 1e9, samples: 1, flopsFormula: "")
        #expect(roofline.limit(for: writing).bound == .triadBandwidth)
        #expect(roofline.limit(for: writing).seconds == 3e9 / 25e9)
        // 100 flops per byte: compute-bound.
        let dense = Work(flops: 1e11, bytesRead: 1e9, bytesWritten: 0, samples: 1, flopsFormula: "")
        #expect(roofline.limit(for: dense).bound == .peakFlops && roofline.limit(for: dense).seconds == 1)
        #expect(roofline.fraction(of: dense, seconds: 4) == 0.25)
        let faster = roofline.replacing(.readBandwidth, with: 40e9)
        #expect(faster == Roofline(readBandwidth: 40e9, triadBandwidth: 25e9, peakFlops: 100e9))
        #expect(roofline.replacing(.peakFlops, with: 1).peakFlops == 1 && roofline.replacing(.triadBandwidth, with: 2).triadBandwidth == 2)
    }

    @Test func shapesParse() {
        #expect(Shape(parsing: "65536x4096") == Shape([65536, 4096]))
        #expect(Shape(parsing: "256x128x1024x1024")?.dimensions == [256, 128, 1024, 1024])
        #expect(Shape(parsing: "7") == Shape([7]))
        for bad in ["", "x", "10x", "x10", "10x0", "10x-3", "10X20", "10 x 20", "1e3x2", "+5x2", "10x20x"] {
            #expect(Shape(parsing: bad) == nil, "\(bad)")
        }
        #expect(Shape([3, 4]).description == "3x4")
    }

    @Test func familiesAcceptTheShapesWrittenTheirWay() {
        for family in KernelFamilies.all {
            let matrix = family.shapeSyntax == "NxD"
            #expect(matrix || family.shapeSyntax == "NxTxD_INxD_OUT")
            #expect(family.accepts(Shape([4, 4])) == matrix)
            #expect(family.accepts(Shape([4, 4, 4, 4])) == !matrix)
            #expect(!family.accepts(Shape([4, 4, 4])))
            #expect(family.defaultShapes(quick: true).allSatisfy(family.accepts))
            #expect(family.defaultShapes(quick: false).allSatisfy(family.accepts))
        }
        #expect(KernelFamilies.all.map(\.name) == ["moments", "npy-file", "fisher-block", "gram", "ghost", "kfac"])
        #expect(KernelFamilies.named("moments")?.kernels == ["moments", "moments+diagonal"])
        #expect(KernelFamilies.named("nope") == nil)
    }
}
