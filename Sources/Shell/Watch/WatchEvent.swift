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
  /// For `removed`: the row's status where it went, as the status column holds it, when looked up.
  public var status: FieldValue?
  /// The row's account, when rows carry one: the same ScanId in two accounts is two rows.
  public var account: String?

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
    columns.firstIndex(role: .key) ?? 0
  }

  public static func key(_ row: Row, column: Int) -> String {
    row.values.indices.contains(column) ? row.values[column]?.text ?? "" : ""
  }

  /// Rows are the same row across ticks when their (Account, ScanId) are.
  struct Identity: Hashable, Comparable {
    var account: String
    var key: String

    static func < (a: Identity, b: Identity) -> Bool { (a.account, a.key) < (b.account, b.key) }
  }

  static func identity(_ row: Row, keyColumn: Int, accountColumn: Int?) -> Identity {
    let account = accountColumn.flatMap { row.values.indices.contains($0) ? row.values[$0]?.text : nil }
    return Identity(account: account ?? "", key: key(row, column: keyColumn))
  }

  public static func events(previous: [Row]?, current: [Row], columns: [Column]) -> [WatchEvent] {
    let keyColumn = keyColumn(columns)
    let accountColumn = columns.firstIndex(role: .account)
    func event(_ kind: WatchEvent.Kind, _ row: Row, _ identity: Identity, changes: [WatchEvent.Change] = [])
      -> WatchEvent
    {
      var event = WatchEvent(kind: kind, key: identity.key, row: row, changes: changes)
      event.account = identity.account.isEmpty ? nil : identity.account
      return event
    }
    var before: [Identity: Row] = [:]
    for row in previous ?? [] { before[identity(row, keyColumn: keyColumn, accountColumn: accountColumn)] = row }
    var events: [(Identity, WatchEvent)] = []
    var seen = Set<Identity>()
    for row in current {
      let rowIdentity = identity(row, keyColumn: keyColumn, accountColumn: accountColumn)
      guard seen.insert(rowIdentity).inserted else { continue }
      guard let old = before[rowIdentity] else {
        events.append((rowIdentity, event(.added, row, rowIdentity)))
        continue
      }
      let changes = columns.indices.compactMap { index -> WatchEvent.Change? in
        old.values[index] == row.values[index]
          ? nil : WatchEvent.Change(column: index, old: old.values[index], new: row.values[index])
      }
      if !changes.isEmpty { events.append((rowIdentity, event(.changed, row, rowIdentity, changes: changes))) }
    }
    let removed = before.filter { !seen.contains($0.key) }.map { ($0.key, event(.removed, $0.value, $0.key)) }
    return (events + removed).sorted {
      ($0.1.kind == .removed ? 1 : 0, $0.0) < ($1.1.kind == .removed ? 1 : 0, $1.0)
    }.map(\.1)
  }
}
