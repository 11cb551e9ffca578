import CEditLine
import QueryLanguage
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The interactive shell: a libedit prompt, history that survives sessions, Tab completion,
/// continuation lines for unfinished statements, and Ctrl-C that cancels instead of quitting.
public final class REPL {
  public static let continuationPrompt = "       …> "

  private let session: Session
  private let historyFile: HistoryFile?
  private let entries: HistoryEntries
  private let output: any TextSink
  private let errors: any TextSink
  private let progress: ProgressLine?
  private var editor: LineEditor!
  /// The accounts in use, as the last statement left them: the prompt names them.
  private var accounts: [String]
  /// A history file that cannot be written is said once; the session goes on.
  private var historyWarned = false

  /// `entries` is the history read from `historyFile` (`HistoryEntries(reading:)`), which the
  /// session's `history` command lists too.
  public init(
    session: Session, history entries: HistoryEntries, historyFile: HistoryFile?, output: any TextSink,
    errors: any TextSink, progress: ProgressLine?
  ) {
    self.session = session
    self.entries = entries
    self.historyFile = historyFile
    self.output = output
    self.errors = errors
    self.progress = progress
    self.accounts = session.accounts
  }

  public var primaryPrompt: String {
    "scansh(\(Self.promptName(session.options.connection, accounts: accounts)))> "
  }

  /// `demo`, `prod@cn-hangzhou`; with several accounts `prod+staging`, and past three `prod+3`.
  static func promptName(_ connection: ConnectionSummary, accounts: [String]) -> String {
    guard accounts.count > 1 else { return connection.promptName }
    return accounts.count <= 3 ? accounts.joined(separator: "+") : "\(accounts[0])+\(accounts.count - 1)"
  }

  public static func banner(_ connection: ConnectionSummary) -> String {
    let target =
      connection.isDemo
      ? "demo mode (a built-in simulator; "
        + (connection.demoAsked ? "--demo asked for it)" : "no credentials were found)")
      : "\(connection.endpoint) with \(connection.source)" + (connection.region.map { ", region \($0)" } ?? "")
    return "scansh \(AppInfo.version) · Cloud Security Scanner shell\n"
      + "connected to \(target)\n"
      + "'help' to begin · Tab completes · Ctrl-R searches · Ctrl-C cancels · Ctrl-D leaves\n"
  }

  /// Runs until `exit`, `quit` or Ctrl-D on an empty line.
  public func run() -> ExitCode {
    guard scansh_signals_install() == 0 else {
      errors.write("error: cannot install signal handlers\n")
      return .usage
    }
    defer { scansh_signals_restore() }
    _ = scansh_set_utf8_locale()
    // Only the interactive shell needs libedit; scripts and -c run without it.
    if let why = scansh_editline_load() {
      errors.write(
        "error: the interactive shell needs libedit, which cannot be loaded (\(String(cString: why)))\n"
          + "help: install it (Debian and Ubuntu: apt-get install -y libedit2), or run statements with -c or a script\n"
      )
      return .internalError
    }
    let known = session.known
    editor = LineEditor(
      program: "scansh",
      complete: { line, cursor in Completer.complete(line, cursor: cursor, values: { known.values(for: $0) }) },
      writeListing: { [output] text in output.write(text) },
      historyEntries: { [entries] in entries.all })
    guard editor != nil else {
      errors.write("error: cannot start the line editor\n")
      return .usage
    }
    for entry in entries.all { editor.remember(entry) }
    output.write(Self.banner(session.options.connection))
    if entries.skipped > 0, let historyFile {
      errors.write(
        "warning: skipped \(entries.skipped) unreadable \(entries.skipped == 1 ? "line" : "lines") of \(historyFile.path)\n"
      )
    }

    var pending: [String] = []
    while true {
      switch editor.read(prompt: pending.isEmpty ? primaryPrompt : Self.continuationPrompt) {
      case .endOfInput:
        output.write("\n")
        let signal = scansh_terminate_signal()
        // SIGTERM or SIGHUP at the prompt: the editor has let go of the terminal; history is saved.
        if signal != 0 { return .signaled(signal) }
        if pending.isEmpty { return .success }
        pending = []
      case .interrupted:
        output.write("\n")
        pending = []
      case .line(let line):
        pending.append(line)
        let statement = pending.joined(separator: "\n")
        if statement.allSatisfy(\.isWhitespace) {
          pending = []
          continue
        }
        // The parse that says whether the statement is complete is the one that runs.
        let parsed = session.parse(SourceText(statement))
        if parsed.isIncomplete { continue }
        pending = []
        remember(statement)
        if run(parsed).exited { return .success }
        let signal = scansh_terminate_signal()
        if signal != 0 { return .signaled(signal) }
      }
    }
  }

  private func remember(_ statement: String) {
    let updated = HistoryFile.adding(statement, to: entries.all)
    guard updated != entries.all else { return }
    entries.set(updated)
    editor.remember(updated[updated.count - 1])
    do {
      // Appended to the file as it is now, under a lock, so another shell's lines stay too.
      // A webhook URL holds a token: the history keeps it masked.
      try historyFile?.append(SecretText.maskURLs(in: statement))
    } catch {
      guard !historyWarned else { return }
      historyWarned = true
      errors.write(
        "warning: cannot save history to \(historyFile?.path ?? "?"): \((error as? SystemError)?.reason ?? "\(error)"); "
          + "this session's statements are kept in memory only\n")
    }
  }

  /// Runs a statement on the cooperative pool while this thread waits for it or for Ctrl-C, which
  /// cancels it: in-flight requests are cancelled and an unfinished `save` leaves nothing behind.
  private func run(_ parsed: Session.Parsed) -> Session.Result {
    let session = session
    progress?.begin()
    defer { progress?.end() }
    let interruption = Blocking.Interruption(descriptor: scansh_signal_fd()) {
      scansh_signal_drain()
      if scansh_terminate_signal() != 0 { return true }
      guard scansh_sigint_pending() != 0 else { return false }
      scansh_sigint_clear()
      return true
    }
    let (result, _) = Blocking.run(interruption: interruption) { await session.run(parsed) }
    switch result {
    case .success(let outcome):
      accounts = outcome.accounts
      return outcome
    case .failure(let error):
      // The statement never ran: the bridge to it failed (its task reports everything else).
      return Session.Result(
        code: Presenter.reported(error, to: errors), exited: false, settings: session.settings, accounts: accounts)
    }
  }
}

/// The interactive shell's history, shared with the session's `history` command.
public final class HistoryEntries: Sendable {
  private let entries: Mutex<[String]>
  /// Lines of the history file that could not be read (said once, at start).
  public let skipped: Int

  public init(_ entries: [String], skipped: Int = 0) {
    self.entries = Mutex(entries)
    self.skipped = skipped
  }

  /// What `file` holds now; none without one.
  public convenience init(reading file: HistoryFile?) {
    let history = file?.read() ?? (entries: [], skipped: 0)
    self.init(history.entries, skipped: history.skipped)
  }

  public var all: [String] { entries.withLock { $0 } }

  func set(_ new: [String]) { entries.withLock { $0 = new } }
}
