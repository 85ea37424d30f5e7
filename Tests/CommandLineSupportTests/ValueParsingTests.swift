import Testing
@testable import CommandLineSupport

@Suite struct ValueParsingTests {
    static let kib = 1024, mib = kib * kib, gib = mib * kib
    static let byteSizeCases: [(String, Int)] = [
        ("1", 1), ("4096", 4096), ("4096B", 4096), ("4096b", 4096),
        ("512K", 512 * kib), ("512k", 512 * kib), ("512KiB", 512 * kib), ("512MiB", 512 * mib), ("512m", 512 * mib),
        ("24G", 24 * gib), ("24g", 24 * gib), ("24GiB", 24 * gib), ("1.5G", 3 * gib / 2), (".5K", 512), ("2T", 2048 * gib),
        ("24GB", 24_000_000_000), ("24gb", 24_000_000_000), ("3KB", 3000), ("7MB", 7_000_000), ("1TB", 1_000_000_000_000),
        ("1.5", 2), // rounded to whole bytes
    ]

    @Test(arguments: byteSizeCases)
    func byteSizes(text: String, bytes: Int) {
        #expect(ByteCount.parse(text) == bytes)
    }

    @Test(arguments: ["", "G", "0", "0.4", "-1K", "1..5G", ".", "24 G", "24Gi", "24GiBs", "1e3", "x", "9000000000000T", "1,5G"])
    func invalidByteSizes(text: String) {
        #expect(ByteCount.parse(text) == nil)
    }

    @Test func byteSizesFormatInBinaryUnits() {
        #expect(ByteCount.format(100) == "100 B")
        #expect(ByteCount.format(1 << 30) == "1.00 GiB")
        #expect(ByteCount.format(3 << 29) == "1.50 GiB")
        #expect(ByteCount.format(512 << 20) == "512 MiB")
        #expect(ByteCount.format(48 << 10) == "48.0 KiB")
    }

    @Test func numbersAcceptScientificNotationAndRejectNonFinite() {
        let any = ValueKind.anyNumber
        #expect(ArgumentValue.parse("1e-3", as: any) == .number(1e-3))
        #expect(ArgumentValue.parse("-2.5E+2", as: any) == .number(-250))
        #expect(ArgumentValue.parse(".5", as: any) == .number(0.5))
        for bad in ["inf", "-infinity", "nan", "1e999", "0x1p3", "1,5", "", " 1"] {
            #expect(ArgumentValue.parse(bad, as: any) == nil, "\(bad)")
        }
    }

    @Test func numberBounds() {
        let open = NumberBounds(above: 0, below: 1)
        #expect(!open.contains(0) && open.contains(0.5) && !open.contains(1))
        let closed = NumberBounds(lower: 0, upper: 1)
        #expect(closed.contains(0) && closed.contains(1) && !closed.contains(1.0000001))
        #expect(NumberBounds(above: 0).description == "> 0")
        #expect(NumberBounds(lower: 1).description == "≥ 1")
        #expect(NumberBounds(upper: 2.5, upperInclusive: false).description == "< 2.5")
        #expect(closed.description == "in [0, 1]")
        #expect(ValueKind.positiveNumber.expectation == "a number > 0")
    }

    @Test func integers() {
        #expect(ArgumentValue.parse("-7", as: .anyInteger) == .integer(-7))
        #expect(ArgumentValue.parse("+7", as: .anyInteger) == .integer(7))
        #expect(ArgumentValue.parse("99999999999999999999", as: .anyInteger) == nil)
        #expect(ArgumentValue.parse("1e3", as: .anyInteger) == nil)
        #expect(ArgumentValue.parse("101", as: .integer(min: 1, max: 100)) == nil)
        #expect(ValueKind.integer(min: 1, max: 100).expectation == "an integer from 1 to 100")
        #expect(ValueKind.integer(min: .min, max: 9).expectation == "an integer ≤ 9")
    }

    @Test func choicesAreExactAndCaseSensitive() {
        let kind = ValueKind.choice(of: SampleTools.Method.self)
        #expect(kind == .choice(["auto", "gram", "materialize"]))
        #expect(ArgumentValue.parse("gram", as: kind) == .text("gram"))
        #expect(ArgumentValue.parse("Gram", as: kind) == nil)
    }

    @Test func listsOfEveryKind() {
        #expect(ArgumentValue.parse("1,2,4", as: .list(.positiveInteger)) == .list([.integer(1), .integer(2), .integer(4)]))
        #expect(ArgumentValue.parse("512M,1G", as: .list(.byteSize)) == .list([.integer(512 << 20), .integer(1 << 30)]))
        #expect(ArgumentValue.parse("65536x4096", as: .list(.text)) == .list([.text("65536x4096")]))
        #expect(ArgumentValue.parse("1,", as: .list(.positiveInteger)) == nil)
        #expect(ValueKind.list(.positiveInteger).placeholder == "N,…")
    }

    @Test func spellingSuggestions() {
        #expect(Spelling.distance("kitten", "sitting") == 3)
        #expect(Spelling.distance("", "abc") == 3)
        #expect(Spelling.nearest(to: "--threds", among: ["--threads", "--json"]) == "--threads")
        #expect(Spelling.nearest(to: "xyz", among: ["--threads", "--json"]) == nil)
        #expect(Spelling.nearest(to: "json", among: ["json"]) == nil)  // identical is not a typo
    }
}
