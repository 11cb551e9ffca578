import Foundation

/// A wait that ran out: what was awaited and, when known, what was seen instead.
public struct WaitTimedOut: Error, CustomStringConvertible {
  public var waitingFor: String
  public var seen: String

  public init(_ waitingFor: String, seen: String = "") {
    self.waitingFor = waitingFor
    self.seen = seen
  }

  public var description: String {
    "timed out waiting for \(waitingFor)" + (seen.isEmpty ? "" : "; last seen: \(seen)")
  }
}

/// Polls `condition` until it holds; throws `WaitTimedOut` naming `description` after `limit`, so a
/// test waits for a condition, never for a guess at how long it takes, and never forever.
public func eventually(
  _ description: String, limit: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + limit
  while try await !condition() {
    guard ContinuousClock.now < deadline else { throw WaitTimedOut(description) }
    try await Task.sleep(for: .milliseconds(20))
  }
}
