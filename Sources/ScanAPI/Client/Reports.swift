import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A downloaded report: its bytes and what the storage service said they are.
public struct ReportFile: Sendable {
  public var data: Data
  public var contentType: String?

  public init(data: Data, contentType: String?) {
    self.data = data
    self.contentType = contentType
  }

  /// The file name's extension, from the content type (else the link's own, else `bin`).
  public func fileExtension(link: String) -> String {
    let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmed(.blanks) } ?? ""
    if let known = Self.extensions[type.lowercased()] { return known }
    let path = URLComponents(string: link)?.path ?? ""
    let own = PathText.pathExtension(of: path).lowercased()
    if !own.isEmpty, own.count <= 5, own.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return own }
    return "bin"
  }

  static let extensions: [String: String] = [
    "application/pdf": "pdf", "text/html": "html", "application/zip": "zip", "application/x-zip-compressed": "zip",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv", "application/json": "json", "text/plain": "txt",
  ]
}

/// Report links (DescribeScanSessions `ReportUrl`): signed, expiring links to the storage service.
public enum ReportLink {
  /// Where a link is fetched from. The storage service serves both schemes and its signature does
  /// not cover the scheme, so a link that says `http://` to anything but loopback is fetched over
  /// https: a report never crosses the network in the clear.
  public static func fetchURL(_ link: String) throws(ScanAPIError) -> URL {
    guard var components = URLComponents(string: link), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else {
      throw .malformedResponse("the report link '\(shown(link))' is not a URL")
    }
    switch scheme {
    case "https": break
    case "http":
      let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
      if !Endpoint.isLoopback(bare) {
        components.scheme = "https"
        // An explicit :80 was the plain port; https has its own.
        if components.port == 80 { components.port = nil }
      }
    default:
      throw .malformedResponse("the report link '\(shown(link))' is not http or https")
    }
    guard let url = components.url else { throw .malformedResponse("the report link '\(shown(link))' is not a URL") }
    return url
  }

  /// A link as messages show it: without its query, which holds the signature.
  public static func shown(_ link: String) -> String {
    String(link.prefix { $0 != "?" && $0 != "#" })
  }
}

extension ScanClient {
  /// The runs with these TaskIds among one task's runs, by TaskId: DescribeScanSessions cannot
  /// filter by TaskId, so the task's runs (by `ScanId`) are read page by page until all of them
  /// are seen, the listing ends, or `maxPages` were read. A run not listed is absent.
  public func runs(ofScan scanId: String, taskIds: Set<String>, pageSize: Int = 100, maxPages: Int = .max)
    async throws -> [String: Scan]
  {
    let resource = Resource.sessions
    let task = resource.index(of: "TaskId")!
    var found: [String: Scan] = [:]
    var page = 1
    while found.count < taskIds.count, page <= maxPages {
      let result = try await list(
        ListRequest(resource: resource, filters: [.init("ScanId", scanId)], currentPage: page, pageSize: pageSize))
      for run in result.page.scans {
        if let id = run.values[task]?.text, taskIds.contains(id) { found[id] = run }
      }
      let listed = result.page.scans.count
      if listed < pageSize || page * pageSize >= result.page.totalCount ?? .max { break }
      page += 1
    }
    return found
  }

  /// Asks for the reports of these runs (GenerateVulReport); the service makes them in the
  /// background, and each run's `ReportStatus` says when one is ready.
  public func generateReport(taskIds: [String], lang: String? = nil, sourceIp: String? = nil) async throws {
    var parameters = taskIds.enumerated().map { ("TaskIds.\($0.offset + 1)", $0.element) }
    if let lang { parameters.append(("Lang", lang)) }
    if let sourceIp { parameters.append(("SourceIp", sourceIp)) }
    let rpc = RPCRequest(action: "GenerateVulReport", version: Self.version, parameters: parameters)
    _ = try await call(rpc, page: nil) { _ in () }
  }

  /// Fetches a report link as it is (it carries its own signature; nothing of ours is sent), over
  /// https unless it points at loopback. The body must be as long as its Content-Length says.
  public func download(_ link: String) async throws -> ReportFile {
    let url = try ReportLink.fetchURL(link)
    let shown = ReportLink.shown(url.absoluteString)
    let response: HTTPResponse
    do {
      response = try await transport.send(
        HTTPRequest(method: "GET", url: url, headers: ["User-Agent": configuration.userAgent]))
    } catch let error as TransportError {
      try Task.checkCancellation()
      throw ScanAPIError.network(endpoint: shown, reason: error.reason)
    }
    guard (200..<300).contains(response.status) else {
      let hint = response.status == 403 ? " (the link may have expired)" : ""
      throw ScanAPIError.network(endpoint: shown, reason: "the storage service answered HTTP \(response.status)\(hint)")
    }
    if let declared = response.headers["content-length"].flatMap(Int.init), declared != response.body.count {
      throw ScanAPIError.network(
        endpoint: shown, reason: "the report is \(response.body.count) bytes, but the server said \(declared)")
    }
    return ReportFile(data: response.body, contentType: response.headers["content-type"])
  }
}
