import Dispatch
import Foundation

/// Runs async work from a synchronous caller, cancelling it on Ctrl-C (SIGINT) or SIGTERM: the
/// work's tasks are cancelled, its in-flight requests with them, and temporary files are removed.
public enum Interruptible {
  public static func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> (value: T?, interrupted: Bool) {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    let task = Task {
      box.value = await work()
      done.signal()
    }
    let queue = DispatchQueue(label: "scansh.signals")
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        box.interrupted = true
        task.cancel()
      }
      source.resume()
      sources.append(source)
    }
    done.wait()
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
    return (box.value, box.interrupted)
  }

  /// Written before the semaphore is signalled and read after the wait; `interrupted` is set on
  /// the signal queue and read after the work ends.
  private final class Box<T>: @unchecked Sendable {
    var value: T?
    var interrupted = false
  }
}
