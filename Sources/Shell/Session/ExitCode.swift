/// scansh's exit codes (DESIGN.md §2).
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
    case .interrupted: 7
    }
  }
}
