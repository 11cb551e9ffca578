import Foundation
import QueryLanguage
import ScanAPI
import Shell
import TestSupport
import Testing

struct SessionTests {
  @Test func aScriptWithParseErrorsRunsNothing() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let result = await harness.run(
        """
        scans | count
        scans | sort RunPrecent desc
        scans where status == running
        set pagesize 1000
        """, name: "gate.scansh")
      #expect(result == Session.Result(code: .usage, exited: false))
      #expect(harness.output.text == "")
      #expect(
        harness.errors.text == """
          gate.scansh:2:14: error: unknown field 'RunPrecent'
            scans | sort RunPrecent desc
                         ^^^^^^^^^^
          help: did you mean 'RunPercent'?
          gate.scansh:3:20: error: '==' is not an operator
            scans where status == running
                               ^^
          help: compare with a single '='
          gate.scansh:4:14: error: pagesize takes a number from 1 to 100
            set pagesize 1000
                         ^^^^

          """)
      #expect(try await simulator.loggedParameters().isEmpty)
    }
  }

  @Test func pushdownAsTheRequestLogSeesIt() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("scans where status = running | count")
      #expect(
        try await simulator.loggedParameters() == [["CurrentPage": "1", "PageSize": "1", "StatusList.1": "running"]])
      try await simulator.control("POST", "/_sim/log/clear")
      await harness.run("scans where type = content and status in (running, waiting) | first 5")
      #expect(
        try await simulator.loggedParameters() == [
          [
            "CurrentPage": "1", "PageSize": "5", "ScanType": "content", "StatusList.1": "running",
            "StatusList.2": "waiting",
          ]
        ])
      try await simulator.control("POST", "/_sim/log/clear")
      await harness.run("set pagesize 40\nset lang en\nscans search example.cn | where RunPercent > 10 | count")
      let pages = try await simulator.loggedParameters()
      #expect(pages.map { $0["CurrentPage"] } == ["1", "2"])
      #expect(pages.allSatisfy { $0["PageSize"] == "40" && $0["Search"] == "example.cn" && $0["Lang"] == "en" })
      #expect(harness.errors.text == "")
    }
  }

  @Test func countMatchesAFullListing() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run(
        "scans where status = running | count\nscans | where status = running | select ScanId | format ndjson")
      let lines = harness.output.text.split(separator: "\n")
      #expect(Int(lines[0]) == lines.count - 1)
      #expect(lines.count > 10)
    }
  }

  @Test func expectFailuresAreReportedAndTheScriptGoesOn() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let result = await harness.run(
        "scans where status = running | expect empty\nscans | expect count > 0\nscans where status = invalid | count",
        name: "gate.scansh")
      #expect(result.code == .checkFailed)
      #expect(harness.errors.text.hasPrefix("gate.scansh:1: expect failed: expected empty, but found 24 rows:\n  2026"))
      #expect(harness.output.text == "9\n")
    }
  }

  @Test func runtimeErrorsStopUnlessKeepGoing() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let result = await harness.run("load /nonexistent.ndjson\nscans | count", name: "s.scansh")
      #expect(result.code == .usage)
      #expect(
        harness.errors.text
          == "error: cannot load /nonexistent.ndjson: no such file\n  in s.scansh:1: load /nonexistent.ndjson\n")
      #expect(harness.output.text == "")
      let going = try SessionHarness(simulator, keepGoing: true)
      #expect(await going.run("load /nonexistent.ndjson\nscans | count", name: "s.scansh").code == .usage)
      #expect(going.output.text == "250\n")
    }
  }

  @Test func explain() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("explain scans where status = running and RunPercent > 50 | sort RunPercent desc | first 10")
      #expect(
        harness.output.text == """
          api       DescribeScans StatusList.1=running PageSize=100
          pushed    status = running
          client    where status = running and RunPercent > 50
                    sort RunPercent desc
                    first 10
          requests  1, then ⌈TotalCount/100⌉ − 1 more, up to 8 at a time

          """)
      #expect(try await simulator.loggedParameters().isEmpty)
    }
  }

  @Test func formatPrecedence() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator, format: .csv)
      await harness.run("scans | count")
      await harness.run("scans | count | format json")
      await harness.run("set format ndjson\nscans | first 1 | select ScanId")
      await harness.run("scans | first 1 | select ScanId | format tsv")
      #expect(harness.output.text.hasPrefix("250\n{\"count\":250}\n{\"ScanId\":\"2026"))
      #expect(harness.output.text.contains("\"}\nScanId\n2026"))
    }
  }

  @Test func commands() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      await harness.run("help")
      for entry in LanguageReference.entries { #expect(harness.output.text.contains("  \(entry.name.rawValue) ")) }
      let help = try SessionHarness(simulator)
      await help.run("help limit")
      #expect(
        help.output.text.hasPrefix(
          "first N\n  Keep the first N rows (alias: limit).\n  Also written: limit\n\nExamples:\n  scans | first 2 | select ScanId\n"
        ))
      let show = try SessionHarness(simulator)
      await show.run("set timezone utc\nshow settings\nshow config")
      #expect(show.output.text.contains("timezone     utc\n"))
      #expect(
        show.output.text.contains("credentials  env\naccess key   ****id\n"))
      let exit = try SessionHarness(simulator)
      #expect(await exit.run("scans | count\nexit\nscans | count") == Session.Result(code: .success, exited: true))
      #expect(exit.output.text == "250\n")
      let unknownHelp = try SessionHarness(simulator)
      #expect(await unknownHelp.run("help wehre").code == .usage)
      #expect(unknownHelp.errors.text.contains("help: did you mean 'where'?"))
    }
  }

  /// Every example of the language reference prints what the table says it prints, on the demo
  /// dataset (seed 7, 240 scans, its clock stopped at the demo epoch, times in UTC): in table order,
  /// in a folder of its own (so `save` and `load` meet), with a watch clock that jumps instead of
  /// waiting. `UPDATE_EXAMPLES=FILE` writes what they printed to FILE as JSON, for
  /// `scripts/gen-docs` to put into the table.
  @Test func theReferenceExamplesPrintWhatTheTableSays() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-examples-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "scans | expect count > 0\n".write(
      to: folder.appendingPathComponent("checks.scansh"), atomically: true, encoding: .utf8)
    let demo = TestSimulator.configuration {
      $0.seed = DemoSettings.seed
      $0.scanCount = DemoSettings.scans
    }
    let connection = ConnectionSummary(endpoint: "built-in simulator on loopback (demo mode)", source: .demo)
    var printed: [String: String] = [:]
    try await TestSimulator.with(demo) { simulator async throws in
      let setup = try SessionHarness(simulator, directory: folder)
      #expect(await setup.run("scans where status = running | save running.ndjson").code == .success)
      for entry in LanguageReference.entries {
        for example in entry.examples {
          let harness = try SessionHarness(simulator, directory: folder, connection: connection) { options in
            options.watchClock = ManualClock()
            if example.statement.contains("report") {
              // Reports are made over the simulator's time: a sleep of the shell's moves it on.
              options.watchClock = ManualClock(onSleep: { duration in
                _ = try? await simulator.control("POST", "/_sim/advance?by=\(duration / .milliseconds(1))ms")
              })
            }
            options.history = { ["scans | count"] }
            options.useAccounts = { $0 }
            options.settings.timeZone = .utc
          }
          let result = await harness.run(example.statement)
          // A watch whose `until` does not hold within its `for` ends with 1; nothing else may fail.
          let expected: ExitCode = example.statement.contains("until") ? .checkFailed : .success
          #expect(result.code == expected, "\(example.statement): \(harness.errors.text)")
          #expect(harness.output.text == example.output, "\(example.statement)")
          printed[example.statement] = harness.output.text
        }
      }
    }
    if let path = ProcessInfo.processInfo.environment["UPDATE_EXAMPLES"] {
      try JSONSerialization.data(withJSONObject: printed, options: [.sortedKeys]).write(
        to: URL(fileURLWithPath: path))
    }
  }

  @Test func sourceRunsAnotherScript() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-\(UUID().uuidString).scansh").path
    try "scans | count\nscans | where id = none | expect count = 1\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try await TestSimulator.with { simulator async throws in
      let harness = try SessionHarness(simulator)
      let result = await harness.run("source '\(path)'\nscans | first 0 | count")
      #expect(result.code == .checkFailed)
      #expect(harness.output.text == "250\n0\n")
      #expect(harness.errors.text == "\(path):2: expect failed: expected count = 1, but the count is 0\n")
    }
  }
}
