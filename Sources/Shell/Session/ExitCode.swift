#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// scansh's exit codes (docs/design.md §2).
public enum ExitCode: Int32, Sendable, Comparable {
  case success = 0
  /// An `expect` or `watch … until` did not hold, or `watch … for` ran out.
  case checkFailed = 1
  /// Usage or parse error; a script with any parse error runs nothing.
  case usage = 2
  /// API error: auth, throttled past retries, malformed response.
  case api = 3
  case network = 4
  /// A local file could not be written (`save` into a read-only folder or a full disk).
  case io = 5
  /// A bug in scansh: an error no layer declares.
  case internalError = 70
  case interrupted = 130
  /// SIGHUP: the terminal went away (128 + 1, as shells report it).
  case hungUp = 129
  /// SIGTERM: asked to stop (128 + 15).
  case terminated = 143

  /// The code for ending on a signal: SIGINT, SIGHUP or SIGTERM.
  public static func signaled(_ number: Int32) -> ExitCode {
    switch number {
    case SIGHUP: .hungUp
    case SIGTERM: .terminated
    default: .interrupted
    }
  }

  /// Which of two failures a run reports: the more serious one.
  public static func < (a: ExitCode, b: ExitCode) -> Bool { a.severity < b.severity }

  private var severity: Int {
    switch self {
    case .success: 0
    case .checkFailed: 1
    case .usage: 2
    case .api: 3
    case .network: 4
    case .io: 5
    case .internalError: 6
    case .interrupted, .hungUp, .terminated: 7
    }
  }
}
