/// The operation parameters of one DescribeScans call.
public struct DescribeScansRequest: Sendable, Hashable {
  public var currentPage: Int?
  public var pageSize: Int?
  public var lang: String?
  public var scanId: String?
  public var scanType: String?
  public var search: String?
  public var sourceIp: String?
  /// Sent as the repeat list `StatusList.1=…&StatusList.2=…`.
  public var statusList: [String]
  public var triggerType: String?

  public init(
    currentPage: Int? = nil, pageSize: Int? = nil, lang: String? = nil, scanId: String? = nil,
    scanType: String? = nil, search: String? = nil, sourceIp: String? = nil, statusList: [String] = [],
    triggerType: String? = nil
  ) {
    self.currentPage = currentPage
    self.pageSize = pageSize
    self.lang = lang
    self.scanId = scanId
    self.scanType = scanType
    self.search = search
    self.sourceIp = sourceIp
    self.statusList = statusList
    self.triggerType = triggerType
  }

  /// The parameters in the order the reference lists them.
  public var parameters: [(String, String)] {
    var parameters: [(String, String)] = []
    if let currentPage { parameters.append(("CurrentPage", String(currentPage))) }
    if let lang { parameters.append(("Lang", lang)) }
    if let pageSize { parameters.append(("PageSize", String(pageSize))) }
    if let scanId { parameters.append(("ScanId", scanId)) }
    if let scanType { parameters.append(("ScanType", scanType)) }
    if let search { parameters.append(("Search", search)) }
    if let sourceIp { parameters.append(("SourceIp", sourceIp)) }
    for (index, status) in statusList.enumerated() { parameters.append(("StatusList.\(index + 1)", status)) }
    if let triggerType { parameters.append(("TriggerType", triggerType)) }
    return parameters
  }
}
