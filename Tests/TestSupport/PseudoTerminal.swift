import CPseudoTerminal
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The built scansh on a real pseudo-terminal, driven as a person would: type, press keys, read
/// the screen. Waits are for what appears on the screen, with a generous limit only as a guard
/// against a hang.
public final class PseudoTerminal: @unchecked Sendable {
  public enum Key: String {
    case enter = "\r"
    case tab = "\t"
    case up = "\u{1B}[A"
    case left = "\u{1B}[D"
    case escape = "\u{1B}"
    case backspace = "\u{7F}"
    case ctrlG = "\u{07}"
    case ctrlC = "\u{03}"
    case ctrlD = "\u{04}"
    case ctrlR = "\u{12}"
    case ctrlU = "\u{15}"
  }

  public struct Timeout: Error, CustomStringConvertible {
    public var waitingFor: String
    public var screen: String
    /// The end of what the program wrote, escaped.
    public var recent: String = ""
    public var description: String {
      "timed out waiting for \(waitingFor); the screen was:\n\(screen)\nlast output: \(recent)"
    }
  }

  private var recentOutput: String {
    String(decoding: transcript.suffix(400), as: UTF8.self).unicodeScalars.map {
      $0.value < 0x20 || $0.value == 0x7F ? "\\x" + String($0.value, radix: 16) : String($0)
    }.joined()
  }

  public let pid: pid_t
  private let master: Int32
  public private(set) var screen: VirtualScreen
  /// Everything the program wrote.
  public private(set) var transcript: [UInt8] = []
  private var exitStatus: Int32?

  public init(
    arguments: [String], environment: [String: String], rows: Int = 30, columns: Int = 100
  ) throws {
    screen = VirtualScreen(rows: rows, columns: columns)
    let path = Scansh.path
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    var environment = environment
    environment["TERM"] = "xterm"
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var master: Int32 = -1
    pid = scansh_pty_spawn(path, argv, envp, UInt16(rows), UInt16(columns), &master)
    guard pid > 0 else { throw POSIXError(.ECHILD) }
    self.master = master
  }

  deinit {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    close(master)
  }

  /// Changes the terminal's size (the program gets SIGWINCH) and starts a fresh screen of that size.
  public func resize(rows: Int, columns: Int) {
    scansh_pty_resize(master, UInt16(rows), UInt16(columns))
    screen = VirtualScreen(rows: rows, columns: columns)
  }

  public func type(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(master, &bytes, bytes.count)
  }

  public func press(_ key: Key) { type(key.rawValue) }

  /// Types `text` the moment the program next writes `shown`, as a person typing ahead of the
  /// screen would: nothing is read or waited for in between.
  public func type(_ text: String, theMomentItShows shown: String, limit: Duration = .seconds(30)) async throws {
    try await offload {
      let wanted = Array(shown.utf8)
      let deadline = ContinuousClock.now + limit
      while true {
        if let found = self.transcript[self.typedAhead...].firstRange(of: wanted) {
          self.typedAhead = found.upperBound
          break
        }
        guard ContinuousClock.now < deadline, self.readAvailable(timeoutMilliseconds: 100) else {
          throw Timeout(waitingFor: "'\(shown)' to type at", screen: self.screen.text, recent: self.recentOutput)
        }
      }
      self.type(text)
    }
  }

  /// Where in the transcript `type(_:theMomentItShows:)` looks next.
  private var typedAhead = 0

  /// Whether the terminal itself echoes what is typed (cooked mode), as it does until the line
  /// editor takes it over.
  public var echoes: Bool {
    var settings = termios()
    guard tcgetattr(master, &settings) == 0 else { return false }
    return settings.c_lflag & tcflag_t(ECHO) != 0
  }

  /// Reads output until `condition` holds for the screen.
  @discardableResult
  public func wait(
    for description: String, limit: Duration = .seconds(30), _ condition: @escaping @Sendable (VirtualScreen) -> Bool
  ) async throws -> VirtualScreen {
    try await offload { try self.waitBlocking(for: description, limit: limit, condition) }
  }

  private func waitBlocking(
    for description: String, limit: Duration, _ condition: (VirtualScreen) -> Bool
  ) throws -> VirtualScreen {
    let deadline = ContinuousClock.now + limit
    while !condition(screen) {
      guard ContinuousClock.now < deadline else {
        throw Timeout(waitingFor: description, screen: screen.text, recent: recentOutput)
      }
      guard readAvailable(timeoutMilliseconds: 100) else {
        if condition(screen) { break }
        throw Timeout(waitingFor: description + " (the program closed the terminal)", screen: screen.text)
      }
    }
    return screen
  }

  /// Waits until the screen contains `text`.
  @discardableResult
  public func wait(for text: String, limit: Duration = .seconds(30)) async throws -> VirtualScreen {
    try await wait(for: "'\(text)'", limit: limit) { $0.text.contains(text) }
  }

  /// Waits until the cursor's line is exactly `line`.
  @discardableResult
  public func waitForLine(_ line: String) async throws -> VirtualScreen {
    try await wait(for: "the line '\(line)'") { $0.currentLine == line }
  }

  /// False when the terminal closed.
  private func readAvailable(timeoutMilliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, timeoutMilliseconds) > 0 else { return true }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = read(master, &buffer, buffer.count)
    guard count > 0 else { return false }
    transcript += buffer[0..<count]
    screen.feed(Array(buffer[0..<count]))
    return true
  }

  /// Waits for the program to exit, draining its output, and returns its exit status.
  public func waitForExit(limit: Duration = .seconds(30)) async throws -> Int32 {
    try await offload { try self.waitForExitBlocking(limit: limit) }
  }

  private func waitForExitBlocking(limit: Duration) throws -> Int32 {
    let deadline = ContinuousClock.now + limit
    while true {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid {
        while readAvailable(timeoutMilliseconds: 0), hasPendingOutput() {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
      }
      guard ContinuousClock.now < deadline else {
        throw Timeout(waitingFor: "the program to exit", screen: screen.text)
      }
      _ = readAvailable(timeoutMilliseconds: 100)
    }
  }

  private func hasPendingOutput() -> Bool {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
  }
}
