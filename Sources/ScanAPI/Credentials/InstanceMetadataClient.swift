import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The ECS instance metadata service's RAM role credentials: IMDSv2 (a token from `PUT
/// /latest/api/token`, sent with each `GET`), falling back to v1 unless that is disabled; the role
/// discovered when not named. A fresh token before each GET, as the SDKs do.
public struct InstanceMetadataClient: Sendable {
  static let tokenTTL = "21600"
  static let credentialsPath = "/latest/meta-data/ram/security-credentials/"

  public let endpoint: Endpoint
  let settings: CredentialSpec.MetadataSettings
  let transport: any HTTPTransport
  let events: ClientEventSink

  public init(
    settings: CredentialSpec.MetadataSettings, transport: any HTTPTransport,
    events: @escaping ClientEventSink = { _ in }
  ) throws {
    self.settings = settings
    endpoint = try Endpoint.metadata(settings.endpoint)
    self.transport = transport
    self.events = events
  }

  public func credentials(roleName: String?) async throws -> TemporaryCredentials {
    let role: String
    if let roleName, !roleName.isEmpty {
      role = roleName
    } else {
      role = try await get(Self.credentialsPath, what: "the instance's RAM role")
        .trimmed()
      guard !role.isEmpty else {
        throw ScanAPIError.credentialCall("the instance metadata service names no RAM role for this instance")
      }
    }
    let text = try await get(Self.credentialsPath + role, what: "the credentials of RAM role '\(role)'")
    guard let document = JSONValue.parse(Data(text.utf8)), document["Code"]?.string == "Success",
      let credentials = TemporaryCredentials(document: document)
    else {
      throw ScanAPIError.credentialCall(
        "the instance metadata service's credentials for RAM role '\(role)' are not a Success document")
    }
    return credentials
  }

  private func get(_ path: String, what: String) async throws -> String {
    var headers: [String: String] = [:]
    if let token = try await token() { headers["X-aliyun-ecs-metadata-token"] = token }
    let response = try await send(HTTPRequest(method: "GET", url: url(path), headers: headers), path: path)
    guard response.status == 200 else {
      throw ScanAPIError.credentialCall(
        "the instance metadata service answered HTTP \(response.status) for \(what) (\(endpoint)\(path))")
    }
    return String(decoding: response.body, as: UTF8.self)
  }

  /// An IMDSv2 token, or nil to go on with v1 when that is allowed.
  private func token() async throws -> String? {
    let path = "/latest/api/token"
    let request = HTTPRequest(
      method: "PUT", url: url(path), headers: ["X-aliyun-ecs-metadata-token-ttl-seconds": Self.tokenTTL])
    do {
      let response = try await send(request, path: path)
      if response.status == 200 { return String(decoding: response.body, as: UTF8.self) }
      guard !settings.v1Disabled else {
        throw ScanAPIError.credentialCall(
          "the instance metadata service gave no IMDSv2 token (HTTP \(response.status)), and IMDSv1 is disabled")
      }
    } catch let error as ScanAPIError where !settings.v1Disabled {
      if case .network = error { return nil }
      throw error
    }
    return nil
  }

  private func url(_ path: String) -> URL {
    var base = Substring(endpoint.url.absoluteString)
    while base.hasSuffix("/") { base = base.dropLast() }
    return URL(string: base + path)!
  }

  private func send(_ request: HTTPRequest, path: String) async throws -> HTTPResponse {
    let started = ContinuousClock.now
    do {
      let response = try await transport.send(request)
      report(request.method, path, status: response.status, since: started)
      return response
    } catch let error as TransportError {
      report(request.method, path, status: nil, since: started)
      throw ScanAPIError.network(
        endpoint: endpoint.description, reason: "the instance metadata service: \(error.reason)")
    }
  }

  private func report(_ method: String, _ path: String, status: Int?, since: ContinuousClock.Instant) {
    events(
      .exchange(
        .init(
          method: method, action: "instance metadata", page: nil, parameters: [path], status: status, code: nil,
          attempt: 1, elapsed: ContinuousClock.now - since)))
  }
}
