/// The one table of sources, stages and commands. The parser reads names from it, `help` prints
/// it, completion offers it, and "did you mean" searches it; its examples run as tests.
public struct LanguageEntry: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case source
    case stage
    case command
  }

  public var name: String
  public var aliases: [String]
  public var kind: Kind
  public var signature: String
  public var summary: String
  /// Statements that parse, plan and run against the demo data.
  public var examples: [String]

  public init(
    _ name: String, aliases: [String] = [], kind: Kind, signature: String, summary: String, examples: [String]
  ) {
    self.name = name
    self.aliases = aliases
    self.kind = kind
    self.signature = signature
    self.summary = summary
    self.examples = examples
  }
}

public enum LanguageReference {
  public static let entries: [LanguageEntry] = [
    LanguageEntry(
      "scans", kind: .source, signature: "scans [search TEXT] [where EXPR]",
      summary: "List scan tasks from DescribeScans, filtered on the server where it can.",
      examples: ["scans", "scans where status = running", "scans search example.com where type = vuln"]),
    LanguageEntry(
      "load", kind: .source, signature: "load PATH",
      summary: "Read scans from an ndjson file (as `save` writes) or a saved DescribeScans response.",
      examples: ["load running.ndjson | sort RunPercent desc | first 3"]),
    LanguageEntry(
      "where", kind: .stage, signature: "where EXPR",
      summary: "Keep the rows for which EXPR holds.",
      examples: [
        "scans | where RunPercent > 50 and status = running", "scans | where name ~ prod or targets ~ example.cn",
        "scans | where status in (aborted, invalid) and start > now-30d",
      ]),
    LanguageEntry(
      "sort", kind: .stage, signature: "sort FIELD [asc|desc] [, FIELD [asc|desc]]…",
      summary: "Order rows by one or more fields (stable; missing values last).",
      examples: ["scans | sort RunPercent desc, ScanId", "scans | sort start desc"]),
    LanguageEntry(
      "select", kind: .stage, signature: "select FIELD [, FIELD]…",
      summary: "Keep only these fields, in this order.",
      examples: ["scans | select ScanId, Name, RunPercent"]),
    LanguageEntry(
      "first", aliases: ["limit"], kind: .stage, signature: "first N",
      summary: "Keep the first N rows (alias: limit).",
      examples: ["scans | first 5", "scans | sort start desc | limit 3"]),
    LanguageEntry(
      "count", kind: .stage, signature: "count",
      summary: "Count the rows.",
      examples: ["scans | count", "scans where status = running | count"]),
    LanguageEntry(
      "group", kind: .stage, signature: "group FIELD",
      summary: "Count rows per value of FIELD, largest group first.",
      examples: ["scans | group status", "scans | group type"]),
    LanguageEntry(
      "expect", kind: .stage, signature: "expect empty | count OP N | all EXPR | any EXPR | none EXPR",
      summary: "Fail the statement (exit 1) unless the rows pass the check.",
      examples: ["scans where status = invalid and name = nothing | expect empty", "scans | expect count > 0"]),
    LanguageEntry(
      "watch", kind: .stage, signature: "watch INTERVAL [until CHECK|EXPR] [for DURATION]",
      summary: "Re-run the pipeline every INTERVAL and show what changed.",
      examples: [
        "scans where status = running | watch 30s until empty for 2h", "scans | group status | watch 1m for 1h",
      ]),
    LanguageEntry(
      "format", kind: .stage, signature: "format table|json|ndjson|csv|tsv",
      summary: "Print this statement's result in another format.",
      examples: ["scans | first 2 | select ScanId, Status | format json"]),
    LanguageEntry(
      "save", kind: .stage, signature: "save PATH",
      summary: "Write the rows to PATH as ndjson (atomically: a temporary file, then a rename).",
      examples: ["scans where status = running | save running.ndjson"]),
    LanguageEntry(
      "help", kind: .command, signature: "help [TOPIC]",
      summary: "List stages and commands, or show one with its examples.",
      examples: ["help", "help where"]),
    LanguageEntry(
      "set", kind: .command, signature: "set NAME VALUE",
      summary: "Change a setting: pagesize, concurrency, format, lang, timezone, color.",
      examples: ["set format json", "set timezone utc"]),
    LanguageEntry(
      "show", kind: .command, signature: "show settings|fields|config",
      summary: "Show the settings, the fields you can use, or the connection.",
      examples: ["show settings", "show fields", "show config"]),
    LanguageEntry(
      "explain", kind: .command, signature: "explain PIPELINE",
      summary: "Show the plan: API parameters, client-side stages, requests expected.",
      examples: ["explain scans where status = running | count"]),
    LanguageEntry(
      "history", kind: .command, signature: "history",
      summary: "List the statements entered in earlier sessions and this one.",
      examples: ["history"]),
    LanguageEntry(
      "source", kind: .command, signature: "source PATH",
      summary: "Run the statements of a script file.",
      examples: ["source checks.scansh"]),
    LanguageEntry(
      "exit", aliases: ["quit"], kind: .command, signature: "exit",
      summary: "Leave scansh (also quit, or Ctrl-D).",
      examples: ["exit"]),
  ]

  public static func entry(named name: String) -> LanguageEntry? {
    let lowered = name.lowercased()
    return entries.first { $0.name == lowered || $0.aliases.contains(lowered) }
  }

  public static func names(of kind: LanguageEntry.Kind) -> [String] {
    entries.filter { $0.kind == kind }.flatMap { [$0.name] + $0.aliases }
  }

  public static let formats = ["table", "json", "ndjson", "csv", "tsv"]
  public static let showTopics = ["settings", "fields", "config"]
  public static let checkWords = ["empty", "count", "all", "any", "none"]
}
