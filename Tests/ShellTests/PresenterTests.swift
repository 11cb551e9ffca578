import QueryLanguage
import ScanAPI
import Testing

@testable import QueryEngine
@testable import Shell

/// Every error the layers throw, with the text and exit code the presenter gives it.
struct PresenterTests {
  struct Unforeseen: Error, CustomStringConvertible {
    var description: String { "a thing no layer declares" }
  }

  static let source = SourceText("scans | sort RunPrecent", name: "ci.scansh")
  static let diagnostic = Diagnostic("unknown field 'RunPrecent'", at: Span(13, 23), help: "did you mean 'RunPercent'?")

  @Test(arguments: [
    (
      Diagnostics(source: source, items: [diagnostic]) as any Error,
      "ci.scansh:1:14: error: unknown field 'RunPrecent'\n  scans | sort RunPrecent\n               ^^^^^^^^^^\nhelp: did you mean 'RunPercent'?\n",
      ExitCode.usage
    ),
    (
      ExpectationFailure(check: "empty", found: "found 2 rows") as any Error,
      "expect failed: expected empty, but found 2 rows\n",
      .checkFailed
    ),
    (
      ScanAPIError.network(endpoint: "https://avds.aliyuncs.com/", reason: "timed out") as any Error,
      "error: network error talking to https://avds.aliyuncs.com/: timed out\n", .network
    ),
    (ScanAPIError.credentials("no key") as any Error, "error: no key\n", .usage),
    (ScanAPIError.malformedResponse("no List") as any Error, "error: malformed response: no List\n", .api),
    (
      EvaluationError.save(path: "/ro/out.ndjson", reason: "Read-only file system") as any Error,
      "error: cannot save to /ro/out.ndjson: Read-only file system\n", .io
    ),
    (
      EvaluationError.tooManyRowsToSort(10) as any Error,
      "error: sort holds at most 10 rows; filter with 'where' before sorting\n", .usage
    ),
    (ShellError.sourcedScriptFailed(.checkFailed) as any Error, "", .checkFailed),
    (
      ShellError.watchFailedTicks(3, "HTTP 503", .api) as any Error,
      "error: watch stopped after 3 failed ticks in a row; last: HTTP 503\n", .api
    ),
    (
      ShellError.watchFailedTicks(3, "network error talking to http://127.0.0.1:9/", .network) as any Error,
      "error: watch stopped after 3 failed ticks in a row; last: network error talking to http://127.0.0.1:9/\n",
      .network
    ),
    (
      ShellError.demoDidNotStart("address in use") as any Error,
      "error: demo mode could not start its simulator: address in use\n", .network
    ),
    (CancellationError() as any Error, "interrupted\n", .interrupted),
    (Unforeseen() as any Error, "internal error: a thing no layer declares (please report this)\n", .internalError),
  ])
  func mapsEveryError(_ error: any Error, _ text: String, _ code: ExitCode) {
    #expect(Presenter.report(error) == Presenter.Report(text: text, code: code))
  }

  @Test func theMoreSeriousFailureWins() {
    #expect(max(ExitCode.checkFailed, .io) == .io)
    #expect(max(ExitCode.io, .internalError) == .internalError)
    #expect(max(ExitCode.internalError, .interrupted) == .interrupted)
  }
}
