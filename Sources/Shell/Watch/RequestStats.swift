import Synchronization

/// Requests and throttling seen by the client, for `watch`'s header and its interval stretching.
public final class RequestStats: Sendable {
  private let counts = Mutex<(requests: Int, throttled: Int)>((0, 0))

  public init() {}

  public func recordRequest() { counts.withLock { $0.requests += 1 } }

  public func recordThrottling() { counts.withLock { $0.throttled += 1 } }

  public var requests: Int { counts.withLock { $0.requests } }

  public var throttled: Int { counts.withLock { $0.throttled } }
}
