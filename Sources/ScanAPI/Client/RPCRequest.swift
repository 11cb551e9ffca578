import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One call of an Alibaba Cloud RPC API as the official SDKs send it, for every operation scansh
/// calls (DescribeScans, STS's AssumeRole and AssumeRoleWithOIDC): the common parameters, the
/// operation's own in a form body (POST) or in the query (GET), signature v1 over both, and what
/// `--verbose` may show of it. A value; `http(…)` makes the request for one attempt.
public struct RPCRequest: Sendable {
  public enum Method: String, Sendable {
    /// As the official SDK: common parameters in the query, operation parameters in a form body.
    case post = "POST"
    /// Everything in the query, as the reference's examples show.
    case get = "GET"
  }

  /// Who the call is from: signed with an AccessKey pair (and an STS token), or anonymous, as
  /// AssumeRoleWithOIDC is (its proof is the OIDC token among its parameters).
  public enum Signing: Sendable {
    case signed(Credentials)
    case unsigned
  }

  /// Parameters whose values `--verbose` never shows.
  public static let secretParameters: Set<String> = ["OIDCToken", "SecurityToken", "AccessKeySecret", "Signature"]

  public var action: String
  public var version: String
  /// The operation's own parameters, in the order they are sent.
  public var parameters: [(String, String)]
  /// The parameters `--verbose` shows; nil for all of them (secret ones masked either way).
  public var shownKeys: Set<String>?

  public init(action: String, version: String, parameters: [(String, String)], shownKeys: Set<String>? = nil) {
    self.action = action
    self.version = version
    self.parameters = parameters
    self.shownKeys = shownKeys
  }

  /// The request for one attempt: its own nonce and timestamp, signed as `signing` says.
  public func http(
    endpoint: Endpoint, method: Method = .post, format: ResponseFormat = .json, signing: Signing, at now: Date,
    nonce: String = UUID().uuidString, headers extra: [String: String] = [:]
  ) -> HTTPRequest {
    var common: [(String, String)] = [("Action", action), ("Version", version), ("Format", format.rawValue)]
    let timestamp = ("Timestamp", WireTimestamp.format(secondsSince1970: now.timeIntervalSince1970))
    var signature: String?
    switch signing {
    case .signed(let credentials):
      common += [
        ("AccessKeyId", credentials.accessKeyId), ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce), timestamp,
      ]
      if let token = credentials.securityToken { common.append(("SecurityToken", token)) }
      signature = Signer.signature(
        method: method.rawValue, parameters: common + parameters, secret: credentials.accessKeySecret)
    case .unsigned:
      common.append(timestamp)
    }
    let signed = signature.map { [("Signature", $0)] } ?? []
    var headers = extra
    let query: [(String, String)]
    var body: Data?
    switch method {
    case .post:
      query = common + signed
      body = Data(PercentEncoding.pairs(parameters, form: true).utf8)
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    case .get:
      query = common + parameters + signed
    }
    let url = URL(string: endpoint.url.absoluteString + "?" + PercentEncoding.pairs(query))!
    return HTTPRequest(method: method.rawValue, url: url, headers: headers, body: body)
  }

  /// `Key=value` for `--verbose`: the shown parameters, secret values as `****`.
  public var shownParameters: [String] {
    parameters.filter { shownKeys?.contains($0.0) ?? true }.map {
      "\($0.0)=\(Self.secretParameters.contains($0.0) ? "****" : $0.1)"
    }
  }
}
