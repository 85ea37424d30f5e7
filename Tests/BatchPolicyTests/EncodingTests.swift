import BatchPolicy
import Foundation
import Testing

/// The report types encode to the JSON the `batch-advisor --json` output is built from.
@Suite struct EncodingTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func criticalBatchNamesItsSource() throws {
        let power = try json(Example.criticalBatch)
        #expect(power["value"] as? Double == 100)
        let source = try #require(power["source"] as? [String: Any])
        let budget = try #require(source["powerBudget"] as? [String: Any])
        #expect(budget["pMax"] as? Double == 400)
        #expect(budget["nu0"] as? Double == 2)
        let noise = try json(try CriticalBatch.noiseScale(bSimple: 250, fisherTrace: 4))
        #expect((noise["source"] as? [String: Any])?["noiseScale"] != nil)
        #expect(noise["budget"] as? Double == 1000)
    }

    @Test func analysisCarriesEveryFigure() throws {
        let object = try json(try Example.analysis(400))
        #expect(object["regime"] as? String == "gas")
        #expect(object["efficiency"] as? Double == 0.125)
        let excess = try #require(object["excessLoss"] as? [String: Any])
        #expect(excess["validity"] as? String == "extrapolated")
        for key in [
            "effectivePower", "informationRate", "gradientNoise", "effectiveTemperature", "energyWaste", "quality",
            "convergenceTime", "computeWaste", "memoryWaste", "timeWaste",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
    }

    @Test func warningsCarryMachineFieldsAndMessage() throws {
        let detection = try json(try Detection(batch: 400, criticalBatch: 100))
        let warning = try #require((detection["warnings"] as? [[String: Any]])?.first)
        #expect(warning["kind"] as? String == "lowEfficiency")
        #expect(warning["value"] as? Double == 0.25)
        #expect(warning["threshold"] as? Double == 0.8)
        #expect(warning["message"] as? String == "Operating at 25.00% efficiency")
    }
}
