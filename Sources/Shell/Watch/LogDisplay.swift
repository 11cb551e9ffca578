import Formatters
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// `watch` in a log: one line per change, `03:52:10  2018071010171127450  test_0710-2  RunPercent 40 → 55`;
/// the first tick lists the rows. With ndjson, one JSON event per line instead.
final class LogDisplay: WatchLoop.Display {
  private let columns: [Column]
  private let output: any TextSink
  private let errors: any TextSink
  private let json: Bool
  private let utc: Bool
  private let nameColumn: Int?
  private let keyColumn: Int

  init(columns: [Column], output: any TextSink, errors: any TextSink, json: Bool, utc: Bool) {
    self.columns = columns
    self.output = output
    self.errors = errors
    self.json = json
    self.utc = utc
    nameColumn = columns.firstIndex(role: .title)
    keyColumn = WatchDiff.keyColumn(columns)
  }

  var wantsCountdown: Bool { false }

  func tick(rows: [Row], events: [WatchEvent], at date: Date, next: Duration?, state: WatchLoop.State) {
    let text = events.map { json ? jsonLine($0, at: date) : textLine($0, at: date) }.joined()
    if !text.isEmpty { output.write(text) }
  }

  func failed(_ error: any Error, at date: Date, state: WatchLoop.State) {
    errors.write("\(Self.time(date, utc: utc))  tick \(state.ticks) failed: \(Presenter.report(error).text)")
  }

  func idle(at date: Date, next: Duration, state: WatchLoop.State) {}

  /// `HH:MM:SS` in the display zone.
  static func time(_ date: Date, utc: Bool) -> String {
    var seconds = time_t(date.timeIntervalSince1970)
    var parts = tm()
    if utc { gmtime_r(&seconds, &parts) } else { localtime_r(&seconds, &parts) }
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
  }

  private func value(_ value: FieldValue?, column: Int) -> String {
    guard let value else { return "-" }
    if columns[column].kind == .time, case .number(let milliseconds) = value {
      return CellText.time(milliseconds: milliseconds, utc: utc)
    }
    return value.text
  }

  private func textLine(_ event: WatchEvent, at date: Date) -> String {
    var parts = [Self.time(date, utc: utc), event.key]
    if let nameColumn, nameColumn != keyColumn { parts.append(event.row.values[nameColumn]?.text ?? "-") }
    switch event.kind {
    case .added:
      let shown = columns.indices.filter { index in
        index != keyColumn && index != nameColumn && event.row.values[index] != nil
          && (columns.count <= 6 || !columns[index].roles.isDisjoint(with: [.status, .progress, .severity]))
      }
      parts.append(
        "added: "
          + shown.map { "\(columns[$0].name) \(value(event.row.values[$0], column: $0))" }.joined(separator: ", "))
    case .changed:
      parts.append(
        event.changes.map {
          "\(columns[$0.column].name) \(value($0.old, column: $0.column)) → \(value($0.new, column: $0.column))"
        }
        .joined(separator: ", "))
    case .removed:
      parts.append("removed" + (event.reason.map { " (\($0))" } ?? ""))
    }
    return parts.joined(separator: "  ") + "\n"
  }

  private func jsonLine(_ event: WatchEvent, at date: Date) -> String {
    var writer = JSONWriter()
    writer.raw("{")
    writer.key("at")
    writer.string(WireTimestamp.format(secondsSince1970: date.timeIntervalSince1970))
    writer.raw(",")
    writer.key("event")
    writer.string(event.kind.rawValue)
    writer.raw(",")
    writer.key(columns.indices.contains(keyColumn) ? columns[keyColumn].name : "key")
    writer.string(event.key)
    if let nameColumn, nameColumn != keyColumn {
      writer.raw(",")
      writer.key("Name")
      writer.value(event.row.values[nameColumn])
    }
    if event.kind == .changed {
      writer.raw(",")
      writer.key("changes")
      writer.raw("{")
      for (index, change) in event.changes.enumerated() {
        if index > 0 { writer.raw(",") }
        writer.key(columns[change.column].name)
        writer.raw("[")
        writer.value(change.old)
        writer.raw(",")
        writer.value(change.new)
        writer.raw("]")
      }
      writer.raw("}")
    }
    if let reason = event.reason {
      writer.raw(",")
      writer.key("reason")
      writer.string(reason)
    }
    writer.raw(",")
    writer.key("row")
    writer.object(event.row, columns: columns)
    writer.raw("}\n")
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
