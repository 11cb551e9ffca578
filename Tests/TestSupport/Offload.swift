import Foundation

/// Runs blocking work (waiting for a child process, reading a terminal) on a thread of its own, so
/// it never holds one of the few threads of Swift's cooperative pool, which the in-process
/// simulators of other tests need to answer.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread.detachNewThread {
      do {
        continuation.resume(returning: try work())
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}
