import FisherTrace

/// The Gram matrix GGᵀ of an N×D gradient matrix: `GramMatrix(_:)` (`fk_gram_*`, one triangle).
///
/// Work per call: flops N·(N+1)·D (one multiply–add per pair i ≤ j per column); bytes read N·D·(element
/// size), written 8·N(N+1)/2. Compute-bound. The scalar reference twin (the same arithmetic) runs on the
/// first rows only (≤ 10⁸ flops); its time scales with N·(N+1).
struct GramFamily: KernelFamily {
    let name = "gram"
    let summary = "the Gram matrix GGᵀ of an N×D matrix (GramMatrix, one triangle)"
    let kernels = ["gram"]
    let elementTypes: [ElementType] = [.float32, .float64]

    let shapeSyntax = "NxD"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 2 }

    func defaultShapes(quick: Bool) -> [Shape] {
        quick ? [Shape([512, 2048])] : [Shape([1024, 16384])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int {
        shape.elementCount * elementType.byteCount + 8 * shape.dimensions[0] * shape.dimensions[0]
    }

    static func work(rows n: Int, columns d: Int, elementType: ElementType) -> Work {
        Work(flops: Double(n) * Double(n + 1) * Double(d), bytesRead: Double(n * d * elementType.byteCount),
             bytesWritten: Double(8 * n * (n + 1) / 2), samples: n, flopsFormula: "N·(N+1)·D (one triangle of GGᵀ)")
    }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let d = shape.dimensions[1]
        return try matrixWorkload(family: name, kernel: kernels[0], shape: shape, elementType: elementType,
                                  work: { Self.work(rows: $0, columns: d, elementType: elementType) },
                                  run: { view, options in _ = try GramMatrix(view, options: options) })
    }
}
