/// An exact sum of doubles: a fixed-point accumulator wide enough for every finite double.
///
/// The value is held as 32-bit digits in `Int64` limbs covering 2⁻¹⁰⁷⁴ … 2¹¹⁶⁵, so adding is exact and
/// the result does not depend on the order of the terms, on how they were split into chunks, or on how
/// partial sums were merged. `FisherAccumulator` uses it for Σ‖gᵢ‖² and Σ‖gᵢ‖⁴, which is why tr(I_F) and
/// its standard error have the same bits however the data was streamed, sharded or threaded.
///
/// Cost: a few nanoseconds per term (three limb updates); one term per sample, never per coordinate.
struct ExactSum: Sendable, Hashable, Codable {
    private static let limbCount = 70
    private static let minimumExponent = -1074
    /// Terms that may be added before carries must be propagated (each adds < 2³² to a limb).
    private static let carryBudget = 1 << 30

    private var limbs: [Int64]
    private var pendingTerms = 0

    init() { limbs = Array(repeating: 0, count: Self.limbCount) }

    /// Adds a finite double exactly. Precondition: `x.isFinite`.
    mutating func add(_ x: Double) {
        withUnsafePointer(to: x) { add(contentsOf: UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Adds the exact square of a finite double (x² split into two doubles with a fused multiply-add).
    mutating func addSquare(_ x: Double) {
        withUnsafePointer(to: x) { addSquares(contentsOf: UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Adds every value exactly. Precondition: all finite.
    mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        addTerms(values.count, termsPerValue: 1) { limbs, k in Self.deposit(values[k], into: limbs) }
    }

    /// Adds the exact square of every value.
    mutating func addSquares(contentsOf values: UnsafeBufferPointer<Double>) {
        addTerms(values.count, termsPerValue: 2) { limbs, k in
            let x = values[k], high = x * x
            Self.deposit(high, into: limbs)
            Self.deposit((-high).addingProduct(x, x), into: limbs)
        }
    }

    /// Runs `deposit` for values 0..<count in slices that stay within the carry budget.
    private mutating func addTerms(_ count: Int, termsPerValue: Int,
                                   _ deposit: (UnsafeMutablePointer<Int64>, Int) -> Void) {
        var k = 0
        while k < count {
            if pendingTerms + termsPerValue > Self.carryBudget { normalize() }
            let slice = min(count - k, (Self.carryBudget - pendingTerms) / termsPerValue)
            limbs.withUnsafeMutableBufferPointer { buffer in
                for i in k..<(k + slice) { deposit(buffer.baseAddress!, i) }
            }
            pendingTerms += slice * termsPerValue
            k += slice
        }
    }

    /// Adds one finite double to the limbs: its 53-bit significand, shifted to its exponent, spans at
    /// most three 32-bit digits.
    @inline(__always)
    private static func deposit(_ x: Double, into limbs: UnsafeMutablePointer<Int64>) {
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        precondition(biased != 0x7FF, "ExactSum adds finite values only")
        let fraction = bits & ((1 << 52) - 1)
        let mantissa = biased == 0 ? fraction : fraction | (1 << 52)
        if mantissa == 0 { return }
        // x = ±mantissa·2^(max(biased, 1) − 1075); digit k holds bits [32k, 32k + 32) above 2^−1074.
        let offset = (biased == 0 ? 1 : biased) - 1
        let limb = offset >> 5, shift = UInt64(offset & 31)
        let low = mantissa << shift                           // bits 0…63 of the shifted significand
        let high = shift == 0 ? 0 : mantissa >> (64 - shift)  // bits 64…84
        let sign: Int64 = bits >> 63 == 0 ? 1 : -1
        limbs[limb] &+= sign &* Int64(low & 0xFFFF_FFFF)
        limbs[limb + 1] &+= sign &* Int64(low >> 32)
        limbs[limb + 2] &+= sign &* Int64(high)
    }

    /// Adds another exact sum; the result is exactly the sum of both.
    mutating func merge(_ other: ExactSum) {
        var a = self, b = other
        a.normalize()
        b.normalize()
        for i in 0..<Self.limbCount { a.limbs[i] &+= b.limbs[i] }
        a.pendingTerms = 2
        a.normalize()
        self = a
    }

    /// The sum rounded to the nearest double (±infinity beyond the double range).
    var value: Double { Self.round(normalized().limbs) }

    /// The sum as an unevaluated pair `high + low` with `high` the nearest double and `low` the nearest
    /// double to the remainder: about 106 significant bits.
    var doubleDouble: (high: Double, low: Double) {
        let high = value
        guard high.isFinite else { return (high, 0) }
        var rest = self
        rest.add(-high)
        return (high, rest.value)
    }

    /// Carries propagated: every limb but the last in [0, 2³²).
    private mutating func normalize() {
        var carry: Int64 = 0
        for i in 0..<(Self.limbCount - 1) {
            let v = limbs[i] &+ carry
            carry = v >> 32
            limbs[i] = v & 0xFFFF_FFFF
        }
        limbs[Self.limbCount - 1] &+= carry
        pendingTerms = 0
    }

    private func normalized() -> ExactSum {
        var copy = self
        copy.normalize()
        return copy
    }

    /// Rounds normalized limbs to the nearest double.
    private static func round(_ normalizedLimbs: [Int64]) -> Double {
        var digits = normalizedLimbs
        let negative = digits[limbCount - 1] < 0
        if negative {
            // Two's complement over the digit vector: negate every digit and renormalize.
            var carry: Int64 = 0
            for i in 0..<limbCount {
                let v = -digits[i] &+ carry
                if i == limbCount - 1 { digits[i] = v; break }
                carry = v >> 32
                digits[i] = v & 0xFFFF_FFFF
            }
        }
        guard let top = digits.lastIndex(where: { $0 != 0 }) else { return 0 }
        func digit(_ i: Int) -> UInt128 { i >= 0 ? UInt128(UInt64(digits[i])) : 0 }
        var window = digit(top) << 64 | digit(top - 1) << 32 | digit(top - 2)
        if top >= 3, digits[0..<(top - 2)].contains(where: { $0 != 0 }) { window |= 1 }  // sticky bit
        let magnitude = Double(sign: .plus, exponent: 32 * (top - 2) + minimumExponent, significand: Double(window))
        return negative ? -magnitude : magnitude
    }

    // Codable: the normalized limbs, so equal sums encode equally.
    private enum CodingKeys: String, CodingKey { case limbs }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let decoded = try container.decode([Int64].self, forKey: .limbs)
        guard decoded.count == Self.limbCount else {
            throw DecodingError.dataCorruptedError(
                forKey: .limbs, in: container,
                debugDescription: "expected \(Self.limbCount) limbs, found \(decoded.count)")
        }
        limbs = decoded
        pendingTerms = 1
        normalize()
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(normalized().limbs, forKey: .limbs)
    }

    static func == (a: ExactSum, b: ExactSum) -> Bool { a.normalized().limbs == b.normalized().limbs }
    func hash(into hasher: inout Hasher) { hasher.combine(normalized().limbs) }
}
