/// Faults on demand, after authentication (a real gateway throttles authenticated calls): the
/// control API forces the next N, and the configured rates draw the rest from a seeded generator.
struct FaultInjector: Sendable {
  enum Fault: Sendable, Equatable {
    /// HTTP 400 with one of the API's throttling codes, and `x-acs-retry-after` in milliseconds
    /// when set.
    case throttle(Throttling, retryAfterMs: Int?)
    /// A 5xx the service answers when it fails.
    case serverError(ServerError)
  }

  /// The API's throttling codes and their messages.
  enum Throttling: String, Sendable, CaseIterable {
    case plain = "Throttling"
    case user = "Throttling.User"
    case api = "Throttling.Api"

    var message: String {
      switch self {
      case .plain: "Request was denied due to request throttling."
      case .user: "Request was denied due to user flow control."
      case .api: "Request was denied due to api flow control."
      }
    }
  }

  enum ServerError: String, Sendable, CaseIterable {
    case serviceUnavailable = "ServiceUnavailable"
    case internalError = "InternalError"

    var status: Int { self == .internalError ? 500 : 503 }

    var message: String {
      switch self {
      case .serviceUnavailable: "The request has failed due to a temporary failure of the server."
      case .internalError: "The request processing has failed due to some unknown error, exception or failure."
      }
    }
  }

  let throttleRate: Double
  let errorRate: Double
  private let seed: UInt64
  private var random: SplitMix64
  private var throttleNext = 0
  /// The account forced throttling is for; nil for any.
  private var throttleAccount: Int?
  private var throttleCode = Throttling.user
  private var throttleRetryAfterMs: Int?
  private var failNext = 0
  private var failCode = ServerError.serviceUnavailable

  init(throttleRate: Double, errorRate: Double, seed: UInt64) {
    self.throttleRate = throttleRate
    self.errorRate = errorRate
    self.seed = seed
    random = SplitMix64(seed: seed ^ 0xFA17)
  }

  /// The fault for the next call, if any; forced ones first.
  mutating func next(account: Int = 0) -> Fault? {
    if throttleNext > 0, throttleAccount == nil || throttleAccount == account {
      throttleNext -= 1
      return .throttle(throttleCode, retryAfterMs: throttleRetryAfterMs)
    }
    if random.chance(throttleRate) {
      let code = Throttling.allCases[Int.random(in: 0..<Throttling.allCases.count, using: &random)]
      // About half of real throttling answers say when to retry.
      return .throttle(code, retryAfterMs: random.chance(0.5) ? Int.random(in: 20...120, using: &random) : nil)
    }
    if failNext > 0 {
      failNext -= 1
      return .serverError(failCode)
    }
    guard random.chance(errorRate) else { return nil }
    return .serverError(random.chance(0.5) ? .serviceUnavailable : .internalError)
  }

  mutating func throttle(next count: Int, code: Throttling = .user, retryAfterMs: Int?, account: Int? = nil) {
    throttleNext = count
    throttleAccount = account
    throttleCode = code
    throttleRetryAfterMs = retryAfterMs
  }

  mutating func fail(next count: Int, code: ServerError = .serviceUnavailable) {
    failNext = count
    failCode = code
  }

  /// As configured: nothing forced, the generator from its seed.
  mutating func reset() {
    self = FaultInjector(throttleRate: throttleRate, errorRate: errorRate, seed: seed)
  }
}
