import Vocabulary

/// One source, stage or command of the language: the parser dispatches on `name`, `help` prints
/// the signature, summary and examples, completion and "did you mean" offer the names, and
/// docs/language.md is generated from it.
public struct LanguageEntry: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case source
    case stage
    case command
  }

  /// Every entry's canonical name; the parser switches over these, so an entry it cannot parse
  /// does not compile.
  public enum Name: String, Sendable, Hashable, CaseIterable {
    case scans, sessions, findings, load
    case `where`, sort, select, first, count, group, distinct, diff, expect, watch, format, save, details
    case exec, post, notify
    case help, set, show, explain, history, source, use, exit, param, report
  }

  /// A statement and what it prints on the demo dataset (seed 7, 240 scans, at
  /// 2026-11-02T09:00:00Z with the clock stopped, times in UTC). A test runs each and compares.
  public struct Example: Sendable, Hashable {
    public var statement: String
    public var output: String

    public init(_ statement: String, prints output: String = "") {
      self.statement = statement
      self.output = output
    }
  }

  public var name: Name
  public var aliases: [String]
  public var kind: Kind
  public var signature: String
  public var summary: String
  public var examples: [Example]

  public init(
    _ name: Name, aliases: [String] = [], kind: Kind, signature: String, summary: String, examples: [Example]
  ) {
    self.name = name
    self.aliases = aliases
    self.kind = kind
    self.signature = signature
    self.summary = summary
    self.examples = examples
  }

  /// A source that can follow `|` too: the runs or findings of the rows before it.
  public var isRelation: Bool { name == .sessions || name == .findings }

  /// A source or command that is also a stage: the relations, and `report` (of the runs before it).
  public var followsPipe: Bool { isRelation || name == .report }

  /// Every word that names this entry.
  public var words: [String] { [name.rawValue] + aliases }
}

/// The one description of the language: sources, stages, commands, output formats, settings and
/// `show` topics. Nothing else lists them.
public enum LanguageReference {
  public static func entry(named word: String) -> LanguageEntry? {
    let lowered = word.lowercased()
    return entries.first { $0.name.rawValue == lowered || $0.aliases.contains(lowered) }
  }

  public static func entry(_ name: LanguageEntry.Name) -> LanguageEntry {
    entries.first { $0.name == name }!
  }

  /// The words of a kind; stages include the relations (`sessions`, `findings`), sources that
  /// may also follow `|`.
  public static func names(of kind: LanguageEntry.Kind) -> [String] {
    entries.filter { $0.kind == kind || (kind == .stage && $0.followsPipe) }.flatMap(\.words)
  }

  /// What a statement can start with: sources, then commands.
  public static var statementWords: [String] { names(of: .source) + names(of: .command) }

  /// Topics `help` knows besides the entries (`conditions`, `operators` and `values` show the
  /// overview, whose last part covers them).
  public static let extraHelpTopics = ["fields"]
  public static let overviewTopics = ["conditions", "operators", "values"]

  public static var helpTopics: [String] { entries.map(\.name.rawValue) + extraHelpTopics }

  public static var formats: [String] { OutputFormat.allCases.map(\.rawValue) }

  public enum ShowTopic: String, Sendable, Hashable, CaseIterable {
    case settings, fields, config, params

    public var summary: String {
      switch self {
      case .settings: "the settings in force"
      case .fields: "the fields, their aliases and kinds"
      case .config: "the connection: endpoint, profile, region and where the credentials came from"
      case .params: "the parameters in force, their values and where each came from"
      }
    }
  }

  public static var showTopics: [String] { ShowTopic.allCases.map(\.rawValue) }

  public static let settings: [SettingSpec] = [
    SettingSpec(
      name: .pagesize, domain: .integer(1...100, suggested: [100, 50, 20]), defaultValue: "100",
      summary: "the page size asked for"),
    SettingSpec(
      name: .concurrency, domain: .integer(1...32, suggested: [8, 4, 1]), defaultValue: "8",
      summary: "pages fetched at once"),
    SettingSpec(
      name: .format, domain: .choice(OutputFormat.allCases.map(\.rawValue)), defaultValue: "table",
      summary: "how results are printed"),
    SettingSpec(
      name: .lang, domain: .choice(["zh", "en"]), defaultValue: "(server default)", summary: "sent as `Lang`"),
    SettingSpec(
      name: .timezone, domain: .choice(["local", "utc"]), defaultValue: "local", summary: "for times in tables"),
    SettingSpec(
      name: .color, domain: .choice(["auto", "on", "off"]), defaultValue: "auto", summary: "colour in tables"),
    SettingSpec(
      name: .sourceip, domain: .address, defaultValue: "(none)",
      summary: "sent as `SourceIp` with every DescribeScans call (`off` stops sending it)"),
    SettingSpec(
      name: .pager, domain: .choice(["on", "off"]), defaultValue: "on",
      summary: "results taller than the terminal go through `$PAGER` (default `less -FRXK`)"),
    SettingSpec(
      name: .notify, domain: .choice(["on", "off"]), defaultValue: "on",
      summary: "`notify` after a watch notifies the desktop (`off`: it does nothing)"),
    SettingSpec(
      name: .exectimeout, domain: .integer(1...3600, suggested: [30, 10, 300]), defaultValue: "30",
      summary: "seconds an `exec` after a watch may run before it is stopped"),
  ]

  public static func setting(named word: String) -> SettingSpec? {
    settings.first { $0.name.rawValue == word.lowercased() }
  }

  public static func setting(_ name: SettingSpec.Name) -> SettingSpec {
    settings.first { $0.name == name }!
  }

  public static var settingNames: [String] { settings.map(\.name.rawValue) }

  /// `a`, `a or b`, `a, b or c`: lists in messages.
  public static func list(_ words: [String]) -> String {
    words.count <= 1 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
  }
}
