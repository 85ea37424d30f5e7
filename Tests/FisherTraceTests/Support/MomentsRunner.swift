import CFisherKernels
@testable import FisherTrace

/// The outputs of one direct `fk_moments_*` call.
struct MomentsResult {
    var status: fk_status
    var badRow: Int
    var rowSums: [Double]
    var rowSquares: [Double]
    var columnSums: [Double]
    var columnSquares: [Double]
}

/// Calls the C moments kernel on `matrix` directly, with every output requested unless told otherwise.
func runMoments(_ matrix: TestMatrix, variant: KernelVariant, threads: Int, rowSums: Bool = true,
                columnSquares: Bool = true, initialColumns: [Double]? = nil) -> MomentsResult {
    var r = MomentsResult(status: FK_OK, badRow: -2,
                          rowSums: [Double](repeating: .nan, count: matrix.rows),
                          rowSquares: [Double](repeating: .nan, count: matrix.rows),
                          columnSums: initialColumns ?? [Double](repeating: 0, count: matrix.columns),
                          columnSquares: initialColumns ?? [Double](repeating: 0, count: matrix.columns))
    var config = fk_config(threads: Int32(threads), isa: variant.isa)
    let n = matrix.rows, d = matrix.columns, ld = matrix.rowStride
    r.rowSums.withUnsafeMutableBufferPointer { rs in
        r.rowSquares.withUnsafeMutableBufferPointer { rq in
            r.columnSums.withUnsafeMutableBufferPointer { cs in
                r.columnSquares.withUnsafeMutableBufferPointer { cq in
                    let rsp = rowSums ? rs.baseAddress : nil, cqp = columnSquares ? cq.baseAddress : nil
                    switch matrix.type {
                    case .float32:
                        r.status = matrix.float32.withUnsafeBufferPointer {
                            fk_moments_f32(n, d, $0.baseAddress, ld, rsp, rq.baseAddress, cs.baseAddress, cqp, &r.badRow, &config)
                        }
                    case .float64:
                        r.status = matrix.float64.withUnsafeBufferPointer {
                            fk_moments_f64(n, d, $0.baseAddress, ld, rsp, rq.baseAddress, cs.baseAddress, cqp, &r.badRow, &config)
                        }
                    case .float16:
                        r.status = matrix.bits.withUnsafeBufferPointer {
                            fk_moments_f16(n, d, $0.baseAddress, ld, rsp, rq.baseAddress, cs.baseAddress, cqp, &r.badRow, &config)
                        }
                    case .bfloat16:
                        r.status = matrix.bits.withUnsafeBufferPointer {
                            fk_moments_bf16(n, d, $0.baseAddress, ld, rsp, rq.baseAddress, cs.baseAddress, cqp, &r.badRow, &config)
                        }
                    }
                }
            }
        }
    }
    return r
}
