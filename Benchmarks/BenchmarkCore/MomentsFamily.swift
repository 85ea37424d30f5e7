import FisherTrace

/// The moments kernel as users run it: `FisherAccumulator.update(_:)` on an in-memory N×D matrix, which
/// makes one `fk_moments_*` pass for ‖gᵢ‖² and the column sums, plus the column sums of squares (the Fisher
/// diagonal) in `moments+diagonal`.
///
/// Work per call: bytes read N·D·(element size); written 8·N (row norms) + 8·D per column vector.
/// Flops: 3·N·D for ‖gᵢ‖² (multiply–add: 2) and column sums (add: 1); 5·N·D with the diagonal (one more
/// multiply–add). The C kernel today also forms the row sums Σⱼgᵢⱼ that the accumulator does not use
/// (1 more add per element, not counted). Memory-bound: the roofline is the read bandwidth.
struct MomentsFamily: KernelFamily {
    let name = "moments"
    let summary = "row norms ‖gᵢ‖², column sums and the Fisher diagonal of an N×D matrix (FisherAccumulator.update)"
    let kernels = ["moments", "moments+diagonal"]
    let elementTypes = ElementType.allCases

    let shapeSyntax = "NxD"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 2 }

    func defaultShapes(quick: Bool) -> [Shape] {
        quick ? [Shape([16384, 2048])] : [Shape([65536, 4096]), Shape([1024, 262_144])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int { shape.elementCount * elementType.byteCount }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let (n, d) = (shape.dimensions[0], shape.dimensions[1])
        let buffer = try AlignedBuffer.randomElements(elementType, count: n * d)
        let view = buffer.matrix(elementType, rows: n, columns: d)
        return [false, true].map { diagonal in
            let work = Work(flops: Double((diagonal ? 5 : 3) * n * d), bytesRead: Double(n * d * elementType.byteCount),
                            bytesWritten: Double(8 * (n + (diagonal ? 2 : 1) * d)), samples: n,
                            flopsFormula: diagonal ? "5·N·D (‖gᵢ‖²: 2, column sums: 1, diagonal: 2)" : "3·N·D (‖gᵢ‖²: 2, column sums: 1)")
            return Workload(family: name, kernel: kernels[diagonal ? 1 : 0], elementType: elementType,
                            call: KernelCall(shape: shape, work: work) { options in
                try withExtendedLifetime(buffer) {
                    var accumulator = FisherAccumulator(dimension: d, diagonal: diagonal, options: options)
                    try accumulator.update(view)
                }
            })
        }
    }
}
