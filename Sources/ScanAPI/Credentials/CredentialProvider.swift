#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Supplies the credentials each request is signed with. Static ones never change; temporary ones
/// are refreshed before they expire.
public protocol CredentialProvider: Sendable {
  func credentials() async throws -> Credentials
  /// The server said the token expired: the next call fetches new credentials.
  func invalidate() async
  /// When the current temporary credentials expire, for `show config`; nil for static ones.
  func expiration() async -> Date?
}

/// Credentials and when they stop working.
public struct TemporaryCredentials: Sendable, Equatable {
  public var credentials: Credentials
  public var expiration: Date?

  public init(_ credentials: Credentials, expiration: Date?) {
    self.credentials = credentials
    self.expiration = expiration
  }
}

public struct StaticCredentialProvider: CredentialProvider {
  public let value: Credentials
  public let expires: Date?

  public init(_ value: Credentials, expires: Date? = nil) {
    self.value = value
    self.expires = expires
  }

  public func credentials() async throws -> Credentials { value }
  public func invalidate() async {}
  public func expiration() async -> Date? { expires }
}

/// Temporary credentials kept in memory (never on disk) and fetched again before they expire:
/// with a margin of 180 s or a third of their lifetime, whichever is smaller, so that short test
/// lifetimes exercise it too. However many requests need them at once, one fetch runs.
public actor RefreshingCredentialProvider: CredentialProvider {
  public typealias Fetch = @Sendable () async throws -> TemporaryCredentials

  private let fetch: Fetch
  private let now: @Sendable () -> Date
  private var current: (value: TemporaryCredentials, fetchedAt: Date)?
  private var inFlight: Task<TemporaryCredentials, any Error>?
  /// How many fetches ran, for tests and `--verbose`.
  public private(set) var fetches = 0

  public init(now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch) {
    self.fetch = fetch
    self.now = now
  }

  public func credentials() async throws -> Credentials {
    if let current, isFresh(current.value, fetchedAt: current.fetchedAt) { return current.value.credentials }
    let task: Task<TemporaryCredentials, any Error>
    if let inFlight {
      task = inFlight
    } else {
      let fetch = fetch
      task = Task { try await fetch() }
      inFlight = task
      fetches += 1
    }
    defer { if inFlight == task { inFlight = nil } }
    let value = try await task.value
    current = (value, now())
    return value.credentials
  }

  public func invalidate() async { current = nil }

  public func expiration() async -> Date? { current?.value.expiration }

  private func isFresh(_ value: TemporaryCredentials, fetchedAt: Date) -> Bool {
    guard let expiration = value.expiration else { return true }
    let lifetime = expiration.timeIntervalSince(fetchedAt)
    let margin = min(180, max(0, lifetime) / 3)
    return now() < expiration.addingTimeInterval(-margin)
  }
}
