#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Simulated time: starts at `epoch`, runs `speed` times as fast as real time, and can be pushed
/// forward by the control API. A held clock stands at its epoch until `start()`. The timestamp and
/// nonce checks use real time, not this.
struct SimClock: Sendable {
  let epochMs: Int64
  let speed: Double
  /// When simulated time began to run; nil while the clock is held.
  private(set) var realStart: ContinuousClock.Instant?
  var advancedMs: Int64 = 0

  init(epoch: Date, speed: Double, held: Bool = false) {
    epochMs = Int64(epoch.timeIntervalSince1970 * 1000)
    self.speed = speed
    realStart = held ? nil : .now
  }

  /// Lets a held clock run from now; a running one runs on.
  mutating func start(at instant: ContinuousClock.Instant = .now) {
    if realStart == nil { realStart = instant }
  }

  func nowMs(at instant: ContinuousClock.Instant = .now) -> Int64 {
    guard let realStart else { return epochMs + advancedMs }
    let elapsed = instant - realStart
    let realMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    return epochMs + Int64(realMs * speed) + advancedMs
  }
}
