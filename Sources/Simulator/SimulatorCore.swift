import Foundation
import ScanAPI
import Vocabulary

/// The simulator's state and its DescribeScans semantics, apart from HTTP: authentication in the
/// real order, filters, paging, simulated time, faults, counters and the request log.
public actor SimulatorCore {
  /// How far a request's Timestamp may be from real time, and how long nonces are remembered.
  static let timestampWindow: TimeInterval = 15 * 60
  static let maxLogEntries = 10_000

  let configuration: SimulatorConfiguration
  private let wallClock: @Sendable () -> Date
  private var clock: SimClock
  private var generator: DatasetGenerator
  private var random: SplitMix64
  /// Newest first, as the API lists them.
  private var scans: [SimScan] = []
  /// The scans time can still change; only these are advanced.
  private var liveIndices: [Int] = []
  /// Bumped whenever a status changes or scans are inserted: what filters depend on.
  private var version = 0
  /// A listing asks for the same filter on every page; it is computed once per version.
  private var lastFilter: (key: Query.Filter, version: Int, indices: [Int])?
  private var nonces: [String: Date] = [:]
  private var nonceOrder: [(String, Date)] = []
  private var nonceCursor = 0
  private var throttleNext = 0
  private var throttleRetryAfterMs: Int?
  private var failNext = 0
  private(set) var stats = Stats()
  private var log: [LogEntry] = []

  struct Stats: Sendable {
    var requests = 0
    var describeScans = 0
    var byCode: [String: Int] = [:]
  }

  struct LogEntry: Sendable {
    var sequence: Int
    var method: String
    var parameters: [(String, String)]
    var status: Int
    var code: String?
  }

  public init(configuration: SimulatorConfiguration, wallClock: @escaping @Sendable () -> Date = { Date() }) {
    self.configuration = configuration
    self.wallClock = wallClock
    let epoch =
      configuration.epoch ?? Date(timeIntervalSince1970: (wallClock().timeIntervalSince1970 / 60).rounded(.down) * 60)
    clock = SimClock(epoch: epoch, speed: configuration.clockSpeed)
    generator = DatasetGenerator(seed: configuration.seed, epochMs: clock.epochMs)
    random = SplitMix64(seed: configuration.seed ^ 0x5EED)
    let initial = Self.initialScans(configuration, generator: &generator, epochMs: clock.epochMs)
    scans = initial
    liveIndices = initial.indices.filter { initial[$0].isLive }
  }

  private func dataChanged() {
    version += 1
    liveIndices = scans.indices.filter { scans[$0].isLive }
  }

  private func advanceTime() {
    let nowMs = clock.nowMs()
    var changed = false
    for index in liveIndices {
      let before = scans[index].status
      scans[index].advance(to: nowMs)
      if scans[index].status != before { changed = true }
    }
    if changed { dataChanged() }
  }

  private func matching(_ query: Query) -> [Int] {
    if let lastFilter, lastFilter.key == query.filter, lastFilter.version == version { return lastFilter.indices }
    let indices = scans.indices.filter { query.matches(scans[$0]) }
    lastFilter = (query.filter, version, indices)
    return indices
  }

  private static func initialScans(
    _ configuration: SimulatorConfiguration, generator: inout DatasetGenerator, epochMs: Int64
  ) -> [SimScan] {
    guard let dataset = configuration.dataset else { return generator.scans(count: configuration.scanCount) }
    return dataset.map { scan in
      let status = scan[.status]?.text ?? "finished"
      var duration = DatasetGenerator.hour
      // A running scan of a dataset keeps its pace: it is RunPercent done after running since StartDate.
      if status == "running", let start = scan[.startDate]?.numberValue, let percent = scan[.runPercent]?.numberValue,
        percent > 0, Double(epochMs) > start
      {
        duration = Int64(min(365 * 86_400_000, (Double(epochMs) - start) * 100 / percent))
      }
      var simScan = SimScan(base: scan, status: status, runDurationMs: duration)
      simScan.runStartMs = scan[.startDate]?.numberValue.map { Int64($0) }
      simScan.endMs = scan[.endDate]?.numberValue.map { Int64($0) }
      simScan.nextRunMs = scan[.nextRunDate]?.numberValue.map { Int64($0) }
      simScan.lastScheduleMs = scan[.lastSheduleDate]?.numberValue.map { Int64($0) }
      return simScan
    }
  }

  public var scanCount: Int { scans.count }

  /// Every scan as DescribeScans would list it now, newest first.
  public func snapshot() -> [Scan] {
    let nowMs = clock.nowMs()
    return scans.map { $0.snapshot(at: nowMs) }
  }

  // MARK: DescribeScans

  func describeScans(method: String, parameters pairs: [(String, String)]) -> SimResponse {
    stats.requests += 1
    var parameters: [String: String] = [:]
    var duplicate: String?
    for (key, value) in pairs {
      if parameters.updateValue(value, forKey: key) != nil { duplicate = duplicate ?? key }
    }
    let format = ResponseFormat.allCases.first { $0.rawValue.equalsIgnoringCase(parameters["Format"] ?? "XML") }
    let encoder = ResponseEncoder(format: format ?? .xml, flat: configuration.flat)
    let requestId = random.uuid().uppercased()
    var response = answer(
      method: method, pairs: pairs, parameters, duplicate: duplicate, format: format, encoder, requestId)
    response.delayed = true
    record(method: method, pairs: pairs, response: response)
    return response
  }

  private func answer(
    method: String, pairs: [(String, String)], _ parameters: [String: String], duplicate: String?,
    format: ResponseFormat?, _ encoder: ResponseEncoder, _ requestId: String
  ) -> SimResponse {
    func fail(_ status: Int, _ code: String, _ message: String) -> SimResponse {
      encoder.error(status: status, code: code, message: message, requestId: requestId)
    }
    func missing(_ name: String) -> SimResponse {
      fail(
        400, "MissingParameter",
        "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied.")
    }
    if let duplicate { return fail(400, "InvalidParameter", "The parameter \"\(duplicate)\" is given more than once.") }
    guard let accessKeyId = parameters["AccessKeyId"] else { return missing("AccessKeyId") }
    guard accessKeyId == configuration.accessKeyId else {
      return fail(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    }
    guard let signature = parameters["Signature"] else { return missing("Signature") }
    let expected = Signer.signature(method: method, parameters: pairs, secret: configuration.accessKeySecret)
    guard signature == expected else {
      return fail(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
    }
    guard let timestamp = parameters["Timestamp"] else { return missing("Timestamp") }
    guard let date = Self.parseTimestamp(timestamp) else {
      return fail(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    }
    let now = wallClock()
    guard abs(date.timeIntervalSince(now)) <= Self.timestampWindow else {
      return fail(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    }
    guard let nonce = parameters["SignatureNonce"], !nonce.isEmpty else { return missing("SignatureNonce") }
    guard remember(nonce: nonce, at: now) else {
      return fail(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
    }
    guard let action = parameters["Action"] else { return missing("Action") }
    guard let version = parameters["Version"] else { return missing("Version") }
    guard action == ScanClient.action else {
      return fail(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
    guard version == ScanClient.version else {
      return fail(400, "InvalidVersion", "Specified parameter Version is not valid.")
    }
    if let method = parameters["SignatureMethod"], method != "HMAC-SHA1" {
      return fail(400, "InvalidParameter", "The specified parameter \"SignatureMethod\" is not valid.")
    }
    guard format != nil else {
      return fail(400, "InvalidParameter", "The specified parameter \"Format\" is not valid.")
    }
    let query: Query
    switch Query.parse(parameters, maxPageSize: configuration.maxPageSize) {
    case .success(let parsed): query = parsed
    case .failure(let invalid):
      return fail(400, "InvalidParameter", "The specified parameter \"\(invalid.name)\" is not valid.")
    }
    // Faults come after authentication, as a real gateway throttles authenticated calls.
    if throttleNext > 0 || random.chance(configuration.throttleRate) {
      let forced = throttleNext > 0
      if forced { throttleNext -= 1 }
      var response = fail(400, "Throttling.User", "Request was denied due to user flow control.")
      let retryAfter =
        forced ? throttleRetryAfterMs : (random.chance(0.5) ? Int.random(in: 20...120, using: &random) : nil)
      if let retryAfter { response.headers.append(("x-acs-retry-after", String(retryAfter))) }
      return response
    }
    if failNext > 0 || random.chance(configuration.errorRate) {
      failNext = max(0, failNext - 1)
      return fail(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
    }
    stats.describeScans += 1
    advanceTime()
    let nowMs = clock.nowMs()
    let matching = matching(query)
    let start = (query.currentPage - 1) * query.pageSize
    let pageScans =
      start < matching.count
      ? matching[start..<min(matching.count, start + query.pageSize)].map { scans[$0].snapshot(at: nowMs) } : []
    let response = encoder.page(
      .init(
        requestId: requestId, totalCount: matching.count, pageSize: query.pageSize, currentPage: query.currentPage,
        scans: pageScans))
    if configuration.drift > 0 { insert(count: configuration.drift) }
    return response
  }

  private func remember(nonce: String, at now: Date) -> Bool {
    // Forget nonces older than the timestamp window, oldest first.
    while nonceCursor < nonceOrder.count, now.timeIntervalSince(nonceOrder[nonceCursor].1) > Self.timestampWindow {
      nonces[nonceOrder[nonceCursor].0] = nil
      nonceCursor += 1
    }
    if nonceCursor > 4096 {
      nonceOrder.removeFirst(nonceCursor)
      nonceCursor = 0
    }
    guard nonces[nonce] == nil else { return false }
    nonces[nonce] = now
    nonceOrder.append((nonce, now))
    return true
  }

  private func record(method: String, pairs: [(String, String)], response: SimResponse) {
    if let code = response.code { stats.byCode[code, default: 0] += 1 }
    let kept = pairs.filter { ["Signature", "SignatureNonce", "SecurityToken"].contains($0.0) == false }
    log.append(
      LogEntry(sequence: stats.requests, method: method, parameters: kept, status: response.status, code: response.code)
    )
    if log.count > Self.maxLogEntries { log.removeFirst(log.count - Self.maxLogEntries) }
  }

  static func parseTimestamp(_ text: String) -> Date? {
    WireTimestamp.parse(text).map { Date(timeIntervalSince1970: TimeInterval($0)) }
  }

  // MARK: Control

  func advance(by milliseconds: Int64) {
    clock.advancedMs += milliseconds
  }

  func reset() {
    generator = DatasetGenerator(seed: configuration.seed, epochMs: clock.epochMs)
    random = SplitMix64(seed: configuration.seed ^ 0x5EED)
    scans = Self.initialScans(configuration, generator: &generator, epochMs: clock.epochMs)
    dataChanged()
    clock.advancedMs = 0
    clock = SimClock(epoch: Date(timeIntervalSince1970: Double(clock.epochMs) / 1000), speed: configuration.clockSpeed)
    stats = Stats()
    log = []
    throttleNext = 0
    failNext = 0
  }

  func throttle(next count: Int, retryAfterMs: Int?) {
    throttleNext = count
    throttleRetryAfterMs = retryAfterMs
  }

  func fail(next count: Int) { failNext = count }

  func insert(count: Int) {
    let nowMs = clock.nowMs()
    let fresh = (0..<count).map { _ in generator.freshScan(at: nowMs) }
    scans.insert(contentsOf: fresh.reversed(), at: 0)
    dataChanged()
  }

  func nowMs() -> Int64 { clock.nowMs() }

  func logEntries() -> [LogEntry] { log }

  func clearLog() { log = [] }
}
