import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Every command the README shows runs, in demo mode, and prints exactly what the README says.
/// `scripts/gen-docs` rewrites the outputs.
@Suite(.serialized)
struct DocumentationTests {
  struct Example {
    var command: String
    var output: String
    /// Lines of README.md the output occupies.
    var lines: Range<Int>
  }

  static var readme: URL { Scansh.root.appendingPathComponent("README.md") }

  /// `$ COMMAND` lines in ```console blocks, each followed by its output.
  static func examples(in text: String) -> [Example] {
    let lines = text.components(separatedBy: "\n")
    var examples: [Example] = []
    var inConsole = false
    var current: (command: String, start: Int)?
    func close(at end: Int) {
      if let open = current {
        examples.append(
          Example(
            command: open.command, output: lines[open.start..<end].map { $0 + "\n" }.joined(), lines: open.start..<end))
      }
      current = nil
    }
    for (index, line) in lines.enumerated() {
      if line.hasPrefix("```") {
        if inConsole { close(at: index) }
        inConsole = line == "```console"
      } else if inConsole, line.hasPrefix("$ ") {
        close(at: index)
        current = (String(line.dropFirst(2)), index + 1)
      }
    }
    return examples
  }

  /// Each command runs exactly as a newcomer types it, `scansh` on PATH, in a fresh demo with
  /// nothing set but a clean home and UTC (the README's times are UTC).
  @Test func readmeExamplesPrintWhatTheySay() async throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    let examples = Self.examples(in: text)
    #expect(examples.count >= 8)
    for example in examples {
      let output = try await Scansh.shell(example.command, environment: Scansh.environment())
      // A README cannot show carriage returns; CSV's CRLF line ends are compared as LF.
      let printed = output.stdout.replacingOccurrences(of: "\r\n", with: "\n")
      #expect(printed == example.output, "README example: \(example.command)")
    }
  }

  @Test func readmeStartsWithTheTwoSetUpCommands() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    #expect(text.hasPrefix("# scansh\n\n```sh\nscripts/scansh "))
    #expect(text.contains("\nscripts/test "))
  }

  /// The shell lines of docs/ci.md's workflows: a line that runs scansh, or reads its exit code.
  static func ciCommands(in text: String) -> [(system: String, commands: String)] {
    var blocks: [(String, String)] = []
    var current: [String]?
    var system = ""
    for line in text.components(separatedBy: "\n") {
      if line.hasPrefix("## ") { system = String(line.dropFirst(3)) }
      if line == "```yaml" {
        current = []
      } else if line == "```", let lines = current {
        blocks.append((system, lines.joined(separator: "\n")))
        current = nil
      } else if current != nil {
        var command = line.trimmingCharacters(in: .whitespaces)
        if command.hasPrefix("- ") { command.removeFirst(2) }
        if ["test -f ", "scansh ", "if [ \"${code", "exit \"${code"].contains(where: command.hasPrefix) {
          current?.append(command)
        }
      }
    }
    return blocks
  }

  /// Each workflow's commands, as written, in a checkout holding the gate, against the simulator:
  /// twice, the second time with the first run's snapshot (the CI cache).
  @Test func ciPageCommands() async throws {
    let text = try String(contentsOf: Scansh.root.appendingPathComponent("docs/ci.md"), encoding: .utf8)
    let workflows = Self.ciCommands(in: text)
    #expect(workflows.map(\.system) == ["GitHub Actions", "GitLab CI"])
    // Reports are made over simulated time: let it run.
    let simulator = try SimulatorProcess(["--clock-speed", "600"])
    for (system, commands) in workflows {
      #expect(commands.contains("--junit scansh-junit.xml ci/gate.scansh"), "\(system)")
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-ci-\(UUID().uuidString)")
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("ci"), withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: folder) }
      try FileManager.default.copyItem(
        at: Scansh.root.appendingPathComponent("scripts/examples/release-gate.scansh"),
        to: folder.appendingPathComponent("ci/gate.scansh"))
      let summary = folder.appendingPathComponent("summary.md").path
      var extra = ["ALIBABA_CLOUD_ENDPOINT": simulator.endpoint]
      if system == "GitHub Actions" { extra.merge(["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary]) { $1 } }
      for round in 1...2 {
        let output = try await Scansh.shell(commands, environment: simulator.environment(extra), directory: folder)
        // The simulated account has unhandled findings: the gate fails, as a gate should.
        #expect(output.status == 1, "\(system), run \(round): \(output.stdout)")
        #expect(output.stdout.contains("ci/gate.scansh:10: expect failed: expected empty, but found "))
        #expect(output.stdout.contains(" rows to snapshot.ndjson\n"))
        let junit = try XMLDocument(contentsOf: folder.appendingPathComponent("scansh-junit.xml"))
        let cases = junit.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase") ?? []
        #expect(
          cases.map { $0.attribute(forName: "name")?.stringValue ?? "" } == [
            "no unhandled findings at or above the threshold", "no vulnerability scan aborted recently",
            "vulnerability scans are configured at all",
          ])
        let reports = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("reports").path)
        // The newest runs move on with simulated time: the second round may save others too.
        #expect(round == 1 ? reports.count == 3 : reports.count >= 3, "\(reports)")
        #expect(reports.allSatisfy { $0.hasSuffix(".html") }, "\(reports)")
      }
      if system == "GitHub Actions" {
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.components(separatedBy: "### scansh: 3 checks").count == 3)
      }
    }
  }

  @Test func ciGateExample() async throws {
    let failing = try await Scansh.shell(
      "scansh scripts/examples/ci-gate.scansh", environment: Scansh.demoEnvironment())
    #expect(failing.status == 1)
    #expect(
      failing.stdout.contains("scripts/examples/ci-gate.scansh:9: expect failed: expected empty, but found 1 row:"))
    // Against an account whose vulnerability scans all finished, the gate passes.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-gate-\(UUID().uuidString).ndjson")
      .path
    try #"{"ScanId":"1","Name":"prod-weekly","Status":"finished","ScanType":"vuln","EndDate":1793600000000}"#
      .write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let simulator = try SimulatorProcess(["--dataset", path])
    let script = Scansh.root.appendingPathComponent("scripts/examples/ci-gate.scansh").path
    let passing = try await Scansh.run(
      ["--endpoint", simulator.endpoint, script], environment: simulator.environment())
    #expect(passing.status == 0, "\(passing.stderr)")
    #expect(passing.stdout == "ScanId  Name  EndDate\n(no rows)\n")
  }

  @Test func weeklyReportExample() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-weekly-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = Scansh.root.appendingPathComponent("scripts/examples/weekly-report.scansh").path
    let output = try await Scansh.run(
      [script], environment: Scansh.demoEnvironment().merging(["PWD": folder.path]) { $1 }, directory: folder)
    #expect(output.status == 0)
    #expect(output.stdout.hasPrefix("Status,count\r\nfinished,35\r\n"))
    #expect(output.stdout.contains("ScanType,count\r\nvuln,53\r\ncontent,12\r\n"))
    #expect(output.stderr.hasSuffix("saved 4 rows to weekly-by-status.ndjson\nsaved 65 rows to weekly-scans.ndjson\n"))
    let saved = try String(contentsOf: folder.appendingPathComponent("weekly-scans.ndjson"), encoding: .utf8)
    #expect(saved.split(separator: "\n").count == 65)
  }

  @Test func nightlyDiffExample() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-nightly-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let simulator = try SimulatorProcess(["--clock-speed", "0", "--epoch", "2026-11-02T09:00:00Z"])
    let first = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans | save last-night.ndjson"], environment: simulator.environment(),
      directory: folder)
    #expect(first.status == 0)
    // A day passes: running scans finish or abort, two new ones start.
    _ = try simulator.post("/_sim/advance?by=1d")
    _ = try simulator.post("/_sim/insert?count=2")
    let script = Scansh.root.appendingPathComponent("scripts/examples/nightly-diff.scansh").path
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, script], environment: simulator.environment(), directory: folder)
    let blocks = output.stdout.components(separatedBy: "ScanId\tName\tStatus\n").dropFirst()
    #expect(blocks.count == 2)
    #expect(blocks.first?.split(separator: "\n").count == 2)
    #expect(blocks.last?.split(separator: "\n").isEmpty == false)
    let aborted = output.stdout.contains("\taborted\n")
    #expect(output.status == (aborted ? 1 : 0), "\(output.stderr)")
    #expect(output.stderr.hasSuffix("saved 252 rows to last-night.ndjson\n"))
  }

  @Test func followRunningExample() async throws {
    // The example waits 30s between ticks; against a simulator where nothing runs any more its
    // first tick already satisfies `until empty` (WatchCommandTests follow scans as they finish).
    let simulator = try SimulatorProcess(["--clock-speed", "0", "--epoch", "2027-06-01T00:00:00Z", "--scans", "0"])
    let script = Scansh.root.appendingPathComponent("scripts/examples/follow-running.scansh").path
    let output = try await Scansh.run(["--endpoint", simulator.endpoint, script], environment: simulator.environment())
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout == "")
    #expect(output.stderr == "watch: until empty held after 1 tick\n")
  }
}
