import Testing

@testable import QueryLanguage

struct ParserTests {
  static func ast(_ text: String) -> String {
    let (script, diagnostics) = Parser.parse(SourceText(text))
    if let diagnostics { return "ERROR " + DiagnosticRenderer.render(diagnostics) }
    return ASTPrinter.print(script)
  }

  static func errors(_ text: String, name: String? = nil) -> String {
    let (_, diagnostics) = Parser.parse(SourceText(text, name: name))
    return diagnostics.map(DiagnosticRenderer.render) ?? "no errors"
  }

  @Test(arguments: [
    ("scans", "(scans)"),
    ("SCANS WHERE Status = running", "(scans (where (= Status running)))"),
    (
      "scans where status=running | sort RunPercent desc | first 10",
      "(scans (where (= status running))) | (sort RunPercent desc) | (first 10)"
    ),
    (
      "scans search 'shop example' where type = vuln and (status in (running, waiting) or RunPercent >= 50.5)",
      "(scans (search \"shop example\") (where (and (= type vuln) (or (in status running waiting) (>= RunPercent #50.5)))))"
    ),
    (
      "scans | where not name ~ \"prod\" and id != 2018071010384940572",
      "(scans) | (where (and (not (~ name \"prod\")) (!= id #2018071010384940572)))"
    ),
    ("scans | where status not in (aborted,invalid)", "(scans) | (where (not-in status aborted invalid))"),
    (
      "scans | where start > now-1d and end <= 2024-07-10T10:00:00Z",
      "(scans) | (where (and (> start now-1d) (<= end 2024-07-10T10:00:00Z)))"
    ),
    ("scans | where name !~ 'it\\'s'", "(scans) | (where (!~ name \"it's\"))"),
    (
      "scans | sort start, Name asc | select ScanId, Name | limit 3",
      "(scans) | (sort start asc, Name asc) | (select ScanId, Name) | (limit 3)"
    ),
    ("scans | group status | format csv", "(scans) | (group status) | (format csv)"),
    ("scans | group type, trigger", "(scans) | (group type, trigger)"),
    (
      "scans | group type with avg progress, max end, count ScanId",
      "(scans) | (group type (with avg progress, max end, count ScanId))"
    ),
    ("scans | group start by 1d", "(scans) | (group start (by 86400000ms))"),
    (
      "scans | group status, start BY Week with min RunPercent",
      "(scans) | (group status, start (by week) (with min RunPercent))"
    ),
    ("scans | select *", "(scans) | (select *)"),
    ("scans | distinct type, trigger", "(scans) | (distinct type, trigger)"),
    (
      "scans | diff 'last night.ndjson' | where Change = added",
      "(scans) | (diff \"last night.ndjson\") | (where (= Change added))"
    ),
    ("scans | count", "(scans) | (count)"),
    ("scans | expect empty", "(scans) | (expect empty)"),
    ("scans | expect count >= 3", "(scans) | (expect count >= 3)"),
    ("scans | expect none status = aborted", "(scans) | (expect none (= status aborted))"),
    (
      "scans where status = running | watch 30s until empty for 2h",
      "(scans (where (= status running))) | (watch 30000ms (until empty) (for 7200000ms))"
    ),
    ("scans | watch 1.5s until RunPercent = 100", "(scans) | (watch 1500ms (until all (= RunPercent #100)))"),
    ("load out.ndjson | save 'copy of.ndjson'", "(load \"out.ndjson\") | (save \"copy of.ndjson\")"),
    ("help", "(help)"), ("help where", "(help where)"), ("set format json", "(set format json)"),
    ("set pagesize 50", "(set pagesize #50)"), ("show fields", "(show fields)"),
    ("explain scans | count", "(explain (scans) | (count))"), ("history", "(history)"),
    ("source ci.scansh", "(source \"ci.scansh\")"), ("quit", "(exit)"),
    ("use prod, staging", "(use prod, staging)"), ("use all", "(use all)"),
    ("scans; scans | count # counting\n\n  # only a comment\nhelp", "(scans)\n(scans) | (count)\n(help)"),
    ("scans |\n  first 2", "(scans) | (first 2)"),
    ("scans \\\n  | first 2", "(scans) | (first 2)"),
    ("scans where status = running\n  | count", "(scans (where (= status running))) | (count)"),
    (
      "scans where (status = running\n or status = waiting)",
      "(scans (where (or (= status running) (= status waiting))))"
    ),
    ("scans | where Name = 官网漏洞扫描", "(scans) | (where (= Name 官网漏洞扫描))"),
  ])
  func parses(_ text: String, _ expected: String) {
    #expect(Self.ast(text) == expected)
  }

  @Test func unknownStage() {
    #expect(
      Self.errors("scans | srot RunPercent desc") == """
        error: unknown stage 'srot'
          scans | srot RunPercent desc
                  ^^^^
        help: did you mean 'sort'?

        """)
  }

  @Test func doubleEquals() {
    #expect(
      Self.errors("scans where status == running") == """
        error: '==' is not an operator
          scans where status == running
                             ^^
        help: compare with a single '='

        """)
  }

  @Test func missingValue() {
    #expect(
      Self.errors("scans where status = | count") == """
        error: missing value after '='
          scans where status = | count
                             ^
        help: quote a value that contains spaces or symbols: 'like this'

        """)
  }

  @Test func unclosedQuoteIsIncomplete() {
    let (_, diagnostics) = Parser.parse(SourceText("scans where name = 'prod"))
    #expect(diagnostics?.isIncomplete == true)
    #expect(
      Self.errors("scans where name = 'prod") == """
        error: unclosed quote
          scans where name = 'prod
                             ^
        help: close the string with '

        """)
  }

  @Test(arguments: ["scans |", "scans where (status = running", "scans where status in (running,", "scans \\"])
  func incomplete(_ text: String) {
    #expect(Parser.parse(SourceText(text)).diagnostics?.isIncomplete == true)
  }

  @Test(arguments: ["scans where", "scans | sort", "scans where status", "scans | where (a = b))", "scans |;"])
  func completeButWrong(_ text: String) {
    let diagnostics = Parser.parse(SourceText(text)).diagnostics
    #expect(diagnostics != nil)
    #expect(diagnostics?.isIncomplete == false)
  }

  @Test func recoversAndReportsEveryError() {
    let script = """
      scans | srot name
      scans where status = running | count
      scans | first many | selct ScanId
      bogus
      """
    #expect(
      Self.errors(script, name: "ci.scansh") == """
        ci.scansh:1:9: error: unknown stage 'srot'
          scans | srot name
                  ^^^^
        help: did you mean 'sort'?
        ci.scansh:3:15: error: expected a whole number after 'first', found 'many'
          scans | first many | selct ScanId
                        ^^^^
        ci.scansh:3:22: error: unknown stage 'selct'
          scans | first many | selct ScanId
                               ^^^^^
        help: did you mean 'select'?
        ci.scansh:4:1: error: unknown command 'bogus'
          bogus
          ^^^^^
        help: statements start with 'scans', 'load' or a command; 'help' lists them

        """)
  }

  @Test func stageWithoutPipeline() {
    #expect(
      Self.errors("where status = running") == """
        error: 'where' is a stage; a pipeline starts with 'scans' or 'load'
          where status = running
          ^^^^^
        help: try: scans | where status = running

        """)
  }

  @Test func didYouMeanForCommandsFormatsAndChecks() {
    #expect(Self.errors("scnas").contains("help: did you mean 'scans'?"))
    #expect(Self.errors("scans | format jsno").contains("help: did you mean 'json'?"))
    #expect(Self.errors("scans | expect emtpy").contains("help: did you mean 'empty'?"))
    #expect(Self.errors("show feilds").contains("help: did you mean 'fields'?"))
  }

  @Test func caretsAlignUnderWideCharacters() {
    #expect(
      Self.errors("scans where Name = 官网 and x") == """
        error: expected an operator after 'x', found the end of the input
          scans where Name = 官网 and x
                                       ^
        help: operators: = != < <= > >= ~ !~ in; for example: x = value

        """)
  }

  @Test func survivesPathologicalInput() {
    let nested =
      "scans where " + String(repeating: "(", count: 20_000) + "a = b" + String(repeating: ")", count: 20_000)
    #expect(Self.errors(nested).contains("error: the condition is nested more than 128 levels deep"))
    let notNested = "scans where " + String(repeating: "not ", count: 20_000) + "a = b"
    #expect(Self.errors(notNested).contains("nested more than 128 levels deep"))
    let long = "scans where name = '" + String(repeating: "x", count: 100_000) + "'"
    #expect(Self.ast(long).hasPrefix("(scans (where (= name \"xxxx"))
    let chained = "scans where " + (0..<5_000).map { "f\($0) = \($0)" }.joined(separator: " and ")
    #expect(Self.ast(chained).hasPrefix("(scans (where (and (= f0 #0) (= f1 #1)"))
  }

  /// Found by scripts/fuzz: an enormous duration overflowed Int64 in the lexer.
  @Test func enormousDurationsAreNotDurations() {
    #expect(
      Self.errors("scans | watch 99999999999999999999d") == """
        error: expected an interval such as 30s after 'watch', found '99999999999999999999d'
          scans | watch 99999999999999999999d
                        ^^^^^^^^^^^^^^^^^^^^^

        """)
    #expect(
      Self.ast("scans | where start > 000000000000000000000426000652005843490m")
        == "(scans) | (where (> start 000000000000000000000426000652005843490m))")
  }

  @Test func referenceExamplesParse() {
    for entry in LanguageReference.entries {
      for example in entry.examples {
        #expect(Parser.parse(SourceText(example.statement)).diagnostics == nil, "\(example.statement)")
      }
    }
  }

  /// Every word of the table is parsed as what the table says it is: dispatch reads the table.
  @Test func everyNameInTheTableDispatches() {
    for entry in LanguageReference.entries {
      for word in entry.words {
        let statement = entry.kind == .stage ? "scans | \(word)" : word
        let diagnostics = Parser.parse(SourceText(statement)).diagnostics?.items ?? []
        // Whatever is missing after the name, the name itself was understood.
        #expect(!diagnostics.contains { $0.message.hasPrefix("unknown") }, "\(statement): \(diagnostics)")
      }
    }
  }

  /// What completion is told fits where the input ends, in the order the grammar tries it.
  @Test(arguments: [
    ("", [QueryLanguage.Expectation.statement]),
    ("scans ", [.keyword(.search), .keyword(.where), .pipe]),
    ("scans search x ", [.keyword(.where), .pipe]),
    ("scans search ", [.searchText]),
    ("scans |", [.stage]),
    ("explain ", [.source]),
    ("scans | sort RunPercent ", [.keyword(.asc), .keyword(.desc), .pipe]),
    ("scans | where ", [.field, .keyword(.not)]),
    ("scans | where progress ", [.comparisonOperator, .keyword(.in), .keyword(.not)]),
    ("scans | where status in (running, ", [.value(field: "status")]),
    ("scans | where status = running ", [.keyword(.and), .keyword(.or), .pipe]),
    ("scans where status = running ", [.keyword(.and), .keyword(.or), .pipe]),
    ("load last.ndjson ", [.pipe]),
    (
      "scans | watch 30s until ",
      [.keyword(.empty), .keyword(.count), .keyword(.all), .keyword(.any), .keyword(.none), .field, .keyword(.not)]
    ),
    ("scans | watch 30s until empty ", [.keyword(.for), .pipe]),
    ("scans | format ", [.format]),
    ("set ", [.setting]),
    ("set timezone ", [.settingValue("timezone")]),
    ("show ", [.showTopic]),
    ("help ", [.helpTopic]),
    ("scans | count; ", [.statement]),
    ("scans | bogus ", []),
  ])
  func expectationsAtTheEnd(_ text: String, _ expected: [QueryLanguage.Expectation]) {
    #expect(Parser.expectations(after: text) == expected)
  }

  @Test func spansPointAtTheSource() {
    let source = SourceText("scans | sort RunPrecent desc")
    let (script, _) = Parser.parse(source)
    guard case .pipeline(let pipeline) = script.statements[0].kind, case .sort(let keys) = pipeline.stages[0].kind
    else {
      Issue.record("expected a sort")
      return
    }
    #expect(source.slice(keys[0].field.span) == "RunPrecent")
    #expect(source.slice(pipeline.stages[0].span) == "sort RunPrecent desc")
    #expect(source.location(of: keys[0].field.span.start) == (1, 14))
  }

  /// The new stages' mistakes, each with its place.
  @Test func groupDistinctAndDiffErrors() {
    #expect(
      Self.errors("scans | group start by fortnight", name: "w.scansh") == """
        w.scansh:1:24: error: expected an interval such as 1d, or hour, day, week or month, after 'by', found 'fortnight'
          scans | group start by fortnight
                                 ^^^^^^^^^
        help: for example: group start by day

        """)
    #expect(
      Self.errors("scans | group start by days") == """
        error: expected an interval such as 1d, or hour, day, week or month, after 'by', found 'days'
          scans | group start by days
                                 ^^^^
        help: did you mean 'day'?

        """)
    #expect(
      Self.errors("scans | group type with average progress") == """
        error: expected count, min, max, avg or sum after 'with', found 'average'
          scans | group type with average progress
                                  ^^^^^^^
        help: for example: with avg RunPercent

        """)
    #expect(
      Self.errors("scans | group type with avg") == """
        error: expected a field name after 'avg', found the end of the input
          scans | group type with avg
                                     ^
        help: 'show fields' lists them

        """)
    #expect(
      Self.errors("scans | group start by 10ms") == """
        error: a bucket must be at least 1s long
          scans | group start by 10ms
                                 ^^^^

        """)
    #expect(
      Self.errors("scans | diff") == """
        error: expected a file path after 'diff', found the end of the input
          scans | diff
                      ^

        """)
    #expect(
      Self.errors("scans | distinct").contains(
        "error: expected a field name after 'distinct', found the end of the input"))
  }
}
