import Vocabulary

/// `markdown`: a GitHub-flavoured table, cells as a table shows them (times, severity names). A
/// cell cannot break the table or bring markup along: `|` is escaped, line breaks become `<br>`,
/// and `<`, `>`, `&` are entities (GitHub renders HTML in job summaries and comments). Whole rows
/// show the columns a table shows; numbers are right-aligned.
struct MarkdownFormatter: RowFormatter {
  private let context: OutputContext
  private let shown: [Int]
  private var count = 0

  init(_ context: OutputContext) {
    self.context = context
    shown = context.shownColumns
  }

  mutating func format(_ row: Row) -> String? {
    count += 1
    let line = "| " + shown.map { MarkdownText.cell(cell(row, $0)) }.joined(separator: " | ") + " |\n"
    return count == 1 ? header() + line : line
  }

  mutating func finish() -> String {
    count == 0 ? header() : ""
  }

  private func header() -> String {
    let names = shown.map { MarkdownText.cell(context.columns[$0].name) }
    let rules = shown.map { context.columns[$0].kind == .number ? "---:" : "---" }
    return "| " + names.joined(separator: " | ") + " |\n| " + rules.joined(separator: " | ") + " |\n"
  }

  private func cell(_ row: Row, _ column: Int) -> String {
    guard let value = row.values[column] else { return "" }
    if case .list(let items) = value { return items.joined(separator: ", ") }
    if case .string(let text) = value { return text }
    return CellText.text(value, column: context.columns[column], utc: context.utc)
  }
}

/// Text safe inside a GFM table cell, for the `markdown` format and job summaries.
public enum MarkdownText {
  public static func cell(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "|": output += "\\|"
      case "\\": output += "\\\\"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "&": output += "&amp;"
      case "\r\n", "\n", "\r": output += "<br>"
      case "\t": output += " "
      default:
        if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F {
          output += " "
        } else {
          output.append(character)
        }
      }
    }
    return output
  }
}
