import QueryLanguage
import ScanAPI
import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Wires a session from the command line's options and runs scripts, or the REPL when `scripts`
/// is nil. The executable parses options and calls this; everything with a rule in it is here.
public enum Launcher {
  public static func run(
    _ options: LaunchOptions, scripts: [SourceText]?, environment: [String: String], startDemo: @escaping DemoStarter
  ) -> ExitCode {
    let errors = FileDescriptorSink.standardError
    let output = FileDescriptorSink.standardOutput
    let progress = ProgressLine(sink: errors)
    let stats = RequestStats()
    let events = ClientEventReporter.sink(verbose: options.verbose, errors: errors, progress: progress, stats: stats)
    let announced = Mutex(false)
    let made = Blocking.run {
      // Warnings are printed as found: a config others can read matters even when it then fails.
      try await AccountDirectory(
        options: options, environment: environment, events: events, startDemo: startDemo,
        announceDemo: { demo in
          // The REPL's banner says it; a script's output should not be mistaken for a real account's.
          let first = announced.withLock { done in
            defer { done = true }
            return !done
          }
          if scripts != nil, first { errors.write(demo.notice) }
        },
        warn: { errors.write("warning: \($0)\n") })
    }
    let reports = scripts.flatMap { CheckReports(options: options, environment: environment, scripts: $0) }
    let directory: AccountDirectory
    do {
      directory = try made.result.get()
    } catch {
      return reports?.failedToStart(error, output: output, errors: errors) ?? Presenter.reported(error, to: errors)
    }
    let (primary, accounts): (Connection, [String])
    switch Blocking.run({ (await directory.primary, await directory.selected) }).result {
    case .success(let made): (primary, accounts) = made
    case .failure(let error):
      return reports?.failedToStart(error, output: output, errors: errors) ?? Presenter.reported(error, to: errors)
    }
    let interactive = scripts == nil
    var sessionOptions = Session.Options(connection: primary.plan.summary, format: options.format)
    sessionOptions.accounts = accounts
    sessionOptions.network = primary.plan.network
    sessionOptions.keepGoing = options.keepGoing
    sessionOptions.variables = options.variables
    sessionOptions.colorAllowed = !options.noColor && (environment["NO_COLOR"] ?? "").isEmpty
    sessionOptions.outputIsTerminal = isatty(1) != 0
    sessionOptions.terminalWidth = { TerminalSize.columns() }
    sessionOptions.terminalHeight = { TerminalSize.rows() }
    sessionOptions.interactive = interactive
    sessionOptions.describeConnection = { await directory.describe() }
    sessionOptions.useAccounts = { try await directory.use($0) }
    sessionOptions.rowsRead = { await directory.startDemoClock() }
    sessionOptions.pagerCommand = options.noPager ? nil : Pager.command(environment: environment)
    sessionOptions.requestStats = stats
    sessionOptions.checks = reports?.log
    if let pageSize = options.pageSize { sessionOptions.settings.pageSize = pageSize }
    if let concurrency = options.concurrency { sessionOptions.settings.concurrency = concurrency }
    let historyFile = HistoryFile(path: HistoryFile.defaultPath(environment: environment))
    // The REPL reads the history and keeps it current; scripts list the file as it is.
    let history = HistoryEntries(reading: interactive ? historyFile : nil)
    sessionOptions.history = { interactive ? history.all : historyFile.load() }
    sessionOptions.progress = interactive ? progress : nil
    let session = Session(
      options: sessionOptions, output: output, errors: errors, accounts: { try await directory.clients() },
      now: { primary.now() })

    guard let scripts else {
      let repl = REPL(
        session: session, history: history, historyFile: historyFile, output: output, errors: errors,
        progress: progress)
      let code = repl.run()
      _ = Blocking.run { await directory.closeAll() }
      return code
    }
    let (result, signal) = Blocking.runInterruptibly {
      let result = await session.run(scripts)
      await directory.closeAll()
      return result.code
    }
    let code: ExitCode
    switch result {
    case .success(let ended): code = ended
    case .failure(let error):
      // The scripts never ran: the bridge to them failed (their task reports everything else).
      code = Presenter.reported(error, to: errors)
    }
    if let signal {
      // A statement that was running has said so, and where; between statements, say it here.
      if code != .interrupted { errors.write("interrupted\n") }
      _ = reports?.write(output: output, errors: errors)
      return .signaled(signal)
    }
    return max(code, reports?.write(output: output, errors: errors) ?? .success)
  }
}
