import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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

  /// A count is one object, `{"count":N}`, in both JSON formats; otherwise `json` is an array.
  private var array: Bool { !lines && !context.isCount }

  var rowText: (@Sendable (Row) -> String)? {
    let columns = context.columns
    let newline = !array
    return { Self.text(of: $0, columns: columns, newline: newline) }
  }

  mutating func format(_ row: Row) -> String? {
    format(row, text: Self.text(of: row, columns: context.columns, newline: !array))
  }

  mutating func format(_ row: Row, text: String) -> String? {
    count += 1
    return array ? (count == 1 ? "[\n" : ",\n") + text : text
  }

  /// The row's object, with a newline after it where each row is a line of its own.
  private static func text(of row: Row, columns: [Column], newline: Bool) -> String {
    var writer = JSONWriter()
    writer.object(row, columns: columns, documents: isDocument)
    if newline { writer.raw(0x0A) }
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// A finding's `Data` and `Args` are JSON inside strings: shown as the JSON they hold when they
  /// hold a JSON object or array.
  private static func isDocument(_ text: String) -> Bool {
    guard let first = text.utf8.first(where: { $0 > 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    else { return false }
    return JSONValue.parse(Data(text.utf8)) != nil
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

  private var newline: String { Self.newline(separator) }

  private static func newline(_ separator: Character) -> String { separator == "," ? "\r\n" : "\n" }

  private static func field(_ text: String, separator: Character) -> String {
    if separator == "," {
      guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
        return text
      }
      return "\"" + text.replacingScalars("\"", with: "\"\"") + "\""
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

  /// The row's line: its fields, escaped, between separators.
  private static func line(of row: Row, separator: Character) -> String {
    row.values.map { field($0?.text ?? "", separator: separator) }.joined(separator: String(separator))
      + newline(separator)
  }

  var rowText: (@Sendable (Row) -> String)? {
    if context.isCount { return nil }
    let separator = separator
    return { Self.line(of: $0, separator: separator) }
  }

  mutating func format(_ row: Row) -> String? {
    if context.isCount { return (row.values.first??.text).map { $0 + "\n" } ?? "0\n" }
    return header() + Self.line(of: row, separator: separator)
  }

  mutating func format(_ row: Row, text: String) -> String? {
    header() + text
  }

  private mutating func header() -> String {
    guard !wroteHeader else { return "" }
    wroteHeader = true
    return context.columns.map { Self.field($0.name, separator: separator) }.joined(separator: String(separator))
      + newline
  }

  mutating func finish() -> String {
    context.isCount ? "" : header()
  }
}
