import Foundation
import Testing
@testable import FisherTrace

@Suite struct ExactSumTests {
    @Test func cancellationIsExact() {
        var s = ExactSum()
        for x in [1e16, 1.0, -1e16, 1e-300, 1e300, -1e300] { s.add(x) }
        #expect(s.value == 1.0 + 1e-300)
        var t = ExactSum()
        for x in [0x1p-1074, -0x1p-1074, 0x1p-1074] { t.add(x) }  // subnormals
        #expect(t.value == 0x1p-1074)
    }

    /// Random terms of mixed magnitude and sign against an exact integer sum, correctly rounded.
    @Test func correctlyRoundedAgainstIntegerArithmetic() {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            var exact: Int128 = 0
            var terms: [Double] = []
            for _ in 0..<200 {
                let mantissa = Int64(generator.next() >> 11) * (generator.next() & 1 == 0 ? 1 : -1)
                let exponent = Int(generator.next() % 61) - 30
                terms.append(Double(mantissa) * pow(2.0, Double(exponent)))
                exact += Int128(mantissa) << (exponent + 30)
            }
            let expected = Double(exact) * 0x1p-30
            var s = ExactSum()
            for t in terms { s.add(t) }
            #expect(s.value == expected)
            var shuffled = ExactSum()
            for t in terms.shuffled(using: &generator) { shuffled.add(t) }
            #expect(shuffled == s)
        }
    }

    @Test func mergeEqualsOneStreamAndCodableRoundTrips() throws {
        var generator = SeededGenerator(seed: 2)
        let terms = (0..<1_000).map { _ in generator.nextGaussian() * 1e3 }
        var whole = ExactSum(), a = ExactSum(), b = ExactSum()
        for (k, t) in terms.enumerated() { whole.add(t); if k % 3 == 0 { a.add(t) } else { b.add(t) } }
        b.merge(a)
        #expect(b == whole)
        #expect(b.value.bitPattern == whole.value.bitPattern)
        let decoded = try JSONDecoder().decode(ExactSum.self, from: JSONEncoder().encode(whole))
        #expect(decoded == whole)
    }

    /// x² is added exactly: the low part of the product is kept.
    @Test func squaresAreExact() {
        let x = 1.0 + 0x1p-40
        var s = ExactSum()
        s.addSquare(x)
        s.add(-(x * x))
        #expect(s.value == (-(x * x)).addingProduct(x, x))
        #expect(s.value == 0x1p-80)
        let (high, low) = { var t = ExactSum(); t.addSquare(x); return t.doubleDouble }()
        #expect(high == x * x && low == 0x1p-80)
    }

    @Test func doubleDoubleVarianceSurvivesCancellation() {
        // rᵢ = 1e8 + εᵢ: the naive Σr² − (Σr)²/N cancels every digit; double-double keeps them.
        var sums = NormSums()
        let values = (0..<1_000).map { 1e8 + Double($0 % 10) * 1e-4 }
        for v in values { sums.add(v) }
        let mean = values.reduce(0, +) / 1_000
        let variance = values.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / 999
        let se = try! #require(sums.standardError(count: 1_000))
        #expect(close(se, (variance / 1_000).squareRoot(), tolerance: 1e-6))
    }
}
