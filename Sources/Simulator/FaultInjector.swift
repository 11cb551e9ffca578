/// Faults on demand, after authentication (a real gateway throttles authenticated calls): the
/// control API forces the next N, and the configured rates draw the rest from a seeded generator.
struct FaultInjector: Sendable {
  enum Fault: Sendable, Equatable {
    /// `Throttling.User`, with `x-acs-retry-after` in milliseconds when set.
    case throttle(retryAfterMs: Int?)
    /// 503 `ServiceUnavailable`.
    case unavailable
  }

  let throttleRate: Double
  let errorRate: Double
  private let seed: UInt64
  private var random: SplitMix64
  private var throttleNext = 0
  private var throttleRetryAfterMs: Int?
  private var failNext = 0

  init(throttleRate: Double, errorRate: Double, seed: UInt64) {
    self.throttleRate = throttleRate
    self.errorRate = errorRate
    self.seed = seed
    random = SplitMix64(seed: seed ^ 0xFA17)
  }

  /// The fault for the next call, if any; forced ones first.
  mutating func next() -> Fault? {
    if throttleNext > 0 {
      throttleNext -= 1
      return .throttle(retryAfterMs: throttleRetryAfterMs)
    }
    if random.chance(throttleRate) {
      // About half of real throttling answers say when to retry.
      return .throttle(retryAfterMs: random.chance(0.5) ? Int.random(in: 20...120, using: &random) : nil)
    }
    if failNext > 0 {
      failNext -= 1
      return .unavailable
    }
    return random.chance(errorRate) ? .unavailable : nil
  }

  mutating func throttle(next count: Int, retryAfterMs: Int?) {
    throttleNext = count
    throttleRetryAfterMs = retryAfterMs
  }

  mutating func fail(next count: Int) { failNext = count }

  /// As configured: nothing forced, the generator from its seed.
  mutating func reset() {
    self = FaultInjector(throttleRate: throttleRate, errorRate: errorRate, seed: seed)
  }
}
