import QueryLanguage
import ScanAPI
import Vocabulary

extension Resource {
  /// The resource a source or relation of the language names.
  public init(_ name: ListingName) {
    switch name {
    case .scans: self = .scans
    case .sessions: self = .sessions
    case .findings: self = .findings
    }
  }
}

/// Field names as users may write them: each resource's API names in any case, and short aliases.
public enum FieldCatalog {
  /// The scan fields' aliases.
  public static let aliases: [(alias: String, field: ScanField)] = [
    ("status", .status), ("type", .scanType), ("trigger", .triggerType), ("id", .scanId), ("name", .name),
    ("targets", .targets), ("target", .targets), ("progress", .runPercent), ("start", .startDate), ("end", .endDate),
  ]

  /// Each resource's aliases, by the column they name.
  public static func aliases(of resource: Resource) -> [(alias: String, column: String)] {
    switch resource.id {
    case .scans: aliases.map { ($0.alias, $0.field.apiName) }
    case .sessions:
      [
        ("status", "JobStatus"), ("progress", "RunPercent"), ("start", "CreatedAt"), ("created", "CreatedAt"),
        ("end", "FinishedAt"), ("finished", "FinishedAt"), ("report", "ReportStatus"), ("id", "TaskId"),
        ("name", "Name"), ("targets", "Targets"), ("target", "Targets"), ("trigger", "TriggerType"),
      ]
    case .findings:
      [
        ("seen", "LastDiscoveredAt"), ("id", "Id"), ("host", "Hostname"), ("type", "VulType"),
        ("task", "TaskId"), ("scan", "ScanId"),
      ]
    }
  }

  public static func field(named name: String) -> ScanField? {
    field(named: name, in: .scans).flatMap(ScanField.init(rawValue:))
  }

  /// The column of `resource` a name refers to: an alias, or an API name in any case.
  public static func field(named name: String, in resource: Resource) -> Int? {
    let lowered = name.lowercased()
    if let alias = aliases(of: resource).first(where: { $0.alias == lowered }) {
      return resource.index(of: alias.column)
    }
    return resource.columns.firstIndex { $0.name.lowercased() == lowered }
  }

  /// Every name a field can be written as: API names, then aliases.
  public static var allNames: [String] { allNames(of: .scans) }

  public static func allNames(of resource: Resource) -> [String] {
    resource.columns.map(\.name) + aliases(of: resource).map(\.alias)
  }

  /// The aliases of one column, for `show fields`.
  public static func aliases(of column: String, in resource: Resource) -> [String] {
    aliases(of: resource).filter { $0.column == column }.map(\.alias)
  }

  public static func describe(_ kind: FieldKind) -> String {
    switch kind {
    case .string: "text"
    case .number: "number"
    case .time: "time"
    case .list: "list of text"
    case .enumeration(let values): "one of " + values.joined(separator: ", ")
    case .coded(let codes):
      codes.names.count > 6
        ? "one of \(codes.names.count) named codes (\(codes.codes[0])–\(codes.codes[codes.codes.count - 1]))"
        : "ordered: " + codes.names.joined(separator: " < ")
    }
  }
}
