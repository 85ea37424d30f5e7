/// Why a Fisher computation could not produce a number. Data problems are errors; wrong shapes passed
/// by a caller are precondition failures.
public enum FisherError: Error, Hashable, CustomStringConvertible {
    /// A NaN or ±Inf in the data; `row` counts from the first row the accumulator ever saw.
    case nonFinite(row: Int, layer: String?)
    /// Finite data whose products overflow their accumulator: |x| ≳ 1.3e154 for float64 input squared in
    /// double, |x| ≳ 1e19 for the float32 products of the outer-product kernels.
    case overflow(row: Int, layer: String?)
    /// The requested kernel variant does not run on this CPU.
    case unsupportedVariant(KernelVariant)
    /// Scratch memory could not be allocated.
    case outOfMemory
    /// No rows were added, so no mean exists.
    case noSamples
    /// An earlier update failed half-way; the column sums are no longer meaningful.
    case invalidated(by: String)

    public var description: String {
        func place(_ row: Int, _ layer: String?) -> String { "row \(row)" + (layer.map { " (layer \($0))" } ?? "") }
        switch self {
        case let .nonFinite(row, layer):
            return "\(place(row, layer)) holds a NaN or infinite value (expected finite gradients)"
        case let .overflow(row, layer):
            return "\(place(row, layer)) overflows when multiplied (expected |values| < 1e154 for float64 input, < 1e19 for float32 products)"
        case let .unsupportedVariant(variant):
            return "kernel variant \(variant.rawValue) does not run on this CPU (expected one of "
                + KernelVariant.supported.map(\.rawValue).joined(separator: ", ") + ")"
        case .outOfMemory:
            return "out of memory for kernel scratch"
        case .noSamples:
            return "no samples were added (expected at least one row)"
        case let .invalidated(reason):
            return "the accumulator was invalidated by an earlier error: \(reason)"
        }
    }
}
