import Foundation

/// Time as `watch` needs it: a monotonic reading to schedule ticks, the wall clock for what it
/// prints, and sleeping until a moment. Tests use a clock that jumps instead of sleeping.
public protocol WatchClock: Sendable {
  func now() -> Duration
  func date() -> Date
  func sleep(until moment: Duration) async throws
}

public struct SystemWatchClock: WatchClock {
  private let origin = ContinuousClock.now
  private let wallClock: @Sendable () -> Date

  /// `wallClock` dates what watch prints (the demo's simulated time in demo mode).
  public init(wallClock: @escaping @Sendable () -> Date = { Date() }) {
    self.wallClock = wallClock
  }

  public func now() -> Duration { ContinuousClock.now - origin }

  public func date() -> Date { wallClock() }

  public func sleep(until moment: Duration) async throws {
    let delay = moment - now()
    if delay > .zero { try await Task.sleep(for: delay) }
  }
}
