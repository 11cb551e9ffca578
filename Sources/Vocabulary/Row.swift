/// What a column is for, where a display or a check needs to know rather than guess from a name:
/// the key rows are matched by, the name a person reads, the status, the progress of a run, the
/// severity of a finding.
public struct ColumnRoles: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let key = ColumnRoles(rawValue: 1)
  public static let title = ColumnRoles(rawValue: 2)
  public static let status = ColumnRoles(rawValue: 4)
  public static let progress = ColumnRoles(rawValue: 8)
  public static let severity = ColumnRoles(rawValue: 16)
  /// Text that holds a JSON document (a finding's `Data`, `Args`): JSON output shows the document.
  public static let json = ColumnRoles(rawValue: 32)
  /// The account a row was read from (scansh's own column, not the API's).
  public static let account = ColumnRoles(rawValue: 64)
}

/// A named, typed column of a result.
public struct Column: Sendable, Hashable {
  public var name: String
  public var kind: FieldKind
  public var roles: ColumnRoles
  /// Shown in a table of whole rows when set; a narrow terminal drops the highest ranks first
  /// (rank 0, the key, never).
  public var tableRank: Int?

  public init(name: String, kind: FieldKind, roles: ColumnRoles = [], tableRank: Int? = nil) {
    self.name = name
    self.kind = kind
    self.roles = roles
    self.tableRank = tableRank
  }
}

extension Array where Element == Column {
  /// The first column with this role.
  public func firstIndex(role: ColumnRoles) -> Int? {
    firstIndex { $0.roles.contains(role) }
  }
}

/// One row of a result; `values[i]` belongs to column `i`, and `nil` means the field was absent.
public struct Row: Sendable, Hashable {
  public var values: [FieldValue?]

  public init(values: [FieldValue?]) {
    self.values = values
  }
}
