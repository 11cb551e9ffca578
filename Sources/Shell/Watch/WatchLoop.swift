import QueryEngine
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The schedule and stopping rules of `watch`, apart from fetching and drawing, so they can be
/// tested with a clock that does not sleep. Ticks run on a fixed schedule (a slow fetch does not
/// push later ticks back; a tick it overran is skipped, not queued); throttling stretches the
/// interval; between ticks the loop sleeps, waking once a second only if the display asks to.
public struct WatchLoop: Sendable {
  public enum Outcome: Sendable, Equatable {
    /// `until` held.
    case satisfied(ticks: Int)
    /// `for` ran out first.
    case gaveUp(ticks: Int)
    /// Too many ticks failed in a row.
    case failed(ticks: Int, error: String, code: ExitCode)
  }

  public struct TickResult: Sendable {
    public var rows: [Row]
    /// The API throttled during this tick.
    public var throttled: Bool

    public init(rows: [Row], throttled: Bool) {
      self.rows = rows
      self.throttled = throttled
    }
  }

  /// What a display is told.
  public protocol Display: AnyObject {
    func tick(rows: [Row], events: [WatchEvent], at: Date, next: Duration?, state: State)
    func failed(_ error: any Error, at: Date, state: State)
    /// Once a second while waiting, when `wantsCountdown`.
    func idle(at: Date, next: Duration, state: State)
    var wantsCountdown: Bool { get }
  }

  public struct State: Sendable, Equatable {
    public var ticks = 0
    public var interval: Duration
    /// The interval in force: longer than asked while the API throttles.
    public var effectiveInterval: Duration
    public var failuresInARow = 0
  }

  public var interval: Duration
  /// The columns of the rows each tick yields.
  public var columns: [Column]
  public var until: BoundCheck?
  public var limit: Duration?
  /// Failed ticks in a row that end the watch; nil to keep trying (the REPL).
  public var maxFailuresInARow: Int?
  public var clock: any ClientClock

  public init(
    interval: Duration, columns: [Column], until: BoundCheck?, limit: Duration?, maxFailuresInARow: Int?,
    clock: any ClientClock
  ) {
    self.interval = interval
    self.columns = columns
    self.until = until
    self.limit = limit
    self.maxFailuresInARow = maxFailuresInARow
    self.clock = clock
  }

  public static let maxStretch = 8

  public func run(
    display: some Display, fetch: () async throws -> TickResult,
    enrich: ([WatchEvent]) async -> [WatchEvent] = { $0 },
    act: ([WatchEvent], Date) async throws -> Void = { _, _ in }
  ) async throws -> Outcome {
    let start = clock.monotonic()
    let deadline = limit.map { start + $0 }
    var state = State(interval: interval, effectiveInterval: interval)
    var previous: [Row]?
    var scheduled = start
    while true {
      state.ticks += 1
      do {
        let result = try await fetch()
        state.failuresInARow = 0
        let stretch = result.throttled ? min(Self.maxStretch, max(2, Int(state.effectiveInterval / interval) * 2)) : 1
        state.effectiveInterval = interval * stretch
        let diff = await enrich(WatchDiff.events(previous: previous, current: result.rows, columns: columns))
        previous = result.rows
        let done = until?.holds(for: result.rows) == true
        let next = done ? nil : nextTick(after: &scheduled, state: state)
        let at = clock.now()
        display.tick(rows: result.rows, events: diff, at: at, next: next.map { $0 - clock.monotonic() }, state: state)
        try await act(diff, at)
        if done { return .satisfied(ticks: state.ticks) }
      } catch is CancellationError {
        throw CancellationError()
      } catch {
        state.failuresInARow += 1
        display.failed(error, at: clock.now(), state: state)
        if let maxFailuresInARow, state.failuresInARow >= maxFailuresInARow {
          // The last failure's own exit code: a network failure is exit 4 here as anywhere.
          return .failed(ticks: state.ticks, error: "\(error)", code: Presenter.report(error).code)
        }
        _ = nextTick(after: &scheduled, state: state)
      }
      if let deadline, clock.monotonic() >= deadline { return .gaveUp(ticks: state.ticks) }
      // Sleep until the next tick, or the deadline if that comes first.
      let wakeAt = min(scheduled, deadline ?? scheduled)
      if display.wantsCountdown {
        while clock.monotonic() + .seconds(1) < wakeAt {
          try await clock.sleep(for: .seconds(1))
          display.idle(at: clock.now(), next: scheduled - clock.monotonic(), state: state)
        }
      }
      let pause = wakeAt - clock.monotonic()
      if pause > .zero { try await clock.sleep(for: pause) }
      if let deadline, deadline < scheduled, clock.monotonic() >= deadline { return .gaveUp(ticks: state.ticks) }
    }
  }

  /// The next moment on the schedule still in the future: overrun ticks are skipped.
  private func nextTick(after scheduled: inout Duration, state: State) -> Duration {
    scheduled += state.effectiveInterval
    let now = clock.monotonic()
    while scheduled <= now { scheduled += state.effectiveInterval }
    return scheduled
  }
}
