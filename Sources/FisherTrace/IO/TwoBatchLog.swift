/// Reads a data-parallel training log for `TwoBatchNoiseEstimator`: one CSV row per step.
///
/// Format (written by `tools/dump/ddp_noise_logger.py`):
///
///     # comment lines and blank lines are skipped
///     step,b_small,g_small_sq,b_big,g_big_sq
///     1,32,130.9,256,20.1
///
/// - `b_small`: the batch behind the small gradient (one rank's, per-rank batch size);
/// - `g_small_sq`: |G_small|², that gradient's squared norm;
/// - `b_big`: the batch behind the big gradient (the all-reduced one: ranks × per-rank batch);
/// - `g_big_sq`: |G_big|².
///
/// The first non-comment line names the columns; those four are required, in any order; others (such as
/// `step`) are ignored. Fields are plain numbers separated by commas (no quoting). Each row must have
/// finite values with 0 < b_small < b_big and squared norms ≥ 0; anything else is an error naming the
/// file, the line and the column.
public enum TwoBatchLog {
    public static let requiredColumns = ["b_small", "g_small_sq", "b_big", "g_big_sq"]

    /// Reads the log at `path`.
    public static func read(path: String) throws(FileError) -> [TwoBatchNoiseEstimator.Measurement] {
        let mapping = try MappedFile(path: path)
        return try parse(String(decoding: mapping.bytes, as: UTF8.self), file: path)
    }

    /// Parses log text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(FileError) -> [TwoBatchNoiseEstimator.Measurement] {
        var header: (line: Int, columns: [String])?
        var indices: [Int] = []
        var measurements: [TwoBatchNoiseEstimator.Measurement] = []
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
            guard let (_, columns) = header else {
                for name in requiredColumns {
                    guard let k = fields.firstIndex(of: name) else {
                        throw FileError(.missing, file: file, "line \(number) (the header) lacks column '\(name)' (expected the columns \(requiredColumns.joined(separator: ", ")) in any order; others such as step are ignored)")
                    }
                    indices.append(k)
                }
                header = (number, fields)
                continue
            }
            guard fields.count == columns.count else {
                throw FileError(.invalidValue, file: file, "line \(number) has \(fields.count) fields (expected \(columns.count), as the header)")
            }
            var values: [Double] = []
            for (name, k) in zip(requiredColumns, indices) {
                let isBatch = name.hasPrefix("b_")
                guard let v = Double(fields[k]), v.isFinite, isBatch ? v > 0 : v >= 0 else {
                    throw .field(file, "line \(number), column '\(name)'", is: quoted(fields[k]),
                                 expected: isBatch ? "a finite batch size > 0" : "a finite number ≥ 0", kind: .invalidValue)
                }
                values.append(v)
            }
            guard values[2] > values[0] else {
                throw .field(file, "line \(number), column 'b_big'", is: quoted(fields[indices[2]]),
                             expected: "more than b_small = \(fields[indices[0]])", kind: .invalidValue)
            }
            measurements.append(.init(smallBatch: values[0], smallGradientNormSquared: values[1],
                                      bigBatch: values[2], bigGradientNormSquared: values[3]))
        }
        guard header != nil else {
            throw FileError(.missing, file: file, "no header line (expected a line naming the columns \(requiredColumns.joined(separator: ", ")))")
        }
        guard !measurements.isEmpty else {
            throw FileError(.missing, file: file, "no data rows after the header (expected one row per step)")
        }
        return measurements
    }
}

private extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        let start = firstIndex { !isSpace($0) } ?? endIndex
        let end = lastIndex { !isSpace($0) }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
