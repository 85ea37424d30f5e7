/// The one error every `BatchPolicy` entry point throws when an input is unusable.
///
/// Each case names the offending parameter and, where there is one, the bad value, so a caller
/// can both show the ``description`` and inspect the fields. No entry point ever passes a NaN
/// or an infinity on: it throws one of these instead.
///
/// `Equatable` compares the values exactly, so an error carrying NaN never equals another; match
/// on the case or on ``parameter`` instead.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value is NaN or infinite.
    case notFinite(parameter: String, value: Double)
    /// The value is zero or negative where the theory needs a positive number.
    case notPositive(parameter: String, value: Double)
    /// The value lies outside its admissible range, written in interval notation, e.g. `(0, 1]`.
    case outOfRange(parameter: String, value: Double, range: String)
    /// An input the requested figure depends on was not given.
    case missing(parameter: String, neededFor: String)
    /// The inputs are individually valid but do not fit together (e.g. `bMin > bMax`).
    case invalid(parameter: String, reason: String)
    /// A result overflowed (or underflowed into an undefined form) and is not a finite number.
    case notRepresentable(quantity: String, value: Double)

    /// The name of the parameter (or, for ``notRepresentable(quantity:value:)``, the quantity) at fault.
    public var parameter: String {
        switch self {
        case .notFinite(let name, _), .notPositive(let name, _), .outOfRange(let name, _, _),
             .missing(let name, _), .invalid(let name, _), .notRepresentable(let name, _):
            return name
        }
    }

    /// A one-line message, e.g. `batch must be a positive number (got -3)`.
    public var description: String {
        switch self {
        case .notFinite(let name, let value):
            return "\(name) must be a finite number (got \(formatValue(value)))"
        case .notPositive(let name, let value):
            return "\(name) must be a positive number (got \(formatValue(value)))"
        case .outOfRange(let name, let value, let range):
            return "\(name) must lie in \(range) (got \(formatValue(value)))"
        case .missing(let name, let purpose):
            return "\(name) is required for \(purpose)"
        case .invalid(let name, let reason):
            return "invalid \(name): \(reason)"
        case .notRepresentable(let name, let value):
            return "\(name) is not representable as a finite number (got \(formatValue(value)))"
        }
    }
}

/// Writes integral values without a fractional part (`-3`, not `-3.0`), everything else as Swift does.
func formatValue(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return String(describing: value)
}
