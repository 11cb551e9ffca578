import Foundation
import QueryLanguage
import ScanAPI
import Shell
import Simulator
import TestSupport
import Testing

/// Runs and findings as sources, their relations and details, end to end: a session over the real
/// client, HTTP on loopback and the simulator, with what was sent read from its request log.
struct FindingsTests {
  static func count(_ harness: SessionHarness, _ statement: String) async throws -> Int {
    harness.output.clear()
    await harness.run(statement)
    let text = harness.output.text.trimmingCharacters(in: .whitespacesAndNewlines)
    return try #require(Int(text), "\(statement) printed \(text); stderr: \(harness.errors.text)")
  }

  @Test func sessionsPushTheirFiltersAndCountFromTotalCount() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let all = try await Self.count(harness, "sessions | where JobStatus in (running, finished) | count")
      try await simulator.control("POST", "/_sim/log/clear")
      #expect(try await Self.count(harness, "sessions where status in (running, finished) | count") == all)
      let calls = try await simulator.loggedCalls()
      #expect(calls.map(\.action) == ["DescribeScanSessions"])
      #expect(
        calls.first?.parameters == [
          "CurrentPage": "1", "PageSize": "1", "StatusList.1": "running", "StatusList.2": "finished",
        ])
      #expect(all > 0)
      #expect(harness.errors.text == "")
    }
  }

  @Test func aRangeOfSeveritiesIsOneListingPerSeverityMerged() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let onTheClient = try await Self.count(
        harness, "findings | where severity >= moderate and status = unhandled | count")
      try await simulator.control("POST", "/_sim/log/clear")
      let pushed = try await Self.count(harness, "findings where severity >= moderate and status = unhandled | count")
      #expect(pushed == onTheClient)
      #expect(onTheClient > 0)
      let calls = try await simulator.loggedCalls()
      #expect(calls.map(\.action) == ["DescribeAllVulnerabilities", "DescribeAllVulnerabilities"])
      #expect(Set(calls.compactMap { $0.parameters["Severity"] }) == ["2", "3"])
      #expect(calls.allSatisfy { $0.parameters["Status"] == "0" && $0.parameters["PageSize"] == "1" })

      // The merged listing gives the rows an unfiltered one gives, in the same order.
      harness.output.clear()
      await harness.run("findings where severity in (important, moderate) | select Id | format csv")
      let merged = harness.output.text
      harness.output.clear()
      await harness.run("findings | where severity in (3, 2) | select Id | format csv")
      #expect(merged == harness.output.text)
      #expect(merged.split(separator: "\r\n").count > 2)
    }
  }

  @Test func mostSeveritiesStayOnTheClientAndExplainSaysWhy() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("explain findings where severity >= low | count")
      #expect(
        harness.output.text == """
          api       DescribeAllVulnerabilities PageSize=100
          pushed    (nothing)
          kept      severity >= low: the API takes one Severity per request, and 3 of 4 listings read almost every \
          finding anyway: one listing, filtered here, costs fewer requests
          client    where severity >= low
                    count
          requests  1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time

          """)
      harness.output.clear()
      await harness.run("explain findings where seen > now-1d | first 5 | details")
      #expect(
        harness.output.text.contains(
          "kept      conditions on LastDiscoveredAt: the reference does not say which time BeginTime/EndTime filter, so "
            + "a time range is checked here\n"))
      #expect(
        harness.output.text.contains("then 1 DescribeVulnerability per row reaching here (once per Id)"))
      harness.output.clear()
      await harness.run("explain findings where Cwe ~ 89 | count")
      #expect(harness.output.text.contains("then 1 DescribeVulnerability per row reaching here (once per Id)"))
    }
  }

  @Test func relationsReadOneListingPerParentAndCarryIt() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let running = try await Self.count(harness, "scans where status = running | count")
      try await simulator.control("POST", "/_sim/log/clear")
      harness.output.clear()
      await harness.run("scans where status = running | findings | select ScanId, ScanName, TaskId | format csv")
      let calls = try await simulator.loggedCalls().filter { $0.action == "DescribeAllVulnerabilities" }
      #expect(calls.count == running)
      #expect(Set(calls.compactMap { $0.parameters["ScanId"] }).count == running)
      let lines = harness.output.text.split(separator: "\r\n").dropFirst()
      #expect(!lines.isEmpty)
      // Every finding names its task, and the task is one of those listed.
      let scans = await simulator.core.snapshot()
      for line in lines {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let scan = try #require(scans.first { $0.scanId == cells[0] })
        #expect(scan[.status]?.text == "running")
        #expect(scan[.name]?.text == cells[1])
      }
      // Runs of a task, then what the runs found: the same findings as the task's.
      let viaRuns = try await Self.count(harness, "scans where status = running | sessions | findings | count")
      #expect(viaRuns == lines.count)
      #expect(harness.errors.text == "")
    }
  }

  @Test func showFieldsAndTheSimulatorsCountsCoverEverySource() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("show fields")
      let fields = harness.output.text
      for heading in [
        "scans (DescribeScans)\n", "sessions (DescribeScanSessions)\n", "findings (DescribeAllVulnerabilities)\n",
      ] {
        #expect(fields.contains(heading))
      }
      #expect(
        fields.contains("Severity" + String(repeating: " ", count: 33) + "ordered: info < low < moderate < important\n")
      )
      #expect(fields.contains("LastDiscoveredAt       seen              time\n"))
      #expect(fields.contains("Solution" + String(repeating: " ", count: 33) + "text (details)\n"))
      await harness.run("findings | first 1 | details | count")
      await harness.run("sessions | count")
      let stats = try await simulator.control("GET", "/_sim/stats")
      #expect(
        stats.contains(
          "\"byAction\":{\"DescribeAllVulnerabilities\":1,\"DescribeScanSessions\":1,\"DescribeVulnerability\":1}"))
    }
  }

  @Test func firstStopsTheParentsFanOutEarly() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("scans | findings | first 1 | select Name")
      let listings = try await simulator.loggedCalls().filter { $0.action == "DescribeAllVulnerabilities" }
      // A window of parents ahead (--concurrency, 8, and the one consumed), not one listing for each
      // of the 250 scans.
      #expect(listings.count <= 9)
      #expect(harness.output.text.hasSuffix("(1 row)\n"))
    }
  }

  @Test func detailsAreFetchedOnlyWhenUsedAndOncePerId() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      func detailCalls(_ statement: String) async throws -> [String] {
        try await simulator.control("POST", "/_sim/log/clear")
        harness.output.clear()
        await harness.run(statement)
        return try await simulator.loggedCalls().filter { $0.action == "DescribeVulnerability" }.compactMap {
          $0.parameters["Id"]
        }
      }
      #expect(try await detailCalls("findings | first 3 | select Id, Name, Severity").isEmpty)
      let ids = try await detailCalls("findings | first 3 | details | details | select Id, Cwe")
      #expect(ids.count == 3)
      #expect(Set(ids).count == 3)
      #expect(!harness.output.text.contains("  \n"))
      #expect(try await detailCalls("findings | first 2 | where Cwe ~ 'CWE-' | select Id, Solution").count == 2)
      #expect(try await detailCalls("findings where Cwe ~ 'CWE-' | first 2 | select Id").count >= 2)
      // The settings sent with every call go with details and relations too.
      await harness.run("set sourceip 203.0.113.5\nset lang en")
      try await simulator.control("POST", "/_sim/log/clear")
      await harness.run("scans where status = running | findings | first 1 | details | count")
      let calls = try await simulator.loggedCalls()
      #expect(Set(calls.map(\.action)) == ["DescribeScans", "DescribeAllVulnerabilities", "DescribeVulnerability"])
      #expect(calls.allSatisfy { $0.parameters["SourceIp"] == "203.0.113.5" && $0.parameters["Lang"] == "en" })
      #expect(harness.errors.text == "")
    }
  }

  @Test func severityReadsByNameInTablesAndAsSentElsewhere() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("findings where severity = important | first 1 | details | select Severity, Status, Data")
      let table = harness.output.text
      #expect(table.contains("important"))
      harness.output.clear()
      await harness.run(
        "findings where severity = important | first 1 | details | select Severity, Status, Data | format ndjson")
      let object = try JSONSerialization.jsonObject(with: Data(harness.output.text.utf8)) as! [String: Any]
      #expect(object["Severity"] as? Int == 3)
      #expect(object["Status"] is Int)
      // Data is JSON inside a string on the wire; scansh prints the JSON it holds.
      let data = try #require(object["Data"] as? [String: Any])
      #expect(data["request"] is String)
    }
  }

  @Test func mistakesAreCaughtBeforeAnythingIsSent() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let result = await harness.run(
        """
        scans where severity = low
        findings | sessions
        scans | details
        findings where severity = importnt
        findings | count | findings
        """, name: "gate.scansh")
      #expect(result == Session.Result(code: .usage, exited: false))
      #expect(
        harness.errors.text == """
          gate.scansh:1:13: error: 'severity' is a field of findings, not of scans
            scans where severity = low
                        ^^^^^^^^
          help: 'Severity' is on findings rows: try '… | findings | where …'
          gate.scansh:2:12: error: '| sessions' reads the runs of scans, not of findings
            findings | sessions
                       ^^^^^^^^
          help: start from scans: scans where … | sessions
          gate.scansh:3:9: error: 'details' adds the details of findings, but these rows are scans
            scans | details
                    ^^^^^^^
          help: for example: findings | first 5 | details
          gate.scansh:4:27: error: unknown Severity 'importnt'
            findings where severity = importnt
                                      ^^^^^^^^
          help: did you mean 'important'?
          gate.scansh:5:20: error: '| findings' reads the findings of scans or sessions, not of findings
            findings | count | findings
                               ^^^^^^^^
          help: start with: findings where …

          """)
      #expect(try await simulator.loggedCalls().isEmpty)
    }
  }

  @Test func theReferenceSampleShapeOfRunsIsRead() async throws {
    let configuration = TestSimulator.configuration { $0.sessionSampleShape = true }
    try await TestSimulator.with(configuration) { simulator async throws in
      let body = try await simulator.rawSessions()
      #expect(body.contains("\"code\":\"200\""))
      #expect(body.contains("\"PageNumber\":1"))
      #expect(body.contains("\"reportStatus\":"))
      let harness = try SessionHarness(simulator)
      await harness.run("sessions where status = finished | first 2 | select TaskId, Name, ReportStatus | format csv")
      let lines = harness.output.text.split(separator: "\r\n")
      #expect(lines.count == 3)
      #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",finished") && !$0.contains(",,") })
      #expect(harness.errors.text == "")
    }
  }

  @Test func detailsInTheSDKsFlatShapeAreRead() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.flat = true }) { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("findings where severity = important | first 1 | select Cwe, Solution | format csv")
      let lines = harness.output.text.split(separator: "\r\n")
      #expect(lines.first == "Cwe,Solution")
      #expect(lines.count == 2 && lines[1].hasPrefix("CWE-"))
      #expect(harness.errors.text == "")
    }
  }

  @Test func savedFindingsLoadAndDiffAsFindings() async throws {
    try await TestSimulator.with { simulator async throws in
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-findings-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: folder) }
      let harness = try SessionHarness(simulator, directory: folder)
      let total = try await Self.count(harness, "findings | count")
      await harness.run("findings | save all.ndjson")
      #expect(try await Self.count(harness, "load all.ndjson | where severity >= moderate | count") > 0)
      #expect(try await Self.count(harness, "load all.ndjson | count") == total)
      // A JSON array of findings (as `format json` prints them) loads as findings too.
      harness.output.clear()
      await harness.run("findings | first 3 | format json")
      try harness.output.text.write(to: folder.appendingPathComponent("three.json"), atomically: true, encoding: .utf8)
      #expect(try await Self.count(harness, "load three.json | where severity >= info | count") == 3)
      #expect(try await Self.count(harness, "findings | diff all.ndjson | count") == 0)
      // Matched by name and target instead of Id: the same findings, so no differences either.
      #expect(try await Self.count(harness, "findings | diff all.ndjson by Name, Target | count") == 0)
      await harness.run("findings | where severity != important | save accepted.ndjson")
      harness.output.clear()
      await harness.run("findings | diff accepted.ndjson by Name, Target | where Change = added | select Severity")
      #expect(harness.output.text.contains("important"))
      #expect(!harness.output.text.contains("low"))
      harness.output.clear()
      await harness.run("load all.ndjson | where seevrity = low")
      #expect(harness.errors.text.contains("did you mean 'Severity'?"))
    }
  }
}

extension RunningSimulator {
  /// One signed DescribeScanSessions page as the simulator sends it.
  func rawSessions() async throws -> String {
    let request = RPCRequest(
      action: "DescribeScanSessions", version: ScanClient.version, parameters: [("PageSize", "2")]
    ).http(
      endpoint: try Endpoint(endpoint), method: .post, format: .json,
      signing: .signed(Credentials(accessKeyId: "testid", accessKeySecret: "testsecret")), at: Date(), headers: [:])
    return String(decoding: try await NIOTransport().send(request).body, as: UTF8.self)
  }
}
