import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

/// `help` and `help TOPIC`, from the language reference table.
public enum HelpText {
  public static var overview: String {
    var text = "scansh: list, filter and follow Cloud Security Scanner scan tasks.\n"
    for (kind, title) in [
      (LanguageEntry.Kind.source, "Sources"), (.stage, "Stages (after '|')"), (.command, "Commands"),
    ] {
      text += "\n\(title)\n"
      for entry in LanguageReference.entries where entry.kind == kind {
        text += "  " + entry.name.rawValue.padded(to: 10) + entry.summary + "\n"
      }
    }
    text += """

      Conditions: FIELD = != < <= > >= ~ (contains) !~ VALUE, FIELD [not] in (A, B), and, or, not, ( ).
      Values: words, 'quoted', numbers, durations (30s 5m 2h 1d), times (2024-07-10, now-1d).
      'help NAME' shows a stage or command with examples; 'help fields' lists the fields.

      """
    return text
  }

  /// The text for `help TOPIC`, or a diagnostic for an unknown topic.
  public static func topic(_ topic: Located<String>) throws(Diagnostic) -> String {
    let name = topic.value.lowercased()
    if name == "fields" { return fields }
    if LanguageReference.overviewTopics.contains(name) { return overview }
    guard let entry = LanguageReference.entry(named: name) else {
      let names = LanguageReference.entries.flatMap(\.words) + LanguageReference.extraHelpTopics
      throw Diagnostic(
        "no help for '\(topic.value)'", at: topic.span,
        help: Suggestion.didYouMean(topic.value, in: names) ?? "'help' lists the stages and commands")
    }
    var text = entry.signature + "\n  " + entry.summary + "\n"
    if !entry.aliases.isEmpty { text += "  Also written: " + entry.aliases.joined(separator: ", ") + "\n" }
    if !entry.examples.isEmpty {
      text += "\nExamples:\n" + entry.examples.map { "  " + $0.statement + "\n" }.joined()
    }
    return text
  }

  /// `show fields`: name, kind and aliases of every field of every source.
  public static var fields: String {
    Resource.all.map(fields(of:)).joined(separator: "\n")
  }

  /// One source's fields, under a heading naming it.
  public static func fields(of resource: Resource) -> String {
    var text = "\(resource) (\(resource.action))\n" + "Field".padded(to: 23) + "Aliases".padded(to: 18) + "Kind\n"
    for column in resource.columns {
      let aliases = FieldCatalog.aliases(of: column.name, in: resource).joined(separator: ", ")
      var kind = FieldCatalog.describe(column.kind)
      if resource.detailColumns.contains(resource.index(of: column.name)!) { kind += " (details)" }
      text += column.name.padded(to: 23) + aliases.padded(to: 18) + kind + "\n"
    }
    return text
  }
}
