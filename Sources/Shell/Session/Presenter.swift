import QueryEngine
import QueryLanguage
import ScanAPI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The one place an error becomes text and an exit code. Each layer throws its own small set of
/// errors (README "Errors and exit codes"); every case of each is mapped here, by name.
public enum Presenter {
  public struct Report: Sendable, Equatable {
    public var text: String
    public var code: ExitCode
  }

  public static func report(_ error: any Error, source: SourceText? = nil) -> Report {
    switch Failure(error) {
    case .diagnostics(let diagnostics):
      return Report(text: DiagnosticRenderer.render(diagnostics), code: .usage)
    case .diagnostic(let diagnostic):
      return Report(text: DiagnosticRenderer.render(diagnostic, in: source ?? SourceText("")), code: .usage)
    case .expectation(let failure):
      return Report(text: "expect failed: \(failure)\n", code: .checkFailed)
    case .api(let error):
      return Report(text: "error: \(error)\n", code: code(for: error))
    case .load(let failure):
      return Report(text: "error: cannot load \(failure)\n", code: .usage)
    case .evaluation(let error):
      return Report(text: "error: \(error)\n", code: code(for: error))
    case .shell(let error):
      // A sourced script has reported its own errors.
      if case .sourcedScriptFailed = error { return Report(text: "", code: error.exitCode) }
      return Report(text: "error: \(error)\n", code: error.exitCode)
    case .cancelled:
      return Report(text: "interrupted\n", code: .interrupted)
    case .unforeseen(let description):
      return Report(text: "internal error: \(description) (please report this)\n", code: .internalError)
    }
  }

  /// Writes the error's text to `errors` and returns its exit code.
  public static func reported(_ error: any Error, to errors: any TextSink) -> ExitCode {
    let report = report(error)
    errors.write(report.text)
    return report.code
  }

  static func code(for error: ScanAPIError) -> ExitCode {
    switch error {
    case .network: .network
    case .invalidEndpoint, .credentials: .usage
    case .api, .malformedResponse, .credentialCall: .api
    }
  }

  static func code(for error: EvaluationError) -> ExitCode {
    switch error {
    case .tooManyRowsToSort, .tooManyDistinctValues: .usage
    case .save: .io
    case .accountFailed(_, let error): code(for: error)
    }
  }

  /// Every error scansh's layers throw, so that the switch above names each; anything else is a bug.
  enum Failure {
    case diagnostics(Diagnostics)
    case diagnostic(Diagnostic)
    case expectation(ExpectationFailure)
    case api(ScanAPIError)
    case load(ScanFileReader.Failure)
    case evaluation(EvaluationError)
    case shell(ShellError)
    case cancelled
    case unforeseen(String)

    /// Sorts an error into its layer's set; what fits none is `unforeseen`.
    init(_ error: any Error) {
      if let error = error as? Diagnostics {
        self = .diagnostics(error)
      } else if let error = error as? Diagnostic {
        self = .diagnostic(error)
      } else if let error = error as? ExpectationFailure {
        self = .expectation(error)
      } else if let error = error as? ScanAPIError {
        self = .api(error)
      } else if let error = error as? ScanFileReader.Failure {
        self = .load(error)
      } else if let error = error as? EvaluationError {
        self = .evaluation(error)
      } else if let error = error as? ShellError {
        self = .shell(error)
      } else if error is CancellationError {
        self = .cancelled
      } else {
        self = .unforeseen(String(describing: error))
      }
    }
  }
}

/// Failures of the shell's own making.
public enum ShellError: Error, Sendable, Equatable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case sourceTooDeep(Int)
  /// A `source`d script failed with this code; it has reported why itself.
  case sourcedScriptFailed(ExitCode)
  case watchGaveUp(String)
  /// Ticks failed in a row; the last one's message and exit code.
  case watchFailedTicks(Int, String, ExitCode)
  case notAvailable(String)
  /// Demo mode's built-in simulator could not start.
  case demoDidNotStart(String)
  /// Actions after a watch failed (`exec`, `post`, …): how many of how many runs.
  case watchActionsFailed(Int, of: Int)
  /// Reports that were not saved (`report`): each run and why; the others were saved.
  case reportsNotSaved([String], saved: Int, of: Int)
  /// The bridge from the shell's thread to a statement's task could not be made (no descriptors).
  case bridgeFailed(String)

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
    case .sourceTooDeep(let limit): "'source' nested more than \(limit) files deep"
    case .sourcedScriptFailed(let code): "the sourced script failed (exit \(code.rawValue))"
    case .watchGaveUp(let message): message
    case .watchFailedTicks(let count, let last, _): "watch stopped after \(count) failed ticks in a row; last: \(last)"
    case .notAvailable(let what): what
    case .demoDidNotStart(let reason): "demo mode could not start its simulator: \(reason)"
    case .bridgeFailed(let reason): "cannot run the statement: \(reason)"
    case .watchActionsFailed(let failed, let total):
      "\(failed) of \(total) \(total == 1 ? "action" : "actions") after the watch failed (warned above)"
    case .reportsNotSaved(let runs, let saved, let total):
      "\(total - saved) of \(total) \(total == 1 ? "report was" : "reports were") not saved:\n"
        + runs.map { "  " + $0 }.joined(separator: "\n")
    }
  }

  var exitCode: ExitCode {
    switch self {
    case .cannotRead, .sourceTooDeep, .notAvailable: .usage
    case .sourcedScriptFailed(let code): code
    case .watchGaveUp: .checkFailed
    case .watchFailedTicks(_, _, let code): code
    case .demoDidNotStart: .network
    case .bridgeFailed: .internalError
    case .reportsNotSaved: .api
    case .watchActionsFailed: .checkFailed
    }
  }
}
