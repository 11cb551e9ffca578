import Foundation
import QueryLanguage
import ScanAPI
import Shell
import Simulator
import TestSupport
import Testing
import Vocabulary

/// Values the docs don't list, grouping, time buckets, distinct and diff, against the simulator.
@Suite(.serialized)
struct StageEvaluationTests {
  static func scans(_ simulator: RunningSimulator) async -> [Scan] { await simulator.core.snapshot() }

  static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  @Test func anUndocumentedStatusIsMatchedAsSentAndNeverPushed() async throws {
    var dataset: [Scan] = []
    for (index, status) in ["running", "paused", "aborted", "paused", "finished"].enumerated() {
      dataset.append(
        Scan([.scanId: .string("20261101000000000\(index)"), .status: .string(status), .name: .string("s\(index)")]))
    }
    try await TestSimulator.with(TestSimulator.configuration { $0.dataset = dataset }) { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("scans where status in (aborted, paused) | count")
      #expect(harness.output.text == "3\n")
      #expect(
        harness.errors.text
          == "warning: 'paused' is not a documented Status (waiting, finished, running, aborted, invalid, disabled); matching it as the API sends it\n"
      )
      // The whole condition stayed on the client: no StatusList was sent.
      #expect(try await simulator.loggedParameters() == [["CurrentPage": "1", "PageSize": "100"]])
      await harness.run("explain scans where status in (aborted, paused) | count")
      #expect(
        harness.output.text.contains(
          "kept      status in (aborted, paused): 'paused' is not a documented Status, and the API may reject a value it does not know\n"
        ))
      // Once seen in a result, the value is known: no warning.
      let seen = try SessionHarness(simulator)
      await seen.run("scans | select Status | first 5")
      await seen.run("scans where status = paused | select ScanId")
      #expect(seen.errors.text == "")
      #expect(
        Self.lines(seen.output.text).suffix(4) == ["ScanId", "202611010000000001", "202611010000000003", "(2 rows)"])
      // A near miss of a documented value is still a typo.
      let typo = try SessionHarness(simulator)
      #expect(await typo.run("scans where status = runing").code == .usage)
      #expect(typo.errors.text.contains("help: did you mean 'running'?"))
    }
  }

  @Test func groupCountsCombinationsWithAggregates() async throws {
    try await TestSimulator.with { simulator async throws in
      let all = await Self.scans(simulator)
      let harness = try SessionHarness(simulator, format: .csv)
      await harness.run("scans | group type, trigger with avg progress, max end, count EndDate")
      let rows = Self.lines(harness.output.text.replacingOccurrences(of: "\r", with: ""))
      #expect(rows.first == "ScanType,TriggerType,count,avg(RunPercent),max(EndDate),count(EndDate)")
      var expected: [String: (count: Int, sum: Double, maxEnd: Double?, ends: Int)] = [:]
      for scan in all {
        let key = "\(scan[.scanType]!.text),\(scan[.triggerType]!.text)"
        var entry = expected[key] ?? (0, 0, nil, 0)
        entry.count += 1
        entry.sum += scan[.runPercent]?.numberValue ?? 0
        if let end = scan[.endDate]?.numberValue {
          entry.maxEnd = max(entry.maxEnd ?? end, end)
          entry.ends += 1
        }
        expected[key] = entry
      }
      #expect(rows.count == expected.count + 1)
      var previous = Int.max
      for row in rows.dropFirst() {
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let entry = try #require(expected["\(cells[0]),\(cells[1])"])
        #expect(Int(cells[2]) == entry.count)
        #expect(Int(cells[2])! <= previous, "largest count first")
        previous = Int(cells[2])!
        #expect(Double(cells[3]) == ((entry.sum / Double(entry.count)) * 100).rounded() / 100)
        #expect(Int(cells[5]) == entry.ends)
      }
      // A list field counts a row once under each of its values.
      let targets = try SessionHarness(simulator, format: .csv)
      await targets.run("scans | group targets | format tsv")
      let counted = Self.lines(targets.output.text).dropFirst().map { Int($0.split(separator: "\t")[1])! }
      var pairs = 0
      for scan in all {
        if case .list(let items)? = scan[.targets] { pairs += Set(items).count }
      }
      #expect(counted.reduce(0, +) == pairs)
    }
  }

  @Test func timeBucketsShowEmptyOnesInOrder() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator, format: .tsv)
      await harness.run("set timezone utc\nscans where status = aborted | group start by day")
      let rows = Self.lines(harness.output.text).dropFirst().map { $0.split(separator: "\t").map(String.init) }
      #expect(rows.count > 2)
      // Consecutive days, none missing, with zeros where nothing started.
      let formatter = ISO8601DateFormatter()
      let days = rows.map { formatter.date(from: $0[0] + "T00:00:00Z")! }
      for (day, next) in zip(days, days.dropFirst()) { #expect(next.timeIntervalSince(day) == 86_400) }
      #expect(rows.contains { $0[1] == "0" })
      let all = await Self.scans(simulator).filter { $0[.status]?.text == "aborted" && $0[.startDate] != nil }
      #expect(rows.map { Int($0[1])! }.reduce(0, +) == all.count)
      // Month buckets are named by their month.
      let months = try SessionHarness(simulator, format: .tsv)
      await months.run("set timezone utc\nscans | group start by month")
      let monthRows = Self.lines(months.output.text).dropFirst()
      // Scans that have not started have no bucket: they come last, unlabelled.
      #expect(monthRows.last?.hasPrefix("\t") == true)
      #expect(
        monthRows.dropLast().allSatisfy { $0.range(of: #"^\d{4}-\d{2}\t\d+$"#, options: .regularExpression) != nil })
    }
  }

  @Test func aBucketNeedsATimeAndAggregatesNeedTheRightKind() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("scans | group status by day")
      #expect(
        harness.errors.text == """
          error: 'by' cuts a time into buckets, but no field of this group is a time
            scans | group status by day
                                    ^^^
          help: for example: group start by day

          """)
      let sum = try SessionHarness(simulator)
      await sum.run("scans | group type with sum Name")
      #expect(
        sum.errors.text == """
          error: 'sum' needs numbers, but 'Name' is text
            scans | group type with sum Name
                                    ^^^^^^^^

          """)
    }
  }

  @Test func selectStarAndDistinct() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator, format: .csv)
      await harness.run("scans | first 1 | select *")
      let header = Self.lines(harness.output.text.replacingOccurrences(of: "\r", with: "")).first
      #expect(header == ScanField.allCases.map(\.apiName).joined(separator: ","))
      let distinct = try SessionHarness(simulator, format: .tsv)
      await distinct.run("scans | distinct type, trigger | select ScanId, ScanType, TriggerType")
      let rows = Self.lines(distinct.output.text).dropFirst()
      let all = await Self.scans(simulator)
      #expect(rows.count == Set(all.map { "\($0[.scanType]!.text) \($0[.triggerType]!.text)" }).count)
      // The first row of each combination, in listing order.
      let firsts = all.filter { scan in
        all.first { $0[.scanType] == scan[.scanType] && $0[.triggerType] == scan[.triggerType] }?.scanId == scan.scanId
      }
      #expect(rows.map { String($0.split(separator: "\t")[0]) } == firsts.map { $0.scanId! })
    }
  }

  @Test func diffAgainstASavedSnapshot() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator, directory: folder)
      await harness.run("scans | save night.ndjson")
      try await simulator.control("POST", "/_sim/advance?by=6h")
      try await simulator.control("POST", "/_sim/insert?count=2")
      let diff = try SessionHarness(simulator, format: .tsv, directory: folder)
      await diff.run("scans | diff night.ndjson | select Change, ScanId, Changed")
      let rows = Self.lines(diff.output.text).dropFirst().map {
        $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      }
      #expect(rows.filter { $0[0] == "added" }.count == 2)
      let changed = rows.filter { $0[0] == "changed" }
      #expect(!changed.isEmpty)
      #expect(changed.allSatisfy { !$0[2].isEmpty })
      #expect(changed.contains { $0[2].contains("RunPercent") })
      #expect(!rows.contains { $0[0] == "removed" })
      // It composes: a gate on what changed status since last night.
      let gate = try SessionHarness(simulator, directory: folder)
      let result = await gate.run(
        "scans | diff night.ndjson | where Change = changed and Changed ~ Status | expect empty")
      #expect(result.code == .checkFailed)
      // Rows gone since the snapshot are `removed`, with their saved values.
      let removed = try SessionHarness(simulator, format: .tsv, directory: folder)
      await removed.run(
        "scans where type = vuln | diff night.ndjson | where Change = removed | select ScanType | distinct ScanType")
      #expect(Self.lines(removed.output.text) == ["ScanType", "content"])
      // A missing or broken snapshot names the file (and the line), and nothing runs on.
      let missing = try SessionHarness(simulator, directory: folder)
      #expect(await missing.run("scans | diff gone.ndjson").code == .usage)
      #expect(missing.errors.text.hasPrefix("error: cannot load gone.ndjson: "))
      try "{\"ScanId\":\"1\"}\n{\"ScanId\":\n".write(
        to: folder.appendingPathComponent("bad.ndjson"), atomically: true, encoding: .utf8)
      let bad = try SessionHarness(simulator, directory: folder)
      #expect(await bad.run("scans | diff bad.ndjson").code == .usage)
      #expect(bad.errors.text.hasPrefix("error: cannot load bad.ndjson:2: "))
      #expect(bad.output.text == "")
    }
  }

  @Test func sourceIpIsSentOnceSet() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("set sourceip 203.0.113.9\nscans | count\nshow settings")
      #expect(
        try await simulator.loggedParameters() == [["CurrentPage": "1", "PageSize": "1", "SourceIp": "203.0.113.9"]])
      #expect(harness.output.text.contains("sourceip     203.0.113.9\n"))
      try await simulator.control("POST", "/_sim/log/clear")
      await harness.run("set sourceip off\nscans | count")
      #expect(try await simulator.loggedParameters() == [["CurrentPage": "1", "PageSize": "1"]])
      let bad = try SessionHarness(simulator)
      await bad.run("set sourceip 300.1.1.1")
      #expect(
        bad.errors.text == """
          error: sourceip takes an IPv4 or IPv6 address, or off
            set sourceip 300.1.1.1
                         ^^^^^^^^^

          """)
    }
  }
}
