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
        precondition(x.isFinite, "ExactSum adds finite values only")
        if x == 0 { return }
        let fraction = x.significandBitPattern
        let biased = Int(x.exponentBitPattern)
        let mantissa = biased == 0 ? fraction : fraction | (1 << 52)
        let offset = (biased == 0 ? 1 : biased) - 1075 - Self.minimumExponent
        let limb = offset >> 5
        let shifted = UInt128(mantissa) << (offset & 31)
        let sign: Int64 = x.sign == .minus ? -1 : 1
        limbs[limb] &+= sign &* Int64(truncatingIfNeeded: shifted & 0xFFFF_FFFF)
        limbs[limb + 1] &+= sign &* Int64(truncatingIfNeeded: (shifted >> 32) & 0xFFFF_FFFF)
        limbs[limb + 2] &+= sign &* Int64(truncatingIfNeeded: shifted >> 64)
        pendingTerms += 1
        if pendingTerms >= Self.carryBudget { normalize() }
    }

    /// Adds the exact square of a finite double (x² split into two doubles with a fused multiply-add).
    mutating func addSquare(_ x: Double) {
        let high = x * x
        add(high)
        add((-high).addingProduct(x, x))
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
