import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Calls the scanner's read operations (the listings DescribeScans, DescribeScanSessions and
/// DescribeAllVulnerabilities, and DescribeVulnerability): builds and signs each request (a fresh
/// nonce and timestamp per attempt), sends it, decodes the answer, and retries what is worth
/// retrying.
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
    try await list(request.listRequest, wanted: wanted)
  }

  /// One page of a listing.
  public func list(_ request: ListRequest, wanted: FieldSet = .all) async throws -> PageResult {
    let rpc = RPCRequest(action: request.resource.action, version: Self.version, parameters: request.parameters)
    let format = configuration.format
    let (page, attempts, throttled) = try await call(rpc, page: request.currentPage) { body in
      try ResponseDecoder.page(from: body, format: format, resource: request.resource, wanted: wanted)
    }
    return PageResult(page: page, attempts: attempts, wasThrottled: throttled)
  }

  /// One finding with its details (DescribeVulnerability).
  public func describeVulnerability(id: String, lang: String? = nil, sourceIp: String? = nil) async throws -> Scan {
    var parameters = [("Id", id)]
    if let lang { parameters.append(("Lang", lang)) }
    if let sourceIp { parameters.append(("SourceIp", sourceIp)) }
    let rpc = RPCRequest(action: "DescribeVulnerability", version: Self.version, parameters: parameters)
    let format = configuration.format
    return try await call(rpc, page: nil) { body in try ResponseDecoder.finding(from: body, format: format) }.value
  }

  /// Sends one call, retrying as the policy allows; the decoded answer, the attempts it took, and
  /// whether the API throttled any of them.
  func call<Value>(
    _ rpc: RPCRequest, page: Int?, decode: @Sendable (Data) throws -> Value
  ) async throws -> (value: Value, attempts: Int, throttled: Bool) {
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
        let value = try await attemptOnce(rpc, page: page, attempt: attempt, decode: decode)
        return (value, attempt, wasThrottled)
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
      events(.retry(page: page, attempt: attempt, delay: delay, reason: Self.reason(failure)))
      try await clock.sleep(for: delay)
    }
  }

  private struct AttemptFailure: Error {
    var error: ScanAPIError
    var retryable: Bool
    var retryAfter: Duration? = nil
    var timedOut = false
  }

  private func attemptOnce<Value>(
    _ request: RPCRequest, page: Int?, attempt: Int, decode: (Data) throws -> Value
  ) async throws -> Value {
    let credentials = try await configuration.credentials.credentials()
    let httpRequest = signedRequest(request, with: credentials)
    let started = clock.monotonic()
    let response: HTTPResponse
    do {
      response = try await transport.send(httpRequest)
    } catch let error as TransportError {
      try Task.checkCancellation()
      report(request, page: page, status: nil, code: nil, attempt: attempt, since: started)
      let endpoint = configuration.endpoint.description
      switch error {
      case .bodyTooLarge:
        throw AttemptFailure(error: .malformedResponse(error.reason), retryable: false)
      case .untrusted:
        throw AttemptFailure(error: .network(endpoint: endpoint, reason: error.reason), retryable: false)
      case .timedOut:
        throw AttemptFailure(error: .network(endpoint: endpoint, reason: error.reason), retryable: true, timedOut: true)
      default:
        throw AttemptFailure(error: .network(endpoint: endpoint, reason: error.reason), retryable: true)
      }
    }
    if (200..<300).contains(response.status) {
      report(request, page: page, status: response.status, code: nil, attempt: attempt, since: started)
      do {
        return try decode(response.body)
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
    report(request, page: page, status: response.status, code: apiError.code, attempt: attempt, since: started)
    let retryAfter = response.headers["x-acs-retry-after"].flatMap(Int.init).map { Duration.milliseconds($0) }
    throw AttemptFailure(
      error: .api(redacted(apiError, credentials), attempts: attempt), retryable: apiError.isRetryable,
      retryAfter: retryAfter)
  }

  /// The DescribeScans call a request makes.
  static func rpc(_ request: DescribeScansRequest) -> RPCRequest {
    RPCRequest(action: action, version: version, parameters: request.parameters)
  }

  /// The signed HTTP request for one attempt of a DescribeScans call.
  func signedRequest(_ request: DescribeScansRequest, with credentials: Credentials) -> HTTPRequest {
    signedRequest(Self.rpc(request), with: credentials)
  }

  /// The signed HTTP request for one attempt.
  func signedRequest(_ request: RPCRequest, with credentials: Credentials) -> HTTPRequest {
    request.http(
      endpoint: configuration.endpoint, method: configuration.method, format: configuration.format,
      signing: .signed(credentials), at: clock.now(),
      headers: ["Accept": "application/json, text/xml", "User-Agent": configuration.userAgent])
  }

  private func report(
    _ request: RPCRequest, page: Int?, status: Int?, code: String?, attempt: Int, since started: Duration
  ) {
    events(
      .exchange(
        .init(
          method: configuration.method.rawValue, action: request.action, page: page,
          parameters: request.shownParameters, status: status, code: code, attempt: attempt,
          elapsed: clock.monotonic() - started)))
  }

  /// A server may echo what it was sent; never let a secret through in what it says.
  private func redacted(_ error: APIError, _ credentials: Credentials) -> APIError {
    var error = error
    for secret in credentials.secrets where !secret.isEmpty {
      error.message = error.message.replacingScalars(secret, with: "****")
      error.recommend = error.recommend?.replacingScalars(secret, with: "****")
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
