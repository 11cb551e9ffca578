import Foundation
import Vocabulary

/// Calls DescribeScans: builds and signs the request (a fresh nonce and timestamp per attempt),
/// sends it, decodes the answer, and retries what is worth retrying.
public struct ScanClient: Sendable {
  public typealias Method = RPCRequest.Method

  public struct Configuration: Sendable {
    public var endpoint: Endpoint
    /// What each attempt is signed with; temporary credentials are refreshed by it.
    public var credentials: any CredentialProvider
    public var method: Method
    public var format: ResponseFormat
    public var retry: RetryPolicy
    /// Sent as `User-Agent`: the program and its version, which the shell sets.
    public var userAgent = "scansh"

    public init(
      endpoint: Endpoint, credentials: any CredentialProvider, method: Method = .post, format: ResponseFormat = .json,
      retry: RetryPolicy = .standard
    ) {
      self.endpoint = endpoint
      self.credentials = credentials
      self.method = method
      self.format = format
      self.retry = retry
    }

    public init(
      endpoint: Endpoint, credentials: Credentials, method: Method = .post, format: ResponseFormat = .json,
      retry: RetryPolicy = .standard
    ) {
      self.init(
        endpoint: endpoint, credentials: StaticCredentialProvider(credentials), method: method, format: format,
        retry: retry)
    }
  }

  /// A page and how hard it was to get.
  public struct PageResult: Sendable {
    public var page: ScanPage
    public var attempts: Int
    /// True when the API throttled at least one attempt.
    public var wasThrottled: Bool
  }

  public static let action = "DescribeScans"
  public static let version = "2017-11-29"

  public let configuration: Configuration
  let transport: any HTTPTransport
  let clock: any ClientClock
  let events: ClientEventSink

  public init(
    configuration: Configuration, transport: any HTTPTransport, clock: any ClientClock = SystemClock(),
    events: @escaping ClientEventSink = { _ in }
  ) {
    self.configuration = configuration
    self.transport = transport
    self.clock = clock
    self.events = events
  }

  public func describeScans(_ request: DescribeScansRequest, wanted: FieldSet = .all) async throws -> PageResult {
    let policy = configuration.retry
    let started = clock.monotonic()
    var attempt = 0
    var timeouts = 0
    var wasThrottled = false
    var refreshedForExpiry = false
    while true {
      attempt += 1
      let failure: ScanAPIError
      var retryAfter: Duration?
      do {
        let page = try await attemptOnce(request, attempt: attempt, wanted: wanted)
        return PageResult(page: page, attempts: attempt, wasThrottled: wasThrottled)
      } catch let error as AttemptFailure {
        failure = error.error
        retryAfter = error.retryAfter
        // A token that expired under us: fetch new credentials once and try again at once.
        if case .api(let api, _) = failure, api.isExpiredToken, !refreshedForExpiry {
          refreshedForExpiry = true
          await configuration.credentials.invalidate()
          continue
        }
        if case .api(let api, _) = failure, api.isThrottling { wasThrottled = true }
        if error.timedOut { timeouts += 1 }
        guard error.retryable, attempt < policy.maxAttempts, timeouts < policy.maxTimeoutAttempts || !error.timedOut
        else { throw Self.withAttempts(failure, attempt) }
      }
      let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
      guard clock.monotonic() - started + delay <= policy.budget else { throw Self.withAttempts(failure, attempt) }
      events(.retry(page: request.currentPage, attempt: attempt, delay: delay, reason: Self.reason(failure)))
      try await clock.sleep(for: delay)
    }
  }

  private struct AttemptFailure: Error {
    var error: ScanAPIError
    var retryable: Bool
    var retryAfter: Duration? = nil
    var timedOut = false
  }

  private func attemptOnce(_ request: DescribeScansRequest, attempt: Int, wanted: FieldSet) async throws -> ScanPage {
    let credentials = try await configuration.credentials.credentials()
    let httpRequest = signedRequest(request, with: credentials)
    let started = clock.monotonic()
    let response: HTTPResponse
    do {
      response = try await transport.send(httpRequest)
    } catch let error as TransportError {
      try Task.checkCancellation()
      report(request, status: nil, code: nil, attempt: attempt, since: started)
      let endpoint = configuration.endpoint.description
      switch error {
      case .bodyTooLarge:
        throw AttemptFailure(error: .malformedResponse(error.reason), retryable: false)
      case .timedOut:
        throw AttemptFailure(error: .network(endpoint: endpoint, reason: error.reason), retryable: true, timedOut: true)
      default:
        throw AttemptFailure(error: .network(endpoint: endpoint, reason: error.reason), retryable: true)
      }
    }
    if (200..<300).contains(response.status) {
      report(request, status: response.status, code: nil, attempt: attempt, since: started)
      do {
        return try ResponseDecoder.page(from: response.body, format: configuration.format, wanted: wanted)
      } catch let error as ScanAPIError {
        throw AttemptFailure(error: error, retryable: false)
      }
    }
    let apiError =
      ResponseDecoder.apiError(from: response.body, httpStatus: response.status)
      ?? APIError(
        httpStatus: response.status, code: "HTTP\(response.status)",
        message: "the server answered HTTP \(response.status) with a body that is not an API error: "
          + response.body.withUnsafeBytes { ResponseDecoder.excerpt($0.bindMemory(to: UInt8.self)) })
    report(request, status: response.status, code: apiError.code, attempt: attempt, since: started)
    let retryAfter = response.headers["x-acs-retry-after"].flatMap(Int.init).map { Duration.milliseconds($0) }
    throw AttemptFailure(
      error: .api(redacted(apiError, credentials), attempts: attempt), retryable: apiError.isRetryable,
      retryAfter: retryAfter)
  }

  /// The DescribeScans call a request makes.
  static func rpc(_ request: DescribeScansRequest) -> RPCRequest {
    RPCRequest(action: action, version: version, parameters: request.parameters)
  }

  /// The signed HTTP request for one attempt.
  func signedRequest(_ request: DescribeScansRequest, with credentials: Credentials) -> HTTPRequest {
    Self.rpc(request).http(
      endpoint: configuration.endpoint, method: configuration.method, format: configuration.format,
      signing: .signed(credentials), at: clock.now(),
      headers: ["Accept": "application/json, text/xml", "User-Agent": configuration.userAgent])
  }

  private func report(
    _ request: DescribeScansRequest, status: Int?, code: String?, attempt: Int, since started: Duration
  ) {
    events(
      .exchange(
        .init(
          method: configuration.method.rawValue, action: Self.action, page: request.currentPage,
          parameters: Self.rpc(request).shownParameters, status: status, code: code, attempt: attempt,
          elapsed: clock.monotonic() - started)))
  }

  /// A server may echo what it was sent; never let a secret through in what it says.
  private func redacted(_ error: APIError, _ credentials: Credentials) -> APIError {
    var error = error
    for secret in credentials.secrets where !secret.isEmpty {
      error.message = error.message.replacing(secret, with: "****")
      error.recommend = error.recommend?.replacing(secret, with: "****")
    }
    return error
  }

  private static func withAttempts(_ error: ScanAPIError, _ attempts: Int) -> ScanAPIError {
    if case .api(let api, _) = error { return .api(api, attempts: attempts) }
    return error
  }

  private static func reason(_ error: ScanAPIError) -> String {
    switch error {
    case .api(let api, _): "\(api.code) (HTTP \(api.httpStatus))"
    case .network(_, let reason): reason
    default: error.description
    }
  }
}
