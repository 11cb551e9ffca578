import Dispatch
import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The one bridge from synchronous code (the executable's `run()`, the REPL's loop) to async work.
/// The work runs as a task on the cooperative pool while the calling thread waits in `poll` for it
/// to end, or for an interrupting descriptor (a signal self-pipe) to become readable.
public enum Blocking {
  /// What the waiting thread also watches: when `descriptor` is readable, `shouldCancel` runs (on
  /// the waiting thread) and says whether to cancel the work.
  public struct Interruption {
    public var descriptor: Int32
    public var shouldCancel: () -> Bool

    public init(descriptor: Int32, shouldCancel: @escaping () -> Bool) {
      self.descriptor = descriptor
      self.shouldCancel = shouldCancel
    }
  }

  /// Runs `work` to its end; `cancelled` says whether an interruption cancelled it.
  public static func run<T: Sendable>(
    interruption: Interruption? = nil, _ work: @escaping @Sendable () async throws -> T
  ) -> (result: Result<T, any Error>, cancelled: Bool) {
    var done: [Int32] = [-1, -1]
    guard pipe(&done) == 0 else { return (.failure(ShellError.bridgeFailed(Self.lastError("pipe()"))), false) }
    defer {
      close(done[0])
      close(done[1])
    }
    let box = Mutex<Result<T, any Error>?>(nil)
    let writeEnd = done[1]
    let task = Task {
      let result: Result<T, any Error>
      do { result = .success(try await work()) } catch { result = .failure(error) }
      box.withLock { $0 = result }
      var byte: UInt8 = 1
      _ = write(writeEnd, &byte, 1)
    }
    var descriptors = [pollfd(fd: done[0], events: Int16(POLLIN), revents: 0)]
    if let interruption { descriptors.append(pollfd(fd: interruption.descriptor, events: Int16(POLLIN), revents: 0)) }
    var cancelled = false
    while true {
      // EINTR: a signal handler has written to its self-pipe; poll again and see it.
      guard poll(&descriptors, nfds_t(descriptors.count), -1) >= 0 else { continue }
      if descriptors.count > 1, descriptors[1].revents != 0, interruption?.shouldCancel() == true {
        cancelled = true
        task.cancel()
      }
      if descriptors[0].revents != 0 { break }
    }
    return (box.withLock { $0 }!, cancelled)
  }

  /// Runs `work`, cancelling it on Ctrl-C (SIGINT), SIGTERM or SIGHUP: its tasks are cancelled,
  /// in-flight requests with them, and temporary files are removed. `signal` is the one that came.
  public static func runInterruptibly<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> (
    result: Result<T, any Error>, signal: Int32?
  ) {
    var signalPipe: [Int32] = [-1, -1]
    guard pipe(&signalPipe) == 0 else { return (.failure(ShellError.bridgeFailed(Self.lastError("pipe()"))), nil) }
    defer {
      close(signalPipe[0])
      close(signalPipe[1])
    }
    let writeEnd = signalPipe[1]
    let queue = DispatchQueue(label: "scansh.signals")
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM, SIGHUP] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        var byte = UInt8(number)
        _ = write(writeEnd, &byte, 1)
      }
      source.resume()
      sources.append(source)
    }
    defer {
      for source in sources { source.cancel() }
      for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
    }
    let readEnd = signalPipe[0]
    var received: Int32?
    let (result, _) = run(
      interruption: Interruption(descriptor: readEnd) {
        var byte: UInt8 = 0
        _ = read(readEnd, &byte, 1)
        // The first signal says how the run ended.
        received = received ?? Int32(byte)
        return true
      }, work)
    return (result, received)
  }

  /// `pipe() failed: Too many open files`, from errno.
  static func lastError(_ call: String) -> String {
    "\(call) failed: \(String(cString: strerror(errno)))"
  }
}
