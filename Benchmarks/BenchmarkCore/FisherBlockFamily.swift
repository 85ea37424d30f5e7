import FisherTrace

/// The Fisher block GᵀG of an N×D gradient matrix: `FisherBlock(_:)` (`fk_syrk_*`, one triangle).
///
/// Work per call: flops N·D·(D+1) (one multiply–add per pair j ≤ k per row, as BLAS counts SYRK); bytes
/// read N·D·(element size), written 8·D(D+1)/2 (the double triangle). Compute-bound. The scalar reference
/// twin (the same arithmetic) runs on the first rows only (≤ 10⁸ flops); its time scales with N.
struct FisherBlockFamily: KernelFamily {
    let name = "fisher-block"
    let summary = "the Fisher block GᵀG of an N×D matrix (FisherBlock, one triangle)"
    let kernels = ["fisher-block"]
    let elementTypes: [ElementType] = [.float32, .float64]

    let shapeSyntax = "NxD"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 2 }

    func defaultShapes(quick: Bool) -> [Shape] {
        quick ? [Shape([2048, 512])] : [Shape([4096, 2048]), Shape([16384, 1024])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int {
        shape.elementCount * elementType.byteCount + 8 * shape.dimensions[1] * shape.dimensions[1]
    }

    static func work(rows n: Int, columns d: Int, elementType: ElementType) -> Work {
        Work(flops: Double(n) * Double(d) * Double(d + 1), bytesRead: Double(n * d * elementType.byteCount),
             bytesWritten: Double(8 * d * (d + 1) / 2), samples: n, flopsFormula: "N·D·(D+1) (one triangle of GᵀG)")
    }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let d = shape.dimensions[1]
        return try matrixWorkload(family: name, kernel: kernels[0], shape: shape, elementType: elementType,
                                  work: { Self.work(rows: $0, columns: d, elementType: elementType) },
                                  run: { view, options in _ = try FisherBlock(view, options: options) })
    }
}
