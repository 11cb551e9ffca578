import Formatters
import QueryEngine
import QueryLanguage
import ScanAPI
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Runs statements: parses and checks them, plans and evaluates pipelines, runs commands, prints
/// results and reports failures. One statement at a time; the REPL and scripts both drive it.
///
/// What it is given (`Options`) is fixed at init; what statements change (settings, parameters,
/// the accounts in use) is `State`, behind a lock, and each run returns it in its `Result`. Every
/// stored property is a `let` of a `Sendable` type, so the compiler proves the class `Sendable`.
public final class Session: Sendable {
  public struct Options: Sendable {
    public var connection: ConnectionSummary
    /// `--format`; `set format` and the `format` stage override it.
    public var format: OutputFormat?
    public var keepGoing = false
    /// `--var NAME=VALUE`: parameters the scripts and `-c` statements declare.
    public var variables: [String: String] = [:]
    /// False with `--no-color` or `NO_COLOR`.
    public var colorAllowed = true
    public var outputIsTerminal = false
    public var terminalWidth: @Sendable () -> Int? = { nil }
    public var terminalHeight: @Sendable () -> Int? = { nil }
    /// Where relative paths in `load`, `save` and `source` point; nil for the working directory.
    public var directory: URL?
    /// Running the REPL: a watch keeps trying after failed ticks until Ctrl-C.
    public var interactive = false
    /// The accounts in use at the start, in order (one, unless `--profile a,b` or `--all-profiles`);
    /// `use` changes them (`Result.accounts`).
    public var accounts: [String] = []
    /// The settings at the start (`--page-size`, `--concurrency`); `set` changes them.
    public var settings = Settings()
    /// `show config`: each account's connection and credentials; nil for `connection.lines`.
    public var describeConnection: (@Sendable () async -> [String])?
    /// `use NAME, …`: switches the accounts and returns the names now in use.
    public var useAccounts: (@Sendable ([String]) async throws -> [String])?
    /// What long results on a terminal go through (`$PAGER`, else `less -FRXK`); nil for none.
    public var pagerCommand: String?
    /// Told when a pipeline, or a watch's tick, has read its rows: demo mode starts its clock then.
    public var rowsRead: (@Sendable () async -> Void)?
    /// The proxy and trust the connection plan read from the environment: webhooks (`post`) go
    /// out as API requests do.
    public var network = NetworkSettings()
    /// The interactive shell's history, for the `history` command; nil where none is kept.
    public var history: (@Sendable () -> [String])?
    /// The REPL's status line, cleared before results are printed.
    public var progress: ProgressLine?
    /// Requests and throttling, counted by the client's event sink.
    public var requestStats = RequestStats()
    /// `--junit` and GitHub Actions: what each check did, recorded as statements end.
    public var checks: CheckLog?
    /// What a watch and report downloads wait on; nil for the system's clock over `now`.
    public var watchClock: (any ClientClock)?

    public init(connection: ConnectionSummary, format: OutputFormat? = nil) {
      self.connection = connection
      self.format = format
    }
  }

  /// How a run of statements ended, and what it left in force.
  public struct Result: Sendable, Equatable {
    public var code: ExitCode
    /// An `exit` or `quit` was run.
    public var exited: Bool
    /// The settings in force after the run (`set` changes them).
    public var settings: Settings
    /// The accounts in use after the run (`use` changes them).
    public var accounts: [String]

    public init(code: ExitCode, exited: Bool, settings: Settings = Settings(), accounts: [String] = []) {
      self.code = code
      self.exited = exited
      self.settings = settings
      self.accounts = accounts
    }
  }

  /// What statements change, carried from one to the next.
  struct State: Sendable {
    var settings: Settings
    /// The accounts in use, in order.
    var accounts: [String]
    /// Parameters the shell's `param` defined, and those in force in the last script run.
    var parameters: [String: ParameterValue] = [:]
    var parametersInForce: [String: ParameterValue] = [:]
    /// How deep `source` has nested.
    var sourceDepth = 0
  }

  public static let maxSourceDepth = 16

  public let options: Options
  public let known = KnownValues()
  let watchClock: any ClientClock
  let output: any TextSink
  let errors: any TextSink
  let evaluator: Evaluator
  let now: @Sendable () -> Date
  private let state: Mutex<State>

  public init(
    options: Options, output: any TextSink, errors: any TextSink,
    accounts: @escaping @Sendable () async throws -> [AccountClient], now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.options = options
    self.output = output
    self.errors = errors
    self.evaluator = Evaluator(accounts: accounts, directory: options.directory)
    self.now = now
    self.watchClock = options.watchClock ?? SystemClock(wallClock: now)
    self.state = Mutex(State(settings: options.settings, accounts: options.accounts))
  }

  /// One account: its rows' `Account` is `options.accounts`' first name, else `env`.
  public convenience init(
    options: Options, output: any TextSink, errors: any TextSink,
    client: @escaping @Sendable () async throws -> ScanClient, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    let name = options.accounts.first ?? "env"
    self.init(
      options: options, output: output, errors: errors,
      accounts: { [AccountClient(name: name, client: try await client())] }, now: now)
  }

  /// The settings in force.
  public var settings: Settings { state.withLock { $0.settings } }
  /// The accounts in use.
  public var accounts: [String] { state.withLock { $0.accounts } }
  /// The parameters in force in the last script run, for `show params`.
  var parametersInForce: [String: ParameterValue] { state.withLock { $0.parametersInForce } }
  var progress: ProgressLine? { options.progress }
  var checks: CheckLog? { options.checks }
  var requestStats: RequestStats { options.requestStats }

  /// Changes what statements carry; the one way they do.
  func change<T: Sendable, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
    try state.withLock { (state) throws(E) -> T in try body(&state) }
  }

  private func result(_ code: ExitCode, exited: Bool) -> Result {
    state.withLock { Result(code: code, exited: exited, settings: $0.settings, accounts: $0.accounts) }
  }

  /// A statement or script parsed once, with the parameters in force: the REPL asks it whether
  /// the statement is complete (else it reads another line), then runs that same parse.
  public struct Parsed: Sendable {
    let source: SourceText
    let script: Script
    let syntaxErrors: Diagnostics?
    let scope: ParameterScope
    let inForce: [String: ParameterValue]

    /// The text ends inside a statement (an open quote or bracket, a trailing `|` or `\\`).
    public var isIncomplete: Bool { syntaxErrors?.isIncomplete == true }
  }

  public func parse(_ source: SourceText) -> Parsed {
    let given = options.variables.mapValues { ParameterValue($0, origin: "--var") }
    let defined = state.withLock { $0.parameters }
    let scope = ParameterScope(given: given, defined: defined, checksGiven: !options.interactive)
    let (script, syntaxErrors, inForce) = Parser.parse(source, parameters: scope)
    return Parsed(source: source, script: script, syntaxErrors: syntaxErrors, scope: scope, inForce: inForce)
  }

  public func run(_ source: SourceText) async -> Result {
    await run(parse(source))
  }

  /// Checks every statement first; with any error, reports them all and runs nothing. Then runs
  /// them in order. A failed `expect` is reported and the run goes on; any other error stops it,
  /// unless `keepGoing`.
  public func run(_ parsed: Parsed) async -> Result {
    let (source, script, scope) = (parsed.source, parsed.script, parsed.scope)
    change { $0.parametersInForce = parsed.inForce }
    var diagnostics = parsed.syntaxErrors?.items ?? []
    let checked = check(script, source: source)
    // What a `$name` stood for, where the binder found it wrong.
    diagnostics += checked.diagnostics.map { Parser.explain($0, in: source, parameters: scope) }
    checks?.begin(source)
    guard diagnostics.isEmpty else {
      let rendered = DiagnosticRenderer.render(Diagnostics(source: source, items: diagnostics))
      errors.write(rendered)
      if let first = diagnostics.first {
        let (line, column) = source.location(of: first.span.start)
        checks?.recordInvalid(source, message: rendered.trimmed(.newlines), line: line, column: column)
        checks?.skip(script.statements, in: source)
      }
      return result(.usage, exited: false)
    }
    var code = ExitCode.success
    let statements = script.statements
    for (index, statement) in statements.enumerated() {
      let started = ContinuousClock.now
      let seconds = { DurationText.seconds(ContinuousClock.now - started) }
      do {
        let flow = try await execute(statement, source: source, checked: checked.bound[index])
        if CheckLog.isCheck(statement) { checks?.record(statement, in: source, seconds: seconds(), outcome: .passed) }
        if flow == .exit {
          checks?.skip(statements[(index + 1)...], in: source)
          return result(code, exited: true)
        }
      } catch {
        let report = Presenter.report(error, source: source)
        errors.write(locate(report.text, statement: statement, source: source, error: error))
        code = max(code, report.code)
        // A sourced script has recorded its own checks.
        if let error = error as? ShellError, case .sourcedScriptFailed = error {
        } else {
          checks?.record(
            statement, in: source, seconds: seconds(), outcome: CheckLog.outcome(of: error, report: report))
        }
        if stops(after: report.code) {
          checks?.skip(statements[(index + 1)...], in: source)
          return result(code, exited: false)
        }
      }
    }
    return result(code, exited: false)
  }

  /// Runs scripts in order, by the same rule as statements: on after a failed `expect`, on after
  /// anything with `keepGoing`, never after an interruption or `exit`.
  public func run(_ scripts: [SourceText]) async -> Result {
    var code = ExitCode.success
    for (index, script) in scripts.enumerated() {
      let result = await run(script)
      code = max(code, result.code)
      if result.exited || stops(after: result.code) {
        // The scripts after a stop are in the reports too, their checks skipped.
        for later in scripts[(index + 1)...] {
          checks?.begin(later)
          checks?.skip(Parser.parse(later).script.statements, in: later)
        }
        return self.result(code, exited: result.exited)
      }
    }
    return result(code, exited: false)
  }

  /// Whether a run of statements or scripts ends after one that ended with `code`.
  func stops(after code: ExitCode) -> Bool {
    switch code {
    case .success, .checkFailed: false
    case .interrupted, .hungUp, .terminated: true
    case .usage, .api, .network, .io, .internalError: !options.keepGoing
    }
  }

  /// Errors found before running (unknown fields, type clashes, bad settings), and each
  /// pipeline's binding by statement index, which running it uses (`binding(_:source:checked:)`).
  func check(_ script: Script, source: SourceText) -> (diagnostics: [Diagnostic], bound: [Int: BoundPipeline]) {
    var diagnostics: [Diagnostic] = []
    var bound: [Int: BoundPipeline] = [:]
    var scratch = settings
    let binder = binder(for: source)
    for (index, statement) in script.statements.enumerated() {
      switch statement.kind {
      case .pipeline(let pipeline), .command(.explain(let pipeline)):
        do throws(Diagnostics) { bound[index] = try binder.bind(pipeline) } catch { diagnostics += error.items }
      case .command(.set(let name, let value)):
        do throws(Diagnostic) { try scratch.apply(name: name, value: value) } catch { diagnostics.append(error) }
      case .command(.help(let topic?)):
        do throws(Diagnostic) { _ = try HelpText.topic(topic) } catch { diagnostics.append(error) }
      case .command(.help(nil)), .command(.show), .command(.history), .command(.source), .command(.use),
        .command(.exit), .command(.param), .command(.report):
        break
      }
    }
    return (diagnostics, bound)
  }

  /// Scripts name the statement a runtime error stopped at; the REPL needs no reminder.
  private func locate(_ text: String, statement: Statement, source: SourceText, error: any Error) -> String {
    guard let name = source.name, !(error is Diagnostic), !(error is Diagnostics) else { return text }
    let line = source.location(of: statement.span.start).line
    let statementText = SecretText.maskURLs(in: source.slice(statement.span).replacingScalars("\n", with: " "))
    if error is ExpectationFailure { return "\(name):\(line): \(text)" }
    return text + "  in \(name):\(line): \(statementText)\n"
  }

  enum Flow { case next, exit }

  func execute(_ statement: Statement, source: SourceText, checked: BoundPipeline? = nil) async throws -> Flow {
    switch statement.kind {
    case .pipeline(let pipeline):
      try await runPipeline(pipeline, source: source, checked: checked)
    case .command(let command):
      return try await run(command, source: source, checked: checked)
    }
    return .next
  }
}
