import Vocabulary

/// What a listing reads: scan tasks (DescribeScans), their runs (DescribeScanSessions) or the
/// vulnerabilities they found (DescribeAllVulnerabilities), with the columns of its rows, the key
/// rows are deduplicated and diffed by, and the operation that lists it.
public struct Resource: Sendable, Hashable, CustomStringConvertible {
  public enum ID: String, Sendable, Hashable, CaseIterable {
    case scans, sessions, findings
  }

  public let id: ID
  /// The listing operation.
  public let action: String
  /// The columns of a whole row: the API's fields, then scansh's own (`Account`, a parent's).
  public let columns: [Column]
  /// The column rows are deduplicated by.
  public let key: Int
  /// One row, in messages: `scan`, `run`, `finding`.
  public let noun: String
  /// The column `Account`, which every resource has.
  public let account: Int
  /// Its name, the one place it is written.
  static let accountColumn = "Account"
  /// The detail columns of a finding row (what only DescribeVulnerability gives); none elsewhere.
  public let detailColumns: Set<Int>
  /// What the listing filters by, exactly, by column: the pushdown table (docs/design.md §3).
  public let filters: [Int: Filter]
  let names: FieldNameTable

  /// A request parameter the listing filters a column by, exactly as the client would.
  public struct Filter: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
      /// `=` becomes `PARAMETER=value`.
      case equal
      /// `=` and `in` become `PARAMETER.1`, `PARAMETER.2`, … (`StatusList`).
      case list
      /// One value per request (findings' `Severity`): a set of values is a listing per value, merged.
      case onePerRequest
    }

    public let parameter: String
    public let form: Form
    /// The rows of a listing filtered by it lack the column: the value asked for is stamped on them.
    public let stamped: Bool

    public init(_ parameter: String, _ form: Form = .equal, stamped: Bool = false) {
      self.parameter = parameter
      self.form = form
      self.stamped = stamped
    }
  }

  /// `layout` gives each column shown in a default table its roles, in order of rank.
  init(
    _ id: ID, action: String, columns: [Column], key: String, noun: String,
    layout: [(name: String, roles: ColumnRoles)], filters: [(name: String, filter: Filter)]
  ) {
    self.id = id
    self.action = action
    self.columns = columns.map { column in
      var column = column
      if column.name == Self.accountColumn { column.roles.insert(.account) }
      if let rank = layout.firstIndex(where: { $0.name == column.name }) {
        column.roles.formUnion(layout[rank].roles)
        column.tableRank = rank
      }
      return column
    }
    self.noun = noun
    names = FieldNameTable(columns.map(\.name))
    self.key = columns.firstIndex { $0.name == key }!
    account = columns.firstIndex { $0.name == Self.accountColumn }!
    self.filters = Dictionary(
      uniqueKeysWithValues: filters.map { entry in (columns.firstIndex { $0.name == entry.name }!, entry.filter) })
    detailColumns = id == .findings ? Set(columns.indices.filter { Self.detailFields.contains(columns[$0].name) }) : []
  }

  public static func == (left: Resource, right: Resource) -> Bool { left.id == right.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }

  public var description: String { id.rawValue }

  public static func named(_ id: ID) -> Resource {
    switch id {
    case .scans: scans
    case .sessions: sessions
    case .findings: findings
    }
  }

  public static let all: [Resource] = ID.allCases.map(named)

  /// The column of a wire name, spelled exactly or in another case.
  public func index(of name: String) -> Int? { names.index(of: name) }

  public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? { names.index(of: bytes) }

  public static let scans = Resource(
    .scans, action: "DescribeScans", columns: ScanField.allCases.map { Column(name: $0.apiName, kind: $0.kind) },
    key: "ScanId", noun: "scan",
    layout: [
      ("ScanId", .key), ("Name", .title), ("Status", .status), ("RunPercent", .progress), ("StartDate", []),
      ("ScanType", []), ("Targets", []),
    ],
    filters: [
      ("Status", Filter("StatusList", .list)), ("ScanType", Filter("ScanType")),
      ("TriggerType", Filter("TriggerType")), ("ScanId", Filter("ScanId")),
    ])

  public static let sessionStatuses = ["waiting", "finished", "running", "aborted"]
  public static let reportStatuses = ["failed", "finished", "running", "inexistent"]

  public static let sessions = Resource(
    .sessions, action: "DescribeScanSessions",
    columns: [
      Column(name: "TaskId", kind: .string), Column(name: "ScanId", kind: .string),
      Column(name: "Name", kind: .string), Column(name: "JobStatus", kind: .enumeration(sessionStatuses)),
      Column(name: "RunPercent", kind: .number), Column(name: "CreatedAt", kind: .time),
      Column(name: "FinishedAt", kind: .time), Column(name: "Targets", kind: .list),
      Column(name: "TriggerType", kind: .enumeration(ScanField.triggerTypes)),
      Column(name: "Period", kind: .enumeration(["minute", "hour", "day", "week", "month"])),
      Column(name: "Interval", kind: .number), Column(name: "ReportStatus", kind: .enumeration(reportStatuses)),
      Column(name: "ReportUrl", kind: .string), Column(name: accountColumn, kind: .string),
    ], key: "TaskId", noun: "run",
    layout: [
      ("TaskId", .key), ("Name", .title), ("JobStatus", .status), ("RunPercent", .progress), ("CreatedAt", []),
      ("ReportStatus", []), ("ScanId", []),
    ],
    filters: [("JobStatus", Filter("StatusList", .list)), ("ScanId", Filter("ScanId"))])

  public static let severities = CodeNames(["info", "low", "moderate", "important"])
  public static let findingStatuses = CodeNames(["unhandled", "handled", "whitelist", "ignore"])
  /// VulType 1–41, named as the reference describes them.
  public static let vulnerabilityTypes = CodeNames(
    [
      "invalid-authentication", "invalid-access-control", "command-injection", "csrf", "reflected-xss",
      "stored-xss", "dom-xss", "encryption", "denial-of-service", "insecure-design", "crlf-injection",
      "information-leakage", "buffer-overflow", "unauthorized", "code-execution", "sql-injection", "ssrf",
      "clickjacking", "open-redirect", "xxe", "plaintext-password", "phishing", "malware", "backdoor",
      "logic-error", "plaintext-storage", "plaintext-transmission", "man-in-the-middle", "path-traversal",
      "file-inclusion", "session-fixation", "race-condition", "type-confusion", "command-execution",
      "misconfiguration", "insecure-deserialization", "known-vulnerable-component", "ldap-injection",
      "insufficient-logging", "weak-password", "file-upload",
    ], from: 1)

  /// The fields only DescribeVulnerability gives, one request per finding.
  public static let detailFields = [
    "Description", "Impact", "Solution", "Poc", "Reference", "CommonType", "Cwe", "Owasp", "Wasc", "Data", "Args",
  ]

  public static let findings = Resource(
    .findings, action: "DescribeAllVulnerabilities",
    columns: [
      Column(name: "Id", kind: .string), Column(name: "Name", kind: .string),
      Column(name: "Severity", kind: .coded(severities)), Column(name: "Status", kind: .coded(findingStatuses)),
      Column(name: "Target", kind: .string), Column(name: "Hostname", kind: .string),
      Column(name: "LastDiscoveredAt", kind: .time), Column(name: "TaskId", kind: .string),
      Column(name: "VulType", kind: .coded(vulnerabilityTypes)),
      Column(name: "VulnerabilityTypeDes", kind: .string), Column(name: "ScanId", kind: .string),
      Column(name: "ScanName", kind: .string),
    ]
      + detailFields.map { Column(name: $0, kind: .string, roles: $0 == "Data" || $0 == "Args" ? .json : []) }
      + [Column(name: accountColumn, kind: .string)],
    key: "Id", noun: "finding",
    layout: [
      ("Id", .key), ("Name", .title), ("Severity", .severity), ("Status", .status), ("Target", []),
      ("LastDiscoveredAt", []), ("ScanName", []),
    ],
    filters: [
      ("ScanId", Filter("ScanId", stamped: true)), ("TaskId", Filter("TaskId")), ("Status", Filter("Status")),
      ("VulType", Filter("VulType", stamped: true)), ("Name", Filter("Name")),
      ("Severity", Filter("Severity", .onePerRequest)),
    ])
}
