import Foundation
import NIOCore
import ScanAPI
import TestSupport
import Testing

@testable import Simulator

struct SimulatorTests {
  @Test func checksInTheRealOrder() async throws {
    try await TestSimulator.with { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      #expect(try await requests.code() == "200")
      var stranger = requests
      stranger.accessKeyId = "nobody"
      stranger.secret = "wrong"
      #expect(try await stranger.code() == "404 InvalidAccessKeyId.NotFound")
      var forger = requests
      forger.secret = "wrong"
      let expired = requests.common(timestamp: Date().addingTimeInterval(-16 * 60))
      // A bad signature is found before an expired timestamp.
      #expect(try await forger.code(common: expired) == "400 SignatureDoesNotMatch")
      #expect(try await requests.code(common: expired) == "400 InvalidTimeStamp.Expired")
      #expect(
        try await requests.code(common: requests.common(timestamp: Date().addingTimeInterval(16 * 60)))
          == "400 InvalidTimeStamp.Expired")
      let once = requests.common(nonce: "nonce-1")
      #expect(try await requests.code(common: once) == "200")
      #expect(try await requests.code(common: once) == "400 SignatureNonceUsed")
      var wrongAction = requests.common()
      wrongAction[0] = ("Action", "DescribeRegions")
      #expect(try await requests.code(common: wrongAction) == "404 InvalidAction.NotFound")
      var wrongVersion = requests.common()
      wrongVersion[1] = ("Version", "2014-05-26")
      #expect(try await requests.code(common: wrongVersion) == "400 InvalidVersion")
      #expect(try await requests.code([("CurrentPage", "0")]) == "400 InvalidParameter")
      #expect(try await requests.code([("PageSize", "ten")]) == "400 InvalidParameter")
      #expect(try await requests.code([("Lang", "fr")]) == "400 InvalidParameter")
      #expect(try await requests.code(common: Array(requests.common().dropFirst(6))) == "400 MissingParameter")
    }
  }

  @Test func signatureCoversEmptyValuesAndFormPlus() async throws {
    try await TestSimulator.with { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      let page = try await requests.page([("ScanId", ""), ("Search", "prod example")])
      #expect(page.totalCount == 0)
      var get = requests
      get.method = "GET"
      #expect(try await get.code([("Search", "a b+c*d~e")]) == "200")
    }
  }

  @Test func missingFormatAnswersXML() async throws {
    try await TestSimulator.with { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      let answer = try await requests.send([("PageSize", "2")], common: requests.common(format: nil))
      #expect(answer.body.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeScans><requestId>"))
      #expect(answer.headers["content-type"] == "text/xml;charset=utf-8")
    }
  }

  @Test func filters() async throws {
    try await TestSimulator.with { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      let all =
        try await requests.page([("PageSize", "100"), ("CurrentPage", "1")]).scans
        + requests.page([("PageSize", "100"), ("CurrentPage", "2")]).scans
        + requests.page([("PageSize", "100"), ("CurrentPage", "3")]).scans
      #expect(all.count == 250)
      func ids(_ scans: [Scan]) -> [String] { scans.compactMap(\.scanId) }
      let running = try await requests.page([
        ("PageSize", "100"), ("StatusList.1", "running"), ("StatusList.2", "waiting"),
      ])
      #expect(ids(running.scans) == ids(all.filter { ["running", "waiting"].contains($0[.status]?.text) }))
      #expect(running.totalCount == running.scans.count)
      #expect(running.scans.count > 10)
      let content = try await requests.page([("PageSize", "100"), ("ScanType", "content"), ("TriggerType", "interval")])
      #expect(
        ids(content.scans)
          == ids(all.filter { $0[.scanType]?.text == "content" && $0[.triggerType]?.text == "interval" }))
      let one = try await requests.page([("ScanId", all[17].scanId!)])
      #expect(one.scans == [all[17]])
      let search = try await requests.page([("PageSize", "100"), ("Search", "SHOP.Example")])
      let expected = all.filter { scan in
        scan[.name]!.text.lowercased().contains("shop.example")
          || scan[.targets]!.text.lowercased().contains("shop.example")
      }
      #expect(ids(search.scans) == ids(expected))
      #expect(!search.scans.isEmpty)
    }
  }

  @Test func pagingEdges() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.maxPageSize = 30 }) { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      let capped = try await requests.page([("PageSize", "1000"), ("CurrentPage", "2")])
      #expect(capped.pageSize == 30)
      #expect(capped.scans.count == 30)
      #expect(capped.pageCount == 9)
      let past = try await requests.page([("PageSize", "30"), ("CurrentPage", "99")])
      #expect(past.scans.isEmpty)
      #expect(past.totalCount == 250)
      let last = try await requests.page([("PageSize", "30"), ("CurrentPage", "9")])
      #expect(last.scans.count == 10)
      let defaults = try await requests.page()
      #expect(defaults.pageSize == 20)
      #expect(defaults.currentPage == 1)
      // Newest first: IDs begin with the creation time.
      let ids = try await requests.page([("PageSize", "30")]).scans.compactMap(\.scanId)
      #expect(ids == ids.sorted(by: >))
    }
  }

  @Test func xmlAndFlatShapesCarryTheSameScans() async throws {
    try await TestSimulator.with { simulator async throws in
      let json = try await SignedRequests(simulator: simulator).page([("PageSize", "40")])
      let xml = try await SignedRequests(simulator: simulator).page([("PageSize", "40")], format: .xml)
      #expect(xml.scans == json.scans)
      #expect(xml.totalCount == 250)
    }
    try await TestSimulator.with(TestSimulator.configuration { $0.flat = true }) { simulator async throws in
      let answer = try await SignedRequests(simulator: simulator).send([("PageSize", "1")])
      #expect(answer.body.hasPrefix(#"{"RequestId":""#))
      #expect(
        answer.body.contains(
          #""PageCount":250,"Count":1,"TotalCount":250,"PageSize":1,"CurrentPage":1,"List":[{"ScanId":"#))
    }
  }

  @Test func sameSeedSameData() async throws {
    let first = try await TestSimulator.with { try await SignedRequests(simulator: $0).page([("PageSize", "100")]) }
    let second = try await TestSimulator.with { try await SignedRequests(simulator: $0).page([("PageSize", "100")]) }
    #expect(first.scans == second.scans)
    let other = try await TestSimulator.with(TestSimulator.configuration { $0.seed = 43 }) {
      try await SignedRequests(simulator: $0).page([("PageSize", "100")])
    }
    #expect(other.scans != first.scans)
  }

  @Test func dataLooksReal() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 1_000 }) { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      var scans: [Scan] = []
      for page in 1...10 { scans += try await requests.page([("PageSize", "100"), ("CurrentPage", "\(page)")]).scans }
      let statuses = Dictionary(grouping: scans, by: { $0[.status]!.text }).mapValues(\.count)
      #expect(Set(statuses.keys) == Set(ScanField.statuses))
      #expect(statuses["running"]! > 50)
      let interval = scans.filter { $0[.triggerType]?.text == "interval" }
      #expect(interval.count > 200)
      #expect(interval.allSatisfy { $0[.period] != nil })
      #expect(scans.contains { $0[.name]!.text.unicodeScalars.contains { $0.value > 0x4E00 } })
      #expect(scans.allSatisfy { $0.scanId!.count == 19 })
      let running = scans.filter { $0[.status]?.text == "running" }
      #expect(
        running.allSatisfy { ($0[.runPercent]?.numberValue ?? -1) >= 0 && ($0[.runPercent]?.numberValue ?? 100) < 100 })
    }
  }

  @Test func simulatedTimeMovesScansOn() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.scanCount = 300 }) { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      let before = try await requests.page([("PageSize", "100"), ("StatusList.1", "running")]).scans
      try await simulator.control("POST", "/_sim/advance?by=2h")
      var after: [String: Scan] = [:]
      for page in 1...3 {
        for scan in try await requests.page([("PageSize", "100"), ("CurrentPage", "\(page)")]).scans {
          after[scan.scanId!] = scan
        }
      }
      let moved = before.filter { old in
        let new = after[old.scanId!]!
        return new[.status]?.text != "running" || new[.runPercent]!.numberValue! > old[.runPercent]!.numberValue!
      }
      #expect(moved.count == before.count)
      #expect(before.contains { after[$0.scanId!]![.status]?.text == "finished" })
      #expect(after.values.contains { $0[.status]?.text == "finished" && $0[.endDate] != nil })
      try await simulator.control("POST", "/_sim/advance?by=10d")
      let later = try await requests.page([("PageSize", "100"), ("StatusList.1", "waiting")])
      #expect(later.scans.isEmpty)
    }
  }

  @Test func controlAPI() async throws {
    try await TestSimulator.with { simulator async throws in
      let requests = SignedRequests(simulator: simulator)
      try await simulator.control("POST", "/_sim/throttle?next=2&retryAfter=70")
      let throttled = try await requests.send()
      #expect(throttled.status == 400)
      #expect(throttled.headers["x-acs-retry-after"] == "70")
      #expect(try await requests.code() == "400 Throttling.User")
      #expect(try await requests.code() == "200")
      try await simulator.control("POST", "/_sim/fail?next=1")
      #expect(try await requests.code() == "503 ServiceUnavailable")
      try await simulator.control("POST", "/_sim/insert?count=5")
      #expect(try await requests.page().totalCount == 255)
      let stats = try await simulator.control("GET", "/_sim/stats")
      #expect(
        stats.hasPrefix(
          #"{"requests":5,"describeScans":2,"byAction":{"DescribeScans":2},"byCode":{"ServiceUnavailable":1,"#
            + #""Throttling.User":2},"scans":255,"#))
      #expect(try await simulator.loggedParameters().count == 5)
      #expect(!(try await simulator.control("GET", "/_sim/log")).contains("Signature\""))
      try await simulator.control("POST", "/_sim/reset")
      #expect(try await requests.page().totalCount == 250)
      #expect(try await simulator.control("GET", "/_sim/nope").hasPrefix(#"{"error":"unknown control call"#))
    }
  }

  @Test func hostileRequestsGetClientErrors() async throws {
    try await TestSimulator.with { simulator async throws in
      let port = simulator.port
      #expect(await RawHTTP.status(port: port, request: RawHTTP.request("GET", "/?Action=%zz")) == 400)
      #expect(await RawHTTP.status(port: port, request: RawHTTP.request("GET", "/?a=%FF%FE")) == 400)
      #expect(await RawHTTP.status(port: port, request: RawHTTP.request("POST", "/", body: Array("a=%G1".utf8))) == 400)
      #expect(
        await RawHTTP.status(
          port: port, request: RawHTTP.request("POST", "/", body: [UInt8](repeating: 65, count: 200_000)))
          == 413)
      #expect(await RawHTTP.status(port: port, request: RawHTTP.request("DELETE", "/")) == 405)
      #expect(await RawHTTP.status(port: port, request: RawHTTP.request("GET", "/etc/passwd")) == 404)
      // Not HTTP at all: still an answer, and the client's fault.
      #expect(await RawHTTP.answer(port: port, request: Array("NONSENSE\r\n\r\n".utf8)) == .status(400))
      // Junk query strings and bodies (seeded, so a failure replays): every one answered, with a
      // client error, never a 5xx and never silence.
      var random = SplitMix64(seed: 2026)
      let alphabet = Array("abcXYZ019%&=+.-_~ *\"'<>[]{}|\\^`é测".utf8)
      for round in 0..<150 {
        let junk = (0..<Int.random(in: 0...80, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        let text = String(decoding: junk, as: UTF8.self).replacingOccurrences(of: " ", with: "+")
        let request =
          round.isMultiple(of: 2)
          ? RawHTTP.request("GET", "/?" + text.replacingOccurrences(of: "\"", with: "%22"))
          : RawHTTP.request("POST", "/?Format=JSON", body: junk)
        let answer = await RawHTTP.answer(port: port, request: request)
        guard case .status(let status) = answer, (400..<500).contains(status) else {
          Issue.record("round \(round): \(text) got \(answer)")
          continue
        }
      }
    }
  }

  @Test func theControlAPIIsForLoopbackOnly() throws {
    #expect(SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
    #expect(SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "127.8.9.10", port: 1)))
    #expect(SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "::1", port: 1)))
    #expect(!SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "10.0.0.7", port: 1)))
    #expect(!SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "192.168.1.2", port: 1)))
    #expect(!SimulatorRequestContext.isLoopback(try SocketAddress(ipAddress: "2001:db8::1", port: 1)))
    #expect(!SimulatorRequestContext.isLoopback(nil))
  }

  @Test func servesManyClientsAtOnce() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.latency = .milliseconds(20) }) {
      simulator async throws in
      let codes = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<64 { group.addTask { try await SignedRequests(simulator: simulator).code([("PageSize", "5")]) } }
        return try await group.reduce(into: [String]()) { $0.append($1) }
      }
      #expect(codes == Array(repeating: "200", count: 64))
    }
  }
}
