/// Exponential backoff with full jitter, bounded in attempts and in total time.
public struct RetryPolicy: Sendable {
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// No retry starts once this much time has passed since the first attempt.
  public var budget: Duration
  /// Attempts at most for a request that timed out: each one already cost a whole timeout.
  public var maxTimeoutAttempts: Int
  /// Picks a delay in `0...ceiling`; replaced in tests to make backoff deterministic.
  public var jitter: @Sendable (Duration) -> Duration

  public init(
    maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
    budget: Duration = .seconds(30), maxTimeoutAttempts: Int = 2,
    jitter: @escaping @Sendable (Duration) -> Duration = RetryPolicy.fullJitter
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.budget = budget
    self.maxTimeoutAttempts = maxTimeoutAttempts
    self.jitter = jitter
  }

  public static let standard = RetryPolicy()

  /// No retries at all.
  public static let none = RetryPolicy(maxAttempts: 1)

  public static let fullJitter: @Sendable (Duration) -> Duration = { ceiling in
    let milliseconds = max(1, Int(ceiling / .milliseconds(1)))
    return .milliseconds(Int.random(in: 0...milliseconds))
  }

  /// The wait before attempt `attempt + 1`; a server's `x-acs-retry-after` takes precedence.
  public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
    if let retryAfter { return min(retryAfter, maxDelay) }
    let exponent = min(attempt - 1, 20)
    let ceiling = min(maxDelay, baseDelay * (1 << exponent))
    return jitter(ceiling)
  }
}
