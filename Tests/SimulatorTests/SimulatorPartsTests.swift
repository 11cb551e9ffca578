import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ScanAPI
import Testing
import Vocabulary

@testable import Simulator

/// The simulator's parts in memory: the authenticator, the fault injector, the store, and the
/// router called directly with requests, no socket involved.
struct SimulatorPartsTests {
  static let now = Date(timeIntervalSince1970: 1_793_610_000)

  /// A signed DescribeScans request's parameters, as the client would send them.
  static func signed(
    _ operation: [(String, String)] = [], nonce: String = UUID().uuidString, at date: Date = now,
    secret: String = "testsecret", keyId: String = "testid", method: String = "POST"
  ) -> [(String, String)] {
    let common: [(String, String)] = [
      ("Action", "DescribeScans"), ("Version", "2017-11-29"), ("AccessKeyId", keyId), ("Format", "JSON"),
      ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"), ("SignatureNonce", nonce),
      ("Timestamp", WireTimestamp.format(secondsSince1970: date.timeIntervalSince1970)),
    ]
    let pairs = common + operation
    return pairs + [("Signature", Signer.signature(method: method, parameters: pairs, secret: secret))]
  }

  static func authenticate(_ authenticator: inout Authenticator, _ pairs: [(String, String)]) -> String {
    let parameters = Dictionary(pairs, uniquingKeysWith: { $1 })
    guard let rejection = authenticator.authenticate(method: "POST", pairs: pairs, parameters: parameters, now: now)
    else { return "accepted" }
    return "\(rejection.status) \(rejection.code)"
  }

  @Test func theAuthenticatorChecksInTheRealOrder() {
    var authenticator = Authenticator(accessKeyId: "testid", accessKeySecret: "testsecret")
    #expect(Self.authenticate(&authenticator, Self.signed()) == "accepted")
    #expect(Self.authenticate(&authenticator, Self.signed(keyId: "nobody")) == "404 InvalidAccessKeyId.NotFound")
    // A bad signature is found before an expired timestamp.
    let stale = Self.now.addingTimeInterval(-16 * 60)
    #expect(Self.authenticate(&authenticator, Self.signed(at: stale, secret: "wrong")) == "400 SignatureDoesNotMatch")
    #expect(Self.authenticate(&authenticator, Self.signed(at: stale)) == "400 InvalidTimeStamp.Expired")
    #expect(
      Self.authenticate(&authenticator, Self.signed(at: Self.now.addingTimeInterval(14 * 60))) == "accepted")
    #expect(Self.authenticate(&authenticator, Self.signed(nonce: "n-1")) == "accepted")
    #expect(Self.authenticate(&authenticator, Self.signed(nonce: "n-1")) == "400 SignatureNonceUsed")
    var badTime = Self.signed().filter { $0.0 != "Signature" }
    badTime[7] = ("Timestamp", "2026-11-02 09:00:00")
    badTime.append(("Signature", Signer.signature(method: "POST", parameters: badTime, secret: "testsecret")))
    #expect(Self.authenticate(&authenticator, badTime) == "400 InvalidTimeStamp.Format")
    #expect(
      Self.authenticate(&authenticator, Self.signed().filter { $0.0 != "Signature" }) == "400 MissingParameter")
  }

  /// Credentials STS issued are accepted with their token until they expire, then refused as the
  /// real service refuses them.
  @Test func issuedCredentialsWorkUntilTheyExpire() {
    var authenticator = Authenticator(accessKeyId: "testid", accessKeySecret: "testsecret")
    authenticator.issue(
      id: "STS.abc", .init(secret: "issued-secret", token: "CAIStok", expires: Self.now.addingTimeInterval(60)))
    func attempt(token: String, at date: Date) -> String {
      let common: [(String, String)] = [
        ("Action", "DescribeScans"), ("AccessKeyId", "STS.abc"), ("SecurityToken", token),
        ("SignatureNonce", UUID().uuidString),
        ("Timestamp", WireTimestamp.format(secondsSince1970: date.timeIntervalSince1970)),
      ]
      let pairs =
        common + [("Signature", Signer.signature(method: "POST", parameters: common, secret: "issued-secret"))]
      let rejection = authenticator.authenticate(
        method: "POST", pairs: pairs, parameters: Dictionary(pairs, uniquingKeysWith: { $1 }), now: date)
      return rejection.map { "\($0.status) \($0.code)" } ?? "accepted"
    }
    #expect(attempt(token: "CAIStok", at: Self.now) == "accepted")
    #expect(attempt(token: "other", at: Self.now) == "400 InvalidSecurityToken.MismatchWithAccessKey")
    #expect(attempt(token: "CAIStok", at: Self.now.addingTimeInterval(61)) == "400 InvalidSecurityToken.Expired")
  }

  @Test func noncesAreForgottenAfterTheWindow() {
    var cache = NonceCache()
    let seen = [
      cache.remember("a", at: Self.now, window: 900),
      cache.remember("a", at: Self.now.addingTimeInterval(899), window: 900),
      cache.remember("b", at: Self.now.addingTimeInterval(901), window: 900),
      // "a" is older than the window now: seen afresh.
      cache.remember("a", at: Self.now.addingTimeInterval(902), window: 900),
    ]
    #expect(seen == [true, false, true, true])
  }

  @Test func faultsForcedComeFirstAndRatesOfZeroNever() {
    var faults = FaultInjector(throttleRate: 0, errorRate: 0, seed: 1)
    #expect(faults.next() == nil)
    faults.throttle(next: 2, code: .api, retryAfterMs: 50)
    faults.fail(next: 1, code: .internalError)
    #expect(faults.next() == .throttle(.api, retryAfterMs: 50))
    #expect(faults.next() == .throttle(.api, retryAfterMs: 50))
    #expect(faults.next() == .serverError(.internalError))
    #expect(faults.next() == nil)
    faults.fail(next: 5)
    faults.reset()
    #expect(faults.next() == nil)
  }

  /// Every throttling code of the API and both server errors come from the rates, seeded.
  @Test func ratesDrawEveryCode() {
    var throttling = FaultInjector(throttleRate: 1, errorRate: 0, seed: 1)
    var codes = Set<FaultInjector.Throttling>()
    var withRetryAfter = 0
    for _ in 0..<200 {
      guard case .throttle(let code, let retryAfter) = throttling.next() else {
        Issue.record("not throttled")
        return
      }
      codes.insert(code)
      if let retryAfter {
        #expect((20...120).contains(retryAfter))
        withRetryAfter += 1
      }
    }
    #expect(codes == Set(FaultInjector.Throttling.allCases))
    #expect((50...150).contains(withRetryAfter))
    var failing = FaultInjector(throttleRate: 0, errorRate: 1, seed: 1)
    var errors = Set<FaultInjector.ServerError>()
    for _ in 0..<50 {
      if case .serverError(let error) = failing.next() { errors.insert(error) }
    }
    #expect(errors == Set(FaultInjector.ServerError.allCases))
  }

  static func store(_ configure: (inout SimulatorConfiguration) -> Void = { _ in }) -> ScanStore {
    var configuration = SimulatorConfiguration()
    configuration.seed = 42
    configuration.scanCount = 250
    configuration.clockSpeed = 0
    configure(&configuration)
    return ScanStore(configuration: configuration, epoch: now)
  }

  static func query(_ parameters: [String: String]) throws -> Query {
    try Query.parse(parameters, maxPageSize: 100).get()
  }

  @Test func theStorePagesWhatTheFilterSelects() throws {
    var store = Self.store()
    let all = store.snapshot()
    let first = store.page(try Self.query(["PageSize": "100"]))
    #expect(first.totalCount == 250)
    #expect(first.scans == Array(all[0..<100]))
    let last = store.page(try Self.query(["PageSize": "100", "CurrentPage": "3"]))
    #expect(last.scans == Array(all[200..<250]))
    let beyond = store.page(try Self.query(["PageSize": "100", "CurrentPage": "4"]))
    #expect(beyond.scans.isEmpty)
    let running = store.page(try Self.query(["PageSize": "100", "StatusList.1": "running"]))
    #expect(running.totalCount == all.filter { $0[.status]?.text == "running" }.count)
    #expect(running.scans.allSatisfy { $0[.status]?.text == "running" })
    store.insert(count: 3)
    #expect(store.count == 253)
    #expect(store.snapshot()[3] == all[0])
  }

  @Test func timeFinishesRunningScans() throws {
    var store = Self.store()
    let runningQuery = try Self.query(["StatusList.1": "running"])
    let running = store.page(runningQuery).totalCount
    #expect(running > 0)
    store.advance(by: 30 * 86_400_000)
    let later = store.page(runningQuery).totalCount
    #expect(later < running)
    store.reset()
    let again = store.page(runningQuery).totalCount
    #expect(again == running)
  }

  // MARK: The router, in memory

  /// Collects a response body.
  final class Collector: ResponseBodyWriter {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
  }

  struct Source: RequestContextSource {
    var logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
  }

  static func respond(
    _ method: HTTPRequest.Method, _ target: String, body: String = "", from address: String = "127.0.0.1"
  ) async throws -> (status: Int, body: String) {
    var configuration = SimulatorConfiguration()
    configuration.seed = 42
    configuration.scanCount = 250
    configuration.clockSpeed = 0
    configuration.epoch = now
    let core = SimulatorCore(configuration: configuration, wallClock: { now })
    let responder = SimulatorResponder(core: core, configuration: configuration)
    let request = Request(
      head: HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: target),
      body: RequestBody(buffer: ByteBuffer(string: body)))
    let context = SimulatorRequestContext(
      source: Source(), remoteAddress: try SocketAddress(ipAddress: address, port: 50_000))
    let response = try await responder.respond(to: request, context: context)
    let collector = Collector()
    try await response.body.write(collector)
    return (response.status.code, String(decoding: collector.bytes, as: UTF8.self))
  }

  static func form(_ pairs: [(String, String)]) -> String {
    PercentEncoding.pairs(pairs, form: true)
  }

  @Test func theRouterAnswersDescribeScansByPostAndGet() async throws {
    let common = Self.signed([("PageSize", "2")])
    let signature = common.last!
    let query = Self.form(Array(common.dropLast(2)) + [signature])
    let post = try await Self.respond(.post, "/?" + query, body: Self.form([("PageSize", "2")]))
    #expect(post.status == 200)
    #expect(
      post.body.contains(#""TotalCount":250"#) || post.body.contains(#""totalCount":250"#)
        || post.body.contains(#""TotalCount":250,"#))
    let get = Self.signed([("PageSize", "2")], method: "GET")
    let answer = try await Self.respond(.get, "/?" + Self.form(get))
    #expect(answer.status == 200)
    #expect(answer.body.contains("\"PageSize\":2"))
  }

  @Test func theRouterTurnsAwayWhatIsNotDescribeScans() async throws {
    #expect(try await Self.respond(.delete, "/").status == 405)
    #expect(try await Self.respond(.get, "/etc/passwd").status == 404)
    #expect(try await Self.respond(.get, "/?a=%FF%FE").status == 400)
    #expect(try await Self.respond(.post, "/", body: "a=%G1").status == 400)
    #expect(
      try await Self.respond(.get, "/?" + Self.form(Self.signed(secret: "wrong"))).body.contains(
        "SignatureDoesNotMatch"))
  }

  @Test func theControlAPIAnswersLoopbackOnly() async throws {
    let local = try await Self.respond(.get, "/_sim/stats")
    #expect(local.status == 200)
    #expect(local.body.hasPrefix(#"{"requests":0,"#))
    let remote = try await Self.respond(.get, "/_sim/stats", from: "10.0.0.7")
    #expect(remote.status == 403)
    #expect(remote.body == "{\"error\":\"the control API answers loopback clients only\"}\n")
  }
}

/// A held clock stands at its epoch however much real time passes, then runs from `start`.
struct SimClockTests {
  static let epoch = Date(timeIntervalSince1970: 1_793_610_000)

  @Test func aHeldClockStandsAtItsEpochUntilStarted() {
    var clock = SimClock(epoch: Self.epoch, speed: 60, held: true)
    let started = ContinuousClock.now + .seconds(100)
    #expect(clock.nowMs(at: started) == 1_793_610_000_000)
    clock.advancedMs = 5_000
    #expect(clock.nowMs(at: started) == 1_793_610_005_000)
    clock.start(at: started)
    #expect(clock.nowMs(at: started + .seconds(2)) == 1_793_610_125_000)
    // Started once: a second start changes nothing.
    clock.start(at: started + .seconds(10))
    #expect(clock.nowMs(at: started + .seconds(2)) == 1_793_610_125_000)
  }

  static func heldCore() -> SimulatorCore {
    var configuration = SimulatorConfiguration()
    configuration.epoch = epoch
    configuration.clockSpeed = 1e9
    configuration.clockHeld = true
    return SimulatorCore(configuration: configuration)
  }

  @Test func theSimulatorsScansStandStillWhileItsClockIsHeld() async {
    let core = Self.heldCore()
    let before = await core.snapshot()
    #expect(before.contains { $0[.status]?.text == "running" })
    #expect(await core.snapshot() == before)
    await core.startClock()
    // A billion simulated seconds per real one: any real time at all moves every running scan.
    try? await Task.sleep(for: .milliseconds(1))
    #expect(await core.snapshot() != before)
  }
}
