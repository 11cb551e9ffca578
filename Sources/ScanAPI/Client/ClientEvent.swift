/// What the client and the listing report as they work: one line each under `--verbose`,
/// warnings always, progress for the REPL's status line. Never contains a secret.
public enum ClientEvent: Sendable, Equatable {
  /// One HTTP exchange finished (or failed at the transport, with status `nil`).
  case exchange(Exchange)
  /// A failed attempt will be tried again after `delay`.
  case retry(page: Int?, attempt: Int, delay: Duration, reason: String)
  /// Pages and rows read so far by a listing; `totalPages` once known.
  case progress(pages: Int, totalPages: Int?, rows: Int)
  case warning(String)

  public struct Exchange: Sendable, Equatable {
    public var method: String
    public var action: String
    public var page: Int?
    /// Operation parameters only: never credentials, nonce or signature.
    public var parameters: [String]
    public var status: Int?
    public var code: String?
    public var attempt: Int
    public var elapsed: Duration

    public init(
      method: String, action: String, page: Int?, parameters: [String], status: Int?, code: String?,
      attempt: Int, elapsed: Duration
    ) {
      self.method = method
      self.action = action
      self.page = page
      self.parameters = parameters
      self.status = status
      self.code = code
      self.attempt = attempt
      self.elapsed = elapsed
    }
  }
}

public typealias ClientEventSink = @Sendable (ClientEvent) -> Void
