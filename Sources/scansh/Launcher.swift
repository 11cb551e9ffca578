import Foundation
import QueryLanguage
import ScanAPI
import Shell

/// Wires options into a session and runs scripts, or the REPL when `scripts` is nil.
enum Launcher {
  static func run(options: GlobalOptions, scripts: [SourceText]?) -> Shell.ExitCode {
    let errors = FileDescriptorSink.standardError
    let environment = ProcessInfo.processInfo.environment
    let progress = ProgressLine(sink: errors)
    let stats = RequestStats()
    let connection: Connection
    do {
      connection = try Connection(
        options: options, environment: environment,
        events: ClientEventPrinter.sink(verbose: options.verbose, errors: errors, progress: progress, stats: stats),
        announceDemo: {
          if scripts != nil {
            errors.write("scansh: demo mode: no credentials found, so statements run against the built-in simulator\n")
          }
        })
    } catch {
      let report = Presenter.report(error)
      errors.write(report.text)
      return report.code
    }
    var sessionOptions = Session.Options(connection: connection.summary, format: options.format)
    sessionOptions.keepGoing = options.keepGoing
    sessionOptions.colorAllowed = !options.noColor && (environment["NO_COLOR"] ?? "").isEmpty
    sessionOptions.outputIsTerminal = isatty(1) != 0
    sessionOptions.terminalWidth = { TerminalSize.columns() }
    sessionOptions.terminalHeight = { TerminalSize.rows() }
    sessionOptions.interactive = scripts == nil
    let session = Session(
      options: sessionOptions, output: FileDescriptorSink.standardOutput, errors: errors,
      client: { try await connection.client() }, now: { connection.now() })
    session.requestStats = stats
    let historyFile = HistoryFile(path: HistoryFile.defaultPath(environment: environment))
    // Scripts can list the interactive shell's history too; the REPL keeps it current.
    session.history = { historyFile.load() }
    if let pageSize = options.pageSize { session.settings.pageSize = pageSize }
    if let concurrency = options.concurrency { session.settings.concurrency = concurrency }

    guard let scripts else {
      session.progress = progress
      let repl = REPL(
        session: session, historyFile: historyFile,
        output: FileDescriptorSink.standardOutput, errors: errors, progress: progress)
      let code = repl.run()
      _ = try? runBlocking { await connection.close() }
      return code
    }
    let (result, interrupted) = Interruptible.run {
      var code = Shell.ExitCode.success
      for script in scripts {
        let result = await session.run(script)
        code = max(code, result.code)
        if result.exited || (result.code != .success && result.code != .checkFailed && !options.keepGoing) { break }
      }
      await connection.close()
      return code
    }
    if interrupted {
      // A statement that was running has said so, and where; between statements, say it here.
      if result != .interrupted { errors.write("interrupted\n") }
      return .interrupted
    }
    return result ?? .interrupted
  }
}
