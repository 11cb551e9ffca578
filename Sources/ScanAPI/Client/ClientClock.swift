#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Time as scansh needs it: wall time (the client's `Timestamp`, what `watch` prints), a monotonic
/// reading (retry budgets, watch schedules), and sleeping. Tests inject a clock that does not
/// really sleep.
public protocol ClientClock: Sendable {
  func now() -> Date
  func monotonic() -> Duration
  func sleep(for duration: Duration) async throws
}

public struct SystemClock: ClientClock {
  private let origin = ContinuousClock.now
  private let wallClock: @Sendable () -> Date

  /// `wallClock` can run on simulated time (demo mode's), while sleeps stay real.
  public init(wallClock: @escaping @Sendable () -> Date = { Date() }) {
    self.wallClock = wallClock
  }

  public func now() -> Date { wallClock() }

  public func monotonic() -> Duration { ContinuousClock.now - origin }

  public func sleep(for duration: Duration) async throws {
    try await Task.sleep(for: duration)
  }
}
