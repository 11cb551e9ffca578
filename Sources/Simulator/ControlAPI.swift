import Hummingbird
import ScanAPI
import Vocabulary

/// The loopback-only control API under `/_sim/`:
///
///     GET  /_sim/stats                         counters, simulated time
///     GET  /_sim/log                           the request log (parameters without signature or nonce)
///     POST /_sim/log/clear                     empty the log
///     POST /_sim/advance?by=10m                move simulated time forward
///     POST /_sim/reset                         regenerate the data; clear counters, log and faults
///     POST /_sim/throttle?next=N[&retryAfter=MS][&code=Throttling|Throttling.User|Throttling.Api]
///                                              throttle the next N DescribeScans calls
///     POST /_sim/fail?next=N[&code=ServiceUnavailable|InternalError]
///                                              answer the next N calls with a 503 (or a 500)
///     POST /_sim/insert?count=N                insert N new running scans (newest first)
///     POST /_sim/report-failures?next=N        the next N reports asked for (GenerateVulReport) fail
struct ControlAPI {
  let core: SimulatorCore

  static let usage = """
    GET  /_sim/stats | GET /_sim/log | POST /_sim/log/clear | POST /_sim/advance?by=DURATION
    POST /_sim/reset | POST /_sim/throttle?next=N[&retryAfter=MS][&code=CODE] | POST /_sim/fail?next=N[&code=CODE]
    POST /_sim/insert?count=N | POST /_sim/report-failures?next=N
    """

  func respond(method: HTTPRequest.Method, path: String, query: String) async -> Response {
    let parameters = Dictionary(
      (PercentEncoding.decodePairs(Substring(query), plusIsSpace: true) ?? []), uniquingKeysWith: { $1 })
    let route = (method, String(path.dropFirst("/_sim".count)))
    switch route {
    case (.get, "/stats"):
      return SimulatorResponder.plain(.ok, await statsJSON())
    case (.get, "/log"):
      return SimulatorResponder.plain(.ok, await logJSON())
    case (.post, "/log/clear"):
      await core.clearLog()
      return ok()
    case (.post, "/advance"):
      guard let text = parameters["by"], let duration = DurationText.parse(text) else {
        return bad("advance needs by=DURATION, such as by=10m")
      }
      await core.advance(by: Int64(duration / .milliseconds(1)))
      return ok()
    case (.post, "/reset"):
      await core.reset()
      return ok()
    case (.post, "/throttle"):
      guard let count = parameters["next"].flatMap(Int.init), count >= 0 else { return bad("throttle needs next=N") }
      guard let code = FaultInjector.Throttling(rawValue: parameters["code"] ?? "Throttling.User") else {
        return bad("throttle's code is Throttling, Throttling.User or Throttling.Api")
      }
      // `account=N` (1-based) throttles only that account's calls.
      await core.throttle(
        next: count, code: code, retryAfterMs: parameters["retryAfter"].flatMap(Int.init),
        account: parameters["account"].flatMap(Int.init).map { $0 - 1 })
      return ok()
    case (.post, "/fail"):
      guard let count = parameters["next"].flatMap(Int.init), count >= 0 else { return bad("fail needs next=N") }
      guard let code = FaultInjector.ServerError(rawValue: parameters["code"] ?? "ServiceUnavailable") else {
        return bad("fail's code is ServiceUnavailable or InternalError")
      }
      await core.fail(next: count, code: code)
      return ok()
    case (.post, "/report-failures"):
      guard let count = parameters["next"].flatMap(Int.init), count >= 0 else {
        return bad("report-failures needs next=N")
      }
      await core.failReports(next: count)
      return ok()
    case (.post, "/insert"):
      guard let count = parameters["count"].flatMap(Int.init), (0...100_000).contains(count) else {
        return bad("insert needs count=N")
      }
      await core.insert(count: count)
      return ok()
    default:
      return SimulatorResponder.plain(
        .notFound,
        "{\"error\":\"unknown control call; try: \(Self.usage.replacingScalars("\n", with: " | "))\"}")
    }
  }

  private func ok() -> Response { SimulatorResponder.plain(.ok, "{\"ok\":true}") }

  private func bad(_ message: String) -> Response {
    SimulatorResponder.plain(.badRequest, "{\"error\":\"\(message)\"}")
  }

  private func statsJSON() async -> String {
    let stats = await core.stats
    var writer = JSONWriter()
    writer.raw("{")
    writer.key("requests")
    writer.number(stats.requests)
    writer.raw(",")
    writer.key("describeScans")
    writer.number(stats.describeScans)
    writer.raw(",")
    for (name, counts) in [("byAction", stats.byAction), ("byCode", stats.byCode)] {
      writer.key(name)
      writer.raw("{")
      for (index, (key, count)) in counts.sorted(by: { $0.key < $1.key }).enumerated() {
        if index > 0 { writer.raw(",") }
        writer.key(key)
        writer.number(count)
      }
      writer.raw("},")
    }
    writer.key("scans")
    writer.number(await core.scanCount)
    writer.raw(",")
    writer.key("simTime")
    writer.number(Int(await core.nowMs()))
    writer.raw(",")
    writer.key("credentialsIssued")
    writer.number(await core.stsIssued)
    let counts = await core.scanCounts
    if counts.count > 1 {
      // Several accounts: each one's key pair (the simulator's test keys) and its scans.
      writer.raw(",")
      writer.key("accounts")
      writer.raw("[")
      for (index, pair) in core.configuration.keyPairs.enumerated() {
        if index > 0 { writer.raw(",") }
        writer.raw("{")
        writer.key("accessKeyId")
        writer.string(pair.id)
        writer.raw(",")
        writer.key("accessKeySecret")
        writer.string(pair.secret)
        writer.raw(",")
        writer.key("scans")
        writer.number(counts[index])
        writer.raw("}")
      }
      writer.raw("]")
    }
    writer.raw("}")
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  private func logJSON() async -> String {
    var writer = JSONWriter()
    writer.raw("{")
    writer.key("requests")
    writer.raw("[")
    for (index, entry) in await core.logEntries().enumerated() {
      if index > 0 { writer.raw(",") }
      writer.raw("{")
      writer.key("sequence")
      writer.number(entry.sequence)
      writer.raw(",")
      writer.key("method")
      writer.string(entry.method)
      writer.raw(",")
      writer.key("status")
      writer.number(entry.status)
      writer.raw(",")
      writer.key("code")
      if let code = entry.code { writer.string(code) } else { writer.raw("null") }
      writer.raw(",")
      writer.key("parameters")
      writer.raw("{")
      for (position, (key, value)) in entry.parameters.enumerated() {
        if position > 0 { writer.raw(",") }
        writer.key(key)
        writer.string(value)
      }
      writer.raw("}}")
    }
    writer.raw("]}")
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
