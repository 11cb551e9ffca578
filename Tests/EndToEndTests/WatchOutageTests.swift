import Foundation
import TestSupport
import Testing

/// The network goes away mid-watch and comes back: the screen says the ticks are failing and
/// since when, keeps the last good rows, and resumes by itself with its diff state intact.
@Suite(.serialized)
struct WatchOutageTests {
  /// The ScanIds of the rows on screen (their other cells, such as the ETA, move with time).
  static func scanIds(_ screen: VirtualScreen) -> Set<String> {
    Set(
      screen.lines.compactMap { line in
        line.split(separator: " ").first { $0.count == 19 && $0.allSatisfy(\.isNumber) }.map(String.init)
      })
  }

  @Test func aWatchOnATerminalRidesOutAnOutage() async throws {
    var simulator = try SimulatorProcess(["--clock-speed", "0"])
    defer { simulator.stop() }
    let port = simulator.port
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-outage-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: state) }
    let terminal = try PseudoTerminal(
      arguments: ["--endpoint", simulator.endpoint, "--timeout", "1s"],
      environment: simulator.environment(["XDG_STATE_HOME": state]), rows: 60)
    try await terminal.waitForLine("scansh(env)>")
    terminal.type("scans where status = running | watch 1s\r")
    try await terminal.wait(for: "the watch screen") {
      $0.lines[0] == "scans where status = running | watch 1s" && $0.text.contains("ScanId")
    }
    // The first tick's rows are drawn plain (no +): they are what the watch starts from.
    try await terminal.wait(for: "the first tick's rows") { screen in
      screen.text.contains("ScanId") && !screen.lines.contains { $0.hasPrefix("+") }
    }
    // The terminal is tall enough for every running scan and the failing line both.
    let rowsBefore = Self.scanIds(terminal.screen)
    #expect(!rowsBefore.isEmpty)
    simulator.stop()
    // The failing line, with the last good rows still on screen (waited for whole: a screen caught
    // mid-redraw has only some of them).
    try await terminal.wait(for: "the failing line over the last good rows") { screen in
      screen.text.contains("ticks failing since ") && Self.scanIds(screen).isSuperset(of: rowsBefore)
    }
    simulator = try SimulatorProcess(["--clock-speed", "0", "--port", String(port)])
    // Back (the same data: its clock is stopped): the failing line goes, and the rows the watch
    // already knew are not shown as added again.
    try await terminal.wait(for: "the watch resumed", limit: .seconds(60)) { !$0.text.contains("ticks failing") }
    #expect(!terminal.screen.lines.contains { $0.hasPrefix("+") }, "\(terminal.screen.text)")
    terminal.press(.ctrlC)
    try await terminal.waitForLine("scansh(env)>")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }
}
