import FisherTrace

/// Per-sample gradient norms of a linear layer with bias from its inputs and output gradients, without the
/// per-sample gradients: `GhostNorms` by each algorithm (`fk_ghost_*`). Shapes `NxTxD_INxD_OUT`.
///
/// Work per call (true flops of the algorithm, per sample; N times that):
/// - `ghost-gram`: T(T+1)·(d_in + d_out) for one triangle each of AAᵀ and ΔΔᵀ, T(T+1) to combine them,
///   T·d_out + 2·d_out for the bias norm;
/// - `ghost-materialize`: 2·T·d_in·d_out to form Σ_t δ_t a_tᵀ, 2·d_in·d_out for its norm, and the bias.
/// At T = 1 both reduce to ‖a‖²·‖δ‖² in one pass at memory speed: 2·(d_in + d_out) + 1 per sample, plus
/// the bias. Bytes: read N·T·(d_in + d_out)·(element size), written 16·N.
/// The reference twin of both is the definition — it materializes each sample's gradient in double, with
/// the materialized form's arithmetic at every T — on the first samples only (≤ 10⁸ flops); its time
/// scales with N.
struct GhostFamily: KernelFamily {
    let name = "ghost"
    let summary = "ghost norms of a linear layer with bias, Gram and materialized forms (GhostNorms)"
    let kernels = ["ghost-gram", "ghost-materialize"]
    let elementTypes: [ElementType] = [.float32, .float64]

    let shapeSyntax = "NxTxD_INxD_OUT"

    func accepts(_ shape: Shape) -> Bool { shape.dimensions.count == 4 }

    func defaultShapes(quick: Bool) -> [Shape] {
        // T = 1: ANCHORS.md's in-cache 256×1024 layer, and (default run) one far larger than the cache.
        quick ? [Shape([32, 64, 256, 256]), Shape([256, 1, 256, 256])]
            : [Shape([256, 128, 1024, 1024]), Shape([256, 1, 1024, 1024]), Shape([16384, 1, 1024, 1024])]
    }

    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int { LinearLayerInputs.bytes(shape, elementType: elementType) }

    /// The work of `algorithm`; `reference: true` for the reference twin (always materializes).
    static func work(_ algorithm: GhostAlgorithm, samples n: Int, tokens t: Int, inputFeatures din: Int, outputFeatures dout: Int,
                     elementType: ElementType, reference: Bool = false) -> Work {
        let (T, Din, Dout) = (Double(t), Double(din), Double(dout))
        let bias = T * Dout + 2 * Dout
        let materialize = 2 * T * Din * Dout + 2 * Din * Dout + bias
        let perSample = reference ? materialize
            : t == 1 ? 2 * (Din + Dout) + 1 + bias : algorithm == .gram ? T * (T + 1) * (Din + Dout + 1) + bias : materialize
        let formula = reference ? "N·(2·T·d_in·d_out + 2·d_in·d_out + T·d_out + 2·d_out) (the reference materializes)"
            : t == 1 ? "N·(2·(d_in+d_out) + 1 + 3·d_out) at T = 1 (‖a‖²·‖δ‖² and the bias)"
            : algorithm == .gram ? "N·(T(T+1)·(d_in+d_out+1) + T·d_out + 2·d_out)" : "N·(2·T·d_in·d_out + 2·d_in·d_out + T·d_out + 2·d_out)"
        return Work(flops: Double(n) * perSample, bytesRead: Double(n * t * (din + dout) * elementType.byteCount),
                    bytesWritten: Double(16 * n), samples: n, flopsFormula: formula)
    }

    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload] {
        let inputs = try LinearLayerInputs(shape, elementType: elementType)
        return [GhostAlgorithm.gram, .materialize].enumerated().map { k, algorithm in
            func work(_ n: Int, reference: Bool = false) -> Work {
                Self.work(algorithm, samples: n, tokens: inputs.tokens, inputFeatures: inputs.inputFeatures,
                          outputFeatures: inputs.outputFeatures, elementType: elementType, reference: reference)
            }
            func call(samples n: Int, reference: Bool = false) -> KernelCall {
                KernelCall(shape: inputs.shape(samples: n), work: work(n, reference: reference)) { options in
                    try inputs.withViews(samples: n) { a, d in
                        _ = try GhostNorms(inputs: a, outputGradients: d, bias: true, algorithm: algorithm, options: options)
                    }
                }
            }
            let twin = referenceTwinSize(samples: inputs.samples) { work($0, reference: true).flops }
            return Workload(family: name, kernel: kernels[k], elementType: elementType, call: call(samples: inputs.samples),
                            reference: call(samples: twin.samples, reference: true), referenceScale: twin.scale)
        }
    }
}
