import QueryEngine
import QueryLanguage
import Synchronization
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What a run's checks did — every `expect` and `watch … until`, and every statement that failed
/// with an error — for the reports a CI system reads: JUnit XML, GitHub's annotations and summary.
/// The session records into it as statements end; the launcher writes the reports when the run
/// has ended, however it ended.
public final class CheckLog: Sendable {
  public struct Case: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
      case passed
      /// The check did not hold: one line saying so, and the rows that broke it, one line each.
      case failed(message: String, rows: [String])
      /// The statement stopped with an error (the API, the network, a file, an interruption).
      case error(message: String)
      /// Not run: an earlier statement stopped the run.
      case skipped
    }

    /// The script's name as given (`gate.scansh`, `-c`): JUnit's `classname`, GitHub's `file`.
    public var script: String
    /// The comment line right above the statement, else the statement on one line.
    public var name: String
    public var line: Int
    public var column: Int
    public var seconds: Double
    public var outcome: Outcome

    public init(script: String, name: String, line: Int, column: Int, seconds: Double, outcome: Outcome) {
      self.script = script
      self.name = name
      self.line = line
      self.column = column
      self.seconds = seconds
      self.outcome = outcome
    }
  }

  private let state = Mutex<(cases: [Case], scripts: [String])>(([], []))

  public init() {}

  public var cases: [Case] { state.withLock { $0.cases } }

  /// Every script the run took up, in order, those with no checks too: each is a test suite.
  public var scripts: [String] { state.withLock { $0.scripts } }

  func begin(_ source: SourceText) {
    let name = Self.scriptName(source)
    state.withLock { if !$0.scripts.contains(name) { $0.scripts.append(name) } }
  }

  func record(_ statement: Statement, in source: SourceText, seconds: Double, outcome: Case.Outcome) {
    let (line, column) = source.location(of: statement.span.start)
    let item = Case(
      script: Self.scriptName(source), name: Self.name(of: statement, in: source), line: line, column: column,
      seconds: seconds, outcome: outcome)
    state.withLock { $0.cases.append(item) }
  }

  /// A script that did not parse is one erroring case: nothing in it ran.
  func recordInvalid(
    _ source: SourceText, name: String = "the script is valid", message: String, line: Int, column: Int
  ) {
    let item = Case(
      script: Self.scriptName(source), name: name, line: line, column: column, seconds: 0,
      outcome: .error(message: message))
    state.withLock { $0.cases.append(item) }
  }

  /// The checks of statements that will not run, as skipped cases.
  func skip(_ statements: some Sequence<Statement>, in source: SourceText) {
    for statement in statements where Self.isCheck(statement) {
      record(statement, in: source, seconds: 0, outcome: .skipped)
    }
  }

  /// The outcome of a statement that threw `error`: a check that did not hold fails, anything else
  /// is an error.
  static func outcome(of error: any Error, report: Presenter.Report) -> Case.Outcome {
    if let failure = error as? ExpectationFailure {
      return .failed(message: failure.summary, rows: failure.examples + (failure.more ? ["…"] : []))
    }
    if let error = error as? ShellError, case .watchGaveUp(let message) = error {
      return .failed(message: message, rows: [])
    }
    if let error = error as? ShellError, case .watchActionsFailed = error {
      return .failed(message: error.description, rows: [])
    }
    var text = report.text.trimmed()
    if text.hasPrefix("error: ") { text.removeFirst("error: ".count) }
    return .error(message: text.isEmpty ? "exit \(report.code.rawValue)" : text)
  }

  /// An `expect` anywhere in the statement, or a watch with `until`.
  static func isCheck(_ statement: Statement) -> Bool {
    guard case .pipeline(let pipeline) = statement.kind else { return false }
    return pipeline.stages.contains { stage in
      switch stage.kind {
      case .expect: true
      case .watch(let spec): spec.until != nil
      default: false
      }
    }
  }

  static func scriptName(_ source: SourceText) -> String { source.name ?? "-c" }

  /// The comment on the line right above the statement (`# no critical findings` names it
  /// "no critical findings"), else the statement's own text on one line.
  static func name(of statement: Statement, in source: SourceText) -> String {
    let lineStart = source.lineRange(containing: statement.span.start).lowerBound
    if lineStart > 0 {
      let above = source.slice(Span(source.lineRange(containing: lineStart - 1).lowerBound, lineStart - 1))
      let trimmed = above.trimmed(.blanks)
      if trimmed.hasPrefix("#") {
        let comment = trimmed.drop { $0 == "#" }.trimmed(.blanks)
        if !comment.isEmpty { return comment }
      }
    }
    return SecretText.maskURLs(
      in: source.slice(statement.span).split(whereSeparator: \.isNewline)
        .map { $0.trimmed(.blanks) }.joined(separator: " "))
  }
}
