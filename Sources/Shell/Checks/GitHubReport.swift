import Formatters

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// GitHub Actions' view of a run's checks, used only under `GITHUB_ACTIONS=true`: an `::error`
/// workflow command per failed check (an annotation on the run, pointing at the statement), and a
/// Markdown summary appended to `$GITHUB_STEP_SUMMARY`.
public enum GitHubReport {
  /// GitHub shows ten error annotations per step; the rest are counted in one line instead.
  public static let annotationLimit = 10
  /// Rows of a failure shown in the summary.
  static let summaryRows = 10
  /// GitHub takes at most 1 MiB of summary per step; a longer one is cut at a line, and says so.
  static let summaryBudget = 1_000_000

  /// The workflow commands for the failed and erroring cases, one per line.
  public static func commands(_ log: CheckLog) -> String {
    let broken = log.cases.filter {
      switch $0.outcome {
      case .failed, .error: true
      case .passed, .skipped: false
      }
    }
    var lines = broken.prefix(annotationLimit).map(command)
    if broken.count > annotationLimit {
      let more = broken.count - annotationLimit
      lines.append(
        "::notice title=scansh::\(more) more failed \(more == 1 ? "check is" : "checks are") not annotated"
          + " (GitHub shows \(annotationLimit) per step); the log and the JUnit report list every one")
    }
    return lines.map { $0 + "\n" }.joined()
  }

  static func command(_ item: CheckLog.Case) -> String {
    var properties: [(String, String)] = []
    // `-c` and stdin are no file in the repository.
    if item.script != "-c", item.script != "<stdin>" { properties.append(("file", item.script)) }
    properties += [("line", String(item.line)), ("col", String(item.column))]
    let message: String
    switch item.outcome {
    case .failed(let summary, let rows):
      properties.append(("title", "check failed: \(item.name)"))
      message = ([summary] + rows.map { "  " + $0 }).joined(separator: "\n")
    case .error(let text):
      properties.append(("title", "statement failed: \(item.name)"))
      message = text
    case .passed, .skipped:
      message = ""
    }
    let list = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
    return "::error \(list)::\(escapeData(message))"
  }

  /// The summary: one table row per check, then the first rows of each failure.
  public static func summary(_ log: CheckLog) -> String {
    let cases = log.cases
    let counts = JUnitReport.Counts(cases)
    let passed = cases.count - counts.failed - counts.errors - counts.skipped
    var text = "### scansh: \(cases.count) \(cases.count == 1 ? "check" : "checks")"
    text += ": \(passed) passed, \(counts.failed) failed, \(counts.errors) \(counts.errors == 1 ? "error" : "errors")"
    text += ", \(counts.skipped) skipped\n\n"
    guard !cases.isEmpty else { return text + "No checks ran.\n\n" }
    text += "| Result | Check | Where | Detail |\n|---|---|---|---|\n"
    for item in cases {
      let (mark, detail): (String, String)
      switch item.outcome {
      case .passed: (mark, detail) = ("✅ pass", "")
      case .failed(let message, _): (mark, detail) = ("❌ fail", message)
      case .error(let message): (mark, detail) = ("⚠️ error", String(message.prefix { $0 != "\n" }))
      case .skipped: (mark, detail) = ("⏭️ skipped", "not run")
      }
      let cells = [mark, item.name, "\(item.script):\(item.line)", detail].map(MarkdownText.cell)
      text += "| " + cells.joined(separator: " | ") + " |\n"
    }
    text += "\n"
    for item in cases {
      guard case .failed(let message, let rows) = item.outcome, !rows.isEmpty else { continue }
      text += "#### ❌ \(MarkdownText.cell(item.name)) (\(MarkdownText.cell("\(item.script):\(item.line)")))\n\n"
      text += MarkdownText.cell(message) + ":\n\n"
      let shown =
        rows.prefix(summaryRows).joined(separator: "\n")
        + (rows.count > summaryRows ? "\n… \(rows.count - summaryRows) more" : "")
      let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: shown) + 1))
      text += fence + "text\n" + shown + "\n" + fence + "\n\n"
    }
    return cut(text, to: summaryBudget)
  }

  static func cut(_ text: String, to budget: Int) -> String {
    guard text.utf8.count > budget else { return text }
    let note = "\n… the rest is cut: GitHub takes 1 MiB of summary per step; the JUnit report has every check.\n"
    var kept = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if kept.utf8.count + line.utf8.count + 1 + note.utf8.count > budget { break }
      kept += line + "\n"
    }
    return kept + note
  }

  /// Appends the summary to the file GitHub names.
  public static func appendSummary(_ log: CheckLog, to path: String) throws(AtomicFile.Failure) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    // One write: appended whole, after what other steps wrote.
    guard FileDescriptorSink.write(summary(log), to: descriptor) else {
      throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// A workflow command's message (actions/toolkit's `escapeData`).
  public static func escapeData(_ text: String) -> String {
    text.replacingScalars("%", with: "%25").replacingScalars("\r", with: "%0D")
      .replacingScalars("\n", with: "%0A")
  }

  /// A workflow command's property value (actions/toolkit's `escapeProperty`).
  public static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacingScalars(":", with: "%3A").replacingScalars(",", with: "%2C")
  }

  private static func longestRun(of character: Character, in text: String) -> Int {
    var longest = 0
    var run = 0
    for each in text {
      run = each == character ? run + 1 : 0
      longest = max(longest, run)
    }
    return longest
  }
}
