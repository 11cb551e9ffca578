import Testing
import Vocabulary

struct WordWrapTests {
  @Test func aNameAndItsSummaryWrapUnderTheSummary() {
    let line = "  select    Keep only these fields, in this order (every field, in the catalog's order)."
    #expect(
      WordWrap.wrap(line, width: 40) == """
          select    Keep only these fields, in
                    this order (every field, in
                    the catalog's order).
        """)
  }

  @Test func aLineWithoutAColumnHangsTwoIn() {
    #expect(
      WordWrap.wrap("Values: words, 'quoted', numbers, durations (30s 5m 2h 1d).", width: 30) == """
        Values: words, 'quoted',
          numbers, durations (30s 5m
          2h 1d).
        """)
    #expect(
      WordWrap.wrap("  scans | where status = running | count", width: 20)
        == "  scans | where\n    status = running\n    | count")
  }

  @Test func shortLinesAndBlankLinesStayAsTheyAre() {
    let text = "Sources\n  scans     List scan tasks.\n\nend\n"
    #expect(WordWrap.wrap(text, width: 80) == text)
  }

  @Test func aWordWiderThanTheLineIsNotCut() {
    #expect(
      WordWrap.wrap("see https://example.com/a/very/long/path now", width: 12)
        == "see\n  https://example.com/a/very/long/path\n  now")
  }

  @Test func wideCharactersCountTwoColumns() {
    #expect(WordWrap.wrap("扫描 任务 名称", width: 9) == "扫描 任务\n  名称")
  }
}
