/// Exact Σrᵢ and Σrᵢ² over per-sample squared norms rᵢ = ‖gᵢ‖², and the mean and standard error they give.
struct NormSums: Sendable, Hashable, Codable {
    var sum = ExactSum()
    var sumOfSquares = ExactSum()

    mutating func add(_ r: Double) {
        sum.add(r)
        sumOfSquares.addSquare(r)
    }

    /// Adds every rᵢ of a batch.
    mutating func add(contentsOf r: UnsafeBufferPointer<Double>) {
        sum.add(contentsOf: r)
        sumOfSquares.addSquares(contentsOf: r)
    }

    mutating func merge(_ other: NormSums) {
        sum.merge(other.sum)
        sumOfSquares.merge(other.sumOfSquares)
    }

    /// (1/N)·Σrᵢ, correctly rounded from the exact sum.
    func mean(count: Int) -> Double {
        let (high, low) = sum.doubleDouble
        return DoubleDouble(high, low).divided(by: Double(count)).value
    }

    /// √(s²/N) with s² = (Σrᵢ² − (Σrᵢ)²/N)/(N−1) evaluated in double-double from the exact sums, so the
    /// cancellation of nearly equal rᵢ costs nothing; nil for N < 2.
    func standardError(count: Int) -> Double? {
        guard count >= 2 else { return nil }
        let n = Double(count)
        let s = DoubleDouble(sum.doubleDouble.high, sum.doubleDouble.low)
        let q = DoubleDouble(sumOfSquares.doubleDouble.high, sumOfSquares.doubleDouble.low)
        let spread = q.subtracting(s.times(s).divided(by: n)).value
        return (max(spread, 0) / (n - 1) / n).squareRoot()
    }
}

/// An unevaluated sum high + low of two doubles (about 106 significant bits), for the few places where
/// a cancellation must not eat the answer.
struct DoubleDouble {
    var high: Double
    var low: Double

    /// Normalizes a + b exactly (Knuth's two-sum: no ordering of magnitudes needed).
    init(_ a: Double, _ b: Double = 0) {
        let s = a + b
        let bb = s - a
        self.low = (a - (s - bb)) + (b - bb)
        self.high = s
    }

    var value: Double { high + low }

    func subtracting(_ b: DoubleDouble) -> DoubleDouble {
        let s = high - b.high
        let bb = s - high
        let err = (high - (s - bb)) - (b.high + bb)
        return DoubleDouble(s, err + low - b.low)
    }

    func times(_ b: DoubleDouble) -> DoubleDouble {
        let p = high * b.high
        let err = (-p).addingProduct(high, b.high)
        return DoubleDouble(p, err + high * b.low + low * b.high)
    }

    func divided(by d: Double) -> DoubleDouble {
        let q1 = high / d
        let remainder = DoubleDouble(high, low).subtracting(DoubleDouble(d).times(DoubleDouble(q1)))
        return DoubleDouble(q1, remainder.value / d)
    }
}
