import Synchronization

/// How long demo mode's simulated time has run: not at all until `start()`, which demo mode calls
/// once its first pipeline has read its rows, so that a first statement sees the same world
/// whenever and however fast it runs (and the README's outputs are what a newcomer sees). The
/// simulator's own clock is held and started with it.
public final class DemoClock: Sendable {
  private let started = Mutex<ContinuousClock.Instant?>(nil)

  public init() {}

  /// Starts the clock unless it runs already; true the first time.
  @discardableResult
  public func start() -> Bool {
    started.withLock { started in
      guard started == nil else { return false }
      started = .now
      return true
    }
  }

  public func elapsed() -> Duration {
    started.withLock { started in started.map { ContinuousClock.now - $0 } ?? .zero }
  }
}
