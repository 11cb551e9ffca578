import ScanAPI

/// An aligned table that fits the terminal: widths come from the first block of rows, long cells
/// are cut with `…`, columns that cannot fit are dropped from the right, status is coloured.
struct TableFormatter: RowFormatter {
  /// Rows measured before the first line is printed; later rows reuse those widths.
  static let blockSize = 500
  static let gap = 2
  /// The columns a table of whole scans shows, in order of importance for dropping.
  static let scanColumns = ["ScanId", "Name", "Status", "ScanType", "RunPercent", "StartDate", "Targets"]

  private let context: OutputContext
  private let shown: [Int]
  private var pending: [Row] = []
  private var widths: [Int]?
  private var visible: [Int] = []
  private var count = 0

  init(_ context: OutputContext) {
    self.context = context
    if context.isScans {
      shown = Self.scanColumns.compactMap { name in context.columns.firstIndex { $0.name == name } }
    } else {
      shown = Array(context.columns.indices)
    }
  }

  mutating func format(_ row: Row) -> String? {
    count += 1
    if context.isCount { return (row.values.first??.text ?? "0") + "\n" }
    if widths != nil { return line(row) }
    pending.append(row)
    guard pending.count >= Self.blockSize else { return nil }
    return flushPending()
  }

  mutating func finish() -> String {
    if context.isCount { return "" }
    var text = widths == nil ? flushPending() : ""
    text += count == 0 ? "(no rows)\n" : "(\(count) \(count == 1 ? "row" : "rows"))\n"
    return text
  }

  private func cell(_ row: Row, _ column: Int) -> String {
    CellText.text(row.values[column], column: context.columns[column], utc: context.utc)
  }

  private mutating func flushPending() -> String {
    layout()
    var text = header()
    for row in pending { text += line(row) }
    pending = []
    return text
  }

  /// Natural widths, then cuts: the widest text columns shrink first, then columns drop from the right.
  private mutating func layout() {
    var natural = shown.map { CellText.width(context.columns[$0].name) }
    for row in pending {
      for (position, column) in shown.enumerated() { natural[position] = max(natural[position], CellText.width(cell(row, column))) }
    }
    var widths = natural
    var visible = Array(shown.indices)
    if let limit = context.width {
      func total() -> Int { visible.reduce(0) { $0 + widths[$1] } + Self.gap * max(0, visible.count - 1) }
      let shrinkable = visible.filter { [FieldKind.string, .list].contains(context.columns[shown[$0]].kind) }
      while total() > limit {
        guard let widest = shrinkable.filter({ visible.contains($0) && widths[$0] > 10 }).max(by: { widths[$0] < widths[$1] })
        else { break }
        widths[widest] -= min(widths[widest] - 10, total() - limit)
      }
      while total() > limit, visible.count > 1 { visible.removeLast() }
    }
    self.widths = widths
    self.visible = visible
  }

  private func header() -> String {
    guard let widths else { return "" }
    let cells = visible.map { position -> String in
      let column = context.columns[shown[position]]
      let text = CellText.pad(CellText.truncate(column.name, to: widths[position]), to: widths[position], right: isNumeric(column))
      return context.color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
    return join(cells) + "\n"
  }

  private func line(_ row: Row) -> String {
    guard let widths else { return "" }
    let cells = visible.map { position -> String in
      let columnIndex = shown[position]
      let column = context.columns[columnIndex]
      let text = CellText.pad(CellText.truncate(cell(row, columnIndex), to: widths[position]), to: widths[position], right: isNumeric(column))
      guard context.color, column.name == "Status", let code = Self.statusColor(row.values[columnIndex]?.text) else { return text }
      return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
    return join(cells) + "\n"
  }

  private func join(_ cells: [String]) -> String {
    var text = cells.joined(separator: String(repeating: " ", count: Self.gap))
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  private func isNumeric(_ column: Column) -> Bool { column.kind == .number }

  static func statusColor(_ status: String?) -> String? {
    switch status {
    case "running": "36"
    case "finished": "32"
    case "aborted": "31"
    case "waiting": "33"
    case "invalid", "disabled": "2"
    default: nil
    }
  }
}
