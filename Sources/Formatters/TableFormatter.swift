import Vocabulary

/// An aligned table that fits the terminal: widths come from the first block of rows, long cells
/// are cut with `…`, columns that cannot fit are dropped from the right, status is coloured.
struct TableFormatter: RowFormatter {
  /// Rows measured before the first line is printed; later rows reuse those widths.
  static let blockSize = 500
  static let gap = 2

  private let context: OutputContext
  private let shown: [Int]
  private var pending: [Row] = []
  private var widths: [Int]?
  private var visible: [Int] = []
  private var count = 0
  /// The largest value of the bar column in the first block; bars are scaled to it.
  private var barScale = 0.0
  static let barWidth = 24

  init(_ context: OutputContext) {
    self.context = context
    shown = context.shownColumns
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
    if widths == nil, pending.count == 1, let expanded = expanded(pending[0]) { return expanded + "(1 row)\n" }
    var text = widths == nil ? flushPending() : ""
    text += count == 0 ? "(no rows)\n" : "(\(count) \(count == 1 ? "row" : "rows"))\n"
    return text
  }

  /// A single row too wide for the terminal, as psql's `\x auto` shows it: a field per line, every
  /// field that has a value, text kept whole and its line breaks kept. Nil when the row fits.
  private func expanded(_ row: Row) -> String? {
    guard let width = context.width else { return nil }
    let natural =
      shown.reduce(0) { $0 + max(DisplayWidth.of(context.columns[$1].name), DisplayWidth.of(cell(row, $1))) }
      + Self.gap * max(0, shown.count - 1)
    guard natural > width else { return nil }
    let fields = context.columns.indices.filter { (context.isScans || shown.contains($0)) && row.values[$0] != nil }
    let nameWidth = fields.map { DisplayWidth.of(context.columns[$0].name) }.max() ?? 0
    var text = "-[ RECORD 1 ]" + String(repeating: "-", count: max(0, min(width, 40) - 13)) + "\n"
    for index in fields {
      let column = context.columns[index]
      var value = cell(row, index)
      if case .string(let raw)? = row.values[index], raw.contains("\n") {
        value = raw.split(separator: "\n", omittingEmptySubsequences: false).map { CellText.clean(String($0)) }
          .joined(separator: "\n" + String(repeating: " ", count: nameWidth) + " | ")
      }
      var name = CellText.pad(column.name, to: nameWidth)
      if context.color { name = "\u{1B}[1m\(name)\u{1B}[0m" }
      text += name + " | " + value + "\n"
    }
    return text
  }

  private func cell(_ row: Row, _ column: Int) -> String {
    CellText.text(row.values[column], column: context.columns[column], utc: context.utc)
  }

  private mutating func flushPending() -> String {
    if let column = context.barColumn {
      barScale = pending.compactMap { $0.values[column]?.numberValue }.max() ?? 0
    }
    layout()
    var text = header()
    for row in pending { text += line(row) }
    pending = []
    return text
  }

  /// Natural widths; when they do not fit, text columns shrink (to 12 at least, the ScanId never),
  /// and if that is not enough, the least useful columns are dropped first.
  private mutating func layout() {
    var natural = shown.map { DisplayWidth.of(context.columns[$0].name) }
    for row in pending {
      for (position, column) in shown.enumerated() {
        natural[position] = max(natural[position], DisplayWidth.of(cell(row, column)))
      }
    }
    widths = natural
    visible = Array(shown.indices)
    guard var limit = context.width else { return }
    if context.barColumn != nil { limit -= Self.gap + Self.barWidth }
    let dropOrder = droppingOrder()
    for dropped in 0...dropOrder.count {
      var candidate = natural
      let kept = shown.indices.filter { !dropOrder.prefix(dropped).contains($0) }
      func total() -> Int { kept.reduce(0) { $0 + candidate[$1] } + Self.gap * max(0, kept.count - 1) }
      let shrinkable = kept.filter { position in
        let column = context.columns[shown[position]]
        return !column.roles.contains(.key) && (column.kind == .string || column.kind == .list)
      }
      while total() > limit {
        guard let widest = shrinkable.filter({ candidate[$0] > 12 }).max(by: { candidate[$0] < candidate[$1] }) else {
          break
        }
        candidate[widest] -= min(candidate[widest] - 12, total() - limit)
      }
      if total() <= limit || dropped == dropOrder.count {
        widths = candidate
        visible = kept
        return
      }
    }
  }

  /// Positions in `shown` to drop, least useful first: for whole rows by the columns' ranks (the
  /// key and the name never), otherwise from the right.
  private func droppingOrder() -> [Int] {
    guard context.isScans else { return Array(shown.indices.dropFirst().reversed()) }
    let ranked = shown.indices.filter { (context.columns[shown[$0]].tableRank ?? 0) > 1 }
    return ranked.sorted { context.columns[shown[$0]].tableRank! > context.columns[shown[$1]].tableRank! }
  }

  private func header() -> String {
    guard let widths else { return "" }
    let cells = visible.map { position -> String in
      let column = context.columns[shown[position]]
      let text = CellText.pad(
        CellText.truncate(column.name, to: widths[position]), to: widths[position], right: isNumeric(column))
      return context.color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
    return join(cells) + "\n"
  }

  private func line(_ row: Row) -> String {
    guard let widths else { return "" }
    let cells = visible.map { position -> String in
      let columnIndex = shown[position]
      let column = context.columns[columnIndex]
      let text = CellText.pad(
        CellText.truncate(cell(row, columnIndex), to: widths[position]), to: widths[position], right: isNumeric(column))
      let colour =
        column.roles.contains(.severity)
        ? Self.severityColor(cell(row, columnIndex))
        : column.roles.contains(.status) ? Self.statusColor(row.values[columnIndex]?.text) : nil
      guard context.color, let code = colour else { return text }
      return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
    guard let column = context.barColumn else { return join(cells) + "\n" }
    return join(cells + [Self.bar(row.values[column]?.numberValue ?? 0, of: barScale)]) + "\n"
  }

  /// A bar `width` cells long at `scale`, in eighths of a cell: `███▍`.
  static func bar(_ value: Double, of scale: Double, width: Int = barWidth) -> String {
    guard scale > 0, value > 0 else { return "" }
    let eighths = Int((min(value, scale) / scale * Double(width * 8)).rounded())
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
    // Any count above zero shows at least a sliver.
    return String(repeating: "█", count: eighths / 8) + (eighths == 0 ? "▏" : partial)
  }

  private func join(_ cells: [String]) -> String {
    var text = cells.joined(separator: String(repeating: " ", count: Self.gap))
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  private func isNumeric(_ column: Column) -> Bool { column.kind == .number }

  /// A finding's severity, by name: important red and bold, moderate yellow, low cyan, info dim.
  static func severityColor(_ name: String) -> String? {
    switch name {
    case "important": "1;31"
    case "moderate": "33"
    case "low": "36"
    case "info": "2"
    default: nil
    }
  }

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
