import Foundation
import QueryLanguage
import Shell
import Simulator
import TestSupport
import Testing

/// Script parameters: `param` declarations, `--var` values and `$name`, end to end against the
/// simulator, each mistake's message word for word.
struct ParameterTests {
  static func harness(_ simulator: RunningSimulator, _ variables: [String: String]) throws -> SessionHarness {
    try SessionHarness(simulator) { $0.variables = variables }
  }

  @Test func mistakesAreReportedBeforeAnythingRuns() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try Self.harness(simulator, ["dayz": "7d", "limit": "ten"])
      let result = await harness.run(
        """
        param days = 1d
        param env
        param limit = 5
        scans where end > $days and name ~ $env | first $limit
        scans | where RunPercent > $dyas
        param late = 1
        """, name: "gate.scansh")
      #expect(result == Session.Result(code: .usage, exited: false))
      #expect(
        harness.errors.text == """
          gate.scansh:1:1: error: --var dayz is not a parameter of gate.scansh
            param days = 1d
            ^
          help: did you mean 'days'?
          gate.scansh:2:7: error: parameter 'env' needs a value
            param env
                  ^^^
          help: give it one: --var env=VALUE
          gate.scansh:4:49: error: expected a whole number after 'first', found '$limit'
            scans where end > $days and name ~ $env | first $limit
                                                            ^^^^^^
          help: $limit is 'ten' (from --var)
          gate.scansh:5:28: error: unknown parameter '$dyas'
            scans | where RunPercent > $dyas
                                       ^^^^^
          help: did you mean '$days'?
          gate.scansh:6:1: error: parameters are declared at the top of a script, before its first statement
            param late = 1
            ^^^^^

          """)
      #expect(try await simulator.loggedParameters().isEmpty)
    }
  }

  @Test func aValueIsNeverCode() async throws {
    try await TestSimulator.with { simulator async throws in
      let hostile = "x' or 1=1; scans | count # $days \" ("
      let harness = try Self.harness(simulator, ["name": hostile, "days": "30d"])
      await harness.run(
        """
        param days = 1d
        param name
        scans search $name | count
        scans where name = $name or Name in ($name, $name) | count
        """, name: "gate.scansh")
      #expect(harness.errors.text == "")
      #expect(harness.output.text == "0\n0\n")
      let searches = try await simulator.loggedParameters().compactMap { $0["Search"] }
      #expect(searches == [hostile])
    }
  }

  /// A value the binder rejects (not a severity) is reported where it is used, with its origin.
  @Test func aValueOfTheWrongKindSaysWhereItCameFrom() async throws {
    try await TestSimulator.with { simulator async throws in
      let harness = try Self.harness(simulator, ["severity": "x or 1=1"])
      let result = await harness.run(
        "param severity = important\nfindings where severity >= $severity | expect empty\n", name: "gate.scansh")
      #expect(result.code == .usage)
      #expect(
        harness.errors.text == """
          gate.scansh:2:28: error: unknown Severity 'x or 1=1'
            findings where severity >= $severity | expect empty
                                       ^^^^^^^^^
          help: one of info, low, moderate, important; $severity is 'x or 1=1' (from --var)

          """)
      #expect(try await simulator.loggedCalls().isEmpty)
    }
  }

  @Test func defaultsGivenValuesAndShowParams() async throws {
    try await TestSimulator.with { simulator async throws in
      let literal = try Self.harness(simulator, [:])
      await literal.run("scans where status = aborted and end > now-30d | count\nscans | first 3 | count")
      let harness = try Self.harness(simulator, ["status": "aborted"])
      await harness.run(
        """
        param days = 30d
        param status
        param n = 3
        scans where status = $status and end > $days | count
        scans | first $n | count
        show params
        """, name: "gate.scansh")
      #expect(harness.errors.text == "")
      #expect(
        harness.output.text == literal.output.text + """
          days    '30d'            from its default, line 1
          n       '3'              from its default, line 3
          status  'aborted'        from --var

          """)
    }
  }
}
