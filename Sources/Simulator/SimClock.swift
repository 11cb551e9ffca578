import Foundation

/// Simulated time: starts at `epoch`, runs `speed` times as fast as real time, and can be pushed
/// forward by the control API. The timestamp and nonce checks use real time, not this.
struct SimClock: Sendable {
  let epochMs: Int64
  let speed: Double
  let realStart: ContinuousClock.Instant
  var advancedMs: Int64 = 0

  init(epoch: Date, speed: Double) {
    epochMs = Int64(epoch.timeIntervalSince1970 * 1000)
    self.speed = speed
    realStart = .now
  }

  func nowMs(at instant: ContinuousClock.Instant = .now) -> Int64 {
    let elapsed = instant - realStart
    let realMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    return epochMs + Int64(realMs * speed) + advancedMs
  }
}
