import QueryLanguage
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The reports a script run leaves for CI, from its `CheckLog`: `--junit FILE`, and under GitHub
/// Actions (`GITHUB_ACTIONS=true`) annotations on stdout and the job summary. Written once, when
/// the run has ended however it ended.
struct CheckReports {
  let log = CheckLog()
  let junit: String?
  /// `$GITHUB_STEP_SUMMARY` when GitHub Actions runs us; nil for no summary.
  let summary: String?
  let github: Bool

  /// Nil when no report is asked for.
  init?(options: LaunchOptions, environment: [String: String], scripts: [SourceText]) {
    junit = options.junit
    github = environment["GITHUB_ACTIONS"] == "true"
    summary = github ? environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 } : nil
    guard junit != nil || github else { return nil }
    for script in scripts { log.begin(script) }
  }

  /// Writes the reports; the exit code is `io` when a file could not be written, else success.
  func write(output: any TextSink, errors: any TextSink) -> ExitCode {
    var code = ExitCode.success
    if let junit {
      do {
        try JUnitReport.write(log, to: junit, timestamp: Date())
      } catch {
        errors.write("error: --junit: \(error)\n")
        code = .io
      }
    }
    if github {
      output.write(GitHubReport.commands(log))
      if let summary {
        do {
          try GitHubReport.appendSummary(log, to: summary)
        } catch {
          errors.write("warning: GITHUB_STEP_SUMMARY: \(error)\n")
        }
      }
    }
    return code
  }

  /// The run never reached its scripts (no credentials, no endpoint): the reports say so, as one
  /// erroring case, rather than not being there.
  func failedToStart(_ error: any Error, output: any TextSink, errors: any TextSink) -> ExitCode {
    let report = Presenter.report(error)
    errors.write(report.text)
    if let first = log.scripts.first {
      log.recordInvalid(
        SourceText("", name: first), name: "scansh connects",
        message: report.text.trimmed(), line: 1, column: 1)
    }
    return max(report.code, write(output: output, errors: errors))
  }
}
