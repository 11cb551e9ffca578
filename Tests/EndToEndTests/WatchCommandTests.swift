import Foundation
import TestSupport
import Testing

/// `watch` end to end: the binary against `scansh sim` with simulated time running fast.
@Suite(.serialized)
struct WatchCommandTests {
  /// Two running scans that finish within a few simulated minutes, and one long since finished.
  /// The epoch is 2026-11-02T09:00:00Z; each runs at a pace set by its StartDate and RunPercent.
  static let dataset = """
    {"ScanId":"2026110208560000001","Name":"prod-shop-weekly","Status":"running","RunPercent":40,"StartDate":1793609760000,"ScanType":"vuln","TriggerType":"date"}
    {"ScanId":"2026110208580000002","Name":"staging-api-vuln","Status":"running","RunPercent":40,"StartDate":1793609880000,"ScanType":"vuln","TriggerType":"date"}
    {"ScanId":"2026110100000000003","Name":"old-finished","Status":"finished","RunPercent":100,"StartDate":1793500000000,"EndDate":1793501000000,"ScanType":"vuln","TriggerType":"date"}

    """

  static func simulator(clockSpeed: String) throws -> (SimulatorProcess, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-watch-\(UUID().uuidString).ndjson")
      .path
    try dataset.write(toFile: path, atomically: true, encoding: .utf8)
    return (try SimulatorProcess(["--dataset", path, "--clock-speed", clockSpeed]), path)
  }

  struct Event: Decodable {
    var event: String
    var scanId: String
    var reason: String?
    var changes: [String: [Double?]]?

    enum CodingKeys: String, CodingKey {
      case event, reason, changes
      case scanId = "ScanId"
    }
  }

  /// Requests the simulator has answered so far.
  static func requests(_ simulator: SimulatorProcess) throws -> Int {
    let stats = try simulator.get("/_sim/stats")
    return Int(stats.drop { !$0.isNumber }.prefix { $0.isNumber }) ?? 0
  }

  /// Moves the simulator's stopped clock on, then waits until a tick has read the world after it.
  static func advance(_ simulator: SimulatorProcess, by duration: String) async throws {
    try simulator.post("/_sim/advance?by=\(duration)")
    let answered = try requests(simulator)
    try await eventually("a tick after advancing \(duration)") { try requests(simulator) > answered }
  }

  @Test func ndjsonEventsUntilNothingRuns() async throws {
    // The simulator's clock is stopped and moved by hand between ticks: nothing depends on how
    // fast this machine starts scansh or runs a tick.
    let (simulator, path) = try Self.simulator(clockSpeed: "0")
    defer { try? FileManager.default.removeItem(atPath: path) }
    async let watched = Scansh.run(
      [
        "--endpoint", simulator.endpoint, "-c",
        "scans where status = running | watch 300ms until empty for 2m | format ndjson",
      ],
      environment: simulator.environment())
    try await eventually("the first tick") { try Self.requests(simulator) > 0 }
    // A minute on: both progress. An hour on: both have finished, and the watch ends.
    try await Self.advance(simulator, by: "1m")
    try simulator.post("/_sim/advance?by=1h")
    let output = try await watched
    #expect(output.status == 0)
    #expect(output.stderr.hasPrefix("watch: until empty held after "))
    let events = try output.stdout.split(separator: "\n").map {
      try JSONDecoder().decode(Event.self, from: Data($0.utf8))
    }
    #expect(events.prefix(2).map(\.event) == ["added", "added"])
    #expect(events.prefix(2).map(\.scanId) == ["2026110208560000001", "2026110208580000002"])
    let changes = events.filter { $0.event == "changed" }
    #expect(!changes.isEmpty)
    #expect(changes.allSatisfy { ($0.changes?["RunPercent"]?[1] ?? 0)! > ($0.changes?["RunPercent"]?[0] ?? 0)! })
    let removed = events.filter { $0.event == "removed" }
    #expect(removed.map(\.scanId).sorted() == ["2026110208560000001", "2026110208580000002"])
    #expect(removed.allSatisfy { $0.reason == "finished" })
    #expect(events.last?.event == "removed")
  }

  @Test func forGivesUpWithExitOne() async throws {
    let (simulator, path) = try Self.simulator(clockSpeed: "0")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let output = try await Scansh.run(
      ["--endpoint", simulator.endpoint, "-c", "scans where status = running | watch 200ms until empty for 1s"],
      environment: simulator.environment())
    #expect(output.status == 1)
    #expect(output.stderr.hasPrefix("error: watch gave up after 1s ("))
    #expect(output.stderr.contains("): until empty did not hold\n"))
    // Text mode: the first tick lists the rows.
    #expect(output.stdout.contains("  2026110208560000001  prod-shop-weekly  added: Status running, RunPercent 40"))
  }

  /// Three failed ticks end a script with the last failure's code: the network's is 4.
  @Test func failingTicksEndAScriptWithTheFailuresExitCode() async throws {
    let output = try await Scansh.run(
      ["--endpoint", "http://127.0.0.1:9/", "--timeout", "1s", "-c", "scans | watch 100ms"],
      environment: Scansh.environmentWithKeys())
    #expect(output.status == 4)
    #expect(
      output.stderr.contains(
        "error: watch stopped after 3 failed ticks in a row; last: network error talking to http://127.0.0.1:9/"))
  }

  @Test func redrawsInPlaceOnATerminalAndCtrlCReturnsToThePrompt() async throws {
    let (simulator, path) = try Self.simulator(clockSpeed: "0")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-watch-state-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: state) }
    let terminal = try PseudoTerminal(
      arguments: ["--endpoint", simulator.endpoint], environment: simulator.environment(["XDG_STATE_HOME": state]))
    try await terminal.waitForLine("scansh(env)>")
    terminal.type("scans | watch 1s\r")
    try await terminal.wait(for: "the watch screen") {
      $0.lines[0] == "scans | watch 1s" && $0.lines.contains { $0.contains("prod-shop-weekly") }
    }
    // The alternate screen replaced the prompt; the header sits on the top line, redrawn, not scrolled.
    try await terminal.wait(for: "a later tick") {
      $0.lines[1].hasPrefix("every 1s ·") && $0.lines[1].contains(" 3 requests")
    }
    #expect(terminal.screen.lines[0] == "scans | watch 1s")
    #expect(terminal.screen.lines[3].contains("ScanId"))
    terminal.press(.ctrlC)
    try await terminal.wait(for: "the prompt again") {
      $0.currentLine == "scansh(env)>" && $0.text.contains("scansh(env)> scans | watch 1s")
    }
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }
}
