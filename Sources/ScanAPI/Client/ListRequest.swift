/// One call of a paged listing (DescribeScans, DescribeScanSessions, DescribeAllVulnerabilities):
/// which resource, its filter parameters, and the page asked for.
public struct ListRequest: Sendable, Hashable {
  public var resource: Resource
  /// The filter parameters (`ScanId`, `StatusList.N`, `Severity`, …), without the paging ones.
  public var filters: [Parameter]
  public var currentPage: Int?
  public var pageSize: Int?

  public struct Parameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  public init(resource: Resource, filters: [Parameter] = [], currentPage: Int? = nil, pageSize: Int? = nil) {
    self.resource = resource
    self.filters = filters
    self.currentPage = currentPage
    self.pageSize = pageSize
  }

  /// The value of a filter parameter, if set.
  public subscript(name: String) -> String? {
    get { filters.first { $0.name == name }?.value }
    set {
      filters.removeAll { $0.name == name }
      if let newValue { filters.append(Parameter(name, newValue)) }
    }
  }

  /// Sets a repeat list (`StatusList.1=…&StatusList.2=…`).
  public mutating func setList(_ name: String, _ values: [String]) {
    filters.removeAll { $0.name.hasPrefix(name + ".") }
    for (index, value) in values.enumerated() { filters.append(Parameter("\(name).\(index + 1)", value)) }
  }

  /// The values of a repeat list.
  public func list(_ name: String) -> [String] {
    filters.filter { $0.name.hasPrefix(name + ".") }.map(\.value)
  }

  /// Every parameter sent, sorted by name, paging included.
  public var parameters: [(String, String)] {
    var all = filters.map { ($0.name, $0.value) }
    if let currentPage { all.append(("CurrentPage", String(currentPage))) }
    if let pageSize { all.append(("PageSize", String(pageSize))) }
    return all.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
  }
}

extension DescribeScansRequest {
  /// The same call as a listing of scans.
  public var listRequest: ListRequest {
    var request = ListRequest(resource: .scans, currentPage: currentPage, pageSize: pageSize)
    request.filters = parameters.compactMap { name, value in
      name == "CurrentPage" || name == "PageSize" ? nil : ListRequest.Parameter(name, value)
    }
    return request
  }
}
