import FisherTrace

/// The K-FAC factors A = ãᵀã/(N·T) and S = ΔᵀΔ/N of a linear layer with bias: `KFACFactors`
/// (`fk_kfac_factor_*`, the Fisher block's packed SYRK engine). Shapes `NxTxD_INxD_OUT`.
///
/// Work per call: flops N·T·(d_in(d_in+1) + d_out(d_out+1)) (one triangle of each factor, as SYRK; the
/// bias column's N·T·d_in additions are not counted); bytes read N·T·(d_in + d_out)·(element size),
/// written 8·((d_in+1)(d_in+2) + d_out(d_out+1))/2. Compute-bound. The reference twin (the same
/// arithmetic) runs on the first samples only (≤ 10⁸ flops); its time scales with N.
struct KFACFamily: KernelFamily {
    let name = "kfac"
    let summary = "the K-FAC factors of a linear layer with bias (KFACFactors)"
    let kernels = ["kfac"]
    let elementTypes: [ElementType] = [.float32, .float64]

    let shapeSyntax = "NxTxD_INxD_OUT"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 4 }

    func defaultShapes(quick: Bool) -> [Shape] {
        quick ? [Shape([32, 64, 256, 256])] : [Shape([64, 128, 1024, 1024])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int { LinearLayerInputs.bytes(shape, elementType: elementType) }

    static func work(samples n: Int, tokens t: Int, inputFeatures din: Int, outputFeatures dout: Int, elementType: ElementType) -> Work {
        Work(flops: Double(n * t) * Double(din * (din + 1) + dout * (dout + 1)),
             bytesRead: Double(n * t * (din + dout) * elementType.byteCount),
             bytesWritten: Double(8 * ((din + 1) * (din + 2) + dout * (dout + 1)) / 2), samples: n,
             flopsFormula: "N·T·(d_in(d_in+1) + d_out(d_out+1)) (one triangle of each factor)")
    }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let inputs = try LinearLayerInputs(shape, elementType: elementType)
        func work(_ n: Int) -> Work {
            Self.work(samples: n, tokens: inputs.tokens, inputFeatures: inputs.inputFeatures, outputFeatures: inputs.outputFeatures,
                      elementType: elementType)
        }
        func call(samples n: Int) -> KernelCall {
            KernelCall(shape: inputs.shape(samples: n), work: work(n)) { options in
                try inputs.withViews(samples: n) { a, d in _ = try KFACFactors(inputs: a, outputGradients: d, bias: true, options: options) }
            }
        }
        let twin = referenceTwinSize(samples: inputs.samples) { work($0).flops }
        return [Workload(family: name, kernel: kernels[0], elementType: elementType, call: call(samples: inputs.samples),
                         reference: call(samples: twin.samples), referenceScale: twin.scale)]
    }
}
