import Vocabulary

/// What a formatter needs to know besides the rows.
public struct OutputContext: Sendable {
  public var columns: [Column]
  /// Rows are whole scans: the table shows a chosen set of columns rather than all 25.
  public var isScans: Bool
  /// The result of `count`: a bare number in table, csv and tsv.
  public var isCount: Bool
  /// Terminal width; nil when output is not a terminal (no fitting).
  public var width: Int?
  public var color: Bool
  public var utc: Bool
  /// In a table on a terminal, a bar after each row scaled to the largest value of this column
  /// (`group`'s count): the picture of "how many per day".
  public var barColumn: Int?
  /// Several accounts are in use: a table of whole scans shows which each row is from.
  public var showAccount = false

  public init(
    columns: [Column], isScans: Bool, isCount: Bool = false, width: Int? = nil, color: Bool = false, utc: Bool = false
  ) {
    self.columns = columns
    self.isScans = isScans
    self.isCount = isCount
    self.width = width
    self.color = color
    self.utc = utc
  }
}

extension OutputContext {
  /// The columns a person's table shows: for whole rows, those the resource ranks for a table (with
  /// `Account` first when several accounts are in use), in catalog order; otherwise all of them.
  var shownColumns: [Int] {
    guard isScans else { return Array(columns.indices) }
    let ranked = columns.indices.filter { columns[$0].tableRank != nil }
    let account = showAccount ? columns.firstIndex(role: .account) : nil
    return (account.map { [$0] } ?? []) + ranked
  }
}

/// Turns rows into text, a row at a time where the format allows it.
public protocol RowFormatter {
  /// Text to print for this row now (nil when the formatter is still collecting).
  mutating func format(_ row: Row) -> String?
  /// What remains to print after the last row.
  mutating func finish() -> String
  /// What to print when the rows stop on an error: enough to leave the output well-formed (a
  /// JSON array closed), never a summary of a result that is not whole.
  mutating func abort() -> String
  /// For a format whose rows do not depend on one another: a row's text on its own, which a
  /// stream may make where the row is made, ahead of its turn to print. nil when a row's text
  /// needs the other rows (a table's column widths).
  var rowText: (@Sendable (Row) -> String)? { get }
  /// `format(_:)` for a row whose text `rowText` has made already.
  mutating func format(_ row: Row, text: String) -> String?
}

extension RowFormatter {
  public mutating func abort() -> String { "" }
  public var rowText: (@Sendable (Row) -> String)? { nil }
  public mutating func format(_ row: Row, text: String) -> String? { format(row) }
}

public enum Formatting {
  public static func make(_ format: OutputFormat, _ context: OutputContext) -> any RowFormatter {
    switch format {
    case .table: TableFormatter(context)
    case .json: JSONFormatter(context, lines: false)
    case .ndjson: JSONFormatter(context, lines: true)
    case .csv: DelimitedFormatter(context, separator: ",")
    case .tsv: DelimitedFormatter(context, separator: "\t")
    case .markdown: MarkdownFormatter(context)
    }
  }

  /// Formats all rows at once; for tests and small results.
  public static func render(_ rows: [Row], as format: OutputFormat, _ context: OutputContext) -> String {
    var formatter = make(format, context)
    var text = ""
    for row in rows { text += formatter.format(row) ?? "" }
    return text + formatter.finish()
  }
}
