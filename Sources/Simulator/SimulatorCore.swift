import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// DescribeScans apart from HTTP, in the real service's order: the request's shape, then
/// authentication (`Authenticator`), the operation's parameters (`Query`), faults
/// (`FaultInjector`), and the page from the data (`ScanStore`), each call counted and logged
/// (`RequestLog`). The actor only composes them and guards their state.
public actor SimulatorCore {
  let configuration: SimulatorConfiguration
  let wallClock: @Sendable () -> Date
  var authenticator: Authenticator
  private var faults: FaultInjector
  /// One per account.
  private var stores: [ScanStore]
  var requestLog = RequestLog()
  /// Request IDs.
  var random: SplitMix64
  /// Temporary credentials issued by STS or the instance metadata service.
  var stsIssued = 0
  /// Reports still to fail when asked for (`POST /_sim/report-failures?next=N`).
  private var reportFailures = 0

  public init(configuration: SimulatorConfiguration, wallClock: @escaping @Sendable () -> Date = { Date() }) {
    self.configuration = configuration
    self.wallClock = wallClock
    let epoch =
      configuration.epoch ?? Date(timeIntervalSince1970: (wallClock().timeIntervalSince1970 / 60).rounded(.down) * 60)
    stores = (0..<max(1, configuration.accounts)).map { index in
      var own = configuration
      own.seed = configuration.seed &+ UInt64(index)
      return ScanStore(configuration: own, epoch: epoch)
    }
    authenticator = Authenticator(keyPairs: configuration.keyPairs)
    faults = FaultInjector(
      throttleRate: configuration.throttleRate, errorRate: configuration.errorRate, seed: configuration.seed)
    random = SplitMix64(seed: configuration.seed ^ 0x5EED)
  }

  public var scanCount: Int { stores[0].count }

  /// Each account's scan count, in account order.
  var scanCounts: [Int] { stores.map(\.count) }

  /// Every scan of an account as DescribeScans would list it now, newest first.
  public func snapshot(account: Int = 0) -> [Scan] { stores[account].snapshot() }

  var stats: RequestLog.Stats { requestLog.stats }

  // MARK: DescribeScans

  /// `host` is the `Host` the request came to: report links point there.
  func describeScans(method: String, parameters pairs: [(String, String)], host: String? = nil) -> SimResponse {
    requestLog.countRequest()
    var parameters: [String: String] = [:]
    var duplicate: String?
    for (key, value) in pairs where parameters.updateValue(value, forKey: key) != nil {
      duplicate = duplicate ?? key
    }
    let format = ResponseFormat.allCases.first { $0.rawValue.equalsIgnoringCase(parameters["Format"] ?? "XML") }
    var encoder = ResponseEncoder(format: format ?? .xml, flat: configuration.flat)
    encoder.sessionSampleShape = configuration.sessionSampleShape
    let requestId = random.uuid().uppercased()
    var response: SimResponse
    switch answer(method: method, pairs: pairs, parameters, duplicate: duplicate, format: format) {
    case .success(let page) where page.acknowledged:
      response = encoder.acknowledgement(requestId: requestId)
    case .success(let page) where page.detail != nil:
      response = encoder.detail(page.detail!, requestId: requestId)
    case .success(let page):
      var rows = page.scans
      if page.resource == .sessions { rows = rows.map { Self.linked($0, host: host) } }
      response = encoder.page(
        .init(
          requestId: requestId, totalCount: page.totalCount, pageSize: page.pageSize, currentPage: page.currentPage,
          scans: rows, resource: page.resource))
      if configuration.drift > 0, page.resource == .scans { stores[page.account].insert(count: configuration.drift) }
    case .failure(let rejection):
      response = encoder.error(
        status: rejection.status, code: rejection.code, message: rejection.message, requestId: requestId)
      if case .throttle(_, let retryAfter?) = rejection.fault {
        response.headers.append(("x-acs-retry-after", String(retryAfter)))
      }
    }
    response.delayed = true
    requestLog.record(method: method, pairs: pairs, status: response.status, code: response.code)
    return response
  }

  private struct Page {
    var account: Int
    var totalCount: Int
    var pageSize: Int
    var currentPage: Int
    var scans: [Scan]
    var resource: Resource = .scans
    /// DescribeVulnerability's one finding.
    var detail: Scan?
    /// An answer of nothing but a RequestId (GenerateVulReport).
    var acknowledged = false
  }

  /// The operations served, and what each lists.
  static let operations: [String: Resource?] = [
    "DescribeScans": .scans, "DescribeScanSessions": .sessions, "DescribeAllVulnerabilities": .findings,
    "DescribeVulnerability": nil, "GenerateVulReport": nil,
  ]

  private func answer(
    method: String, pairs: [(String, String)], _ parameters: [String: String], duplicate: String?,
    format: ResponseFormat?
  ) -> Result<Page, Refusal> {
    func invalid(_ name: String) -> Result<Page, Refusal> {
      .failure(Refusal(400, "InvalidParameter", "The specified parameter \"\(name)\" is not valid."))
    }
    if let duplicate {
      return .failure(Refusal(400, "InvalidParameter", "The parameter \"\(duplicate)\" is given more than once."))
    }
    if let rejection = authenticator.authenticate(
      method: method, pairs: pairs, parameters: parameters, now: wallClock())
    {
      return .failure(Refusal(rejection))
    }
    guard let action = parameters["Action"] else { return .failure(Refusal(.missing("Action"))) }
    guard let version = parameters["Version"] else { return .failure(Refusal(.missing("Version"))) }
    guard let listed = Self.operations[action] else {
      return .failure(
        Refusal(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."))
    }
    guard version == ScanClient.version else {
      return .failure(Refusal(400, "InvalidVersion", "Specified parameter Version is not valid."))
    }
    if let method = parameters["SignatureMethod"], method != "HMAC-SHA1" { return invalid("SignatureMethod") }
    guard format != nil else { return invalid("Format") }
    let query: Query
    switch Query.parse(parameters, maxPageSize: configuration.maxPageSize) {
    case .success(let parsed): query = parsed
    case .failure(let bad): return invalid(bad.name)
    }
    switch faults.next(account: authenticator.account(of: parameters["AccessKeyId"] ?? "") ?? 0) {
    case .throttle(let code, let retryAfter):
      var refusal = Refusal(400, code.rawValue, code.message)
      refusal.fault = .throttle(code, retryAfterMs: retryAfter)
      return .failure(refusal)
    case .serverError(let error):
      return .failure(Refusal(error.status, error.rawValue, error.message))
    case nil:
      break
    }
    let account = authenticator.account(of: parameters["AccessKeyId"] ?? "") ?? 0
    guard let resource = listed else {
      if action == "GenerateVulReport" {
        // Each run's report is made over simulated time (SimReport); its run shows how it goes.
        let listed = parameters.filter { $0.key.hasPrefix("TaskIds.") }.sorted { $0.key < $1.key }
        guard !listed.isEmpty else { return .failure(Refusal(.missing("TaskIds.1"))) }
        var taskIds: [Int64] = []
        for (name, value) in listed {
          guard let taskId = Int64(value) else { return invalid(name) }
          taskIds.append(taskId)
        }
        stores[account].generateReports(taskIds, failing: &reportFailures)
        requestLog.countAnswered(action)
        var page = Page(account: account, totalCount: 0, pageSize: 1, currentPage: 1, scans: [])
        page.acknowledged = true
        return .success(page)
      }
      guard let id = parameters["Id"], !id.isEmpty else { return .failure(Refusal(.missing("Id"))) }
      guard Int64(id) != nil else { return invalid("Id") }
      guard let finding = stores[account].finding(id: id) else {
        return .failure(Refusal(404, "VulnerabilityNotFound", "The specified vulnerability does not exist."))
      }
      requestLog.countAnswered(action)
      return .success(Page(account: account, totalCount: 1, pageSize: 1, currentPage: 1, scans: [], detail: finding))
    }
    requestLog.countAnswered(action)
    let page: (totalCount: Int, rows: [Scan])
    switch resource.id {
    case .scans:
      let scans = stores[account].page(query)
      page = (scans.totalCount, scans.scans)
    case .sessions: page = stores[account].sessionsPage(query)
    case .findings: page = stores[account].findingsPage(query)
    }
    return .success(
      Page(
        account: account, totalCount: page.totalCount, pageSize: query.pageSize, currentPage: query.currentPage,
        scans: page.rows, resource: resource))
  }

  /// An error answer, and the fault that caused it, if one did.
  private struct Refusal: Error {
    var rejection: Rejection
    var fault: FaultInjector.Fault?

    init(_ rejection: Rejection) { self.rejection = rejection }

    init(_ status: Int, _ code: String, _ message: String) {
      rejection = Rejection(status: status, code: code, message: message)
    }

    var status: Int { rejection.status }
    var code: String { rejection.code }
    var message: String { rejection.message }
  }

  // MARK: Control

  func advance(by milliseconds: Int64) {
    for index in stores.indices { stores[index].advance(by: milliseconds) }
  }

  /// Lets a held clock (`clockHeld`) run from now, for every account; a running one runs on.
  public func startClock() {
    let now = ContinuousClock.now
    for index in stores.indices { stores[index].startClock(at: now) }
  }

  func reset() {
    for index in stores.indices { stores[index].reset() }
    random = SplitMix64(seed: configuration.seed ^ 0x5EED)
    faults.reset()
    requestLog = RequestLog()
  }

  func throttle(next count: Int, code: FaultInjector.Throttling = .user, retryAfterMs: Int?, account: Int? = nil) {
    faults.throttle(next: count, code: code, retryAfterMs: retryAfterMs, account: account)
  }

  func fail(next count: Int, code: FaultInjector.ServerError = .serviceUnavailable) {
    faults.fail(next: count, code: code)
  }

  /// New running scans in the first account.
  func insert(count: Int) { stores[0].insert(count: count) }

  func nowMs() -> Int64 { stores[0].nowMs() }

  func failReports(next count: Int) { reportFailures = count }

  /// A run's ReportUrl, made absolute: the simulator's own `/reports/…`, at the host asked.
  private static func linked(_ run: Scan, host: String?) -> Scan {
    let column = Resource.sessions.index(of: "ReportUrl")!
    guard case .string(let path) = run.values[column], path.hasPrefix("/") else { return run }
    var run = run
    run.values[column] = .string("http://\(host ?? "127.0.0.1")" + path)
    return run
  }

  /// `GET /reports/<TaskId>?Expires=…&OSSAccessKeyId=…&Signature=…`: a report link, answered as
  /// the storage service would, and logged.
  func reportDownload(path: String, query: [String: String]) -> SimResponse {
    requestLog.countRequest()
    let name = String(path.dropFirst("/reports/".count))
    let result: Result<String, SimReportRefusal>
    if let taskId = Int64(name), let expires = query["Expires"].flatMap(Int64.init), let signature = query["Signature"]
    {
      // The account whose run it is answers; the others do not know the key.
      var found: Result<String, SimReportRefusal> = .failure(.noSuchKey)
      for index in stores.indices {
        found = stores[index].reportDocument(taskId: taskId, expires: expires, signature: signature)
        if case .failure(.noSuchKey) = found { continue }
        break
      }
      result = found
    } else {
      result = .failure(name.isEmpty || Int64(name) == nil ? .noSuchKey : .signatureDoesNotMatch)
    }
    var response: SimResponse
    switch result {
    case .success(let html):
      requestLog.countAnswered("report download")
      response = SimResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(html.utf8))
    case .failure(let refusal):
      response = SimResponse(status: refusal.status, contentType: "application/xml", body: Array(refusal.xml.utf8))
      response.code = refusal.code
    }
    requestLog.record(
      method: "GET", pairs: [("Report", name)], status: response.status, code: response.code)
    response.delayed = true
    return response
  }

  func logEntries() -> [RequestLog.Entry] { requestLog.entries }

  func clearLog() { requestLog.clearEntries() }
}
