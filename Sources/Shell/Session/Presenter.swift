import QueryEngine
import QueryLanguage
import ScanAPI

/// The one place an error becomes text and an exit code.
public enum Presenter {
  public struct Report: Sendable, Equatable {
    public var text: String
    public var code: ExitCode
  }

  public static func report(_ error: any Error, source: SourceText? = nil) -> Report {
    switch error {
    case let diagnostics as Diagnostics:
      return Report(text: DiagnosticRenderer.render(diagnostics), code: .usage)
    case let diagnostic as Diagnostic:
      let source = source ?? SourceText("")
      return Report(text: DiagnosticRenderer.render(diagnostic, in: source), code: .usage)
    case let failure as ExpectationFailure:
      return Report(text: "expect failed: \(failure)\n", code: .checkFailed)
    case let error as ScanAPIError:
      switch error {
      case .network: return Report(text: "error: \(error)\n", code: .network)
      case .invalidEndpoint, .credentials: return Report(text: "error: \(error)\n", code: .usage)
      case .api, .malformedResponse: return Report(text: "error: \(error)\n", code: .api)
      }
    case let failure as ScanFileReader.Failure:
      return Report(text: "error: cannot load \(failure)\n", code: .usage)
    case let error as EvaluationError:
      return Report(text: "error: \(error)\n", code: .usage)
    case let error as ShellError:
      return Report(text: "error: \(error)\n", code: error.exitCode)
    case let failure as SourcedScriptFailed:
      // The sourced script has reported its own errors.
      return Report(text: "", code: failure.code)
    case is CancellationError:
      return Report(text: "interrupted\n", code: .interrupted)
    default:
      return Report(text: "error: \(error)\n", code: .api)
    }
  }
}

/// Failures of the shell's own making.
public enum ShellError: Error, Sendable, Equatable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case sourceTooDeep(Int)
  case watchGaveUp(String)
  case watchFailedTicks(Int, String)
  case notAvailable(String)

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
    case .sourceTooDeep(let limit): "'source' nested more than \(limit) files deep"
    case .watchGaveUp(let message): message
    case .watchFailedTicks(let count, let last): "watch stopped after \(count) failed ticks in a row; last: \(last)"
    case .notAvailable(let what): what
    }
  }

  var exitCode: ExitCode {
    switch self {
    case .watchGaveUp: .checkFailed
    case .watchFailedTicks: .api
    default: .usage
    }
  }
}
