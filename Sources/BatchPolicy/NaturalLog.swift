/// The natural logarithm of a positive finite `x`, in pure Swift: the standard library has none,
/// and this module imports neither C nor Foundation.
///
/// `x = m·2^k` with `m ∈ [√½, √2)`, then `ln m = 2·atanh(s) = 2·(s + s³/3 + … + s²³/23)` with
/// `s = (m − 1)/(m + 1)`, `|s| < 0.172`, so the truncation error is below 1e-19 relative; `k·ln 2`
/// is added in two parts (fdlibm's split) so it stays exact. Accurate to a few ulp.
func naturalLog(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite, "naturalLog needs a positive finite argument")
    let ln2High = 6.93147180369123816490e-01  // ln 2 with trailing zero bits: k·ln2High is exact
    let ln2Low = 1.90821492927058770002e-10  // ln 2 − ln2High
    var m = x.significand  // [1, 2), also for subnormals
    var k = Double(x.exponent)
    if m > 2.0.squareRoot() {
        m /= 2
        k += 1
    }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var series = 0.0
    for odd in stride(from: 23.0, through: 3, by: -2) {
        series = s2 * (1 / odd + series)
    }
    let lnM = 2 * s * (1 + series)
    return k * ln2High + (k * ln2Low + lnM)
}
