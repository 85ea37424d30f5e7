/// A plain-text table with aligned columns, for human output.
///
/// ```
/// kernel    threads  GB/s
/// --------  -------  ----
/// moments         1  19.8
/// ```
/// Columns are separated by two spaces; widths count characters (no double-width scripts); trailing
/// spaces are trimmed.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let title: String
        public let alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public let columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    /// Appends a row. Precondition: one cell per column.
    public mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "TextTable: \(cells.count) cells for \(columns.count) columns")
        rows.append(cells)
    }

    /// The header, a rule of dashes and the rows, each line ending in a newline.
    public func rendered() -> String {
        let widths = columns.indices.map { c in ([columns[c].title] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = cells.indices.map { c -> String in
                let fill = String(repeating: " ", count: widths[c] - cells[c].count)
                return columns[c].alignment == .left ? cells[c] + fill : fill + cells[c]
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()) + "\n"
        }
        return line(columns.map(\.title)) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
    }
}
