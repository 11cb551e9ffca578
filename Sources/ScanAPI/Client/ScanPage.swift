/// One page of a DescribeScans answer.
public struct ScanPage: Sendable, Equatable {
  public var requestId: String?
  /// How many scans match in all; absent when the server did not say.
  public var totalCount: Int?
  public var pageCount: Int?
  public var pageSize: Int?
  public var currentPage: Int?
  public var count: Int?
  public var scans: [Scan]

  public init(
    requestId: String? = nil, totalCount: Int? = nil, pageCount: Int? = nil, pageSize: Int? = nil,
    currentPage: Int? = nil, count: Int? = nil, scans: [Scan] = []
  ) {
    self.requestId = requestId
    self.totalCount = totalCount
    self.pageCount = pageCount
    self.pageSize = pageSize
    self.currentPage = currentPage
    self.count = count
    self.scans = scans
  }
}

/// The body format asked for with the `Format` parameter.
public enum ResponseFormat: String, Sendable, CaseIterable {
  case json = "JSON"
  case xml = "XML"
}
