import Foundation
import ScanAPI
import Synchronization

/// A clock for unit tests: time moves only when the code under test sleeps, and every sleep is
/// recorded instead of waited for.
public final class ManualClock: ClientClock, Sendable {
  private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
  private let wallStart: Date
  private let onSleep: (@Sendable (Duration) async -> Void)?

  /// `onSleep` is told of each sleep: a simulator's clock can be moved on with it.
  public init(
    wallStart: Date = Date(timeIntervalSince1970: 1_793_610_000), onSleep: (@Sendable (Duration) async -> Void)? = nil
  ) {
    self.wallStart = wallStart
    self.onSleep = onSleep
  }

  public func now() -> Date {
    wallStart.addingTimeInterval(Double(state.withLock { $0.now } / .milliseconds(1)) / 1000)
  }

  public func monotonic() -> Duration { state.withLock { $0.now } }

  public func sleep(for duration: Duration) async throws {
    try Task.checkCancellation()
    state.withLock {
      $0.now += duration
      $0.sleeps.append(duration)
    }
    await onSleep?(duration)
  }

  public var sleeps: [Duration] { state.withLock { $0.sleeps } }

  /// Time passing without a sleep: work that takes a while.
  public func advance(by duration: Duration) { state.withLock { $0.now += duration } }
}

/// Collects what a client reports.
public final class EventRecorder: Sendable {
  private let events = Mutex<[ClientEvent]>([])

  public init() {}

  public var sink: ClientEventSink { { event in self.events.withLock { $0.append(event) } } }

  public var all: [ClientEvent] { events.withLock { $0 } }

  public var warnings: [String] {
    all.compactMap { if case .warning(let text) = $0 { text } else { nil } }
  }

  public var retries: Int {
    all.filter { if case .retry = $0 { true } else { false } }.count
  }
}
