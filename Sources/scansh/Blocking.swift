import Dispatch

/// Runs async work from synchronous code (the command's `run()`), blocking the calling thread.
/// The work runs on the cooperative pool; the caller's thread only waits.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  let box = ResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    do {
      box.result = .success(try await body())
    } catch {
      box.result = .failure(error)
    }
    done.signal()
  }
  done.wait()
  return try box.result!.get()
}

/// Written by one task before a semaphore signal, read by one thread after the wait.
private final class ResultBox<T>: @unchecked Sendable {
  var result: Result<T, any Error>?
}
