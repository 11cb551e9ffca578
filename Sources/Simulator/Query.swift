import ScanAPI

/// A listing's operation parameters (DescribeScans, DescribeScanSessions,
/// DescribeAllVulnerabilities), validated, and the filter they make.
struct Query: Sendable {
  struct Invalid: Error {
    var name: String
  }

  /// What selects scans, apart from paging.
  struct Filter: Sendable, Hashable {
    var statuses: Set<String> = []
    var scanType: String?
    var triggerType: String?
    var scanId: String?
    /// Lower-cased.
    var search: String?
    var taskId: String?
    var severity: Int?
    var findingStatus: Int?
    var vulType: Int?
    var name: String?
  }

  var currentPage = 1
  var pageSize = 20
  var filter = Filter()

  static func parse(_ parameters: [String: String], maxPageSize: Int) -> Result<Query, Invalid> {
    var query = Query()
    for name in ["CurrentPage", "PageSize"] {
      guard let text = parameters[name] else { continue }
      guard let value = Int(text), value >= 1 else { return .failure(Invalid(name: name)) }
      if name == "CurrentPage" { query.currentPage = value } else { query.pageSize = min(value, maxPageSize) }
    }
    if let lang = parameters["Lang"], lang != "zh", lang != "en" { return .failure(Invalid(name: "Lang")) }
    for (key, value) in parameters where key.hasPrefix("StatusList.") {
      guard let index = Int(key.dropFirst("StatusList.".count)), index >= 1 else { return .failure(Invalid(name: key)) }
      query.filter.statuses.insert(value)
    }
    query.filter.scanType = parameters["ScanType"].flatMap { $0.isEmpty ? nil : $0 }
    query.filter.triggerType = parameters["TriggerType"].flatMap { $0.isEmpty ? nil : $0 }
    query.filter.scanId = parameters["ScanId"].flatMap { $0.isEmpty ? nil : $0 }
    query.filter.search = parameters["Search"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
    for (name, range) in [("Severity", 0...3), ("Status", 0...3), ("VulType", 1...41)] {
      guard let text = parameters[name], !text.isEmpty, parameters["Action"] == "DescribeAllVulnerabilities" else {
        continue
      }
      guard let value = Int(text), range.contains(value) else { return .failure(Invalid(name: name)) }
      switch name {
      case "Severity": query.filter.severity = value
      case "Status": query.filter.findingStatus = value
      default: query.filter.vulType = value
      }
    }
    if let taskId = parameters["TaskId"], !taskId.isEmpty {
      guard Int64(taskId) != nil else { return .failure(Invalid(name: "TaskId")) }
      query.filter.taskId = taskId
    }
    query.filter.name = parameters["Name"].flatMap { $0.isEmpty ? nil : $0 }
    // Pages past Int32 are refused, as the real API's integer parameters are.
    if query.currentPage > Int(Int32.max) / max(1, query.pageSize) { return .failure(Invalid(name: "CurrentPage")) }
    return .success(query)
  }

  func matches(_ scan: SimScan) -> Bool {
    let statuses = filter.statuses
    let scanType = filter.scanType
    let triggerType = filter.triggerType
    let scanId = filter.scanId
    let search = filter.search
    if !statuses.isEmpty, !statuses.contains(scan.status) { return false }
    if let scanType, scan.base[.scanType]?.text != scanType { return false }
    if let triggerType, scan.base[.triggerType]?.text != triggerType { return false }
    if let scanId, scan.id != scanId { return false }
    if let search, !scan.searchText.contains(where: { $0.contains(search) }) { return false }
    return true
  }
}

extension Query {
  func matches(_ run: SimRun, of scan: SimScan) -> Bool {
    if !filter.statuses.isEmpty, !filter.statuses.contains(run.status) { return false }
    if let scanId = filter.scanId, scan.id != scanId { return false }
    if let search = filter.search, !scan.searchText.contains(where: { $0.contains(search) }) { return false }
    return true
  }

  /// `Search` is the asset: the finding's target or host.
  func matches(_ finding: SimFinding) -> Bool {
    if let taskId = filter.taskId, String(finding.run.taskId) != taskId { return false }
    if let severity = filter.severity, finding.severity != severity { return false }
    if let status = filter.findingStatus, finding.status != status { return false }
    if let vulType = filter.vulType, finding.template.vulType != vulType { return false }
    if let name = filter.name, finding.template.name != name { return false }
    if let search = filter.search, !finding.target.lowercased().contains(search) { return false }
    return true
  }
}
