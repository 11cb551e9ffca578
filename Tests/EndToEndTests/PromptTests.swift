import Foundation
import TestSupport
import Testing

/// The prompt as a bash or zsh user expects it, through a real pseudo-terminal: Ctrl-R's reverse
/// search, `help` wrapped at words to the terminal, and a watch's first tick drawn plain.
@Suite(.serialized)
struct PromptTests {
  static func demo(_ state: StateFolder, columns: Int = 100) async throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      arguments: [], environment: Scansh.environment(["XDG_STATE_HOME": state.path]), rows: 60, columns: columns)
    try await terminal.waitForLine("scansh(demo)>")
    return terminal
  }

  /// A state folder whose history holds these statements, oldest first.
  static func history(_ entries: [String]) throws -> StateFolder {
    let state = StateFolder()
    try FileManager.default.createDirectory(atPath: state.path + "/scansh", withIntermediateDirectories: true)
    try entries.map { $0 + "\n" }.joined().write(toFile: state.history, atomically: true, encoding: .utf8)
    return state
  }

  static func noSearchLeft(_ screen: VirtualScreen) -> Bool { !screen.text.contains("reverse-i-search") }

  @Test func ctrlRSearchesHistoryAsBashDoes() async throws {
    let state = try Self.history(["scans | count", "explain scans | count", "scans | group status", "help where"])
    let terminal = try await Self.demo(state)
    // Search: each key narrows it, from the newest line back.
    terminal.press(.ctrlR)
    try await terminal.waitForLine("(reverse-i-search)'':")
    terminal.type("sc")
    try await terminal.waitForLine("(reverse-i-search)'sc': scans | group status")
    // Repeat: Ctrl-R finds the next older line; Backspace undoes it.
    terminal.press(.ctrlR)
    try await terminal.waitForLine("(reverse-i-search)'sc': explain scans | count")
    terminal.press(.backspace)
    try await terminal.waitForLine("(reverse-i-search)'sc': scans | group status")
    terminal.press(.ctrlR)
    try await terminal.waitForLine("(reverse-i-search)'sc': explain scans | count")
    // Escape: the line found is left to edit, on a clean prompt; arrows then move in it.
    terminal.press(.escape)
    var screen = try await terminal.waitForLine("scansh(demo)> explain scans | count")
    #expect(Self.noSearchLeft(screen), "\(screen.text)")
    terminal.press(.left)
    terminal.press(.left)
    terminal.type("X")
    try await terminal.waitForLine("scansh(demo)> explain scans | couXnt")
    terminal.press(.ctrlU)
    try await terminal.waitForLine("scansh(demo)>")
    // A query nothing holds says so, and keeps the last line found; Ctrl-G gives up.
    terminal.press(.ctrlR)
    terminal.type("groupz")
    try await terminal.waitForLine("(failed reverse-i-search)'groupz': scans | group status")
    terminal.press(.ctrlG)
    screen = try await terminal.waitForLine("scansh(demo)>")
    #expect(Self.noSearchLeft(screen), "\(screen.text)")
    // Ctrl-C: the search goes, the line is cancelled, and a fresh prompt follows.
    terminal.type("scans")
    terminal.press(.ctrlR)
    terminal.type("grou")
    try await terminal.waitForLine("(reverse-i-search)'grou': scans | group status")
    terminal.press(.ctrlC)
    screen = try await terminal.wait(for: "a fresh prompt under the cancelled line") { screen in
      screen.currentLine == "scansh(demo)>" && screen.lines.contains("scansh(demo)> scans")
    }
    #expect(Self.noSearchLeft(screen), "\(screen.text)")
    // Enter runs the line found.
    terminal.press(.ctrlR)
    terminal.type("expl")
    try await terminal.waitForLine("(reverse-i-search)'expl': explain scans | count")
    terminal.press(.enter)
    screen = try await terminal.wait(for: "requests  exactly 1")
    #expect(screen.lines.contains("scansh(demo)> explain scans | count"), "\(screen.text)")
    #expect(Self.noSearchLeft(screen), "\(screen.text)")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }

  /// The overview at a width, as the screen shows it after `help`.
  static func help(columns: Int) async throws -> [String] {
    let state = StateFolder()
    let terminal = try await Self.demo(state, columns: columns)
    terminal.type("help\r")
    let screen = try await terminal.wait(for: "help's last line") { $0.text.contains("lists the fields.") }
    terminal.type("exit\r")
    _ = try await terminal.waitForExit()
    return screen.lines
  }

  @Test func helpWrapsAtWordsToTheTerminal() async throws {
    let narrow = try await Self.help(columns: 60)
    #expect(narrow.allSatisfy { $0.count <= 60 }, "\(narrow.joined(separator: "\n"))")
    #expect(narrow.contains("  explain   Show the plan: API parameters, client-side"))
    #expect(narrow.contains("            stages, requests expected."))
    #expect(narrow.contains("  save      Write the rows to PATH as ndjson (atomically: a"))
    #expect(narrow.contains("            temporary file, then a rename)."))
    let wide = try await Self.help(columns: 130)
    #expect(
      wide.contains(
        "  select    Keep only these fields, in this order (`*`: every field, in the catalog's order)."))
  }

  @Test func helpWrapsAt80ColumnsWhenNotOnATerminal() async throws {
    let output = try await Scansh.run(["-c", "help"], environment: Scansh.environment())
    let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(output.status == 0)
    #expect(lines.allSatisfy { $0.count <= 80 }, "\(output.stdout)")
    #expect(lines.contains { $0.hasPrefix("  select    Keep only these fields") })
  }

  @Test func aWatchsFirstTickMarksNoRowAsNew() async throws {
    let state = StateFolder()
    let terminal = try await Self.demo(state)
    terminal.type("scans where status = running | first 5 | watch 1m\r")
    // Waited for whole: five rows with their progress bars under the header.
    let screen = try await terminal.wait(for: "the first tick's rows") { screen in
      screen.lines.first == "scans where status = running | first 5 | watch 1m"
        && screen.lines.filter { $0.contains("%]") || $0.hasSuffix("%") }.count >= 5
    }
    #expect(!screen.lines.contains { $0.hasPrefix("+") }, "\(screen.text)")
    terminal.press(.ctrlC)
    try await terminal.waitForLine("scansh(demo)>")
    terminal.type("exit\r")
    #expect(try await terminal.waitForExit() == 0)
  }
}
