import Foundation
import Vocabulary

/// `json`: one array, an object per line. `ndjson`: one object per line. Field names and values
/// are the API's own; after `select`, only the selected fields.
struct JSONFormatter: RowFormatter {
  private let context: OutputContext
  private let lines: Bool
  private var count = 0

  init(_ context: OutputContext, lines: Bool) {
    self.context = context
    self.lines = lines
  }

  mutating func format(_ row: Row) -> String? {
    var writer = JSONWriter()
    // A count is one object, `{"count":N}`, in both JSON formats.
    let array = !lines && !context.isCount
    if array { writer.raw(count == 0 ? "[\n" : ",\n") }
    writer.object(row, columns: context.columns)
    if !array { writer.raw(0x0A) }
    count += 1
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  mutating func finish() -> String {
    if lines || context.isCount { return "" }
    return count == 0 ? "[]\n" : "\n]\n"
  }

  /// An array that was opened is closed: what was printed stays valid JSON.
  mutating func abort() -> String {
    lines || context.isCount || count == 0 ? "" : "\n]\n"
  }
}

/// RFC 4180 CSV (CRLF, quotes doubled) or TSV (tabs and newlines escaped), with a header row.
/// Values are raw, as in ndjson: times as epoch milliseconds, list items joined with `;`.
struct DelimitedFormatter: RowFormatter {
  private let context: OutputContext
  private let separator: Character
  private var wroteHeader = false

  init(_ context: OutputContext, separator: Character) {
    self.context = context
    self.separator = separator
  }

  private var newline: String { separator == "," ? "\r\n" : "\n" }

  private func field(_ text: String) -> String {
    if separator == "," {
      guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
        return text
      }
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    var escaped = ""
    for character in text {
      switch character {
      case "\\": escaped += "\\\\"
      case "\t": escaped += "\\t"
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  mutating func format(_ row: Row) -> String? {
    if context.isCount { return row.values.first??.text.appending("\n") ?? "0\n" }
    var text = header()
    text += row.values.map { field($0?.text ?? "") }.joined(separator: String(separator)) + newline
    return text
  }

  private mutating func header() -> String {
    guard !wroteHeader else { return "" }
    wroteHeader = true
    return context.columns.map { field($0.name) }.joined(separator: String(separator)) + newline
  }

  mutating func finish() -> String {
    context.isCount ? "" : header()
  }
}
