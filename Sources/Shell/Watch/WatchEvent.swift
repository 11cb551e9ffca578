import ScanAPI
import Vocabulary

/// What changed between two ticks for one row.
public struct WatchEvent: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case added, changed, removed
  }

  public struct Change: Sendable, Equatable {
    public var column: Int
    public var old: FieldValue?
    public var new: FieldValue?
  }

  public var kind: Kind
  /// The row's key: its ScanId, or the first column's value for rows without one.
  public var key: String
  /// The row as it is now (as it was, for `removed`).
  public var row: Row
  public var changes: [Change]
  /// For `removed`: where the row went (`finished`, `aborted`, …, or `gone`), when known.
  public var reason: String?

  public init(kind: Kind, key: String, row: Row, changes: [Change] = [], reason: String? = nil) {
    self.kind = kind
    self.key = key
    self.row = row
    self.changes = changes
    self.reason = reason
  }
}

/// The difference between two ticks, as a pure function: rows are matched by key; events come in
/// key order (added and changed, then removed).
public enum WatchDiff {
  public static func keyColumn(_ columns: [Column]) -> Int {
    columns.firstIndex { $0.name == ScanField.scanId.apiName } ?? 0
  }

  public static func key(_ row: Row, column: Int) -> String {
    row.values.indices.contains(column) ? row.values[column]?.text ?? "" : ""
  }

  public static func events(previous: [Row]?, current: [Row], columns: [Column]) -> [WatchEvent] {
    let keyColumn = keyColumn(columns)
    var before: [String: Row] = [:]
    for row in previous ?? [] { before[key(row, column: keyColumn)] = row }
    var events: [WatchEvent] = []
    var seen = Set<String>()
    for row in current {
      let rowKey = key(row, column: keyColumn)
      guard seen.insert(rowKey).inserted else { continue }
      guard let old = before[rowKey] else {
        events.append(WatchEvent(kind: .added, key: rowKey, row: row))
        continue
      }
      let changes = columns.indices.compactMap { index -> WatchEvent.Change? in
        old.values[index] == row.values[index]
          ? nil : WatchEvent.Change(column: index, old: old.values[index], new: row.values[index])
      }
      if !changes.isEmpty { events.append(WatchEvent(kind: .changed, key: rowKey, row: row, changes: changes)) }
    }
    let removed = before.filter { !seen.contains($0.key) }.map {
      WatchEvent(kind: .removed, key: $0.key, row: $0.value)
    }
    return (events + removed).sorted { ($0.kind == .removed ? 1 : 0, $0.key) < ($1.kind == .removed ? 1 : 0, $1.key) }
  }
}
