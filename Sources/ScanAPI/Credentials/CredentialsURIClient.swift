import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `ALIBABA_CLOUD_CREDENTIALS_URI` or a CredentialsURI profile: one GET, answered with HTTP 200 and
/// a `"Code": "Success"` credentials document.
public struct CredentialsURIClient: Sendable {
  public let endpoint: Endpoint
  let url: URL
  let transport: any HTTPTransport

  public init(_ text: String, transport: any HTTPTransport) throws {
    endpoint = try Endpoint(text)
    guard let url = URL(string: text.contains("://") ? text : "https://" + text) else {
      throw ScanAPIError.invalidEndpoint("invalid credentials URI '\(text)'")
    }
    self.url = url
    self.transport = transport
  }

  public func credentials() async throws -> TemporaryCredentials {
    let response: HTTPResponse
    do {
      response = try await transport.send(HTTPRequest(method: "GET", url: url))
    } catch let error as TransportError {
      throw ScanAPIError.network(endpoint: endpoint.description, reason: "the credentials URI: \(error.reason)")
    }
    guard response.status == 200,
      let document = JSONValue.parse(response.body), document["Code"]?.string == "Success",
      let credentials = TemporaryCredentials(document: document)
    else {
      throw ScanAPIError.credentialCall(
        "the credentials URI \(endpoint) answered HTTP \(response.status) without a Success credentials document")
    }
    return credentials
  }
}
