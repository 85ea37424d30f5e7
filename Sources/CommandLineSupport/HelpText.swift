extension Tool {
    /// The `--help` text of the tool (`command == nil`) or of one of its commands, built from the declarations:
    /// usage line, summary, commands or options with their defaults, and examples. Lines fit in `width` columns
    /// where the words allow.
    public func help(for command: String? = nil, width: Int = 80) -> String {
        if hasSubcommands, let command, let declared = self.command(named: command) {
            return commandHelp(declared, usage: "\(name) \(declared.name)", width: width)
        }
        if !hasSubcommands { return commandHelp(commands[0], usage: name, width: width, title: "\(name) \(version)") }

        var lines = ["\(name) \(version): \(summary)", "", "Usage: \(name) COMMAND [options]", "", "Commands:"]
        let rows = commands.map { command in
            (command.name, command.summary + (command.name == defaultCommand ? " (the default)" : ""))
        }
        lines += twoColumns(rows, width: width)
        lines += ["", "Run '\(name) COMMAND --help' for a command's options.", "", "Options:"]
        lines += twoColumns(standardRows, width: width)
        lines += ["", "Examples:"]
        lines += commands.flatMap { $0.examples.prefix(1) }.map { "  \(name) \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func commandHelp(_ command: Command, usage: String, width: Int, title: String? = nil) -> String {
        var usageLine = "Usage: \(usage) [options]"
        if let positionals = command.positionals {
            let many = positionals.maximum.map { $0 > 1 } ?? true
            let words = positionals.name + (many ? "..." : "")
            usageLine += positionals.minimum == 0 ? " [\(words)]" : " \(words)"
        }
        var lines = [(title.map { "\($0): " } ?? "\(usage): ") + command.summary, "", usageLine]
        if let positionals = command.positionals {
            lines += ["", "Arguments:"] + twoColumns([(positionals.name, positionals.help)], width: width)
        }
        lines += ["", "Options:"]
        let optionRows = command.options.map { option -> (String, String) in
            var left = "--" + option.name
            if case .value = option.kind { left += " " + option.valueName }
            var right = option.help
            if option.isRequired { right += " (required)" }
            if let value = option.defaultValue { right += " (default: \(value))" }
            return (left, right)
        }
        lines += twoColumns(optionRows + standardRows, width: width)
        lines += ["", command.examples.count == 1 ? "Example:" : "Examples:"]
        lines += command.examples.map { "  \(name) \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private var standardRows: [(String, String)] {
        [("-h, --help", "Show this help and exit."), ("--version", "Show the version and exit.")]
    }

    /// `  left    right…` rows, the right column aligned and wrapped under itself.
    private func twoColumns(_ rows: [(String, String)], width: Int) -> [String] {
        let leftWidth = min(rows.map(\.0.count).max() ?? 0, 28)
        let indent = 2 + leftWidth + 2
        return rows.flatMap { left, right -> [String] in
            let wrapped = wrap(right, width: max(width - indent, 20))
            var first = "  " + left
            var rest = Array(wrapped.dropFirst())
            if left.count > leftWidth {
                rest = wrapped
            } else {
                first += String(repeating: " ", count: leftWidth - left.count + 2) + (wrapped.first ?? "")
            }
            return [first] + rest.map { String(repeating: " ", count: indent) + $0 }
        }
    }

    /// Greedy word wrap; a word longer than the width gets a line of its own.
    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }
}
