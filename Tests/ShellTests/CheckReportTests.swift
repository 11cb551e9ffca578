import Foundation
import QueryLanguage
import Testing

@testable import QueryEngine
@testable import Shell

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The reports' text: GitHub's escaping, XML that any parser reads, what counts as a check.
struct CheckReportTests {
  /// actions/toolkit's rules: `%`, CR and LF in messages; `:` and `,` too in properties.
  @Test func githubEscaping() {
    #expect(GitHubReport.escapeData("50% of a\r\nb: c, d") == "50%25 of a%0D%0Ab: c, d")
    #expect(GitHubReport.escapeProperty("50% of a\r\nb: c, d") == "50%25 of a%0D%0Ab%3A c%2C d")
    // Already-escaped text is escaped again, not taken as an escape.
    #expect(GitHubReport.escapeData("%0A") == "%250A")
  }

  /// A hostile name and message reach the reader as they were: quotes, markup, a CDATA end, line
  /// breaks in attributes, and control characters XML 1.0 cannot hold (replaced).
  @Test func junitHoldsHostileText() throws {
    let log = CheckLog()
    let source = SourceText("# \"<b>\" & ]]> 'x'\nscans | expect empty\n", name: "a&b.scansh")
    log.begin(source)
    let statement = Parser.parse(source).script.statements[0]
    log.record(
      statement, in: source, seconds: 0.25,
      outcome: .failed(message: "expected empty, but\n\"found\" <1> row\u{1}", rows: ["x]]>y", "\u{7}bell"]))
    let xml = JUnitReport.xml(log, timestamp: Date(timeIntervalSince1970: 0))
    let document = try XMLDocument(data: Data(xml.utf8))
    let testcase = try #require(
      document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase").first)
    #expect(testcase.attribute(forName: "name")?.stringValue == "\"<b>\" & ]]> 'x'")
    #expect(testcase.attribute(forName: "classname")?.stringValue == "a&b.scansh")
    #expect(testcase.attribute(forName: "time")?.stringValue == "0.250")
    let failure = try #require(testcase.elements(forName: "failure").first)
    #expect(failure.attribute(forName: "message")?.stringValue == "expected empty, but\n\"found\" <1> row\u{FFFD}")
    #expect(
      failure.stringValue == "a&b.scansh:2:1: expected empty, but\n\"found\" <1> row\u{FFFD}\n  x]]>y\n  \u{FFFD}bell")
    #expect(xml.contains("timestamp=\"1970-01-01T00:00:00Z\""))
  }

  /// Checks are every `expect` and every watch with `until`; a plain watch is not one.
  @Test func whatIsACheck() {
    let source = SourceText(
      "scans | expect empty\nscans | watch 5s until count = 0\nscans | watch 5s\nscans | count\nshow settings\n")
    let checks = Parser.parse(source).script.statements.map(CheckLog.isCheck)
    #expect(checks == [true, true, false, false, false])
  }

  /// A watch whose `until` never held fails its case; other errors are errors.
  @Test func outcomes() {
    let gaveUp = ShellError.watchGaveUp("watch gave up after 5m (10 ticks): until count = 0 did not hold")
    #expect(
      CheckLog.outcome(of: gaveUp, report: Presenter.report(gaveUp))
        == .failed(message: "watch gave up after 5m (10 ticks): until count = 0 did not hold", rows: []))
    let failure = ExpectationFailure(check: "empty", found: "found 4 rows", examples: ["a", "b", "c"], more: true)
    #expect(
      CheckLog.outcome(of: failure, report: Presenter.report(failure))
        == .failed(message: "expected empty, but found 4 rows", rows: ["a", "b", "c", "…"]))
    #expect(
      CheckLog.outcome(of: CancellationError(), report: Presenter.report(CancellationError()))
        == .error(message: "interrupted"))
  }

  /// The summary's table cannot be broken by a name with a pipe or a fence by a row with backticks.
  @Test func summaryHoldsHostileCells() {
    let log = CheckLog()
    let source = SourceText("# a | b\nscans | expect empty\n", name: "g.scansh")
    log.begin(source)
    log.record(
      Parser.parse(source).script.statements[0], in: source, seconds: 0,
      outcome: .failed(message: "expected empty, but found 1 row", rows: ["```x"]))
    let summary = GitHubReport.summary(log)
    #expect(summary.contains("| ❌ fail | a \\| b | g.scansh:2 | expected empty, but found 1 row |\n"))
    #expect(summary.hasSuffix("````text\n```x\n````\n\n"))
  }

  @Test func aLongSummaryIsCutAtALine() {
    let text = (1...100).map { "line \($0)" }.joined(separator: "\n") + "\n"
    let cut = GitHubReport.cut(text, to: 200)
    #expect(cut.utf8.count <= 200)
    #expect(cut.hasPrefix("line 1\nline 2\n"))
    #expect(
      cut.hasSuffix("\n… the rest is cut: GitHub takes 1 MiB of summary per step; the JUnit report has every check.\n"))
    #expect(GitHubReport.cut(text, to: 10_000) == text)
  }
}
