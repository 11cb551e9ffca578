/// Everything the API layer can fail with. Messages never carry a secret, a token or a signature.
public enum ScanAPIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The API answered with an error; `attempts` counts the tries made before giving up.
  case api(APIError, attempts: Int)
  /// The response was not what DescribeScans answers; the text says what was wrong.
  case malformedResponse(String)
  /// The endpoint could not be reached, or the connection failed.
  case network(endpoint: String, reason: String)
  case invalidEndpoint(String)
  /// Credentials are missing or misconfigured (a usage error: nothing was sent).
  case credentials(String)
  /// A call for credentials (STS, the instance metadata service, a credentials URI, an external
  /// process) was answered with a refusal; the text names what failed.
  case credentialCall(String)

  public var description: String {
    switch self {
    case .api(let error, let attempts):
      var text = "\(error.code): \(error.message) (HTTP \(error.httpStatus)"
      if let requestId = error.requestId { text += ", RequestId \(requestId)" }
      if attempts > 1 { text += ", gave up after \(attempts) attempts" }
      text += ")"
      return text
    case .malformedResponse(let what): return "malformed response: \(what)"
    case .network(let endpoint, let reason): return "network error talking to \(endpoint): \(reason)"
    case .invalidEndpoint(let what): return what
    case .credentials(let what), .credentialCall(let what): return what
    }
  }
}
