import Foundation
import TestSupport
import Testing

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
