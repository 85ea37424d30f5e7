/// Formats a fraction as a percentage with two decimals, exactly as Python's `f"{x:.2%}"` does:
/// `0.454545…` becomes `"45.45%"`.
///
/// Like Python, it first multiplies by 100 in floating point, then rounds that double's exact
/// binary value to two decimals, ties to even. `fraction` must be finite and in [0, 1].
func formatPercent(_ fraction: Double) -> String {
    precondition(fraction >= 0 && fraction <= 1, "formatPercent needs a fraction in [0, 1]")
    let hundredths = roundedHundredths(fraction * 100)
    let decimals = hundredths % 100
    return "\(hundredths / 100).\(decimals < 10 ? "0" : "")\(decimals)%"
}

/// `value·100` rounded to an integer, ties to even, computed exactly for a finite `value` in [0, 100].
private func roundedHundredths(_ value: Double) -> UInt64 {
    guard value > 0 else { return 0 }
    // value = significand/2^shift exactly, with an integer significand below 2^53; value ≤ 100 < 2^7
    // makes shift ≥ 46, so value·100 = scaled/2^shift with scaled below 2^60.
    let isNormal = value.isNormal
    let significand = isNormal ? (1 << 52) | value.significandBitPattern : value.significandBitPattern
    let shift = isNormal ? 52 - Int(value.exponent) : 1074
    let scaled = significand * 100
    guard shift < 63 else { return 0 }  // scaled < 2^60 ≤ half of 2^shift: rounds to 0
    let quotient = scaled >> UInt64(shift)
    let remainder = scaled & ((1 << UInt64(shift)) - 1)
    let half: UInt64 = 1 << UInt64(shift - 1)
    if remainder > half || (remainder == half && quotient & 1 == 1) { return quotient + 1 }
    return quotient
}
