import Foundation
import Simulator
import TestSupport
import Testing

/// The REPL through a real pseudo-terminal: the built binary, typed at as a person would.
@Suite(.serialized)
struct REPLTests {
  static func demo(_ state: StateFolder, extra: [String: String] = [:]) async throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": state.path].merging(extra) { $1 }))
    try await terminal.waitForLine("scansh(demo)>")
    return terminal
  }

  /// The shell connected to an in-process simulator with its test keys, at its prompt.
  static func connected(to simulator: RunningSimulator, _ state: StateFolder) async throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      arguments: ["--endpoint", simulator.endpoint],
      environment: Scansh.environment([
        "XDG_STATE_HOME": state.path, "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
      ]))
    try await terminal.waitForLine("scansh(env)>")
    return terminal
  }

  /// Demo data that does not move: counts are the same whenever the test runs.
  static let fixedDemo = ["SCANSH_DEMO_EPOCH": "2026-11-02T09:00:00Z", "SCANSH_DEMO_CLOCK_SPEED": "0"]

  /// A result taller than the terminal goes through $PAGER; a short one, or any with `set pager
  /// off`, is printed; Ctrl-C in the pager returns to the prompt.
  @Test func longResultsGoThroughThePager() async throws {
    let state = StateFolder()
    let paged = state.path + "-paged.txt"
    defer { try? FileManager.default.removeItem(atPath: paged) }
    let terminal = try await Self.demo(
      state, extra: ["PAGER": "cat > '\(paged)'", "NO_COLOR": "1"].merging(Self.fixedDemo) { $1 })
    terminal.type("scans | first 3 | select ScanId\r")
    try await terminal.wait(for: "(3 rows)")
    #expect(!FileManager.default.fileExists(atPath: paged))
    terminal.type("scans | select ScanId, Status\r")
    // Statements run one after another: once the next has printed, the paged one has ended.
    terminal.type("scans where status = running | count\r")
    try await terminal.wait(for: "\n19")
    let text = try String(contentsOfFile: paged, encoding: .utf8)
    #expect(text.hasPrefix("ScanId               Status\n"))
    #expect(text.hasSuffix("(240 rows)\n"))
    #expect(!terminal.screen.text.contains("(240 rows)"))
    terminal.type("set pager off\r")
    terminal.type("scans | select ScanId | first 40\r")
    try await terminal.wait(for: "(40 rows)")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func ctrlCInThePagerReturnsToThePrompt() async throws {
    let state = StateFolder()
    let started = state.path + "-pager-started"
    defer { try? FileManager.default.removeItem(atPath: started) }
    // A pager that says it started, never reads and never ends by itself: only Ctrl-C ends it.
    let terminal = try await Self.demo(
      state, extra: ["PAGER": "sh -c 'touch \(started); exec sleep 60'"].merging(Self.fixedDemo) { $1 })
    terminal.type("scans | select ScanId\r")
    let deadline = ContinuousClock.now + .seconds(30)
    while !FileManager.default.fileExists(atPath: started), ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(FileManager.default.fileExists(atPath: started))
    terminal.type("\u{03}")
    // Statements run one at a time: the next one's answer shows the pager ended and the prompt came
    // back. (Whether the listing was still streaming when Ctrl-C came decides if "interrupted" is
    // said; either way the shell goes on.)
    terminal.type("scans where status = running | count\r")
    try await terminal.wait(for: "\n19")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  /// A history file that cannot be written is said once and the session goes on; one that holds
  /// garbage loads with the bad lines skipped and said once.
  @Test func historyTroubleIsSaidOnceAndTheSessionGoesOn() async throws {
    let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-blocker-\(UUID().uuidString)")
    try Data("x".utf8).write(to: blocker)
    defer { try? FileManager.default.removeItem(at: blocker) }
    let terminal = try PseudoTerminal(
      arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": blocker.path].merging(Self.fixedDemo) { $1 }))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | count\r")
    terminal.type("scans where status = running | count\r")
    try await terminal.wait(for: "\n19")
    #expect(terminal.screen.text.components(separatedBy: "warning: cannot save history").count == 2)
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
    let state = StateFolder()
    try FileManager.default.createDirectory(atPath: state.path + "/scansh", withIntermediateDirectories: true)
    try (Data("scans | count\n".utf8) + Data([0xFF, 0xFE, 0x0A]) + Data("help\n".utf8)).write(
      to: URL(fileURLWithPath: state.history))
    let second = try await Self.demo(state)
    #expect(second.screen.text.contains("warning: skipped 1 unreadable line of /"))
    second.type("exit\r")
    #expect(try await second.waitForExit() == 0)
  }

  @Test func bannerAndPrompt() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    #expect(terminal.screen.lines[0] == "scansh 0.1.0 · Cloud Security Scanner shell")
    #expect(terminal.screen.lines[1] == "connected to demo mode (a built-in simulator; no credentials were found)")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func tabCompletesKeywordsFieldsAndValues() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("sca")
    terminal.press(.tab)
    try await terminal.waitForLine("scansh(demo)> scans")
    terminal.type("where status=runn")
    terminal.press(.tab)
    try await terminal.waitForLine("scansh(demo)> scans where status=running")
    terminal.type("| sort RunPer")
    terminal.press(.tab)
    try await terminal.waitForLine("scansh(demo)> scans where status=running | sort RunPercent")
    terminal.type("desc | first 2 | select ScanId, Status\r")
    try await terminal.wait(for: "(2 rows)")
    // Several candidates are listed below the line, and the line comes back as it was.
    terminal.type("scans | where sta")
    terminal.press(.tab)
    try await terminal.wait(for: "status     start      StartDate")
    try await terminal.waitForLine("scansh(demo)> scans | where sta")
    terminal.press(.ctrlD)
    terminal.press(.ctrlU)
    terminal.press(.ctrlD)
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func historyIsRecalledInTheNextSession() async throws {
    let state = StateFolder()
    do {
      let first = try await Self.demo(state)
      first.type("scans | count\r")
      try await first.wait(for: "240")
      first.type("scans where status = running | count\r")
      try await first.wait(for: "scansh(demo)> scans where status = running | count")
      first.type("quit\r")
      #expect(try await first.waitForExit() == 0)
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: state.history)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let second = try await Self.demo(state)
    second.press(.up)
    try await second.waitForLine("scansh(demo)> quit")
    second.press(.up)
    try await second.waitForLine("scansh(demo)> scans where status = running | count")
    second.press(.ctrlU)
    // Ctrl-R searches backwards through history.
    second.press(.ctrlR)
    second.type("| cou")
    try await second.waitForLine("(reverse-i-search)'| cou': scans where status = running | count")
    second.press(.ctrlR)
    try await second.waitForLine("(reverse-i-search)'| cou': scans | count")
    second.press(.ctrlC)
    try await second.waitForLine("scansh(demo)>")
    second.type("history\r")
    try await second.wait(for: "1  scans | count")
    second.type("exit\r")
    #expect(try await second.waitForExit() == 0)
  }

  @Test func ctrlCClearsTheLineAndTheShellGoesOn() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("scans | a half-typed")
    try await terminal.waitForLine("scansh(demo)> scans | a half-typed")
    terminal.press(.ctrlC)
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | count\r")
    try await terminal.wait(for: "240")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func ctrlCCancelsASlowStatement() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.latency = .seconds(30) }) { simulator in
      let state = StateFolder()
      let terminal = try await Self.connected(to: simulator, state)
      terminal.type("scans | count\r")
      // Interrupt once the request is at the server, waiting on its latency.
      try await eventually("the request at the simulator") { try await !simulator.loggedParameters().isEmpty }
      terminal.press(.ctrlC)
      try await terminal.wait(for: "interrupted")
      try await terminal.waitForLine("scansh(env)>")
      terminal.type("help count\r")
      try await terminal.wait(for: "Count the rows.")
      terminal.type("exit\r")
      #expect(try await terminal.waitForExit() == 0)
    }
  }

  @Test func tablesFitTheTerminalAfterAResize() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("scans | first 3\r")
    try await terminal.wait(for: "(3 rows)")
    #expect(terminal.screen.text.contains("RunPercent  StartDate"))
    terminal.resize(rows: 30, columns: 60)
    terminal.type("scans | first 3\r")
    try await terminal.wait(for: "(3 rows)")
    let table = terminal.screen.lines.filter { $0.hasPrefix("ScanId") || $0.hasPrefix("20") }
    #expect(table.count == 4)
    #expect(table.allSatisfy { $0.count <= 60 })
    #expect(table[0].hasPrefix("ScanId               Name"))
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func keysTypedAsThePromptShowsAreEchoedOnce() async throws {
    let state = StateFolder()
    let terminal = try PseudoTerminal(
      arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": state.path]), rows: 130)
    // Keys typed while the terminal still echoed would show twice: once from the terminal, once
    // from the editor. Typing the instant each prompt is written finds that window if it is there.
    let rounds = 60
    for _ in 1...rounds {
      try await terminal.type("scans | count\r", theMomentItShows: "scansh(demo)> ")
    }
    let screen = try await terminal.wait(for: "\(rounds) counts, then the prompt") { screen in
      screen.currentLine == "scansh(demo)>" && screen.lines.filter { $0 == "240" }.count == rounds
    }
    #expect(!terminal.echoes)
    #expect(screen.lines.filter { $0 == "scansh(demo)> scans | count" }.count == rounds)
    #expect(screen.lines.count { $0.contains("scans | count") } == rounds)
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func editrcIsHonoured() async throws {
    let state = StateFolder()
    let home = state.path + "/home"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    // ^G does nothing in emacs mode by default; here it moves to the start of the line.
    try "bind ^G ed-move-to-beg\n".write(toFile: home + "/.editrc", atomically: true, encoding: .utf8)
    let terminal = try PseudoTerminal(
      arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": state.path, "HOME": home]))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | count\u{07}#")
    try await terminal.waitForLine("scansh(demo)> #scans | count")
    terminal.press(.ctrlU)
    terminal.press(.ctrlD)
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func aSlowListingShowsProgressThenClearsIt() async throws {
    try await TestSimulator.with(TestSimulator.configuration { $0.latency = .milliseconds(700) }) { simulator in
      let state = StateFolder()
      let terminal = try await Self.connected(to: simulator, state)
      terminal.type("scans | where RunPercent >= 0 | count\r")
      try await terminal.wait(for: "reading page 1 of 3 · 100 scans")
      try await terminal.wait(for: "the count, and the prompt") { screen in
        screen.currentLine == "scansh(env)>" && screen.lines.contains("250")
      }
      #expect(!terminal.screen.text.contains("reading page"))
      terminal.type("exit\r")
      #expect(try await terminal.waitForExit() == 0)
    }
  }

  @Test func unfinishedStatementsContinue() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("scans where (status = running\r")
    try await terminal.waitForLine("       …>")
    terminal.type("or status = waiting) |\r")
    try await terminal.waitForLine("       …>")
    terminal.type("count | format json\r")
    try await terminal.wait(for: "{\"count\":")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  @Test func utf8InputAndErrorsWithCarets() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("scans | where name ~ 漏洞 and Nmae ~ é\r")
    try await terminal.wait(for: "help: did you mean 'Name'?")
    #expect(
      terminal.screen.text.contains("  scans | where name ~ 漏洞 and Nmae ~ é\n                                ^^^^"))
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("scans | where name ~ 漏洞 | select Name | first 1\r")
    try await terminal.wait(for: "(1 row)")
    #expect(terminal.screen.text.contains("漏洞"))
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }
}
