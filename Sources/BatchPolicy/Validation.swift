/// Input and output checks shared by every entry point; each throws a ``PolicyError`` naming the parameter.
enum Check {
    /// A finite number.
    static func finite(_ value: Double, _ name: String) throws -> Double {
        guard value.isFinite else { throw PolicyError.notFinite(parameter: name, value: value) }
        return value
    }

    /// A finite number greater than zero.
    static func positive(_ value: Double, _ name: String) throws -> Double {
        guard try finite(value, name) > 0 else { throw PolicyError.notPositive(parameter: name, value: value) }
        return value
    }

    /// An absent value, or a finite number greater than zero.
    static func positive(_ value: Double?, _ name: String) throws -> Double? {
        try value.map { try positive($0, name) }
    }

    /// An integer greater than zero.
    static func positive(_ value: Int, _ name: String) throws -> Int {
        guard value > 0 else { throw PolicyError.notPositive(parameter: name, value: Double(value)) }
        return value
    }

    /// A finite number in (0, 1], the range of tolerances, thresholds and smoothing factors.
    static func unitInterval(_ value: Double, _ name: String) throws -> Double {
        guard try finite(value, name) > 0, value <= 1 else {
            throw PolicyError.outOfRange(parameter: name, value: value, range: "(0, 1]")
        }
        return value
    }

    /// A computed figure that must be finite before it is handed to the caller.
    static func result(_ value: Double, _ name: String) throws -> Double {
        guard value.isFinite else { throw PolicyError.notRepresentable(quantity: name, value: value) }
        return value
    }

    /// The largest integer not above `value` (a finite, non-negative batch size), as an `Int`.
    static func floorBatch(_ value: Double, _ name: String) throws -> Int {
        let floored = value.rounded(.down)
        guard floored < 0x1p62 else { throw PolicyError.notRepresentable(quantity: name, value: value) }
        return Int(floored)
    }
}
