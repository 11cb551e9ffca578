import ScanAPI
import Vocabulary

/// `diff PATH [by FIELD, …]`: the rows that differ from a snapshot (what `save` wrote), matched by
/// the key of the rows' resource (ScanId, TaskId, Id) or by the fields after `by` (a finding's
/// `Name, Target`, since its Id may not survive a rescan). A row
/// not in the snapshot is `added`, one whose values differ is `changed` (with the names of the
/// fields that differ), and after the last row, every snapshot row not seen is `removed`. Fields
/// the snapshot does not have are not compared. Holds the snapshot.
final class DiffStream: StageStream {
  private let path: String
  private let shownPath: String
  private let columns: [Column]
  private let keys: [Int]
  /// Where the rows say their account; with a snapshot that has accounts too, rows are matched by
  /// (Account, ScanId): the same ScanId in two accounts is two rows.
  private let accountColumn: Int?
  private var snapshot: Snapshot?
  private var removed: [Row]?
  private var matched = Set<String>()
  /// `diff … by`: matched by fields other than the key.
  private let byFields: Bool

  private struct Snapshot {
    var order: [String] = []
    var rows: [String: Scan] = [:]
    var fields = FieldSet(mask: 0)
    var resource = Resource.scans
  }

  /// `path` is read; `shownPath` is how errors name it (as written).
  init(_ upstream: any RowStream, path: String, shownPath: String, columns: [Column], keys: [Int]) {
    self.path = path
    self.shownPath = shownPath
    self.columns = columns
    self.keys = keys
    byFields = keys.count != 1 || columns[keys[0]].roles.contains(.key) == false
    accountColumn = columns.firstIndex(role: .account)
    super.init(upstream)
  }

  override func next() async throws -> Row? {
    if snapshot == nil { snapshot = try load() }
    while removed == nil, let row = try await upstream.next() {
      guard var id = Self.identity(keys.map { row.values[$0] }) else { continue }
      if let accountColumn, snapshot!.fields.contains(index: snapshot!.resource.account) {
        id = (row.values[accountColumn]?.text ?? "") + "\u{1F}" + id
      }
      // Several rows may share an identity (a name on a target, found by two runs): each is
      // matched with the snapshot's, and only identities no row had are `removed`.
      guard let saved = snapshot!.rows[id] else {
        return row.adding(.added, [])
      }
      matched.insert(id)
      // Matched by chosen fields, rows of other runs differ in Id, TaskId and times by nature:
      // only what was added or removed is reported.
      if byFields { continue }
      let changed = columns.indices.filter { index in
        guard !keys.contains(index), index != accountColumn,
          let field = snapshot!.resource.index(of: columns[index].name),
          snapshot!.fields.contains(index: field)
        else {
          return false
        }
        return row.values[index] != saved.values[field]
      }
      if !changed.isEmpty { return row.adding(.changed, changed.map { columns[$0].name }) }
    }
    if removed == nil {
      let left = snapshot!.order.filter { !matched.contains($0) }.compactMap { snapshot!.rows[$0] }
      removed = left.reversed().map { scan in
        Row(values: columns.map { column in snapshot!.resource.index(of: column.name).flatMap { scan.values[$0] } })
          .adding(.removed, [])
      }
    }
    return removed!.popLast()
  }

  private func load() throws -> Snapshot {
    var reader: ScanFileReader
    do {
      reader = try ScanFileReader(path: path)
    } catch var failure as ScanFileReader.Failure {
      failure.path = shownPath
      throw failure
    }
    var snapshot = Snapshot()
    let resource = reader.resource
    snapshot.resource = resource
    let keyFields = keys.map { resource.index(of: columns[$0].name) }
    do {
      while let scan = try reader.next() {
        guard var id = Self.identity(keyFields.map { $0.flatMap { scan.values[$0] } }) else { continue }
        if let account = scan.values[resource.account]?.text { id = account + "\u{1F}" + id }
        if snapshot.rows.updateValue(scan, forKey: id) == nil { snapshot.order.append(id) }
        snapshot.fields = snapshot.fields.union(
          FieldSet(indices: scan.values.indices.filter { scan.values[$0] != nil }))
      }
    } catch var failure as ScanFileReader.Failure {
      failure.path = shownPath
      throw failure
    }
    return snapshot
  }
}

extension DiffStream {
  /// The text rows are matched by: the key values joined; nil when one is missing.
  fileprivate static func identity(_ values: [FieldValue?]) -> String? {
    var parts: [String] = []
    for value in values {
      guard let value else { return nil }
      parts.append(value.text)
    }
    return parts.joined(separator: "\u{1F}")
  }
}

extension Row {
  fileprivate func adding(_ change: DiffColumns.Change, _ changed: [String]) -> Row {
    Row(values: values + [.string(change.rawValue), .list(changed)])
  }
}
