import Foundation

/// Time as the client needs it: wall time for `Timestamp`, a monotonic reading for budgets and
/// durations, and sleeping between retries. Tests inject a clock that does not really sleep.
public protocol ClientClock: Sendable {
  func now() -> Date
  func monotonic() -> Duration
  func sleep(for duration: Duration) async throws
}

public struct SystemClock: ClientClock {
  private let origin = ContinuousClock.now

  public init() {}

  public func now() -> Date { Date() }

  public func monotonic() -> Duration { ContinuousClock.now - origin }

  public func sleep(for duration: Duration) async throws {
    try await Task.sleep(for: duration)
  }
}
