import Foundation
import TestSupport
import Testing

/// SIGTERM and SIGHUP, as a session manager sends them: the terminal is given back (main screen,
/// cursor shown, the line editor's mode undone), history is on disk, and the exit code is 143 or 129.
@Suite(.serialized)
struct SignalTests {
  @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
  func atThePrompt(_ signal: Int32, _ code: Int32) async throws {
    let state = StateFolder()
    let terminal = try PseudoTerminal(arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": state.path]))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | count\r")
    try await terminal.wait(for: "\n240")
    try await terminal.waitForLine("scansh(demo)>")
    kill(terminal.pid, signal)
    #expect(try await terminal.waitForExit() == code)
    #expect(try String(contentsOfFile: state.history, encoding: .utf8) == "scans | count\n")
  }

  @Test func duringAWatchOnATerminal() async throws {
    let state = StateFolder()
    let terminal = try PseudoTerminal(
      arguments: ["--demo"],
      environment: Scansh.environment([
        "XDG_STATE_HOME": state.path, "SCANSH_DEMO_EPOCH": "2026-11-02T09:00:00Z", "SCANSH_DEMO_CLOCK_SPEED": "60",
      ]))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans where status = running | watch 1s\r")
    try await terminal.wait(for: "the watch screen") { $0.lines[0] == "scans where status = running | watch 1s" }
    kill(terminal.pid, SIGTERM)
    #expect(try await terminal.waitForExit() == 143)
    // The alternate screen was left and the cursor shown again before the exit.
    let transcript = String(decoding: terminal.transcript, as: UTF8.self)
    let entered = try #require(transcript.range(of: "\u{1B}[?1049h"))
    #expect(transcript[entered.upperBound...].contains("\u{1B}[?25h\u{1B}[?1049l"))
    #expect(try String(contentsOfFile: state.history, encoding: .utf8) == "scans where status = running | watch 1s\n")
  }

  @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
  func duringALongListingInAScript(_ signal: Int32, _ code: Int32) async throws {
    let simulator = try SimulatorProcess(["--latency", "30s"])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Scansh.path)
    process.arguments = ["--endpoint", simulator.endpoint, "-c", "scans | save out.ndjson"]
    process.environment = simulator.environment()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-sig-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    process.currentDirectoryURL = folder
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Signal once the request is in flight (the simulator has it), not before.
    try await eventually("the request at the simulator") {
      try simulator.get("/_sim/stats").hasPrefix("{\"requests\":1")
    }
    kill(process.processIdentifier, signal)
    try await offload { process.waitUntilExit() }
    #expect(process.terminationStatus == code)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
  }
}
