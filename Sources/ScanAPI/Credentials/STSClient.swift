import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// STS (version 2015-04-01) as the official SDKs call it: POST, the common parameters in the
/// query, the operation's in a form body; AssumeRole signed v1 with the source credentials (the
/// same signer as DescribeScans), AssumeRoleWithOIDC unsigned.
public struct STSClient: Sendable {
  public static let version = "2015-04-01"

  public let endpoint: Endpoint
  let transport: any HTTPTransport
  let events: ClientEventSink
  let now: @Sendable () -> Date

  public init(
    endpoint: Endpoint, transport: any HTTPTransport, events: @escaping ClientEventSink = { _ in },
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.endpoint = endpoint
    self.transport = transport
    self.events = events
    self.now = now
  }

  /// `what` names the call in errors: `AssumeRole for profile 'ci' (role acs:ram::…)`.
  public func assumeRole(_ role: CredentialSpec.RoleRequest, with source: Credentials, what: String) async throws
    -> TemporaryCredentials
  {
    var form: [(String, String)] = [("RoleArn", role.roleArn)]
    if let policy = role.policy { form.append(("Policy", policy)) }
    if let externalId = role.externalId { form.append(("ExternalId", externalId)) }
    form += [("RoleSessionName", role.sessionName), ("DurationSeconds", String(role.durationSeconds))]
    return try await call(
      RPCRequest(action: "AssumeRole", version: Self.version, parameters: form, shownKeys: Self.shown),
      signing: .signed(source), what: what, secrets: source.secrets)
  }

  /// What `--verbose` shows of a call: which role, for which session.
  static let shown: Set<String> = ["RoleArn", "RoleSessionName"]

  public func assumeRoleWithOIDC(
    _ role: CredentialSpec.RoleRequest, providerArn: String, token: String, what: String
  ) async throws -> TemporaryCredentials {
    var form: [(String, String)] = [("RoleArn", role.roleArn), ("OIDCProviderArn", providerArn), ("OIDCToken", token)]
    if let policy = role.policy { form.append(("Policy", policy)) }
    form += [("RoleSessionName", role.sessionName), ("DurationSeconds", String(role.durationSeconds))]
    return try await call(
      RPCRequest(action: "AssumeRoleWithOIDC", version: Self.version, parameters: form, shownKeys: Self.shown),
      signing: .unsigned, what: what, secrets: [token])
  }

  private func call(
    _ rpc: RPCRequest, signing: RPCRequest.Signing, what: String, secrets: [String]
  ) async throws -> TemporaryCredentials {
    let action = rpc.action
    let request = rpc.http(
      endpoint: endpoint, signing: signing, at: now(), headers: ["Accept-Encoding": "identity"])
    let started = ContinuousClock.now
    let shown = rpc.shownParameters
    let response: HTTPResponse
    do {
      response = try await transport.send(request)
    } catch let error as TransportError {
      report(action, shown, status: nil, code: nil, since: started)
      throw ScanAPIError.network(endpoint: endpoint.description, reason: "\(what) failed: \(error.reason)")
    }
    let object = JSONValue.parse(response.body)
    guard response.status == 200 else {
      let code = object?["Code"]?.string ?? "HTTP\(response.status)"
      var message = object?["Message"]?.string ?? "HTTP \(response.status)"
      for secret in secrets where !secret.isEmpty { message = message.replacingScalars(secret, with: "****") }
      report(action, shown, status: response.status, code: code, since: started)
      throw ScanAPIError.credentialCall("\(what) failed: \(code): \(message)")
    }
    report(action, shown, status: response.status, code: nil, since: started)
    guard let document = object?["Credentials"],
      let credentials = TemporaryCredentials(document: document)
    else {
      throw ScanAPIError.credentialCall("\(what) failed: the answer has no complete Credentials")
    }
    return credentials
  }

  private func report(
    _ action: String, _ parameters: [String], status: Int?, code: String?, since: ContinuousClock.Instant
  ) {
    events(
      .exchange(
        .init(
          method: "POST", action: action, page: nil, parameters: parameters, status: status, code: code, attempt: 1,
          elapsed: ContinuousClock.now - since)))
  }
}

extension TemporaryCredentials {
  /// `{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration":"yyyy-MM-ddTHH:mm:ssZ"}`, as
  /// STS, the instance metadata service and credentials URIs all answer.
  init?(document: JSONValue) {
    guard let id = document["AccessKeyId"]?.string, !id.isEmpty,
      let secret = document["AccessKeySecret"]?.string, !secret.isEmpty,
      let token = document["SecurityToken"]?.string, !token.isEmpty
    else { return nil }
    let expiration = document["Expiration"]?.string.flatMap(WireTimestamp.parse).map {
      Date(timeIntervalSince1970: TimeInterval($0))
    }
    self.init(Credentials(accessKeyId: id, accessKeySecret: secret, securityToken: token), expiration: expiration)
  }
}
