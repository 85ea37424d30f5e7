import Foundation
import Testing
import CommandLineSupport

@Suite struct JSONValueTests {
    @Test func keepsDeclaredKeyOrderAndWritesNullForUndefined() {
        let nothing: Double? = nil
        let value: JSONValue = ["zeta": 1, "alpha": JSONValue(nothing), "nan": JSONValue(Double.nan), "inf": .number(.infinity),
                                "list": [1, 2.5, "x", true, nil], "empty": [:], "none": []]
        #expect(value.rendered(pretty: false)
            == #"{"zeta":1,"alpha":null,"nan":null,"inf":null,"list":[1,2.5,"x",true,null],"empty":{},"none":[]}"#)
    }

    @Test func prettyIndentsObjectsAndKeepsScalarArraysOnOneLine() {
        let value: JSONValue = ["a": ["b": [1, 2]], "c": [["d": 3]]]
        #expect(value.rendered() == """
            {
              "a": {
                "b": [1, 2]
              },
              "c": [
                {
                  "d": 3
                }
              ]
            }
            """)
    }

    @Test func doublesRoundTripExactly() throws {
        let values: [Double] = [0.1, 0.1 + 0.2, 1e-5, 1e300, 5e-324, -0.0, 3, 123456789.123456789, .pi, Double(Float.ulpOfOne)]
        let text = JSONValue.array(values.map(JSONValue.number)).rendered(pretty: false)
        // Valid JSON…
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [NSNumber])
        #expect(parsed.count == values.count)
        // …whose numbers read back to the same bits (checked with Swift's correctly rounded parser, since
        // Foundation's JSON parser on Linux is not always correctly rounded).
        let numbers = text.dropFirst().dropLast().split(separator: ",").map { Double(String($0)) }
        #expect(numbers.map { $0?.bitPattern } == values.map(\.bitPattern))
    }

    @Test func escapesStringsAsJSONRequires() throws {
        let tricky = "quote\" backslash\\ newline\n tab\t bell\u{07} nul\u{0} é ‖g‖² 🙂"
        let text = JSONValue.object([.init("k\"ey", .string(tricky))]).rendered(pretty: false)
        #expect(text.contains(#"\u0007"#) && text.contains(#"\u0000"#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(parsed == ["k\"ey": tricky])
    }

    @Test func subscriptFindsMembers() {
        let value: JSONValue = ["a": 1, "b": ["c": "d"]]
        #expect(value["a"] == 1)
        #expect(value["b"]?["c"] == "d")
        #expect(value["z"] == nil && JSONValue.int(1)["a"] == nil)
    }

    @Test func optionalInitializers() {
        #expect(JSONValue(nil as Int?) == .null && JSONValue(3 as Int?) == .int(3))
        #expect(JSONValue(nil as String?) == .null && JSONValue("s" as String?) == .string("s"))
        #expect(JSONValue(2.5 as Double?) == .number(2.5))
    }
}
