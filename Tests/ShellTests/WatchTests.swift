import Foundation
import QueryEngine
import QueryLanguage
import ScanAPI
import Synchronization
import TestSupport
import Testing
import Vocabulary

@testable import Shell

/// Records what the loop shows.
final class RecordingDisplay: WatchLoop.Display {
  var ticks: [(rows: Int, events: [String], at: Duration)] = []
  var failures: [String] = []
  var idles = 0
  let clock: ManualClock
  var wantsCountdown: Bool

  init(clock: ManualClock, countdown: Bool = false) {
    self.clock = clock
    wantsCountdown = countdown
  }

  func tick(rows: [Row], events: [WatchEvent], at: Date, next: Duration?, state: WatchLoop.State) {
    ticks.append((rows.count, events.map { "\($0.kind.rawValue) \($0.key)" }, clock.monotonic()))
  }

  func failed(_ error: any Error, at: Date, state: WatchLoop.State) { failures.append("\(error)") }

  func idle(at: Date, next: Duration, state: WatchLoop.State) { idles += 1 }
}

struct WatchTests {
  static let columns = [
    ScanField.scanId.column, ScanField.name.column, ScanField.status.column, ScanField.runPercent.column,
  ]

  static func row(_ id: String, _ status: String, _ percent: Double, name: String? = nil) -> Row {
    Row(values: [.string(id), .string(name ?? "scan-\(id)"), .string(status), .number(percent)])
  }

  static func check(_ text: String) throws -> BoundCheck {
    let source = SourceText("scans | select ScanId, Name, Status, RunPercent | expect \(text)")
    let (script, _) = Parser.parse(source)
    guard case .pipeline(let pipeline) = script.statements[0].kind else { fatalError() }
    let bound = try Binder(now: Date(), source: source).bind(pipeline)
    guard case .expect(let check) = bound.stages[1] else { fatalError() }
    return check
  }

  /// With several accounts, the same ScanId in two accounts is two rows.
  @Test func rowsAreKeyedByAccountAndScanId() {
    let columns =
      [ScanField.account.column, ScanField.scanId.column] + Self.columns.dropFirst()
    func row(_ account: String, _ id: String, _ status: String) -> Row {
      Row(values: [.string(account), .string(id), .string("scan"), .string(status), .number(0)])
    }
    let before = [row("prod", "1", "running"), row("dev", "1", "running")]
    let after = [row("prod", "1", "finished"), row("dev", "1", "running"), row("dev", "2", "waiting")]
    let events = WatchDiff.events(previous: before, current: after, columns: columns)
    #expect(events.map { "\($0.kind.rawValue) \($0.account ?? "-")/\($0.key)" } == ["added dev/2", "changed prod/1"])
  }

  @Test func findingsAreKeyedByTheirId() {
    let columns = Array(Resource.findings.columns.prefix(4))
    func finding(_ id: String, _ status: Double) -> Row {
      Row(values: [.string(id), .string("SQL injection"), .number(3), .number(status)])
    }
    let events = WatchDiff.events(
      previous: [finding("10", 0)], current: [finding("11", 0), finding("10", 1)], columns: columns)
    #expect(events.map { "\($0.kind.rawValue) \($0.key)" } == ["changed 10", "added 11"])
  }

  @Test func diffGolden() {
    let before = [Self.row("1", "running", 40), Self.row("2", "running", 90), Self.row("3", "waiting", 0)]
    let after = [Self.row("3", "running", 5), Self.row("1", "running", 40), Self.row("4", "running", 1)]
    let events = WatchDiff.events(previous: before, current: after, columns: Self.columns)
    #expect(events.map { "\($0.kind.rawValue) \($0.key)" } == ["changed 3", "added 4", "removed 2"])
    #expect(
      events[0].changes == [
        .init(column: 2, old: .string("waiting"), new: .string("running")),
        .init(column: 3, old: .number(0), new: .number(5)),
      ])
    #expect(WatchDiff.events(previous: nil, current: after, columns: Self.columns).map(\.key) == ["1", "3", "4"])
    #expect(WatchDiff.events(previous: after, current: after, columns: Self.columns).isEmpty)
  }

  @Test func untilEndsTheWatchOnSchedule() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock)
    let script = Mutex([[Self.row("1", "running", 10)], [Self.row("1", "running", 60)], []])
    let loop = WatchLoop(
      interval: .seconds(30), columns: Self.columns, until: try Self.check("empty"), limit: .seconds(3600),
      maxFailuresInARow: 3, clock: clock)
    let outcome = try await loop.run(display: display) {
      WatchLoop.TickResult(rows: script.withLock { $0.removeFirst() }, throttled: false)
    }
    #expect(outcome == .satisfied(ticks: 3))
    #expect(display.ticks.map(\.at) == [.zero, .seconds(30), .seconds(60)])
    #expect(display.ticks.map(\.events) == [["added 1"], ["changed 1"], ["removed 1"]])
    #expect(clock.sleeps == [.seconds(30), .seconds(30)])
  }

  @Test func forGivesUp() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock)
    let loop = WatchLoop(
      interval: .seconds(30), columns: Self.columns, until: try Self.check("all Status = finished"),
      limit: .seconds(75),
      maxFailuresInARow: 3, clock: clock)
    let outcome = try await loop.run(display: display) {
      WatchLoop.TickResult(rows: [Self.row("1", "running", 10)], throttled: false)
    }
    #expect(outcome == .gaveUp(ticks: 3))
    #expect(clock.monotonic() == .seconds(75))
  }

  @Test func aSlowTickSkipsTheTicksItOverran() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock)
    let count = Mutex(0)
    let loop = WatchLoop(
      interval: .seconds(10), columns: Self.columns, until: try Self.check("count = 3"), limit: nil,
      maxFailuresInARow: 3, clock: clock)
    let outcome = try await loop.run(display: display) {
      let n = count.withLock { value -> Int in
        value += 1
        return value
      }
      if n == 1 { clock.advance(by: .seconds(25)) }  // the first fetch takes 2.5 intervals
      return WatchLoop.TickResult(rows: Array(repeating: Self.row("\(n)", "running", 1), count: n), throttled: false)
    }
    #expect(outcome == .satisfied(ticks: 3))
    // The tick at 10s and 20s are skipped, not queued: the schedule goes on at 30s and 40s.
    #expect(display.ticks.map(\.at) == [.seconds(25), .seconds(30), .seconds(40)])
  }

  @Test func throttlingStretchesTheInterval() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock)
    let throttled = Mutex([true, true, false, false])
    let loop = WatchLoop(
      interval: .seconds(10), columns: Self.columns, until: try Self.check("count = 9"), limit: .seconds(75),
      maxFailuresInARow: 3, clock: clock)
    _ = try await loop.run(display: display) {
      WatchLoop.TickResult(rows: [], throttled: throttled.withLock { $0.isEmpty ? false : $0.removeFirst() })
    }
    #expect(display.ticks.map(\.at) == [.zero, .seconds(20), .seconds(60), .seconds(70)])
  }

  @Test func failedTicksAreReportedAndThreeInARowStopIt() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock)
    let loop = WatchLoop(
      interval: .seconds(5), columns: Self.columns, until: nil, limit: nil, maxFailuresInARow: 3, clock: clock)
    let outcome = try await loop.run(display: display) { () async throws -> WatchLoop.TickResult in
      throw ScanAPIError.network(endpoint: "http://127.0.0.1:9/", reason: "could not connect (refused)")
    }
    #expect(
      outcome
        == .failed(
          ticks: 3, error: "network error talking to http://127.0.0.1:9/: could not connect (refused)", code: .network))
    #expect(display.failures.count == 3)
  }

  @Test func countdownWakesOncePerSecondOnly() async throws {
    let clock = ManualClock()
    let display = RecordingDisplay(clock: clock, countdown: true)
    let loop = WatchLoop(
      interval: .seconds(5), columns: Self.columns, until: try Self.check("count = 2"), limit: nil,
      maxFailuresInARow: 3,
      clock: clock)
    let rows = Mutex(0)
    _ = try await loop.run(display: display) {
      WatchLoop.TickResult(
        rows: Array(
          repeating: Self.row("x", "running", 1),
          count: rows.withLock {
            $0 += 1
            return $0
          }), throttled: false)
    }
    #expect(display.idles == 4)
    #expect(clock.sleeps == Array(repeating: .seconds(1), count: 5))
  }

  @Test func logLines() {
    let output = BufferSink()
    let display = LogDisplay(columns: Self.columns, output: output, errors: BufferSink(), json: false, utc: true)
    let at = Date(timeIntervalSince1970: 1_793_610_730)
    let state = WatchLoop.State(interval: .seconds(5), effectiveInterval: .seconds(5))
    display.tick(
      rows: [],
      events: WatchDiff.events(
        previous: nil, current: [Self.row("2018071010171127450", "running", 40, name: "test_0710-2")],
        columns: Self.columns),
      at: at, next: nil, state: state)
    var changed = WatchDiff.events(
      previous: [Self.row("2018071010171127450", "running", 40, name: "test_0710-2")],
      current: [Self.row("2018071010171127450", "running", 55, name: "test_0710-2")], columns: Self.columns)
    changed += [WatchEvent(kind: .removed, key: "7", row: Self.row("7", "running", 99), reason: "finished")]
    display.tick(rows: [], events: changed, at: at, next: nil, state: state)
    #expect(
      output.text == """
        09:12:10  2018071010171127450  test_0710-2  added: Status running, RunPercent 40
        09:12:10  2018071010171127450  test_0710-2  RunPercent 40 → 55
        09:12:10  7  scan-7  removed (finished)

        """)
  }

  @Test func ndjsonEvents() {
    let output = BufferSink()
    let display = LogDisplay(columns: Self.columns, output: output, errors: BufferSink(), json: true, utc: true)
    let events = WatchDiff.events(
      previous: [Self.row("1", "running", 40)], current: [Self.row("1", "finished", 100)], columns: Self.columns)
    display.tick(
      rows: [], events: events, at: Date(timeIntervalSince1970: 1_793_610_730), next: nil,
      state: WatchLoop.State(interval: .seconds(5), effectiveInterval: .seconds(5)))
    #expect(
      output.text
        == #"{"at":"2026-11-02T09:12:10Z","event":"changed","ScanId":"1","Name":"scan-1","changes":{"Status":["running","finished"],"RunPercent":[40,100]},"row":{"ScanId":"1","Name":"scan-1","Status":"finished","RunPercent":100}}"#
        + "\n")
  }

  @Test func theFirstTickIsDrawnPlain() {
    let display = ScreenDisplay(
      query: "scans | watch 30s", columns: Self.columns, output: BufferSink(), size: { (8, 70) }, utc: true,
      requests: { 1 })
    let state = WatchLoop.State(ticks: 1, interval: .seconds(30), effectiveInterval: .seconds(30))
    let at = Date(timeIntervalSince1970: 1_793_610_000)
    let rows = [Self.row("1", "running", 40)]
    display.tick(
      rows: rows, events: WatchDiff.events(previous: nil, current: rows, columns: Self.columns), at: at,
      next: .seconds(30), state: state)
    #expect(
      display.render(at: at, next: .seconds(30), state: state).suffix(2) == [
        "   ScanId  Name    Status   Progress            ETA",
        "   1       scan-1  running  [####------]   40%",
      ])
    // From the second tick on, a row that appears is marked.
    let later = rows + [Self.row("2", "running", 5)]
    display.tick(
      rows: later, events: WatchDiff.events(previous: rows, current: later, columns: Self.columns),
      at: at.addingTimeInterval(30), next: .seconds(30), state: state)
    #expect(
      display.render(at: at.addingTimeInterval(30), next: .seconds(30), state: state).last
        == "+  2       scan-2  running  [----------]    5%")
  }

  @Test func screenGolden() {
    let display = ScreenDisplay(
      query: "scans where status = running | watch 30s", columns: Self.columns, output: BufferSink(),
      size: { (12, 70) }, utc: true, requests: { 7 })
    let state = WatchLoop.State(ticks: 2, interval: .seconds(30), effectiveInterval: .seconds(60))
    let first = Date(timeIntervalSince1970: 1_793_610_000)
    display.tick(
      rows: [Self.row("1", "running", 40), Self.row("2", "running", 10)], events: [], at: first, next: .seconds(30),
      state: state)
    let later = first.addingTimeInterval(60)
    let before = [Self.row("1", "running", 40), Self.row("2", "running", 10)]
    let after = [Self.row("1", "running", 55), Self.row("3", "running", 2)]
    var events = WatchDiff.events(previous: before, current: after, columns: Self.columns)
    events = events.map { event in
      var event = event
      if event.kind == .removed { event.reason = "aborted" }
      return event
    }
    display.tick(rows: after, events: events, at: later, next: .seconds(45), state: state)
    #expect(
      display.render(at: later, next: .milliseconds(44_100), state: state) == [
        "scans where status = running | watch 30s",
        "every 30s · 09:01:00 · next in 45s · 7 requests · throttled: every 1m",
        "",
        "   ScanId  Name    Status     Progress            ETA",
        "   1       scan-1  running    \u{1B}[7m[#####-----]   55%\u{1B}[0m  ~3m",
        "+  3       scan-3  running    [----------]    2%",
        "-  2       scan-2  → aborted  [#---------]   10%",
      ])
  }
}
