import Foundation
@testable import FisherTrace

/// The committed fixtures (written by tools/fixtures/make_fixtures.py) and the values NumPy wrote.
enum FixtureFiles {
    static let directory: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path

    static func path(_ name: String) -> String { directory + "/" + name }

    /// expected.json: per array (file name, or "file/tensor"), its shape and its values in C order.
    static let expected: [String: (shape: [Int], values: [Double])] = {
        struct Entry: Decodable {
            let shape: [Int]
            let values: [String]
        }
        let data = try! Data(contentsOf: URL(fileURLWithPath: path("expected.json")))
        let entries = try! JSONDecoder().decode([String: Entry].self, from: data)
        return entries.mapValues { ($0.shape, $0.values.map { Double($0)! }) }
    }()

    /// A float64 reference for the figures of an N×D matrix given row-major.
    static func reference(_ values: [Double], rows: Int) -> (trace: Double, meanNormSquared: Double, norms: [Double]) {
        let d = rows == 0 ? 0 : values.count / rows
        var norms = [Double](repeating: 0, count: rows)
        var sums = [Double](repeating: 0, count: d)
        for i in 0..<rows {
            for j in 0..<d {
                norms[i] += values[i * d + j] * values[i * d + j]
                sums[j] += values[i * d + j]
            }
        }
        let n = Double(rows)
        return (norms.reduce(0, +) / n, sums.reduce(0) { $0 + ($1 / n) * ($1 / n) }, norms)
    }
}

/// The error `body` throws, as the given type (nil when it throws another or none).
func thrownError<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch {
        return error as? E
    }
}

func relativeDifference(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(a), abs(b), 1e-300) }
