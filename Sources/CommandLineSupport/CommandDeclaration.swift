/// The value an option takes, checked while the command line is parsed.
public indirect enum ValueKind: Sendable, Hashable {
    /// Any string (a path, a name).
    case text
    /// A decimal integer in `min...max`.
    case integer(min: Int, max: Int)
    /// A finite decimal number (`0.5`, `1e-3`) within the bounds.
    case number(NumberBounds)
    /// A byte count > 0: `4096`, `512K`, `24G`, `1.5GiB` (powers of 1024) or `24GB` (powers of 1000).
    case byteSize
    /// One of a closed set of words.
    case choice([String])
    /// A comma-separated list of values of the element kind: `1,2,4`.
    case list(ValueKind)

    /// Any integer.
    public static let anyInteger = ValueKind.integer(min: .min, max: .max)
    /// An integer ≥ 1.
    public static let positiveInteger = ValueKind.integer(min: 1, max: .max)
    /// Any finite number.
    public static let anyNumber = ValueKind.number(NumberBounds())
    /// A finite number > 0.
    public static let positiveNumber = ValueKind.number(NumberBounds(above: 0))

    /// One of the raw values of a string enumeration, in declaration order.
    public static func choice<E: CaseIterable & RawRepresentable>(of type: E.Type) -> ValueKind where E.RawValue == String {
        .choice(type.allCases.map(\.rawValue))
    }

    /// The placeholder shown in help, e.g. `N`, `SIZE`, `auto|gram`.
    var placeholder: String {
        switch self {
        case .text: "VALUE"
        case .integer: "N"
        case .number: "X"
        case .byteSize: "SIZE"
        case let .choice(words): words.joined(separator: "|")
        case let .list(element): "\(element.placeholder),…"
        }
    }

    /// What a valid value looks like, for error messages: `an integer ≥ 1`.
    var expectation: String {
        switch self {
        case .text: "a value"
        case let .integer(min, max):
            switch (min == .min, max == .max) {
            case (true, true): "an integer"
            case (false, true): "an integer ≥ \(min)"
            case (true, false): "an integer ≤ \(max)"
            case (false, false): "an integer from \(min) to \(max)"
            }
        case let .number(bounds): bounds.isUnbounded ? "a finite number" : "a number \(bounds)"
        case .byteSize: "a size such as 4096, 512M, 24G or 24GB"
        case let .choice(words): "one of " + words.joined(separator: ", ")
        case let .list(element): "a comma-separated list, each \(element.expectation)"
        }
    }
}

/// Lower and upper limits for a number option, each inclusive or exclusive.
public struct NumberBounds: Sendable, Hashable, CustomStringConvertible {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool

    /// Bounds; nil means unbounded on that side.
    public init(lower: Double? = nil, lowerInclusive: Bool = true, upper: Double? = nil, upperInclusive: Bool = true) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    /// Numbers strictly greater than `lower` (and, if given, strictly less than `below`).
    public init(above lower: Double, below upper: Double? = nil) {
        self.init(lower: lower, lowerInclusive: false, upper: upper, upperInclusive: false)
    }

    public func contains(_ x: Double) -> Bool {
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    var isUnbounded: Bool { lower == nil && upper == nil }

    /// `> 0`, `≤ 1`, `in (0, 1]`.
    public var description: String {
        func show(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        switch (lower, upper) {
        case (nil, nil): return "(any)"
        case let (lower?, nil): return (lowerInclusive ? "≥ " : "> ") + show(lower)
        case let (nil, upper?): return (upperInclusive ? "≤ " : "< ") + show(upper)
        case let (lower?, upper?):
            return "in " + (lowerInclusive ? "[" : "(") + show(lower) + ", " + show(upper) + (upperInclusive ? "]" : ")")
        }
    }
}

/// One `--name` option of a command: a flag, or an option that takes a value.
public struct Option: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case flag
        case value(ValueKind)
    }

    /// The name without its dashes: `batch` for `--batch`.
    public let name: String
    public let kind: Kind
    /// One sentence for `--help`.
    public let help: String
    /// The placeholder in `--help` (`B`, `FILE`); derived from the value kind when not given.
    public let valueName: String
    /// The value used when the option is absent, written as on the command line; shown in `--help`.
    public let defaultValue: String?
    public let isRequired: Bool

    /// A flag: present or absent, no value (`--json`).
    public static func flag(_ name: String, help: String) -> Option {
        Option(name: name, kind: .flag, help: help, valueName: "", defaultValue: nil, isRequired: false)
    }

    /// An option with a value (`--batch 64` or `--batch=64`).
    /// Precondition: a default value, if given, is valid for `kind` (it is checked on every parse).
    public static func value(_ name: String, _ kind: ValueKind, valueName: String? = nil, default defaultValue: String? = nil,
                             required: Bool = false, help: String) -> Option {
        precondition(!(required && defaultValue != nil), "Option --\(name): required options have no default")
        return Option(name: name, kind: .value(kind), help: help, valueName: valueName ?? kind.placeholder,
                      defaultValue: defaultValue, isRequired: required)
    }
}

/// The positional arguments of a command (files, usually).
public struct Positionals: Sendable, Hashable {
    /// The placeholder in usage lines: `FILE`.
    public let name: String
    public let help: String
    public let minimum: Int
    /// nil: no upper limit.
    public let maximum: Int?

    public init(_ name: String, minimum: Int = 0, maximum: Int? = nil, help: String) {
        precondition(minimum >= 0 && (maximum.map { $0 >= max(minimum, 1) } ?? true), "Positionals \(name): bad count limits")
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.help = help
    }
}

/// A command: its options, its positional arguments and the examples its help shows.
public struct Command: Sendable, Hashable {
    public let name: String
    /// One line for the tool's command list and the head of the command's help.
    public let summary: String
    public let options: [Option]
    public let positionals: Positionals?
    /// Complete command lines, without the tool name: `analyze grads.npy --batch 64`.
    public let examples: [String]

    public init(name: String, summary: String, options: [Option], positionals: Positionals? = nil, examples: [String]) {
        precondition(!examples.isEmpty, "Command \(name): give at least one example")
        var seen = Set(["help", "version"])
        for option in options {
            precondition(seen.insert(option.name).inserted, "Command \(name): option --\(option.name) declared twice or reserved")
        }
        self.name = name
        self.summary = summary
        self.options = options
        self.positionals = positionals
        self.examples = examples
    }

    func option(named name: String) -> Option? { options.first { $0.name == name } }
}

/// A tool: either one command (`fisher-bench [options]`) or several (`batch-advisor COMMAND [options]`).
public struct Tool: Sendable, Hashable {
    public let name: String
    public let version: String
    public let summary: String
    public let commands: [Command]
    /// For a tool with several commands: the one that runs when none is named.
    public let defaultCommand: String?
    /// Whether the first argument names a command.
    public let hasSubcommands: Bool

    /// A tool that is a single command; the command's name is ignored.
    public init(name: String, version: String, command: Command) {
        self.name = name
        self.version = version
        self.summary = command.summary
        self.commands = [command]
        self.defaultCommand = nil
        self.hasSubcommands = false
    }

    /// A tool with subcommands; `defaultCommand` (if given) runs when the first argument is not a command.
    public init(name: String, version: String, summary: String, commands: [Command], defaultCommand: String? = nil) {
        precondition(!commands.isEmpty, "Tool \(name): no commands")
        precondition(Set(commands.map(\.name)).count == commands.count, "Tool \(name): duplicate command names")
        precondition(defaultCommand.map { name in commands.contains { $0.name == name } } ?? true,
                     "Tool \(name): unknown default command")
        self.name = name
        self.version = version
        self.summary = summary
        self.commands = commands
        self.defaultCommand = defaultCommand
        self.hasSubcommands = true
    }

    func command(named name: String) -> Command? { commands.first { $0.name == name } }
}
