/// An error the API answered with: `{"RequestId","HostId","Code","Message","Recommend"}`.
public struct APIError: Sendable, Equatable {
  public var httpStatus: Int
  public var code: String
  public var message: String
  public var requestId: String?
  public var hostId: String?
  public var recommend: String?

  public init(
    httpStatus: Int, code: String, message: String, requestId: String? = nil, hostId: String? = nil,
    recommend: String? = nil
  ) {
    self.httpStatus = httpStatus
    self.code = code
    self.message = message
    self.requestId = requestId
    self.hostId = hostId
    self.recommend = recommend
  }

  public static let throttlingCodes: Set<String> = ["Throttling", "Throttling.User", "Throttling.Api"]

  public var isThrottling: Bool { Self.throttlingCodes.contains(code) }

  /// The request's STS token had expired: new credentials, not a wait, are the remedy.
  public var isExpiredToken: Bool {
    code == "InvalidSecurityToken.Expired" || (code == "InvalidParameter" && message.contains("SecurityToken.Expired"))
  }

  /// Throttling, 503 and other server-side failures are worth another try; auth and parameter
  /// errors never are.
  public var isRetryable: Bool {
    isThrottling || code == "ServiceUnavailable" || httpStatus >= 500
  }
}
