import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What CI reads from a gate: the JUnit file, GitHub's workflow commands and job summary.
@Suite(.serialized)
struct CIReportTests {
  /// Passing, failing, erroring and skipped checks, each named by its comment or its statement.
  static let gate = """
    # scans exist
    scans | expect count > 0
    # nothing is running
    scans where status = running | expect empty
    scans | count
    scans | save missing/out.ndjson
    # never reached
    scans | expect empty

    """

  @Test func junitListsEveryCheck() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    try folder.write("gate.scansh", Self.gate)
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "--junit", "report.xml", "gate.scansh"],
      environment: simulator.environment(), directory: folder.url)
    #expect(output.status == 5, "\(output.stderr)")
    // Only the report and the script: the report was written through a temporary file, renamed.
    #expect(try folder.list() == ["gate.scansh", "report.xml"])
    let document = try XMLDocument(contentsOf: folder.url.appendingPathComponent("report.xml"))
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(attributes(root, ["tests", "failures", "errors"]) == ["4", "1", "1"])
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    let suite = try #require(suites.first)
    #expect(
      attributes(suite, ["name", "tests", "failures", "errors", "skipped"]) == ["gate.scansh", "4", "1", "1", "1"])
    let cases = suite.elements(forName: "testcase")
    #expect(
      cases.map { attributes($0, ["name", "classname"]) } == [
        ["scans exist", "gate.scansh"],
        ["nothing is running", "gate.scansh"],
        ["scans | save missing/out.ndjson", "gate.scansh"],
        ["never reached", "gate.scansh"],
      ])
    for item in cases { #expect(Double(item.attribute(forName: "time")?.stringValue ?? "") != nil) }
    #expect(cases[0].children?.isEmpty ?? true)
    let failure = try #require(cases[1].elements(forName: "failure").first)
    #expect(failure.attribute(forName: "message")?.stringValue == "expected empty, but found 24 rows")
    let failureText = try #require(failure.stringValue)
    #expect(failureText.hasPrefix("gate.scansh:4:1: expected empty, but found 24 rows\n  "))
    #expect(failureText.components(separatedBy: "\n").count == 5)
    #expect(failureText.hasSuffix("\n  …"))
    let error = try #require(cases[2].elements(forName: "error").first)
    #expect(
      error.attribute(forName: "message")?.stringValue
        == "cannot save to missing/out.ndjson: No such file or directory")
    let skipped = try #require(cases[3].elements(forName: "skipped").first)
    #expect(skipped.stringValue == "not run: an earlier statement stopped the run (gate.scansh:8:1)")
    // The log says the same as the report.
    #expect(output.stderr.contains("gate.scansh:4: expect failed: expected empty, but found 24 rows:\n  "))
  }

  /// A script that does not parse runs nothing: one erroring case says why, its checks are skipped.
  @Test func junitOfAScriptThatDoesNotParse() async throws {
    let folder = try Folder()
    try folder.write("bad.scansh", "# scans exist\nscans | expect count > 0\nscans where severty = 1\n")
    let output = try await Scansh.run(
      ["--demo", "--junit", "report.xml", "bad.scansh"], environment: Scansh.demoEnvironment(), directory: folder.url)
    #expect(output.status == 2)
    let root = try #require(
      try XMLDocument(contentsOf: folder.url.appendingPathComponent("report.xml")).rootElement())
    let cases = root.elements(forName: "testsuite").first?.elements(forName: "testcase") ?? []
    #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == ["the script is valid", "scans exist"])
    #expect(
      cases.first?.elements(forName: "error").first?.attribute(forName: "message")?.stringValue
        == "bad.scansh:3:13: error: unknown field 'severty'")
    #expect(cases.last?.elements(forName: "skipped").count == 1)
  }

  /// Ctrl-C during a check: the report is still written, with what ran.
  @Test func junitIsWrittenWhenInterrupted() async throws {
    let simulator = try SimulatorProcess(["--latency", "30s"])
    let folder = try Folder()
    try folder.write("gate.scansh", Self.gate)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Scansh.path)
    process.arguments = ["--endpoint", simulator.endpoint, "--junit", "report.xml", "gate.scansh"]
    process.environment = simulator.environment()
    process.currentDirectoryURL = folder.url
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    try await eventually("the request at the simulator") {
      try simulator.get("/_sim/stats").hasPrefix("{\"requests\":1")
    }
    kill(process.processIdentifier, SIGINT)
    try await offload { process.waitUntilExit() }
    #expect(process.terminationStatus == 130)
    let root = try #require(
      try XMLDocument(contentsOf: folder.url.appendingPathComponent("report.xml")).rootElement())
    let cases = root.elements(forName: "testsuite").first?.elements(forName: "testcase") ?? []
    #expect(cases.map { $0.children?.first?.name } == ["error", "skipped", "skipped"])
    #expect(cases.first?.elements(forName: "error").first?.attribute(forName: "message")?.stringValue == "interrupted")
  }

  @Test func githubAnnotationsAndSummary() async throws {
    let simulator = try SimulatorProcess()
    let folder = try Folder()
    try folder.write("gate.scansh", Self.gate)
    try folder.write("summary.md", "earlier step\n")
    let summary = folder.url.appendingPathComponent("summary.md").path
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "gate.scansh"],
      environment: simulator.environment(["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary]),
      directory: folder.url)
    #expect(output.status == 5)
    let commands = output.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init)
    #expect(commands.count == 2)
    #expect(
      commands.first?.hasPrefix(
        "::error file=gate.scansh,line=4,col=1,title=check failed%3A nothing is running::"
          + "expected empty, but found 24 rows%0A  ") == true)
    #expect(
      commands.last
        == "::error file=gate.scansh,line=6,col=1,title=statement failed%3A scans | save missing/out.ndjson::"
        + "cannot save to missing/out.ndjson: No such file or directory")
    let text = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(
      text.hasPrefix(
        """
        earlier step
        ### scansh: 4 checks: 1 passed, 1 failed, 1 error, 1 skipped

        | Result | Check | Where | Detail |
        |---|---|---|---|
        | ✅ pass | scans exist | gate.scansh:2 |  |
        | ❌ fail | nothing is running | gate.scansh:4 | expected empty, but found 24 rows |
        | ⚠️ error | scans \\| save missing/out.ndjson | gate.scansh:6 | cannot save to missing/out.ndjson: No such file or directory |
        | ⏭️ skipped | never reached | gate.scansh:8 | not run |

        #### ❌ nothing is running (gate.scansh:4)

        expected empty, but found 24 rows:

        ```text

        """))
    #expect(text.hasSuffix("…\n```\n\n"))

    // Anywhere else, nothing of it.
    let plain = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "gate.scansh"],
      environment: simulator.environment(["GITHUB_STEP_SUMMARY": summary]), directory: folder.url)
    #expect(plain.status == 5)
    #expect(!plain.stdout.contains("::"))
    #expect(try String(contentsOfFile: summary, encoding: .utf8) == text)
  }

  /// GitHub shows ten error annotations a step: the rest are one notice.
  @Test func atMostTenAnnotations() async throws {
    let script = (1...12).map { "# check \($0)\nscans | expect empty\n" }.joined()
    let output = try await Scansh.run(
      ["--demo", "-c", script],
      environment: Scansh.environment(["SCANSH_DEMO_CLOCK_SPEED": "0", "GITHUB_ACTIONS": "true"]))
    #expect(output.status == 1)
    let commands = output.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }.map(String.init)
    #expect(commands.count == 11)
    #expect(commands.prefix(10).allSatisfy { $0.hasPrefix("::error line=") })
    #expect(
      commands.last
        == "::notice title=scansh::2 more failed checks are not annotated (GitHub shows 10 per step);"
        + " the log and the JUnit report list every one")
  }

  private func attributes(_ element: XMLElement, _ names: [String]) -> [String] {
    names.map { element.attribute(forName: $0)?.stringValue ?? "-" }
  }
}

/// A temporary folder, removed with the test.
final class Folder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-ci-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: url.appendingPathComponent(name))
  }

  func list() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}
