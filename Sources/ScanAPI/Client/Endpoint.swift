#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where requests go. Plain `http://` is allowed to loopback addresses only: anywhere else the
/// AccessKey ID, token and signatures would cross the network unencrypted.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
  public static let production = "https://avds.aliyuncs.com/"

  /// Scheme, host and port, with the path `/` that RPC-style requests use.
  public let url: URL
  public let host: String
  public let isLoopback: Bool

  /// The instance metadata service: plain http, to its link-local address or to loopback only.
  public static func metadata(_ text: String) throws -> Endpoint {
    try Endpoint(text, plainHTTPAlsoTo: ["100.100.100.200"])
  }

  public init(_ text: String) throws { try self.init(text, plainHTTPAlsoTo: []) }

  private init(_ text: String, plainHTTPAlsoTo allowed: Set<String>) throws {
    let trimmed = text.trimming(" ")
    let withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed
    guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else {
      throw ScanAPIError.invalidEndpoint("invalid endpoint '\(text)': expected a URL such as \(Self.production)")
    }
    let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    isLoopback = Self.isLoopback(bareHost)
    switch scheme {
    case "https": break
    case "http" where isLoopback || allowed.contains(bareHost): break
    case "http":
      throw ScanAPIError.invalidEndpoint(
        "refusing plain http:// to '\(host)': the AccessKey ID and request signatures would travel unencrypted; "
          + "use https:// (plain http is allowed only to loopback addresses)")
    default:
      throw ScanAPIError.invalidEndpoint("invalid endpoint '\(text)': the scheme must be https")
    }
    var normalized = URLComponents()
    normalized.scheme = scheme
    normalized.host = components.host
    normalized.port = components.port
    normalized.path = "/"
    guard let url = normalized.url else {
      throw ScanAPIError.invalidEndpoint("invalid endpoint '\(text)'")
    }
    self.url = url
    self.host = bareHost
  }

  public var description: String { url.absoluteString }

  public static func isLoopback(_ host: String) -> Bool {
    let lowered = host.lowercased()
    if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
    let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
  }
}
