/// What the command line asks for.
public enum Invocation: Sendable, Hashable {
    /// Run a command with these arguments.
    case run(ParsedArguments)
    /// Print this help text (for `--help` or `-h`) and exit 0.
    case help(String)
    /// Print this version line (for `--version`) and exit 0.
    case version(String)
}

extension Tool {
    /// Parses the arguments after the tool's name: `[command] [options] [positionals]`.
    ///
    /// Options are `--name value`, `--name=value` or a bare `--flag`; `--` ends the options; a lone `-` is a
    /// positional. `--help`/`-h` and `--version` anywhere before `--` win over everything else. Every value is
    /// checked against its declared kind here, so a returned `ParsedArguments` holds only valid values.
    public func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        guard hasSubcommands else { return try parse(arguments, for: commands[0], label: nil) }
        guard let first = arguments.first else {
            if let defaultCommand { return try parse([], for: command(named: defaultCommand)!, label: defaultCommand) }
            throw UsageError("missing command (expected one of \(commands.map(\.name).joined(separator: ", ")))")
        }
        if first == "--help" || first == "-h" { return .help(help()) }
        if first == "--version" { return .version(versionLine) }
        if !first.hasPrefix("-") || first == "-" {
            guard let command = command(named: first) else {
                let near = Spelling.nearest(to: first, among: commands.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                throw UsageError("unknown command '\(first)' (expected one of \(commands.map(\.name).joined(separator: ", "))\(near))")
            }
            return try parse(Array(arguments.dropFirst()), for: command, label: command.name)
        }
        guard let defaultCommand else {
            throw UsageError("missing command before '\(first)' (expected one of \(commands.map(\.name).joined(separator: ", ")))")
        }
        return try parse(arguments, for: command(named: defaultCommand)!, label: defaultCommand)
    }

    /// `fisher-bench 0.1.0`.
    public var versionLine: String { "\(name) \(version)" }

    private func parse(_ tokens: [String], for command: Command, label: String?) throws(UsageError) -> Invocation {
        let beforeDashes = tokens.prefix { $0 != "--" }
        if beforeDashes.contains("--help") || beforeDashes.contains("-h") { return .help(help(for: label)) }
        if beforeDashes.contains("--version") { return .version(versionLine) }

        func fail(_ message: String) -> UsageError { UsageError(message, command: label) }
        var values: [String: ArgumentValue] = [:]
        var positionals: [String] = []
        var optionsEnded = false
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if optionsEnded || token == "-" || !token.hasPrefix("-") {
                positionals.append(token)
                continue
            }
            if token == "--" {
                optionsEnded = true
                continue
            }
            guard token.hasPrefix("--"), token.count > 2 else {
                throw fail("unknown option '\(token)'" + suggestion(for: token, in: command))
            }
            let body = token.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inline: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            guard let option = command.option(named: name) else {
                throw fail("unknown option '--\(name)'" + suggestion(for: "--" + name, in: command))
            }
            guard values[name] == nil else { throw fail("--\(name) given more than once") }
            switch option.kind {
            case .flag:
                guard inline == nil else { throw fail("--\(name) takes no value (got '\(inline!)')") }
                values[name] = .flag
            case let .value(kind):
                let raw: String
                if let inline {
                    raw = inline
                } else {
                    guard index < tokens.count, !tokens[index].hasPrefix("--") else {
                        throw fail("--\(name) needs a value (expected \(kind.expectation))")
                    }
                    raw = tokens[index]
                    index += 1
                }
                do {
                    values[name] = try ArgumentValue.parse(raw, as: kind, option: name)
                } catch {
                    throw fail(error.message)
                }
            }
        }

        let given = Set(values.keys)
        for option in command.options where values[option.name] == nil {
            if option.isRequired { throw fail("missing required option --\(option.name) \(option.valueName)") }
            if let raw = option.defaultValue, case let .value(kind) = option.kind {
                guard let value = ArgumentValue.parse(raw, as: kind) else {
                    preconditionFailure("default '\(raw)' of --\(option.name) is not \(kind.expectation)")
                }
                values[option.name] = value
            }
        }
        try checkCount(positionals, against: command.positionals, fail: fail)
        return .run(ParsedArguments(command: command, values: values, given: given, positionals: positionals))
    }

    private func checkCount(_ positionals: [String], against spec: Positionals?, fail: (String) -> UsageError) throws(UsageError) {
        guard let spec else {
            if let first = positionals.first { throw fail("unexpected argument '\(first)' (this command takes only options)") }
            return
        }
        if positionals.count < spec.minimum {
            throw fail("missing \(spec.name) (expected at least \(spec.minimum))")
        }
        if let maximum = spec.maximum, positionals.count > maximum {
            throw fail("\(positionals.count) \(spec.name) arguments given (expected at most \(maximum))")
        }
    }

    private func suggestion(for token: String, in command: Command) -> String {
        let names = command.options.map { "--" + $0.name } + ["--help", "--version"]
        return Spelling.nearest(to: token, among: names).map { " (did you mean '\($0)'?)" } ?? ""
    }
}

/// The checked options and positionals of one command line.
///
/// Accessors return nil for an option that is absent and has no default. Asking for a name the command
/// does not declare, or for the wrong type, is a programming error (precondition failure).
public struct ParsedArguments: Sendable, Hashable {
    /// The command that was parsed (the tool's only command for a single-command tool).
    public let command: Command
    let values: [String: ArgumentValue]
    let given: Set<String>
    /// The positional arguments, in order.
    public let positionals: [String]

    /// The command's name.
    public var commandName: String { command.name }

    /// Whether `--name` was on the command line (rather than defaulted or absent).
    public func isGiven(_ name: String) -> Bool {
        _ = declared(name)
        return given.contains(name)
    }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool {
        guard case .flag = declared(name).kind else { preconditionFailure("--\(name) is not a flag") }
        return values[name] != nil
    }

    public func string(_ name: String) -> String? { scalar(name).map { Self.text($0, name) } }
    public func int(_ name: String) -> Int? { scalar(name).map { Self.integer($0, name) } }
    public func double(_ name: String) -> Double? { scalar(name).map { Self.number($0, name) } }

    /// A `.byteSize` option, in bytes.
    public func byteCount(_ name: String) -> Int? { int(name) }

    /// A `.choice` option as the enumeration whose raw values it lists.
    public func choice<E: RawRepresentable>(_ name: String, as type: E.Type) -> E? where E.RawValue == String {
        string(name).map { raw in
            guard let value = E(rawValue: raw) else { preconditionFailure("--\(name): '\(raw)' is not a \(E.self)") }
            return value
        }
    }

    public func strings(_ name: String) -> [String]? { list(name).map { $0.map { Self.text($0, name) } } }
    public func ints(_ name: String) -> [Int]? { list(name).map { $0.map { Self.integer($0, name) } } }
    public func doubles(_ name: String) -> [Double]? { list(name).map { $0.map { Self.number($0, name) } } }

    /// The values of a list of choices, as the enumeration.
    public func choices<E: RawRepresentable>(_ name: String, as type: E.Type) -> [E]? where E.RawValue == String {
        strings(name).map { $0.map { raw in
            guard let value = E(rawValue: raw) else { preconditionFailure("--\(name): '\(raw)' is not a \(E.self)") }
            return value
        } }
    }

    private func declared(_ name: String) -> Option {
        guard let option = command.option(named: name) else { preconditionFailure("--\(name) is not an option of \(command.name)") }
        return option
    }

    private func scalar(_ name: String) -> ArgumentValue? {
        guard case let .value(kind) = declared(name).kind else { preconditionFailure("--\(name) is a flag") }
        if case .list = kind { preconditionFailure("--\(name) is a list") }
        return values[name]
    }

    private func list(_ name: String) -> [ArgumentValue]? {
        guard case let .value(kind) = declared(name).kind, case .list = kind else { preconditionFailure("--\(name) is not a list") }
        guard case let .list(items)? = values[name] else { return nil }
        return items
    }

    private static func text(_ value: ArgumentValue, _ name: String) -> String {
        guard case let .text(s) = value else { preconditionFailure("--\(name) is not text") }
        return s
    }

    private static func integer(_ value: ArgumentValue, _ name: String) -> Int {
        guard case let .integer(n) = value else { preconditionFailure("--\(name) is not an integer") }
        return n
    }

    private static func number(_ value: ArgumentValue, _ name: String) -> Double {
        switch value {
        case let .number(x): return x
        default: preconditionFailure("--\(name) is not a number")
        }
    }
}
