import QueryLanguage
import Testing

@testable import QueryEngine

struct BinderTests {
  @Test func unknownFieldSuggestsTheRightOne() {
    #expect(
      bindingErrors("scans | sort RunPrecent desc") == """
        error: unknown field 'RunPrecent'
          scans | sort RunPrecent desc
                       ^^^^^^^^^^
        help: did you mean 'RunPercent'?

        """)
  }

  @Test func typeClashesAreSpanned() {
    #expect(
      bindingErrors("scans where RunPercent ~ 5x") == """
        error: '~' compares text, but 'RunPercent' is a number
          scans where RunPercent ~ 5x
                      ^^^^^^^^^^^^^^^
        help: compare numbers with = != < <= > >=

        """)
    #expect(
      bindingErrors("scans | where progress > lots") == """
        error: 'RunPercent' is a number, but lots is not
          scans | where progress > lots
                                   ^^^^

        """)
    #expect(
      bindingErrors("scans | where start > yesterday") == """
        error: 'StartDate' is a time, but yesterday is not
          scans | where start > yesterday
                                ^^^^^^^^^
        help: write a date (2024-07-10), a date and time (2024-07-10T10:00:00Z), now-1d, or a duration meaning that long ago (2h)

        """)
  }

  @Test func unknownEnumValues() throws {
    #expect(
      bindingErrors("scans where status = runing") == """
        error: unknown Status 'runing'
          scans where status = runing
                               ^^^^^^
        help: did you mean 'running'?

        """)
    // A value the reference does not list, and no near miss of one: taken, with a warning.
    #expect(bindingErrors("scans where status in (finished, paused)") == "ok")
    #expect(
      try bind("scans where status in (finished, paused) and type != scheduled").warnings == [
        "'paused' is not a documented Status (waiting, finished, running, aborted, invalid, disabled); matching it as the API sends it",
        "'scheduled' is not a documented ScanType (vuln, content); matching it as the API sends it",
      ])
    // Seen in a result this session: no warning, even for a near miss of a documented value.
    let seen = Binder(now: testNow, source: SourceText("x"), seen: { $0 == .status ? ["paused", "runnin"] : [] })
    let pipeline = try #require(
      Parser.parse(SourceText("scans where status in (paused, runnin)")).script.statements.first.flatMap {
        if case .pipeline(let pipeline) = $0.kind { pipeline } else { nil }
      })
    #expect(try seen.bind(pipeline).warnings == [])
    #expect(bindingErrors("scans where status ~ run") == "ok")
    #expect(bindingErrors("scans where status = RUNNING") == "ok")
  }

  @Test func fieldsAfterSelectGroupAndCount() {
    #expect(
      bindingErrors("scans | select ScanId, Status | where Name = x") == """
        error: unknown field 'Name'
          scans | select ScanId, Status | where Name = x
                                                ^^^^
        help: after 'select', the fields are: ScanId, Status

        """)
    #expect(bindingErrors("scans | select ScanId, RunPercent | where progress > 5 | sort id") == "ok")
    #expect(bindingErrors("scans | group status | where count > 3 | sort Status") == "ok")
    #expect(bindingErrors("scans | count | where count > 3") == "ok")
  }

  /// After a watch come its events: stages that take them one at a time, and the actions.
  @Test func whatMayFollowAWatch() {
    #expect(
      bindingErrors("scans | watch 5s | first 3") == """
        error: 'first' cannot follow 'watch'
          scans | watch 5s | first 3
                             ^^^^^
        help: after a watch come its events, one at a time: where, select, format, save, exec, post, notify

        """)
    #expect(
      bindingErrors("scans | post 'https://example.com/hook?key=SECRET'") == """
        error: 'post' acts on a watch's changes, and there is no watch before it
          scans | post 'https://example.com/hook?key=******'
                  ^^^^
        help: for example: scans where status = running | watch 30s | where Change = removed | post …

        """)
    #expect(
      bindingErrors("scans | watch 5s | post 'http://example.com/hook?key=SECRET'") == """
        error: refusing plain http:// to 'example.com': the webhook's token would travel unencrypted
          scans | watch 5s | post 'http://example.com/hook?key=******'
                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        help: use https:// (plain http is allowed only to loopback addresses)

        """)
    #expect(
      bindingErrors(
        "scans where status = running | watch 30s | where Change = removed and status = aborted | select ScanId, Changed, Reason | save e.ndjson | exec ./x.sh a 'b c' | notify"
      ) == "ok")
    #expect(
      bindingErrors(
        "findings where severity = important | watch 5m | where Change = added | post slack 'https://hooks.example.com/T/B/X'"
      ) == "ok")
    #expect(bindingErrors("scans | watch 5s until empty | format ndjson") == "ok")
  }

  @Test func reportsEveryProblemInAPipeline() {
    let errors = bindingErrors("scans where stauts = running | sort Nmae | select Foo")
    #expect(errors.components(separatedBy: "error: unknown field").count == 4)
  }

  @Test func timesAndDurations() throws {
    // A duration on a time field means that long ago.
    let bound = try bind(
      "scans | where start > 1d and end < 2024-07-10 and start >= now-2h and end <= '2024-07-10T10:00:00+08:00'")
    guard case .filter(let predicate) = bound.stages[0], case .and(let tests) = predicate.root else {
      Issue.record("expected a filter")
      return
    }
    let literals = tests.compactMap { node -> Double? in
      if case .test(let test) = node, case .number(let value) = test.literals[0] { return value }
      return nil
    }
    #expect(literals == [1_793_523_600_000, 1_720_569_600_000, 1_793_602_800_000, 1_720_576_800_000])
  }

  /// What a binding read besides the statement, so a script's statements bound before it runs are
  /// bound again only when one of these may have moved.
  @Test func theBindingSaysWhatItReadBesidesTheStatement() throws {
    let plain = try bind("scans where status = running | sort RunPercent desc | first 5")
    #expect(plain.dependsOn == BoundPipeline.RunTimeFacts())
    #expect(try bind("scans where start > 2h | count").dependsOn.now)
    #expect(try bind("scans where start > now-1d | count").dependsOn.now)
    #expect(try !bind("scans where start > 2024-07-10 | count").dependsOn.now)
    let undocumented = try bind("scans where status = paused | count")
    #expect(undocumented.dependsOn.seenValues && !undocumented.warnings.isEmpty)
    let loaded = try bind("load saved.ndjson | count")
    #expect(loaded.dependsOn.file?.path == "saved.ndjson" && loaded.dependsOn.file?.resource == .scans)
  }

  /// What a watch's ticks and a report stage read is the statement's binding cut at the stage,
  /// which must read what binding the stages before it alone would.
  @Test(arguments: [
    ("scans where status = running and RunPercent > 85 | watch 1m for 1h | where Change = removed | exec ./x", 0),
    ("scans | where status = running | select name | watch 1m for 1h | where Change = added | notify", 2),
    ("sessions where status = finished | first 3 | report to reports", 1),
    ("findings | where severity = important | details | watch 1m for 1h | select Id", 2),
  ])
  func aPrefixReadsWhatItsOwnBindingWould(_ text: String, _ kept: Int) throws {
    let whole = try bind(text)
    let cut = whole.prefix(kept)
    let stages = text.split(separator: "|").prefix(kept + 1).joined(separator: "|")
    let alone = try bind(stages.trimmingCharacters(in: .whitespaces))
    #expect(cut.readFields == alone.readFields, "\(text)")
    #expect(cut.stages.count == alone.stages.count && cut.schemas.count == alone.schemas.count)
    #expect(cut.output.columns.map(\.name) == alone.output.columns.map(\.name))
    #expect(cut.stageSpans == alone.stageSpans && cut.span == alone.span)
    #expect(cut.implicitDetails == alone.implicitDetails)
    #expect(cut.pushable?.conjuncts.count == alone.pushable?.conjuncts.count)
    #expect(cut.pushable?.isStage == alone.pushable?.isStage)
  }
}
