@testable import BatchPolicy
import Testing

/// The two pieces of numerics written here because the module imports neither C nor Foundation.
@Suite struct InternalsTests {
    // Expected values from Python's math.log.
    @Test(arguments: [
        (4.0, 1.3862943611198906), (10, 2.302585092994046), (2, 0.6931471805599453),
        (1.0000001, 9.999999505838704e-08), (1e-300, -690.7755278982137), (.leastNonzeroMagnitude, -744.4400719213812),
        (1.7e308, 709.7268368932282), (0.5, -0.6931471805599453), (3, 1.0986122886681098),
        (1.4142135623730951, 0.3465735902799727), (1.4142135623730954, 0.34657359027997287),
        (0.7071067811865476, -0.3465735902799726), (1, 0),
    ])
    func naturalLogMatchesLibm(x: Double, expected: Double) {
        #expect(close(naturalLog(x), expected, relative: 4e-16))
    }

    // Expected strings from Python's f"{x:.2%}", including values whose decimal form is a tie.
    @Test(arguments: [
        (0.45454545454545453, "45.45%"), (0.7936507936507936, "79.37%"), (0.25, "25.00%"),
        (0.12125, "12.12%"), (0.0001, "0.01%"), (1e-300, "0.00%"), (0.799999, "80.00%"), (0.005, "0.50%"),
        (0.00125, "0.12%"), (0.000125, "0.01%"), (0.001005, "0.10%"), (0.7995, "79.95%"), (1, "100.00%"),
        (0, "0.00%"), (.leastNonzeroMagnitude, "0.00%"),
    ])
    func percentMatchesPython(fraction: Double, expected: String) {
        #expect(formatPercent(fraction) == expected)
    }

    @Test func formatValueDropsTrailingZeroOfIntegers() {
        #expect(formatValue(-3) == "-3")
        #expect(formatValue(0.5) == "0.5")
        #expect(formatValue(.nan) == "nan")
        #expect(formatValue(-.infinity) == "-inf")
    }
}
