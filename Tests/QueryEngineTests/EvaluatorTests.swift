import Foundation
import QueryLanguage
import ScanAPI
import Testing
import Vocabulary

@testable import QueryEngine

struct EvaluatorTests {
  static let scans: [Scan] = [
    scan(
      "1", "prod-shop-weekly", status: "running", percent: 40, start: 1_793_600_000_000,
      targets: ["shop.example.com", "203.0.113.5"], type: "vuln"),
    scan(
      "2", "官网漏洞扫描", status: "finished", percent: 100, start: 1_793_500_000_000, targets: ["www.example.cn"],
      type: "vuln"),
    scan("3", "Équipe-Sécurité", status: "running", percent: 85.5, targets: ["api.example.net"], type: "content"),
    scan("4", nil, status: "paused-by-ops", percent: nil, start: 1_793_000_000_000),
    scan("5", "prod-api-full", status: "aborted", percent: 12, start: 1_793_550_000_000, targets: [], type: "vuln"),
  ]

  static func matching(_ condition: String) async throws -> [String] {
    ids(try await evaluate("scans | where \(condition)", over: scans).rows)
  }

  @Test(arguments: [
    ("status = running", ["1", "3"]),
    ("status = RUNNING", ["1", "3"]),
    ("status != running", ["2", "4", "5"]),
    ("status ~ paused", ["4"]),
    ("RunPercent > 50", ["2", "3"]),
    ("RunPercent != 40", ["2", "3", "4", "5"]),
    ("name ~ PROD", ["1", "5"]),
    ("name ~ sécurité", ["3"]),
    ("name ~ 漏洞", ["2"]),
    ("name !~ prod", ["2", "3", "4"]),
    ("name = prod-api-full", ["5"]),
    ("targets ~ example.c", ["1", "2"]),
    ("targets = 203.0.113.5", ["1"]),
    ("targets != 203.0.113.5", ["2", "3", "4", "5"]),
    ("target in (www.example.cn, api.example.net)", ["2", "3"]),
    ("status not in (running, finished)", ["4", "5"]),
    ("start > 2026-11-01", ["1", "2", "5"]),
    ("start > now-1d", ["1", "5"]),
    ("start < 20h", ["2", "4"]),
    ("not (status = running or RunPercent = 100)", ["4", "5"]),
    ("RunPercent >= 12 and RunPercent <= 40", ["1", "5"]),
    ("id > 3", ["4", "5"]),
  ])
  func filters(_ condition: String, _ expected: [String]) async throws {
    #expect(try await Self.matching(condition) == expected)
  }

  /// `load | where …` filters in the decoding tasks: over several runs of lines the rows kept are
  /// the same, in file order, and a bad line still ends them after the matching rows before it.
  @Test func filtersAfterLoadRunWhereTheLinesAreDecoded() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-load-\(UUID().uuidString).ndjson")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let count = 30_000
    var lines = (0..<count).map { index in
      "{\"ScanId\":\"\(index)\",\"Status\":\"\(index % 3 == 0 ? "running" : "finished")\",\"RunPercent\":\(index % 101),"
        + "\"Name\":\"\(String(repeating: "n", count: 30))\"}"
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))

    func rows(_ statement: String) async throws -> [Row] {
      let stream = try await Evaluator(client: { fatalError("no API in these tests") }).open(try plan(statement))
      var rows: [Row] = []
      while let row = try await stream.next() { rows.append(row) }
      return rows
    }
    let kept = try await rows("load \(path) | where status = running | where RunPercent > 50 | select ScanId")
    let expected = (0..<count).filter { $0 % 3 == 0 && $0 % 101 > 50 }.map { FieldValue.string(String($0)) }
    #expect(kept.map { $0.values[0] } == expected)

    lines[25_000] = "{\"ScanId\":\"25000\",\"Status\":running}"
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    let stream = try await Evaluator(client: { fatalError("no API in these tests") }).open(
      try plan("load \(path) | where status = running | select ScanId"))
    var before = 0
    do {
      while try await stream.next() != nil { before += 1 }
      Issue.record("the bad line was not reported")
    } catch let failure as ScanFileReader.Failure {
      #expect(failure.line == 25_001)
      #expect(before == (0..<25_000).count { $0 % 3 == 0 })
    }
  }

  @Test func sortIsStableWithMissingValuesLast() async throws {
    #expect(
      ids(try await evaluate("scans | sort RunPercent desc", over: Self.scans).rows) == ["2", "3", "1", "5", "4"])
    #expect(ids(try await evaluate("scans | sort RunPercent", over: Self.scans).rows) == ["5", "1", "3", "2", "4"])
    #expect(
      ids(try await evaluate("scans | sort type, start desc", over: Self.scans).rows) == ["3", "1", "5", "2", "4"])
    #expect(ids(try await evaluate("scans | sort status", over: Self.scans).rows) == ["5", "2", "4", "1", "3"])
  }

  @Test func topNMatchesAFullSort() async throws {
    var many: [Scan] = []
    for index in 0..<2_000 {
      many.append(scan(String(index), status: "running", percent: Double((index * 7919) % 1_000) / 10))
    }
    let top = try await evaluate("scans | sort RunPercent desc, ScanId | first 25", over: many)
    let all = try await evaluate("scans | sort RunPercent desc, ScanId", over: many)
    #expect(top.rows == Array(all.rows.prefix(25)))
  }

  @Test func selectFirstCountGroup() async throws {
    let selected = try await evaluate("scans | select Name, id | first 2", over: Self.scans)
    #expect(selected.columns.map(\.name) == ["Name", "ScanId"])
    #expect(
      selected.rows == [
        Row(values: [.string("prod-shop-weekly"), .string("1")]), Row(values: [.string("官网漏洞扫描"), .string("2")]),
      ])
    #expect(
      try await evaluate("scans | where status = running | count", over: Self.scans).rows == [Row(values: [.number(2)])]
    )
    let grouped = try await evaluate("scans | group type", over: Self.scans)
    #expect(grouped.columns.map(\.name) == ["ScanType", "count"])
    #expect(
      grouped.rows == [
        Row(values: [.string("vuln"), .number(3)]), Row(values: [.string("content"), .number(1)]),
        Row(values: [nil, .number(1)]),
      ])
    let byTarget = try await evaluate("scans | group targets | first 2", over: Self.scans)
    #expect(byTarget.rows.first == Row(values: [.string("203.0.113.5"), .number(1)]))
  }

  static func expectation(_ text: String) async -> String {
    do {
      _ = try await evaluate(text, over: scans)
      return "passed"
    } catch let failure as ExpectationFailure {
      return "\(failure)"
    } catch {
      return "error \(error)"
    }
  }

  @Test func expectations() async {
    #expect(await Self.expectation("scans | where status = invalid | expect empty") == "passed")
    #expect(
      await Self.expectation("scans | where status = running | expect empty")
        == "expected empty, but found 2 rows:\n  1  prod-shop-weekly  running\n  3  Équipe-Sécurité  running")
    #expect(await Self.expectation("scans | expect count = 5") == "passed")
    #expect(await Self.expectation("scans | expect count < 3") == "expected count < 3, but the count is 5")
    #expect(await Self.expectation("scans | where RunPercent > 0 | expect all RunPercent >= 12") == "passed")
    #expect(
      await Self.expectation("scans | expect all status = running")
        == "expected all status = running, but 3 rows of 5 do not match:\n  2  官网漏洞扫描  finished\n  4  -  paused-by-ops\n  5  prod-api-full  aborted"
    )
    #expect(await Self.expectation("scans | expect any status = aborted") == "passed")
    #expect(
      await Self.expectation("scans | expect any status = waiting")
        == "expected any status = waiting, but none of 5 rows match")
    #expect(
      await Self.expectation("scans | where id = 0 | expect any status = waiting")
        == "expected any status = waiting, but there are no rows")
    #expect(
      await Self.expectation("scans | expect none status = aborted")
        == "expected none status = aborted, but 1 row of 5 match:\n  5  prod-api-full  aborted")
  }

  @Test func saveWritesAtomically() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.ndjson").path
    let result = try await evaluate(
      "scans | where status = running | select ScanId, Name | save '\(path)'", over: Self.scans)
    #expect(result.rows.count == 2)
    #expect(
      try String(contentsOfFile: path, encoding: .utf8)
        == "{\"ScanId\":\"1\",\"Name\":\"prod-shop-weekly\"}\n{\"ScanId\":\"3\",\"Name\":\"Équipe-Sécurité\"}\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.ndjson"])
  }

  @Test func aSaveThatDoesNotFinishLeavesNothing() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out.ndjson").path
    try "previous contents\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
      // The expect after save fails before save sees its end... so nothing is committed? No: expect
      // comes first here, and fails at the end of input, before save can commit.
      _ = try await evaluate("scans | expect empty | save '\(path)'", over: Self.scans)
      Issue.record("expected the expect to fail")
    } catch is ExpectationFailure {}
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous contents\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.ndjson"])
  }
}
