#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

public struct HTTPRequest: Sendable {
  public var method: String
  public var url: URL
  public var headers: [String: String]
  public var body: Data?

  public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

public struct HTTPResponse: Sendable {
  public var status: Int
  /// Header names in lower case.
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
    self.status = status
    self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
    self.body = body
  }
}

/// Sends one HTTP request. The seam where tests put a double and production puts `NIOTransport`.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// How a transport fails. `CancellationError` is thrown as is.
public enum TransportError: Error, Sendable, Equatable {
  case cannotConnect(String)
  case timedOut
  case connectionLost(String)
  case bodyTooLarge(limit: Int)
  case failed(String)
  /// TLS refused the server (a certificate not trusted, out of date, or for another host): no retry
  /// changes that.
  case untrusted(String)

  public var reason: String {
    switch self {
    case .cannotConnect(let why): "could not connect (\(why))"
    case .timedOut: "no answer within the request timeout"
    case .connectionLost(let why): "the connection failed (\(why))"
    case .bodyTooLarge(let limit): "the response body is larger than \(limit / (1 << 20)) MiB; refused unread"
    case .failed(let why): why
    case .untrusted(let why): "could not connect (\(why))"
    }
  }
}
